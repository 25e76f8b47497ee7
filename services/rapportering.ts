// The reporting plan of a project as stored: its open reports, the reminders planned for each
// (from the pure rules in domain/rapportering.ts) and which of them were already sent.
import { plannedFrom, reminderPlanFrom, REPORT_NAMES, yearLetters, type PlannedReminder, type ReportKind, type ReportingPolicy } from '../domain/rapportering.js';
import type { Step } from '../domain/schedule.js';
import { toStockholmDate, type IsoDate } from '../domain/dates.js';
import type { PrismaClient } from '../prisma/db.js';
import { audit } from './audit.js';
import { missing, Refusal } from './refusal.js';

export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Notification key of one reminder: a moved due date gets a fresh set of reminders. */
export const reminderKey = (obligationId: string, dueDate: string, step: string) => `report:${obligationId}:${dueDate}:${step}`;

/** Notification key of a project's year letter (once per project and year). */
export const letterKey = (projectId: string, year: number) => `report:${projectId}:letter:${year}`;

/** Notification key of the mail telling the coordinator a version was sent back for correction (once per version; services/granskning.ts). */
export const returnedKey = (submissionId: string) => `returned:${submissionId}`;

/** Notification key of the coordinator's receipt of one submitted version (once per submission). */
export const receiptKey = (submissionId: string) => `receipt:${submissionId}`;

/**
 * A receipt goes out only while its submission is this fresh (and not from before go-live): a
 * database from before receipts, or a workflow woken long after, sends no receipts for old reports.
 */
export const RECEIPT_FRESH_MS = 2 * 86_400_000;

/** Whether a submission made at `submittedAt` still gets its receipt at `now`. */
export function receiptWanted(forbund: { goLiveOn?: Date | null }, submittedAt: Date, now: Date): boolean {
  const goLive = goLiveOf(forbund);
  return now.getTime() - submittedAt.getTime() <= RECEIPT_FRESH_MS && (!goLive || toStockholmDate(submittedAt) >= goLive);
}

export interface ObligationSteps {
  obligationId: string;
  kind: ReportKind;
  dueDate: string;
  reminders: (PlannedReminder & { notificationKey: string })[];
}

export function policyOf(forbund: { reportingPolicy: unknown }): ReportingPolicy {
  return forbund.reportingPolicy as ReportingPolicy;
}

/** The förbund's go-live as a date ('2037-09-14'), if known. */
export const goLiveOf = (forbund: { goLiveOn?: Date | null }): IsoDate | undefined => (forbund.goLiveOn ? isoDay(forbund.goLiveOn) : undefined);

/** The first due date planned for a report: the förbund's go-live, or the day the report was added if later (domain plannedFrom). */
export function obligationPlannedFrom(forbund: { goLiveOn?: Date | null }, o: { createdAt: Date }): IsoDate | undefined {
  return plannedFrom(goLiveOf(forbund), toStockholmDate(o.createdAt));
}

/**
 * When the project's reports entered Årscykel, for its year letters: when the project was added,
 * or, for a conditional start recorded met later (services/projekt.ts recordConditionMet), when its
 * first report was planned: the coordinator's first letter then goes at once, as for a project
 * added during the year.
 */
export async function reportsPlannedSince(prisma: PrismaClient, project: { id: string; createdAt: Date; startCondition?: string | null; conditionMetOn?: Date | null }): Promise<Date> {
  if (!project.startCondition || !project.conditionMetOn) return project.createdAt;
  const first = await prisma.reportingObligation.findFirst({ where: { projectId: project.id }, orderBy: { createdAt: 'asc' }, select: { createdAt: true } });
  return first && first.createdAt > project.createdAt ? first.createdAt : project.createdAt;
}

/** Keys of mails sent or failed for good: steps done. A `sending` claim is not done (its attempt may have died). */
export async function settledKeys(prisma: PrismaClient, keys: string[], forbundId?: string): Promise<Set<string>> {
  const rows = await prisma.notification.findMany({ where: { ...(forbundId ? { forbundId } : {}), key: { in: keys }, status: { in: ['sent', 'failed'] } }, select: { key: true } });
  return new Set(rows.map((n) => n.key));
}

/**
 * The project's plan: each open report's reminders, the year letters (domain yearLetters:
 * at the year's first working day, or at once for a project added during the year; none that
 * has gone stale by `now`), and a receipt for each version submitted lately (receiptWanted), due
 * when it was submitted, and the mail of a version sent back for correction (due when it was sent
 * back). A letter, a receipt and a return are each a group of their own: they supersede nothing.
 */
