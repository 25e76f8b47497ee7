// The statutory chain as stored (domain/redovisning.ts for its rules): the board's adopting
// decisions, once justerade, make the year's årsredovisning (or delårsrapport), adopt next year's
// budget, or revise this year's; the reports and each member's ansvarsfrihet are read here for the
// API, the pages and the pending steps. The chain's steps are the workflow's
// (workflows/redovisning.ts, activities/redovisning.ts).
import { toStockholmDate, type IsoDate } from '../domain/dates.js';
import { chainStage, dischargeLate, dischargeState, REPORT_OF_MILESTONE, REPORT_TITLES, reportYearOf, type ChainStage, type DischargeState, type ReportKind } from '../domain/redovisning.js';
import { pendingStep, type PendingStep } from '../domain/pending.js';
import type { Prisma, PrismaClient } from '../prisma/db.js';
import { audit } from './audit.js';
import { applyFundingDecision } from './beviljning.js';
import { officialOf } from './people.js';
import { isoDay } from './rapportering.js';

type Tx = Prisma.TransactionClient;

/** What a justerat protokoll's decisions set in motion: the reports to send on, the budget years adopted or revised. */
export interface Adoptions {
  reports: string[];
  budgetYears: number[];
  /** The projects whose grant a funding decision set (or refused): their reporting workflows are told. */
  fundedProjects: string[];
}

/**
 * Run in the transaction that sends a justerat protokoll's decisions on: a decided matter that
 * adopts the bokslut or delår milestone makes (or names) the report of its year; the vpBudget
 * milestone's decision adopts next year's budget, and the VP with it; a budget matter of no
 * milestone, decided after this year's budget was adopted, is a revision of it; a funding
 * application's decision sets (or refuses) the project's grant. Idempotent: a second run finds
 * each already recorded.
 */
export async function recordAdoptions(tx: Tx, meetingId: string, now: Date, actor = 'system'): Promise<Adoptions> {
  const meeting = await tx.meeting.findUniqueOrThrow({ where: { id: meetingId } });
  const items = await tx.agendaItem.findMany({ where: { meetingId, decision: { not: null }, matterId: { not: null } }, include: { matter: true }, orderBy: { number: 'asc' } });
  const out: Adoptions = { reports: [], budgetYears: [], fundedProjects: [] };
  const at = meeting.justeradAt ?? now;
  for (const item of items) {
    const matter = item.matter!;
    const by = `beslut ${matter.dnr} § ${item.paragraph ?? item.number}`;
    if (matter.kind === 'funding_application') {
      // A grant to a project: its ceiling for the year, from the justerat decision (services/beviljning.ts).
      const funded = await applyFundingDecision(tx, { matterId: matter.id, decision: item.decision!, by, at });
      if (funded) out.fundedProjects.push(funded.projectId);
      continue;
    }
    const ms = matter.milestoneId ? await tx.milestone.findUnique({ where: { id: matter.milestoneId } }) : null;
    const kind: ReportKind | undefined = ms ? REPORT_OF_MILESTONE[ms.kind] : undefined;
    if (ms && kind) {
      const year = reportYearOf(kind, ms.year);
      const existing = await tx.statutoryReport.findUnique({ where: { forbundId_year_kind: { forbundId: matter.forbundId, year, kind } } });
      if (existing?.adoptedAt) {
        out.reports.push(existing.id);
        continue;
      }
      const data = { matterId: matter.id, adoptedAt: at, adoptedBy: by, meetingId };
      const r = existing
        ? await tx.statutoryReport.update({ where: { id: existing.id }, data })
        : await tx.statutoryReport.create({ data: { forbundId: matter.forbundId, year, kind, ...data } });
      await audit(tx, { forbundId: matter.forbundId, actor, action: 'report.adopted', entityType: 'statutoryReport', entityId: r.id, data: { kind, year, by, dnr: matter.dnr } });
      out.reports.push(r.id);
      continue;
    }
    if (ms?.kind === 'vpBudget') {
      const year = ms.year + 1;
      const b = await tx.budgetYear.findUnique({ where: { forbundId_year: { forbundId: matter.forbundId, year } } });
      if (b?.adoptedAt) continue;
      await tx.budgetYear.upsert({ where: { forbundId_year: { forbundId: matter.forbundId, year } }, create: { forbundId: matter.forbundId, year, adoptedAt: at, adoptedBy: by }, update: { adoptedAt: at, adoptedBy: by } });
      await audit(tx, { forbundId: matter.forbundId, actor, action: 'budget.adopted', entityType: 'budgetYear', entityId: `${year}`, data: { year, by, dnr: matter.dnr, vp: true } });
      out.budgetYears.push(year);
      continue;
    }
    if (!ms && matter.kind === 'budget') {
      // A revision of the budget in force: the year the decision was taken in, once adopted.
      const year = Number(toStockholmDate(at).slice(0, 4));
      const b = await tx.budgetYear.findUnique({ where: { forbundId_year: { forbundId: matter.forbundId, year } } });
      if (!b?.adoptedAt) continue;
      const revisions = (b.revisions as { by: string }[]) ?? [];
      if (revisions.some((r) => r.by === by)) continue;
      await tx.budgetYear.update({ where: { id: b.id }, data: { revisions: [...revisions, { at: at.toISOString(), by, what: matter.title }] as never } });
      await audit(tx, { forbundId: matter.forbundId, actor, action: 'budget.revised', entityType: 'budgetYear', entityId: `${year}`, data: { year, by, dnr: matter.dnr, title: matter.title } });
      out.budgetYears.push(year);
    }
  }
  return out;
}

