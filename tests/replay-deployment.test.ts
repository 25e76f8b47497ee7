// `npm run histories:replay` (scripts/replay-deployment.ts) end to end, as an operator runs it
// before a deploy: a deployment on Temporal's dev server (createLocal with Årscykel's search
// attributes, the production worker with the real activities, a database and an SMTP peer) runs a
// year's workflow and a project's, and one project's workflow has ended. The command, a child
// process configured like `npm start` (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE), replays the open
// ones against this checkout's workflow code, and fails, naming the workflow, against a bundle
// with one of the incompatible changes of issue 17 (an extra search-attribute upsert).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../activities/mail.js';
import { addDays, toStockholmDate } from '../domain/dates.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { findTemporalServer } from '../worker/temporal-servers.js';
import { projectReporting } from '../workflows/rapportering.js';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';
import { currentDecision, cycleWorkflowId, reportingWorkflowId } from '../workflows/signals.js';
import { testDatabase } from './support/database.js';
import { MEMBERS_YAML } from './support/fixtures.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.js';
import { eventually, runWorker, SEARCH_ATTRIBUTES_ON, TASK_QUEUE, testNotifier, type RunningWorker } from './support/temporal.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const LINK_SECRET = 'r'.repeat(32);
const today = toStockholmDate(new Date());
const year = Number(today.slice(0, 4));

const FILE = `
forbund: { id: replay, name: Samordningsförbundet Omspelet, email: kansli@replay.example, year: ${year} }
${MEMBERS_YAML}
people:
  - { id: official, name: Olga Tjänsteman, email: olga@replay.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@replay.example, roles: [secretary] }
  - { id: coordinator, name: Klara Samordnare, email: klara@replay.example, roles: [coordinator] }
bodies: { styrelse: { members: [] } }
reporting:
  reminders: [14, 3, 0]
  overdue: { reminderDaysAfter: 1, escalateDaysAfter: 7 }
projects:
  - { id: insatsen, name: Insatsen, coordinator: coordinator, start: ${addDays(today, -120)}, end: ${addDays(today, 200)}, reports: [final] }
cycle:
  meetings: []
`;

let env: TestWorkflowEnvironment;
let db: Database;
let smtp: TestSmtpServer;
let worker: RunningWorker;
let dir: string;
let projectWorkflowId: string;
let cycleId: string;
let endedId: string;

