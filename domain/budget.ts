// The budget of a förbund, year by year: income (the members' contributions by share, other
// income), costs (administration lines, the projects' grants), the result, the equity carried
// over, and what the plan states about its own totals. Pure functions: no clock, no I/O.
//
// Amounts are whole kronor, and positive on both sides: an income line of 2 700 000 is money in,
// a cost line of 400 000 is money out; the result is income minus costs.
import type { ForbundFile, MemberKind } from './forbund-file.js';

export type BudgetLineKind = 'income' | 'cost';
/** members = the members' contributions; other_income; administration (staff, board fees, audit, …); project = grants to projects. */
export type BudgetLineGroup = 'members' | 'other_income' | 'administration' | 'project';

export interface BudgetLine {
  /** Unique within the year; stable across years for the same line (the SIE account mapping uses it). */
  key: string;
  name: string;
  kind: BudgetLineKind;
  group: BudgetLineGroup;
  /** Whole kronor, ≥ 0. */
  amount: number;
  /** A project line's project (file id); a line without one is a pool (e.g. "Övriga ansökningsbara"). */
  projectKey?: string;
  /** A members line for one member's contribution (file id). */
  memberKey?: string;
}

/** The totals a plan states for itself, checked against its lines by budgetWarnings(). */
export interface StatedTotals {
  totalIncome?: number;
  totalCosts?: number;
  /** May be negative. */
  result?: number;
  /** The sum of the project lines. */
  projectTotal?: number;
  /** The sum of the administration lines. */
  administrationTotal?: number;
}

export interface YearBudget {
  year: number;
  /** Income lines first, then cost lines, each in the order of the file. */
  lines: BudgetLine[];
  /** The equity at the start of the year (carried over from the year before). */
  equityCarriedOver?: number;
  stated?: StatedTotals;
}

export interface BudgetTotals {
  income: number;
  costs: number;
  /** income − costs */
  result: number;
  members: number;
  otherIncome: number;
  administration: number;
  projects: number;
}

export interface ProjectCeiling {
  projectKey: string;
  name: string;
  /** The project's grant ceiling for the year, kronor. */
  amount: number;
}

export interface BudgetWarning {
  /** Where in the förbund file, e.g. /budget/years/2016/stated/result. */
  path: string;
  /** The keys of the lines concerned. */
  lines: string[];
  message: string;
}

/**
 * The financing policy of a förbund. A deficit "should not arise" (001, Finansieringspolicy), but
 * a förbund may plan to use its equity, as Sydnärke 2016 plans −1 075 016 kr.
 */
export interface MoneyPolicy {
  /** Kronor the year's result may go below zero (0 = no deficit allowed). */
  maxPlannedDeficit: number;
  /** The lowest equity allowed at the year's end, kronor. */
  minEquity: number;
  /** When a line's deviation from its budget is worth the board's attention (default DEFAULT_MATERIALITY). */
  materiality?: Materiality;
}

/**
 * The materiality threshold of a line's deviation: the larger of `percent` of the line's budget
 * and `minKr` kronor. A deviation no larger than it ("budget 400 000 kr, prognos 399 997 kr") is
 * no deviation to report.
 */
export interface Materiality {
  percent: number;
  minKr: number;
}

export const DEFAULT_MATERIALITY: Materiality = { percent: 1, minKr: 5000 };

/** The threshold for a line with this budget: the larger of materiality.percent of it and materiality.minKr. */
export function materialityThreshold(budget: number, m: Materiality = DEFAULT_MATERIALITY): number {
  return Math.max(Math.round((Math.abs(budget) * m.percent) / 100), m.minKr);
}

/** Whether a deviation goes beyond the threshold of a line with this budget. */
export function isMaterial(deviation: number, budget: number, m: Materiality = DEFAULT_MATERIALITY): boolean {
  return Math.abs(Math.round(deviation)) > materialityThreshold(budget, m);
}

