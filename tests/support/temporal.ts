// Temporal's own servers for tests: the time-skipping test server (workflow tests) and the dev
// server (end to end), found as `npm start` finds them (worker/temporal-servers.ts). The worker
// is the production one (worker/worker.ts) with the workflow code bundled once per test file.
// The workflow tests run with production's settings: the server has Årscykel's search attributes
// and the activities say so (searchAttributes: true), so the workflows upsert them as they do on
// the dev server and on a cluster; the histories recorded from them are what production writes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection, WorkflowHandle } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import type { ActivityDeps } from '../../activities/index.js';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { createMailer } from '../../activities/mail.js';
import type { Database, PrismaClient } from '../../prisma/db.js';
import { BACKGROUND_DEADLINE_MS, outboxNotifier, type OutboxNotifier } from '../../worker/client.js';
import { startTimeSkippingServer } from '../../worker/temporal-servers.js';
import { testDatabase } from './database.js';
import { startSmtpServer, type TestSmtpServer } from './smtp.js';
import { bundleWorkflows, createWorker } from '../../worker/worker.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

export const TASK_QUEUE = 'arscykel-test';

// The SDK's own lines (worker state changes, the test server's missing capabilities) only at ERROR.
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });

export const HISTORIES_DIR = fileURLToPath(new URL('../histories', import.meta.url));

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow code bundled once per test file (bundling takes a few seconds). */
export const workflowBundle = () => (bundle ??= bundleWorkflows());


const { IndexedValueType } = proto.temporal.api.enums.v1;
const INDEXED: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/**
 * Registers Årscykel's search attributes (workflows/search-attributes.ts) on a test server, as
 * `npm start` has them on its dev server and registers them on a cluster (worker/start.ts). The
 * time-skipping server implements the operator service's addSearchAttributes (not its list).
 */
export async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  await (env.connection as Connection).operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((k) => [k.name, INDEXED[k.type]])),
  });
}

/** A fresh time-skipping server with Årscykel's search attributes registered (production's settings). */
export async function timeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const env = await startTimeSkippingServer();
  try {
    await registerSearchAttributes(env);
  } catch (err) {
    await env.teardown();
    throw err;
  }
  return env;
}

/**
 * What `deps.searchAttributes` is in production wherever the namespace has the attributes (the
 * dev server, a cluster where the worker registered them): timeSkippingServer() registers them.
 */
export const SEARCH_ATTRIBUTES_ON = true;

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

// The histories the versioning check requires, per workflow type and path: tests/histories/manifest.json.
export interface HistoryPath {
  /** The test that records it: "<file>: <test name>". */
  test: string;
  /** The history's name (file `<name>.json.gz`), recorded by that test with RECORD_HISTORIES=1. */
  record: string;
  /** Histories running workflows look like that the current code no longer records; never re-recorded. */
  kept?: string[];
  /** What is still to be done for this path; the versioning check fails with it until done. */
  todo?: string;
  /** Why this path upserts no search attributes though its type does (else its recorded history must upsert them). */
  noUpsert?: string;
}
export interface HistoryManifest {
  types: Record<string, { upsertsSearchAttributes: boolean; paths: Record<string, HistoryPath> }>;
}
export type History = temporal.api.history.v1.IHistory;

export const MANIFEST_FILE = join(HISTORIES_DIR, 'manifest.json');
export const readManifest = (): HistoryManifest => JSON.parse(readFileSync(MANIFEST_FILE, 'utf8'));
export const historyFile = (name: string) => `${name}.json.gz`;
export const readStoredHistory = (name: string): History =>
  historyFromJSON(JSON.parse(gunzipSync(readFileSync(join(HISTORIES_DIR, historyFile(name)))).toString('utf8')));
export const workflowTypeOf = (history: History) => history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '(no start event)';
/** Upserts of Årscykel's own search attributes (not the SDK's TemporalChangeVersion, which patched() upserts either way). */
export const searchAttributeUpserts = (history: History) =>
  (history.events ?? []).filter((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).some((k) => SEARCH_ATTRIBUTES.some((a) => a.name === k))).length;

/** Every history name the manifest names, with its type, path and whether a test records it or it is kept. */
export function manifestHistories(manifest: HistoryManifest): { name: string; type: string; path: string; role: 'record' | 'kept'; entry: HistoryPath }[] {
  return Object.entries(manifest.types).flatMap(([type, t]) =>
    Object.entries(t.paths).flatMap(([path, entry]) => [
      { name: entry.record, type, path, role: 'record' as const, entry },
      ...(entry.kept ?? []).map((name) => ({ name, type, path, role: 'kept' as const, entry })),
    ]),
  );
}

/**
 * Why `history`, recorded as `name`, is not the one the manifest asks for (undefined when it is):
 * a name no path records, another workflow type, or search attributes off for a type that upserts
 * them (recorded without production's settings).
 */
