/**
 * Offline step harness for Temporal workflows (no server needed).
 *
 * How it works: the harness keeps a workflow history (protobuf-shaped events) and, at every step,
 * replays the WHOLE history — the real workflow code in the real sandbox — so every step re-checks
 * determinism (DeterminismViolationError / ReplayError is thrown from the harness call). Replays go
 * through one long-lived replay worker per bundle (`Worker.runReplayHistories` fed by a queue,
 * ~15 ms per replay; it stops after 1 s idle) or, with `freshWorkerPerReplay`, through
 * `Worker.runReplayHistory` (~70 ms). The history ends with WorkflowTaskStarted when a step
 * replays, so the last workflow task runs live (`isReplaying === false`); the interceptor module
 * `./interceptors.ts` (bundled in via `workflowInterceptorModules`) hands its commands out through
 * the `harness` sink. The harness then writes the events a server would write for them (timer
 * started/canceled, activity scheduled/started/completed|failed — running the REAL activity function
 * in-process via MockActivityEnvironment —, marker, workflow completed/failed/continued-as-new) and
 * repeats until the workflow is blocked on timers/conditions/signals only, or closed.
 *
 * API
 *   const bundle = await WorkflowHarness.bundle(workflowsPath)      // cached per path, ~1 s
 *   const h = await WorkflowHarness.start({ workflowsPath, workflowType, args, activities, startTime, bundle? })
 *   h.now(): Date                          workflow clock (= last WorkflowTaskStarted.eventTime; see advanceTo)
 *   h.settle()                             run workflow tasks + activities until blocked/closed (start() already settles)
 *   h.pendingTimers()                      [{ seq, fireAt, durationMs }] sorted by fireAt, seq
 *   h.fireNextTimer(): Promise<Date>       clock := earliest timer's fireAt, TimerFired, settle; returns clock
 *   h.advanceTo(t)                         fire every timer due <= t (one workflow task each, in order), then
 *                                          clock := t (unless the workflow closed on the way: clock stays at close)
 *   h.signal(name, ...args)                WorkflowExecutionSignaled at the current clock, settle
 *   h.upgrade({ workflowType?, bundle? })  replay the same history with other code from now on (simulate a deploy)
 *   h.activityCalls  [{ name, args, at, activityId, result?, error? }]
 *   h.commands       ['startTimer 86400000', 'scheduleActivity remind', 'cancelTimer 2', 'setPatchMarker id',
 *                     'completeWorkflow' | 'failWorkflow' | 'continueAsNew', ...]
 *   h.status ('running' | 'completed' | 'failed' | 'continuedAsNew'), h.result, h.failure ('msg: cause msg'),
 *   h.continueAsNewArgs, h.continueAsNewWorkflowType, h.stats { replays, replayMs, lastReplayMs }
 *   h.history()                            copy of the history so far (a closed one ends with the close event)
 *   replayHistory(bundle, history, { workflowType? })   determinism check of any history, fresh replay worker;
 *                                          workflowType replays it against another exported function
 *   WorkflowHarness.shutdown()             stop the shared replay workers (optional, e.g. in afterAll)
 *
 * Errors: a harness call rejects with DeterminismViolationError (code does not match the history),
 * WorkflowTaskFailedError (workflow code threw a non-Temporal error, e.g. TypeError: a real worker
 * would retry the task forever) or Error('harness: ...') for unsupported commands / misuse. After
 * such an error the instance is unusable.
 *
 * Semantics / simplifications
 *   - Activities complete at the clock instant they were scheduled (they never advance time), one
 *     attempt only: a thrown error becomes ActivityTaskFailed (no retries), the workflow sees an
 *     ActivityFailure whose cause is the converted error (ApplicationFailure for plain Errors). An
 *     activity missing from `activities` fails with type 'NotFoundError'. All activities scheduled in
 *     one workflow task run sequentially in schedule order and are reported in the next task.
 *   - Timers fire one per workflow task, in (fireAt, seq) order. Timer and activity seq count
 *     separately; timerId = String(seq), activityId = the command's activityId (default String(seq)).
 *   - A timer started and cancelled in the same workflow task produces no events (as in Core).
 *   - Core's "move terminal commands last" ordering is applied to the recorded commands.
 *   - The first WorkflowTaskCompleted records core flags 1 (activity id/type checks: replay then also
 *     rejects a renamed activity) and 3; lang flags are those the workflow actually used.
 *   - Patch markers (`patched()`), search attribute upserts and memo changes are recorded; child
 *     workflows, local activities, activity cancellation, external signals, updates, Nexus and
 *     queries are not supported (an error names the command).
 *   - workflowInfo().historyLength / historySize are real; continueAsNewSuggested follows
 *     `suggestContinueAsNewAfterEvents`.
 *   - Not concurrency-safe per instance: await each call before the next one. Instances may share a
 *     bundle; their replays are serialized.
 */
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type InjectedSinks,
  type WorkflowBundle,
} from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  ApplicationFailure,
  defaultFailureConverter,
  defaultPayloadConverter,
  type Logger,
} from '@temporalio/common';
import { temporal, type coresdk } from '@temporalio/proto';
import type { HarnessSinks } from './interceptors';