/**
 * The largest figure, in whole kronor either way, that Årscykel stores for one budget line, one
 * month's outcome of a line or the equity: 10^12 kr, beyond any förbund's books (the largest budgets
 * are some hundred million kronor), so a figure above it is a mistake in the file. The bound keeps
 * every sum made of the figures exact: a year of a line's months, and the year's lines added up
 * (even ×1.5 in the forecast), stay far below 2^53 (Number.MAX_SAFE_INTEGER, about 9 × 10^15),
 * and so does each figure in öre (×100). The database holds them as bigint (2^63).
 */
export const MAX_AMOUNT_KR = 1_000_000_000_000;

/** A whole number of kronor Årscykel can store: an integer of at most MAX_AMOUNT_KR either way. */
export const isStorableKr = (n: number) => Number.isSafeInteger(n) && Math.abs(n) <= MAX_AMOUNT_KR;

/** A stored figure (bigint, as the database gives it) as a number: exact, as the stored figures are bounded by MAX_AMOUNT_KR. */
export function krOf(stored: bigint | number): number {
  const n = Number(stored);
  if (!Number.isSafeInteger(n)) throw new RangeError(`a stored amount of ${String(stored)} kr is beyond what can be counted exactly`);
  return n;
}

// ---------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------

/** Whole kronor, Swedish style: "4 556 000 kr", "−1 075 016 kr" (spaces between thousands, a minus sign). */
export function formatKr(amount: number): string {
  const n = Math.round(amount);
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${n < 0 ? '−' : ''}${digits} kr`;
}

const kr = formatKr;

// ---------------------------------------------------------------------------
// Totals
// ---------------------------------------------------------------------------

const sum = (lines: readonly BudgetLine[]) => lines.reduce((a, l) => a + l.amount, 0);

export function totals(y: YearBudget): BudgetTotals {
  const of = (g: BudgetLineGroup) => sum(y.lines.filter((l) => l.group === g));
  const income = sum(y.lines.filter((l) => l.kind === 'income'));
  const costs = sum(y.lines.filter((l) => l.kind === 'cost'));
  return {
    income,
    costs,
    result: income - costs,
    members: of('members'),
    otherIncome: of('other_income'),
    administration: of('administration'),
    projects: of('project'),
  };
}

/** The year's result by its lines: income − costs. */
export function resultOf(y: YearBudget): number {
  return totals(y).result;
}

// ---------------------------------------------------------------------------
// Warnings: the plan's own figures that do not add up
// ---------------------------------------------------------------------------

/**
 * What in a year's budget does not add up, each with the lines concerned; nothing is corrected.
 *
 * - every stated total (total income, total costs, administration total, project total, result)
 *   against the sum of its lines;
 * - the stated project total against the sum of the projects' grant ceilings for the year (when
 *   any project has a ceiling that year: for a plan year with no decided grants yet there is
 *   nothing to compare);
 * - per project: its lines against its grant ceiling for the year (above it, or no ceiling).
 *
 * `projectCeilings`: the grant ceilings for this year (see projectCeilingsFor). Paths point into
 * the förbund file: /budget/years/<year>/stated/<total>, /budget/years/<year>/costs/<i>.
 */
export function budgetWarnings(y: YearBudget, projectCeilings: readonly ProjectCeiling[]): BudgetWarning[] {
  const warnings: BudgetWarning[] = [];
  const base = `/budget/years/${y.year}`;
  const t = totals(y);
  const stated = y.stated ?? {};
  const income = y.lines.filter((l) => l.kind === 'income');
  const costs = y.lines.filter((l) => l.kind === 'cost');
  const projectLines = y.lines.filter((l) => l.group === 'project');
  const named = (lines: readonly BudgetLine[]) => (lines.length ? lines.map((l) => `${l.name} ${kr(l.amount)}`).join(', ') : '(none)');
  const differs = (a: number, b: number) => `${kr(Math.abs(a - b))} ${a > b ? 'more' : 'less'}`;

  const check = (key: keyof StatedTotals, what: string, lines: BudgetLine[], actual: number) => {
    const s = stated[key];
    if (s === undefined || s === actual) return;
    warnings.push({
      path: `${base}/stated/${key}`,
      lines: lines.map((l) => l.key),
      message: `${y.year}: the stated ${what} ${kr(s)} is ${differs(s, actual)} than the sum of its lines, ${kr(actual)}; the lines: ${named(lines)}`,
    });
  };
  check('totalIncome', 'total income', income, t.income);
  check('totalCosts', 'total costs', costs, t.costs);
  check('administrationTotal', 'administration total', y.lines.filter((l) => l.group === 'administration'), t.administration);
  check('projectTotal', 'project total', projectLines, t.projects);

  const ceilingSum = projectCeilings.reduce((a, c) => a + c.amount, 0);
  if (stated.projectTotal !== undefined && projectCeilings.length > 0 && stated.projectTotal !== ceilingSum) {
    warnings.push({
      path: `${base}/stated/projectTotal`,
      lines: projectLines.map((l) => l.key),
      message:
        `${y.year}: the stated project total ${kr(stated.projectTotal)} is ${differs(stated.projectTotal, ceilingSum)} than the sum of the projects' grant ceilings for the year, ${kr(ceilingSum)} ` +
        `(${projectCeilings.map((c) => `${c.name} ${kr(c.amount)}`).join(', ')}); the project lines: ${named(projectLines)}`,
    });
  }

  if (stated.result !== undefined && stated.result !== t.result) {
    warnings.push({
      path: `${base}/stated/result`,
      lines: y.lines.map((l) => l.key),
      message:
        `${y.year}: the stated result ${kr(stated.result)} is ${differs(stated.result, t.result)} than the result of the lines, ${kr(t.result)} ` +
        `(income ${kr(t.income)} − costs ${kr(t.costs)}); the income lines: ${named(income)}; the cost lines: ${named(costs)}`,
    });
  }

  // Per project: its lines against its ceiling.
  const ceilings = new Map(projectCeilings.map((c) => [c.projectKey, c]));
  const byProject = new Map<string, BudgetLine[]>();
  for (const l of projectLines) if (l.projectKey !== undefined) byProject.set(l.projectKey, [...(byProject.get(l.projectKey) ?? []), l]);
  for (const [projectKey, lines] of byProject) {
    const amount = sum(lines);
    const ceiling = ceilings.get(projectKey);
    const path = `${base}/costs/${costs.indexOf(lines[0])}`;
    if (!ceiling) {
      if (amount === 0) continue;
      warnings.push({
        path,
        lines: lines.map((l) => l.key),
        message: `${y.year}: the lines of project "${projectKey}" sum to ${kr(amount)}, but the project has no grant ceiling for the year; the lines: ${named(lines)}`,
      });
    } else if (amount > ceiling.amount) {
      warnings.push({
        path,
        lines: lines.map((l) => l.key),
        message: `${y.year}: the lines of project "${ceiling.name}" sum to ${kr(amount)}, ${kr(amount - ceiling.amount)} above its grant ceiling for the year, ${kr(ceiling.amount)}; the lines: ${named(lines)}`,
      });
    }
  }
  return warnings;
}

