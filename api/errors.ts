import type { ErrorRequestHandler, Request } from 'express';
import type { FieldError } from '../domain/rapportuppgifter.js';
import { logger } from '../worker/log.js';

const log = logger({ component: 'api' });

/** A URL fit for a log: the secrets of links and feeds (?token=) are not written anywhere. */
export const redact = (url: string) => url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');

/** An error the client caused or may see: status, a message and the fields at fault. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

export const badRequest = (fields: FieldError[]) => new HttpError(400, fields.map((f) => `${f.field}: ${f.problem}`).join('; '), fields);
export const notFound = (what: string) => new HttpError(404, `${what} not found`);

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof HttpError) {
    res.status(err.status).json({ error: { status: err.status, message: err.message, fields: err.fields } });
    return;
  }
  // express.json() parse errors and oversized bodies.
  const status = (err as { status?: number }).status;
  if (status && status >= 400 && status < 500) {
    const type = (err as { type?: string }).type;
    const problem = type === 'entity.parse.failed' ? 'is not valid JSON' : type === 'entity.too.large' ? 'is too large' : (err as Error).message;
    res.status(status).json({ error: { status, message: `request body ${problem}`, fields: [{ field: '(body)', problem }] } });
    return;
  }
  log.error('request failed', { method: req.method, path: redact(req.originalUrl), error: err as Error });
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
