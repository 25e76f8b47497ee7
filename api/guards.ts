// What stands between the network and the routes: security headers, rate limits, a bound on the
// requests in flight (the excess is refused with 503 and Retry-After rather than left to time
// out), and a refusal of NUL bytes, which PostgreSQL cannot store in text.
import { createHash } from 'node:crypto';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { HttpError } from './errors.js';

export interface GuardOptions {
  /** Requests served at once; more wait in a queue of `queue`; beyond that 503. */
  inFlight: number;
  queue: number;
  /** Requests per minute and address to the public routes (submission links, feeds). */
  publicPerMinute: number;
  /**
   * Refused authentications (a wrong or revoked token, a sign-in link that does not hold) per 10
   * minutes and address; after that the address's unauthenticated attempts get 429 (see failureLimiter).
   */
  authFailuresPer10Minutes: number;
  /** The same per account: the token presented, or the e-mail address a sign-in link was for. */
  authFailuresPerAccountPer10Minutes?: number;
  /** Sign-in links asked for per 10 minutes and address (each address asked for gets at most 5 per 15 minutes besides). */
  signInRequestsPer10Minutes?: number;
  /** Requests per minute for one feed link (its token), from any address (see feedRateLimit). */
  feedPerMinutePerLink?: number;
}

export const DEFAULT_GUARDS: Required<GuardOptions> = { inFlight: 8, queue: 200, publicPerMinute: 120, authFailuresPer10Minutes: 50, authFailuresPerAccountPer10Minutes: 10, signInRequestsPer10Minutes: 20, feedPerMinutePerLink: 30 };

/** Helmet's defaults (nosniff, no-referrer, HSTS …), a CSP that suits the one HTML form, and no caching of anything. */
export function securityHeaders(): RequestHandler {
  const headers = helmetHeaders(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"] },
      },
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  // Responses are per token or per secret link: never kept by a browser or a proxy.
  headers.push(['Cache-Control', 'no-store']);
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/**
 * The headers a helmet() middleware sets, read once: they are the same for every request, and
 * helmet's dozen middlewares in a row were a tenth of what a kept read costs.
 */
function helmetHeaders(mw: ReturnType<typeof helmet>): [string, string][] {
  const set: [string, string][] = [];
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => void set.push([name, String(value)]),
    removeHeader: (name: string) => {
      for (let i = set.length - 1; i >= 0; i--) if (set[i][0].toLowerCase() === name.toLowerCase()) set.splice(i, 1);
    },
  };
  let done = false;
  mw({} as never, res as never, () => (done = true));
  if (!done) throw new Error('helmet did not finish at once');
  return set;
}

/**
 * A calendar feed may be kept by the client that fetched it (its own secret address, so `private`),
 * but asked again each time (`no-cache`): with its ETag and Last-Modified the answer is then 304.
 */
export const feedCaching: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'private, no-cache');
  next();
};

const tooMany = (what: string) => (_req: Request, res: Response) => {
  res.status(429).json({ error: { status: 429, message: `too many ${what}; try again later`, fields: [] } });
};

export function publicRateLimit(o: GuardOptions): RequestHandler {
  return rateLimit({ windowMs: 60_000, limit: o.publicPerMinute, standardHeaders: 'draft-8', legacyHeaders: false, handler: tooMany('requests from this address') });
}

/**
 * The calendar feeds are limited per link, not per address: Outlook, Google and Apple fetch every
 * subscriber's feed from a few shared addresses, as do subscribers behind one NAT, and a limit per
 * address answered them all 429. A calendar client asks every few minutes; 30 a minute for one link
 * is far above that. A request without a token counts by its address as the other public routes do.
 * Forged tokens are counted per address by feedRefusals.
 */
export function feedRateLimit(o: Partial<GuardOptions>): RequestHandler {
  const g = { ...DEFAULT_GUARDS, ...o };
  return rateLimit({
    windowMs: 60_000,
    limit: g.feedPerMinutePerLink,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const token = req.query.token;
      return typeof token === 'string' && token ? `link:${createHash('sha256').update(`${req.path}\0${token}`).digest('base64url')}` : `address:${clientAddress(req)}`;
    },
    handler: tooMany('requests for this feed link'),
  });
}

