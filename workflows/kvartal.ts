// The quarterly review of the money, started by a Temporal Schedule per förbund (Europe/Stockholm)
// early in each quarter for the one before: the economist is reminded to bring the actuals in;
// missing actuals escalate; once in, the forecast runs; a forecast beyond what the policy allows
// goes to the board once per review, and one back within the policy says so. A second run for
// the same quarter finds the same review and sends nothing twice.
import { condition, patched, proxyActivities, proxyLocalActivities, setCurrentDetails, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { ReviewState } from '../activities/pengar.js';
import { reviewedQuarter } from '../services/pengar.js';
import { decideOptions, MAX_WAIT_MS, performOptions } from './schedule.js';
import { planChanged } from './signals.js';

const { readReview } = proxyLocalActivities<Activities>(decideOptions);
const act = proxyActivities<Activities>(performOptions);

/** Working days are not counted here: the actuals are asked for, and escalated after this long. */
export const ACTUALS_ESCALATE_AFTER_MS = 10 * 24 * 60 * 60 * 1000;
/** A review whose actuals never come ends after this long (the next quarter's review takes over). */
export const REVIEW_GIVES_UP_AFTER_MS = 80 * 24 * 60 * 60 * 1000;

/**
 * A change signalled while a step ran (the actuals imported during the escalation mail) is kept
 * for the next wait, not forgotten: before it, such a signal waited for the next daily re-read.
 */
export const KEEP_CHANGE_DURING_STEP = 'review-keeps-change-during-step';

export interface ReviewInput {
  forbundId: string;
  /** The quarter reviewed; by default the one before the day the Schedule started it. */
  year?: number;
  quarter?: number;
}

export async function kvartalsgenomgang(input: ReviewInput): Promise<string> {
  const period = input.year && input.quarter ? { year: input.year, quarter: input.quarter } : reviewedQuarter(new Date(Date.now() + 3_600_000).toISOString().slice(0, 10));
  const base = { forbundId: input.forbundId, ...period };
  let changed = false;
  setHandler(planChanged, () => void (changed = true));
  const started = Date.now();
  const step = <T>(name: keyof Activities, summary: string, extra: object = {}) =>
    (act[name] as unknown as { executeWithOptions: (o: object, a: unknown[]) => Promise<T> }).executeWithOptions({ ...performOptions, summary }, [{ ...base, ...extra, now: Date.now() }]);
  const label = `kvartal ${period.quarter} ${period.year}`;

  let r = await step<ReviewState>('openReview', `öppna genomgången av ${label}`);
  if (!r.hasBudget) return `no budget for ${period.year}`;
  setCurrentDetails(`**${label}** waiting for the actuals through month ${r.throughMonth}`);
  if (!r.actualsIn) {
    await step('remindForActuals', `påminn om utfall t.o.m. månad ${r.throughMonth}`, { reviewId: r.reviewId });
    let escalated = false;
    while (!r.actualsIn) {
      const now = Date.now();
      if (now - started >= REVIEW_GIVES_UP_AFTER_MS) return `no actuals for ${label}`;
      if (!escalated && now - started >= ACTUALS_ESCALATE_AFTER_MS) {
        await step('escalateMissingActuals', `utfall saknas: eskalera till tjänstemannen och presidiet`, { reviewId: r.reviewId, remindedAt: started });
        escalated = true;
      }
      const until = escalated ? MAX_WAIT_MS : Math.min(MAX_WAIT_MS, started + ACTUALS_ESCALATE_AFTER_MS - now);
      const keep = patched(KEEP_CHANGE_DURING_STEP);
      if (!keep) changed = false;
      await condition(() => changed, until);
      if (keep) changed = false;
      r = await readReview({ ...base, reviewId: r.reviewId, now: Date.now() });
    }
  }
  const verdict = await step<{ escalate: boolean; yearEnd: number } | null>('runForecast', `prognos från utfallet t.o.m. månad ${r.throughMonth}`, { reviewId: r.reviewId });
  if (!verdict) return `no budget or policy for ${period.year}`;
  setCurrentDetails(`**${label}** forecast ${verdict.yearEnd} kr at year end${verdict.escalate ? ': to the board' : ''}`);
  if (verdict.escalate) {
    const m = await step<{ dnr: string }>('takeDeficitToBoard', `underskott till styrelsen: ${verdict.yearEnd} kr`, { reviewId: r.reviewId });
    return `deficit ${verdict.yearEnd} kr taken to the board as ${m.dnr}`;
  }
  await step('reportRecovery', 'prognosen inom policyn', { reviewId: r.reviewId });
  return `forecast ${verdict.yearEnd} kr, within the policy`;
}
