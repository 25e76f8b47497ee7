// One Temporal Schedule per förbund with a budget: the quarterly review of the money, at 08:00
// Europe/Stockholm on the 10th of January, April, July and October (for the quarter before). A
// calendar spec with the time zone, not an interval (intervals ignore it), at an hour away from
// the DST change. Visible and pausable in the Temporal UI; a missed run is caught up within 10 days.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { kvartalsgenomgang } from '../workflows/index.js';

export const reviewScheduleId = (forbundId: string) => `review-${forbundId}`;

export const REVIEW_SPEC = {
  calendars: [{ month: ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'] as ('JANUARY' | 'APRIL' | 'JULY' | 'OCTOBER')[], dayOfMonth: 10, hour: 8, minute: 0, comment: 'the quarterly review of the money' }],
  timezone: 'Europe/Stockholm',
};

/** Creates the förbund's review schedule unless it exists; true when it was created. */
export async function ensureReviewSchedule(client: Client, taskQueue: string, forbund: { id: string; slug: string }): Promise<boolean> {
  try {
    await client.schedule.create({
      scheduleId: reviewScheduleId(forbund.id),
      spec: REVIEW_SPEC,
      action: { type: 'startWorkflow', workflowType: kvartalsgenomgang, args: [{ forbundId: forbund.id }], taskQueue, workflowId: `kvartal-${forbund.id}` },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 days' },
      memo: { forbund: forbund.slug },
    });
    return true;
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return false;
    throw err;
  }
}
