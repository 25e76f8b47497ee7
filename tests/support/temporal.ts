// Temporal's own servers for tests: the time-skipping test server (workflow tests) and the dev
// server (end to end), found as `npm start` finds them (worker/temporal-servers.ts). The worker
// is the production one (worker/worker.ts) with the workflow code bundled once per test file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import type { ActivityDeps } from '../../activities/index.js';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createMailer } from '../../activities/mail.js';
import type { Database } from '../../prisma/db.js';
import { outboxNotifier, type OutboxNotifier } from '../../worker/client.js';
import { findTemporalServer } from '../../worker/temporal-servers.js';
import { testDatabase } from './database.js';
import { startSmtpServer, type TestSmtpServer } from './smtp.js';
import { bundleWorkflows, createWorker } from '../../worker/worker.js';

export const TASK_QUEUE = 'arscykel-test';

// The SDK's own lines (worker state changes, the test server's missing capabilities) only at ERROR.
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });

export const HISTORIES_DIR = fileURLToPath(new URL('../histories', import.meta.url));

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow code bundled once per test file (bundling takes a few seconds). */
export const workflowBundle = () => (bundle ??= bundleWorkflows());


export function timeSkippingServer(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: findTemporalServer('test-server').executable } });
}

export interface RunningWorker {
  stop(): Promise<void>;
}

/** The production worker (real activities over `deps`) polling the test task queue until stopped. */
export async function runWorker(env: TestWorkflowEnvironment, deps: ActivityDeps): Promise<RunningWorker> {
  const worker = await createWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue: TASK_QUEUE, deps, workflowBundle: await workflowBundle() });
  const running = worker.run();
  return {
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}

/** Moves the test server's clock to `iso`; every timer due before it fires, and what it starts runs to the end. */
export async function advanceTo(env: TestWorkflowEnvironment, iso: string | Date): Promise<void> {
  const target = new Date(iso).getTime();
  const now = await env.currentTimeMs();
  if (target > now) await env.sleep(target - now);
}

/** Polls (real time) until `check` passes; for what a worker does just after the clock reached its instant. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export const decodePayloads = (payloads: temporal.api.common.v1.IPayloads | null | undefined): unknown[] =>
  (payloads?.payloads ?? []).map((p) => (p.data && p.data.length ? JSON.parse(Buffer.from(p.data).toString('utf8')) : undefined));

const eventTime = (e: HistoryEvent) => new Date(Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6)).toISOString();

export interface ActivityRun {
  /** Server time the activity was scheduled. */
  at: string;
  name: string;
  input: unknown;
  /** 'failed' when its last attempt failed, else its result. */
  result: unknown;
  attempts: number;
}

/** The activities a workflow ran, read from its history on the server (all runs of its chain). */
export async function activityRuns(handle: WorkflowHandle, name?: string): Promise<ActivityRun[]> {
  const runs: ActivityRun[] = [];
  const history = await handle.fetchHistory();
  const scheduled = new Map<string, ActivityRun>();
  for (const e of history.events ?? []) {
    const id = String(e.eventId);
    if (e.activityTaskScheduledEventAttributes) {
      const a = e.activityTaskScheduledEventAttributes;
      const run: ActivityRun = { at: eventTime(e), name: a.activityType!.name!, input: decodePayloads(a.input)[0], result: undefined, attempts: 0 };
      scheduled.set(id, run);
      runs.push(run);
    } else if (e.activityTaskStartedEventAttributes) {
      const run = scheduled.get(String(e.activityTaskStartedEventAttributes.scheduledEventId));
      if (run) run.attempts = e.activityTaskStartedEventAttributes.attempt ?? 1;
    } else if (e.activityTaskCompletedEventAttributes) {
      const run = scheduled.get(String(e.activityTaskCompletedEventAttributes.scheduledEventId));
      if (run) run.result = decodePayloads(e.activityTaskCompletedEventAttributes.result)[0];
    } else if (e.activityTaskFailedEventAttributes) {
      const run = scheduled.get(String(e.activityTaskFailedEventAttributes.scheduledEventId));
      if (run) run.result = 'failed';
    }
  }
  return name ? runs.filter((r) => r.name === name) : runs;
}

/**
 * Replays a workflow's history from the server with the current code (a determinism check), and
 * with RECORD_HISTORIES=1 stores it in tests/histories/ for the versioning check in CI
 * (tests/versioning.test.ts), which replays every stored history with the code of each commit.
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  const history = await handle.fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName: name }, history, handle.workflowId);
  if (process.env.RECORD_HISTORIES === '1') {
    mkdirSync(HISTORIES_DIR, { recursive: true });
    // Gzipped: a year's history is about a megabyte of JSON.
    writeFileSync(join(HISTORIES_DIR, `${name}.json.gz`), gzipSync(historyToJSON(history) + '\n', { level: 9 }));
  }
}

/** The durations (ms) of the timers a workflow started, from its history. */
export async function timersOf(handle: WorkflowHandle): Promise<number[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? [])
    .map((e) => e.timerStartedEventAttributes?.startToFireTimeout)
    .filter((d) => d != null)
    .map((d) => Number(d!.seconds ?? 0) * 1000 + Math.floor((d!.nanos ?? 0) / 1e6));
}


export type { TestWorkflowEnvironment };

export interface WorkflowTestBed {
  db: Database;
  smtp: TestSmtpServer;
  env: TestWorkflowEnvironment;
  worker: RunningWorker;
  notifier: OutboxNotifier;
}

/**
 * A test file's workflow bed: a database and an SMTP peer for the file; for each test a fresh
 * time-skipping server, the outbox notifier connected to it and the production worker with the
 * real activities. `bind` is given the bed after the file's and after each test's set-up.
 */
export function workflowTestBed(opts: { linkSecret: string; beforeEachTest?: () => void }, bind: (bed: WorkflowTestBed) => void): void {
  const bed = {} as WorkflowTestBed;
  beforeAll(async () => {
    [bed.db, bed.smtp] = await Promise.all([testDatabase(), startSmtpServer()]);
    bind(bed);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([bed.db?.close(), bed.smtp?.close()]);
  });
  beforeEach(async () => {
    bed.smtp.clear();
    opts.beforeEachTest?.();
    bed.env = await timeSkippingServer();
    bed.notifier = outboxNotifier(bed.db.prisma);
    bed.notifier.connect(bed.env.client, TASK_QUEUE);
    const mailer = createMailer({ prisma: bed.db.prisma, transport: bed.smtp.transport, log: () => {} });
    bed.worker = await runWorker(bed.env, { prisma: bed.db.prisma, mailer, publicBaseUrl: 'http://localhost:3000', linkSecret: opts.linkSecret, searchAttributes: false, notifier: bed.notifier });
    bind(bed);
  });
  afterEach(async () => {
    await bed.worker?.stop();
    await bed.env?.teardown();
  });
}
