// Activities of the reporting workflow: decide the next step from the stored plan, and carry
// steps out (the year letter, remind, remind overdue with the official in copy, escalate, the
// coordinator's receipt of a submitted report), answering with the decision that follows them.
import { daysBetween, toStockholmDate } from '../domain/dates.js';
import { decide, stepsToRun, type Step } from '../domain/schedule.js';
import { reportEscalation, reportOverdue, reportReceipt, reportReminder, reportReturned, reportYearLetter, type ReportMailFacts } from '../domain/texts.js';
import { audit } from '../services/audit.js';
import { generationOf, generationsOf, projectFeedLink, projectFeedPurpose, submissionLink, submissionPurpose } from '../services/links.js';
import { goLiveOf, isoDay, letterKey, loadReportingPlan, obligationPlannedFrom, policyOf, receiptKey, receiptWanted, reminderKey, reportsPlannedSince, returnedKey, RECEIPT_FRESH_MS } from '../services/rapportering.js';
import { dueSinceGoLive, plannedFrom, yearLetters } from '../domain/rapportering.js';
import { bodyMembers, officialOf, recipients, toAddress } from '../services/people.js';
import type { ActivityDeps } from './deps.js';
import { stepOutcome, type StepOutcome } from './mail.js';
import { carryOutEach, planned, type Carried, type Planned } from './steps.js';

