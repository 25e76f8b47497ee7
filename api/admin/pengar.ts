// Money: budget, outcome and forecast.
import type { Router } from 'express';
import type { AdminKit } from './kit.js';

export function moneyPages(_k: AdminKit, _r: Router): void {}
