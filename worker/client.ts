// Tells the workflows that their plan changed. signalWithStart starts a workflow that is not
// running (a new project, a finished one whose dates moved) and signals one that is.
//
// The API has already stored the change when it tells the workflow, so telling must never make
// a request hang: each signal has a deadline (SIGNAL_DEADLINE_MS), and a change that could not be
// told is kept in the WorkflowSignal table and delivered by deliverPending() (every minute while
// Temporal is reachable, and when the worker starts). Project and year workflows also re-read their plans at least every 60 days (workflows/schedule.ts), the others daily.
import { readFileSync } from 'node:fs';
import { Client, Connection, WithStartWorkflowOperation, type ConnectionOptions } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { TemporalUnavailable, type UpdateTarget, type WorkflowNotifier } from '../services/notifier.js';
export { TemporalUnavailable, type WorkflowNotifier };
import type { PrismaClient } from '../prisma/db.js';
import { arende, arscykel, projectReporting, redovisning, styrelsemote } from '../workflows/index.js';
import { cycleWorkflowId, dischargeWorkflowId, matterWorkflowId, meetingWorkflowId, planChanged, reportingWorkflowId, statutoryWorkflowId } from '../workflows/signals.js';
import type { TemporalConfig } from './config.js';
import { keptSignals } from '../services/metrics.js';
import { logger } from './log.js';

export const SIGNAL_DEADLINE_MS = 750;
/**
 * The deadline of a signal sent in the background (the worker's reconciliation, kept changes):
 * nobody waits for it, and a busy Temporal (a national first start) may take seconds to persist a
 * new workflow; with the API's 750 ms every such start timed out and was kept for later instead.
 */
export const BACKGROUND_DEADLINE_MS = 15_000;
/** Signals in flight at once in the background. */
export const BACKGROUND_CONCURRENCY = 16;
/** After a signal failed, changes are kept without trying for this long (the retry loop delivers them). */
export const BACKOFF_MS = 15_000;

/** How long a person's action may wait for its workflow's answer (an activity that stores it, perhaps a mail). */
export const UPDATE_DEADLINE_MS = 20_000;

function sendUpdate<R, A extends [unknown]>(client: Client, taskQueue: string, target: UpdateTarget, def: UpdateDefinition<R, A>, args: A): Promise<R> {
  // A member's ansvarsfrihet is started by its chain only: an action reaches it while it runs.
  if ('dischargeId' in target) return client.connection.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () => client.workflow.getHandle(dischargeWorkflowId(target.dischargeId)).executeUpdate(def, { args }));
  const op =
    'meetingId' in target
      ? new WithStartWorkflowOperation(styrelsemote, { workflowId: meetingWorkflowId(target.meetingId), taskQueue, args: [{ meetingId: target.meetingId }], workflowIdConflictPolicy: 'USE_EXISTING' })
      : 'reportId' in target
        ? new WithStartWorkflowOperation(redovisning, { workflowId: statutoryWorkflowId(target.reportId), taskQueue, args: [{ reportId: target.reportId }], workflowIdConflictPolicy: 'USE_EXISTING' })
        : new WithStartWorkflowOperation(arende, { workflowId: matterWorkflowId(target.matterId), taskQueue, args: [{ matterId: target.matterId }], workflowIdConflictPolicy: 'USE_EXISTING' });
  return client.connection.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () => client.workflow.executeUpdateWithStart(def, { args, startWorkflowOperation: op as WithStartWorkflowOperation<typeof styrelsemote> }));
}

export type Target =
  | { kind: 'reporting'; projectId: string }
  | { kind: 'cycle'; forbundId: string; year: number }
  | { kind: 'meeting'; meetingId: string }
  | { kind: 'matter'; matterId: string }
  | { kind: 'statutory'; reportId: string };

const log = logger({ component: 'notifier' });

