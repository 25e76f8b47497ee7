// Tells the workflows that their plan changed. signalWithStart starts a workflow that is not
// running (a new project, a finished one whose dates moved) and signals one that is.
import { Client, Connection } from '@temporalio/client';
import { arscykel, projectReporting } from '../workflows/index.js';
import { cycleWorkflowId, planChanged, reportingWorkflowId } from '../workflows/signals.js';

export interface WorkflowNotifier {
  /** Returns false when the workflow could not be reached; the change is stored and the workflow re-reads it when it runs. */
  reportingChanged(projectId: string, reason: string): Promise<boolean>;
  cycleChanged(forbundId: string, year: number, reason: string): Promise<boolean>;
}

export function temporalNotifier(client: Client, taskQueue: string, log: (m: string) => void = console.warn): WorkflowNotifier {
  const guard = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      return true;
    } catch (err) {
      log(`temporal: could not signal ${what}: ${(err as Error).message}`);
      return false;
    }
  };
  return {
    reportingChanged: (projectId, reason) =>
      guard(reportingWorkflowId(projectId), () =>
        client.workflow.signalWithStart(projectReporting, { workflowId: reportingWorkflowId(projectId), taskQueue, args: [{ projectId }], signal: planChanged, signalArgs: [reason] }),
      ),
    cycleChanged: (forbundId, year, reason) =>
      guard(cycleWorkflowId(forbundId), () =>
        client.workflow.signalWithStart(arscykel, { workflowId: cycleWorkflowId(forbundId), taskQueue, args: [{ forbundId, year }], signal: planChanged, signalArgs: [reason] }),
      ),
  };
}

/** Used when no Temporal server can be reached: changes are stored, workflows catch up later. */
export const offlineNotifier: WorkflowNotifier = {
  reportingChanged: async () => false,
  cycleChanged: async () => false,
};

export async function connectClient(address: string, namespace: string): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace });
}