// ---------------------------------------------------------------------------
// The members' contributions
// ---------------------------------------------------------------------------

export interface ContributingMember {
  key: string;
  name: string;
  kind: MemberKind;
  /** Percent of the förbund's whole funding, as in the förbund file (optional). */
  share?: number;
}

export interface MemberContribution {
  memberKey: string;
  name: string;
  /** Whole kronor for the year. */
  perYear: number;
  /** Whole kronor per calendar quarter, summing to perYear. */
  perQuarter: [number, number, number, number];
  /** The percent of the whole used. */
  percent: number;
  /**
   * Where the percent comes from: `given` (the member's share in the förbund file), `state` (the
   * state's half, paid through Försäkringskassan), `party` (what its party's part leaves, e.g. the
   * region's quarter), `assumed-equal` (the municipalities' quarter split equally: an assumption,
   * as no municipality's share is given), `none` (Arbetsförmedlingen: the state pays through
   * Försäkringskassan).
   */
  basis: ContributionBasis;
}

export type ContributionBasis = 'given' | 'state' | 'party' | 'assumed-equal' | 'none';

/**
 * Splits `parts` whole kronor of `total` by `weights` so that they sum exactly to `total`: each
 * part is rounded down, and the kronor left over go one each to the parts with the largest
 * remainders (the earliest first on a tie).
 */