/** Sends one signal-with-start, bounded by the deadline. */
export function signaller(client: Client, taskQueue: string, deadlineMs = SIGNAL_DEADLINE_MS) {
  return (target: Target, reason: string) =>
    client.connection.withDeadline(Date.now() + deadlineMs, (): Promise<unknown> => {
      const signal = { taskQueue, signal: planChanged, signalArgs: [reason] as [string] };
      switch (target.kind) {
        case 'reporting':
          return client.workflow.signalWithStart(projectReporting, { ...signal, workflowId: reportingWorkflowId(target.projectId), args: [{ projectId: target.projectId }] });
        case 'cycle':
          return client.workflow.signalWithStart(arscykel, { ...signal, workflowId: cycleWorkflowId(target.forbundId), args: [{ forbundId: target.forbundId, year: target.year }] });
        case 'meeting':
          return client.workflow.signalWithStart(styrelsemote, { ...signal, workflowId: meetingWorkflowId(target.meetingId), args: [{ meetingId: target.meetingId }] });
        case 'matter':
          return client.workflow.signalWithStart(arende, { ...signal, workflowId: matterWorkflowId(target.matterId), args: [{ matterId: target.matterId }] });
        case 'statutory':
          return client.workflow.signalWithStart(redovisning, { ...signal, workflowId: statutoryWorkflowId(target.reportId), args: [{ reportId: target.reportId }] });
      }
    });
}

/** For code that runs without Temporal (benchmarks): every change is reported as not told. */
export const offlineNotifier: WorkflowNotifier = {
  reportingChanged: async () => false,
  cycleChanged: async () => false,
  meetingChanged: async () => false,
  matterChanged: async () => false,
  statutoryChanged: async () => false,
  reviewChanged: async () => false,
  update: async () => {
    throw new TemporalUnavailable('Temporal is not connected');
  },
};

export const targetKey = (t: Target) =>
  t.kind === 'reporting' ? `reporting:${t.projectId}`
  : t.kind === 'cycle' ? `cycle:${t.forbundId}`
  : t.kind === 'meeting' ? `meeting:${t.meetingId}`
  : t.kind === 'statutory' ? `statutory:${t.reportId}`
  : `matter:${t.matterId}`;
/** The workflow a target's changes go to. */
export const workflowIdOf = (t: Target) =>
  t.kind === 'reporting' ? reportingWorkflowId(t.projectId)
  : t.kind === 'cycle' ? cycleWorkflowId(t.forbundId)
  : t.kind === 'meeting' ? meetingWorkflowId(t.meetingId)
  : t.kind === 'statutory' ? statutoryWorkflowId(t.reportId)
  : matterWorkflowId(t.matterId);
const targetOf = (key: string, year: number | null): Target => {
  const [kind, id] = key.split(':');
  if (kind === 'reporting') return { kind, projectId: id };
  if (kind === 'meeting') return { kind, meetingId: id };
  if (kind === 'matter') return { kind, matterId: id };
  if (kind === 'statutory') return { kind, reportId: id };
  return { kind: 'cycle', forbundId: id, year: year ?? new Date().getFullYear() };
};

export interface OutboxNotifier extends WorkflowNotifier {
  /** Set (or clear) the client once Temporal is reachable. */
  connect(client: Client | undefined, taskQueue: string): void;
  /**
   * Delivers kept changes, the least tried first, then oldest first. A target that fails (a
   * workflow id Temporal refuses, …) has its attempts counted and is skipped, the others go on;
   * the round stops only when Temporal itself cannot be reached. Returns how many are still kept.
   */
  deliverPending(): Promise<number>;
}

/**
 * The product's notifier: signals within the deadline, or keeps the change for later. The deadline
 * is a person's (SIGNAL_DEADLINE_MS: a request does not wait longer); tests that need each change
 * told at once on a busy machine give the background's.
 */