export function recordingProblem(manifest: HistoryManifest, name: string, history: History): string | undefined {
  const listed = manifestHistories(manifest).find((h) => h.name === name);
  if (!listed) return `tests/histories/manifest.json names no path that records "${name}": add the path (its type, its test and "record": "${name}") first`;
  if (listed.role === 'kept') return `"${name}" is a kept history of ${listed.type} ${listed.path} (older code or settings): it is never recorded again; record under a new name`;
  const type = workflowTypeOf(history);
  if (type !== listed.type) return `"${name}" is a history of ${type}, but the manifest has it as ${listed.type} ${listed.path}`;
  const upserts = searchAttributeUpserts(history);
  if (manifest.types[type].upsertsSearchAttributes && !listed.entry.noUpsert && upserts === 0) {
    return `"${name}" (${type}) has no search-attribute upsert: it ran with the search attributes off, not as production runs; run the worker with searchAttributes: SEARCH_ATTRIBUTES_ON on timeSkippingServer() (which registers them), or, if this path upserts none, say why in its "noUpsert"`;
  }
  if (listed.entry.noUpsert && upserts > 0) return `"${name}" upserts the search attributes: remove "noUpsert" from ${type} ${listed.path} in tests/histories/manifest.json`;
  return undefined;
}

/**
 * Replays a workflow's history from the server with the current code (a determinism check) and
 * checks it against tests/histories/manifest.json (a path of its type that records this name, run
 * with production's settings); with RECORD_HISTORIES=1 stores it in tests/histories/ for the
 * versioning check in CI (tests/versioning.test.ts), which replays every stored history with the
 * code of each commit.
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  const history = await handle.fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName: name }, history, handle.workflowId);
  const problem = recordingProblem(readManifest(), name, history);
  if (problem) throw new Error(problem);
  if (process.env.RECORD_HISTORIES === '1') {
    mkdirSync(HISTORIES_DIR, { recursive: true });
    // Gzipped: a year's history is about a megabyte of JSON.
    writeFileSync(join(HISTORIES_DIR, historyFile(name)), gzipSync(historyToJSON(history) + '\n', { level: 9 }));
  }
}

/**
 * A workflow's result once it has completed, read from its history. Not handle.result() on the
 * time-skipping server: asking it for a result lets it jump to the next timer of any workflow,
 * months ahead, while the one waited for has not yet seen the change it was told of.
 */
export async function completedResult<T = string>(handle: WorkflowHandle, timeoutMs = 30_000): Promise<T> {
  await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'), timeoutMs);
  const done = (await handle.fetchHistory()).events!.find((e) => e.workflowExecutionCompletedEventAttributes)!;
  return JSON.parse(Buffer.from(done.workflowExecutionCompletedEventAttributes!.result!.payloads![0].data!).toString('utf8')) as T;
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

/**
 * The product's notifier for a test on a real Temporal server, with the background's deadline for a
 * signal (15 s) instead of a person's 750 ms: on a busy machine starting a workflow on the test
 * server can take longer, the product then keeps the change for the worker's retry loop, which a
 * test does not run, and the test would wait for a workflow that was never told.
 */
export const testNotifier = (prisma: PrismaClient): OutboxNotifier => outboxNotifier(prisma, { signalDeadlineMs: BACKGROUND_DEADLINE_MS });

export interface WorkflowTestBed {
  db: Database;
  smtp: TestSmtpServer;
  env: TestWorkflowEnvironment;
  worker: RunningWorker;
  notifier: OutboxNotifier;
}

/**
 * A test file's workflow bed: a database and an SMTP peer for the file; for each test a fresh
 * time-skipping server (with the search attributes), the outbox notifier connected to it and the
 * production worker with the real activities, with production's settings (`searchAttributes: false`
 * runs it as on a namespace without them). `bind` is given the bed after the file's and after each test's set-up.
 */
export function workflowTestBed(opts: { linkSecret: string; beforeEachTest?: () => void; searchAttributes?: boolean }, bind: (bed: WorkflowTestBed) => void): void {
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
    bed.notifier = testNotifier(bed.db.prisma);
    bed.notifier.connect(bed.env.client, TASK_QUEUE);
    const mailer = createMailer({ prisma: bed.db.prisma, transport: bed.smtp.transport, log: () => {} });
    bed.worker = await runWorker(bed.env, { prisma: bed.db.prisma, mailer, publicBaseUrl: 'http://localhost:3000', linkSecret: opts.linkSecret, searchAttributes: opts.searchAttributes ?? SEARCH_ATTRIBUTES_ON, notifier: bed.notifier });
    bind(bed);
  });
  afterEach(async () => {
    await bed.worker?.stop();
    await bed.env?.teardown();
  });
}
