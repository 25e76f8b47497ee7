/**
 * Workflow interceptor module for the offline step harness (tests/harness/workflow-harness.ts).
 *
 * Bundled into the *test* workflow bundle only (via `workflowInterceptorModules`). Through the
 * `harness` sink (registered by the harness with `callDuringReplay: true`) it reports:
 *  - `activation`: after every activation, its command list. The harness keeps only the commands
 *    of non-replaying activations (the last workflow task of a history that ends with
 *    WorkflowTaskStarted), i.e. what a real worker would send to the server;
 *  - `activationStarted`: at the start of every activation (a live activation that starts but never
 *    concludes failed the workflow task; sink calls are delivered even then);
 *  - `taskError`: errors thrown by the workflow function / signal handlers (the message the
 *    harness shows when the workflow task failed).
 */
import { proxySinks, workflowInfo, type Sinks, type WorkflowInterceptors } from '@temporalio/workflow';

export interface HarnessSinks extends Sinks {
  harness: {
    /** `usedFlags`: SDK flags the workflow has used so far (for WorkflowTaskCompleted.sdkMetadata). */
    activation(isReplaying: boolean, commands: unknown[], usedFlags: number[]): void;
    activationStarted(isReplaying: boolean): void;
    taskError(message: string): void;
  };
}

const { harness } = proxySinks<HarnessSinks>();

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

export const interceptors = (): WorkflowInterceptors => ({
  inbound: [
    {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (err) {
          harness.taskError(describe(err));
          throw err;
        }
      },
      async handleSignal(input, next) {
        try {
          return await next(input);
        } catch (err) {
          harness.taskError(describe(err));
          throw err;
        }
      },
    },
  ],
  internals: [
    {
      activate(input, next) {
        if (input.batchIndex === 0) harness.activationStarted(!!input.activation.isReplaying);
        try {
          return next(input);
        } catch (err) {
          harness.taskError(describe(err));
          throw err;
        }
      },
      concludeActivation(input, next) {
        const output = next(input);
        // `knownFlags` is private to the SDK's Activator; read it defensively (empty if it moved).
        const activator = (globalThis as { __TEMPORAL_ACTIVATOR__?: { knownFlags?: Set<number> } })
          .__TEMPORAL_ACTIVATOR__;
        const usedFlags = activator?.knownFlags ? [...activator.knownFlags] : [];
        harness.activation(workflowInfo().unsafe.isReplaying, output.commands as unknown[], usedFlags);
        return output;
      },
    },
  ],
});
