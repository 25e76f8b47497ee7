// The first start's Temporal side, in a process of its own (so the SDK's runtime and the dev
// server's output stay out of the bench process): Temporal's dev server (as tests/reconcile.test.ts
// starts it: TestWorkflowEnvironment.createLocal with the CLI found by findTemporalServer('cli'),
// the search attributes, and a dbFilename, so its state outlives a worker's restart), the workflow
// bundle prebuilt into a file (so bundling is not timed), and the probes of convergence: the
// running workflows per type (visibility), what the database says should run (the queries of
// reconcile() in worker/start.ts), and the changes still kept in WorkflowSignal.
import { writeFileSync } from 'node:fs';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { openDatabase, type Database } from '../../prisma/db.js';
import { findTemporalServer } from '../../worker/temporal-servers.js';
import { bundleWorkflows } from '../../worker/worker.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';
import { serveCalls } from './child.js';

let env: TestWorkflowEnvironment | undefined;
let db: Database | undefined;

async function start(a: { port: number; dbFilename: string }): Promise<{ address: string; executable: string }> {
  const found = findTemporalServer('cli');
  env = await TestWorkflowEnvironment.createLocal({
    server: { executable: found.executable, ip: '127.0.0.1', port: a.port, dbFilename: a.dbFilename, searchAttributes: SEARCH_ATTRIBUTES },
  });
  return { address: env.address, executable: found.source };
}

/** Running workflows per type, and how long the listing took. */
async function running(): Promise<{ perType: Record<string, number>; ms: number }> {
  const t0 = performance.now();
  const perType: Record<string, number> = {};
  for await (const w of env!.client.workflow.list({ query: "ExecutionStatus = 'Running'", pageSize: 1000 })) perType[w.type] = (perType[w.type] ?? 0) + 1;
  return { perType, ms: performance.now() - t0 };
}

async function database(url: string): Promise<Database> {
  if (!db) db = await openDatabase({ url }, { migrate: false });
  return db;
}

/** What should run by the database, per workflow type (reconcile() in worker/start.ts), and the kept changes. */
async function expected(a: { url: string }): Promise<{ perType: Record<string, number>; signals: number }> {
  const p = (await database(a.url)).prisma;
  const now = new Date();
  const [projectReporting, arscykel, styrelsemote, arende, redovisning, signals] = await Promise.all([
    p.project.count({ where: { status: 'active', obligations: { some: { status: 'open' } } } }),
    p.forbund.count(),
    p.meeting.count({ where: { kind: 'styrelse', decisionsSentAt: null, OR: [{ endsAt: { gt: now } }, { heldAt: { not: null } }] } }),
    p.matter.count({ where: { status: { not: 'closed' } } }),
    p.statutoryReport.count({
      where: { adoptedAt: { not: null }, OR: [{ sentToMembersAt: null }, { kind: 'arsredovisning', auditRegisteredAt: null }, { discharges: { some: { outcome: null } } }, { discharges: { some: { outcome: 'inte_beviljad', refusalMatterId: null } } }] },
    }),
    p.workflowSignal.count(),
  ]);
  return { perType: { arscykel, styrelsemote, redovisning, arende, projectReporting }, signals };
}

async function signals(a: { url: string }): Promise<number> {
  return (await database(a.url)).prisma.workflowSignal.count();
}

serveCalls({
  start,
  async bundle(path: string) {
    const t0 = performance.now();
    const { code } = await bundleWorkflows();
    writeFileSync(path, code);
    return { bytes: code.length, seconds: (performance.now() - t0) / 1000 };
  },
  running,
  expected,
  signals,
  async closeDatabase() {
    await db?.close();
    db = undefined;
  },
  async teardown() {
    await db?.close().catch(() => {});
    db = undefined;
    await env?.teardown();
    env = undefined;
  },
});
