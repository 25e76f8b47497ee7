// The reporting plan of a project as stored: its open reports, the reminders planned for each
// (from the pure rules in domain/rapportering.ts) and which of them were already sent.
import { reminderPlan, REPORT_NAMES, type PlannedReminder, type ReportKind, type ReportingPolicy } from '../domain/rapportering.js';
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

/** Keys of mails sent or failed for good: steps done. A `sending` claim is not done (its attempt may have died). */
export async function settledKeys(prisma: PrismaClient, keys: string[], forbundId?: string): Promise<Set<string>> {
  const rows = await prisma.notification.findMany({ where: { ...(forbundId ? { forbundId } : {}), key: { in: keys }, status: { in: ['sent', 'failed'] } }, select: { key: true } });
  return new Set(rows.map((n) => n.key));
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
  const sent = await settledKeys(prisma, keys);
  const steps: Step[] = obligations.flatMap((o) =>
    o.reminders.map((r) => ({
      key: r.notificationKey,
      group: o.obligationId,
      at: r.at.toISOString(),
      kind: r.kind,
      subjectId: o.obligationId,
      summary: `${r.key}: ${REPORT_NAMES[o.kind]} för ${project.name}, due ${o.dueDate}`,
    })),
  );
  return { project, obligations, steps, sent };
}
