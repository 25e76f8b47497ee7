// What the step loop (workflows/schedule.ts) shares between the reporting and the årscykel
// activities: the steps carried out together in one activity call, and a step that failed for
// good. Such a step (its retries ran out: SMTP down for half a day, data it cannot use) is
// recorded as a delivery failure under the step's key. The step counts as done, so the workflow
// goes on with its later steps, and the official sees the failure as a pending step.
import { Context } from '@temporalio/activity';
import { stepsToRun, type Decided, type Step } from '../domain/schedule.js';
import type { ActivityDeps } from './deps.js';
import type { StepOutcome } from './mail.js';

/** At most this many steps go in one activity call (an attempt has 2 minutes per step). */
export const MAX_STEPS_PER_CALL = 10;

/** A decision and the steps carried out with it: for 'perform' those due now, for 'sleep' those due when it wakes. */
export interface Planned extends Decided {
  steps: Step[];
}

/** What carrying out steps answers: each step's outcome, and the decision that follows them. */
export interface Carried {
  outcomes: { key: string; kind: string; outcome: StepOutcome }[];
  next: Planned;
}

/**
 * The steps that go together at `at`: every step due by then (of a group only the latest),
 * earliest first. Each mail keeps its own idempotency key, so a retried call sends nothing twice.
 */
export function dueTogether(steps: Step[], done: ReadonlySet<string>, at: Date): Step[] {
  return stepsToRun(steps, done, at)
    .filter((s) => new Date(s.at) <= at)
    .slice(0, MAX_STEPS_PER_CALL);
}

export function planned(decided: Decided, steps: Step[], done: ReadonlySet<string>, now: Date): Planned {
  const d = decided.decision;
  const at = d.action === 'perform' ? now : d.action === 'sleep' && d.step ? new Date(d.until) : undefined;
  return { ...decided, steps: at ? dueTogether(steps, done, at) : [] };
}

/**
 * Carries out each step in turn. A step that throws (a passing fault) does not keep the others
 * from going out; the first error is thrown at the end, so the retry carries out only what is left.
 */
export async function carryOutEach(steps: Step[], perform: (step: Step) => Promise<StepOutcome>): Promise<Carried['outcomes']> {
  const outcomes: Carried['outcomes'] = [];
  let failure: unknown;
  for (const step of steps) {
    try {
      outcomes.push({ key: step.key, kind: step.kind, outcome: await perform(step) });
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure !== undefined) throw failure;
  return outcomes;
}

export function stepActivities(deps: ActivityDeps) {
  async function recordStepFailures(input: { forbundId: string; steps: Step[]; error: string }): Promise<void> {
    const error = input.error.slice(0, 500);
    const { prisma } = deps;
    const keys = input.steps.map((s) => s.key);
    // A mail of the batch that did go out stays sent; the others become failures.
    await prisma.notification.createMany({
      data: input.steps.map((step) => ({ key: step.key, forbundId: input.forbundId, messageId: '', kind: step.kind, recipients: [], subject: step.summary, status: 'failed', error })),
      skipDuplicates: true,
    });
    // A claim left by a dead attempt becomes the failure.
    await prisma.notification.updateMany({ where: { key: { in: keys }, status: 'sending' }, data: { status: 'failed', error, claimToken: null } });
    Context.current().log.warn('step failed for good; recorded for the official', { steps: keys, error });
  }

  /** The step loop before steps were carried out together (histories of runs started before; see workflows/schedule.ts). */
  async function recordStepFailure(input: { forbundId: string; step: Step; error: string }): Promise<void> {
    await recordStepFailures({ forbundId: input.forbundId, steps: [input.step], error: input.error });
  }
  return { recordStepFailure, recordStepFailures };
}
