// The forecast (prognos) of a budget year from the outcome so far, and the quarterly review of it
// against the financing policy: "each quarter the official and the ekonom review the funds with a
// forecast for the coming three and six months" (001, Finansieringspolicy). Pure functions: no
// clock, no I/O.
import { DEFAULT_MATERIALITY, formatKr, judge, materialityThreshold, resultOf, type BudgetLine, type BudgetLineGroup, type BudgetLineKind, type Materiality, type MoneyPolicy, type YearBudget } from './budget.js';

/** The outcome of one budget line in one month (1–12), whole kronor, positive as the line's amount. */
export interface ActualEntry {
  lineKey: string;
  month: number;
  amount: number;
}

export interface ForecastInput {
  budget: YearBudget;
  actuals: readonly ActualEntry[];
  /** The last month with outcome, 0 (none yet) to 12 (the year is over). */
  throughMonth: number;
  /** Per line: 12 weights (not negative) for how its budget falls over the months. */
  timing?: Record<string, readonly number[]>;
  /** Per project: the part of its grant for the year already committed (decided); the year-end forecast of its lines never goes below it. */
  committedGrants?: Record<string, number>;
  /** When a line's deviation is material (default DEFAULT_MATERIALITY: the larger of 1 % of its budget and 5 000 kr). */
  materiality?: Materiality;
}

/**
 * `agreed`: a contribution or a grant — an agreed amount; the year ends at the budget (or at what is
 * already paid or committed, if more). `run-rate`: a running cost or other income — the rest of the
 * budget at the rate seen so far, prudently.
 */
export type ForecastRule = 'agreed' | 'run-rate';

export interface LineForecast {
  key: string;
  name: string;
  kind: BudgetLineKind;
  group: BudgetLineGroup;
  rule: ForecastRule;
  /** The year's budget. */
  budget: number;
  /** The budget's timing through throughMonth. */
  budgetToDate: number;
  actualToDate: number;
  /** run-rate lines: the factor applied to the rest of the budget (1 = as budgeted). */
  rate?: number;
  /** Cumulative outcome at the end of month throughMonth + 3, + 6 (at most 12), and at year end. */
  at3Months: number;
  at6Months: number;
  yearEnd: number;
  /** The year end against the budget as it bears on the result: income yearEnd − budget, costs budget − yearEnd (positive is better). */
  deviation: number;
  /** The materiality threshold of the line: the larger of materiality.percent of its budget and materiality.minKr. */
  threshold: number;
  /** Whether the deviation goes beyond the threshold: a deviation worth reporting. */
  material: boolean;
  /** No outcome at all (no entry other than 0) through throughMonth although the budget has some: its forecast is the budget's, not the books'. */
  noOutcome: boolean;
}

export interface ForecastResult {
  throughMonth: number;
  /** The months the horizons end: throughMonth + 3 and + 6, at most 12. */
  months: { at3Months: number; at6Months: number };
  perLine: LineForecast[];
  /** Income − costs: the budget's, the outcome to date, and cumulative at each horizon. */
  result: { budget: number; toDate: number; at3Months: number; at6Months: number; yearEnd: number };
  /** What the forecast left out or added, in plain words (unknown lines, actuals after throughMonth, commitments without a line, commitments above the budget). */
  notes: string[];
  /**
   * The lines with a budget but no outcome (no entry other than 0) through throughMonth, when there
   * is outcome for the year (throughMonth ≥ 1): their forecast rests on the budget alone.
   */
  withoutOutcome: string[];
  /** The materiality used for the lines' `material`. */
  materiality: Materiality;
}

/** Member contributions are paid by quarter: by default in the first month of each quarter. */
export const MEMBER_TIMING: readonly number[] = [1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0];
export const EVEN_TIMING: readonly number[] = Array.from({ length: 12 }, () => 1);
/** A running line more than this far ahead of its timing is taken to be paying early, not costing more. */
export const MAX_RUN_RATE = 1.5;

