// The HTTP API: JSON everywhere, bearer tokens with roles, errors naming the field at fault.
import { isUtf8 } from 'node:buffer';
import express from 'express';
import { fieldName, screenValue } from '../domain/fritext.js';
import type { PrismaClient } from '../prisma/db.js';
import { AfterAnswer } from './after-answer.js';
import { authenticate } from './auth.js';
import type { ApiDeps } from './deps.js';

export type { ApiDeps, Readiness } from './deps.js';
import { deliveryRoutes } from './leverans.js';
import { adminRoutes } from './admin.js';
import { adminPages } from './admin/index.js';
import { LOCAL_IMPORT_PATH, localRoutes } from './local.js';
import { boundedConcurrency, DEFAULT_GUARDS, failureLimiter, feedCaching, feedRateLimit, feedRefusals, publicRateLimit, refuseNul, securityHeaders } from './guards.js';
import { badRequest, errorHandler, HttpError, refuseDeepJson } from './errors.js';
import { openApiDocument } from './openapi.js';
import type { IdempotencyStore } from './idempotency.js';
import { cycleRoutes } from './kalendarium.js';
import { reportingRoutes } from './rapportering.js';
import { projectRoutes } from './projekt.js';
import { boardRoutes } from './styrelse.js';
import { moneyRoutes } from './pengar.js';
import { publicationRoutes } from './publicering.js';
import { oparlRoutes } from './oparl.js';
import { publicPagesRoutes } from './offentligt.js';
import { startRoutes } from './startlage.js';
import { handlingRoutes } from './handlingar.js';
import { linkRoutes } from './lankar.js';
import { delegationRoutes } from './delegation.js';
import { statutoryRoutes } from './redovisning.js';
import { samradRoutes } from './budgetsamrad.js';
import { httpRequests, registry } from '../services/metrics.js';
import { storageFailureOf, storageFailureSummary, type StorageFailure } from '../services/storage.js';
import { documentStoreReadiness } from '../services/document-store.js';
import { dataVersions, readCache, type DataVersions } from '../services/read-cache.js';
import { logger } from '../worker/log.js';

const log = logger({ component: 'api' });


