// What `npm start` runs: the API and the Temporal worker in one process, with embedded defaults
// for whatever is not configured. The API comes up first and stays up without Temporal; the
// worker joins when Temporal is reachable (retried every 30 s for a configured address), and then
// the workflows that should run and do not are started (those running are left alone) and the
// changes kept meanwhile are delivered. stop() drains: the API closes, the worker stops polling
// and its running activities finish, then the connections and the local dev server close.
// ARSCYKEL_RUNS=api or =worker runs one side only, against PostgreSQL and a Temporal cluster: the
// API process tells the workflows, the worker process runs them (and answers health and metrics).
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { TypedSearchAttributes } from '@temporalio/common';
import { makeTelemetryFilterString, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { createMailer, createTransport } from '../activities/mail.js';
import { AfterAnswer } from '../api/after-answer.js';
import { createApp, type Readiness } from '../api/app.js';
import { dataVersions } from '../services/read-cache.js';
import { documentStore } from '../services/document-store.js';
import { toStockholmDate } from '../domain/dates.js';
import type { Database } from '../prisma/db.js';
import { registry, temporalUp } from '../services/metrics.js';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';
import { cycleWorkflowId, matterWorkflowId, meetingWorkflowId, reportingWorkflowId, statutoryWorkflowId } from '../workflows/signals.js';
import { connectClient, connectionOptions, outboxNotifier, dropMootKept, runningWorkflowIds, startMissing, type Target } from './client.js';
import { ensureDigestSchedule, ensureReviewSchedule } from './schedules.js';
import type { Config } from './config.js';
import { openConfiguredDatabase } from './database.js';
import { logger, sdkLogger } from './log.js';
import { LOCAL_TEMPORAL } from './runtime.js';
import { findTemporalServer, startDevServer, type DevServer } from './temporal-servers.js';
import { createWorker } from './worker.js';

const log = logger({ component: 'arscykel' });

export interface Running {
  /** Base URL the API listens on. */
  url: string;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/** Where the official's and the secretary's pages are (the public base, as in the links of mails). */
export const adminPagesUrl = (publicBaseUrl: string) => `${publicBaseUrl.replace(/\/$/, '')}/admin`;

export async function startArscykel(config: Config): Promise<Running> {
  const db = await openConfiguredDatabase(config, 'npm start');
  log.info('database open', { database: 'url' in config.database ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${'pgliteDir' in config.database ? config.database.pgliteDir : 'memory'}` });
  const mailLog = logger({ component: 'mail' });
  const mailer = createMailer({ prisma: db.prisma, transport: config.mail, log: (line) => mailLog.info(line) });
  log.info('mail', { transport: config.mail.kind === 'smtp' ? `SMTP ${config.mail.host}:${config.mail.port}` : `outbox ${config.mail.dir} (no SMTP_HOST)` });
  if (config.mail.kind === 'smtp') void checkSmtp(config.mail);

  let temporalSide: ReturnType<typeof runTemporal> | undefined;
  const notifier = outboxNotifier(db.prisma, { onKept: () => temporalSide?.deliverSoon() });
  const state: Readiness['temporal'] = { status: 'connecting', address: config.temporal.address ?? LOCAL_TEMPORAL };
  const readiness = async (): Promise<Readiness> => ({ temporal: (await temporalSide?.check()) ?? { ...state } });
  // The handlingar's bytes: in the database, or in the configured bucket (reported by /health/ready).
  const documents = documentStore(config.documents);
  if (documents.kind === 's3') void checkDocumentStore(documents);
  else log.info('documents', { storage: 'database (Document.content)' });
  // The API sends the sign-in links through the same mailer (SMTP, or the outbox) as the worker.
  // Work a request goes on with after its answer (a sign-in link), finished before the database closes.
  const afterAnswer = new AfterAnswer();
  const app = config.runs === 'worker' ? workerProbes(db, readiness) : createApp({ prisma: db.prisma, versions: dataVersions(db), notifier, mailer, afterAnswer, publicBaseUrl: config.publicBaseUrl, linkSecret: config.linkSecret, readiness, documents, ...(config.trustProxy ? { trustProxy: config.trustProxy } : {}), ...(config.oidc ? { oidc: config.oidc } : {}) });
  let server: Server;
  try {
    installRuntime(config);
    server = await listen(app, config.port);
  } catch (err) {
    await db.close();
    throw err;
  }
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  // The commands that write (token, import, demo) reach the embedded database through this API.
  db.setUrl(url);
  if (config.runs === 'worker') log.info('worker process: health and metrics only', { url, health: `${url}/health/ready`, metrics: `${url}/metrics` });
  else {
    log.info('api listening', { url, publicBaseUrl: config.publicBaseUrl, openapi: `${url}/api/v1/openapi.json`, admin: adminPagesUrl(config.publicBaseUrl), runs: config.runs });
    log.info(`Sidor för tjänsteperson och sekreterare: ${adminPagesUrl(config.publicBaseUrl)}`, { url: adminPagesUrl(config.publicBaseUrl), signIn: 'logga in med din e-postadress; länken kommer med e-post' });
  }

  temporalSide = runTemporal(config, db, { prisma: db.prisma, mailer, publicBaseUrl: config.publicBaseUrl, linkSecret: config.linkSecret }, notifier, state);
  return {
    url,
    async stop() {
      log.info('stopping');
      // No new requests; those under way finish (a connection idle or, after 10 s, still busy is closed).
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const busy = setTimeout(() => server.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(busy);
      if (!(await afterAnswer.settled(10_000))) log.warn('work after an answer still running after 10 s; stopping anyway');
      log.info('api closed');
      await temporalSide!.stop();
      mailer.close();
      await db.close();
      log.info('stopped');
    },
  };
}

/**
 * What a worker process alone (ARSCYKEL_RUNS=worker) answers on PORT, for its orchestrator and
 * Prometheus: /health/live, /health/ready (the database and Temporal; 503 while the database is
 * not answering) and /metrics. No API and no pages: those are the API process's.
 */
function workerProbes(db: Database, readiness: () => Promise<Readiness>) {
  const app = express();
  app.disable('x-powered-by');
  app.get('/health/live', (_req, res) => void res.json({ status: 'ok' }));
  app.get(['/health/ready', '/health'], async (_req, res) => {
    const [database, { temporal }] = await Promise.all([
      db.prisma.$queryRaw`SELECT 1`.then(
        () => ({ status: 'ok' as const }),
        (err: Error) => ({ status: 'unavailable' as const, detail: err.message.split('\n')[0] }),
      ),
      readiness(),
    ]);
    const status = database.status !== 'ok' ? 'unavailable' : temporal.status === 'ok' ? 'ok' : 'degraded';
    res.status(database.status === 'ok' ? 200 : 503).json({ status, database, temporal });
  });
  app.get('/metrics', async (_req, res) => void res.type(registry.contentType).send(await registry.metrics()));
  app.use((_req, res) => void res.status(404).json({ error: { status: 404, message: 'this process runs the worker only (ARSCYKEL_RUNS=worker); the API is served by the api process', fields: [] } }));
  return app;
}

/**
 * The Temporal SDK's runtime, once per process: its core (Rust) logs forwarded to the same JSON
 * lines from WARN up; its own metrics (temporal_*) on TEMPORAL_METRICS_PORT when set. It gets no
 * signal handlers of its own (the SDK's default would shut the worker down on SIGINT, SIGTERM,
 * SIGQUIT or SIGUSR2 behind our back): worker/main.ts owns the signals and drains through stop().
 */
function installRuntime(config: Config) {
  if (runtimeInstalled) return;
  const port = config.temporalMetricsPort;
  try {
    Runtime.install({
      logger: sdkLogger('INFO'),
      shutdownSignals: [],
      telemetryOptions: {
        logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
        ...(port ? { metrics: { prometheus: { bindAddress: `0.0.0.0:${port}` } } } : {}),
      },
    });
  } catch (err) {
    if (port) throw new Error(`TEMPORAL_METRICS_PORT=${port}: the SDK's metrics could not be served (${(err as Error).message.split('\n')[0]}); is the port in use?`);
    throw err;
  }
  runtimeInstalled = true;
  if (port) log.info('temporal sdk metrics', { url: `http://localhost:${port}/metrics`, variable: 'TEMPORAL_METRICS_PORT' });
}

/** How often the connection to Temporal is checked for arscykel_temporal_up. */
export const TEMPORAL_PROBE_MS = 5_000;

/** An SMTP server that cannot be reached is said at start (mail is kept and retried, so it is not fatal). */
async function checkSmtp(mail: Extract<Config['mail'], { kind: 'smtp' }>) {
  try {
    await createTransport(mail).verify();
    log.info('smtp reachable', { host: mail.host, port: mail.port });
  } catch (err) {
    log.warn('smtp not reachable; mails are retried and, after 12 hours, shown to the official as not delivered', {
      variable: 'SMTP_HOST/SMTP_PORT',
      host: mail.host,
      port: mail.port,
      error: (err as Error).message.split('\n')[0],
    });
  }
}

/** A bucket that cannot be reached is said at start (not fatal: only handlingar cannot be uploaded or read until it answers). */
async function checkDocumentStore(store: Extract<ReturnType<typeof documentStore>, { kind: 's3' }>) {
  const r = await store.ready();
  if (r.status === 'ok') log.info('documents', { storage: 's3', bucket: r.bucket, endpoint: r.endpoint });
  else log.warn('documents: the S3 bucket cannot be reached; handlingar cannot be uploaded or read until it answers', { variable: 'S3_ENDPOINT/S3_BUCKET', bucket: r.bucket, endpoint: r.endpoint, error: r.detail });
}

const KEEP_ALIVE_MS = 65_000;

function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port);
    // An idle connection is kept longer than a proxy's or a client's own idle limit (60 s behind
    // the usual load balancers): the side that closes it first must be theirs, or a request sent
    // on it just as it closes fails ("other side closed") instead of being answered.
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    server.headersTimeout = KEEP_ALIVE_MS + 1000;
    server.once('listening', () => resolve(server));
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`PORT=${port}: the port is already in use; stop what holds it or set PORT to another`) : err),
    );
  });
}

