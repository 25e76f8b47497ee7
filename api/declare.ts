// A route declared once: the same declaration registers the express handler, validates the
// request body with its JSON Schema (ajv) and writes the route into the OpenAPI document, with
// an example a client can send. New routes are declared this way so the two cannot drift.
// A write route (POST, PUT, PATCH, DELETE) takes an optional Idempotency-Key header from an
// authenticated caller (api/idempotency.ts): the same key again gets the first answer again.
import Ajv, { type ErrorObject } from 'ajv';
import type { Request, Response, Router } from 'express';
import type { FieldError } from '../domain/rapportuppgifter.js';
import { allow, type Role } from './auth.js';
import { badRequest, objectBody } from './errors.js';
import { idempotent } from './idempotency.js';

export type JsonSchema = Record<string, unknown>;

export interface Declared {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express path relative to its router, e.g. '/meetings/:id/agenda'. */
  path: string;
  summary: string;
  /** Roles allowed; absent for a public route. */
  roles?: Role[];
  /** Path parameters described: { id: 'meeting id' }. */
  params?: Record<string, string>;
  query?: Record<string, { schema: JsonSchema; description: string }>;
  /** The request body's schema (validated before the handler runs) and an example of it. */
  body?: { schema: JsonSchema; example: unknown };
  /** The answer: status, schema and an example; another content type (text/html, application/pdf) instead of JSON. */
  response?: { status?: number; schema?: JsonSchema; example?: unknown; contentType?: string };
}

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: true, strictRequired: false });
ajv.addKeyword('example');

/** '/items/0/title' → 'items[0].title' */
const fieldOf = (e: ErrorObject) => {
  const path = e.instancePath.replace(/^\//, '').replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/^(\d+)/, '[$1]').replaceAll('/', '.');
  const prop = e.keyword === 'required' ? (e.params as { missingProperty: string }).missingProperty : e.keyword === 'additionalProperties' ? (e.params as { additionalProperty: string }).additionalProperty : '';
  return [path, prop].filter(Boolean).join('.') || '(body)';
};
const problemOf = (e: ErrorObject) =>
  e.keyword === 'required' ? 'is required'
  : e.keyword === 'additionalProperties' ? 'unknown field'
  : e.keyword === 'enum' ? `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
  : (e.message ?? 'is not valid');

/** The body's field errors against a schema, each field once. */
export function schemaErrors(validate: ReturnType<typeof ajv.compile>, body: unknown): FieldError[] {
  if (validate(body)) return [];
  const seen = new Map<string, FieldError>();
  for (const e of validate.errors ?? []) {
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') continue;
    const field = fieldOf(e);
    if (!seen.has(field)) seen.set(field, { field, problem: problemOf(e) });
  }
  return [...seen.values()];
}

export interface DeclaredRoutes {
  /** Registers the route on `router`; the OpenAPI path is `prefix` + path. */
  route<B = unknown>(router: Router, d: Declared, handler: (req: Request & { valid: B }, res: Response) => Promise<void> | void): void;
  /** The declared routes as OpenAPI paths. */
  paths(): Record<string, Record<string, object>>;
}

const registry: { prefix: string; d: Declared }[] = [];

/** Declares routes under an OpenAPI path prefix ('/api/v1/forbund/{forbund}' for förbund routes, '' for public ones). */
export function declare(prefix: string): Pick<DeclaredRoutes, 'route'> {
  return {
    route(router, d, handler) {
      if (!registry.some((r) => r.prefix === prefix && r.d.method === d.method && r.d.path === d.path)) registry.push({ prefix, d });
      const validate = d.body ? ajv.compile(d.body.schema) : undefined;
      const check = (req: Request, _res: Response, next: (err?: unknown) => void) => {
        if (validate) {
          const body = objectBody(req);
          const errors = schemaErrors(validate, body);
          if (errors.length) return next(badRequest(errors));
          (req as Request & { valid: unknown }).valid = body;
        }
        next();
      };
      const run = (req: Request, res: Response) => handler(req as Request & { valid: never }, res);
      router[d.method](d.path, ...(d.roles ? [allow(...d.roles)] : []), check, ...(d.method === 'get' ? [] : [idempotent]), run);
    },
  };
}

const forbundParam = { name: 'forbund', in: 'path', required: true, schema: { type: 'string' }, description: 'slug of the förbund, e.g. sydnarke' };
const error = { $ref: '#/components/responses/Error' };
/** The reusable header parameter of write operations (components.parameters in api/openapi.ts). */
export const IDEMPOTENCY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
  description:
    "a key of the client's own (1–200 visible ASCII characters, e.g. a UUID) that makes a repeated write safe: the same key from the same token (or session) with the same method, path and body within 24 hours gets the first answer again (header Idempotent-Replayed: true) and nothing is done twice; the same key with another request is refused with 422, a repeat while the first is still running with 409. Only a 2xx answer is kept: after an error the same key may be tried again",
};

/** Every declared route as OpenAPI paths, from the same declarations that serve them. */
export function declaredPaths(): Record<string, Record<string, object>> {
  const out: Record<string, Record<string, object>> = {};
  for (const { prefix, d } of registry) {
    const path = prefix + d.path.replace(/:(\w+)/g, '{$1}');
    const status = String(d.response?.status ?? 200);
    const content = d.response?.contentType
      ? { [d.response.contentType]: {} }
      : { 'application/json': { schema: d.response?.schema ?? { type: 'object' }, ...(d.response?.example !== undefined ? { example: d.response.example } : {}) } };
    (out[path] ??= {})[d.method] = {
      summary: d.summary + (d.roles ? ` (roles: ${d.roles.join(', ')})` : ''),
      ...(d.roles ? {} : { security: [] }),
      parameters: [
        ...(prefix.includes('{forbund}') ? [forbundParam] : []),
        ...Object.entries(d.params ?? {}).map(([name, description]) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description })),
        ...Object.entries(d.query ?? {}).map(([name, q]) => ({ name, in: 'query', schema: q.schema, description: q.description })),
        ...(d.method !== 'get' && d.roles ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
      ],
      ...(d.body ? { requestBody: { required: true, content: { 'application/json': { schema: d.body.schema, example: d.body.example } } } } : {}),
      responses: { [status]: { description: 'OK', content }, '400': error, '401': error, '403': error, '404': error, '409': error, ...(d.method !== 'get' && d.roles ? { '422': error } : {}), '503': error },
    };
  }
  return out;
}
