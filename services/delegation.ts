// Delegation decisions ("delegationsbeslut"): recorded by the official, reported to the next board
// meeting as the compiled item "Anmälan av delegationsbeslut" (domain/delegation.ts), kept up to
// date until the kallelse fixes the agenda; then each reported decision is tied to that item
// (reportedAtItemId, in the kallelse's transaction) and can no longer be changed or removed.
import { delegationReport, validateDelegation, withDelegationReport, type DelegationEntry, type DelegationInput, type DelegationReport, type DelegationValues } from '../domain/delegation.js';
import type { AgendaEntry, AgendaKind } from '../domain/dagordning.js';
import { toStockholmDate, type IsoDate } from '../domain/dates.js';
import type { Prisma, PrismaClient } from '../prisma/db.js';
import { audit } from './audit.js';
import { titleOfPerson } from './people.js';
import { invalid, missing, Refusal } from './refusal.js';
import { isoDay } from './rapportering.js';
import { boardPlan, writeAgenda } from './styrelse.js';

type Db = PrismaClient | Prisma.TransactionClient;
type Row = Prisma.DelegationDecisionGetPayload<object>;

/** A decision as the API and the page show it, with the meeting that was told of it. */
export interface DelegationView {
  id: string;
  decidedOn: IsoDate;
  decider: { name: string; title: string };
  delegationPoint: string;
  subject: string;
  decision: string;
  matterId: string | null;
  recordedBy: string;
  recordedAt: string;
  /** The board meeting (and its agenda item) it was reported to; null while not yet reported. */
  reported: { agendaItemId: string; itemNumber: number; meetingId: string; meetingTitle: string; meetingDate: IsoDate } | null;
}

const entryOf = (x: Row): DelegationEntry => ({
  id: x.id,
  decidedOn: isoDay(x.decidedOn),
  deciderName: x.deciderName,
  deciderTitle: x.deciderTitle,
  delegationPoint: x.delegationPoint,
  subject: x.subject,
  decision: x.decision,
  recordedAt: x.recordedAt.toISOString(),
  reportedAtItemId: x.reportedAtItemId,
});

async function viewsOf(db: Db, rows: Row[]): Promise<DelegationView[]> {
  const itemIds = [...new Set(rows.flatMap((x) => (x.reportedAtItemId ? [x.reportedAtItemId] : [])))];
  const items = itemIds.length ? await db.agendaItem.findMany({ where: { id: { in: itemIds } }, include: { meeting: { select: { id: true, title: true, startsAt: true } } } }) : [];
  const byId = new Map(items.map((i) => [i.id, i]));
  return rows.map((x) => {
    const i = x.reportedAtItemId ? byId.get(x.reportedAtItemId) : undefined;
    return {
      id: x.id,
      decidedOn: isoDay(x.decidedOn),
      decider: { name: x.deciderName, title: x.deciderTitle },
      delegationPoint: x.delegationPoint,
      subject: x.subject,
      decision: x.decision,
      matterId: x.matterId,
      recordedBy: x.recordedBy,
      recordedAt: x.recordedAt.toISOString(),
      reported: i ? { agendaItemId: i.id, itemNumber: i.number, meetingId: i.meeting.id, meetingTitle: i.meeting.title, meetingDate: toStockholmDate(i.meeting.startsAt) } : null,
    };
  });
}

/** The förbund's delegation decisions, newest decided first. */
export async function listDelegationDecisions(db: Db, forbundId: string): Promise<DelegationView[]> {
  const rows = await db.delegationDecision.findMany({ where: { forbundId }, orderBy: [{ decidedOn: 'desc' }, { recordedAt: 'desc' }] });
  return viewsOf(db, rows);
}

export async function delegationDecision(db: Db, forbundId: string, id: string): Promise<DelegationView> {
  const row = await db.delegationDecision.findFirst({ where: { id, forbundId } });
  if (!row) throw missing(`delegation decision "${id}"`, 'Delegationsbeslutet finns inte.');
  return (await viewsOf(db, [row]))[0];
}

/** Who decided: the signed-in person (the official), else the förbund's official; by name and Swedish title. */
async function deciderOf(db: Db, forbundId: string, personId: string | undefined): Promise<{ name: string; title: string }> {
  const person =
    (personId ? await db.person.findFirst({ where: { id: personId, forbundId } }) : null) ??
    (await db.person.findFirst({ where: { forbundId, roles: { has: 'official' } }, orderBy: { key: 'asc' } }));
  if (!person) throw new Refusal(409, 'no person to name as the one who decided: sign in as the official, or give the förbund an official', 'Det finns ingen tjänsteperson att ange som beslutsfattare.');
  return { name: person.name, title: (await titleOfPerson(db, person)) ?? '' };
}

