// The loop both workflows share: ask for a decision, sleep until it is due (waking early when
// the plan changes), carry it out, and continue as new before the history grows large. A step
// that fails for good is recorded for the official and the loop goes on: one undeliverable mail
// must not stop a year.
//
// Runs started since the patch STEP_ANSWERS_NEXT carry the steps due together out in one
// activity, which answers with the next decision (no decision of its own after a step), and wait
// until the next step, re-reading at most every LONGEST_WAIT_MS: about 11 history events per
// step instead of 13, and none on a quiet day instead of 6. Runs started before keep the loop
// they began with (stepThenDecideDaily) until they continue as new.
import { ActivityFailure, type ActivityOptions, type SearchAttributeUpdatePair } from '@temporalio/common';
import { condition, log, patched, proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { Carried, Planned } from '../activities/steps.js';
import type { Decided, Decision, Step } from '../domain/schedule.js';
import { FORBUND, KIND, NEXT_AT, NEXT_STEP, WAITING_FOR, YEAR } from './search-attributes.js';
import { currentDecision, planChanged } from './signals.js';

/** Patch id: a step's activity carries out the steps due together and answers with the next decision; no daily re-read. */
export const STEP_ANSWERS_NEXT = 'step-answers-next-decision';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Runs started before STEP_ANSWERS_NEXT (and the board's, the matters' and the reviews' workflows) wait at most a day. */
export const MAX_WAIT_MS = DAY_MS;

/**
 * The longest a workflow waits without reading its plan. Every change of a plan tells the
 * workflow (planChanged, kept in the outbox until delivered; every workflow is told again when a
 * worker starts, so at each deploy), so this re-read only catches a change made behind Årscykel's
 * back, such as a hand edit of the database. Each costs 6 history events. Sixty days is shorter
 * than the gap between two quarters' reminders, so a missed change is still seen before the next
 * quarter's reports are reminded, and a project with six reports a year stays well inside its
 * budget of 300 events (a week would cost up to 300 events a year on its own).
 */
export const LONGEST_WAIT_MS = 60 * DAY_MS;

/**
 * Deciding only reads the database: a local activity (one marker in the history instead of an
 * activity's three events and a second workflow task), retried until the database is back.
 */
export const decideOptions = { startToCloseTimeout: '1 minute', retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' } } as const;

/** Loop turns (decisions) per run before continuing as new, whatever Temporal suggests. */
export const MAX_DECISIONS_PER_RUN = 500;

/**
 * Carrying a step out sends one mail: each attempt is bounded (SMTP times out within 1 minute),
 * retried with backoff for at most 12 hours, after which the step is recorded as failed. The
 * mailer heartbeats while it sends (activities/mail.ts), so an attempt whose worker died is timed
 * out after 30 seconds, not at the end of its start-to-close time, and its retry takes over its
 * claims at once.
 */
export const performOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  scheduleToCloseTimeout: '12 hours',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
} as const;

const STEP_ATTEMPT_MS = 2 * 60 * 1000;

/** Steps carried out together: an attempt has two minutes for each of their mails. */
export function stepsOptions(steps: Step[]): ActivityOptions {
  const more = steps.length > 1 ? ` (and ${steps.length - 1} more)` : '';
  return { ...performOptions, startToCloseTimeout: STEP_ATTEMPT_MS * steps.length, summary: `${steps[0].summary}${more}` };
}

const { recordStepFailure, recordStepFailures } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' } });

export interface ScheduleLoop {
  kind: 'rapportering' | 'arscykel';
  year?: number;
  decide(now: number): Promise<Planned>;
  /** Carries out steps due together and answers with the decision after them. */
  carryOut(steps: Step[], now: number): Promise<Carried>;
  /** One step (runs started before STEP_ANSWERS_NEXT). */
  perform(step: Step, now: number, summary: string): Promise<unknown>;
  /** Step activities per run before continuing as new. */
  maxStepsPerRun: number;
}

export type LoopExit = { kind: 'end'; reason: string } | { kind: 'rollover'; year: number } | { kind: 'continueAsNew' };

export async function runSchedule(loop: ScheduleLoop): Promise<LoopExit> {
  // Asked once, at the start of a run: a run keeps the loop it began with.
  return patched(STEP_ANSWERS_NEXT) ? stepAnswersNext(loop) : stepThenDecideDaily(loop);
}

async function stepAnswersNext(loop: ScheduleLoop): Promise<LoopExit> {
  let changed = false;
  let last: Decision | null = null;
  setHandler(planChanged, () => {
    changed = true;
  });
  setHandler(currentDecision, () => last);
  const show = visibility(loop, { waitMs: LONGEST_WAIT_MS, upsertEachWait: false });
  const read = () => {
    changed = false;
    return loop.decide(Date.now());
  };

  async function carryOut(from: Planned, steps: Step[]): Promise<Planned> {
    last = { action: 'perform', step: steps[0] };
    // No upsert for a step under way: it takes seconds, and the next decision is shown after it.
    show({ ...from, decision: last }, { upsert: false });
    changed = false;
    try {
      const { outcomes, next } = await loop.carryOut(steps, Date.now());
      for (const o of outcomes) log.info('step carried out', { forbund: from.forbund, step: o.key, kind: o.kind, outcome: o.outcome });
      // A change told while the steps ran may have been stored after the activity read the plan.
      return changed ? await read() : next;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const error = (err.cause?.message ?? err.message).slice(0, 500);
      log.warn('step failed for good', { forbund: from.forbund, steps: steps.map((s) => s.key), error });
      await recordStepFailures({ forbundId: from.forbundId, steps, error });
      return read();
    }
  }

  let next = await read();
  let calls = 0;
  for (let turn = 0; ; turn++) {
    if (calls >= loop.maxStepsPerRun || turn >= MAX_DECISIONS_PER_RUN || workflowInfo().continueAsNewSuggested) return { kind: 'continueAsNew' };
    const d = (last = next.decision);
    show(next, { upsert: true });
    if (d.action === 'end') return { kind: 'end', reason: d.reason };
    if (d.action === 'rollover') return { kind: 'rollover', year: d.year };
    if (d.action === 'perform') {
      next = await carryOut(next, next.steps.length ? next.steps : [d.step]);
      calls++;
      continue;
    }
    const until = d.action === 'sleep' ? Date.parse(d.until) : Infinity;
    const told = await condition(() => changed, Math.min(LONGEST_WAIT_MS, Math.max(1, until - Date.now())));
    // Woken on time with the plan unchanged: the steps go out at once; the activity checks each against the stored plan.
    if (!told && Date.now() >= until && next.steps.length) {
      next = await carryOut(next, next.steps);
      calls++;
    } else next = await read();
  }
}

/** The loop of runs started before STEP_ANSWERS_NEXT, unchanged so that their histories replay. */
async function stepThenDecideDaily(loop: ScheduleLoop): Promise<LoopExit> {
  let changed = false;
  let last: Decision | null = null;
  setHandler(planChanged, () => {
    changed = true;
  });
  setHandler(currentDecision, () => last);
  const show = visibility(loop, { waitMs: MAX_WAIT_MS, upsertEachWait: true });
  let performed = 0;
  for (let turn = 0; ; turn++) {
    if (performed >= loop.maxStepsPerRun || turn >= MAX_DECISIONS_PER_RUN || workflowInfo().continueAsNewSuggested) return { kind: 'continueAsNew' };
    changed = false;
    const decided = await loop.decide(Date.now());
    const d = (last = decided.decision);
    show(decided, { upsert: true });
    switch (d.action) {
      case 'end':
        return { kind: 'end', reason: d.reason };
      case 'rollover':
        return { kind: 'rollover', year: d.year };
      case 'waitForChange':
        await condition(() => changed, MAX_WAIT_MS);
        break;
      case 'sleep':
        await condition(() => changed, Math.min(MAX_WAIT_MS, Math.max(1, new Date(d.until).getTime() - Date.now())));
        break;
      case 'perform':
        try {
          const outcome = await loop.perform(d.step, Date.now(), d.step.summary);
          log.info('step carried out', { forbund: decided.forbund, step: d.step.key, kind: d.step.kind, outcome });
        } catch (err) {
          if (!(err instanceof ActivityFailure)) throw err;
          const error = (err.cause?.message ?? err.message).slice(0, 500);
          log.warn('step failed for good', { forbund: decided.forbund, step: d.step.key, kind: d.step.kind, error });
          await recordStepFailure({ forbundId: decided.forbundId, step: d.step, error });
        }
        performed++;
        break;
    }
  }
}

/**
 * Keeps the search attributes (only when they change: each upsert is a history event) and the
 * UI's current details. While waiting for a change, the next re-read is shown as the next instant;
 * `upsertEachWait: false` does not upsert for that alone.
 */
function visibility(loop: ScheduleLoop, opts: { waitMs: number; upsertEachWait: boolean }) {
  let shown = '';
  return (decided: Decided, { upsert }: { upsert: boolean }) => {
    const d = decided.decision;
    const next =
      d.action === 'perform' ? { step: d.step.kind, at: Date.now(), what: d.step.summary }
      : d.action === 'sleep' ? { step: d.step?.kind ?? 'yearEnd', at: new Date(d.until).getTime(), what: d.step?.summary ?? 'the end of the year' }
      : d.action === 'waitForChange' ? { step: 'waitForChange', at: Date.now() + opts.waitMs, what: d.why }
      : { step: d.action, at: Date.now(), what: d.action === 'end' ? d.reason : `rollover to ${d.year}` };
    setCurrentDetails(`**${next.step}** ${new Date(next.at).toISOString()}: ${next.what}`);
    if (!decided.searchAttributes || !upsert) return;
    const pairs: SearchAttributeUpdatePair[] = [
      { key: FORBUND, value: decided.forbund },
      { key: KIND, value: loop.kind },
      { key: NEXT_STEP, value: next.step },
      { key: NEXT_AT, value: new Date(next.at) },
      { key: WAITING_FOR, value: next.what },
      ...(loop.year ? [{ key: YEAR, value: loop.year }] : []),
    ];
    const key = JSON.stringify(pairs.filter((p) => opts.upsertEachWait || d.action !== 'waitForChange' || p.key !== NEXT_AT).map((p) => p.value));
    if (key === shown) return;
    shown = key;
    upsertSearchAttributes(pairs);
  };
}