type IHistoryEvent = temporal.api.history.v1.IHistoryEvent;
type IHistory = temporal.api.history.v1.IHistory;
type IPayload = temporal.api.common.v1.IPayload;
type IWorkflowCommand = coresdk.workflow_commands.IWorkflowCommand;
const EventType = temporal.api.enums.v1.EventType;
/** protobufjs 8 types int64 fields as Long only; plain numbers encode fine. */
type Int64 = NonNullable<IHistoryEvent['eventId']>;
const i64 = (n: number): Int64 => n as unknown as Int64;
type Duration = { seconds: Int64; nanos: number };

export type { WorkflowBundle };
export type ActivityFn = (...a: any[]) => Promise<unknown>;

export interface HarnessOptions {
  /** Module exporting the workflows (absolute path). */
  workflowsPath: string;
  /** Exported workflow function name. */
  workflowType: string;
  args: unknown[];
  /** Real activity functions, run in-process (MockActivityEnvironment) when the workflow schedules them. */
  activities: Record<string, ActivityFn>;
  /** Clock of the first workflow task. */
  startTime: Date;
  taskQueue?: string;
  /** Default 'harness-workflow'. */
  workflowId?: string;
  /** Replay with a fresh `Worker.runReplayHistory` each step instead of the shared replay worker (slower). */
  freshWorkerPerReplay?: boolean;
  /** Set WorkflowTaskStarted.suggestContinueAsNew once the history has at least this many events. */
  suggestContinueAsNewAfterEvents?: number;
}

export type HarnessStatus = 'running' | 'completed' | 'failed' | 'continuedAsNew';

export interface ActivityCall {
  name: string;
  args: unknown[];
  at: Date;
  activityId: string;
  result?: unknown;
  error?: string;
}

export interface PendingTimer {
  seq: number;
  fireAt: Date;
  durationMs: number;
}

const IDENTITY = 'workflow-harness';
const WFT_TIMEOUT: Duration = { seconds: i64(10), nanos: 0 };
/** Core flags written on the first WorkflowTaskCompleted: 1 = IdAndTypeDeterminismChecks, 3 = MoveTerminalCommands.
 * (2 = UpsertSearchAttributeOnPatch is left out: Core would then add an upsert command lang never sees.) */
const CORE_FLAGS = [1, 3];
const TERMINAL = new Set([
  'completeWorkflowExecution',
  'failWorkflowExecution',
  'continueAsNewWorkflowExecution',
  'cancelWorkflowExecution',
]);

const silentLogger: Logger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

// ---------------------------------------------------------------------------------------------
// Bundling and replay

const INTERCEPTORS_PATH = fileURLToPath(new URL('./interceptors.ts', import.meta.url));
const bundleCache = new Map<string, Promise<WorkflowBundle>>();

/** Bundle `workflowsPath` with the harness interceptor module (cached per path and process). */
export function bundleForHarness(workflowsPath: string): Promise<WorkflowBundle> {
  let cached = bundleCache.get(workflowsPath);
  if (!cached) {
    cached = bundleWorkflowCode({
      workflowsPath,
      workflowInterceptorModules: [INTERCEPTORS_PATH],
      logger: silentLogger,
    }).then((b) => ({ code: b.code }));
    bundleCache.set(workflowsPath, cached);
    cached.catch(() => bundleCache.delete(workflowsPath));
  }
  return cached;
}

type SinkEvent =
  | { kind: 'activation'; isReplaying: boolean; commands: IWorkflowCommand[]; usedFlags: number[] }
  | { kind: 'started'; isReplaying: boolean }
  | { kind: 'taskError'; message: string };

/** Thrown when the live workflow task failed (workflow code threw a non-Temporal error: a real worker would retry it forever). */
export class WorkflowTaskFailedError extends Error {
  override name = 'WorkflowTaskFailedError';
}

/**
 * Every replay worker logs 4-5 INFO lines; install a WARN-level runtime logger once, unless the
 * process already created a Runtime or HARNESS_VERBOSE is set. (Core's own nondeterminism warning
 * still goes to stderr.)
 */
function quietRuntimeOnce(): void {
  if (Runtime._instance !== undefined || process.env.HARNESS_VERBOSE) return;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  } catch {
    // another module installed a runtime first: keep it
  }
}

function harnessSinks(on: (e: SinkEvent) => void): InjectedSinks<HarnessSinks> {
  return {
    harness: {
      activation: {
        fn: (_info, isReplaying, commands, usedFlags) =>
          on({ kind: 'activation', isReplaying, commands: commands as IWorkflowCommand[], usedFlags }),
        callDuringReplay: true,
      },
      activationStarted: { fn: (_info, isReplaying) => on({ kind: 'started', isReplaying }), callDuringReplay: true },
      taskError: { fn: (_info, message) => on({ kind: 'taskError', message }), callDuringReplay: true },
    },
  };
}

