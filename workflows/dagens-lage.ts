// The day's digest ("Dagens läge"), started by a Temporal Schedule every morning at 07:00
// Europe/Stockholm for the whole deployment: each official and secretary with routine notices
// since the last digest gets them in one mail.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { sendDigests } = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '30 seconds',
  scheduleToCloseTimeout: '6 hours',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
  summary: 'Dagens läge: each person’s routine notices in one mail',
});

export async function dagensLage(): Promise<string> {
  const { sent, failed } = await sendDigests({ now: Date.now() });
  return `${sent} digests sent${failed ? `, ${failed} not delivered (on Att göra)` : ''}`;
}
