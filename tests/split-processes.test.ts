// The API and the worker as separate processes (ARSCYKEL_RUNS=api and =worker), as a national
// deployment runs them, against PostgreSQL and Temporal's dev server: both start on one fresh
// database at once, the worker process starts the workflows and answers only health and metrics,
// the API process serves the API and tells the workflows without running any.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTemporalServer } from '../worker/temporal-servers.js';
import { bundleWorkflows } from '../worker/worker.js';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';
import { serverDatabaseUrl, serverUrl } from './support/database.js';
import { freePort, quietForbundFile } from './support/fixtures.js';
import { eventually } from './support/temporal.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const TASK_QUEUE = 'arscykel-split';
const FILE = quietForbundFile({ slug: 'delad', name: 'Samordningsförbundet Delad', meetingKey: 'styrelse-1', meetingInDays: 20 });

type Proc = { child: ChildProcess; output: () => string; exited: Promise<number | null> };
let dir: string;
let temporal: TestWorkflowEnvironment;
let db: { url: string; drop(): Promise<void> };
let env: NodeJS.ProcessEnv;
const procs: Proc[] = [];

function run(extra: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { cwd: ROOT, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const p = { child, output: () => out, exited: new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))) };
  procs.push(p);
  return p;
}

const lines = (out: string) => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  if (!serverUrl) return;
  dir = mkdtempSync(join(tmpdir(), 'arscykel-split-'));
  const port = await freePort();
  const [t, bundle, database] = await Promise.all([
    TestWorkflowEnvironment.createLocal({ server: { executable: findTemporalServer('cli').executable, ip: '127.0.0.1', port, dbFilename: join(dir, 'temporal.db'), searchAttributes: SEARCH_ATTRIBUTES } }),
    bundleWorkflows(),
    serverDatabaseUrl(),
  ]);
  temporal = t;
  db = database;
  writeFileSync(join(dir, 'bundle.js'), bundle.code);
  writeFileSync(join(dir, 'delad.yaml'), FILE);
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dir,
    DATABASE_URL: db.url,
    LINK_SECRET: 'split-secret-'.padEnd(40, 'x'),
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    TEMPORAL_WORKFLOW_BUNDLE: join(dir, 'bundle.js'),
    LOG_FORMAT: 'json',
  };
}, 180_000);

afterAll(async () => {
  for (const p of procs) {
    if (p.child.exitCode === null) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  }
  await temporal?.teardown();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.runIf(serverUrl)('the API and the worker apart', () => {
  it('both start on one fresh database at once; the worker starts the workflows and answers health only; the API serves and tells, running none', async () => {
    const [apiPort, workerPort] = [await freePort(), await freePort()];
    const worker = run({ ARSCYKEL_RUNS: 'worker', PORT: String(workerPort) });
    const api = run({ ARSCYKEL_RUNS: 'api', PORT: String(apiPort) });
    await eventually(() => expect(api.output()).toContain('"msg":"temporal connected (this process runs no worker)"'), 90_000);
    await eventually(() => expect(worker.output()).toContain('"msg":"workflows reconciled"'), 90_000);

    // Nothing imported yet: the import (a third process) tells the workflows through Temporal.
    const r = spawnSync(TSX, ['scripts/import.ts', join(dir, 'delad.yaml')], { cwd: ROOT, env, encoding: 'utf8' });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).not.toContain('Temporal not reachable');
    const running = async () => {
      const ids: string[] = [];
      for await (const w of temporal.client.workflow.list({ query: `TaskQueue = '${TASK_QUEUE}' AND ExecutionStatus = 'Running'` })) ids.push(w.type);
      return ids.sort();
    };
    await eventually(async () => expect(await running()).toEqual(['arscykel', 'projectReporting', 'styrelsemote']), 60_000);

    // The worker process: health and metrics, no API.
    const ready = await fetch(`http://localhost:${workerPort}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', database: { status: 'ok' }, temporal: { status: 'ok' } });
    expect(await (await fetch(`http://localhost:${workerPort}/metrics`)).text()).toMatch(/^arscykel_temporal_up 1/m);
    const none = await fetch(`http://localhost:${workerPort}/api/v1/openapi.json`);
    expect(none.status).toBe(404);
    expect(((await none.json()) as { error: { message: string } }).error.message).toMatch(/worker only/);

    // The API process: the API, Temporal connected, no worker and no reconciliation of its own.
    const apiReady = await (await fetch(`http://localhost:${apiPort}/health/ready`)).json();
    expect(apiReady).toMatchObject({ status: 'ok', temporal: { status: 'ok' } });
    expect((await fetch(`http://localhost:${apiPort}/forbund/delad/rapporter`)).status).toBe(200);
    expect(lines(api.output()).map((l) => l.msg)).not.toContain('workflows reconciled');
    expect(lines(api.output()).map((l) => l.msg)).not.toContain('worker running');
    expect(lines(worker.output()).map((l) => l.msg)).toContain('worker running');

    // A change through the API process reaches the running workflow at once (no kept change).
    const token = spawnSync(TSX, ['scripts/token.ts', 'delad', 'secretary', 'Prov'], { cwd: ROOT, env, encoding: 'utf8' }).stdout.trim();
    const meetings = (await (await fetch(`http://localhost:${apiPort}/api/v1/forbund/delad/meetings`, { headers: { authorization: `Bearer ${token}` } })).json()) as { data: { id: string }[] };
    const [meeting] = meetings.data;
    const moved = await fetch(`http://localhost:${apiPort}/api/v1/forbund/delad/meetings/${meeting.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ start: '10:00', end: '12:00', confirm: true }),
    });
    expect(moved.status, await moved.clone().text()).toBe(200);
    expect(((await moved.json()) as { workflowNotified: boolean }).workflowNotified).toBe(true);

    for (const p of [api, worker]) {
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    }
  }, 300_000);
});