/**
 * The forecast of a budget year: per line and for the result, the outcome 3 and 6 months ahead
 * and at year end.
 *
 * The method. Each line's budget falls over the year by a timing: even months, the members'
 * contributions by quarter (the first month of each), or the timing given for the line. What is
 * booked through `throughMonth` is the outcome to date; the months after it are forecast, and the
 * horizons are the cumulative outcome at the end of month throughMonth + 3 and + 6 (at most 12)
 * and at year end. Agreed amounts — the members' contributions and the projects' grants — end the
 * year at their budget: what is behind the budget's timing comes the next month, the rest of the
 * budget follows its timing (less what was paid ahead of it; all of it the next month if the timing
 * has no months left), and more than the budget only if it is already paid. Running lines
 * — administration and other income — get the rest of their budget at the rate seen so far (outcome
 * to date ÷ budget to date), prudently: a cost running ahead of its timing keeps that pace (at most
 * 1.5 times the budget's), one running behind is taken as late invoices and keeps the budget's pace;
 * other income running behind keeps its lower pace, income ahead is not counted on. A project's
 * lines never end the year below the grant already committed to it; a commitment for a project
 * without a line of its own is held against the project lines naming no project (the pool). When the
 * year is over (throughMonth 12) the outcome is the actuals, with the commitments not yet paid.
 *
 * Each line also says how its year end deviates from its budget (as it bears on the result), and
 * whether that is material: beyond the larger of `materiality.percent` of its budget and
 * `materiality.minKr` (default 1 % and 5 000 kr). A line with a budget but no outcome at all
 * through throughMonth (≥ 1) is `noOutcome` and listed in `withoutOutcome`: its forecast rests on
 * the budget alone, which the reader must be told.
 */
export function forecast(input: ForecastInput): ForecastResult {
  const { budget, actuals, throughMonth: t } = input;
  if (!Number.isInteger(t) || t < 0 || t > 12) throw new RangeError(`throughMonth must be a whole number from 0 to 12, got ${t}`);
  const notes: string[] = [];
  const h3 = Math.min(t + 3, 12);
  const h6 = Math.min(t + 6, 12);
  const keys = new Set(budget.lines.map((l) => l.key));

  for (const [key, w] of Object.entries(input.timing ?? {})) {
    if (!keys.has(key)) notes.push(`a timing for "${key}", which is no line of the ${budget.year} budget, was left out`);
    if (w.length !== 12 || w.some((x) => !Number.isFinite(x) || x < 0)) throw new RangeError(`timing of "${key}" must be 12 weights, none negative`);
  }

  const toDate = new Map<string, number>();
  /** Lines with an entry other than 0 through t. */
  const booked = new Set<string>();
  const unknown = new Set<string>();
  let later = 0;
  for (const a of actuals) {
    if (!Number.isInteger(a.month) || a.month < 1 || a.month > 12) throw new RangeError(`actual for "${a.lineKey}": month must be 1 to 12, got ${a.month}`);
    if (!keys.has(a.lineKey)) {
      unknown.add(a.lineKey);
      continue;
    }
    if (a.month > t) {
      later++;
      continue;
    }
    toDate.set(a.lineKey, (toDate.get(a.lineKey) ?? 0) + a.amount);
    if (a.amount !== 0) booked.add(a.lineKey);
  }
  if (unknown.size) notes.push(`outcome for lines not in the ${budget.year} budget was left out: ${[...unknown].sort().join(', ')}`);
  if (later) notes.push(`${later} outcome ${later === 1 ? 'entry' : 'entries'} after month ${t} ${later === 1 ? 'was' : 'were'} left out`);

  const raw = budget.lines.map((line) => lineForecast(line, input.timing?.[line.key], toDate.get(line.key) ?? 0, t, [h3, h6]));
  applyCommitments(budget.year, raw, input.committedGrants ?? {}, notes);

  const materiality = input.materiality ?? DEFAULT_MATERIALITY;
  const perLine: LineForecast[] = raw.map((r) => {
    const yearEnd = Math.round(r.yearEnd);
    const deviation = (r.line.kind === 'income' ? yearEnd - r.line.amount : r.line.amount - yearEnd) + 0;
    const threshold = materialityThreshold(r.line.amount, materiality);
    return {
      key: r.line.key,
      name: r.line.name,
      kind: r.line.kind,
      group: r.line.group,
      rule: r.rule,
      budget: r.line.amount,
      budgetToDate: Math.round(r.budgetToDate),
      actualToDate: r.actualToDate,
      ...(r.rule === 'run-rate' ? { rate: Math.round(r.rate * 10000) / 10000 } : {}),
      at3Months: Math.round(h3 === 12 ? r.yearEnd : r.at[0]),
      at6Months: Math.round(h6 === 12 ? r.yearEnd : r.at[1]),
      yearEnd,
      deviation,
      threshold,
      material: Math.abs(deviation) > threshold,
      noOutcome: t > 0 && r.line.amount !== 0 && !booked.has(r.line.key),
    };
  });
  const net = (pick: (l: LineForecast) => number) => perLine.reduce((a, l) => a + (l.kind === 'income' ? pick(l) : -pick(l)), 0);
  return {
    throughMonth: t,
    months: { at3Months: h3, at6Months: h6 },
    perLine,
    result: { budget: resultOf(budget), toDate: net((l) => l.actualToDate), at3Months: net((l) => l.at3Months), at6Months: net((l) => l.at6Months), yearEnd: net((l) => l.yearEnd) },
    notes,
    withoutOutcome: perLine.filter((l) => l.noOutcome).map((l) => l.key),
    materiality: { ...materiality },
  };
}