const refusedAsReported = (v: DelegationView, what: 'changed' | 'removed') => {
  const r = v.reported!;
  return new Refusal(
    409,
    `the decision was reported to the board (${r.meetingTitle} ${r.meetingDate}, item ${r.itemNumber}) when the kallelse went out and can no longer be ${what}`,
    `Beslutet anmäldes till styrelsen (${r.meetingTitle} ${r.meetingDate}, punkt ${r.itemNumber}) när kallelsen skickades och kan inte längre ${what === 'changed' ? 'ändras' : 'tas bort'}.`,
  );
};

export interface DelegationDeps {
  prisma: PrismaClient;
  now: () => Date;
}

/** Records a decision taken under delegation (validated, audited `delegation.recorded`); the open agenda it belongs on is brought up to date. */
export async function recordDelegationDecision(deps: DelegationDeps, a: { forbundId: string; personId?: string; actor: string; input: DelegationInput }): Promise<DelegationView> {
  const checked = validateDelegation(a.input, toStockholmDate(deps.now()));
  if (!checked.ok) throw invalid(checked.problems);
  const v = checked.value as DelegationValues;
  const decider = await deciderOf(deps.prisma, a.forbundId, a.personId);
  const row = await deps.prisma.$transaction(async (tx) => {
    const open = await lockOpenMeetings(tx, a.forbundId, deps.now());
    const created = await tx.delegationDecision.create({
      data: { forbundId: a.forbundId, decidedOn: new Date(v.decidedOn), deciderName: decider.name, deciderTitle: decider.title, delegationPoint: v.delegationPoint, subject: v.subject, decision: v.decision, recordedBy: a.actor },
    });
    await audit(tx, { forbundId: a.forbundId, actor: a.actor, action: 'delegation.recorded', entityType: 'delegation_decision', entityId: created.id, data: { decidedOn: v.decidedOn, delegationPoint: v.delegationPoint, subject: v.subject, decider: decider.name } });
    await refreshMeetings(tx, a.forbundId, open);
    return created;
  });
  return (await viewsOf(deps.prisma, [row]))[0];
}

/** Corrects a decision not yet reported (audited `delegation.corrected`); a reported one is refused (409). */
export async function correctDelegationDecision(deps: DelegationDeps, a: { forbundId: string; id: string; actor: string; input: DelegationInput }): Promise<DelegationView> {
  const current = await delegationDecision(deps.prisma, a.forbundId, a.id);
  if (current.reported) throw refusedAsReported(current, 'changed');
  const checked = validateDelegation(a.input, toStockholmDate(deps.now()), true);
  if (!checked.ok) throw invalid(checked.problems);
  const v = checked.value;
  await deps.prisma.$transaction(async (tx) => {
    const open = await lockOpenMeetings(tx, a.forbundId, deps.now());
    // Only while unreported: the kallelse may have fixed it meanwhile.
    const n = await tx.delegationDecision.updateMany({ where: { id: a.id, forbundId: a.forbundId, reportedAtItemId: null }, data: { ...v, ...(v.decidedOn ? { decidedOn: new Date(v.decidedOn) } : {}) } });
    if (n.count === 0) throw refusedAsReported(await delegationDecision(tx, a.forbundId, a.id), 'changed');
    const before = { decidedOn: current.decidedOn, delegationPoint: current.delegationPoint, subject: current.subject, decision: current.decision };
    const changed = Object.fromEntries(Object.entries(v).filter(([k, x]) => before[k as keyof typeof before] !== x).map(([k, x]) => [k, { from: before[k as keyof typeof before], to: x }]));
    await audit(tx, { forbundId: a.forbundId, actor: a.actor, action: 'delegation.corrected', entityType: 'delegation_decision', entityId: a.id, data: { subject: v.subject ?? current.subject, changed } });
    await refreshMeetings(tx, a.forbundId, open);
  });
  return delegationDecision(deps.prisma, a.forbundId, a.id);
}

/** Removes a decision not yet reported (audited `delegation.removed`); a reported one is refused (409). */
export async function removeDelegationDecision(deps: DelegationDeps, a: { forbundId: string; id: string; actor: string }): Promise<DelegationView> {
  const current = await delegationDecision(deps.prisma, a.forbundId, a.id);
  if (current.reported) throw refusedAsReported(current, 'removed');
  await deps.prisma.$transaction(async (tx) => {
    const open = await lockOpenMeetings(tx, a.forbundId, deps.now());
    const n = await tx.delegationDecision.deleteMany({ where: { id: a.id, forbundId: a.forbundId, reportedAtItemId: null } });
    if (n.count === 0) throw refusedAsReported(await delegationDecision(tx, a.forbundId, a.id), 'removed');
    await audit(tx, { forbundId: a.forbundId, actor: a.actor, action: 'delegation.removed', entityType: 'delegation_decision', entityId: a.id, data: { decidedOn: current.decidedOn, delegationPoint: current.delegationPoint, subject: current.subject } });
    await refreshMeetings(tx, a.forbundId, open);
  });
  return current;
}

