// The Temporal worker: runs the workflows and the activities against a given connection.
import { createRequire } from 'node:module';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';

const require = createRequire(import.meta.url);

export async function createWorker(args: { connection: NativeConnection; namespace: string; taskQueue: string; deps: ActivityDeps }): Promise<Worker> {
  return Worker.create({
    connection: args.connection,
    namespace: args.namespace,
    taskQueue: args.taskQueue,
    workflowsPath: require.resolve('../workflows/index.ts'),
    activities: createActivities(args.deps),
  });
}
