// One workflow per board meeting, from the invite to the decisions sent to the members:
//   invite → underlag to the beredningsgrupp → underlag to the beredning → agenda closed for
//   matters → secretary reminded of the kallelse → kallelse with the agenda → meeting held →
//   minutes to the justerare → justerade → decisions sent out.
// The meeting's row is the data; the workflow re-reads it after every change (a move, a
// cancellation) and at least daily. The secretary's and the ledamöter's actions are updates.
import { ApplicationFailure, type SearchAttributeUpdatePair } from '@temporalio/common';
import { allHandlersFinished, condition, proxyActivities, proxyLocalActivities, setCurrentDetails, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { FORBUND, KIND, NEXT_AT, NEXT_STEP, WAITING_FOR, YEAR } from './search-attributes.js';
import type { Activities } from '../activities/index.js';
import type { BoardPlan } from '../services/styrelse.js';
import { decideOptions, MAX_WAIT_MS, performOptions } from './schedule.js';
import { declineMeeting, editAgenda, justeraMinutes, meetingStage, planChanged, recordDecision, sendKallelseNow, sendMinutes } from './signals.js';

const { readBoardMeeting } = proxyLocalActivities<Activities>(decideOptions);
const act = proxyActivities<Activities>(performOptions);
/** Updates answer a person waiting at the API: a data error fails at once, a passing one is retried briefly. */
const quick = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 3 } });

export interface BoardMeetingInput {
  meetingId: string;
}

type Stage = 'planned' | 'kallelse sent' | 'held' | 'minutes at justering' | 'justerade' | 'decisions sent' | 'cancelled';

