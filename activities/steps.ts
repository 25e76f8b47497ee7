// A step whose activity failed for good (its retries ran out: SMTP down for half a day, data it
// cannot use) is recorded as a delivery failure under the step's key. The step counts as done, so
// the workflow goes on with its later steps, and the official sees the failure as a pending step.
import { Context } from '@temporalio/activity';
import type { Step } from '../domain/schedule.js';
import type { ActivityDeps } from './deps.js';

export function stepActivities(deps: ActivityDeps) {
  async function recordStepFailure(input: { forbundId: string; step: Step; error: string }): Promise<void> {
    const { step } = input;
    const error = input.error.slice(0, 500);
    const { prisma } = deps;
    await prisma.notification.createMany({
      data: [{ key: step.key, forbundId: input.forbundId, messageId: '', kind: step.kind, recipients: [], subject: step.summary, status: 'failed', error }],
      skipDuplicates: true,
    });
    // A claim left by a dead attempt becomes the failure; a mail that did go out stays sent.
    await prisma.notification.updateMany({ where: { key: step.key, status: 'sending' }, data: { status: 'failed', error, claimToken: null } });
    Context.current().log.warn('step failed for good; recorded for the official', { step: step.key, error });
  }
  return { recordStepFailure };
}