export function createApp(input: Omit<ApiDeps, 'now' | 'reads' | 'afterAnswer'> & Partial<Pick<ApiDeps, 'now' | 'afterAnswer'>>) {
  const versions = input.versions ?? dataVersions({ prisma: input.prisma });
  const deps: ApiDeps = {
    now: () => new Date(),
    ...input,
    reads: readCache(versions),
    afterAnswer: input.afterAnswer ?? new AfterAnswer(),
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (input.trustProxy) app.set('trust proxy', input.trustProxy);
  const guards = { ...DEFAULT_GUARDS, ...input.guards };
  app.use(requestLog);
  app.use(securityHeaders());

  // Live: the process answers. Ready: it can serve (the database answers); Temporal is reported,
  // not required: reads and writes work without it and changes reach the workflows later.
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // The database is checked in the background: /health/ready answers at once, also under load.
  const dbCheck = databaseCheck(deps.prisma);
  app.locals.storageFailed = dbCheck.writeFailed;
  // The declared write routes keep the answers of requests sent with an Idempotency-Key (api/idempotency.ts).
  app.locals.idempotency = { prisma: deps.prisma, now: deps.now } satisfies IdempotencyStore;
  const ready: express.RequestHandler = async (_req, res) => {
    const database = dbCheck.state();
    // The handlingar's bucket, when they are kept in one, is reported as Temporal is: without it only handlingar cannot be uploaded or read.
    const [temporal, documents] = await Promise.all([deps.readiness?.().then((r) => r.temporal) ?? { status: 'unavailable' as const, detail: 'no worker in this process' }, documentStoreReadiness(deps.documents)]);
    const status = database.status !== 'ok' ? 'unavailable' : temporal.status === 'ok' && documents.status === 'ok' ? 'ok' : 'degraded';
    res.status(database.status === 'ok' ? 200 : 503).json({ status, database, temporal, documents });
  };
  app.get('/health/ready', ready);
  app.get('/health', ready);
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument(deps.publicBaseUrl));
  });

  // Everything below waits its turn (health and metrics above never do).
  app.use(boundedConcurrency(guards));
  app.use(writesKnown(versions));
  // JSON bodies: UTF-8 only, at most 200 kB (the local import reads its own, larger, after its key
  // is checked: api/local.ts), nested at most 64 deep (checked before anything walks them), and
  // every text and key of an API body through the one screen (domain/fritext.ts).
  // (A GET or HEAD carries no body to read.)
  const json = express.json({ limit: '200kb', verify: utf8Only });
  const form = express.urlencoded({ extended: false, limit: '200kb' });
  const bodyless = (req: express.Request) => req.method === 'GET' || req.method === 'HEAD';
  app.use((req, res, next) => (bodyless(req) || req.path === LOCAL_IMPORT_PATH ? next() : json(req, res, next)));
  app.use((req, res, next) => (bodyless(req) ? next() : form(req, res, next)));
  app.use(refuseDeepJson);
  app.use(refuseNul);
  app.use(['/api', '/local'], screenBodies);

  const reporting = reportingRoutes(deps);
  const cycle = cycleRoutes(deps);
  const board = boardRoutes(deps);
  const statutory = statutoryRoutes(deps);
  const handlingar = handlingRoutes(deps);
  // The signed-in routes first: the API's and the pages' requests (most of them) pass no public router.
  const forbund = express.Router({ mergeParams: true });
  // Refused tokens are limited per address and per token; a valid token is never held back.
  forbund.use(authenticate(deps.prisma, versions, failureLimiter(guards)));
  forbund.use(reporting.forbund);
  forbund.use(projectRoutes(deps));
  forbund.use(cycle.forbund);
  forbund.use(board.forbund);
  forbund.use(moneyRoutes(deps));
  forbund.use(deliveryRoutes(deps));
  forbund.use(startRoutes(deps));
  forbund.use(adminRoutes(deps));
  forbund.use(linkRoutes(deps));
  forbund.use(delegationRoutes(deps));
  forbund.use(statutory.forbund);
  forbund.use(samradRoutes(deps));
  forbund.use(handlingar.forbund);
  app.use('/api/v1/forbund/:forbund', forbund);
  // The official's and the secretary's web pages (a person signed in by an e-mail link; a server-side session).
  app.use('/admin', adminPages(deps));

  const limitPublic = publicRateLimit(guards);
  app.use(['/submit', '/api/v1/submissions', '/meetings', '/ansvarsfrihet'], limitPublic);
  app.use('/feeds', feedRateLimit(guards), feedCaching);
  app.use(reporting.public);
  app.use(cycle.public);
  app.use('/feeds', feedRefusals(failureLimiter(guards)));
  app.use(board.public);
  app.use(statutory.public);
  // The public's reports page per förbund and its JSON twin: no login, the public rate limit.
  app.use(['/forbund', '/api/v1/public'], limitPublic);
  app.use(publicationRoutes(deps));
  // OParl 1.1 JSON of the board's public work (api/oparl.ts): no login, the same public rate limit.
  app.use('/oparl', limitPublic);
  app.use(oparlRoutes(deps));
  // The förbund's public pages: start, sammanträden, beslut, handlingar, insatser (api/offentligt.ts).
  app.use(publicPagesRoutes(deps));
  app.use('/local', localRoutes(deps));
  // A handling's stable address (the kallelse links it): on to where it is read signed in.
  app.use(handlingar.stable);

  app.use((req, _res, next) => next(new HttpError(404, `no route ${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}

/**
 * SELECT 1 every 2 s (never two at once), and a write every 30 s: a row into a temporary table
 * truncated first, so the database must take a new page on its disk (a full disk fails it, where
 * SELECT 1 still answers). The state is `ok` while the last answers are recent and the last write
 * held; a database that stops answering turns it `unavailable` after 10 s. A request whose write
 * failed on the disk (api/errors.ts) turns it `unavailable` at once, and then the write is tried
 * on every check until it holds again.
 */
function databaseCheck(prisma: PrismaClient) {
  let last: { ok: boolean; at: number; ms: number; detail?: string } | undefined;
  let write: { ok: boolean; at: number; detail?: string } | undefined;
  let running = false;
  const writeProbe = () =>
    prisma.$transaction([
      prisma.$executeRawUnsafe('CREATE TEMP TABLE IF NOT EXISTS arscykel_write_probe (at timestamptz)'),
      prisma.$executeRawUnsafe('TRUNCATE arscykel_write_probe'),
      prisma.$executeRawUnsafe('INSERT INTO arscykel_write_probe VALUES (now())'),
    ]);
  const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n').find((l) => l.trim())?.trim() ?? 'failed';
  const check = async () => {
    if (running) return;
    running = true;
    const t0 = Date.now();
    try {
      await prisma.$queryRaw`SELECT 1`;
      last = { ok: true, at: Date.now(), ms: Date.now() - t0 };
      if (!write || !write.ok || Date.now() - write.at >= 30_000) {
        try {
          await writeProbe();
          write = { ok: true, at: Date.now() };
        } catch (err) {
          const f = storageFailureOf(err);
          write = { ok: false, at: Date.now(), detail: `writes fail: ${f ? storageFailureSummary(f) : firstLine(err)}` };
        }
      }
    } catch (err) {
      last = { ok: false, at: Date.now(), ms: Date.now() - t0, detail: firstLine(err) };
    } finally {
      running = false;
    }
  };
  void check();
  setInterval(() => void check(), 2000).unref();
  return {
    /** A request's write failed on the database's storage: not ready until a write holds again. */
    writeFailed(f: StorageFailure) {
      write = { ok: false, at: Date.now(), detail: `writes fail: ${storageFailureSummary(f)}` };
      void check();
    },
    state(): { status: 'ok' | 'unavailable'; checkedAt?: string; ms?: number; detail?: string } {
      if (!last) return { status: 'unavailable', detail: 'not checked yet' };
      const stale = Date.now() - last.at > 10_000;
      const writeFails = write && !write.ok ? write.detail : undefined;
      return {
        status: last.ok && !stale && !writeFails ? 'ok' : 'unavailable',
        checkedAt: new Date(last.at).toISOString(),
        ms: last.ms,
        ...(stale ? { detail: 'no answer for over 10 s' } : last.detail ? { detail: last.detail } : writeFails ? { detail: writeFails } : {}),
      };
    },
  };
}

/** While a write is answered, reads ask the database for versions: its own write must show at once. */
function writesKnown(versions: DataVersions): express.RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const done = versions.writing();
      res.once('finish', done);
      res.once('close', done);
    }
    next();
  };
}

/** A request's route pattern for metrics and logs; one fixed label for every request no route took. */
export const UNMATCHED_ROUTE = '(unmatched)';
export function routeLabel(req: express.Request): string {
  if (!req.route) return UNMATCHED_ROUTE;
  // The förbund router is mounted at /api/v1/forbund/:forbund; its baseUrl holds the slug sent. A
  // response sent after the router returned (an error answered by errorHandler) has lost its
  // baseUrl: the mount is told by the path then.
  const base = req.baseUrl ? req.baseUrl.replace(/^\/api\/v1\/forbund\/[^/]+/, '/api/v1/forbund/:forbund') : req.originalUrl.startsWith('/api/v1/forbund/') ? '/api/v1/forbund/:forbund' : req.originalUrl.startsWith('/admin/') ? '/admin' : '';
  return `${base}${String(req.route.path)}`;
}

/** 400 for a JSON body that is not valid UTF-8 (rather than storing U+FFFD in its place). */
function utf8Only(_req: unknown, _res: unknown, buf: Buffer) {
  if (!isUtf8(buf)) throw Object.assign(new Error('is not valid UTF-8'), { status: 400, type: 'encoding.invalid' });
}

/**
 * Every text and key of an API body (JSON, or a form posted to the API) through the screen: 400
 * naming each field that holds a personal identity number or a control character. The report
 * submissions screen their own body with the same screen, so that the form and the API list
 * these problems together with the figures' (api/rapportering.ts).
 */
const screenBodies: express.RequestHandler = (req, _res, next) => {
  if (req.body === null || typeof req.body !== 'object' || req.originalUrl.startsWith('/api/v1/submissions/')) return next();
  const found = screenValue(req.body, { max: 20 });
  if (!found.length) return next();
  const keyOf = (path: (string | number)[]) => (path.length > 1 ? `${fieldName(path.slice(0, -1))}.(key)` : '(key)');
  next(badRequest(found.map((p) => ({ field: p.key ? keyOf(p.path) : fieldName(p.path), problem: p.problem }))));
};

/** One JSON log line and one metric per request, under the route's pattern (never its secrets). */
const requestLog: express.RequestHandler = (req, res, next) => {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const route = routeLabel(req);
    httpRequests.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
    if (route === '/health/live' || route === '/metrics') return;
    log.infoSoon('request', { method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000), forbund: req.auth?.forbundSlug });
  });
  next();
};