type Notifier = ReturnType<typeof outboxNotifier>;

/** Connects (or starts the dev server), runs the worker, and keeps kept changes flowing. */
function runTemporal(config: Config, db: Database, base: { prisma: Database['prisma']; mailer: ReturnType<typeof createMailer>; publicBaseUrl: string; linkSecret: string }, notifier: Notifier, state: Readiness['temporal']) {
  // An API process alone (ARSCYKEL_RUNS=api) only tells the workflows: the worker process runs them,
  // reconciles, delivers what was kept and keeps the schedules.
  const runsWorker = config.runs !== 'api';
  let stopped = false;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let client: Client | undefined;
  let native: NativeConnection | undefined;
  let dev: TestWorkflowEnvironment | undefined;
  let devServer: DevServer | undefined;
  let connecting: Promise<void> | undefined;
  let retry: NodeJS.Timeout | undefined;
  let deliver: NodeJS.Timeout | undefined;
  let soon: NodeJS.Timeout | undefined;
  let probe: NodeJS.Timeout | undefined;
  let reconciled = false;
  let reachable = true;

  async function attempt(): Promise<void> {
    let searchAttributes = true;
    if (config.temporal.address) {
      const address = config.temporal.address;
      client = await connectClient({ ...config.temporal, address });
      if (!runsWorker) {
        if (stopped) return;
        state.status = 'ok';
        delete state.detail;
        temporalUp.set(1);
        reachable = true;
        notifier.connect(client, config.temporal.taskQueue);
        log.info('temporal connected (this process runs no worker)', { address: state.address, namespace: config.temporal.namespace, runs: config.runs });
        probe = setInterval(() => void probeTemporal(), TEMPORAL_PROBE_MS);
        return;
      }
      native = await NativeConnection.connect(connectionOptions({ ...config.temporal, address }));
      searchAttributes = await ensureSearchAttributes(client, config.temporal.namespace);
    } else {
      const found = findTemporalServer('cli');
      const [ip, port] = LOCAL_TEMPORAL.split(':');
      log.info('starting a local Temporal dev server', { executable: found.source, address: LOCAL_TEMPORAL, ui: 'http://localhost:8233' });
      if (found.executable.type === 'existing-path') {
        // Our own child, stopped by us after the worker drained (see startDevServer).
        const devLog = logger({ component: 'temporal.dev-server' });
        devServer = await startDevServer({
          executable: found.executable.path,
          ip,
          port: Number(port),
          namespace: config.temporal.namespace,
          dbFilename: `${config.dataDir}/temporal.db`,
          uiPort: 8233,
          searchAttributes: SEARCH_ATTRIBUTES.map((k) => ({ name: k.name, type: TypedSearchAttributes.toMetadataType(k.type) })),
          output: (line) => (/level=(WARN|ERROR)/.test(line) ? devLog.warn(line) : devLog.info(line)),
        });
        client = await connectClient({ ...config.temporal, address: LOCAL_TEMPORAL }, 10_000);
        native = await NativeConnection.connect({ address: LOCAL_TEMPORAL });
      } else {
        dev = await TestWorkflowEnvironment.createLocal({
          server: { executable: found.executable, ip, port: Number(port), namespace: config.temporal.namespace, dbFilename: `${config.dataDir}/temporal.db`, ui: true, uiPort: 8233, searchAttributes: SEARCH_ATTRIBUTES },
        });
        client = dev.client;
        native = dev.nativeConnection;
      }
    }
    if (stopped) return; // stop() closes what was opened
    const bundle = config.workflowBundlePath ? { codePath: config.workflowBundlePath } : undefined;
    worker = await createWorker({ connection: native, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, deps: { ...base, searchAttributes, notifier, documents: config.documents ? documentStore(config.documents) : undefined }, ...(bundle ? { workflowBundle: bundle } : {}), sizing: config.worker });
    running = worker.run().then(
      () => {
        if (stopped) return;
        log.warn('worker stopped', { taskQueue: config.temporal.taskQueue });
        state.status = 'unavailable';
        state.detail = 'the worker stopped';
        temporalUp.set(0);
        clearInterval(probe);
      },
      (err) => {
        log.error('worker stopped with an error', { error: err as Error });
        state.status = 'unavailable';
        state.detail = (err as Error).message.split('\n')[0];
        temporalUp.set(0);
        clearInterval(deliver);
        clearInterval(probe);
        if (!stopped && config.temporal.address) void teardownConnections().then(() => (retry = setTimeout(() => void (connecting = connectLoop()), 30_000)));
      },
    );
    state.status = 'ok';
    delete state.detail;
    temporalUp.set(1);
    reachable = true;
    notifier.connect(client, config.temporal.taskQueue);
    log.info('worker running', { taskQueue: config.temporal.taskQueue, address: state.address, namespace: config.temporal.namespace, searchAttributes });
    probe = setInterval(() => void probeTemporal(), TEMPORAL_PROBE_MS);
    reconciled = false;
    await reconcileOnce();
    deliver = setInterval(
      () =>
        void (async () => {
          if (!reconciled) await reconcileOnce();
          await deliverKept();
          await ensureSchedules();
        })().catch(() => undefined),
      60_000,
    );
  }

  /** arscykel_temporal_up follows a cheap round trip to the frontend, every few seconds. */
  async function probeTemporal() {
    const c = client;
    if (!c || stopped || state.status !== 'ok') return;
    let up: boolean;
    try {
      await c.connection.withDeadline(Date.now() + 2000, () => c.workflowService.getSystemInfo({}));
      up = true;
    } catch (err) {
      up = false;
      if (reachable) log.warn('temporal not answering', { address: state.address, error: (err as Error).message.split('\n')[0] });
    }
    if (c !== client || stopped) return;
    if (up && !reachable) log.info('temporal answering again', { address: state.address });
    reachable = up;
    temporalUp.set(up ? 1 : 0);
  }

  async function reconcileOnce() {
    try {
      await reconcile();
      reconciled = true;
    } catch (err) {
      log.warn('workflows not reconciled; tried again in a minute', { error: (err as Error).message.split('\n')[0] });
    }
  }

  /**
   * Every active project, förbund, board meeting ahead and open matter has its workflow: those
   * not running are started (signal-with-start, through the outbox); those running are left
   * alone (a change reaches them by its own signal, kept if need be, so they need no nudge).
   */
  async function reconcile() {
    const c = client;
    if (!c || stopped) return;
    const year = Number(toStockholmDate(new Date()).slice(0, 4));
    const ruleRead = new Date();
    const projects = await db.prisma.project.findMany({ where: { status: 'active', obligations: { some: { status: 'open' } } }, select: { id: true } });
    const forbund = await db.prisma.forbund.findMany({ select: { id: true } });
    // Board meetings ahead (and those whose minutes are not done) and open matters have their workflows.
    const meetings = await db.prisma.meeting.findMany({ where: { kind: 'styrelse', decisionsSentAt: null, OR: [{ endsAt: { gt: new Date() } }, { heldAt: { not: null } }] }, select: { id: true } });
    const matters = await db.prisma.matter.findMany({ where: { status: { not: 'closed' } }, select: { id: true } });
    // Adopted reports whose chain is not through: not yet sent on, or a member's ansvarsfrihet still waited for.
    const reports = await db.prisma.statutoryReport.findMany({
      where: { adoptedAt: { not: null }, OR: [{ sentToMembersAt: null }, { kind: 'arsredovisning', auditRegisteredAt: null }, { discharges: { some: { outcome: null } } }, { discharges: { some: { outcome: 'inte_beviljad', refusalMatterId: null } } }] },
      select: { id: true },
    });
    const reason = 'worker started: no workflow running';
    // The year's and the board's workflows first: they carry the förbund's calendar, invites and
    // deadlines; then the statutory chains, the matters, and the projects' reporting.
    const wanted: { id: string; target: Target }[] = [
      ...forbund.map((f) => ({ id: cycleWorkflowId(f.id), target: { kind: 'cycle' as const, forbundId: f.id, year } })),
      ...meetings.map((m) => ({ id: meetingWorkflowId(m.id), target: { kind: 'meeting' as const, meetingId: m.id } })),
      ...reports.map((r) => ({ id: statutoryWorkflowId(r.id), target: { kind: 'statutory' as const, reportId: r.id } })),
      ...matters.map((m) => ({ id: matterWorkflowId(m.id), target: { kind: 'matter' as const, matterId: m.id } })),
      ...projects.map((p) => ({ id: reportingWorkflowId(p.id), target: { kind: 'reporting' as const, projectId: p.id } })),
    ];
    const { running: alive, via } = await runningWorkflowIds(c, wanted.map((w) => w.id));
    const missing = wanted.filter((w) => !alive.has(w.id));
    const { started } = await startMissing(db.prisma, c, config.temporal.taskQueue, missing.map((w) => w.target), reason, () => stopped);
    const schedules = await ensureSchedules();
    // Then what was kept meanwhile, which also reaches workflows not above that still run (a
    // withdrawn project's); for those that do not run, it is moot.
    const moot = await dropMootKept(db.prisma, c, new Set(wanted.map((w) => w.id)), ruleRead);
    await deliverKept();
    log.info('workflows reconciled', {
      projects: projects.length,
      forbund: forbund.length,
      meetings: meetings.length,
      matters: matters.length,
      reports: reports.length,
      running: wanted.length - missing.length,
      started,
      kept: missing.length - started,
      keptDropped: moot,
      listedBy: via,
      reviewSchedulesCreated: schedules,
    });
  }

  /** Each förbund with a budget has its quarterly review schedule (created once; a person may pause it in the UI). Checked at start and every minute, for förbund imported meanwhile. */
  const scheduled = new Set<string>();
  let digestScheduled = false;
  async function ensureSchedules(): Promise<number> {
    if (!client || stopped) return 0;
    let created = 0;
    if (!digestScheduled) {
      try {
        created += Number(await ensureDigestSchedule(client, config.temporal.taskQueue));
        digestScheduled = true;
      } catch (err) {
        log.warn("could not create the day's digest schedule; tried again in a minute", { error: (err as Error).message.split('\n')[0] });
      }
    }
    const withBudget = await db.prisma.forbund.findMany({ where: { budgetLines: { some: {} }, id: { notIn: [...scheduled] } }, select: { id: true, slug: true } });
    for (const f of withBudget) {
      try {
        created += Number(await ensureReviewSchedule(client, config.temporal.taskQueue, f));
        scheduled.add(f.id);
      } catch (err) {
        log.warn('could not create the review schedule; tried again in a minute', { forbund: f.slug, error: (err as Error).message.split('\n')[0] });
      }
    }
    return created;
  }

  async function deliverKept() {
    if (stopped) return;
    try {
      await notifier.deliverPending();
    } catch (err) {
      log.warn('could not deliver kept changes', { error: (err as Error).message });
    }
  }

  async function connectLoop() {
    try {
      await attempt();
    } catch (err) {
      const reason = (err as Error).message.split('\n')[0].slice(0, 300);
      state.status = 'unavailable';
      state.detail = reason;
      temporalUp.set(0);
      await teardownConnections();
      if (stopped) return;
      if (config.temporal.address) {
        log.warn('temporal unavailable; the API stays up, changes are kept, retrying in 30 s', { address: config.temporal.address, reason });
        retry = setTimeout(() => void (connecting = connectLoop()), 30_000);
      } else {
        log.error('no local Temporal dev server could be started; the API stays up and changes are kept', {
          reason,
          fix: 'run `npm run temporal:install` (or `temporal server start-dev` and set TEMPORAL_ADDRESS=localhost:7233), then restart',
        });
      }
    }
  }

  async function teardownConnections() {
    notifier.connect(undefined, config.temporal.taskQueue);
    clearInterval(probe);
    await client?.connection.close().catch(() => {});
    if (!dev) await native?.close().catch(() => {});
    await dev?.teardown().catch(() => {});
    if (devServer) {
      await devServer.stop().catch(() => {});
      log.info('local Temporal dev server stopped', { address: devServer.address });
    }
    client = undefined;
    native = undefined;
    dev = undefined;
    devServer = undefined;
  }

  connecting = connectLoop();
  return {
    /**
     * A change was kept: try to deliver it in 10 s rather than at the next minute. Not before the
     * start's reconcile is through: it delivers what is kept once it has started what should run
     * and dropped what is moot (delivered before, a moot change starts a workflow that ends at once).
     */
    deliverSoon() {
      if (soon || state.status !== 'ok' || stopped || !runsWorker || !reconciled) return;
      soon = setTimeout(() => {
        soon = undefined;
        void deliverKept();
      }, 10_000);
    },
    /** The state, with a round trip to the frontend (1 s at most) while it is thought up. */
    async check(): Promise<Readiness['temporal']> {
      if (state.status !== 'ok' || !client) return { ...state };
      const c = client;
      try {
        await c.connection.withDeadline(Date.now() + 1000, () => c.workflowService.getSystemInfo({}));
        return { ...state };
      } catch (err) {
        return { ...state, status: 'unavailable', detail: (err as Error).message.split('\n')[0] };
      }
    },
    /** Drains: no new polls, running activities finish (up to the worker's grace time), then everything closes. */
    async stop() {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(soon);
      clearInterval(deliver);
      clearInterval(probe);
      // A connection or reconciliation under way ends first (it stops early once it sees `stopped`).
      await connecting;
      if (worker && worker.getState() === 'RUNNING') {
        log.info('worker draining: no new tasks, running activities finish', { taskQueue: config.temporal.taskQueue });
        worker.shutdown();
      }
      await running;
      if (worker) log.info('worker drained', { taskQueue: config.temporal.taskQueue });
      temporalUp.set(0);
      await teardownConnections();
    },
  };
}

const { IndexedValueType } = proto.temporal.api.enums.v1;
const INDEXED: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/**
 * Registers Årscykel's search attributes on a cluster where they are missing. Where that is not
 * allowed (Temporal Cloud registers them in its own console), the workflows run without them.
 */
async function ensureSearchAttributes(client: Client, namespace: string): Promise<boolean> {
  try {
    const have = await client.connection.operatorService.listSearchAttributes({ namespace });
    const missing = SEARCH_ATTRIBUTES.filter((k) => !(k.name in (have.customAttributes ?? {})));
    if (missing.length) {
      await client.connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing.map((k) => [k.name, INDEXED[k.type]])) });
      log.info('search attributes registered', { namespace, names: missing.map((k) => k.name) });
    }
    return true;
  } catch (err) {
    log.warn('search attributes could not be checked or registered; workflows run without them', {
      namespace,
      error: (err as Error).message.split('\n')[0],
      fix: `register them: ${SEARCH_ATTRIBUTES.map((k) => `temporal operator search-attribute create --namespace ${namespace} --name ${k.name} --type ${k.type === 'DATETIME' ? 'Datetime' : k.type[0] + k.type.slice(1).toLowerCase()}`).join(' ; ')}`,
    });
    return false;
  }
}