export function outboxNotifier(prisma: PrismaClient, opts: { onKept?: () => void; signalDeadlineMs?: number } = {}): OutboxNotifier {
  const deadlineMs = opts.signalDeadlineMs ?? SIGNAL_DEADLINE_MS;
  let send: ReturnType<typeof signaller> | undefined;
  let connected: { client: Client; taskQueue: string } | undefined;
  let quietUntil = 0;
  async function notify(target: Target, reason: string): Promise<boolean> {
    if (send && Date.now() >= quietUntil) {
      try {
        await send(target, reason);
        return true;
      } catch (err) {
        quietUntil = Date.now() + BACKOFF_MS;
        log.warn('temporal unreachable; change kept for the workflow', { target: targetKey(target), error: (err as Error).message.split('\n')[0] });
      }
    }
    await prisma.workflowSignal.create({ data: { target: targetKey(target), reason, year: target.kind === 'cycle' ? target.year : null } });
    keptSignals.inc();
    opts.onKept?.();
    return false;
  }
  return {
    reportingChanged: (projectId, reason) => notify({ kind: 'reporting', projectId }, reason),
    cycleChanged: (forbundId, year, reason) => notify({ kind: 'cycle', forbundId, year }, reason),
    meetingChanged: (meetingId, reason) => notify({ kind: 'meeting', meetingId }, reason),
    matterChanged: (matterId, reason) => notify({ kind: 'matter', matterId }, reason),
    statutoryChanged: (reportId, reason) => notify({ kind: 'statutory', reportId }, reason),
    async reviewChanged(workflowId, reason) {
      if (!connected) return false;
      const { client } = connected;
      return client.connection
        .withDeadline(Date.now() + deadlineMs, () => client.workflow.getHandle(workflowId).signal(planChanged, reason))
        .then(() => true, () => false);
    },
    async update(target, def, args) {
      if (!connected) throw new TemporalUnavailable('Temporal is not connected');
      try {
        return await sendUpdate(connected.client, connected.taskQueue, target, def, args);
      } catch (err) {
        const name = (err as Error).name;
        if (name === 'WorkflowUpdateFailedError' || name === 'WorkflowUpdateRPCTimeoutOrCancelledError') throw err;
        throw new TemporalUnavailable((err as Error).message.split('\n')[0]);
      }
    },
    connect(client, taskQueue) {
      send = client ? signaller(client, taskQueue, deadlineMs) : undefined;
      connected = client ? { client, taskQueue } : undefined;
    },
    async deliverPending() {
      if (!connected) {
        const left = await prisma.workflowSignal.count();
        keptSignals.set(left);
        return left;
      }
      const sendLate = signaller(connected.client, connected.taskQueue, BACKGROUND_DEADLINE_MS);
      // Until nothing is kept but what failed in this call: 500 rows at a time, the least tried
      // first, then oldest first, BACKGROUND_CONCURRENCY targets at once. A target that fails (a
      // workflow id Temporal refuses …) is counted and skipped; only Temporal itself out of reach
      // ends the call.
      const failedHere = new Set<string>();
      let failed = 0;
      let unreachable = false;
      while (!unreachable) {
        const rows = await prisma.workflowSignal.findMany({ where: failedHere.size ? { target: { notIn: [...failedHere] } } : {}, orderBy: [{ attempts: 'asc' }, { createdAt: 'asc' }], take: 500 });
        if (!rows.length) break;
        // One signal tells the workflow of every change kept for it up to now: per target, the
        // latest change read here (all stored before its signal goes) is the bound of what it covers.
        const latest = new Map<string, { row: (typeof rows)[number]; upTo: Date }>();
        for (const row of rows) {
          const seen = latest.get(row.target);
          if (!seen) latest.set(row.target, { row, upTo: row.createdAt });
          else if (seen.upTo < row.createdAt) seen.upTo = row.createdAt;
        }
        const targets = [...latest.values()];
        for (let i = 0; i < targets.length && !unreachable; i += BACKGROUND_CONCURRENCY) {
          await Promise.all(
            targets.slice(i, i + BACKGROUND_CONCURRENCY).map(async ({ row, upTo }) => {
              try {
                await sendLate(targetOf(row.target, row.year), `${row.reason} (kept since ${row.createdAt.toISOString()})`);
                quietUntil = 0;
                await prisma.workflowSignal.deleteMany({ where: { target: row.target, createdAt: { lte: upTo } } });
              } catch (err) {
                const error = errorText(err);
                await prisma.workflowSignal.updateMany({ where: { target: row.target }, data: { attempts: { increment: 1 }, lastError: error } });
                failedHere.add(row.target);
                if (temporalUnreachable(err)) {
                  // Temporal itself: the rest waits for the next round rather than each its deadline.
                  quietUntil = Date.now() + BACKOFF_MS;
                  unreachable = true;
                  return;
                }
                failed++;
                log.warn('a kept change could not be delivered; skipped, the others go on, tried again next round', { target: row.target.slice(0, 120), attempts: row.attempts + 1, error });
              }
            }),
          );
        }
      }
      const left = await prisma.workflowSignal.count();
      keptSignals.set(left);
      if (failed) log.warn('kept changes not delivered', { targetsFailed: failed, left });
      return left;
    },
  };
}