interface RawLine {
  line: BudgetLine;
  rule: ForecastRule;
  budgetToDate: number;
  actualToDate: number;
  rate: number;
  /** Cumulative outcome at the two horizons (before commitments). */
  at: [number, number];
  yearEnd: number;
}

function lineForecast(line: BudgetLine, given: readonly number[] | undefined, actualToDate: number, t: number, horizons: [number, number]): RawLine {
  const weights = given ?? (line.group === 'members' ? MEMBER_TIMING : EVEN_TIMING);
  const total = weights.reduce((a, b) => a + b, 0);
  const w = total > 0 ? weights : EVEN_TIMING;
  const wsum = total > 0 ? total : 12;
  /** Share of the budget's timing through month m. */
  const share = (m: number) => w.slice(0, m).reduce((a, b) => a + b, 0) / wsum;
  const B = line.amount;
  const budgetToDate = B * share(t);
  const rule: ForecastRule = line.group === 'members' || line.group === 'project' ? 'agreed' : 'run-rate';

  let rate = 1;
  /** Cumulative outcome at the end of month m ≥ t. */
  let at: (m: number) => number;
  if (rule === 'agreed') {
    // Behind the timing: that part comes the next month. The rest of the budget follows the
    // timing; what is already paid ahead of the timing comes off it. Nothing beyond month 12.
    const rest = Math.max(0, B - actualToDate);
    const behind = Math.min(rest, Math.max(0, budgetToDate - actualToDate));
    const future = rest - behind;
    const left = 1 - share(t);
    at = (m) => {
      if (m <= t) return actualToDate;
      const ofFuture = left > 1e-12 ? (share(m) - share(t)) / left : 1;
      return actualToDate + behind + future * ofFuture;
    };
  } else {
    const ratio = budgetToDate > 0 ? actualToDate / budgetToDate : 1;
    rate = line.kind === 'cost' ? Math.min(Math.max(ratio, 1), MAX_RUN_RATE) : Math.min(Math.max(ratio, 0), 1);
    at = (m) => actualToDate + B * (share(m) - share(t)) * rate;
  }
  return { line, rule, budgetToDate, actualToDate, rate, at: [at(horizons[0]), at(horizons[1])], yearEnd: at(12) };
}

