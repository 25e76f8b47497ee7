// The loop both workflows share: ask for a decision, sleep until it is due (waking early when
// the plan changes, and at least daily to re-read it), carry it out, and continue as new before
// the history grows large. A step that fails for good is recorded for the official and the loop
// goes on: one undeliverable mail must not stop a year.
import { ActivityFailure, type SearchAttributeUpdatePair } from '@temporalio/common';
import { condition, log, proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { Decided, Decision, Step } from '../domain/schedule.js';
import { FORBUND, KIND, NEXT_AT, NEXT_STEP, WAITING_FOR, YEAR } from './search-attributes.js';
import { currentDecision, planChanged } from './signals.js';

/** No wait is longer: a workflow re-reads its plan at least once a day. */
export const MAX_WAIT_MS = 24 * 60 * 60 * 1000;

/**
 * Deciding only reads the database: a local activity (one marker in the history instead of an
 * activity's three events and a second workflow task, which matters for the daily re-reads),
 * retried until the database is back.
 */
export const decideOptions = { startToCloseTimeout: '1 minute', retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' } } as const;

/** Loop turns (decisions) per run before continuing as new, whatever Temporal suggests: a daily re-read costs about six events. */
export const MAX_DECISIONS_PER_RUN = 500;

/**
 * Carrying a step out sends one mail: each attempt is bounded (SMTP times out within 1 minute),
 * retried with backoff for at most 12 hours, after which the step is recorded as failed.
 */
export const performOptions = {
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '12 hours',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
} as const;

const { recordStepFailure } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' } });

export interface ScheduleLoop {
  kind: 'rapportering' | 'arscykel';
  year?: number;
  decide(now: number): Promise<Decided>;
  perform(step: Step, now: number, summary: string): Promise<unknown>;
  /** Steps carried out per run before continuing as new. */
  maxStepsPerRun: number;
}

export type LoopExit = { kind: 'end'; reason: string } | { kind: 'rollover'; year: number } | { kind: 'continueAsNew' };

export async function runSchedule(loop: ScheduleLoop): Promise<LoopExit> {
  let changed = false;
  let last: Decision | null = null;
  setHandler(planChanged, () => {
    changed = true;
  });
  setHandler(currentDecision, () => last);
  const show = visibility(loop);
  let performed = 0;
  for (let turn = 0; ; turn++) {
    if (performed >= loop.maxStepsPerRun || turn >= MAX_DECISIONS_PER_RUN || workflowInfo().continueAsNewSuggested) return { kind: 'continueAsNew' };
    changed = false;
    const decided = await loop.decide(Date.now());
    const d = (last = decided.decision);
    show(decided);
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

/** Keeps the search attributes (only when they change: each upsert is a history event) and the UI's current details. */
function visibility(loop: ScheduleLoop) {
  let shown = '';
  return (decided: Decided) => {
    const d = decided.decision;
    const next =
      d.action === 'perform' ? { step: d.step.kind, at: Date.now(), what: d.step.summary }
      : d.action === 'sleep' ? { step: d.step?.kind ?? 'yearEnd', at: new Date(d.until).getTime(), what: d.step?.summary ?? 'the end of the year' }
      : d.action === 'waitForChange' ? { step: 'waitForChange', at: Date.now() + MAX_WAIT_MS, what: d.why }
      : { step: d.action, at: Date.now(), what: d.action === 'end' ? d.reason : `rollover to ${d.year}` };
    setCurrentDetails(`**${next.step}** ${new Date(next.at).toISOString()}: ${next.what}`);
    if (!decided.searchAttributes) return;
    const pairs: SearchAttributeUpdatePair[] = [
      { key: FORBUND, value: decided.forbund },
      { key: KIND, value: loop.kind },
      { key: NEXT_STEP, value: next.step },
      { key: NEXT_AT, value: new Date(next.at) },
      { key: WAITING_FOR, value: next.what },
      ...(loop.year ? [{ key: YEAR, value: loop.year }] : []),
    ];
    const key = JSON.stringify(pairs.map((p) => p.value));
    if (key === shown) return;
    shown = key;
    upsertSearchAttributes(pairs);
  };
}