export function splitExactly(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total)) throw new RangeError(`total must be whole kronor, got ${total}`);
  const w = weights.map((x) => (x > 0 ? x : 0));
  const wsum = w.reduce((a, b) => a + b, 0);
  if (w.length === 0) return [];
  if (wsum === 0) return splitExactly(total, w.map(() => 1));
  const sign = total < 0 ? -1 : 1;
  const abs = Math.abs(total);
  const raw = w.map((x) => (abs * x) / wsum);
  const parts = raw.map((r) => Math.floor(r + 1e-9));
  let left = abs - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, rem: r - parts[i] })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (let k = 0; left > 0 && k < order.length; k++, left--) parts[order[k].i] += 1;
  return parts.map((p) => p * sign);
}

/**
 * Each member's contribution per year and quarter, from the year's total member income.
 *
 * The rule (SFS 2003:1210 as the seeds apply it, 001 Finansieringspolicy): the state pays half —
 * Försäkringskassan and Arbetsförmedlingen together, through Försäkringskassan, so Försäkringskassan
 * carries the half and Arbetsförmedlingen 0 unless the file gives them shares; the region a quarter;
 * the municipalities together a quarter, as one party, split between them by their agreed key
 * (their `share`) or equally when none has one.
 *
 * A member with a `share` (percent of the whole, as in the file) gets that. What its party's part
 * (50, 25, 25) leaves goes to the party's members without a share: the state's to
 * Försäkringskassan (to Arbetsförmedlingen if Försäkringskassan has a share), the region's and the
 * municipalities' equally. When only some municipalities have a share, the rest of the municipal
 * quarter is split equally among the others. The kronor are then split by these percents so that
 * they sum exactly to the total (splitExactly), and each member's year into four quarters the
 * same way (the first quarters take a leftover krona).
 */
export function memberContributions(totalMemberIncome: number, members: readonly ContributingMember[]): MemberContribution[] {
  const percent = new Map<string, number>();
  const basis = new Map<string, ContributionBasis>();
  const party = (kinds: MemberKind[], part: number, restBasis: (n: number) => ContributionBasis, restTo: (without: ContributingMember[]) => ContributingMember[]) => {
    const of = members.filter((m) => kinds.includes(m.kind));
    const given = of.filter((m) => m.share !== undefined);
    for (const m of given) {
      percent.set(m.key, m.share!);
      basis.set(m.key, 'given');
    }
    const without = of.filter((m) => m.share === undefined);
    for (const m of without) {
      percent.set(m.key, 0);
      basis.set(m.key, 'none');
    }
    const rest = Math.max(0, part - given.reduce((a, m) => a + m.share!, 0));
    const to = restTo(without);
    for (const m of to) {
      percent.set(m.key, rest / to.length);
      basis.set(m.key, restBasis(to.length));
    }
  };
  party(['forsakringskassan', 'arbetsformedlingen'], 50, () => 'state', (without) => {
    const fk = without.filter((m) => m.kind === 'forsakringskassan');
    return fk.length ? fk.slice(0, 1) : without.slice(0, 1);
  });
  party(['region'], 25, () => 'party', (without) => without);
  party(['municipality'], 25, (n) => (n > 1 ? 'assumed-equal' : 'party'), (without) => without);

  const weights = members.map((m) => percent.get(m.key) ?? 0);
  const years = splitExactly(totalMemberIncome, weights);
  return members.map((m, i) => {
    const q = splitExactly(years[i], [1, 1, 1, 1]);
    return { memberKey: m.key, name: m.name, perYear: years[i], perQuarter: [q[0], q[1], q[2], q[3]], percent: weights[i], basis: basis.get(m.key) ?? 'none' };
  });
}