export async function loadReportingPlan(prisma: PrismaClient, projectId: string, now: Date = new Date()) {
  const project = await prisma.project.findUnique({
    where: { id: projectId },
    include: { forbund: true, obligations: { where: { status: 'open' }, orderBy: { dueDate: 'asc' } } },
  });
  if (!project) return undefined;
  const policy = policyOf(project.forbund);
  const obligations: ObligationSteps[] = project.obligations.map((o) => {
    const dueDate = isoDay(o.dueDate);
    return {
      obligationId: o.id,
      kind: o.kind,
      dueDate,
      // Nothing due before go-live (or before the report entered Årscykel) is reminded or escalated.
      reminders: reminderPlanFrom(policy, dueDate, obligationPlannedFrom(project.forbund, o)).map((r) => ({ ...r, notificationKey: reminderKey(o.id, dueDate, r.key) })),
    };
  });
  const letters = project.status === 'active' ? yearLetters({ createdAt: await reportsPlannedSince(prisma, project), openDueDates: obligations.map((o) => o.dueDate), now }) : [];
  const letterSteps: Step[] = letters.map((l) => ({
    key: letterKey(project.id, l.year),
    group: `letter:${l.year}`,
    at: l.at.toISOString(),
    kind: 'letter',
    subjectId: project.id,
    summary: `letter ${l.year}: ${l.dueDates.length} report dates for ${project.name}`,
  }));
  const fresh = project.status === 'active' ? await prisma.submission.findMany({
    where: { obligation: { projectId: project.id }, submittedAt: { gte: new Date(now.getTime() - RECEIPT_FRESH_MS) } },
    select: { id: true, version: true, submittedAt: true, obligation: { select: { kind: true } } },
    orderBy: { submittedAt: 'asc' },
  }) : [];
  const receiptSteps: Step[] = fresh
    .filter((x) => receiptWanted(project.forbund, x.submittedAt, now))
    .map((x) => ({
      key: receiptKey(x.id),
      group: receiptKey(x.id),
      at: x.submittedAt.toISOString(),
      kind: 'receipt',
      subjectId: x.id,
      summary: `receipt: ${REPORT_NAMES[x.obligation.kind]} version ${x.version} för ${project.name}`,
    }));
  // A version the förbundschef sent back lately (services/granskning.ts): the coordinator is told
  // why, with the link to correct it, once, when it was sent back; not once corrected since.
  const returned = project.status === 'active' ? await prisma.submission.findMany({
    where: { obligation: { projectId: project.id }, reviewStatus: 'returned', reviewedAt: { gte: new Date(now.getTime() - RECEIPT_FRESH_MS) } },
    select: { id: true, version: true, reviewedAt: true, obligation: { select: { kind: true } } },
    orderBy: { reviewedAt: 'asc' },
  }) : [];
  const returnedSteps: Step[] = returned.map((x) => ({
    key: returnedKey(x.id),
    group: returnedKey(x.id),
    at: x.reviewedAt!.toISOString(),
    kind: 'returned',
    subjectId: x.id,
    summary: `returned: ${REPORT_NAMES[x.obligation.kind]} version ${x.version} för ${project.name}, to correct`,
  }));
  const keys = [...obligations.flatMap((o) => o.reminders.map((r) => r.notificationKey)), ...letterSteps.map((s) => s.key), ...receiptSteps.map((s) => s.key), ...returnedSteps.map((s) => s.key)];
  const sent = await settledKeys(prisma, keys);
  const reminderSteps: Step[] = obligations.flatMap((o) =>
    o.reminders.map((r) => ({
      key: r.notificationKey,
      group: o.obligationId,
      at: r.at.toISOString(),
      kind: r.kind,
      subjectId: o.obligationId,
      summary: `${r.key}: ${REPORT_NAMES[o.kind]} för ${project.name}, due ${o.dueDate}`,
    })),
  );
  const steps = [...letterSteps, ...reminderSteps, ...receiptSteps, ...returnedSteps];
  return { project, obligations, steps, sent };
}

/**
 * Locks a submitted report: its coordinator can no longer correct it (audited). Locking a locked
 * report changes nothing. The API's POST obligations/:id/lock and the official's report page.
 */
export async function lockReport(deps: { prisma: PrismaClient; now: () => Date }, a: { forbundId: string; id: string; actor: string }) {
  const { prisma } = deps;
  const o = await prisma.reportingObligation.findFirst({ where: { id: a.id, project: { forbundId: a.forbundId } } });
  if (!o) throw missing(`obligation "${a.id}"`, 'Rapporten finns inte.');
  if (o.status !== 'submitted') {
    throw new Refusal(409, `only a submitted report can be locked; this one is ${o.status}`, 'Bara en inlämnad rapport kan låsas.', [{ field: '(report)', problem: `the report is ${o.status}`, sv: 'Rapporten är inte inlämnad.' }]);
  }
  if (o.lockedAt) return { obligation: o, changed: false };
  const obligation = await prisma.$transaction(async (tx) => {
    const u = await tx.reportingObligation.update({ where: { id: o.id }, data: { lockedAt: deps.now() } });
    await audit(tx, { forbundId: a.forbundId, actor: a.actor, action: 'report.locked', entityType: 'obligation', entityId: o.id });
    return u;
  });
  return { obligation, changed: true };
}

/** The ids of the förbund's active projects (a withdrawn project's reports wait for nobody). */
export async function activeProjectIds(prisma: PrismaClient, forbundId: string): Promise<string[]> {
  return (await prisma.project.findMany({ where: { forbundId, status: 'active' }, select: { id: true } })).map((p) => p.id);
}
