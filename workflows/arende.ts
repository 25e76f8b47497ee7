// One workflow per matter (ärende): registered → prepared → on an agenda → decided → followed up
// → closed. Placing it on an agenda, moving it on when it was not prepared in time (its owner
// told) and deciding it are steps of the board meeting's workflow, which then tells this one.
// The matter's row is the data: the workflow re-reads it when told and at least daily.
import { ApplicationFailure } from '@temporalio/common';
import { allHandlersFinished, condition, patched, proxyActivities, proxyLocalActivities, setCurrentDetails, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { MatterState } from '../activities/arenden.js';
import { decideOptions, LONGEST_WAIT_MS, MAX_WAIT_MS, performOptions } from './schedule.js';
import { markPrepared, planChanged, reportBack } from './signals.js';

const { readMatter } = proxyLocalActivities<Activities>(decideOptions);
const act = proxyActivities<Activities>(performOptions);
const quick = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 3 } });

/** Patch id: the matter waits for a change or its next reminder, not a daily re-read (every change tells it). */
export const MATTER_WAITS_FOR_CHANGE = 'matter-waits-for-change';

export interface MatterInput {
  matterId: string;
}

export async function arende(input: MatterInput): Promise<string> {
  const { matterId } = input;
  const longestWait = patched(MATTER_WAITS_FOR_CHANGE) ? LONGEST_WAIT_MS : MAX_WAIT_MS;
  let m: MatterState | null = null;
  let changed = false;
  setHandler(planChanged, () => void (changed = true));
  const refuse = (why: string) => {
    throw ApplicationFailure.nonRetryable(why, 'Refused');
  };
  setHandler(
    markPrepared,
    async (a) => {
      await condition(() => m !== null);
      if (m!.status !== 'registered') refuse(`the matter is ${m!.status.replace('_', ' ')}, not waiting to be prepared`);
      const r = await quick.markMatterPrepared({ matterId, now: Date.now(), ...a });
      changed = true;
      return r;
    },
    { validator: (_a) => (m && m.status !== 'registered' ? refuse(`the matter is ${m.status.replace('_', ' ')}, not waiting to be prepared`) : undefined) },
  );
  setHandler(
    reportBack,
    async (a) => {
      await condition(() => m !== null);
      if (m!.status !== 'follow_up') refuse('the matter has no decision waiting to be reported back');
      const r = await quick.recordReportBack({ matterId, now: Date.now(), ...a });
      changed = true;
      return r;
    },
    { validator: (_a) => (m && m.status !== 'follow_up' ? refuse('the matter has no decision waiting to be reported back') : undefined) },
  );

  const reread = async () => {
    changed = false;
    m = await readMatter({ matterId, now: Date.now() });
    if (m) setCurrentDetails(`**${m.status}** ${m.dnr} ${m.title}${m.meeting ? ` (${m.meeting.title} ${m.meeting.date})` : ''}`);
  };
  const wait = async (untilIso?: string | null, orWhen: () => boolean = () => false) => {
    const ms = untilIso ? Date.parse(untilIso) - Date.now() : longestWait;
    if (ms > 0 && !orWhen()) await condition(() => changed || orWhen(), Math.min(ms, longestWait));
    await reread();
  };

  await reread();
  for (;;) {
    if (!m) return 'matter not found';
    const s: MatterState = m;
    if (s.status === 'closed') {
      await condition(allHandlersFinished);
      return 'closed';
    }
    if (s.status === 'decided') {
      await act.closeMatter.executeWithOptions({ ...performOptions, summary: `beslutat och avslutat: ${s.dnr}` }, [{ matterId, now: Date.now() }]);
      await reread();
      continue;
    }
    if (s.status === 'follow_up' && s.followUp) {
      const f = s.followUp;
      const due = f.reminders.find((r) => !r.sent);
      if (due && Date.parse(due.at) <= Date.now()) {
        await act.remindFollowUp.executeWithOptions({ ...performOptions, summary: `${due.overdue ? 'återrapportering försenad' : 'påminn om återrapportering'}: ${s.dnr} § ${f.paragraph}, senast ${f.due}` }, [{ matterId, now: Date.now(), key: due.key, overdue: due.overdue }]);
        await reread();
        continue;
      }
      await wait(due?.at);
      continue;
    }
    // registered, prepared, on the agenda: the meeting's workflow moves it on.
    await wait();
  }
}
