/**
 * Workflow interceptor module for the offline step harness (tests/harness/workflow-harness.ts).
 *
 * Bundled into the *test* workflow bundle only (via `workflowInterceptorModules`). After every
 * activation it hands the activation's command list to the `harness.activation` sink, which the
 * harness registers on its replay worker with `callDuringReplay: true`. The harness keeps only the
 * commands of non-replaying activations (the last workflow task of a history ending with
 * WorkflowTaskStarted), i.e. the commands a real worker would send to the server.
 */
import { proxySinks, workflowInfo, type Sinks, type WorkflowInterceptors } from '@temporalio/workflow';

export interface HarnessSinks extends Sinks {
  harness: {
    activation(isReplaying: boolean, commands: unknown[]): void;
  };
}

const { harness } = proxySinks<HarnessSinks>();

export const interceptors = (): WorkflowInterceptors => ({
  internals: [
    {
      concludeActivation(input, next) {
        const output = next(input);
        harness.activation(workflowInfo().unsafe.isReplaying, output.commands as unknown[]);
        return output;
      },
    },
  ],
});
