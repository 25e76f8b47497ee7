// The port through which services and activities tell the workflows of a change, and send a
// person's action to a board meeting's or a matter's workflow. Implemented over Temporal's client
// in worker/client.ts (outboxNotifier); declared here so that services and activities depend on
// the port, not on the worker.
import type { UpdateDefinition } from '@temporalio/common';

/**
 * Whose workflow an action goes to: a board meeting's or a matter's (started if missing), a
 * statutory report's chain, or one member's ansvarsfrihet (both only while running: their
 * workflows are started by the chain, never by a person's action).
 */
export type UpdateTarget = { meetingId: string } | { matterId: string } | { reportId: string } | { dischargeId: string };

export interface WorkflowNotifier {
  /** true when the workflow has been told; false when the change is kept and told later. */
  reportingChanged(projectId: string, reason: string): Promise<boolean>;
  cycleChanged(forbundId: string, year: number, reason: string): Promise<boolean>;
  /** A board meeting's workflow (started if missing). */
  meetingChanged(meetingId: string, reason: string): Promise<boolean>;
  /** A matter's workflow (started if missing). */
  matterChanged(matterId: string, reason: string): Promise<boolean>;
  /** A statutory report's chain (workflows/redovisning.ts; started if missing): adopted, or its revisionsberättelse registered. */
  statutoryChanged(reportId: string, reason: string): Promise<boolean>;
  /** A running quarterly review (started by its Schedule, never by this): woken to re-read the actuals; false when it could not be told (it re-reads daily). */
  reviewChanged(workflowId: string, reason: string): Promise<boolean>;
  /**
   * A person's action, sent as an update to a board meeting's or a matter's workflow (started if
   * missing): resolves with the workflow's answer, rejects with its reason (WorkflowUpdateFailedError),
   * or with TemporalUnavailable when Temporal cannot be reached (nothing was done).
   */
  update<R, A extends [unknown]>(target: UpdateTarget, def: UpdateDefinition<R, A>, args: A): Promise<R>;
}

/** Temporal cannot be reached: an action that needs a workflow's answer was not taken. */
export class TemporalUnavailable extends Error {}