/** The day a board meeting's agenda closes for matters (its plan), in Stockholm. */
async function closesOnOf(db: Db, meetingId: string): Promise<IsoDate | undefined> {
  const plan = await boardPlan(db, meetingId);
  return plan ? toStockholmDate(new Date(plan.agendaClosesAt)) : undefined;
}

/** The report the meeting's item would hold now: the unreported decisions decided by the day its agenda closes. */
export async function currentDelegationReport(db: Db, meetingId: string, forbundId: string): Promise<DelegationReport> {
  const closesOn = await closesOnOf(db, meetingId);
  if (!closesOn) return { decisions: [] };
  const rows = await db.delegationDecision.findMany({ where: { forbundId, reportedAtItemId: null, decidedOn: { lte: new Date(closesOn) } } });
  return delegationReport(rows.map(entryOf), closesOn);
}

/**
 * Puts the compiled item on the meeting's agenda (or takes it off when there is nothing to report)
 * with the current compilation. Only for an agenda not yet fixed by the kallelse; the caller holds
 * the meeting's row. `fix` (the kallelse's transaction): the decisions in the item are tied to it
 * (reportedAtItemId), so they are reported once and can no longer be changed.
 */
export async function refreshDelegationReport(tx: Prisma.TransactionClient, meetingId: string, forbundId: string, o: { fix?: boolean } = {}): Promise<DelegationReport> {
  const meeting = await tx.meeting.findUnique({ where: { id: meetingId }, select: { kallelseSentAt: true, kind: true } });
  // Fixed with the kallelse: the agenda is part of the record from then on.
  if (!meeting || meeting.kallelseSentAt || meeting.kind !== 'styrelse') return { decisions: [] };
  // Held while fixing: a correction waits, then finds the decision reported (409).
  if (o.fix) await tx.$queryRaw`SELECT "id" FROM "DelegationDecision" WHERE "forbundId" = ${forbundId} AND "reportedAtItemId" IS NULL FOR UPDATE`;
  const report = await currentDelegationReport(tx, meetingId, forbundId);
  const current = (await tx.agendaItem.findMany({ where: { meetingId }, orderBy: { number: 'asc' } })).map((i): AgendaEntry & { id: string } => ({ id: i.id, title: i.title, kind: i.kind as AgendaKind, matterId: i.matterId }));
  if (!current.length) return report;
  const present = report.decisions.length > 0;
  const has = current.some((i) => i.kind === 'delegation_report');
  if (present || has) await writeAgenda(tx, meetingId, withDelegationReport(current, present));
  if (!present) return report;
  await tx.agendaItem.updateMany({ where: { meetingId, kind: 'delegation_report' }, data: { compilation: report as never } });
  if (o.fix) {
    const item = await tx.agendaItem.findFirstOrThrow({ where: { meetingId, kind: 'delegation_report' } });
    const ids = report.decisions.map((d) => d.id);
    await tx.delegationDecision.updateMany({ where: { id: { in: ids }, forbundId, reportedAtItemId: null }, data: { reportedAtItemId: item.id } });
    await audit(tx, { forbundId, actor: 'system', action: 'delegation.reported', entityType: 'meeting', entityId: meetingId, data: { agendaItemId: item.id, decisions: ids } });
  }
  return report;
}

/**
 * Before a decision is recorded, corrected or removed: the board meetings whose agenda has closed
 * for matters but whose kallelse has not gone (their item is compiled already), locked first (as
 * the kallelse locks its meeting before the decisions, so the two never wait on each other).
 */
async function lockOpenMeetings(tx: Prisma.TransactionClient, forbundId: string, now: Date): Promise<string[]> {
  const open = await tx.meeting.findMany({ where: { forbundId, kind: 'styrelse', status: 'planned', kallelseSentAt: null, agendaItems: { some: {} } }, select: { id: true }, orderBy: { startsAt: 'asc' } });
  const closed: string[] = [];
  for (const m of open) {
    const plan = await boardPlan(tx, m.id);
    if (!plan || Date.parse(plan.agendaClosesAt) > now.getTime()) continue;
    await tx.$queryRaw`SELECT "id" FROM "Meeting" WHERE "id" = ${m.id} FOR UPDATE`;
    closed.push(m.id);
  }
  return closed;
}

/** …and after it, their items brought up to date. */
async function refreshMeetings(tx: Prisma.TransactionClient, forbundId: string, meetingIds: string[]): Promise<void> {
  for (const id of meetingIds) await refreshDelegationReport(tx, id, forbundId);
}
