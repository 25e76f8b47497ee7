import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { nestingDepth } from '../domain/fritext.js';
import type { FieldError } from '../domain/rapportuppgifter.js';
import { storageFailureMessage, storageFailureOf, type StorageFailure } from '../services/storage.js';
import { logger } from '../worker/log.js';

const log = logger({ component: 'api' });

/** A URL fit for a log: the secrets of links and feeds (?token=) and of an OIDC callback (code, state) are not written anywhere. */
export const redact = (url: string) => url.replace(/([?&](?:token|code|state)=)[^&#]*/gi, '$1[redacted]');

/** An error the client caused or may see: status, a message and the fields at fault. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldError[] = [],
    /** More for the client in the error object (a conflict's `code` and `current` state). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const badRequest = (fields: FieldError[]) => new HttpError(400, fields.map((f) => `${f.field}: ${f.problem}`).join('; '), fields);
export const notFound = (what: string) => new HttpError(404, `${what} not found`);

/** A size for a person: 1.4 MB, 200 kB, 512 bytes. */
export const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} kB` : `${bytes} bytes`);

/** The deepest nesting of a JSON body the API reads (arrays and objects). */
export const MAX_JSON_DEPTH = 64;

/** 400 before anything else reads a body nested deeper than MAX_JSON_DEPTH (counted without recursion). */
export const refuseDeepJson: RequestHandler = (req, _res, next) => {
  if (req.body !== null && typeof req.body === 'object' && nestingDepth(req.body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    return next(new HttpError(400, `request body is nested deeper than ${MAX_JSON_DEPTH} levels`, [{ field: '(body)', problem: `is nested deeper than ${MAX_JSON_DEPTH} levels` }]));
  }
  next();
};

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof HttpError) {
    res.status(err.status).json({ error: { status: err.status, message: err.message, fields: err.fields, ...err.details } });
    return;
  }
  // express.json() parse errors and oversized bodies.
  const status = (err as { status?: number }).status;
  if (status && status >= 400 && status < 500) {
    const type = (err as { type?: string }).type;
    const { length, limit } = err as { length?: number; limit?: number };
    const tooLarge = `is too large${typeof limit === 'number' ? ` (${typeof length === 'number' ? `${sizeText(length)}; ` : ''}at most ${sizeText(limit)})` : ''}`;
    const problem = type === 'entity.parse.failed' ? 'is not valid JSON' : type === 'entity.too.large' ? tooLarge : type === 'encoding.unsupported' || type === 'charset.unsupported' ? 'is not in UTF-8' : (err as Error).message;
    res.status(status).json({ error: { status, message: `request body ${problem}`, fields: [{ field: '(body)', problem }] } });
    return;
  }
  // The database cannot write (a full disk, an I/O error): the server's trouble, said as such.
  const storage = storageFailureOf(err);
  if (storage) {
    log.error('the database cannot write', { method: req.method, path: redact(req.originalUrl), code: storage.code, detail: storage.detail, diskFull: storage.diskFull });
    (req.app?.locals?.storageFailed as ((f: StorageFailure) => void) | undefined)?.(storage);
    res.status(503).set('Retry-After', '60');
    // A page's form (a browser) is told in Swedish; the API in JSON.
    if (req.accepts(['application/json', 'text/html']) === 'text/html') {
      const what = storage.diskFull ? 'Disken där uppgifterna sparas är full' : 'Databasen kan inte spara just nu';
      res.type('html').send(`<!doctype html><html lang="sv"><meta charset="utf-8"><title>Inget sparades</title><h1>Inget sparades</h1><p>${what}, så det du skickade har inte sparats. Gå tillbaka och försök igen när administratören har åtgärdat det.</p></html>`);
      return;
    }
    res.json({ error: { status: 503, message: storageFailureMessage(storage), fields: [] } });
    return;
  }
  log.error('request failed', { method: req.method, path: redact(req.originalUrl), error: err instanceof Error ? err : new Error(String(err)) });
  res.status(500).json({ error: { status: 500, message: 'internal error', fields: [] } });
};

/** The JSON object a request sent (an absent body counts as empty: required fields then say what is missing). */
export function objectBody(req: Request): Record<string, unknown> {
  const b = req.body as unknown;
  if (b === undefined || (typeof b === 'object' && b !== null && !Array.isArray(b))) return (b ?? {}) as Record<string, unknown>;
  throw badRequest([{ field: '(body)', problem: 'must be a JSON object' }]);
}

export function requireDate(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw badRequest([{ field, problem: 'must be a date YYYY-MM-DD' }]);
  }
  return value;
}

/**
 * A whole number written in plain decimal digits (no sign, point, exponent, hex or spaces) within
 * [min, max]; undefined when absent. `2026.0`, `0x10`, `1e3` and 20-digit numbers are refused.
 */
export function wholeNumber(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw badRequest([{ field, problem: `must be a whole number from ${min} to ${max}` }]);
  return n;
}

export function page(req: Request): { page: number; limit: number } {
  const fields: FieldError[] = [];
  const read = (field: string, max: number, def: number) => {
    try {
      return wholeNumber(req.query[field], field, 1, max) ?? def;
    } catch (err) {
      fields.push(...(err as HttpError).fields);
      return def;
    }
  };
  const p = read('page', 100_000, 1);
  const l = read('limit', 200, 50);
  if (fields.length) throw badRequest(fields);
  return { page: p, limit: l };
}

/** An OParl-style list: data, pagination and links to neighbouring pages. */
export function paginated<T>(req: Request, all: T[], p: { page: number; limit: number }) {
  return pageResponse(req, all.slice((p.page - 1) * p.limit, p.page * p.limit), all.length, p);
}

/** A page whose items the database already cut out (skip/take), with the total count. */
export function pageResponse<T>(req: Request, data: T[], total: number, { page: current, limit }: { page: number; limit: number }) {
  const totalPages = Math.max(1, Math.ceil(total / limit));
  const url = (p: number) => {
    const u = new URL(req.originalUrl, 'http://x');
    u.searchParams.set('page', String(p));
    u.searchParams.set('limit', String(limit));
    return u.pathname + u.search;
  };
  return {
    data,
    pagination: { totalElements: total, elementsPerPage: limit, currentPage: current, totalPages },
    links: { first: url(1), ...(current > 1 ? { prev: url(current - 1) } : {}), ...(current < totalPages ? { next: url(current + 1) } : {}), last: url(totalPages) },
  };
}
