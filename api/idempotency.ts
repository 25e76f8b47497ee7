// Writes a person or a client repeats (a double click, a retry after a timeout) done once. A
// request to a declared write route (api/declare.ts) may carry an `Idempotency-Key` header: the
// first request with a key stores an IdempotentWrite row (status 0: in flight) before its handler
// runs, and then the answer it got; the same key from the same caller again, with the same method,
// path and body, gets that answer again (`Idempotent-Replayed: true`) and nothing is done twice.
// The same key with another request is refused (422), a repeat while the first still runs too
// (409). Only a 2xx answer is kept (and none that holds a secret, answerHoldsSecret): after a
// refusal the key is free to be tried again. Keys are
// kept 24 hours; older rows are ignored and deleted as requests come.
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Prisma, PrismaClient } from '../prisma/db.js';
import { logger } from '../worker/log.js';
import { HttpError } from './errors.js';

const log = logger({ component: 'idempotency' });

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** How long a key's answer is kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A request in flight longer than this (its process died) no longer holds its key. */
const ABANDONED_MS = 5 * 60 * 1000;
/** Expired rows are deleted at most this often per process. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;

/** 1–200 visible ASCII characters (a UUID, a ULID, a client's own). */
const KEY = /^[\x21-\x7e]{1,200}$/;

/** What the app gives the declared routes (app.locals.idempotency, set by createApp). */
export interface IdempotencyStore {
  prisma: PrismaClient;
  now: () => Date;
}

/** The header's key; undefined when absent; 400 naming the header when it is not 1–200 visible ASCII characters. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const raw = req.headers[IDEMPOTENCY_HEADER.toLowerCase()];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw.join(',') : raw;
  if (!KEY.test(key)) throw new HttpError(400, `${IDEMPOTENCY_HEADER}: must be 1 to 200 visible ASCII characters`, [{ field: IDEMPOTENCY_HEADER, problem: 'must be 1 to 200 visible ASCII characters' }]);
  return key;
}

/**
 * Marks the answer as holding a secret (a new feed address): it is not kept for a repeat, since
 * the database holds no secret of a link; a repeat with the same key is done again.
 */
export function answerHoldsSecret(res: Response): void {
  res.locals.answerHoldsSecret = true;
}

/** A form's one-time key as sent (a hidden field): used when it looks like one, else none. */
export const formKeyOf = (v: unknown): string | null => (typeof v === 'string' && KEY.test(v) ? v : null);

const callerOf = (req: Request) => (req.auth?.tokenId ? `token:${req.auth.tokenId}` : req.auth?.sessionId ? `session:${req.auth.sessionId}` : undefined);
const isUnique = (err: unknown) => (err as { code?: string })?.code === 'P2002';

let lastSweep = 0;

/**
 * Express middleware for a declared write route: does nothing without the header or an
 * authenticated caller; otherwise runs the handler at most once per (caller, key).
 */
export async function idempotent(req: Request, res: Response, next: NextFunction): Promise<void> {
  const caller = callerOf(req);
  const store = req.app?.locals?.idempotency as IdempotencyStore | undefined;
  // A public route (no token, no session) has no caller to keep answers for: the header is not read.
  if (!caller || !store) return next();
  let key: string | undefined;
  try {
    key = idempotencyKeyOf(req);
  } catch (err) {
    return next(err);
  }
  if (key === undefined) return next();
  const { prisma, now } = store;
  const route = `${req.method} ${req.baseUrl}${req.path}`;
  const requestHash = createHash('sha256').update(JSON.stringify(req.body ?? null)).digest('hex');
  const t = now();
  const expired = new Date(t.getTime() - IDEMPOTENCY_TTL_MS);
  if (t.getTime() - lastSweep >= SWEEP_EVERY_MS) {
    lastSweep = t.getTime();
    prisma.idempotentWrite.deleteMany({ where: { createdAt: { lt: expired } } }).catch((err: unknown) => log.warn('expired idempotency keys not deleted', { error: (err as Error).message }));
  }

  let row: { id: string } | undefined;
  for (let attempt = 0; attempt < 2 && !row; attempt++) {
    try {
      row = await prisma.idempotentWrite.create({ data: { caller, key, route, requestHash, status: 0, response: {}, createdAt: t }, select: { id: true } });
    } catch (err) {
      if (!isUnique(err)) return next(err);
      const earlier = await prisma.idempotentWrite.findUnique({ where: { caller_key: { caller, key } } });
      if (!earlier) continue; // deleted meanwhile (a failed first request): try again
      const abandoned = earlier.status === 0 && t.getTime() - earlier.createdAt.getTime() > ABANDONED_MS;
      if (earlier.createdAt < expired || abandoned) {
        // Past its time: the key is free again.
        await prisma.idempotentWrite.deleteMany({ where: { id: earlier.id } });
        continue;
      }
      if (earlier.route !== route || earlier.requestHash !== requestHash) {
        return next(new HttpError(422, `${IDEMPOTENCY_HEADER}: this key was used for another request in the last 24 hours; use a new key for a new request`, [{ field: IDEMPOTENCY_HEADER, problem: 'was used for another request (another method, path or body)' }]));
      }
      if (earlier.status === 0) {
        res.setHeader('Retry-After', '1');
        return next(new HttpError(409, `${IDEMPOTENCY_HEADER}: a request with this key is in progress; try again shortly`, [{ field: IDEMPOTENCY_HEADER, problem: 'a request with this key is in progress' }]));
      }
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(earlier.status).json(earlier.response);
      return;
    }
  }
  if (!row) return next(new HttpError(409, `${IDEMPOTENCY_HEADER}: a request with this key is in progress; try again shortly`, [{ field: IDEMPOTENCY_HEADER, problem: 'a request with this key is in progress' }]));
  const id = row.id;

  // The answer: a 2xx JSON body is stored before it is sent (so a repeat never finds it in flight
  // after the first has answered); anything else frees the key, also before it is sent (so a
  // repeat right after a refusal is tried again, not told the first is still in progress).
  let settled = false;
  const release = (): Promise<void> => {
    if (settled) return Promise.resolve();
    settled = true;
    return prisma.idempotentWrite.deleteMany({ where: { id } }).then(
      () => undefined,
      (err: unknown) => log.warn('idempotency key not released', { error: (err as Error).message }),
    );
  };
  const end = res.end.bind(res) as (...a: unknown[]) => Response;
  res.end = ((...a: unknown[]) => {
    if (settled) return end(...a);
    void release().then(() => end(...a));
    return res;
  }) as typeof res.end;
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    if (settled || res.statusCode < 200 || res.statusCode >= 300 || res.locals.answerHoldsSecret) return json(body);
    let response: Prisma.InputJsonValue;
    try {
      response = JSON.parse(JSON.stringify(body ?? {})) as Prisma.InputJsonValue;
    } catch {
      return json(body);
    }
    settled = true;
    const status = res.statusCode;
    prisma.idempotentWrite
      .update({ where: { id }, data: { status, response } })
      .catch((err: unknown) => {
        log.warn('idempotent answer not stored; the key is released', { error: (err as Error).message });
        return prisma.idempotentWrite.deleteMany({ where: { id } }).catch(() => undefined);
      })
      .then(() => void json(body))
      .catch((err: unknown) => log.error('answer not sent', { error: err instanceof Error ? err : new Error(String(err)) }));
    return res;
  };
  // A request that ends unanswered (the client gone) frees its key too.
  res.on('close', () => void release());
  next();
}