/** One-off replay with a fresh replay worker (what `replayHistory` uses). */
async function runReplay(
  bundle: WorkflowBundle,
  history: IHistory,
  workflowId: string,
  onActivation: (e: SinkEvent) => void
): Promise<void> {
  quietRuntimeOnce();
  await Worker.runReplayHistory(
    { workflowBundle: bundle, sinks: harnessSinks(onActivation), replayName: 'harness' },
    history,
    workflowId
  );
}

type HistoryAndWorkflowId = { history: IHistory; workflowId: string };

/**
 * A long-lived replay worker per bundle (`Worker.runReplayHistories` fed by a queue): saves the
 * worker/sandbox/runtime start-up on every step. Replays are serialized. The session closes itself
 * after IDLE_MS without use (so nothing keeps the test process alive) and restarts on demand.
 */
class ReplaySession {
  private static readonly IDLE_MS = 1000;
  private static readonly sessions = new Map<WorkflowBundle, ReplaySession>();

  static for(bundle: WorkflowBundle): ReplaySession {
    let s = ReplaySession.sessions.get(bundle);
    if (!s || s.closed) {
      s = new ReplaySession(bundle);
      ReplaySession.sessions.set(bundle, s);
    }
    return s;
  }

  static async closeAll(): Promise<void> {
    const all = [...ReplaySession.sessions.values()];
    ReplaySession.sessions.clear();
    await Promise.all(all.map((s) => s.close()));
  }

  private readonly iter: AsyncIterableIterator<{ error?: unknown }>;
  private readonly queued: HistoryAndWorkflowId[] = [];
  private waiting?: (r: IteratorResult<HistoryAndWorkflowId>) => void;
  private onActivation?: (e: SinkEvent) => void;
  private chain: Promise<unknown> = Promise.resolve();
  private idleTimer?: NodeJS.Timeout;
  closed = false;

  private constructor(bundle: WorkflowBundle) {
    quietRuntimeOnce();
    const source: AsyncIterable<HistoryAndWorkflowId> = {
      [Symbol.asyncIterator]: () => ({ next: () => this.pull() }),
    };
    this.iter = Worker.runReplayHistories(
      { workflowBundle: bundle, sinks: harnessSinks((e) => this.onActivation?.(e)), replayName: 'harness' },
      source as any
    );
  }

  private pull(): Promise<IteratorResult<HistoryAndWorkflowId>> {
    const item = this.queued.shift();
    if (item) return Promise.resolve({ value: item, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  replay(history: IHistory, workflowId: string, onActivation: (e: SinkEvent) => void): Promise<void> {
    const run = async () => {
      if (this.closed) throw new Error('harness: replay session closed');
      clearTimeout(this.idleTimer);
      this.onActivation = onActivation;
      try {
        const item = { history, workflowId };
        if (this.waiting) {
          const w = this.waiting;
          this.waiting = undefined;
          w({ value: item, done: false });
        } else {
          this.queued.push(item);
        }
        let r: IteratorResult<{ error?: unknown }>;
        try {
          r = await this.iter.next();
        } catch (err) {
          this.closed = true; // the replay worker itself died: the next replay starts a new one
          throw err;
        }
        if (r.done) {
          this.closed = true;
          throw new Error('harness: replay worker stopped');
        }
        if (r.value.error) throw r.value.error;
      } finally {
        this.onActivation = undefined;
        this.idleTimer = setTimeout(() => void this.close(), ReplaySession.IDLE_MS);
      }
    };
    const p = this.chain.then(run, run);
    this.chain = p.catch(() => undefined);
    return p;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.idleTimer);
    for (const [b, s] of ReplaySession.sessions) if (s === this) ReplaySession.sessions.delete(b);
    await this.chain;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: undefined, done: true });
    }
    await this.iter.return?.(undefined).catch(() => undefined);
  }
}

/**
 * Replay a (complete or partial) history against a bundle; throws DeterminismViolationError /
 * ReplayError on mismatch. `workflowType` replaces the history's workflow type (to replay the
 * history against another exported function, i.e. "changed code"). Works with bundles from
 * `WorkflowHarness.bundle` (the harness sink is registered as a no-op) and plain bundles.
 */
export async function replayHistory(
  bundle: WorkflowBundle,
  history: IHistory,
  opts: { workflowType?: string; workflowId?: string } = {}
): Promise<void> {
  const h = opts.workflowType ? withWorkflowType(history, opts.workflowType) : history;
  await runReplay(bundle, h, opts.workflowId ?? 'harness-workflow', () => {});
}

