// npm run histories:replay -- [--namespace X] [--query "…"] [--limit N] [--bundle file.js]
// Before a deploy: replays the histories of a running deployment's workflows against the
// workflow code about to be deployed (this checkout's workflows/, bundled now, or --bundle), so a
// change its running workflows could not replay is found before a worker meets them. Connects as
// `npm start` does (TEMPORAL_ADDRESS, TLS, API key; without TEMPORAL_ADDRESS the local dev server
// `npm start` runs), lists the open workflows of Årscykel's types (or those --query finds), fetches
// each history and replays it. Prints per workflow type how many replayed and each failure with
// the workflow id and the error's first line. Exit code 0 when all replayed, 1 on any failure (or
// when Temporal cannot be reached), 2 for a wrong argument or configuration.
import { parseArgs } from 'node:util';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { HistoryAndWorkflowId } from '@temporalio/common';
import { DefaultLogger, makeTelemetryFilterString, Runtime, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { connectClient } from '../worker/client.js';
import { LOCAL_TEMPORAL } from '../worker/runtime.js';
import { bundleWorkflows } from '../worker/worker.js';
import * as workflows from '../workflows/index.js';
import { configOrExit, fail } from './cli.js';

const USAGE = `usage: npm run histories:replay -- [--namespace X] [--query "<visibility query>"] [--limit N] [--bundle <workflow-bundle.js>]
  --namespace  the namespace to read (default TEMPORAL_NAMESPACE, else "default")
  --query      which workflows (default: the open ones of Årscykel's types, ${Object.keys(workflows).join(', ')})
  --limit      replay at most N of them (default: all)
  --bundle     a prebuilt bundle (npm run build:workflows) instead of bundling this checkout's workflows/`;

/** The open workflows of every type the worker runs (workflows/index.ts). */
const defaultQuery = () => `ExecutionStatus="Running" AND (${Object.keys(workflows).map((t) => `WorkflowType="${t}"`).join(' OR ')})`;

/**
 * The error's first line; for a replay failure, the reason Core gives inside its long message
 * (e.g. "[TMPRL1100] Nondeterminism error: … no corresponding change command").
 */
const firstLine = (err: unknown) => {
  const text = err instanceof Error ? err.message : String(err);
  const reason = /Failure \{ message: "((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
  return `${err instanceof Error ? `${err.name}: ` : ''}${reason ?? text}`.split('\n')[0].slice(0, 400);
};

interface Listed {
  workflowId: string;
  runId: string;
  type: string;
}

/** Up to `limit` executions the query finds (listing is cheap: no histories yet). */
async function list(client: Client, query: string, limit: number): Promise<Listed[]> {
  const found: Listed[] = [];
  if (limit <= 0) return found;
  for await (const w of client.workflow.list({ query, pageSize: Math.min(limit, 1000) }) as AsyncIterable<WorkflowExecutionInfo>) {
    found.push({ workflowId: w.workflowId, runId: w.runId, type: w.type });
    if (found.length >= limit) break;
  }
  return found;
}

/**
 * The histories, in the order listed, fetched a few at a time ahead of the replay. A history
 * that cannot be fetched is reported through `unfetched` and skipped.
 */
async function* histories(client: Client, listed: Listed[], replaying: Listed[], unfetched: (w: Listed, err: unknown) => void): AsyncIterable<HistoryAndWorkflowId> {
  const AHEAD = 5;
  const fetch = (w: Listed) => client.workflow.getHandle(w.workflowId, w.runId).fetchHistory().then((history) => ({ history }), (error: unknown) => ({ error }));
  const pending = listed.slice(0, AHEAD).map(fetch);
  for (let i = 0; i < listed.length; i++) {
    const got = await pending[i];
    if (i + AHEAD < listed.length) pending.push(fetch(listed[i + AHEAD]));
    delete pending[i];
    if ('error' in got) {
      unfetched(listed[i], got.error);
      continue;
    }
    // runReplayHistories replays one history at a time and yields its results in this order.
    replaying.push(listed[i]);
    yield { workflowId: listed[i].workflowId, history: got.history };
  }
}

interface ReplaySummary {
  byType: Map<string, { replayed: number; failures: { workflowId: string; runId: string; error: string }[] }>;
  failed: number;
  replayed: number;
}

async function replayDeployment(client: Client, opts: { query: string; limit: number; workflowBundle: WorkflowBundleOption; onListed?: (n: number) => void }): Promise<ReplaySummary> {
  const listed = await list(client, opts.query, opts.limit);
  opts.onListed?.(listed.length);
  const summary: ReplaySummary = { byType: new Map(), failed: 0, replayed: 0 };
  const of = (type: string) => summary.byType.get(type) ?? summary.byType.set(type, { replayed: 0, failures: [] }).get(type)!;
  const fails = (w: Listed, error: string) => {
    of(w.type).failures.push({ workflowId: w.workflowId, runId: w.runId, error });
    summary.failed++;
  };
  if (!listed.length) return summary;
  const replaying: Listed[] = [];
  let n = 0;
  const results = Worker.runReplayHistories(
    { workflowBundle: opts.workflowBundle, replayName: 'histories-replay' },
    histories(client, listed, replaying, (w, err) => {
      of(w.type);
      fails(w, `history not fetched: ${firstLine(err)}`);
    }),
  );
  for await (const r of results) {
    const w = replaying[n++];
    of(w.type).replayed++;
    summary.replayed++;
    if (r.error) fails(w, firstLine(r.error));
  }
  return summary;
}

async function main() {
  let args;
  try {
    args = parseArgs({ options: { namespace: { type: 'string' }, query: { type: 'string' }, limit: { type: 'string' }, bundle: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`, 2);
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.limit !== undefined && !/^[1-9]\d{0,8}$/.test(args.limit)) fail(`--limit "${args.limit}": must be a whole number from 1\n${USAGE}`, 2);
  if (args.query !== undefined && !args.query.trim()) fail(`--query: give a visibility query, e.g. 'WorkflowType="arscykel"'\n${USAGE}`, 2);
  const config = configOrExit();
  const namespace = args.namespace ?? config.temporal.namespace;
  const address = config.temporal.address ?? LOCAL_TEMPORAL;
  const query = args.query ?? defaultQuery();
  const limit = args.limit ? Number(args.limit) : Infinity;

  // The SDK's own lines (the replay worker starting and stopping) only when something is wrong.
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
  let client: Client;
  try {
    client = await connectClient({ ...config.temporal, namespace, address }, 10_000);
  } catch (err) {
    fail(`cannot reach Temporal at ${address}${config.temporal.address ? '' : ' (TEMPORAL_ADDRESS is not set: the dev server `npm start` runs)'}: ${firstLine(err)}`);
  }
  let workflowBundle: WorkflowBundleOption;
  let code: string;
  if (args.bundle) {
    workflowBundle = { codePath: args.bundle };
    code = `the bundle ${args.bundle}`;
  } else {
    workflowBundle = await bundleWorkflows();
    code = "this checkout's workflows/ (bundled now)";
  }
  console.log(`Replaying workflow histories of namespace "${namespace}" at ${address} against ${code}.`);
  console.log(`Query: ${query}${Number.isFinite(limit) ? ` (at most ${limit})` : ''}`);
  if (process.env.TEMPORAL_WORKFLOW_BUNDLE && !args.bundle) console.log(`(TEMPORAL_WORKFLOW_BUNDLE is not used here: pass --bundle to replay against a prebuilt bundle.)`);

  let summary: ReplaySummary;
  try {
    summary = await replayDeployment(client, { query, limit, workflowBundle, onListed: (n) => console.log(`${n} workflow${n === 1 ? '' : 's'} to replay.`) });
  } catch (err) {
    fail(`could not list or replay the workflows: ${firstLine(err)}`);
  } finally {
    await client.connection.close().catch(() => {});
  }
  const width = Math.max(0, ...[...summary.byType.keys()].map((t) => t.length));
  for (const [type, t] of [...summary.byType].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`${type.padEnd(width)}  ${t.replayed} replayed, ${t.failures.length} failed`);
    for (const f of t.failures) console.log(`  FAILED ${f.workflowId} (run ${f.runId}): ${f.error}`);
  }
  if (summary.failed) {
    console.log(`${summary.failed} workflow${summary.failed === 1 ? '' : 's'} failed: running workflows could not replay with this code. Do not deploy it; keep the old path behind patched() (README, "Changing a workflow").`);
    return 1;
  }
  console.log(summary.replayed ? `All ${summary.replayed} replayed.` : 'No workflow matched: nothing was checked.');
  return 0;
}

process.exit(await main());