/**
 * A project's lines never end the year below its committed grant: the shortfall goes onto its line
 * with the largest budget. Commitments for projects without a line of their own are held, together,
 * against the project lines that name no project.
 */
function applyCommitments(year: number, raw: RawLine[], committed: Record<string, number>, notes: string[]): void {
  const projectRows = raw.filter((r) => r.line.group === 'project' && r.line.kind === 'cost');
  const withLine = new Set(projectRows.flatMap((r) => (r.line.projectKey !== undefined ? [r.line.projectKey] : [])));
  const floor = (rows: RawLine[], amount: number, what: string) => {
    const forecastSum = rows.reduce((a, r) => a + r.yearEnd, 0);
    if (forecastSum >= amount) return;
    const target = rows.reduce((best, r) => (r.line.amount > best.line.amount ? r : best), rows[0]);
    target.yearEnd += amount - forecastSum;
    notes.push(`${what}: committed ${formatKr(amount)}, more than the ${formatKr(Math.round(forecastSum))} forecast otherwise; the year end of "${target.line.key}" is raised by ${formatKr(Math.round(amount - forecastSum))}`);
  };
  for (const projectKey of [...withLine].sort()) {
    const amount = committed[projectKey];
    if (amount === undefined) continue;
    floor(projectRows.filter((r) => r.line.projectKey === projectKey), amount, `project "${projectKey}"`);
  }
  const without = Object.keys(committed).filter((k) => !withLine.has(k)).sort();
  if (without.length === 0) return;
  const pool = projectRows.filter((r) => r.line.projectKey === undefined);
  const amount = without.reduce((a, k) => a + committed[k], 0);
  if (pool.length === 0) {
    notes.push(`grants committed to projects with no line in the ${year} budget were left out (it has no project line without a project to hold them): ${without.join(', ')}`);
    return;
  }
  floor(pool, amount, `projects without a line of their own (${without.join(', ')})`);
}

export interface Review {
  escalate: boolean;
  /** How far the forecast year-end result is below zero (0 when it is not). */
  deficit: number;
  /** How far the forecast year-end result is below the planned result (0 when it is not). */
  worseThanPlanned: number;
  /** The equity at year end by the forecast, when the equity at the start is known. */
  equityEnd?: number;
  why: string;
}

/**
 * The quarterly review of a forecast: escalate when the forecast year-end result goes further below
 * zero than the policy allows (maxPlannedDeficit) or would bring the equity below minEquity.
 * `plannedResult` (e.g. the budget's stated result, else the result of its lines) is compared for
 * the record: being worse than planned escalates through the policy, not by itself.
 */
export function review(forecastResult: ForecastResult, equityStart: number | undefined, policy: MoneyPolicy, plannedResult: number): Review {
  const yearEnd = forecastResult.result.yearEnd;
  const judged = judge(yearEnd, equityStart, policy);
  const deficit = Math.max(0, -yearEnd);
  const worseThanPlanned = Math.max(0, plannedResult - yearEnd);
  const against =
    worseThanPlanned > 0
      ? `${formatKr(worseThanPlanned)} worse than the planned ${formatKr(plannedResult)}`
      : `not worse than the planned ${formatKr(plannedResult)}`;
  const why = `${judged.withinPolicy ? 'No escalation' : 'Escalate to the board'}: the forecast result at year end, from the outcome through month ${forecastResult.throughMonth}, is ${formatKr(yearEnd)}, ${against}. ${judged.reason}`;
  return { escalate: !judged.withinPolicy, deficit, worseThanPlanned, ...(judged.equityEnd !== undefined ? { equityEnd: judged.equityEnd } : {}), why };
}
