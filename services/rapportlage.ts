// The compiled item "Rapportläge för insatserna" on a board meeting's agenda: kept up to date with
// the escalated reports still missing until the kallelse is fixed, then as fixed (its compilation).
import { reportStatus, withReportStatus, type OverdueReport, type ReportStatus } from '../domain/rapportlage.js';
import type { AgendaEntry, AgendaKind } from '../domain/dagordning.js';
import type { ReportKind } from '../domain/rapportering.js';
import type { Prisma, PrismaClient } from '../prisma/db.js';
import { isoDay } from './rapportering.js';
import { writeAgenda } from './styrelse.js';

type Db = PrismaClient | Prisma.TransactionClient;

/** The förbund's escalated reports that have still not come in (open, of an active project). */
export async function overdueReports(db: Db, forbundId: string): Promise<OverdueReport[]> {
  const escalated = await db.escalation.findMany({ where: { forbundId, subjectType: 'obligation', resolvedAt: null }, select: { subjectId: true } });
  if (!escalated.length) return [];
  const obligations = await db.reportingObligation.findMany({
    where: { id: { in: escalated.map((e) => e.subjectId) }, status: 'open', project: { forbundId, status: 'active' } },
    include: { project: { select: { name: true } } },
  });
  return obligations.map((o) => ({ project: o.project.name, kind: o.kind as ReportKind, periodStart: isoDay(o.periodStart), periodEnd: isoDay(o.periodEnd), dueDate: isoDay(o.dueDate) }));
}

/** The förbund's report status as the board would read it now. */
export async function currentReportStatus(db: Db, forbundId: string): Promise<ReportStatus> {
  return reportStatus(await overdueReports(db, forbundId));
}

/**
 * Puts the compiled item on the meeting's agenda (or takes it off when nothing is missing any
 * more) with the current compilation. Only for an agenda not yet fixed by the kallelse; the caller
 * holds the meeting's row.
 */
export async function refreshReportStatus(tx: Prisma.TransactionClient, meetingId: string, forbundId: string): Promise<ReportStatus> {
  const status = await currentReportStatus(tx, forbundId);
  // Fixed with the kallelse: the agenda is part of the record from then on.
  const meeting = await tx.meeting.findUnique({ where: { id: meetingId }, select: { kallelseSentAt: true } });
  if (!meeting || meeting.kallelseSentAt) return status;
  const present = status.projects.length > 0;
  const current = (await tx.agendaItem.findMany({ where: { meetingId }, orderBy: { number: 'asc' } })).map((i): AgendaEntry & { id: string } => ({ id: i.id, title: i.title, kind: i.kind as AgendaKind, matterId: i.matterId }));
  if (!current.length) return status;
  const has = current.some((i) => i.kind === 'report_status');
  if (present || has) await writeAgenda(tx, meetingId, withReportStatus(current, present));
  if (present) await tx.agendaItem.updateMany({ where: { meetingId, kind: 'report_status' }, data: { compilation: status as never } });
  return status;
}
