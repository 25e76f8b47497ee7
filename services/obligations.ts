// What the official does about a project's reports, as the API and the official's pages both do
// it: give a report a new due date, withdraw a project, see to a mail that was not delivered.
// Each writes the database (audited) and then tells the project's workflow through the notifier.
import { isIsoDate } from '../domain/dates.js';
import { svDate } from '../domain/texts.js';
import type { PrismaClient } from '../prisma/db.js';
import type { WorkflowNotifier } from './notifier.js';
import { audit } from './audit.js';
import { isoDay } from './rapportering.js';
import { invalid, missing, Refusal } from './refusal.js';

interface Deps {
  prisma: PrismaClient;
  notifier: WorkflowNotifier;
  now: () => Date;
}

const STATUS_SV: Record<string, string> = { submitted: 'inlämnad', withdrawn: 'återkallad', open: 'öppen' };

/**
 * A new due date for an open report, not before its period ends: the open escalation about the
 * old date is resolved (the new date gets its own reminders), audited, the workflow told.
 */
export async function redateObligation(deps: Deps, a: { forbundId: string; id: string; dueDate: unknown; actor: string }) {
  const { prisma } = deps;
  const dueOk = isIsoDate(a.dueDate);
  const o = await prisma.reportingObligation.findFirst({ where: { id: a.id, project: { forbundId: a.forbundId } } });
  if (!o) throw missing(`obligation "${a.id}"`, 'Rapporten finns inte.');
  if (o.status !== 'open') {
    throw new Refusal(409, `obligation is ${o.status}; only an open report can be re-dated`, `Rapporten är ${STATUS_SV[o.status] ?? o.status}; bara en rapport som väntar kan få ny sista dag.`, [{ field: 'dueDate', problem: `the report is ${o.status}`, sv: `Rapporten är ${STATUS_SV[o.status] ?? o.status}.` }]);
  }
  if (!dueOk) throw invalid([{ field: 'dueDate', problem: 'must be a date YYYY-MM-DD', sv: 'Ange ett datum som finns, till exempel 2026-05-15.' }]);
  const dueDate = a.dueDate as string;
  if (dueDate < isoDay(o.periodEnd)) throw invalid([{ field: 'dueDate', problem: `must not be before the period ends (${isoDay(o.periodEnd)})`, sv: `Sista dag kan inte ligga före periodens slut, ${svDate(isoDay(o.periodEnd))}.` }]);
  const obligation = await prisma.$transaction(async (tx) => {
    const u = await tx.reportingObligation.update({ where: { id: o.id }, data: { dueDate: new Date(`${dueDate}T00:00:00Z`) } });
    // An escalation was about the old date; the new one gets its own reminders and escalation.
    await tx.escalation.updateMany({ where: { forbundId: a.forbundId, subjectType: 'obligation', subjectId: o.id, resolvedAt: null }, data: { resolvedAt: deps.now() } });
    await audit(tx, { forbundId: a.forbundId, actor: a.actor, action: 'obligation.redated', entityType: 'obligation', entityId: o.id, data: { from: isoDay(o.dueDate), to: dueDate } });
    return u;
  });
  const workflowNotified = await deps.notifier.reportingChanged(o.projectId, 'due date changed');
  return { obligation, from: isoDay(o.dueDate), workflowNotified };
}

/** Withdraws a project: its open reports are no longer expected (audited, the workflow told and ended). */
export async function withdrawProject(deps: Deps, a: { forbundId: string; key: string; actor: string }) {
  const { prisma } = deps;
  const x = await prisma.project.findUnique({ where: { forbundId_key: { forbundId: a.forbundId, key: a.key } } });
  if (!x) throw missing(`project "${a.key}"`, 'Insatsen finns inte.');
  if (x.status !== 'withdrawn') {
    await prisma.$transaction(async (tx) => {
      await tx.project.update({ where: { id: x.id }, data: { status: 'withdrawn' } });
      await tx.reportingObligation.updateMany({ where: { projectId: x.id, status: 'open' }, data: { status: 'withdrawn' } });
      await audit(tx, { forbundId: a.forbundId, actor: a.actor, action: 'project.withdrawn', entityType: 'project', entityId: x.id });
    });
  }
  const workflowNotified = await deps.notifier.reportingChanged(x.id, 'project withdrawn');
  return { project: x, workflowNotified };
}

/** A mail that failed for good (or addresses refused) is seen to: it leaves the pending steps (audited). */
export async function resolveDelivery(deps: Pick<Deps, 'prisma' | 'now'>, a: { forbundId: string; id: string; actor: string }) {
  const { prisma } = deps;
  const n = await prisma.notification.findFirst({ where: { id: a.id, forbundId: a.forbundId } });
  if (!n || (n.status !== 'failed' && n.rejected.length === 0)) throw missing('delivery failure', 'Det finns inget sådant utskick som inte kom fram.');
  if (!n.resolvedAt) {
    await prisma.$transaction(async (tx) => {
      await tx.notification.update({ where: { id: n.id }, data: { resolvedAt: deps.now() } });
      await audit(tx, { forbundId: a.forbundId, actor: a.actor, action: 'delivery.resolved', entityType: 'notification', entityId: n.id, data: { key: n.key } });
    });
  }
  return { id: n.id, resolved: true as const };
}
