// One workflow per board meeting, from the invite to the decisions sent to the members:
//   invite → underlag to the beredningsgrupp → underlag to the beredning → agenda closed for
//   matters → secretary reminded of the kallelse → kallelse with the agenda → meeting held →
//   minutes to the justerare → justerade → decisions sent out.
// The meeting's row is the data; the workflow re-reads it after every change (a move, a
// cancellation) and at least daily. The secretary's and the ledamöter's actions are updates.
//
// Runs started since ONE_AT_A_TIME: each action is checked against where the process stands
// (domain/sammantrade.ts) once the meeting is read, also in a run an update started after the
// process ended; actions and the steps that fix the record (the kallelse, the § numbers, the
// decisions to the members) are handled one at a time; an action answers once its change is
// stored, and the mails that follow from it go in a step of their own (deliverMeetingMails); a
// step that fails for good becomes a failed delivery for the official and is tried again hourly
// instead of failing the workflow. Runs started before keep what they began with.
import { ActivityFailure, ApplicationFailure, type SearchAttributeUpdatePair } from '@temporalio/common';
import { allHandlersFinished, condition, patched, proxyActivities, proxyLocalActivities, setCurrentDetails, setHandler, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { meetingRefusal, type MeetingAction } from '../domain/sammantrade.js';
import { FORBUND, KIND, NEXT_AT, NEXT_STEP, WAITING_FOR, YEAR } from './search-attributes.js';
import type { Activities } from '../activities/index.js';
import type { BoardPlan } from '../services/styrelse.js';
import type { AgendaItemView } from './signals.js';
import { decideOptions, LONGEST_WAIT_MS, MAX_WAIT_MS, performOptions } from './schedule.js';
import { declineMeeting, editAgenda, justeraMinutes, meetingStage, planChanged, recordDecision, recordNarvaro, recordParagraph, sendKallelseNow, sendMinutes, signMinutes, withdrawDecline } from './signals.js';

const { readBoardMeeting } = proxyLocalActivities<Activities>(decideOptions);
const act = proxyActivities<Activities>(performOptions);
/** Updates answer a person waiting at the API: a data error fails at once, a passing one is retried briefly. */
const quick = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 3 } });
/** Recording a failed step only writes a row: retried until the database is back. */
const recordFailure = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' } });

/** Patch id: actions checked in every run and handled one at a time, mails in a step of their own, failures wait for a person. */
export const ONE_AT_A_TIME = 'board-actions-one-at-a-time';