export interface DischargeRow {
  id: string;
  member: { key: string; name: string };
  state: DischargeState;
  outcome: 'beviljad' | 'inte_beviljad' | null;
  decidedOn: IsoDate | null;
  reference: string | null;
  recordedAt: string | null;
  remindersSent: number;
  refusalMatter: { id: string; dnr: string } | null;
}

export interface StatutoryReportRow {
  id: string;
  kind: ReportKind;
  title: string;
  year: number;
  stage: ChainStage;
  matter: { id: string; dnr: string; title: string } | null;
  adopted: { at: string; by: string } | null;
  sentToAuditorsAt: string | null;
  auditReport: { on: IsoDate; documentId: string | null; registeredAt: string; registeredBy: string | null } | null;
  sentToMembersAt: string | null;
  replyBy: IsoDate | null;
  discharges: DischargeRow[];
}

const reportInclude = { discharges: { include: { member: true }, orderBy: { member: { name: 'asc' } } } } as const;
type ReportRecord = Prisma.StatutoryReportGetPayload<{ include: typeof reportInclude }>;

async function rowOf(prisma: PrismaClient | Tx, r: ReportRecord, today: IsoDate): Promise<StatutoryReportRow> {
  const matter = r.matterId ? await prisma.matter.findUnique({ where: { id: r.matterId }, select: { id: true, dnr: true, title: true } }) : null;
  const refusals = r.discharges.map((d) => d.refusalMatterId).filter((x): x is string => !!x);
  const refusalMatters = new Map((refusals.length ? await prisma.matter.findMany({ where: { id: { in: refusals } }, select: { id: true, dnr: true } }) : []).map((m) => [m.id, m]));
  const replyBy = r.replyBy ? isoDay(r.replyBy) : null;
  return {
    id: r.id,
    kind: r.kind as ReportKind,
    title: `${REPORT_TITLES[r.kind as ReportKind]} ${r.year}`,
    year: r.year,
    stage: chainStage({ ...r, kind: r.kind as ReportKind }),
    matter,
    adopted: r.adoptedAt ? { at: r.adoptedAt.toISOString(), by: r.adoptedBy ?? '' } : null,
    sentToAuditorsAt: r.sentToAuditorsAt?.toISOString() ?? null,
    auditReport: r.auditReportOn ? { on: isoDay(r.auditReportOn), documentId: r.auditDocumentId, registeredAt: r.auditRegisteredAt!.toISOString(), registeredBy: r.auditRegisteredBy } : null,
    sentToMembersAt: r.sentToMembersAt?.toISOString() ?? null,
    replyBy,
    discharges: r.discharges.map((d) => ({
      id: d.id,
      member: { key: d.member.key, name: d.member.name },
      state: dischargeState({ outcome: d.outcome, replyBy }, today),
      outcome: (d.outcome as DischargeRow['outcome']) ?? null,
      decidedOn: d.decidedOn ? isoDay(d.decidedOn) : null,
      reference: d.reference,
      recordedAt: d.recordedAt?.toISOString() ?? null,
      remindersSent: d.reminders.length,
      refusalMatter: d.refusalMatterId ? (refusalMatters.get(d.refusalMatterId) ?? null) : null,
    })),
  };
}

