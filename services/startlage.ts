// "Läget vid start" as stored, and its settling: the reports and milestones that were open when
// the förbund began using Årscykel (the rule is domain/startlage.ts), and the official's three
// answers to a checked set of them — handled outside Årscykel, a new due date, still wanted —
// each in one transaction that checks every row is still on the list, audited per item; then the
// workflows concerned are told to re-plan (the projects' reporting workflows, the year's
// workflow, a board meeting whose milestone moved). The API (api/startlage.ts) and the start page
// (api/admin/start.ts) both call it; refusals say why in English and Swedish, and nothing is
// changed then.
import { toStockholmDate, type IsoDate } from '../domain/dates.js';
import { plannedFrom } from '../domain/rapportering.js';
import type { ReportKind } from '../domain/rapportering.js';
import { START_ACTIONS, START_ITEM_TYPES, startRedateProblem, startState, type StartAction, type StartItemType } from '../domain/startlage.js';
import { REPORT_TEXT, svDate, svPeriod } from '../domain/texts.js';
import type { PrismaClient } from '../prisma/db.js';
import type { WorkflowNotifier } from './notifier.js';
import { audit } from './audit.js';
import { obligationRedateRefusal, redateInTransaction } from './obligations.js';
import { goLiveOf, isoDay, obligationPlannedFrom } from './rapportering.js';
import { invalid, Refusal, type Problem } from './refusal.js';

interface Deps {
  prisma: PrismaClient;
  notifier: WorkflowNotifier;
  now: () => Date;
}

export interface StartItem {
  type: StartItemType;
  id: string;
  /** Swedish, as the official reads it: 'Kvartalsrapport 1 januari–31 mars 2037', 'Bokslut'. */
  title: string;
  dueDate: IsoDate;
  /** The first due date Årscykel acts on for it (the go-live, or the day the report was added). */
  plannedFrom: IsoDate;
  project?: { id: string; key: string; name: string };
  report?: { kind: ReportKind; periodStart: IsoDate; periodEnd: IsoDate };
  milestone?: { kind: string; year: number; owner: string };
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const reportTitle = (o: { kind: ReportKind; periodStart: Date; periodEnd: Date }) => `${capital(REPORT_TEXT[o.kind].name)} ${svPeriod(isoDay(o.periodStart), isoDay(o.periodEnd))}`;

/** Ids of the förbund's active projects (its obligations are asked for by these: api/rapportering.ts explains why). */
async function activeProjects(prisma: PrismaClient, forbundId: string) {
  return prisma.project.findMany({ where: { forbundId, status: 'active' }, select: { id: true, key: true, name: true } });
}

/** What is on "Läget vid start" now, with the förbund's go-live. */
export async function startList(prisma: PrismaClient, forbundId: string): Promise<{ goLiveOn: IsoDate | null; items: StartItem[] }> {
  const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: forbundId }, select: { goLiveOn: true } });
  const goLive = goLiveOf(forbund);
  const projects = await activeProjects(prisma, forbundId);
  const byId = new Map(projects.map((p) => [p.id, p]));
  const [obligations, milestones] = await Promise.all([
    projects.length ? prisma.reportingObligation.findMany({ where: { projectId: { in: projects.map((p) => p.id) }, status: 'open', startSettledAt: null }, orderBy: [{ dueDate: 'asc' }, { kind: 'asc' }] }) : Promise.resolve([]),
    goLive ? prisma.milestone.findMany({ where: { forbundId, status: 'open', startSettledAt: null, dueDate: { lt: new Date(`${goLive}T00:00:00Z`) } }, orderBy: [{ dueDate: 'asc' }, { kind: 'asc' }] }) : Promise.resolve([]),
  ]);
  const items: StartItem[] = [];
  for (const o of obligations) {
    const from = obligationPlannedFrom(forbund, o);
    if (startState({ status: o.status, dueDate: isoDay(o.dueDate), plannedFrom: from, startSettledAt: o.startSettledAt }) !== 'start') continue;
    const p = byId.get(o.projectId)!;
    items.push({ type: 'report', id: o.id, title: reportTitle(o), dueDate: isoDay(o.dueDate), plannedFrom: from!, project: p, report: { kind: o.kind, periodStart: isoDay(o.periodStart), periodEnd: isoDay(o.periodEnd) } });
  }
  // Reports by due date, then project (Swedish order); then the milestones by due date.
  const swedish = new Intl.Collator('sv');
  items.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : swedish.compare(a.project!.name, b.project!.name) || swedish.compare(a.title, b.title)));
  const from = plannedFrom(goLive);
  for (const ms of milestones) {
    if (startState({ status: ms.status, dueDate: isoDay(ms.dueDate), plannedFrom: from, startSettledAt: ms.startSettledAt }) !== 'start') continue;
    items.push({ type: 'milestone', id: ms.id, title: ms.title, dueDate: isoDay(ms.dueDate), plannedFrom: from!, milestone: { kind: ms.kind, year: ms.year, owner: ms.owner } });
  }
  return { goLiveOn: goLive ?? null, items };
}