/** After a step failed for good (its retries ran 12 hours), the workflow tries it again this often. */
const RETRY_FAILED_STEP_MS = 60 * 60 * 1000;

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
    persist(name, summary, () => (act[name] as unknown as { executeWithOptions: (o: object, a: unknown[]) => Promise<unknown> }).executeWithOptions({ ...performOptions, summary }, [{ meetingId, now: Date.now() }]));

  // Asked once, first: a run keeps the handling it began with.
  const v2 = patched(ONE_AT_A_TIME);
  /**
   * The longest wait without re-reading the meeting. Every change tells the workflow (planChanged,
   * kept until delivered), so runs since ONE_AT_A_TIME wake for their next step or a change, not
   * daily: a meeting started in January has a few dozen events by November instead of 1,800.
   */
  const longestWait = v2 ? LONGEST_WAIT_MS : MAX_WAIT_MS;
  /** The run is ending without running the process (already done, not adopted, held before, cancelled): why, for waiting actions. */
  let ended: string | null = null;
  setHandler(planChanged, () => void (changed = true));
  setHandler(meetingStage, () => stage);

  /** An action a person asked for, refused with the reason when the process is past it. */
  const refuse = (why: string): never => {
    throw ApplicationFailure.nonRetryable(why, 'Refused');
  };
  const open = () => {
    if (!plan) refuse('the meeting is not known');
    if (stage === 'cancelled') refuse('the meeting is cancelled');
  };
  /** Refused when the process is past `action` (the same rule as the activity's transaction). */
  const check = (action: MeetingAction) => {
    if (ended) refuse(`the meeting's process has ended: ${ended}`);
    if (!plan) refuse('the meeting is not known');
    if (stage === 'cancelled') refuse('the meeting is cancelled');
    const why = meetingRefusal(action, plan!, Date.now());
    if (why) refuse(why);
  };
  /** Validators can only check a run that has read its meeting; a run an update just started is checked in the handler. */
  const validate = (action: MeetingAction) => (_a: unknown) => (plan ? check(action) : undefined);

  /** One at a time: a person's action, or a step that fixes the record (the kallelse, the §, the decisions sent). */
  let busy = false;
  const exclusive = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (!v2) return fn();
    await condition(() => !busy);
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  };
  /** An action: once the meeting is read, checked, and again when its turn comes (the process may have moved on meanwhile). */
  const action = async <T>(name: MeetingAction, fn: () => Promise<T>): Promise<T> => {
    if (v2) {
      await condition(() => plan !== null || ended !== null);
      check(name);
    }
    return exclusive(async () => {
      if (v2) check(name);
      return fn();
    });
  };
  /** Mails owed by the record (the kallelse, call-ins, confirmations, the minutes) go in a step of their own. */
  let owed = false;
  let delivering = false;
  const owe = () => void (owed = true);

  setHandler(
    editAgenda,
    async (a) => {
      if (v2) return action('editAgenda', () => quick.saveAgenda({ meetingId, now: Date.now(), ...a }));
      await condition(() => plan !== null);
      if (plan!.kallelseSentAt) refuse('the kallelse has gone out: the agenda can no longer be changed');
      return quick.saveAgenda({ meetingId, now: Date.now(), ...a });
    },
    { validator: (a) => (v2 ? validate('editAgenda')(a) : plan ? (open(), plan.kallelseSentAt ? refuse('the kallelse has gone out: the agenda can no longer be changed') : undefined) : undefined) },
  );
  setHandler(
    sendKallelseNow,
    async () => {
      if (v2) {
        await condition(() => plan !== null || ended !== null);
        check('sendKallelseNow');
      }
      kallelseWanted = true;
      await condition(() => !!plan?.kallelseSentAt || stage === 'cancelled' || ended !== null);
      if (!plan?.kallelseSentAt) refuse(ended ? `the meeting's process has ended: ${ended}` : 'the meeting is cancelled');
      return { sentAt: plan!.kallelseSentAt! };
    },
    { validator: (a) => (v2 ? validate('sendKallelseNow')(a) : plan ? (open(), plan.kallelseSentAt ? refuse(`the kallelse already went out at ${plan.kallelseSentAt}`) : plan.heldAt ? refuse('the meeting has been held') : undefined) : undefined) },
  );
  setHandler(
    declineMeeting,
    async (a) => {
      if (!v2) return quick.recordDecline({ meetingId, now: Date.now(), ...a });
      return action('decline', async () => {
        const r = await quick.commitDecline({ meetingId, now: Date.now(), ...a });
        owe();
        return r;
      });
    },
    { validator: (a) => (v2 ? validate('decline')(a) : plan ? (open(), plan.heldAt || Date.now() >= Date.parse(plan.startsAt) ? refuse('the meeting has begun: förhinder can no longer be reported') : undefined) : undefined) },
  );
  /**
   * The decisions' versions this run has seen (its writes' answers and the conflicts refused): a
   * writer naming an older version read a stale decision and is refused before anything is
   * written. The activity checks the stored version too, in the transaction that writes it.
   */
  type DecisionNow = Pick<AgendaItemView, 'version' | 'decision' | 'actionBy' | 'actionDue'>;
  const decisions = new Map<string, DecisionNow>();
  const seen = (itemId: string, i: DecisionNow | undefined) => {
    // An answer recorded before versions has none: nothing known.
    if (typeof i?.version === 'number' && !((decisions.get(itemId)?.version ?? -1) > i.version)) decisions.set(itemId, { version: i.version, decision: i.decision, actionBy: i.actionBy, actionDue: i.actionDue });
  };
  const staleDecision = (a: { itemId: string; version?: number }) => {
    const known = decisions.get(a.itemId);
    if (known && typeof a.version === 'number' && a.version < known.version) {
      throw ApplicationFailure.nonRetryable(`the decision was changed by someone else: you read version ${a.version}, it is now version ${known.version}; read it again and send the version you read`, 'Conflict', { field: 'version', current: known });
    }
  };
  const saveDecision = async (a: Parameters<typeof quick.saveDecision>[0]) => {
    staleDecision(a);
    try {
      const saved = await quick.saveDecision(a);
      seen(a.itemId, saved);
      return saved;
    } catch (err) {
      const cause = err instanceof ActivityFailure ? err.cause : undefined;
      if (cause instanceof ApplicationFailure && cause.type === 'Conflict') seen(a.itemId, (cause.details?.[0] as { current?: DecisionNow } | undefined)?.current);
      throw err;
    }
  };
  setHandler(
    recordDecision,
    async (a) => (v2 ? action('recordDecision', () => saveDecision({ meetingId, now: Date.now(), ...a })) : quick.saveDecision({ meetingId, now: Date.now(), ...a })),
    { validator: (a) => (v2 ? (validate('recordDecision')(a), staleDecision(a)) : plan ? (open(), Date.now() < Date.parse(plan.startsAt) ? refuse(`the meeting has not begun (it starts ${plan.startsAt}): no decision can be recorded yet`) : plan.justeradAt ? refuse('the minutes are justerade: decisions can no longer be changed') : undefined) : undefined) },
  );
  setHandler(
    sendMinutes,
    async (a) => {
      if (v2) {
        return action('sendMinutes', async () => {
          const r = await quick.commitMinutes({ meetingId, now: Date.now(), ...a });
          // The main loop reads the new state (and the mail goes) after this answer.
          plan = { ...plan!, minutesSentAt: new Date(Date.now()).toISOString() };
          changed = true;
          owe();
          return r;
        });
      }
      const r = await act.sendMinutesForJustering.executeWithOptions({ ...performOptions, summary: `protokoll till justering: ${a.justerare}` }, [{ meetingId, now: Date.now(), ...a }]);
      changed = true;
      return r;
    },
    { validator: (a) => (v2 ? validate('sendMinutes')(a) : plan ? (open(), !plan.heldAt ? refuse('the meeting has not been held yet') : plan.justeradAt ? refuse('the minutes are already justerade') : undefined) : undefined) },
  );
  setHandler(
    justeraMinutes,
    async (a) => {
      const justera = async () => {
        const r = await quick.recordJustering({ meetingId, now: Date.now(), ...a });
        if (v2) plan = { ...plan!, justeradAt: r.justeradAt };
        changed = true;
        return r;
      };
      return v2 ? action('justera', justera) : justera();
    },
    { validator: (a) => (v2 ? validate('justera')(a) : plan ? (open(), !plan.minutesSentAt ? refuse('the minutes have not been sent to the justerare') : plan.justeradAt ? refuse('the minutes are already justerade') : undefined) : undefined) },
  );

  // Updates that came with the protokoll's record; a run started before them has no handler (the update is rejected as unknown).
  if (v2) {
    setHandler(
      withdrawDecline,
      async (a) =>
        action('decline', async () => {
          const r = await quick.commitWithdrawal({ meetingId, now: Date.now(), ...a });
          owe();
          return r;
        }),
      { validator: validate('decline') },
    );
    setHandler(recordNarvaro, async (a) => action('recordDecision', () => quick.saveNarvaro({ meetingId, now: Date.now(), ...a })), { validator: validate('recordDecision') });
    setHandler(recordParagraph, async (a) => action('recordDecision', () => quick.saveParagraphRecord({ meetingId, now: Date.now(), ...a })), { validator: validate('recordDecision') });
    setHandler(
      signMinutes,
      async (a) =>
        action('justera', async () => {
          const r = await quick.recordSignature({ meetingId, now: Date.now(), ...a });
          if (r.justeradAt) plan = { ...plan!, justeradAt: r.justeradAt };
          changed = true;
          return r;
        }),
      { validator: validate('justera') },
    );
  }

  /**
   * A step of the process. Since ONE_AT_A_TIME one that fails for good (its retries ran out)
   * is shown to the official as a failed delivery and tried again hourly: the workflow waits for
   * the mail server or a person, it does not die.
   */
  const persist = async <T>(key: string, summary: string, fn: () => Promise<T>): Promise<T> => {
    if (!v2) return fn();
    for (let failures = 0; ; failures++) {
      try {
        const r = await fn();
        if (failures) await quick.clearMeetingStepFailure({ meetingId, step: key, now: Date.now() });
        return r;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        const error = (err.cause?.message ?? err.message).slice(0, 500);
        await recordFailure.recordMeetingStepFailure({ meetingId, step: key, summary, error, now: Date.now() });
        await sleep(RETRY_FAILED_STEP_MS);
      }
    }
  };
  /** Delivers what the record owes, in the background of the process (an action answers before its mails go). */
  const courier = async () => {
    for (;;) {
      await condition(() => owed || ended !== null);
      if (!owed) return;
      owed = false;
      delivering = true;
      try {
        await persist('mail', `E-post om ${plan?.title ?? 'styrelsemötet'} ${plan?.date ?? ''}: kallelse, inkallade ersättare, förhinder eller protokoll`, () =>
          act.deliverMeetingMails.executeWithOptions({ ...performOptions, summary: 'e-post som följer av det registrerade (kallelse, inkallade ersättare, förhinder, protokoll)' }, [{ meetingId, now: Date.now() }]),
        );
      } finally {
        delivering = false;
      }
    }
  };

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
      await condition(() => changed || orWhen(), Math.min(longestWait, Date.parse(t) - Date.now()));
      await reread();
    }
  };
  const delivered = v2 ? courier() : Promise.resolve();
  const done = async (why: string) => {
    // Actions still waiting for their turn or for the meeting to be read are answered with why the process is over.
    ended = why;
    await delivered;
    await condition(() => allHandlersFinished() && !owed && !delivering);
    return why;
  };
  plan = await readBoardMeeting({ meetingId, now: Date.now() });
  if (!plan) return done('the meeting is not known');
  if (plan.decisionsSentAt) return done('decisions already sent to the members');
  // Started again when the calendar is adopted.
  if (!plan.adopted) return done(`the calendar for ${plan.date.slice(0, 4)} is not adopted`);
  if (!plan.heldAt && Date.parse(plan.endsAt) <= Date.now() && !plan.kallelseSentAt) return done('the meeting was held before Årscykel ran it');
  if (plan.cancelled) {
    stage = v2 ? 'cancelled' : stage;
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
        const summary = `underlag till beredningsgruppen ${p().beredningsgrupp!.date}`;
        await persist('underlag-beredningsgrupp', summary, () => act.sendBeredningsunderlag.executeWithOptions({ ...performOptions, summary }, [{ meetingId, now: Date.now(), body: 'beredningsgrupp' }]));
      }
      if (p().beredning && (await until(() => p().beredning?.underlagAt, () => kallelseWanted)) && !kallelseWanted && p().beredning) {
        const summary = `underlag till presidiets beredning ${p().beredning!.date}`;
        await persist('underlag-beredning', summary, () => act.sendBeredningsunderlag.executeWithOptions({ ...performOptions, summary }, [{ meetingId, now: Date.now(), body: 'beredning' }]));
      }
      // The agenda closes for matters and the secretary is reminded of the kallelse, whichever comes first.
      const closeAgenda = async () => {
        const { moved } = (await exclusive(() => step('closeAgenda', `ärenden till dagordningen: ${p().title} ${p().date}`))) as { moved: { id: string; dnr: string }[] };
        for (const x of moved) {
          const summary = `ej berett i tid: ${x.dnr} flyttas till nästa sammanträde, ägaren meddelas`;
          await persist(`moved-${x.dnr}`, summary, () => act.tellOwnerMatterMoved.executeWithOptions({ ...performOptions, summary }, [{ matterId: x.id, fromMeetingId: meetingId, now: Date.now() }]));
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
      if (v2) {
        // The agenda and who is called are fixed and recorded, one at a time with the actions; the mails follow.
        const fixed = (await exclusive(async () => {
          const r = await step('fixKallelse', `kallelsen fastställs: föredragningslistan och de kallade, ${p().title} ${p().date}`);
          await reread();
          return r;
        })) as { fixed: boolean };
        if (!fixed.fixed) return false;
        owe();
      } else {
        await step('sendKallelse', `skicka kallelse med föredragningslista: ${p().title} ${p().date}`);
        await reread();
      }
    }
    stage = 'kallelse sent';
    show();
    if (!(await until(() => p().endsAt))) return false;
    await exclusive(async () => {
      if (!p().heldAt) await step('openMinutes', `sammanträdet hållet: protokoll ${p().date}`);
      await reread();
    });
    stage = 'held';
    show();
    // The secretary records the decisions and sends the minutes to the justerare (updates).
    while (!p().minutesSentAt) {
      await condition(() => changed, longestWait);
      await reread();
    }
    stage = 'minutes at justering';
    show();
    for (const r of p().justeringReminders) {
      if (!(await until(() => r.at, () => !!p().justeradAt))) return false;
      if (p().justeradAt) break;
      const summary = r.overdue ? 'justeringen är försenad: påminn justeraren' : 'påminn justeraren';
      await persist(`justering-${r.overdue ? 'overdue' : 'reminder'}`, summary, () => act.remindJusterare.executeWithOptions({ ...performOptions, summary }, [{ meetingId, now: Date.now(), overdue: r.overdue }]));
    }
    while (!p().justeradAt) {
      await condition(() => changed, longestWait);
      await reread();
    }
    stage = 'justerade';
    show();
    await exclusive(() => step('sendDecisions', `skicka besluten till medlemmarna: ${p().title} ${p().date}`));
    stage = 'decisions sent';
    show();
    return true;
  };
  if (await run()) return done('decisions sent to the members');
  stage = 'cancelled';
  show();
  await exclusive(async () => {
    await step('sendBoardInvites', `cancel: ${p().title} ${p().date}`);
    await step('releaseMatters', 'ärenden till nästa sammanträde');
  });
  return done('cancelled');
}
