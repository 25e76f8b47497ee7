// Reads kept ready: the route's JSON is computed once per förbund, role, URL, day and data
// version (services/read-cache.ts) and served again, with an ETag, until one of them changes.
import type { Request, Response } from 'express';
import { toStockholmDate } from '../domain/dates.js';
import { readyBody, sendReady } from '../services/read-cache.js';
import type { ApiDeps } from './deps.js';

/** `per: 'minute'` for answers that change with the time of day (a meeting ended, reminders ahead of now), else they hold for the day. */
export async function sendKept(deps: ApiDeps, req: Request, res: Response, compute: () => Promise<unknown>, per: 'day' | 'minute' = 'day'): Promise<void> {
  const now = deps.now();
  const when = per === 'day' ? toStockholmDate(now) : now.toISOString().slice(0, 16);
  const { forbundId, role } = req.auth!;
  sendReady(res, await deps.reads.get(forbundId, `${when} ${role} ${req.originalUrl}`, async () => readyBody('json', JSON.stringify(await compute()))));
}