/**
 * Starts (signal-with-start) the workflows the worker found not running, in the order given,
 * BACKGROUND_CONCURRENCY at once with the background deadline. What cannot be started now is kept
 * (WorkflowSignal, one insert) for the next delivery: everything left once Temporal is out of
 * reach, and each target Temporal refused. Returns how many were started and kept.
 */
export async function startMissing(prisma: PrismaClient, client: Client, taskQueue: string, targets: Target[], reason: string, stopped: () => boolean = () => false): Promise<{ started: number; kept: number }> {
  const send = signaller(client, taskQueue, BACKGROUND_DEADLINE_MS);
  const keep: Target[] = [];
  const startedKeys: string[] = [];
  // Changes kept before now are covered by a start: a workflow reads its whole plan when it starts.
  const before = new Date();
  let started = 0;
  let unreachable = false;
  let i = 0;
  for (; i < targets.length && !unreachable && !stopped(); i += BACKGROUND_CONCURRENCY) {
    await Promise.all(
      targets.slice(i, i + BACKGROUND_CONCURRENCY).map(async (t) => {
        try {
          await send(t, reason);
          started++;
          startedKeys.push(targetKey(t));
        } catch (err) {
          keep.push(t);
          if (temporalUnreachable(err)) unreachable = true;
          else log.warn('a workflow could not be started; kept and tried again', { target: targetKey(t).slice(0, 120), error: errorText(err) });
        }
      }),
    );
  }
  keep.push(...targets.slice(i));
  // A national first start after an import made while Temporal was away: thousands of kept changes
  // that would each be signalled again to a workflow that has just read its plan.
  for (let j = 0; j < startedKeys.length; j += 1000) await prisma.workflowSignal.deleteMany({ where: { target: { in: startedKeys.slice(j, j + 1000) }, createdAt: { lte: before } } });
  if (keep.length) {
    await prisma.workflowSignal.createMany({ data: keep.map((t) => ({ target: targetKey(t), reason, year: t.kind === 'cycle' ? t.year : null })) });
    keptSignals.inc(keep.length);
  }
  return { started, kept: keep.length };
}

/**
 * Drops the changes kept before `before` for workflows that neither run nor should by the
 * reconcile's rule (`wanted`: a withdrawn project's, a closed matter's, a meeting done with): each
 * would start, read its plan and end at once, and after a national import there are a thousand of
 * them. A change kept after `before` may be for something new since the rule was read, and stays.
 * Returns how many targets' changes were dropped.
 */
export async function dropMootKept(prisma: PrismaClient, client: Client, wanted: Set<string>, before: Date): Promise<number> {
  const rows = await prisma.workflowSignal.findMany({ where: { createdAt: { lte: before } }, select: { target: true, year: true }, distinct: ['target'] });
  const candidates = new Map<string, string>();
  for (const r of rows) {
    const id = workflowIdOf(targetOf(r.target, r.year));
    if (!wanted.has(id)) candidates.set(id, r.target);
  }
  if (!candidates.size) return 0;
  const { running } = await runningWorkflowIds(client, [...candidates.keys()]);
  const moot = [...candidates].filter(([id]) => !running.has(id)).map(([, target]) => target);
  for (let j = 0; j < moot.length; j += 1000) await prisma.workflowSignal.deleteMany({ where: { target: { in: moot.slice(j, j + 1000) }, createdAt: { lte: before } } });
  if (moot.length) keptSignals.set(await prisma.workflowSignal.count());
  return moot.length;
}