function withWorkflowType(history: IHistory, workflowType: string): IHistory {
  const events = [...(history.events ?? [])];
  const first = events[0];
  events[0] = {
    ...first,
    workflowExecutionStartedEventAttributes: {
      ...first.workflowExecutionStartedEventAttributes,
      workflowType: { name: workflowType },
    },
  };
  return { events };
}

// ---------------------------------------------------------------------------------------------
// Conversions

function toNum(v: unknown): number {
  if (v == null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return Number(v);
  const o = v as { toNumber?: () => number; low?: number; high?: number; unsigned?: boolean };
  if (typeof o.toNumber === 'function') return o.toNumber();
  if (typeof o.low === 'number' && typeof o.high === 'number') {
    // structuredClone of a Long loses its prototype: rebuild from the two 32-bit halves
    return o.high * 2 ** 32 + (o.low >>> 0);
  }
  return Number(v);
}

function durationToMs(d: { seconds?: unknown; nanos?: unknown } | null | undefined): number {
  if (!d) return 0;
  return toNum(d.seconds) * 1000 + Math.floor(toNum(d.nanos) / 1e6);
}

function msToDuration(ms: number): Duration {
  return { seconds: i64(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

function dateToTs(d: Date): Duration {
  return msToDuration(d.getTime());
}

/** Copy a payload that came out of the workflow sandbox (other realm, structured clone) into this realm. */
function copyPayload(p: IPayload): IPayload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = new Uint8Array(v as Uint8Array);
  return { metadata, data: p.data ? new Uint8Array(p.data) : new Uint8Array() };
}

function copyPayloads(ps: IPayload[] | null | undefined): IPayload[] {
  return (ps ?? []).map(copyPayload);
}

function fromPayloads(ps: IPayload[] | null | undefined): unknown[] {
  return (ps ?? []).map((p) => defaultPayloadConverter.fromPayload(p as any));
}

/** Deep copy of protobuf-ish plain data from the sandbox (Long -> number, typed arrays copied). */
function plain<T>(v: T): T {
  if (v == null || typeof v !== 'object') return v;
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice() as T;
  if (Array.isArray(v)) return v.map(plain) as T;
  const o = v as Record<string, unknown>;
  if (typeof o.low === 'number' && typeof o.high === 'number' && 'unsigned' in o) return toNum(o) as T;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = plain(x);
  return out as T;
}

function failureText(f: temporal.api.failure.v1.IFailure | null | undefined): string {
  const parts: string[] = [];
  for (let cur = f; cur; cur = cur.cause) parts.push(cur.message ?? '');
  return parts.join(': ');
}

function commandName(cmd: IWorkflowCommand): string {
  const key = Object.keys(cmd).find((k) => k !== 'userMetadata' && (cmd as any)[k] != null);
  if (!key) throw new Error(`harness: empty workflow command ${JSON.stringify(cmd)}`);
  return key;
}

// ---------------------------------------------------------------------------------------------
// Harness

interface TimerState extends PendingTimer {
  startedEventId: number;
}

interface ScheduledActivity {
  seq: number;
  activityId: string;
  name: string;
  args: unknown[];
  scheduledEventId: number;
  startToCloseTimeoutMs: number;
  scheduleToCloseTimeoutMs: number;
  heartbeatTimeoutMs?: number;
}

let runCounter = 0;

export class WorkflowHarness {
  /** Bundle once per test file (cached by path). */
  static bundle(workflowsPath: string): Promise<WorkflowBundle> {
    return bundleForHarness(workflowsPath);
  }

  /** Stop the shared replay workers (optional, e.g. in afterAll; they also stop after 1 s idle). */
  static shutdown(): Promise<void> {
    return ReplaySession.closeAll();
  }

  /** Write the start event + first workflow task at `startTime`, then settle(). */
  static async start(opts: HarnessOptions & { bundle?: WorkflowBundle }): Promise<WorkflowHarness> {
    const bundle = opts.bundle ?? (await bundleForHarness(opts.workflowsPath));
    const h = new WorkflowHarness(opts, bundle);
    await h.settle();
    return h;
  }

  /** Every activity execution, in order. */
  readonly activityCalls: ActivityCall[] = [];
  /** Readable log of every recorded command, e.g. 'startTimer 86400000', 'scheduleActivity remind'. */
  readonly commands: string[] = [];
  /** Number of replays and total time spent in them. */
  readonly stats = { replays: 0, replayMs: 0, lastReplayMs: 0 };

  private _status: HarnessStatus = 'running';
  private _result: unknown;
  private _failure?: string;
  private _continueAsNewArgs?: unknown[];
  private _continueAsNewWorkflowType?: string;
  private brokenBy?: unknown;

  private readonly events: IHistoryEvent[] = [];
  private clock: Date;
  private readonly timers = new Map<number, TimerState>();
  private wftPending = false;
  private firstWftCompleted = false;
  private readonly langFlagsRecorded = new Set<number>();
  private readonly workflowId: string;
  private readonly runId: string;
  private readonly taskQueue: string;
  private replayWorkflowType?: string;

  private constructor(
    private readonly opts: HarnessOptions,
    private bundleInUse: WorkflowBundle
  ) {
    this.clock = new Date(opts.startTime.getTime());
    this.workflowId = opts.workflowId ?? 'harness-workflow';
    this.taskQueue = opts.taskQueue ?? 'harness-task-queue';
    runCounter++;
    this.runId = `00000000-0000-4000-8000-${runCounter.toString(16).padStart(12, '0')}`;
    this.add(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, {
      workflowExecutionStartedEventAttributes: {
        workflowType: { name: opts.workflowType },
        taskQueue: { name: this.taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        input: { payloads: opts.args.map((a) => defaultPayloadConverter.toPayload(a)) },
        workflowTaskTimeout: WFT_TIMEOUT,
        originalExecutionRunId: this.runId,
        firstExecutionRunId: this.runId,
        attempt: 1,
        identity: IDENTITY,
        header: { fields: {} },
      },
    });
    this.scheduleWorkflowTask();
  }

  get status(): HarnessStatus {
    return this._status;
  }
  /** Completion result (decoded). */
  get result(): unknown {
    return this._result;
  }
  /** Failure message chain ('outer: cause: ...') when status === 'failed'. */
  get failure(): string | undefined {
    return this._failure;
  }
  get continueAsNewArgs(): unknown[] | undefined {
    return this._continueAsNewArgs;
  }
  get continueAsNewWorkflowType(): string | undefined {
    return this._continueAsNewWorkflowType;
  }

  /** Current workflow clock. */
  now(): Date {
    return new Date(this.clock.getTime());
  }

  /** Copy of the history so far (plain protobuf-shaped objects, numeric eventType). */
  history(): IHistory {
    return { events: structuredClone(this.events) };
  }

  pendingTimers(): PendingTimer[] {
    return [...this.timers.values()]
      .sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime() || a.seq - b.seq)
      .map(({ seq, fireAt, durationMs }) => ({ seq, fireAt: new Date(fireAt.getTime()), durationMs }));
  }

  /** Replay subsequent steps with other code (another exported function name and/or another bundle). */
  upgrade(to: { workflowType?: string; bundle?: WorkflowBundle }): void {
    if (to.workflowType) this.replayWorkflowType = to.workflowType;
    if (to.bundle) this.bundleInUse = to.bundle;
  }

  /**
   * Run workflow task after workflow task (executing every scheduled activity) until the workflow
   * is blocked on timers/conditions/signals only, or closed.
   */
  async settle(): Promise<void> {
    this.assertUsable();
    try {
      while (this._status === 'running' && this.wftPending) {
        const { commands, usedFlags } = await this.replayLastTask();
        this.completeWorkflowTask(usedFlags);
        const scheduled = this.applyCommands(commands);
        if (this._status !== 'running' || scheduled.length === 0) break;
        for (const act of scheduled) await this.runActivity(act);
        this.scheduleWorkflowTask();
      }
    } catch (err) {
      this.brokenBy = err;
      throw err;
    }
  }

  /** Advance the clock to the earliest pending timer, fire it, settle(). Returns the new clock. */
  async fireNextTimer(): Promise<Date> {
    this.assertRunning('fireNextTimer');
    const next = this.pendingTimers()[0];
    if (!next) throw new Error('harness: fireNextTimer() but no timer is pending');
    const timer = this.timers.get(next.seq)!;
    if (timer.fireAt > this.clock) this.clock = new Date(timer.fireAt.getTime());
    this.timers.delete(timer.seq);
    this.add(EventType.EVENT_TYPE_TIMER_FIRED, {
      timerFiredEventAttributes: { timerId: String(timer.seq), startedEventId: i64(timer.startedEventId) },
    });
    this.scheduleWorkflowTask();
    await this.settle();
    return this.now();
  }

  /** Fire every timer due at or before `t` (in order, each followed by settle()), then set the clock to `t`. */
  async advanceTo(t: Date): Promise<void> {
    this.assertUsable();
    if (t < this.clock) throw new Error(`harness: advanceTo(${t.toISOString()}) is before now (${this.clock.toISOString()})`);
    for (;;) {
      if (this._status !== 'running') return;
      const next = this.pendingTimers()[0];
      if (!next || next.fireAt > t) break;
      await this.fireNextTimer();
    }
    if (t > this.clock) this.clock = new Date(t.getTime());
  }

  /** Deliver a signal at the current clock, then settle(). */
  async signal(name: string, ...args: unknown[]): Promise<void> {
    this.assertRunning(`signal(${name})`);
    this.add(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, {
      workflowExecutionSignaledEventAttributes: {
        signalName: name,
        input: { payloads: args.map((a) => defaultPayloadConverter.toPayload(a)) },
        identity: IDENTITY,
        header: { fields: {} },
      },
    });
    this.scheduleWorkflowTask();
    await this.settle();
  }

  // -------------------------------------------------------------------------------------------

  private assertUsable(): void {
    if (this.brokenBy !== undefined) {
      throw new Error(`harness: unusable after an earlier error: ${String((this.brokenBy as Error)?.message ?? this.brokenBy)}`);
    }
  }

  private assertRunning(what: string): void {
    this.assertUsable();
    if (this._status !== 'running') throw new Error(`harness: ${what} but the workflow is ${this._status}`);
  }

  private add(eventType: temporal.api.enums.v1.EventType, attrs: Partial<IHistoryEvent>): number {
    const eventId = this.events.length + 1;
    this.events.push({ eventId: i64(eventId), eventTime: dateToTs(this.clock), eventType, ...attrs });
    return eventId;
  }

  private lastWftStartedId = 0;

  private scheduleWorkflowTask(): void {
    const scheduledEventId = this.add(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, {
      workflowTaskScheduledEventAttributes: {
        taskQueue: { name: this.taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        startToCloseTimeout: WFT_TIMEOUT,
        attempt: 1,
      },
    });
    const threshold = this.opts.suggestContinueAsNewAfterEvents;
    this.lastWftStartedId = this.add(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, {
      workflowTaskStartedEventAttributes: {
        scheduledEventId: i64(scheduledEventId),
        identity: IDENTITY,
        requestId: `req-${scheduledEventId}`,
        suggestContinueAsNew: threshold !== undefined && scheduledEventId + 1 >= threshold,
        // like the server: size of the history before this event (workflowInfo().historySize)
        historySizeBytes: i64(temporal.api.history.v1.History.encode({ events: this.events }).finish().length),
      },
    });
    this.wftPending = true;
  }

  private completeWorkflowTask(usedFlags: number[]): number {
    const newLang = usedFlags.filter((f) => !this.langFlagsRecorded.has(f));
    newLang.forEach((f) => this.langFlagsRecorded.add(f));
    const id = this.add(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, {
      workflowTaskCompletedEventAttributes: {
        scheduledEventId: i64(this.lastWftStartedId - 1),
        startedEventId: i64(this.lastWftStartedId),
        identity: IDENTITY,
        sdkMetadata: {
          coreUsedFlags: this.firstWftCompleted ? [] : CORE_FLAGS,
          langUsedFlags: newLang,
        },
      },
    });
    this.firstWftCompleted = true;
    this.wftPending = false;
    return id;
  }

  /** Replay the whole history; return the commands of the last (non-replaying) workflow task. */
  private async replayLastTask(): Promise<{ commands: IWorkflowCommand[]; usedFlags: number[] }> {
    const commands: IWorkflowCommand[] = [];
    const usedFlags = new Set<number>();
    let liveStarted = 0;
    let liveConcluded = 0;
    let lastTaskError: string | undefined;
    const history = this.replayWorkflowType
      ? withWorkflowType({ events: this.events }, this.replayWorkflowType)
      : { events: this.events };
    const onActivation = (e: SinkEvent) => {
      if (e.kind === 'taskError') lastTaskError = e.message;
      if (e.kind === 'started' && !e.isReplaying) liveStarted++;
      if (e.kind !== 'activation' || e.isReplaying) return;
      liveConcluded++;
      commands.push(...e.commands.map(plain));
      e.usedFlags.forEach((f) => usedFlags.add(f));
    };
    const t0 = performance.now();
    if (this.opts.freshWorkerPerReplay) {
      await runReplay(this.bundleInUse, history, this.workflowId, onActivation);
    } else {
      await ReplaySession.for(this.bundleInUse).replay(history, this.workflowId, onActivation);
    }
    const ms = performance.now() - t0;
    this.stats.replays++;
    this.stats.replayMs += ms;
    this.stats.lastReplayMs = ms;
    if (liveStarted > liveConcluded) {
      throw new WorkflowTaskFailedError(
        `harness: the workflow task failed at ${this.clock.toISOString()} (a real worker would retry it forever): ` +
          (lastTaskError ?? 'unknown error')
      );
    }
    if (liveConcluded === 0) {
      throw new Error('harness: replay produced no live (non-replaying) activation for the last workflow task');
    }
    return { commands, usedFlags: [...usedFlags] };
  }

  /** Turn one workflow task's commands into history events; returns the newly scheduled activities. */
  private applyCommands(raw: IWorkflowCommand[]): ScheduledActivity[] {
    const wftCompletedId = this.events.length; // the WorkflowTaskCompleted just written
    // Core (flag MoveTerminalCommands): non-terminal commands first, then the first terminal one.
    const nonTerminal = raw.filter((c) => !TERMINAL.has(commandName(c)));
    const terminal = raw.find((c) => TERMINAL.has(commandName(c)));
    const cmds = terminal ? [...nonTerminal, terminal] : nonTerminal;
    // A timer started and cancelled within the same task never reaches the server.
    const startedHere = new Set(cmds.filter((c) => c.startTimer).map((c) => toNum(c.startTimer!.seq)));
    const cancelledHere = new Set(
      cmds.filter((c) => c.cancelTimer && startedHere.has(toNum(c.cancelTimer.seq))).map((c) => toNum(c.cancelTimer!.seq))
    );
    const scheduled: ScheduledActivity[] = [];

    for (const cmd of cmds) {
      const name = commandName(cmd);
      switch (name) {
        case 'startTimer': {
          const c = cmd.startTimer!;
          const seq = toNum(c.seq);
          const durationMs = durationToMs(c.startToFireTimeout);
          this.commands.push(`startTimer ${durationMs}`);
          if (cancelledHere.has(seq)) break;
          const startedEventId = this.add(EventType.EVENT_TYPE_TIMER_STARTED, {
            timerStartedEventAttributes: {
              timerId: String(seq),
              startToFireTimeout: msToDuration(durationMs),
              workflowTaskCompletedEventId: i64(wftCompletedId),
            },
          });
          this.timers.set(seq, {
            seq,
            durationMs,
            fireAt: new Date(this.clock.getTime() + durationMs),
            startedEventId,
          });
          break;
        }
        case 'cancelTimer': {
          const seq = toNum(cmd.cancelTimer!.seq);
          this.commands.push(`cancelTimer ${seq}`);
          if (cancelledHere.has(seq)) break;
          const timer = this.timers.get(seq);
          if (!timer) throw new Error(`harness: cancelTimer for unknown timer seq ${seq}`);
          this.timers.delete(seq);
          this.add(EventType.EVENT_TYPE_TIMER_CANCELED, {
            timerCanceledEventAttributes: {
              timerId: String(seq),
              startedEventId: i64(timer.startedEventId),
              workflowTaskCompletedEventId: i64(wftCompletedId),
              identity: IDENTITY,
            },
          });
          break;
        }
        case 'scheduleActivity': {
          const c = cmd.scheduleActivity!;
          const seq = toNum(c.seq);
          const activityId = c.activityId || String(seq);
          const type = c.activityType ?? '';
          this.commands.push(`scheduleActivity ${type}`);
          const input = copyPayloads(c.arguments);
          const scheduledEventId = this.add(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, {
            activityTaskScheduledEventAttributes: {
              activityId,
              activityType: { name: type },
              taskQueue: { name: c.taskQueue || this.taskQueue },
              header: { fields: c.headers ?? {} },
              input: { payloads: input },
              scheduleToCloseTimeout: c.scheduleToCloseTimeout,
              scheduleToStartTimeout: c.scheduleToStartTimeout,
              startToCloseTimeout: c.startToCloseTimeout,
              heartbeatTimeout: c.heartbeatTimeout,
              retryPolicy: c.retryPolicy,
              workflowTaskCompletedEventId: i64(wftCompletedId),
            },
          });
          scheduled.push({
            seq,
            activityId,
            name: type,
            args: fromPayloads(input),
            scheduledEventId,
            startToCloseTimeoutMs: durationToMs(c.startToCloseTimeout),
            scheduleToCloseTimeoutMs: durationToMs(c.scheduleToCloseTimeout),
            heartbeatTimeoutMs: c.heartbeatTimeout ? durationToMs(c.heartbeatTimeout) : undefined,
          });
          break;
        }
        case 'completeWorkflowExecution': {
          const result = cmd.completeWorkflowExecution!.result;
          this.commands.push('completeWorkflow');
          this.add(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, {
            workflowExecutionCompletedEventAttributes: {
              result: { payloads: result ? [copyPayload(result)] : [] },
              workflowTaskCompletedEventId: i64(wftCompletedId),
            },
          });
          this._result = result ? defaultPayloadConverter.fromPayload(copyPayload(result) as any) : undefined;
          this._status = 'completed';
          break;
        }
        case 'failWorkflowExecution': {
          const failure = cmd.failWorkflowExecution!.failure;
          this.commands.push('failWorkflow');
          this.add(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, {
            workflowExecutionFailedEventAttributes: {
              failure,
              retryState: temporal.api.enums.v1.RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET,
              workflowTaskCompletedEventId: i64(wftCompletedId),
            },
          });
          this._failure = failureText(failure);
          this._status = 'failed';
          break;
        }
        case 'continueAsNewWorkflowExecution': {
          const c = cmd.continueAsNewWorkflowExecution!;
          this.commands.push('continueAsNew');
          const input = copyPayloads(c.arguments);
          const workflowType = c.workflowType || this.opts.workflowType;
          this.add(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, {
            workflowExecutionContinuedAsNewEventAttributes: {
              newExecutionRunId: `${this.runId.slice(0, -4)}cafe`,
              workflowType: { name: workflowType },
              taskQueue: { name: c.taskQueue || this.taskQueue },
              input: { payloads: input },
              workflowRunTimeout: c.workflowRunTimeout,
              workflowTaskTimeout: c.workflowTaskTimeout ?? WFT_TIMEOUT,
              workflowTaskCompletedEventId: i64(wftCompletedId),
              initiator: temporal.api.enums.v1.ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_WORKFLOW,
              header: { fields: c.headers ?? {} },
              memo: c.memo ? { fields: c.memo } : undefined,
              searchAttributes: c.searchAttributes ?? undefined,
            },
          });
          this._continueAsNewArgs = fromPayloads(input);
          this._continueAsNewWorkflowType = workflowType;
          this._status = 'continuedAsNew';
          break;
        }
        case 'setPatchMarker': {
          const c = cmd.setPatchMarker!;
          this.commands.push(`setPatchMarker ${c.patchId}`);
          this.add(EventType.EVENT_TYPE_MARKER_RECORDED, {
            markerRecordedEventAttributes: {
              markerName: 'core_patch',
              details: {
                'patch-data': {
                  payloads: [defaultPayloadConverter.toPayload({ id: c.patchId, deprecated: !!c.deprecated })],
                },
              },
              workflowTaskCompletedEventId: i64(wftCompletedId),
            },
          });
          break;
        }
        case 'upsertWorkflowSearchAttributes': {
          this.commands.push('upsertSearchAttributes');
          this.add(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, {
            upsertWorkflowSearchAttributesEventAttributes: {
              searchAttributes: cmd.upsertWorkflowSearchAttributes!.searchAttributes,
              workflowTaskCompletedEventId: i64(wftCompletedId),
            },
          });
          break;
        }
        case 'modifyWorkflowProperties': {
          this.commands.push('modifyWorkflowProperties');
          this.add(EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED, {
            workflowPropertiesModifiedEventAttributes: {
              upsertedMemo: cmd.modifyWorkflowProperties!.upsertedMemo,
              workflowTaskCompletedEventId: i64(wftCompletedId),
            },
          });
          break;
        }
        default:
          throw new Error(`harness: workflow command '${name}' is not supported by the harness`);
      }
    }
    return scheduled;
  }

  /** Run the real activity function, append ActivityTaskStarted + Completed/Failed. */
  private async runActivity(act: ScheduledActivity): Promise<void> {
    const call: ActivityCall = { name: act.name, args: act.args, at: this.now(), activityId: act.activityId };
    this.activityCalls.push(call);
    const startedEventId = this.add(EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, {
      activityTaskStartedEventAttributes: {
        scheduledEventId: i64(act.scheduledEventId),
        identity: IDENTITY,
        requestId: `act-${act.scheduledEventId}`,
        attempt: 1,
      },
    });
    const fn = this.opts.activities[act.name];
    let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
    if (!fn) {
      outcome = {
        ok: false,
        error: ApplicationFailure.create({
          type: 'NotFoundError',
          message: `Activity function ${act.name} is not registered in the harness`,
          nonRetryable: true,
        }),
      };
    } else {
      const env = new MockActivityEnvironment(
        {
          activityId: act.activityId,
          activityType: act.name,
          workflowType: this.opts.workflowType,
          workflowExecution: { workflowId: this.workflowId, runId: this.runId },
          taskQueue: this.taskQueue,
          attempt: 1,
          scheduledTimestampMs: this.clock.getTime(),
          currentAttemptScheduledTimestampMs: this.clock.getTime(),
          startToCloseTimeoutMs: act.startToCloseTimeoutMs,
          scheduleToCloseTimeoutMs: act.scheduleToCloseTimeoutMs,
          heartbeatTimeoutMs: act.heartbeatTimeoutMs,
          isLocal: false,
        },
        { logger: silentLogger }
      );
      try {
        outcome = { ok: true, value: await env.run(fn, ...act.args) };
      } catch (error) {
        outcome = { ok: false, error };
      }
    }
    if (outcome.ok) {
      call.result = outcome.value;
      this.add(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, {
        activityTaskCompletedEventAttributes: {
          result: { payloads: [defaultPayloadConverter.toPayload(outcome.value)] },
          scheduledEventId: i64(act.scheduledEventId),
          startedEventId: i64(startedEventId),
          identity: IDENTITY,
        },
      });
    } else {
      const err = outcome.error;
      call.error = err instanceof Error ? err.message : String(err);
      const failure = defaultFailureConverter.errorToFailure(err, defaultPayloadConverter);
      const nonRetryable = !!failure.applicationFailureInfo?.nonRetryable;
      this.add(EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED, {
        activityTaskFailedEventAttributes: {
          failure,
          scheduledEventId: i64(act.scheduledEventId),
          startedEventId: i64(startedEventId),
          identity: IDENTITY,
          retryState: nonRetryable
            ? temporal.api.enums.v1.RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE
            : temporal.api.enums.v1.RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED,
        },
      });
    }
  }
}
