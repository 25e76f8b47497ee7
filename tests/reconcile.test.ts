// What a worker start does to the workflows, against Temporal's dev server (as tests/e2e.test.ts):
// `npm start`'s entry point (worker/main.ts) as a child process, started twice. The workflows
// that run are left alone — a second start adds no event to any history — and one that is not
// running is started. The kept changes (WorkflowSignal) are delivered past a target that fails
// for good. arscykel_temporal_up follows Temporal going away and coming back, and the SDK's own
// metrics (temporal_*) are served on TEMPORAL_METRICS_PORT.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, toStockholmDate } from '../domain/dates.js';
import { openDatabase } from '../prisma/db.js';
import { outboxNotifier } from '../worker/client.js';
import { findTemporalServer } from '../worker/temporal-servers.js';
import { bundleWorkflows } from '../worker/worker.js';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';
import { cycleWorkflowId, matterWorkflowId, reportingWorkflowId } from '../workflows/signals.js';
import { freePort, quietForbundFile } from './support/fixtures.js';
import { eventually } from './support/temporal.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const TASK_QUEUE = 'arscykel-reconcile';
const today = toStockholmDate(new Date());
const year = Number(addDays(today, 10).slice(0, 4));
// Quiet on purpose: a project whose first report is months away, a board meeting in 10 days whose
// kallelse is later than the test lasts, no milestones. Its workflows wait on timers.
const FILE = quietForbundFile({ slug: 'rec', name: 'Samordningsförbundet Avstämning', meetingKey: 'styrelse-rec', meetingInDays: 10 });

let dataDir: string;
let temporalPort: number;
let temporal: TestWorkflowEnvironment;
let env: NodeJS.ProcessEnv;
let apiPort: number;
let metricsPort: number;
let app: { child: ChildProcess; output: () => string; exited: Promise<number | null> } | undefined;

const devServer = () =>
  TestWorkflowEnvironment.createLocal({
    server: { executable: findTemporalServer('cli').executable, ip: '127.0.0.1', port: temporalPort, dbFilename: join(dataDir, 'temporal.db'), searchAttributes: SEARCH_ATTRIBUTES },
  });

/** worker/main.ts as `npm start` runs it; resolves once it logged `until`. */
async function start(until = '"msg":"workflows reconciled"') {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  app = { child, output: () => out, exited };
  let early = true;
  await Promise.race([
    eventually(() => expect(out).toContain(until), 60_000),
    exited.then((code) => {
      if (early) throw new Error(`worker/main.ts exited ${code}:\n${out}`);
    }),
  ]);
  early = false;
  return app;
}

async function stop() {
  if (!app || app.child.exitCode !== null) return;
  app.child.kill('SIGTERM');
  expect(await app.exited).toBe(0);
}

const logLine = (out: string, msg: string) =>
  out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === msg);

/** History length of each running workflow of the test's task queue. */
async function histories(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for await (const w of temporal.client.workflow.list({ query: `TaskQueue = '${TASK_QUEUE}' AND ExecutionStatus = 'Running'` })) {
    out[w.workflowId] = (await temporal.client.workflow.getHandle(w.workflowId).describe()).historyLength;
  }
  return out;
}

/** The histories once nothing has happened to them for 3 s. */
async function settled(): Promise<Record<string, number>> {
  let before = await histories();
  for (;;) {
    await new Promise((r) => setTimeout(r, 3000));
    const now = await histories();
    if (JSON.stringify(now) === JSON.stringify(before)) return now;
    before = now;
  }
}

