// The reporting plan of a project as stored: its open reports, the reminders planned for each
// (from the pure rules in domain/rapportering.ts) and which of them were already sent.
import { reminderPlan, type PlannedReminder, type ReportKind, type ReportingPolicy } from '../domain/rapportering.js';
import type { Step } from '../domain/schedule.js';
import type { PrismaClient } from '../prisma/db.js';

export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Notification key of one reminder: a moved due date gets a fresh set of reminders. */
export const reminderKey = (obligationId: string, dueDate: string, step: string) => `report:${obligationId}:${dueDate}:${step}`;

export interface ObligationSteps {
  obligationId: string;
  kind: ReportKind;
  dueDate: string;
  reminders: (PlannedReminder & { notificationKey: string })[];
}

export function policyOf(forbund: { reportingPolicy: unknown }): ReportingPolicy {
  return forbund.reportingPolicy as ReportingPolicy;
}

export async function loadReportingPlan(prisma: PrismaClient, projectId: string) {
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
      reminders: reminderPlan(policy, dueDate).map((r) => ({ ...r, notificationKey: reminderKey(o.id, dueDate, r.key) })),
    };
  });
  const keys = obligations.flatMap((o) => o.reminders.map((r) => r.notificationKey));
  const sent = new Set((await prisma.notification.findMany({ where: { key: { in: keys } }, select: { key: true } })).map((n) => n.key));
  const steps: Step[] = obligations.flatMap((o) =>
    o.reminders.map((r) => ({ key: r.notificationKey, group: o.obligationId, at: r.at.toISOString(), kind: r.kind, subjectId: o.obligationId })),
  );
  return { project, obligations, steps, sent };
}
