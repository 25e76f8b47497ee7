// The money as stored: a year's budget, its actuals and the projects' committed grants, and the
// quarter's review (forecast and verdict) computed from them with the plain rules.
import type { MoneyPolicy, YearBudget } from '../domain/budget.js';
import { forecast, review, type ForecastResult, type Review } from '../domain/prognos.js';
import type { PrismaClient } from '../prisma/db.js';

export const quarterOf = (month: number) => Math.floor((month - 1) / 3) + 1;

/** The quarter a review started on `date` (Stockholm) looks back on: the one before. */
export function reviewedQuarter(date: string): { year: number; quarter: number } {
  const [y, m] = date.split('-').map(Number);
  const q = quarterOf(m);
  return q === 1 ? { year: y - 1, quarter: 4 } : { year: y, quarter: q - 1 };
}

export async function yearBudgetOf(prisma: PrismaClient, forbundId: string, year: number): Promise<YearBudget | null> {
  const [lines, y] = await Promise.all([
    prisma.budgetLine.findMany({ where: { forbundId, year }, orderBy: [{ position: 'asc' }, { key: 'asc' }] }),
    prisma.budgetYear.findUnique({ where: { forbundId_year: { forbundId, year } } }),
  ]);
  if (!lines.length) return null;
  return {
    year,
    lines: lines.map((l) => ({ key: l.key, name: l.name, kind: l.kind as 'income' | 'cost', group: l.group as YearBudget['lines'][number]['group'], amount: l.amount, ...(l.projectKey ? { projectKey: l.projectKey } : {}), ...(l.memberKey ? { memberKey: l.memberKey } : {}) })),
    ...(y?.equityCarriedOver !== null && y?.equityCarriedOver !== undefined ? { equityCarriedOver: y.equityCarriedOver } : {}),
    ...(y?.statedTotals ? { stated: y.statedTotals as YearBudget['stated'] } : {}),
  };
}

export const policyOf = (forbund: { moneyPolicy: unknown }): MoneyPolicy | null => ((forbund.moneyPolicy as { policy?: MoneyPolicy } | null)?.policy ?? null);

/** The last month of the year with any outcome entered (0 when none). */
export async function actualsThrough(prisma: PrismaClient, forbundId: string, year: number): Promise<number> {
  const r = await prisma.actual.aggregate({ _max: { month: true }, where: { forbundId, year } });
  return r._max.month ?? 0;
}

export interface ReviewOutcome {
  forecast: ForecastResult;
  verdict: Review;
  planned: number;
  policy: MoneyPolicy;
}

/** The forecast from the outcome through `throughMonth`, and the policy's verdict on it. */
export async function computeReview(prisma: PrismaClient, forbundId: string, year: number, throughMonth: number): Promise<ReviewOutcome | null> {
  const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } });
  const budget = await yearBudgetOf(prisma, forbundId, year);
  const policy = policyOf(forbund);
  if (!budget || !policy) return null;
  const [actuals, projects] = await Promise.all([
    prisma.actual.findMany({ where: { forbundId, year, month: { lte: throughMonth } } }),
    prisma.project.findMany({ where: { forbundId, status: 'active' }, select: { key: true, grants: true } }),
  ]);
  // A project's grant for the year is committed: the forecast never ends below it.
  const committedGrants = Object.fromEntries(projects.map((p) => [p.key, Number((p.grants as Record<string, number>)[String(year)] ?? 0)]).filter(([, n]) => Number(n) > 0));
  const f = forecast({ budget, actuals: actuals.map((a) => ({ lineKey: a.lineKey, month: a.month, amount: a.amount })), throughMonth, committedGrants });
  const planned = budget.stated?.result ?? f.result.budget;
  return { forecast: f, verdict: review(f, budget.equityCarriedOver, policy, planned), planned, policy };
}