export interface SettleInput {
  forbundId: string;
  items: unknown;
  action: unknown;
  dueDate?: unknown;
  actor: string;
}

/** What settling did: the items (with their due date now) and whether every workflow concerned was told. */
export interface Settled {
  action: StartAction;
  settled: { type: StartItemType; id: string; title: string; dueDate: IsoDate }[];
  workflowNotified: boolean;
}

const REASON: Record<StartAction, string> = { handled: 'start list: handled outside Årscykel', redate: 'start list: new due date', wanted: 'start list: still wanted' };

/**
 * Settles the checked items of "Läget vid start" with one action, in one transaction: `handled`
 * (a report handled outside Årscykel: status handled; a milestone: done, by the actor), `redate`
 * (`dueDate` becomes the due date: today or later, for a report not before its period ends — the
 * rules of redateObligation; a milestone's SEQUENCE rises so calendars move it), `wanted`
 * (startSettledAt: off the list, a pending step that waits, never overdue). 400 naming the field
 * for bad input and unknown ids, 409 for an item no longer on the list; nothing changed then.
 */
export async function settleStartItems(deps: Deps, a: SettleInput): Promise<Settled> {
  const { prisma } = deps;
  const now = deps.now();
  const today = toStockholmDate(now);
  // The request's shape.
  const shape: Problem[] = [];
  if (typeof a.action !== 'string' || !(START_ACTIONS as readonly string[]).includes(a.action)) shape.push({ field: 'action', problem: `must be one of ${START_ACTIONS.join(', ')}`, sv: 'Välj vad som ska göras med de markerade raderna.' });
  const wanted: { type: StartItemType; id: string }[] = [];
  if (!Array.isArray(a.items) || a.items.length === 0) {
    shape.push({ field: 'items', problem: 'must list at least one item', sv: 'Markera minst en rad.' });
  } else {
    const seen = new Set<string>();
    a.items.forEach((x, i) => {
      const it = x as { type?: unknown; id?: unknown } | null;
      if (!it || typeof it !== 'object') return shape.push({ field: `items[${i}]`, problem: 'must be an object { type, id }', sv: 'En markerad rad gick inte att läsa.' });
      if (typeof it.type !== 'string' || !(START_ITEM_TYPES as readonly string[]).includes(it.type)) return shape.push({ field: `items[${i}].type`, problem: `must be one of ${START_ITEM_TYPES.join(', ')}`, sv: 'En markerad rad gick inte att läsa.' });
      if (typeof it.id !== 'string' || !it.id || it.id.length > 100) return shape.push({ field: `items[${i}].id`, problem: 'must be an id', sv: 'En markerad rad gick inte att läsa.' });
      const k = `${it.type}:${it.id}`;
      if (seen.has(k)) return shape.push({ field: `items[${i}]`, problem: 'listed twice', sv: 'En rad är markerad två gånger.' });
      seen.add(k);
      wanted.push({ type: it.type as StartItemType, id: it.id });
    });
  }
  const action = a.action as StartAction;
  const dueGiven = a.dueDate !== undefined && a.dueDate !== null && a.dueDate !== '';
  if (action === 'redate' && !dueGiven) shape.push({ field: 'dueDate', problem: 'is required for action redate', sv: 'Ange den nya sista dagen.' });
  if (action !== 'redate' && dueGiven && (START_ACTIONS as readonly string[]).includes(String(a.action))) shape.push({ field: 'dueDate', problem: 'only with action redate', sv: 'Ett datum hör bara till ”Ge ny sista dag”.' });
  if (action === 'redate' && dueGiven) {
    const p = startRedateProblem({ type: 'milestone' }, a.dueDate, today);
    if (p) shape.push({ field: 'dueDate', ...p });
  }
  if (shape.length) throw invalid(shape);
  const dueDate = a.dueDate as IsoDate;

  // The items as stored: each must be the förbund's, and still on the list.
  const ids = (type: StartItemType) => wanted.filter((x) => x.type === type).map((x) => x.id);
  const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: a.forbundId }, select: { goLiveOn: true } });
  const [obligations, milestones] = await Promise.all([
    ids('report').length ? prisma.reportingObligation.findMany({ where: { id: { in: ids('report') }, project: { forbundId: a.forbundId } }, include: { project: true } }) : Promise.resolve([]),
    ids('milestone').length ? prisma.milestone.findMany({ where: { id: { in: ids('milestone') }, forbundId: a.forbundId }, include: { meeting: true } }) : Promise.resolve([]),
  ]);
  const obligation = new Map(obligations.map((o) => [o.id, o]));
  const milestone = new Map(milestones.map((m) => [m.id, m]));
  const unknown: Problem[] = [];
  wanted.forEach((x, i) => {
    if (!(x.type === 'report' ? obligation.has(x.id) : milestone.has(x.id))) unknown.push({ field: `items[${i}].id`, problem: `no ${x.type === 'report' ? 'report' : 'milestone'} with this id in the förbund`, sv: `${x.type === 'report' ? 'Rapporten' : 'Momentet'} finns inte.` });
  });
  if (unknown.length) throw invalid(unknown);
  const stateOf = (x: { type: StartItemType; id: string }) => {
    if (x.type === 'report') {
      const o = obligation.get(x.id)!;
      return startState({ status: o.project.status === 'active' ? o.status : 'withdrawn', dueDate: isoDay(o.dueDate), plannedFrom: obligationPlannedFrom(forbund, o), startSettledAt: o.startSettledAt });
    }
    const m = milestone.get(x.id)!;
    return startState({ status: m.status, dueDate: isoDay(m.dueDate), plannedFrom: plannedFrom(goLiveOf(forbund)), startSettledAt: m.startSettledAt });
  };
  const titleOf = (x: { type: StartItemType; id: string }) => (x.type === 'report' ? `${reportTitle(obligation.get(x.id)!)} från ${obligation.get(x.id)!.project.name}` : milestone.get(x.id)!.title);
  const gone: Problem[] = [];
  wanted.forEach((x, i) => {
    const s = stateOf(x);
    if (s !== 'start') {
      const why = s === 'closed' ? 'it is no longer open' : s === 'wanted' ? 'it was kept open as still wanted' : 'it has a due date Årscykel acts on';
      gone.push({ field: `items[${i}]`, problem: `not on the start list any more: ${why}`, sv: `${titleOf(x)} finns inte längre bland det som var öppet vid start.` });
    }
  });
  if (gone.length) throw new Refusal(409, gone.map((p) => `${p.field}: ${p.problem}`).join('; '), `${gone.map((p) => p.sv).join(' ')} Ladda om sidan; inget har ändrats.`, gone);
  if (action === 'redate') {
    // A report's new date: the rules of redateObligation (not before its period ends).
    const dates: Problem[] = [];
    wanted.forEach((x, i) => {
      const from = x.type === 'report' ? obligationPlannedFrom(forbund, obligation.get(x.id)!) : plannedFrom(goLiveOf(forbund));
      // Before the day Årscykel acts from, the item would stay on this list (a go-live set ahead).
      if (from && dueDate < from) return dates.push({ field: 'dueDate', problem: `items[${i}]: must not be before ${from}, the day Årscykel acts from`, sv: `${titleOf(x)}: sista dag kan inte ligga före ${svDate(from)}, då förbundet börjar använda Årscykel.` });
      if (x.type !== 'report') return;
      const r = obligationRedateRefusal(obligation.get(x.id)!, dueDate);
      if (r) dates.push({ field: 'dueDate', problem: `items[${i}]: ${r.problems[0]?.problem ?? r.message}`, sv: `${titleOf(x)}: ${r.sv}` });
    });
    if (dates.length) throw invalid(dates);
  }

  // One transaction; every row is changed only while it still stands as read (else 409, all rolled back).
  const changedMeanwhile = () => new Refusal(409, 'an item changed meanwhile; nothing was changed', 'Något av det markerade ändrades under tiden. Ladda om sidan; inget har ändrats.', [{ field: 'items', problem: 'changed meanwhile', sv: 'Ändrades under tiden.' }]);
  await prisma.$transaction(async (tx) => {
    for (const x of wanted) {
      const settled = { action, type: x.type };
      if (x.type === 'report') {
        const o = obligation.get(x.id)!;
        const guard = { status: 'open' as const, startSettledAt: null, dueDate: o.dueDate };
        if (action === 'redate') {
          await redateInTransaction(tx, { forbundId: a.forbundId, obligation: o, dueDate, actor: a.actor, now, guard, data: { via: 'start' } });
          continue;
        }
        const r = await tx.reportingObligation.updateMany({ where: { id: o.id, ...guard }, data: action === 'handled' ? { status: 'handled' } : { startSettledAt: now } });
        if (r.count !== 1) throw changedMeanwhile();
        if (action === 'handled') await tx.escalation.updateMany({ where: { forbundId: a.forbundId, subjectType: 'obligation', subjectId: o.id, resolvedAt: null }, data: { resolvedAt: now } });
        await audit(tx, { forbundId: a.forbundId, actor: a.actor, action: 'start.settled', entityType: 'obligation', entityId: o.id, data: { ...settled, dueDate: isoDay(o.dueDate) } });
      } else {
        const m = milestone.get(x.id)!;
        const where = { id: m.id, forbundId: a.forbundId, status: 'open' as const, startSettledAt: null, dueDate: m.dueDate };
        const data =
          action === 'handled'
            ? { status: 'done' as const, doneAt: now, doneBy: a.actor }
            : action === 'redate'
              ? { dueDate: new Date(`${dueDate}T00:00:00Z`), sequence: { increment: 1 } }
              : { startSettledAt: now };
        const r = await tx.milestone.updateMany({ where, data });
        if (r.count !== 1) throw changedMeanwhile();
        if (action !== 'wanted') await tx.escalation.updateMany({ where: { forbundId: a.forbundId, subjectType: 'milestone', subjectId: m.id, resolvedAt: null }, data: { resolvedAt: now } });
        await audit(tx, { forbundId: a.forbundId, actor: a.actor, action: 'start.settled', entityType: 'milestone', entityId: m.id, data: { ...settled, dueDate: isoDay(m.dueDate), ...(action === 'redate' ? { from: isoDay(m.dueDate), to: dueDate } : {}) } });
      }
    }
  });

  // The workflows re-plan from the stored state: each project's, the year's, a board meeting whose milestone moved.
  const told: boolean[] = [];
  for (const projectId of new Set(wanted.filter((x) => x.type === 'report').map((x) => obligation.get(x.id)!.projectId))) told.push(await deps.notifier.reportingChanged(projectId, REASON[action]));
  if (wanted.some((x) => x.type === 'milestone')) {
    told.push(await deps.notifier.cycleChanged(a.forbundId, Number(today.slice(0, 4)), REASON[action]));
    if (action === 'redate') {
      const boards = new Set(wanted.filter((x) => x.type === 'milestone').map((x) => milestone.get(x.id)!.meeting).filter((mt) => mt?.kind === 'styrelse').map((mt) => mt!.id));
      for (const id of boards) told.push(await deps.notifier.meetingChanged(id, REASON[action]));
    }
  }
  return {
    action,
    settled: wanted.map((x) => ({ type: x.type, id: x.id, title: titleOf(x), dueDate: action === 'redate' ? dueDate : isoDay(x.type === 'report' ? obligation.get(x.id)!.dueDate : milestone.get(x.id)!.dueDate) })),
    workflowNotified: told.every(Boolean),
  };
}
