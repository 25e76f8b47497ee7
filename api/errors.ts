import type { ErrorRequestHandler, Request } from 'express';
import type { FieldError } from '../domain/rapportering.js';

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
  console.error(`api: ${req.method} ${req.originalUrl}:`, err);
  res.status(500).json({ error: { status: 500, message: 'internal error', fields: [] } });
};

export function requireDate(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw badRequest([{ field, problem: 'must be a date YYYY-MM-DD' }]);
  }
  return value;
}

export function page(req: Request): { page: number; limit: number } {
  const p = req.query.page === undefined ? 1 : Number(req.query.page);
  const l = req.query.limit === undefined ? 50 : Number(req.query.limit);
  const fields: FieldError[] = [];
  if (!Number.isInteger(p) || p < 1) fields.push({ field: 'page', problem: 'must be a whole number from 1' });
  if (!Number.isInteger(l) || l < 1 || l > 200) fields.push({ field: 'limit', problem: 'must be a whole number from 1 to 200' });
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