/** The command as an operator runs it (npm run histories:replay -- …): exit code and output. */
function replay(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  const child = spawn(TSX, ['scripts/replay-deployment.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dir, LINK_SECRET, LOG_FORMAT: 'text', TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: 'default', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'arscykel-replay-'));
  [env, db, smtp] = await Promise.all([
    TestWorkflowEnvironment.createLocal({ server: { executable: findTemporalServer('cli').executable, ip: '127.0.0.1', searchAttributes: SEARCH_ATTRIBUTES, log: { format: 'pretty', level: 'error' } } }),
    testDatabase(),
    startSmtpServer(),
  ]);
  const mailer = createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} });
  worker = await runWorker(env, { prisma: db.prisma, mailer, publicBaseUrl: 'http://localhost:3000', linkSecret: LINK_SECRET, searchAttributes: SEARCH_ATTRIBUTES_ON });
  const { forbundId } = await importForbund(db.prisma, parseForbundFile(FILE, 'replay.yaml'), { year, actor: 'test' });
  const project = await db.prisma.project.findFirstOrThrow({ where: { forbundId } });
  // Started as the API and the worker's reconciliation start them, and left running (waiting for their next step).
  const notifier = testNotifier(db.prisma);
  notifier.connect(env.client, TASK_QUEUE);
  expect(await notifier.cycleChanged(forbundId, year, 'test')).toBe(true);
  expect(await notifier.reportingChanged(project.id, 'test')).toBe(true);
  cycleId = cycleWorkflowId(forbundId);
  projectWorkflowId = reportingWorkflowId(project.id);
  for (const id of [cycleId, projectWorkflowId]) {
    await eventually(async () => expect(await env.client.workflow.getHandle(id).query(currentDecision)).toMatchObject({ action: expect.stringMatching(/^(sleep|waitForChange)$/) }), 30_000);
  }
  // A project's workflow that has ended (its project is gone): not open, so not replayed by default.
  endedId = reportingWorkflowId('00000000-0000-0000-0000-000000000000');
  const ended = await env.client.workflow.start(projectReporting, { workflowId: endedId, taskQueue: TASK_QUEUE, args: [{ projectId: '00000000-0000-0000-0000-000000000000' }] });
  expect(await ended.result()).toBe('project not found');
  // Visibility is eventually consistent: wait until the listing the command makes sees all three.
  await eventually(async () => expect(await env.client.workflow.count(`WorkflowType="projectReporting" OR WorkflowType="arscykel"`)).toMatchObject({ count: 3 }), 30_000);
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
  await Promise.all([db?.close(), smtp?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm run histories:replay against a running deployment', () => {
  it("replays the open workflows of Årscykel's types against this checkout's code: per type how many, exit 0", async () => {
    const { code, out } = await replay([]);
    expect(out).toContain('Replaying workflow histories of namespace "default" at');
    expect(out).toContain('ExecutionStatus="Running"');
    expect(out).toContain('2 workflows to replay.');
    expect(out).toMatch(/^arscykel +1 replayed, 0 failed$/m);
    expect(out).toMatch(/^projectReporting +1 replayed, 0 failed$/m);
    expect(out).toContain('All 2 replayed.');
    expect(code, out).toBe(0);
  }, 120_000);

  it('--query chooses the workflows (closed ones too), --limit caps them', async () => {
    const all = await replay(['--query', 'WorkflowType="projectReporting"']);
    expect(all.out).toMatch(/^projectReporting +2 replayed, 0 failed$/m);
    expect(all.out).not.toMatch(/^arscykel/m);
    expect(all.code, all.out).toBe(0);
    const one = await replay(['--query', 'WorkflowType="projectReporting"', '--limit', '1']);
    expect(one.out).toContain('(at most 1)');
    expect(one.out).toContain('1 workflow to replay.');
    expect(one.out).toMatch(/^projectReporting +1 replayed, 0 failed$/m);
    expect(one.code, one.out).toBe(0);
  }, 120_000);

  it('fails (exit 1) against code the running workflows cannot replay, naming each workflow and the error', async () => {
    // The project's workflow as the current code has it, with an extra search-attribute upsert first (issue 17).
    const changed = join(dir, 'changed-workflows.ts');
    writeFileSync(
      changed,
      `import { upsertSearchAttributes } from '@temporalio/workflow';
export * from ${JSON.stringify(join(ROOT, 'workflows', 'index.ts'))};
import { projectReporting as current, type ProjectReportingInput } from ${JSON.stringify(join(ROOT, 'workflows', 'rapportering.ts'))};
import { KIND } from ${JSON.stringify(join(ROOT, 'workflows', 'search-attributes.ts'))};
export async function projectReporting(input: ProjectReportingInput): Promise<string> {
  upsertSearchAttributes([{ key: KIND, value: 'rapportering' }]);
  return current(input);
}
`,
    );
    const { code: bundled } = await bundleWorkflowCode({
      workflowsPath: changed,
      // The file is outside the checkout: its imports resolve from the checkout's node_modules.
      webpackConfigHook: (config) => ({ ...config, resolve: { ...config.resolve, modules: [join(ROOT, 'node_modules'), 'node_modules'] } }),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never,
    });
    const bundle = join(dir, 'changed-bundle.js');
    writeFileSync(bundle, bundled);

    const { code, out } = await replay(['--bundle', bundle]);
    expect(out).toContain(`against the bundle ${bundle}`);
    expect(out).toMatch(/^arscykel +1 replayed, 0 failed$/m);
    expect(out).toMatch(/^projectReporting +1 replayed, 1 failed$/m);
    const failure = out.split('\n').find((l) => l.includes('FAILED'));
    // The reason Core gives, not its wrapping: the history has the patch marker where the code now upserts first.
    expect(failure).toMatch(new RegExp(`^  FAILED ${projectWorkflowId} \\(run [0-9a-f-]+\\): DeterminismViolationError: \\[TMPRL1100\\] Nondeterminism error: .*step-answers-next-decision`));
    expect(out).toContain('1 workflow failed: running workflows could not replay with this code.');
    expect(code, out).toBe(1);
  }, 120_000);

  it('refuses a wrong argument with the usage (exit 2), and says so when Temporal cannot be reached (exit 1)', async () => {
    const wrong = await replay(['--limit', '0']);
    expect(wrong.out).toContain('--limit "0": must be a whole number from 1');
    expect(wrong.out).toContain('usage: npm run histories:replay --');
    expect(wrong.code).toBe(2);
    const unknown = await replay(['--namespaces', 'x']);
    expect(unknown.out).toContain('usage: npm run histories:replay --');
    expect(unknown.code).toBe(2);
    const away = await replay([], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(away.out).toContain('cannot reach Temporal at 127.0.0.1:1');
    expect(away.code).toBe(1);
  }, 60_000);
});