export function reportingActivities(deps: ActivityDeps) {
  const { prisma, mailer } = deps;

  async function decideReporting(input: { projectId: string; now: number }): Promise<Planned> {
    const plan = await loadReportingPlan(prisma, input.projectId, new Date(input.now));
    if (!plan) return { decision: { action: 'end', reason: 'project not found' }, forbundId: '', forbund: '', searchAttributes: deps.searchAttributes, steps: [] };
    const about = { forbundId: plan.project.forbundId, forbund: plan.project.forbund.slug, searchAttributes: deps.searchAttributes, steps: [] };
    if (plan.project.status === 'withdrawn') return { decision: { action: 'end', reason: 'project withdrawn' }, ...about };
    // A conditional start not yet met owes nothing: the workflow ends, and is started again when the condition is recorded met.
    if (plan.project.startCondition && !plan.project.conditionMetOn && plan.obligations.length === 0) return { decision: { action: 'end', reason: 'waiting for its start condition' }, ...about };
    const now = new Date(input.now);
    // Every report in, and no receipt of one left to send: done (a correction starts it again).
    if (plan.obligations.length === 0 && stepsToRun(plan.steps, plan.sent, now).length === 0) return { decision: { action: 'end', reason: 'every report submitted' }, ...about };
    const decision = decide(plan.steps, plan.sent, now, { action: 'waitForChange', why: 'overdue reports escalated; waiting for submission' });
    return planned({ decision, ...about }, plan.steps, plan.sent, now);
  }

  /** Carries out steps due together (usually one) and answers with the decision after them. */
  async function carryOutReportingSteps(input: { projectId: string; steps: Step[]; now: number }): Promise<Carried> {
    const outcomes = await carryOutEach(input.steps, (step) => performReportingStep({ projectId: input.projectId, step, now: input.now }));
    return { outcomes, next: await decideReporting(input) };
  }

  /** The year letter: the year's report dates, each with its link, how reminders work, the calendar feed. */
  async function sendYearLetter(input: { projectId: string; step: Step; now: number }): Promise<StepOutcome> {
    const project = await prisma.project.findUnique({
      where: { id: input.projectId },
      include: { coordinator: true, forbund: true, obligations: { where: { status: 'open' }, orderBy: [{ dueDate: 'asc' }, { kind: 'asc' }] } },
    });
    if (!project || project.status !== 'active') return 'skipped';
    const year = Number(input.step.key.split(':').pop());
    // Re-checked against the plan as it stands: the reports due from the letter's day on, if still any.
    // When its reports entered Årscykel: its creation, or when a conditional start was recorded met.
    const since = await reportsPlannedSince(prisma, project);
    const letter = yearLetters({ createdAt: since, openDueDates: project.obligations.map((o) => isoDay(o.dueDate)), now: new Date(input.now) }).find((l) => l.year === year);
    if (!letter || input.step.key !== letterKey(project.id, year)) return 'skipped';
    const policy = policyOf(project.forbund);
    const today = toStockholmDate(new Date(input.now));
    // Each link at its current generation (a renewed link's earlier one no longer works).
    const generations = await generationsOf(prisma, [projectFeedPurpose(project.id), ...project.obligations.map((o) => submissionPurpose(o.id))]);
    const row = (o: (typeof project.obligations)[number]) => ({ kind: o.kind, periodStart: isoDay(o.periodStart), periodEnd: isoDay(o.periodEnd), dueDate: isoDay(o.dueDate), link: submissionLink(deps.publicBaseUrl, deps.linkSecret, o.id, generations.get(submissionPurpose(o.id))) });
    // Every report the coordinator still owes: those past their due date first, then the year's.
    // One due before Årscykel planned it is owed only once the official has said it is still wanted
    // (Läget vid start); until then it may well have been handled outside, and is not called late.
    const overdue = project.obligations
      .filter((o) => isoDay(o.dueDate) < today)
      .map((o) => ({ o, beforeStart: !dueSinceGoLive(isoDay(o.dueDate), obligationPlannedFrom(project.forbund, o)) }))
      .filter(({ o, beforeStart }) => !beforeStart || o.startSettledAt !== null)
      .map(({ o, beforeStart }) => ({ ...row(o), beforeStart }));
    const reports = project.obligations.filter((o) => letter.dueDates.includes(isoDay(o.dueDate)) && isoDay(o.dueDate) >= today).map(row);
    // The first letter of a project that was running when the förbund went live: not "now added".
    const goLive = goLiveOf(project.forbund);
    const runningAtGoLive = !!goLive && isoDay(project.startDate) < goLive && plannedFrom(goLive, toStockholmDate(since)) === goLive;
    const first = letter.at.getTime() === since.getTime();
    const text = reportYearLetter({
      forbundName: project.forbund.name,
      projectName: project.name,
      coordinatorName: project.coordinator.name,
      year,
      occasion: !first ? 'newYear' : (await earlierLetter(project.id, year)) ? 'changed' : runningAtGoLive ? 'goLive' : 'added',
      reports,
      overdue,
      reminderDays: policy.reminders,
      overdueDays: policy.overdue.reminderDaysAfter,
      escalateDays: policy.overdue.escalateDaysAfter,
      feedUrl: projectFeedLink(deps.publicBaseUrl, deps.linkSecret, project.id, generations.get(projectFeedPurpose(project.id))),
    });
    const result = await mailer.send({ key: input.step.key, forbundId: project.forbundId, from: { name: project.forbund.name, email: project.forbund.email }, kind: 'report.letter', to: [toAddress(project.coordinator)], ...text });
    return stepOutcome(result);
  }

  /** Whether the project already had a letter of another year (a due date moved into this one since). */
  async function earlierLetter(projectId: string, year: number): Promise<boolean> {
    // By exact keys (the unique index): a project's letters of the years around this one.
    const keys = Array.from({ length: 21 }, (_, i) => year - 10 + i).filter((y) => y !== year).map((y) => letterKey(projectId, y));
    return (await prisma.notification.count({ where: { key: { in: keys }, status: 'sent' } })) > 0;
  }

  /** The coordinator's receipt of one submitted version, with the link to correct it; not for one submitted long ago. */
  async function sendReceipt(input: { projectId: string; step: Step; now: number }): Promise<StepOutcome> {
    const s = await prisma.submission.findUnique({ where: { id: input.step.subjectId }, include: { obligation: { include: { project: { include: { coordinator: true, forbund: true } } } } } });
    if (!s || input.step.key !== receiptKey(s.id)) return 'skipped';
    const o = s.obligation;
    const { project } = o;
    const { forbund } = project;
    if (project.id !== input.projectId || project.status !== 'active' || !receiptWanted(forbund, s.submittedAt, new Date(input.now))) return 'skipped';
    const text = reportReceipt({ ...(await mailFacts(o)), version: s.version, submittedAt: s.submittedAt.toISOString() });
    const result = await mailer.send({ key: input.step.key, forbundId: forbund.id, from: { name: forbund.name, email: forbund.email }, kind: 'report.receipt', to: [toAddress(project.coordinator)], ...text });
    return stepOutcome(result);
  }

  /**
   * The coordinator is told a version was sent back by the förbundschef (services/granskning.ts):
   * the reason and the link to correct it. Not when it has been corrected since (a newer version),
   * approved after all, or sent back long ago.
   */
  async function sendReturned(input: { projectId: string; step: Step; now: number }): Promise<StepOutcome> {
    const s = await prisma.submission.findUnique({ where: { id: input.step.subjectId }, include: { obligation: { include: { project: { include: { coordinator: true, forbund: true } } } } } });
    if (!s || input.step.key !== returnedKey(s.id) || s.reviewStatus !== 'returned' || !s.reviewedAt || !s.returnReason) return 'skipped';
    const o = s.obligation;
    const { project } = o;
    const { forbund } = project;
    if (project.id !== input.projectId || project.status !== 'active' || o.status === 'withdrawn') return 'skipped';
    if (input.now - s.reviewedAt.getTime() > RECEIPT_FRESH_MS) return 'skipped';
    if ((await prisma.submission.count({ where: { obligationId: o.id, version: { gt: s.version } } })) > 0) return 'skipped';
    const text = reportReturned({ ...(await mailFacts(o)), version: s.version, reason: s.returnReason, reviewerName: s.reviewedBy });
    const result = await mailer.send({ key: input.step.key, forbundId: forbund.id, from: { name: forbund.name, email: forbund.email }, kind: 'report.returned', to: [toAddress(project.coordinator)], ...text });
    return stepOutcome(result);
  }

  /** What every mail about one report says of it, with the coordinator's own link (at its current generation). */
  async function mailFacts(o: { id: string; kind: ReportMailFacts['kind']; periodStart: Date; periodEnd: Date; dueDate: Date; project: { name: string; coordinator: { name: string }; forbund: { name: string } } }): Promise<ReportMailFacts> {
    const generation = await generationOf(prisma, submissionPurpose(o.id));
    return {
      forbundName: o.project.forbund.name,
      projectName: o.project.name,
      coordinatorName: o.project.coordinator.name,
      kind: o.kind,
      periodStart: isoDay(o.periodStart),
      periodEnd: isoDay(o.periodEnd),
      dueDate: isoDay(o.dueDate),
      link: submissionLink(deps.publicBaseUrl, deps.linkSecret, o.id, generation),
    };
  }

  async function performReportingStep(input: { projectId: string; step: Step; now: number }): Promise<StepOutcome> {
    const { step } = input;
    if (step.kind === 'letter') return sendYearLetter(input);
    if (step.kind === 'receipt') return sendReceipt(input);
    if (step.kind === 'returned') return sendReturned(input);
    const o = await prisma.reportingObligation.findUnique({
      where: { id: step.subjectId },
      include: { project: { include: { coordinator: true, forbund: true } } },
    });
    // The plan may have changed since the decision: a submitted, withdrawn or re-dated report is not reminded.
    if (!o || o.status !== 'open' || o.project.status !== 'active' || !step.key.includes(`:${isoDay(o.dueDate)}:`)) return 'skipped';
    // Nor one due before go-live (the go-live set since the decision): it predates the product.
    if (!dueSinceGoLive(isoDay(o.dueDate), obligationPlannedFrom(o.project.forbund, o))) return 'skipped';
    const { project } = o;
    const { forbund } = project;
    const official = await officialOf(prisma, forbund.id);
    // Days left / days late count by the Stockholm calendar (a late run at 00:30 is the next day).
    const today = toStockholmDate(new Date(input.now));
    const facts: ReportMailFacts = { ...(await mailFacts(o)), adminUrl: `${deps.publicBaseUrl.replace(/\/$/, '')}/admin/rapporter/${o.id}` };
    const from = { name: forbund.name, email: forbund.email };
    const coordinator = toAddress(project.coordinator);
    const base = { key: step.key, forbundId: forbund.id, from };
    let result;
    if (step.kind === 'reminder') {
      const text = reportReminder(facts, Math.max(0, daysBetween(today, facts.dueDate)));
      result = await mailer.send({ ...base, kind: 'report.reminder', to: [coordinator], ...text });
    } else if (step.kind === 'overdue') {
      // The official in copy, unless the official is the coordinator (then the copy is the mail itself).
      const r = recipients([coordinator], official ? [toAddress(official)] : []);
      const text = reportOverdue(facts, r.cc.map((a) => a.name));
      result = await mailer.send({ ...base, kind: 'report.overdue', routine: true, link: facts.adminUrl, ...r, ...text });
    } else {
      const group = (await bodyMembers(prisma, forbund.id, 'beredningsgrupp')).map(toAddress);
      const escalated = recipients([...(official ? [toAddress(official)] : []), ...group], [coordinator]);
      // Nobody to escalate to (no official, no group): at least the coordinator hears of it.
      const r = escalated.to.length ? escalated : recipients([coordinator]);
      const daysLate = daysBetween(facts.dueDate, today);
      await prisma.$transaction(async (tx) => {
        const key = `obligation:${o.id}:${facts.dueDate}`;
        const existing = await tx.escalation.findUnique({ where: { forbundId_key: { forbundId: forbund.id, key } } });
        if (existing) return;
        const e = await tx.escalation.create({
          data: { forbundId: forbund.id, key, subjectType: 'obligation', subjectId: o.id, reason: `report ${daysLate} days overdue`, raisedAt: new Date(input.now) },
        });
        await audit(tx, { forbundId: forbund.id, actor: 'system', action: 'escalation.raised', entityType: 'obligation', entityId: o.id, data: { escalationId: e.id, daysLate } });
      });
      // It reaches the board as part of the compiled item "Rapportläge för insatserna" of the next
      // meeting (services/rapportlage.ts), not as a matter with a Dnr of its own.
      // The greeting follows who receives it: the official and/or the group (a group of only the official is no group).
      const isOfficial = (a: { email: string }) => !!official && a.email.trim().toLowerCase() === official.email.trim().toLowerCase();
      // "Trots påminnelser" only when the coordinator was reminded of this report (a reminder or the overdue mail went out).
      const reminded = (await prisma.notification.count({ where: { key: { startsWith: reminderKey(o.id, facts.dueDate, '') }, kind: { in: ['report.reminder', 'report.overdue'] }, status: 'sent' } })) > 0;
      const audience = { official: !!official, beredningsgrupp: group.some((a) => !isOfficial(a)), coordinatorInCopy: r.cc.length > 0, names: r.to.map((a) => a.name), reminded };
      result = await mailer.send({ ...base, kind: 'report.escalation', routine: true, link: facts.adminUrl, ...r, ...reportEscalation(facts, daysLate, audience) });
    }
    return stepOutcome(result);
  }

  return { decideReporting, performReportingStep, carryOutReportingSteps };
}
