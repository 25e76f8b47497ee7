// Activities of the quarterly review: open it, remind of the actuals, escalate their absence,
// run the forecast, and take a deficit to the board (a mail to the presidium and the official,
// and the matter "Prognostiserat underskott" on the next board meeting) once per review.
import { Context } from '@temporalio/activity';
import { daysBetween, toStockholmDate } from '../domain/dates.js';
import { actualsDue, actualsMissing, deficitForecast, deficitMatterDescription, deficitRecovered, deficitRecoveredNote } from '../domain/texts.js';
import { audit } from '../services/audit.js';
import { actualsThrough, computeReview, type ReviewOutcome } from '../services/pengar.js';
import { bodyMembers, officialOf, peopleWithRole, recipients, toAddress } from '../services/people.js';
import { registerMatter } from '../services/styrelse.js';
import type { ActivityDeps } from './deps.js';
import { stepOutcome, type StepOutcome } from './mail.js';

export interface ReviewState {
  reviewId: string;
  throughMonth: number;
  /** The outcome is in through the quarter's last month. */
  actualsIn: boolean;
  hasBudget: boolean;
}

type ReviewInput = { forbundId: string; year: number; quarter: number; now: number };

export function moneyActivities(deps: ActivityDeps) {
  const { prisma, mailer } = deps;

  async function people(forbundId: string) {
    const official = await officialOf(prisma, forbundId);
    const economists = (await peopleWithRole(prisma, forbundId, 'economist')).map(toAddress);
    const presidium = (await bodyMembers(prisma, forbundId, 'presidium')).map(toAddress);
    return { official: official ? [toAddress(official)] : [], economists, presidium };
  }
  const forbundOf = (id: string) => prisma.forbund.findUniqueOrThrow({ where: { id } });

  /** The review's verdict in Swedish, as the deficit matter files it (the domain's `why` is English, for the log). */
  const verdictText = (input: ReviewInput, through: number, out: ReviewOutcome) =>
    deficitMatterDescription({
      year: input.year,
      quarter: input.quarter,
      throughMonth: through,
      planned: out.planned,
      yearEnd: out.forecast.result.yearEnd,
      ...(out.verdict.equityEnd !== undefined ? { equityEnd: out.verdict.equityEnd } : {}),
      maxPlannedDeficit: out.policy.maxPlannedDeficit,
      minEquity: out.policy.minEquity,
      withinPolicy: !out.verdict.escalate,
    });

  /** The review of the quarter, once per period (a second run for the same quarter finds it). */
  async function openReview(input: ReviewInput): Promise<ReviewState> {
    const workflowId = Context.current().info.workflowExecution?.workflowId ?? null;
    const r = await prisma.forecastReview.upsert({
      where: { forbundId_year_quarter: { forbundId: input.forbundId, year: input.year, quarter: input.quarter } },
      create: { forbundId: input.forbundId, year: input.year, quarter: input.quarter, workflowId },
      update: { workflowId },
    });
    return readReview({ ...input, reviewId: r.id });
  }

  async function readReview(input: ReviewInput & { reviewId: string }): Promise<ReviewState> {
    const through = await actualsThrough(prisma, input.forbundId, input.year);
    const hasBudget = (await prisma.budgetLine.count({ where: { forbundId: input.forbundId, year: input.year } })) > 0;
    return { reviewId: input.reviewId, throughMonth: input.quarter * 3, actualsIn: through >= input.quarter * 3, hasBudget };
  }

  async function remindForActuals(input: ReviewInput & { reviewId: string }): Promise<StepOutcome> {
    const f = await forbundOf(input.forbundId);
    const p = await people(f.id);
    const r = recipients(p.economists.length ? p.economists : p.official, p.economists.length ? p.official : []);
    if (!r.to.length) return 'skipped';
    const text = actualsDue({ forbundName: f.name, year: input.year, quarter: input.quarter, throughMonth: input.quarter * 3, names: r.to.map((a) => a.name), link: `${deps.publicBaseUrl.replace(/\/$/, '')}/api/v1/forbund/${f.slug}/actuals/${input.year}` });
    return stepOutcome(await mailer.send({ key: `review:${input.reviewId}:actuals`, forbundId: f.id, from: { name: f.name, email: f.email }, kind: 'review.actuals', ...r, ...text }));
  }

  async function escalateMissingActuals(input: ReviewInput & { reviewId: string; remindedAt: number }): Promise<StepOutcome> {
    const f = await forbundOf(input.forbundId);
    const p = await people(f.id);
    const r = recipients([...p.official, ...p.presidium], p.economists);
    if (!r.to.length) return 'skipped';
    const days = daysBetween(toStockholmDate(new Date(input.remindedAt)), toStockholmDate(new Date(input.now)));
    const text = actualsMissing({ forbundName: f.name, year: input.year, quarter: input.quarter, throughMonth: input.quarter * 3, names: r.to.map((a) => a.name), daysLate: days });
    return stepOutcome(await mailer.send({ key: `review:${input.reviewId}:actuals-missing`, forbundId: f.id, from: { name: f.name, email: f.email }, kind: 'review.actuals-missing', ...r, ...text, routine: true, link: `${deps.publicBaseUrl}/admin/pengar/${input.year}#utfall` }));
  }

  /** The forecast from the outcome to date; stored on the review. */
  async function runForecast(input: ReviewInput & { reviewId: string }): Promise<{ escalate: boolean; yearEnd: number; planned: number; why: string } | null> {
    const through = input.quarter * 3;
    const out = await computeReview(prisma, input.forbundId, input.year, through);
    if (!out) return null;
    await prisma.$transaction(async (tx) => {
      await tx.forecastReview.update({
        where: { id: input.reviewId },
        data: { status: out.verdict.escalate ? 'escalated' : 'forecast', actualsThroughMonth: through, forecast: { ...out.forecast, verdict: out.verdict } as never, yearEndResult: out.forecast.result.yearEnd, withinPolicy: !out.verdict.escalate },
      });
      await audit(tx, { forbundId: input.forbundId, actor: 'system', action: 'forecast.reviewed', entityType: 'review', entityId: input.reviewId, data: { year: input.year, quarter: input.quarter, yearEnd: out.forecast.result.yearEnd, escalate: out.verdict.escalate } });
    });
    return { escalate: out.verdict.escalate, yearEnd: out.forecast.result.yearEnd, planned: out.planned, why: verdictText(input, through, out) };
  }

  /** The open deficit matter of the year, if an earlier review opened one. */
  const openDeficitMatter = (forbundId: string, year: number) =>
    prisma.matter.findFirst({ where: { forbundId, kind: 'deficit', status: { not: 'closed' }, title: { endsWith: String(year) } }, include: { meeting: true }, orderBy: { createdAt: 'desc' } });

  /**
   * A forecast beyond the policy goes to the board, once per review: a mail to the presidium and the
   * official, and the matter "Prognostiserat underskott" on the next board meeting — opened by the
   * first such review of the year, updated by the later ones.
   */
  async function takeDeficitToBoard(input: ReviewInput & { reviewId: string }): Promise<{ dnr: string; update: boolean }> {
    const f = await forbundOf(input.forbundId);
    const out = (await computeReview(prisma, input.forbundId, input.year, input.quarter * 3))!;
    const existing = await openDeficitMatter(f.id, input.year);
    // What the board reads on the matter, in Swedish: the forecast and the financing policy's verdict.
    const description = verdictText(input, input.quarter * 3, out);
    const figures = { year: input.year, quarter: input.quarter, planned: out.planned, ...out.forecast.result, ...(out.verdict.equityEnd !== undefined ? { equityEnd: out.verdict.equityEnd } : {}), why: description };
    let matter = existing;
    // The review's figures are the matter's preparation: it goes on the next agenda as it stands.
    const prepared = { status: 'prepared' as const, preparedAt: new Date(input.now) };
    if (existing) {
      await prisma.matter.update({ where: { id: existing.id }, data: { description, compilation: figures as never, ...(existing.status === 'registered' ? prepared : {}) } });
    } else {
      const created = await registerMatter(prisma, f.id, { title: `Prognostiserat underskott ${input.year}`, kind: 'deficit', owner: 'official', preparingBody: 'presidium', description }, new Date(input.now), 'system');
      await prisma.matter.update({ where: { id: created.id }, data: { compilation: figures as never, ...prepared } });
      matter = await prisma.matter.findUniqueOrThrow({ where: { id: created.id }, include: { meeting: true } });
      await deps.notifier?.matterChanged(created.id, `registered by the review of quarter ${input.quarter} ${input.year}`);
    }
    await prisma.forecastReview.update({ where: { id: input.reviewId }, data: { matterId: matter!.id } });
    const p = await people(f.id);
    const r = recipients([...p.presidium, ...p.official], p.economists);
    const text = deficitForecast({
      forbundName: f.name,
      year: input.year,
      quarter: input.quarter,
      throughMonth: input.quarter * 3,
      names: r.to.map((a) => a.name),
      planned: out.planned,
      yearEnd: out.forecast.result.yearEnd,
      at3Months: out.forecast.result.at3Months,
      at6Months: out.forecast.result.at6Months,
      ...(out.verdict.equityEnd !== undefined ? { equityEnd: out.verdict.equityEnd } : {}),
      maxPlannedDeficit: out.policy.maxPlannedDeficit,
      minEquity: out.policy.minEquity,
      dnr: matter!.dnr,
      ...(matter!.meeting ? { meetingDate: toStockholmDate(matter!.meeting.startsAt) } : {}),
      update: !!existing,
      lines: out.forecast.perLine.map((l) => ({ name: l.name, budget: l.budget, yearEnd: l.yearEnd })),
    });
    if (r.to.length) await mailer.send({ key: `review:${input.reviewId}:deficit`, forbundId: f.id, from: { name: f.name, email: f.email }, kind: 'review.deficit', ...r, ...text });
    return { dnr: matter!.dnr, update: !!existing };
  }

  /** A review within the policy after one that was not: the board's matter and its readers are told. */
  async function reportRecovery(input: ReviewInput & { reviewId: string }): Promise<StepOutcome> {
    const f = await forbundOf(input.forbundId);
    const existing = await openDeficitMatter(f.id, input.year);
    const before = await prisma.forecastReview.findFirst({ where: { forbundId: f.id, year: input.year, quarter: { lt: input.quarter }, withinPolicy: { not: null } }, orderBy: { quarter: 'desc' } });
    // Only the first review back within the policy says so.
    if (!existing || before?.withinPolicy !== false) return 'skipped';
    const out = (await computeReview(prisma, input.forbundId, input.year, input.quarter * 3))!;
    await prisma.matter.update({ where: { id: existing.id }, data: { description: `${existing.description}\n${deficitRecoveredNote({ quarter: input.quarter, yearEnd: out.forecast.result.yearEnd })}` } });
    const p = await people(f.id);
    const r = recipients([...p.presidium, ...p.official], p.economists);
    const text = deficitRecovered({ forbundName: f.name, year: input.year, quarter: input.quarter, throughMonth: input.quarter * 3, names: r.to.map((a) => a.name), yearEnd: out.forecast.result.yearEnd, dnr: existing.dnr });
    return stepOutcome(await mailer.send({ key: `review:${input.reviewId}:recovered`, forbundId: f.id, from: { name: f.name, email: f.email }, kind: 'review.recovered', ...r, ...text }));
  }

  return { openReview, readReview, remindForActuals, escalateMissingActuals, runForecast, takeDeficitToBoard, reportRecovery };
}