export async function styrelsemote(input: BoardMeetingInput): Promise<string> {
  const { meetingId } = input;
  let plan: BoardPlan | null = null;
  let changed = false;
  let kallelseWanted = false;
  let stage: Stage = 'planned';
  const step = <K extends keyof Activities>(name: K, summary: string) =>
    (act[name] as unknown as { executeWithOptions: (o: object, a: unknown[]) => Promise<unknown> }).executeWithOptions({ ...performOptions, summary }, [{ meetingId, now: Date.now() }]);

  setHandler(planChanged, () => void (changed = true));
  setHandler(meetingStage, () => stage);

  /** An action a person asked for, refused with the reason when the process is past it. */
  const refuse = (why: string) => {
    throw ApplicationFailure.nonRetryable(why, 'Refused');
  };
  const open = () => {
    if (!plan) refuse('the meeting is not known');
    if (stage === 'cancelled') refuse('the meeting is cancelled');
  };
  setHandler(
    editAgenda,
    async (a) => {
      await condition(() => plan !== null);
      if (plan!.kallelseSentAt) refuse('the kallelse has gone out: the agenda can no longer be changed');
      return quick.saveAgenda({ meetingId, now: Date.now(), ...a });
    },
    { validator: (_a) => (plan ? (open(), plan.kallelseSentAt ? refuse('the kallelse has gone out: the agenda can no longer be changed') : undefined) : undefined) },
  );
  setHandler(
    sendKallelseNow,
    async () => {
      kallelseWanted = true;
      await condition(() => !!plan?.kallelseSentAt || stage === 'cancelled');
      if (!plan?.kallelseSentAt) refuse('the meeting was cancelled');
      return { sentAt: plan!.kallelseSentAt! };
    },
    { validator: (_a) => (plan ? (open(), plan.kallelseSentAt ? refuse(`the kallelse already went out at ${plan.kallelseSentAt}`) : plan.heldAt ? refuse('the meeting has been held') : undefined) : undefined) },
  );
  setHandler(
    declineMeeting,
    async (a) => quick.recordDecline({ meetingId, now: Date.now(), ...a }),
    { validator: (_a) => (plan ? (open(), plan.heldAt || Date.now() >= Date.parse(plan.startsAt) ? refuse('the meeting has begun: förhinder can no longer be reported') : undefined) : undefined) },
  );
  setHandler(
    recordDecision,
    async (a) => quick.saveDecision({ meetingId, now: Date.now(), ...a }),
    { validator: (_a) => (plan ? (open(), Date.now() < Date.parse(plan.startsAt) ? refuse(`the meeting has not begun (it starts ${plan.startsAt}): no decision can be recorded yet`) : plan.justeradAt ? refuse('the minutes are justerade: decisions can no longer be changed') : undefined) : undefined) },
  );
  setHandler(
    sendMinutes,
    async (a) => {
      const r = await act.sendMinutesForJustering.executeWithOptions({ ...performOptions, summary: `protokoll till justering: ${a.justerare}` }, [{ meetingId, now: Date.now(), ...a }]);
      changed = true;
      return r;
    },
    { validator: (_a) => (plan ? (open(), !plan.heldAt ? refuse('the meeting has not been held yet') : plan.justeradAt ? refuse('the minutes are already justerade') : undefined) : undefined) },
  );
  setHandler(
    justeraMinutes,
    async (a) => {
      const r = await quick.recordJustering({ meetingId, now: Date.now(), ...a });
      changed = true;
      return r;
    },
    { validator: (_a) => (plan ? (open(), !plan.minutesSentAt ? refuse('the minutes have not been sent to the justerare') : plan.justeradAt ? refuse('the minutes are already justerade') : undefined) : undefined) },
  );

  const reread = async () => {
    changed = false;
    const before = plan;
    plan = await readBoardMeeting({ meetingId, now: Date.now() });
    if (plan && before && !plan.cancelled && plan.sequence !== before.sequence) await step('sendBoardInvites', `invite update: ${plan.title} ${plan.date} (sequence ${plan.sequence})`);
    show();
  };
  let shown = '';
  /** The UI's current details, and the search attributes ("which board meeting waits on what") when the namespace has them. */
  const show = () => {
    setCurrentDetails(plan ? `**${stage}** ${plan.title} ${plan.date}` : 'meeting not found');
    const p = plan as (BoardPlan & { searchAttributes?: boolean }) | null;
    if (!p?.searchAttributes) return;
    const pairs: SearchAttributeUpdatePair[] = [
      { key: FORBUND, value: p.forbund },
      { key: KIND, value: 'styrelsemote' },
      { key: YEAR, value: Number(p.date.slice(0, 4)) },
      { key: NEXT_STEP, value: stage },
      { key: NEXT_AT, value: new Date(p.startsAt) },
      { key: WAITING_FOR, value: `${stage}: ${p.title} ${p.date}` },
    ];
    const key = JSON.stringify(pairs.map((x) => x.value));
    if (key === shown) return;
    shown = key;
    upsertSearchAttributes(pairs);
  };

  /** Waits until `at` (re-read after every change and at least daily); false when the meeting is cancelled. */
  const until = async (at: () => string | null | undefined, orWhen: () => boolean = () => false): Promise<boolean> => {
    for (;;) {
      if (!plan || plan.cancelled) return false;
      const t = at();
      if (orWhen() || !t || Date.parse(t) <= Date.now()) return true;
      await condition(() => changed || orWhen(), Math.min(MAX_WAIT_MS, Date.parse(t) - Date.now()));
      await reread();
    }
  };
  const done = async (why: string) => {
    await condition(allHandlersFinished);
    return why;
  };
  plan = await readBoardMeeting({ meetingId, now: Date.now() });
  if (!plan) return done('meeting not found');
  if (plan.decisionsSentAt) return done('decisions already sent to the members');
  // Started again when the calendar is adopted.
  if (!plan.adopted) return done(`the calendar for ${plan.date.slice(0, 4)} is not adopted`);
  if (!plan.heldAt && Date.parse(plan.endsAt) <= Date.now() && !plan.kallelseSentAt) return done('the meeting was held before Årscykel ran it');
  if (plan.cancelled) {
    await step('sendBoardInvites', `cancel: ${plan.title} ${plan.date}`);
    return done('cancelled');
  }
  show();
  await step('registerPlannedMatters', `årscykelns ärenden till ${plan.title} ${plan.date}`);
  await step('sendBoardInvites', `invite: ${plan.title} ${plan.date}`);

  const p = () => plan!;
  const run = async () => {
    if (!p().kallelseSentAt) {
      if (p().beredningsgrupp && (await until(() => p().beredningsgrupp?.underlagAt, () => kallelseWanted)) && !kallelseWanted && p().beredningsgrupp) {
        await act.sendBeredningsunderlag.executeWithOptions({ ...performOptions, summary: `underlag till beredningsgruppen ${p().beredningsgrupp!.date}` }, [{ meetingId, now: Date.now(), body: 'beredningsgrupp' }]);
      }
      if (p().beredning && (await until(() => p().beredning?.underlagAt, () => kallelseWanted)) && !kallelseWanted && p().beredning) {
        await act.sendBeredningsunderlag.executeWithOptions({ ...performOptions, summary: `underlag till presidiets beredning ${p().beredning!.date}` }, [{ meetingId, now: Date.now(), body: 'beredning' }]);
      }
      // The agenda closes for matters and the secretary is reminded of the kallelse, whichever comes first.
      const closeAgenda = async () => {
        const { moved } = (await step('closeAgenda', `ärenden till dagordningen: ${p().title} ${p().date}`)) as { moved: { id: string; dnr: string }[] };
        for (const x of moved) {
          await act.tellOwnerMatterMoved.executeWithOptions({ ...performOptions, summary: `ej berett i tid: ${x.dnr} flyttas till nästa sammanträde, ägaren meddelas` }, [{ matterId: x.id, fromMeetingId: meetingId, now: Date.now() }]);
        }
      };
      const remind = async () => {
        if (!kallelseWanted && Date.parse(p().kallelseAt) > Date.now()) await step('remindKallelse', `påminn sekreteraren: kallelse senast ${p().kallelseDate}`);
      };
      const inOrder = p().agendaClosesAt <= p().kallelseReminderAt
        ? [{ at: () => p().agendaClosesAt, run: closeAgenda }, { at: () => p().kallelseReminderAt, run: remind }]
        : [{ at: () => p().kallelseReminderAt, run: remind }, { at: () => p().agendaClosesAt, run: closeAgenda }];
      for (const s of inOrder) {
        if (!(await until(s.at, () => kallelseWanted))) return false;
        await s.run();
      }
      if (!(await until(() => p().kallelseAt, () => kallelseWanted))) return false;
      await step('sendKallelse', `skicka kallelse med föredragningslista: ${p().title} ${p().date}`);
      await reread();
    }
    stage = 'kallelse sent';
    show();
    if (!(await until(() => p().endsAt))) return false;
    if (!p().heldAt) await step('openMinutes', `sammanträdet hållet: protokoll ${p().date}`);
    await reread();
    stage = 'held';
    show();
    // The secretary records the decisions and sends the minutes to the justerare (updates).
    while (!p().minutesSentAt) {
      await condition(() => changed, MAX_WAIT_MS);
      await reread();
    }
    stage = 'minutes at justering';
    show();
    for (const r of p().justeringReminders) {
      if (!(await until(() => r.at, () => !!p().justeradAt))) return false;
      if (p().justeradAt) break;
      await act.remindJusterare.executeWithOptions({ ...performOptions, summary: r.overdue ? 'justeringen är försenad: påminn justeraren' : 'påminn justeraren' }, [{ meetingId, now: Date.now(), overdue: r.overdue }]);
    }
    while (!p().justeradAt) {
      await condition(() => changed, MAX_WAIT_MS);
      await reread();
    }
    stage = 'justerade';
    show();
    await step('sendDecisions', `skicka besluten till medlemmarna: ${p().title} ${p().date}`);
    stage = 'decisions sent';
    show();
    return true;
  };
  if (await run()) return done('decisions sent to the members');
  stage = 'cancelled';
  show();
  await step('sendBoardInvites', `cancel: ${p().title} ${p().date}`);
  await step('releaseMatters', 'ärenden till nästa sammanträde');
  return done('cancelled');
}