/** An error's first line, with its cause's (the client's "Failed to signalWithStart Workflow" says why only there). */
const errorText = (err: unknown) => {
  const e = err as Error & { cause?: Error };
  const first = (m: unknown) => String(m ?? '').split('\n')[0];
  return (first(e?.message) + (e?.cause?.message ? `: ${first(e.cause.message)}` : '')).slice(0, 300);
};

/** gRPC codes that say Temporal itself was not reached (not that it refused one workflow). */
const UNREACHABLE_CODES = new Set([1 /* CANCELLED */, 4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */]);

/** The error says Temporal could not be reached (down, unreachable, too slow), rather than that it refused a request. */
export function temporalUnreachable(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'number') return UNREACHABLE_CODES.has(e.code);
  }
  return /UNAVAILABLE|DEADLINE_EXCEEDED|ECONNREFUSED|ECONNRESET|deadline|not connected/i.test(String((err as Error | undefined)?.message ?? err));
}

/** The workflow types that every active project, förbund, board meeting and open matter has one of. */
export const RECONCILED_WORKFLOW_TYPES = [projectReporting.name, arscykel.name, styrelsemote.name, arende.name, redovisning.name];

/**
 * Which of `ids` have a running workflow: one query to Temporal's visibility (all running
 * workflows of the reconciled types), or, where the visibility store cannot answer it, a
 * describe of each id, 20 at a time. Reads only: no workflow's history grows.
 */
export async function runningWorkflowIds(client: Client, ids: string[]): Promise<{ running: Set<string>; via: 'visibility' | 'describe' }> {
  const running = new Set<string>();
  const query = `ExecutionStatus = 'Running' AND WorkflowType IN (${RECONCILED_WORKFLOW_TYPES.map((t) => `'${t}'`).join(', ')})`;
  try {
    await client.connection.withDeadline(Date.now() + 60_000, async () => {
      for await (const w of client.workflow.list({ query, pageSize: 1000 })) running.add(w.workflowId);
    });
    return { running, via: 'visibility' };
  } catch (err) {
    if (temporalUnreachable(err)) throw err;
    log.warn('running workflows could not be listed; each is described instead', { query, error: (err as Error).message.split('\n')[0] });
  }
  running.clear();
  for (let i = 0; i < ids.length; i += 20) {
    await Promise.all(
      ids.slice(i, i + 20).map(async (id) => {
        try {
          const d = await client.connection.withDeadline(Date.now() + 5000, () => client.workflow.getHandle(id).describe());
          if (d.status.name === 'RUNNING') running.add(id);
        } catch (err) {
          if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
        }
      }),
    );
  }
  return { running, via: 'describe' };
}

/** Connection options for the client and the worker, from the configuration (TLS, mTLS, API key). */
export function connectionOptions(t: TemporalConfig & { address: string }): Pick<ConnectionOptions, 'address' | 'tls'> & { apiKey?: string } {
  const tls = t.tls
    ? {
        ...(t.tls.serverName ? { serverNameOverride: t.tls.serverName } : {}),
        ...(t.tls.caPath ? { serverRootCACertificate: readFileSync(t.tls.caPath) } : {}),
        ...(t.tls.certPath && t.tls.keyPath ? { clientCertPair: { crt: readFileSync(t.tls.certPath), key: readFileSync(t.tls.keyPath) } } : {}),
      }
    : undefined;
  return { address: t.address, ...(tls ? { tls } : {}), ...(t.apiKey ? { apiKey: t.apiKey } : {}) };
}

export async function connectClient(t: TemporalConfig & { address: string }, connectTimeoutMs = 3000): Promise<Client> {
  const connection = await Connection.connect({ ...connectionOptions(t), connectTimeout: connectTimeoutMs });
  return new Client({ connection, namespace: t.namespace });
}
