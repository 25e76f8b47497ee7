// One Temporal Schedule per förbund with a budget: the quarterly review of the money, at 08:00
// Europe/Stockholm on the 10th of January, April, July and October (for the quarter before). A
// calendar spec with the time zone, not an interval (intervals ignore it), at an hour away from
// the DST change. Visible and pausable in the Temporal UI; a missed run is caught up within 10 days.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { dagensLage, kvartalsgenomgang } from '../workflows/index.js';

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

/** The day's digest for the whole deployment ("Dagens läge"): every day at 07:00 Europe/Stockholm. */
export const DIGEST_SCHEDULE_ID = 'dagens-lage';

export const DIGEST_SPEC = {
  calendars: [{ hour: 7, minute: 0, comment: "the day's digest of routine notices to the officials and secretaries" }],
  timezone: 'Europe/Stockholm',
};

/**
 * Creates the digest schedule unless it exists; true when it was created. A missed morning (the
 * worker down) is caught up the same day only: yesterday's notices go with today's digest.
 */
export async function ensureDigestSchedule(client: Client, taskQueue: string): Promise<boolean> {
  try {
    await client.schedule.create({
      scheduleId: DIGEST_SCHEDULE_ID,
      spec: DIGEST_SPEC,
      action: { type: 'startWorkflow', workflowType: dagensLage, args: [], taskQueue, workflowId: 'dagens-lage' },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '12 hours' },
    });
    return true;
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return false;
    throw err;
  }
}
