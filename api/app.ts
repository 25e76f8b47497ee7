// The HTTP API: JSON everywhere, bearer tokens with roles, errors naming the field at fault.
import express from 'express';
import type { PrismaClient } from '../prisma/db.js';
import { authenticate } from './auth.js';
import type { ApiDeps } from './deps.js';

export type { ApiDeps, Readiness } from './deps.js';
import { deliveryPendingSteps, deliveryRoutes } from './leverans.js';
import { adminRoutes } from './admin.js';
import { adminPages } from './admin/index.js';
import { localRoutes } from './local.js';
import { authFailureLimit, boundedConcurrency, DEFAULT_GUARDS, publicRateLimit, refuseNul, securityHeaders } from './guards.js';
import { errorHandler, HttpError } from './errors.js';
import { openApiDocument } from './openapi.js';
import { cyclePendingSteps, cycleRoutes } from './kalendarium.js';
import { reportingRoutes, reportPendingSteps } from './rapportering.js';
import { projectRoutes } from './projekt.js';
import { boardPendingSteps, boardRoutes } from './styrelse.js';
import { moneyPendingSteps, moneyRoutes } from './pengar.js';
import { publicationRoutes } from './publicering.js';
import { startRoutes } from './startlage.js';
import { httpRequests, registry } from '../services/metrics.js';
import { dataVersions, readCache, type DataVersions } from '../services/read-cache.js';
import { logger } from '../worker/log.js';

const log = logger({ component: 'api' });


export function createApp(input: Omit<ApiDeps, 'now' | 'pendingSources' | 'reads'> & Partial<Pick<ApiDeps, 'now'>>) {
  const versions = input.versions ?? dataVersions({ prisma: input.prisma });
  const deps: ApiDeps = {
    now: () => new Date(),
    ...input,
    reads: readCache(versions),
    pendingSources: [reportPendingSteps, cyclePendingSteps, deliveryPendingSteps, boardPendingSteps, moneyPendingSteps],
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
  const ready: express.RequestHandler = async (_req, res) => {
    const database = dbCheck.state();
    const temporal = (await deps.readiness?.())?.temporal ?? { status: 'unavailable' as const, detail: 'no worker in this process' };
    const status = database.status !== 'ok' ? 'unavailable' : temporal.status === 'ok' ? 'ok' : 'degraded';
    res.status(database.status === 'ok' ? 200 : 503).json({ status, database, temporal });
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
  app.use(express.json({ limit: '200kb' }));
  app.use(express.urlencoded({ extended: false, limit: '200kb' }));
  app.use(refuseNul);

  const reporting = reportingRoutes(deps);
  const cycle = cycleRoutes(deps);
  const board = boardRoutes(deps);
  const limitPublic = publicRateLimit(guards);
  app.use(['/submit', '/api/v1/submissions', '/feeds', '/meetings'], limitPublic);
  app.use(reporting.public);
  app.use(cycle.public);
  app.use(board.public);
  // The public's reports page per förbund and its JSON twin: no login, the public rate limit.
  app.use(['/forbund', '/api/v1/public'], limitPublic);
  app.use(publicationRoutes(deps));
  app.use('/local', localRoutes(deps));
  // The official's and the secretary's web pages (signed in with their token; a session cookie).
  app.use('/admin', adminPages(deps));

  const forbund = express.Router({ mergeParams: true });
  forbund.use(authFailureLimit(guards));
  forbund.use(authenticate(deps.prisma, versions));
  forbund.use(reporting.forbund);
  forbund.use(projectRoutes(deps));
  forbund.use(cycle.forbund);
  forbund.use(board.forbund);
  forbund.use(moneyRoutes(deps));
  forbund.use(deliveryRoutes(deps));
  forbund.use(startRoutes(deps));
  forbund.use(adminRoutes(deps));
  app.use('/api/v1/forbund/:forbund', forbund);

  app.use((req, _res, next) => next(new HttpError(404, `no route ${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}

/**
 * SELECT 1 every 2 s (never two at once). The state is `ok` while the last answer is recent;
 * a database that stops answering turns it `unavailable` after 10 s.
 */
function databaseCheck(prisma: PrismaClient) {
  let last: { ok: boolean; at: number; ms: number; detail?: string } | undefined;
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    const t0 = Date.now();
    try {
      await prisma.$queryRaw`SELECT 1`;
      last = { ok: true, at: Date.now(), ms: Date.now() - t0 };
    } catch (err) {
      last = { ok: false, at: Date.now(), ms: Date.now() - t0, detail: (err as Error).message.split('\n')[0] };
    } finally {
      running = false;
    }
  };
  void check();
  setInterval(() => void check(), 2000).unref();
  return {
    state(): { status: 'ok' | 'unavailable'; checkedAt?: string; ms?: number; detail?: string } {
      if (!last) return { status: 'unavailable', detail: 'not checked yet' };
      const stale = Date.now() - last.at > 10_000;
      return {
        status: last.ok && !stale ? 'ok' : 'unavailable',
        checkedAt: new Date(last.at).toISOString(),
        ms: last.ms,
        ...(stale ? { detail: 'no answer for over 10 s' } : last.detail ? { detail: last.detail } : {}),
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

/** One JSON log line and one metric per request, under the route's pattern (never its secrets). */
const requestLog: express.RequestHandler = (req, res, next) => {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const route = req.route ? `${req.baseUrl}${req.route.path}` : res.statusCode === 404 ? '(no route)' : req.path.replace(/[^/]{20,}/g, ':id');
    httpRequests.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
    if (route === '/health/live' || route === '/metrics') return;
    log.info('request', { method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000), forbund: req.auth?.forbundSlug });
  });
  next();
};
