// The audit log.
import type { Router } from 'express';
import type { AdminKit } from './kit.js';

export function auditPages(_k: AdminKit, _r: Router): void {}