/**
 * A feed refused for its token (403) is a refused attempt of the client's address: once the address
 * has used up its refusals, 429 instead (a client trying tokens), while a valid link from the same
 * address is never held back.
 */
export function feedRefusals(limiter: FailureLimiter): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (!(err instanceof HttpError) || err.status !== 403) return next(err);
    const keys = { address: clientAddress(req) };
    if (limiter.blocked(keys)) {
      res.set('Retry-After', String(limiter.retryAfter(keys)));
      return next(new HttpError(429, 'too many refused feed addresses from this address; try again later'));
    }
    limiter.refused(keys);
    next(err);
  };
}

/**
 * The client's address as the limits count it: express's `req.ip`, which with `trust proxy` set to
 * a hop count (TRUST_PROXY) is the right-most address in X-Forwarded-For that no trusted proxy
 * added (what the nearest proxy saw), never the left-most, which the client writes itself. An
 * IPv6 address counts by its /56, as one household or office gets.
 */
export function clientAddress(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

export interface FailureKeys {
  /** The client's address (clientAddress). */
  address: string;
  /** The account the attempt was for: `token:<hash>` for a bearer token, `email:<address>` for a sign-in. */
  account?: string;
}

/**
 * Refused authentications, counted per address and per account in windows of 10 minutes (in this
 * process). The caller asks only about attempts that failed: an authenticated request is never
 * held back, however many failures its address or account has, and a refusal of an authenticated
 * request (403: signed in but not allowed) is never counted. So an office behind one NAT is not
 * locked out by a colleague's mistakes, and a client rotating X-Forwarded-For behind the proxy is
 * still counted by the address the proxy saw, and by the account it tries.
 */
export interface FailureLimiter {
  /** Whether an attempt that failed should be answered 429 (its address or account has used up its refusals). */
  blocked(keys: FailureKeys): boolean;
  /** Counts one refused attempt against the address and the account. */
  refused(keys: FailureKeys): void;
  /** Seconds until the longest-blocked of these keys may try again (for Retry-After). */
  retryAfter(keys: FailureKeys): number;
}

export function failureLimiter(o: Partial<GuardOptions>, now: () => number = Date.now): FailureLimiter {
  const g = { ...DEFAULT_GUARDS, ...o };
  return windowCounter({ windowMs: 10 * 60_000, perAddress: g.authFailuresPer10Minutes, perAccount: g.authFailuresPerAccountPer10Minutes, now });
}

/** Fixed windows per key (`a:<address>`, `u:<account>`), at most `maxKeys` remembered. */
export function windowCounter(o: { windowMs: number; perAddress: number; perAccount: number; now?: () => number; maxKeys?: number }): FailureLimiter {
  const now = o.now ?? Date.now;
  const maxKeys = o.maxKeys ?? 100_000;
  const counts = new Map<string, { n: number; until: number }>();
  const keysOf = (k: FailureKeys): [string, number][] => [[`a:${k.address}`, o.perAddress], ...(k.account ? ([[`u:${k.account}`, o.perAccount]] as [string, number][]) : [])];
  const live = (key: string) => {
    const c = counts.get(key);
    if (c && c.until <= now()) {
      counts.delete(key);
      return undefined;
    }
    return c;
  };
  return {
    blocked: (k) => keysOf(k).some(([key, limit]) => (live(key)?.n ?? 0) >= limit),
    refused(k) {
      if (counts.size >= maxKeys) {
        for (const [key, c] of counts) if (c.until <= now()) counts.delete(key);
        // Still full: the oldest windows go first (Map keeps insertion order).
        for (const key of counts.keys()) {
          if (counts.size < maxKeys) break;
          counts.delete(key);
        }
      }
      for (const [key] of keysOf(k)) {
        const c = live(key);
        if (c) c.n++;
        else counts.set(key, { n: 1, until: now() + o.windowMs });
      }
    },
    retryAfter: (k) => Math.max(1, ...keysOf(k).map(([key]) => Math.ceil(((live(key)?.until ?? now()) - now()) / 1000))),
  };
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
  // Without a percent sign the path and the query cannot hold a NUL (nor a bad encoding).
  if (!req.url.includes('%') && (req.body === undefined || req.body === null || typeof req.body !== 'object')) return next();
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
