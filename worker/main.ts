// `npm start`: the API and the worker, with embedded defaults for whatever is not configured.
import { NativeConnection } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createMailer } from '../activities/mail.js';
import { createApp } from '../api/app.js';
import { toStockholmDate } from '../domain/dates.js';
import { openDatabase } from '../prisma/db.js';
import { offlineNotifier, temporalNotifier, type WorkflowNotifier } from './client.js';
import { ConfigError, loadConfig } from './config.js';
import { LOCAL_TEMPORAL } from './runtime.js';
import { createWorker } from './worker.js';
import { Client, Connection } from '@temporalio/client';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}

const db = await openDatabase(config.database);
console.log(`database: ${'url' in config.database ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${'pgliteDir' in config.database ? config.database.pgliteDir : 'memory'}`}`);
console.log(`mail: ${config.mail.kind === 'smtp' ? `SMTP ${config.mail.host}:${config.mail.port}` : `outbox ${config.mail.dir} (no SMTP_HOST)`}`);
const mailer = createMailer({ prisma: db.prisma, transport: config.mail });
const deps = { prisma: db.prisma, mailer, publicBaseUrl: config.publicBaseUrl, linkSecret: config.linkSecret };

let notifier: WorkflowNotifier = offlineNotifier;
let shutdown: () => Promise<void> = async () => {};
try {
  let connection: NativeConnection;
  let client: Client;
  let env: TestWorkflowEnvironment | undefined;
  if (config.temporal.address) {
    connection = await NativeConnection.connect({ address: config.temporal.address });
    client = new Client({ connection: await Connection.connect({ address: config.temporal.address }), namespace: config.temporal.namespace });
  } else {
    console.log('temporal: starting a local dev server (downloaded and cached on first use)…');
    const [ip, port] = LOCAL_TEMPORAL.split(':');
    env = await TestWorkflowEnvironment.createLocal({ server: { ip, port: Number(port), namespace: config.temporal.namespace, dbFilename: `${config.dataDir}/temporal.db` } });
    connection = env.nativeConnection;
    client = env.client;
  }
  const worker = await createWorker({ connection, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, deps });
  notifier = temporalNotifier(client, config.temporal.taskQueue);
  const running = worker.run();
  console.log(`temporal: worker running on task queue "${config.temporal.taskQueue}" at ${config.temporal.address ?? LOCAL_TEMPORAL}`);
  // Every active project and every förbund has its workflow (started if missing, told to re-plan if running).
  const year = Number(toStockholmDate(new Date()).slice(0, 4));
  for (const p of await db.prisma.project.findMany({ where: { status: 'active', obligations: { some: { status: 'open' } } }, select: { id: true } })) {
    await notifier.reportingChanged(p.id, 'worker started');
  }
  for (const f of await db.prisma.forbund.findMany({ select: { id: true } })) await notifier.cycleChanged(f.id, year, 'worker started');
  shutdown = async () => {
    worker.shutdown();
    await running.catch(() => {});
    await env?.teardown();
  };
} catch (err) {
  const reason = (err as Error).message.split('\n')[0].replace(/\(https?:[^)]*\)/g, '').slice(0, 120);
  console.error(`temporal: unavailable (${reason}) — run \`temporal server start-dev\` and restart, or set TEMPORAL_ADDRESS=host:port; the API stays up for reads.`);
}

const app = createApp({ prisma: db.prisma, notifier, publicBaseUrl: config.publicBaseUrl, linkSecret: config.linkSecret });
const server = app.listen(config.port, () => console.log(`api: listening on ${config.publicBaseUrl} (OpenAPI at /api/v1/openapi.json)`));

const stop = async () => {
  server.close();
  await shutdown();
  await db.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