// ---------------------------------------------------------------------------
// The policy
// ---------------------------------------------------------------------------

export interface Judgement {
  withinPolicy: boolean;
  /** The equity at the year's end (equityStart + result), when the start is known. */
  equityEnd?: number;
  reason: string;
}

/**
 * Whether a year's result (planned or forecast) is within the financing policy: it may go at most
 * `maxPlannedDeficit` below zero, and the equity at the year's end (equityStart + result) must not
 * fall below `minEquity`. Without a known equity at the start only the first rule is checked.
 */
export function judge(result: number, equityStart: number | undefined, policy: MoneyPolicy): Judgement {
  const problems: string[] = [];
  const fine: string[] = [];
  const floor = -policy.maxPlannedDeficit;
  if (result < floor) {
    problems.push(
      `the result ${kr(result)} is ${kr(floor - result)} below what the policy allows (a result down to ${kr(floor)}, i.e. at most ${kr(policy.maxPlannedDeficit)} below zero)`,
    );
  } else {
    fine.push(result < 0 ? `the result ${kr(result)} is a deficit the policy allows (at most ${kr(policy.maxPlannedDeficit)} below zero)` : `the result ${kr(result)} is not a deficit`);
  }
  let equityEnd: number | undefined;
  if (equityStart === undefined) {
    fine.push('the equity carried over is not known, so the lowest equity allowed is not checked');
  } else {
    equityEnd = equityStart + result;
    if (equityEnd < policy.minEquity) {
      problems.push(`the equity would fall from ${kr(equityStart)} to ${kr(equityEnd)}, ${kr(policy.minEquity - equityEnd)} below the lowest allowed, ${kr(policy.minEquity)}`);
    } else {
      fine.push(`the equity goes from ${kr(equityStart)} to ${kr(equityEnd)}, not below the lowest allowed, ${kr(policy.minEquity)}`);
    }
  }
  const withinPolicy = problems.length === 0;
  const reason = withinPolicy ? `Within the financing policy: ${fine.join('; ')}.` : `Outside the financing policy: ${problems.join('; ')}.`;
  return { withinPolicy, ...(equityEnd !== undefined ? { equityEnd } : {}), reason };
}

// ---------------------------------------------------------------------------
// From the förbund file
// ---------------------------------------------------------------------------

/** The budget years of a förbund file (none without a budget section), by year. */
export function yearBudgetsOf(file: Pick<ForbundFile, 'budget'>): YearBudget[] {
  const years = file.budget?.years ?? {};
  return Object.keys(years)
    .map(Number)
    .sort((a, b) => a - b)
    .map((year) => {
      const y = years[String(year)];
      return {
        year,
        lines: [
          ...y.income.map((l): BudgetLine => ({ key: l.id, name: l.name, kind: 'income', group: l.group, amount: l.amount, ...(l.member !== undefined ? { memberKey: l.member } : {}) })),
          ...y.costs.map((l): BudgetLine => ({ key: l.id, name: l.name, kind: 'cost', group: l.group, amount: l.amount, ...(l.project !== undefined ? { projectKey: l.project } : {}) })),
        ],
        ...(y.equityCarriedOver !== undefined ? { equityCarriedOver: y.equityCarriedOver } : {}),
        ...(y.stated !== undefined ? { stated: { ...y.stated } } : {}),
      };
    });
}

/** The grant ceilings of the file's projects for a year (withdrawn projects have none). */
export function projectCeilingsFor(file: Pick<ForbundFile, 'projects'>, year: number): ProjectCeiling[] {
  return file.projects
    .filter((p) => p.status !== 'withdrawn' && p.grants[String(year)] !== undefined)
    .map((p) => ({ projectKey: p.id, name: p.name, amount: p.grants[String(year)] }));
}
