// The Temporal worker: runs the workflows and the activities against a given connection.
// The workflow code is bundled at start, or taken prebuilt (`npm run build:workflows`).
import { createRequire } from 'node:module';
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';

const require = createRequire(import.meta.url);

export async function createWorker(args: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  workflowBundle?: WorkflowBundle;
}): Promise<Worker> {
  return Worker.create({
    connection: args.connection,
    namespace: args.namespace,
    taskQueue: args.taskQueue,
    ...(args.workflowBundle ? { workflowBundle: args.workflowBundle } : { workflowsPath: require.resolve('../workflows/index.ts') }),
    activities: createActivities(args.deps),
  });
}
