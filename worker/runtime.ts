// Connecting to Temporal as configured: TEMPORAL_ADDRESS, or the local dev server `npm start` runs.
import { toStockholmDate } from '../domain/dates.js';
import type { ImportSummary } from '../services/import.js';
import { connectClient, offlineNotifier, temporalNotifier, type WorkflowNotifier } from './client.js';
import type { Config } from './config.js';

/** Where `npm start` runs its local Temporal dev server, so other commands (import) find it. */
export const LOCAL_TEMPORAL = 'localhost:7233';

export async function openNotifier(config: Config, opts: { quiet?: boolean } = {}): Promise<WorkflowNotifier & { close(): Promise<void> }> {
  const address = config.temporal.address ?? LOCAL_TEMPORAL;
  try {
    const client = await Promise.race([
      connectClient(address, config.temporal.namespace),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), 3000)),
    ]);
    return { ...temporalNotifier(client, config.temporal.taskQueue), close: () => client.connection.close() };
  } catch (err) {
    if (!opts.quiet) console.warn(`temporal: not reachable at ${address} (${(err as Error).message}); workflows pick up the change when the worker next starts`);
    return { ...offlineNotifier, close: async () => {} };
  }
}

/** Tells the workflows of the projects and the cycle an import changed. */
export async function notifyImport(notifier: WorkflowNotifier, summary: ImportSummary, now = new Date()) {
  for (const projectId of summary.changedProjects) await notifier.reportingChanged(projectId, 'förbund file imported');
  if (summary.cycleChanged) await notifier.cycleChanged(summary.forbundId, Number(toStockholmDate(now).slice(0, 4)), 'förbund file imported');
}
