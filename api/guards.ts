// What stands between the network and the routes: security headers, rate limits, a bound on the
// requests in flight (the excess is refused with 503 and Retry-After rather than left to time
// out), and a refusal of NUL bytes, which PostgreSQL cannot store in text.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { HttpError } from './errors.js';

export interface GuardOptions {
  /** Requests served at once; more wait in a queue of `queue`; beyond that 503. */
  inFlight: number;
  queue: number;
  /** Requests per minute and address to the public routes (submission links, feeds). */
  publicPerMinute: number;
  /** Refused authentications (401/403) per 10 minutes and address before the address is refused. */
  authFailuresPer10Minutes: number;
}

export const DEFAULT_GUARDS: GuardOptions = { inFlight: 8, queue: 200, publicPerMinute: 120, authFailuresPer10Minutes: 50 };

/** Helmet's defaults (nosniff, no-referrer, HSTS …), a CSP that suits the one HTML form, and no caching of anything. */
export function securityHeaders(): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"] },
      },
      referrerPolicy: { policy: 'no-referrer' },
    }),
    (_req, res, next) => {
      // Responses are per token or per secret link: never kept by a browser or a proxy.
      res.set('Cache-Control', 'no-store');
      next();
    },
  ];
}

const tooMany = (what: string) => (_req: Request, res: Response) => {
  res.status(429).json({ error: { status: 429, message: `too many ${what}; try again later`, fields: [] } });
};

export function publicRateLimit(o: GuardOptions): RequestHandler {
  return rateLimit({ windowMs: 60_000, limit: o.publicPerMinute, standardHeaders: 'draft-8', legacyHeaders: false, handler: tooMany('requests from this address') });
}

/** Counts only refused authentications, so guessing tokens is slow and normal use is not limited. */
export function authFailureLimit(o: GuardOptions): RequestHandler {
  return rateLimit({
    windowMs: 10 * 60_000,
    limit: o.authFailuresPer10Minutes,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401 && res.statusCode !== 403,
    skipSuccessfulRequests: true,
    handler: tooMany('refused requests from this address'),
  });
}

/**
 * At most `inFlight` requests at once; others wait in a queue, but only as long as they can expect
 * to be served within `maxWaitMs` (judged from how long requests take now). The rest get 503 with
 * Retry-After at once, and one that waited too long anyway gets it when its turn comes, so a
 * burst is answered rather than left to time out.
 */
export function boundedConcurrency(o: GuardOptions & { maxWaitMs?: number }): RequestHandler {
  const maxWaitMs = o.maxWaitMs ?? 10_000;
  let running = 0;
  let serviceMs = 50; // moving average of how long a request takes
  const waiting: { go: () => void; since: number }[] = [];
  const busy = (res: Response) =>
    res.set('Retry-After', String(Math.max(1, Math.ceil((serviceMs * (waiting.length + 1)) / o.inFlight / 1000)))).status(503).json({ error: { status: 503, message: 'busy: too many requests at once; try again in a moment', fields: [] } });
  // A slot passes to the next in the queue; one that waited too long answers 503 and passes it on.
  const release = () => {
    const next = waiting.shift();
    if (next) next.go();
    else running--;
  };
  return (_req, res, next) => {
    const since = Date.now();
    const go = () => {
      if (Date.now() - since > maxWaitMs) {
        busy(res);
        return release();
      }
      const started = Date.now();
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        serviceMs = 0.8 * serviceMs + 0.2 * (Date.now() - started);
        release();
      };
      res.once('finish', finish);
      res.once('close', finish);
      next();
    };
    if (running < o.inFlight) {
      running++;
      return go();
    }
    const expectedWait = ((waiting.length + 1) * serviceMs) / o.inFlight;
    if (waiting.length >= o.queue || expectedWait > maxWaitMs) return void busy(res);
    waiting.push({ go, since });
  };
}

/** The first string in a JSON body that holds a NUL byte, as a field path (e.g. `figures.note`). */
function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(body)' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = nulPath(value[i], `${path}[${i}]`);
      if (p) return p;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) return path ? `${path}.(key)` : '(key)';
      const p = nulPath(v, path ? `${path}.${k}` : k);
      if (p) return p;
    }
  }
  return undefined;
}

/** 400 for a NUL byte in the path, the query or the body, naming where. */
export function refuseNul(req: Request, _res: Response, next: NextFunction) {
  let path = '';
  try {
    path = decodeURIComponent(req.path);
  } catch {
    return next(new HttpError(400, 'the path is not valid percent-encoding', [{ field: '(path)', problem: 'is not valid percent-encoding' }]));
  }
  if (path.includes('\u0000')) return next(new HttpError(400, 'the path holds a NUL byte', [{ field: '(path)', problem: 'must not contain a NUL byte' }]));
  for (const [k, v] of Object.entries(req.query)) {
    if (k.includes('\u0000') || (typeof v === 'string' ? v : JSON.stringify(v)).includes('\u0000')) {
      return next(new HttpError(400, `${k}: must not contain a NUL byte`, [{ field: k.replace(/\u0000/g, ''), problem: 'must not contain a NUL byte' }]));
    }
  }
  const field = nulPath(req.body, '');
  if (field) return next(new HttpError(400, `${field}: must not contain a NUL byte`, [{ field, problem: 'must not contain a NUL byte' }]));
  next();
}