/** The year's reports (the årsredovisning of the year and its delårsrapport), as far as they have come. */
export async function statutoryReportsOf(prisma: PrismaClient, forbundId: string, year: number, today: IsoDate): Promise<StatutoryReportRow[]> {
  const rows = await prisma.statutoryReport.findMany({ where: { forbundId, year }, include: reportInclude, orderBy: { kind: 'asc' } });
  return Promise.all(rows.map((r) => rowOf(prisma, r, today)));
}

export async function statutoryReport(prisma: PrismaClient | Tx, forbundId: string, id: string, today: IsoDate): Promise<StatutoryReportRow | null> {
  const r = await prisma.statutoryReport.findFirst({ where: { id, forbundId }, include: reportInclude });
  return r ? rowOf(prisma, r, today) : null;
}

/** The report a discharge belongs to, with the member: for the link page and the API. */
export async function dischargeWithReport(prisma: PrismaClient, dischargeId: string) {
  return prisma.memberDischarge.findUnique({ where: { id: dischargeId }, include: { member: true, report: { include: { forbund: true } } } });
}

/**
 * The official's pending steps of the chain: a revisionsberättelse to register once the
 * årsredovisning went to the revisorer (due the reply date less eight weeks, so the members have
 * their time), and each member's decision on ansvarsfrihet once late.
 */
export async function statutoryPendingSteps(prisma: PrismaClient, forbund: { id: string; slug: string }, today: string): Promise<PendingStep[]> {
  const reports = await prisma.statutoryReport.findMany({
    where: { forbundId: forbund.id, kind: 'arsredovisning', adoptedAt: { not: null }, OR: [{ auditRegisteredAt: null }, { discharges: { some: { outcome: null } } }] },
    include: reportInclude,
  });
  if (!reports.length) return [];
  const official = await officialOf(prisma, forbund.id);
  const waitingOn = { role: 'official', name: official?.name ?? null, email: official?.email ?? null };
  const steps: PendingStep[] = [];
  for (const r of reports) {
    if (!r.auditRegisteredAt && r.sentToAuditorsAt) {
      steps.push(
        pendingStep(
          {
            type: 'audit-report',
            id: r.id,
            title: `Registrera revisorernas revisionsberättelse för årsredovisningen ${r.year}`,
            waitingOn,
            // Three months after the adoption: a revision normally takes weeks, not months.
            dueDate: addMonths(toStockholmDate(r.adoptedAt!), 3),
            escalated: false,
            links: { register: `/api/v1/forbund/${forbund.slug}/statutory-reports/${r.id}/audit-report` },
          },
          today,
        ),
      );
    }
    const replyBy = r.replyBy ? isoDay(r.replyBy) : null;
    for (const d of r.discharges) {
      if (!dischargeLate({ outcome: d.outcome, replyBy }, today)) continue;
      steps.push(
        pendingStep(
          {
            type: 'discharge',
            id: d.id,
            title: `Beslut om ansvarsfrihet för ${r.year} från ${d.member.name} har inte kommit in (senast ${replyBy})`,
            waitingOn: { role: 'member', name: d.member.name, email: d.member.email ?? null },
            dueDate: replyBy!,
            escalated: d.reminders.length > 1,
            links: { record: `/api/v1/forbund/${forbund.slug}/discharges/${d.id}` },
          },
          today,
        ),
      );
    }
  }
  return steps;
}

function addMonths(d: IsoDate, n: number): IsoDate {
  const [y, m, day] = d.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  return `${t.getUTCFullYear()}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
}
