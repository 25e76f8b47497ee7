// The board's meetings: agenda, kallelse, decisions, minutes and justering.
import type { Router } from 'express';
import type { AdminKit } from './kit.js';

export function boardPages(_k: AdminKit, _r: Router): void {}
