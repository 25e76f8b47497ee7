// The Temporal worker: runs the workflows and the activities against a given connection.
// The workflow code is bundled at start, or taken prebuilt (`npm run build:workflows`).
import { createRequire } from 'node:module';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import type { WorkerSizing } from './config.js';
import { logger } from './log.js';

const require = createRequire(import.meta.url);
const log = logger({ component: 'temporal.bundler' });

/** Bundles the workflow code; webpack's own report is left out of the log, its warnings and errors are not. */
export function bundleWorkflows() {
  const quiet = { trace() {}, debug() {}, info() {}, log() {}, warn: (m: string) => log.warn(m), error: (m: string) => log.error(m) };
  return bundleWorkflowCode({ workflowsPath: require.resolve('../workflows/index.ts'), logger: quiet as never });
}

export async function createWorker(args: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  workflowBundle?: WorkflowBundleOption;
  sizing?: WorkerSizing;
}): Promise<Worker> {
  return Worker.create({
    connection: args.connection,
    namespace: args.namespace,
    taskQueue: args.taskQueue,
    workflowBundle: args.workflowBundle ?? (await bundleWorkflows()),
    activities: createActivities(args.deps),
    // Running activities get this long to finish when the worker stops (each mail attempt ends within a minute).
    shutdownGraceTime: '70 seconds',
    ...(args.sizing
      ? { maxCachedWorkflows: args.sizing.maxCachedWorkflows, maxConcurrentWorkflowTaskExecutions: args.sizing.maxConcurrentWorkflowTasks, maxConcurrentActivityTaskExecutions: args.sizing.maxConcurrentActivities }
      : {}),
  });
}