const metric = async (name: string) => {
  const text = await (await fetch(`http://localhost:${apiPort}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1]);
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'arscykel-reconcile-'));
  [temporalPort, apiPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const bundlePath = join(dataDir, 'workflow-bundle.js');
  const [t, bundle] = await Promise.all([devServer(), bundleWorkflows()]);
  temporal = t;
  writeFileSync(bundlePath, bundle.code);
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    PORT: String(apiPort),
    LINK_SECRET: 'reconcile-secret-'.padEnd(40, 'x'),
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    TEMPORAL_WORKFLOW_BUNDLE: bundlePath,
    TEMPORAL_METRICS_PORT: String(metricsPort),
    LOG_FORMAT: 'json',
  };
  writeFileSync(join(dataDir, 'rec.yaml'), FILE);
  // The import starts the förbund's, the project's and the board meeting's workflows.
  const r = spawnSync(TSX, ['scripts/import.ts', join(dataDir, 'rec.yaml')], { cwd: ROOT, env, encoding: 'utf8' });
  expect(r.status, r.stderr + r.stdout).toBe(0);
}, 120_000);

afterAll(async () => {
  await stop().catch(() => app?.child.kill('SIGKILL'));
  await temporal?.teardown();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('a worker start reconciles without touching running workflows', () => {
  let forbundId: string;
  let projectId: string;

  it('kept changes are delivered past a target Temporal refuses; the refused one is counted and kept; an unreachable Temporal stops the round', async () => {
    const db = await openDatabase({ pgliteDir: join(dataDir, 'pglite') });
    try {
      forbundId = (await db.prisma.forbund.findFirstOrThrow({ where: { slug: 'rec' } })).id;
      projectId = (await db.prisma.project.findFirstOrThrow({ where: { forbundId } })).id;
      // The oldest change is for a workflow id longer than Temporal allows: refused every time.
      const poison = `matter:${'x'.repeat(1100)}`;
      const at = (s: number) => new Date(Date.now() - 60_000 + s * 1000);
      await db.prisma.workflowSignal.createMany({
        data: [
          { target: poison, reason: 'test: refused', createdAt: at(0) },
          { target: `cycle:${forbundId}`, reason: 'test: kept', year, createdAt: at(1) },
          { target: `reporting:${projectId}`, reason: 'test: kept', createdAt: at(2) },
          { target: `reporting:${projectId}`, reason: 'test: kept again', createdAt: at(3) },
        ],
      });

      // Temporal unreachable: the round stops after the first targets tried at once, nothing is lost.
      const down = outboxNotifier(db.prisma);
      down.connect(new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }), TASK_QUEUE);
      expect(await down.deliverPending()).toBe(4);
      const tried = await db.prisma.workflowSignal.findMany({ where: { attempts: { gt: 0 } } });
      expect(new Set(tried.map((r) => r.target))).toEqual(new Set([poison, `cycle:${forbundId}`, `reporting:${projectId}`]));
      expect(tried.every((r) => r.attempts === 1)).toBe(true);

      // Temporal there: the refused target is skipped (its attempts counted), the others delivered.
      const notifier = outboxNotifier(db.prisma);
      notifier.connect(temporal.client, TASK_QUEUE);
      expect(await notifier.deliverPending()).toBe(1);
      const [left] = await db.prisma.workflowSignal.findMany();
      expect(left).toMatchObject({ target: poison, attempts: 2 });
      expect(left.lastError).toMatch(/length|long|limit/i);
      expect(await notifier.deliverPending()).toBe(1);
      expect((await db.prisma.workflowSignal.findFirstOrThrow()).attempts).toBe(3);
      await db.prisma.workflowSignal.deleteMany();
    } finally {
      await db.close();
    }
  });

  it('a second start adds no event to a running workflow\'s history, and starts the one that is not running', async () => {
    await start();
    const first = await settled();
    expect(Object.keys(first).sort()).toEqual(expect.arrayContaining([cycleWorkflowId(forbundId), reportingWorkflowId(projectId)]));
    expect(Object.keys(first)).toHaveLength(3); // and the board meeting's
    expect(logLine(app!.output(), 'workflows reconciled')).toMatchObject({ running: 3, started: 0, listedBy: 'visibility' });
    await stop();

    // The project's workflow is ended behind Årscykel's back; the others are untouched. A change
    // kept for a matter that is not open (here: none by that id) is moot: dropped, nothing started.
    await temporal.client.workflow.getHandle(reportingWorkflowId(projectId)).terminate('test: not running');
    await eventually(async () => expect(Object.keys(await histories())).not.toContain(reportingWorkflowId(projectId)), 10_000);
    const gone = '00000000-0000-4000-8000-000000000000';
    const db = await openDatabase({ pgliteDir: join(dataDir, 'pglite') });
    try {
      await db.prisma.workflowSignal.create({ data: { target: `matter:${gone}`, reason: 'test: moot' } });
    } finally {
      await db.close();
    }
    const before = await histories();
    await start();
    expect(logLine(app!.output(), 'workflows reconciled')).toMatchObject({ projects: 1, forbund: 1, meetings: 1, running: 2, started: 1, kept: 0, keptDropped: 1 });
    await expect(temporal.client.workflow.getHandle(matterWorkflowId(gone)).describe()).rejects.toThrow(/not found/i);
    await new Promise((r) => setTimeout(r, 3000));
    const after = await histories();
    for (const [id, length] of Object.entries(before)) expect(after[id], id).toBe(length);
    expect(Object.keys(after)).toContain(reportingWorkflowId(projectId));
  }, 120_000);

  it('the SDK\'s metrics are served on TEMPORAL_METRICS_PORT; arscykel_temporal_up goes to 0 while Temporal is away and back to 1', async () => {
    await eventually(async () => {
      const text = await (await fetch(`http://localhost:${metricsPort}/metrics`)).text();
      expect(text).toMatch(/^temporal_\w+/m);
      expect(text).toContain(`task_queue="${TASK_QUEUE}"`);
    }, 20_000);
    expect(await metric('arscykel_temporal_up')).toBe(1);

    const away = performance.now();
    await temporal.teardown();
    await eventually(async () => expect(await metric('arscykel_temporal_up')).toBe(0), 20_000);
    console.log(`reconcile: arscykel_temporal_up 0 after ${Math.round(performance.now() - away)} ms`);

    temporal = await devServer();
    const back = performance.now();
    await eventually(async () => expect(await metric('arscykel_temporal_up')).toBe(1), 45_000);
    console.log(`reconcile: arscykel_temporal_up 1 again ${Math.round(performance.now() - back)} ms after Temporal returned`);
    expect(app!.output()).toContain('"msg":"temporal not answering"');
    await stop();
  }, 120_000);
});
