// Reads for everyone's own pages (api/admin/mina.ts): what a ledamot or ersättare, a revisor and a
// samordnare signed in by e-mail link may see of their förbund, and nothing more. Plain functions
// over prisma, each scoped to the förbund (and, for a samordnare, to their own projects).
//
// - A board member is a person with a seat in the styrelse today: a BodyMembership of the förbund's
//   styrelse as member, chair, vice_chair or deputy whose mandatperiod holds (the roster the
//   invites are sent from, services/styrelse.ts rosterOf). A person whose file role says
//   board_member but who holds no seat has no board pages: the seat decides, as it does for invites.
// - A revisor is a person with the role auditor; a samordnare one with the role coordinator or who
//   coordinates a project (Project.coordinatorId).
import type { IsoDate } from '../domain/dates.js';
import { daysBetween, toStockholmDate } from '../domain/dates.js';
import { ersattareFor } from '../domain/ledamoter.js';
import type { HandlingVersion } from '../domain/handlingar.js';
import { kallelsePdf } from '../domain/kallelse-pdf.js';
import { svList } from '../domain/texts.js';
import type { Prisma, PrismaClient } from '../prisma/db.js';
import { meetingTime } from './arscykel.js';
import { latestHandlingarOf } from './handlingar.js';
import { ownersOf } from './people.js';
import { isoDay } from './rapportering.js';
import { statutoryReportsOf } from './redovisning.js';
import { agendaLinesOf, agendaOf, attendanceOf } from './styrelse.js';

type Db = PrismaClient | Prisma.TransactionClient;

/** The roles of a styrelse membership that give a seat (ledamot: member, chair, vice_chair; ersättare: deputy). */
export const SEAT_ROLES = ['member', 'chair', 'vice_chair', 'deputy'] as const;

export interface BoardSeat {
  /** member, chair, vice_chair or deputy */
  role: string;
  seat: 'ledamot' | 'ersattare';
  memberName: string | null;
}

/** The person's seat in the förbund's styrelse on `day`, or undefined. */
export async function boardSeatOf(prisma: Db, forbundId: string, personId: string, day: IsoDate): Promise<BoardSeat | undefined> {
  const rows = await prisma.bodyMembership.findMany({
    where: { personId, role: { in: [...SEAT_ROLES] }, body: { forbundId, kind: 'styrelse' }, person: { forbundId } },
    include: { member: { select: { name: true } } },
  });
  const holding = rows.find((m) => (!m.periodFrom || isoDay(m.periodFrom) <= day) && (!m.periodTo || isoDay(m.periodTo) >= day));
  if (!holding) return undefined;
  return { role: holding.role, seat: holding.role === 'deputy' ? 'ersattare' : 'ledamot', memberName: holding.member?.name ?? null };
}

/** Which own pages a person has in a förbund. */
export interface OwnRoles {
  board?: BoardSeat;
  auditor: boolean;
  coordinator: boolean;
}

export const hasOwnPages = (o: OwnRoles) => !!o.board || o.auditor || o.coordinator;

export async function ownRolesOf(prisma: Db, p: { personId: string; roles: readonly string[]; forbundId: string }, day: IsoDate): Promise<OwnRoles> {
  const [board, projects] = await Promise.all([boardSeatOf(prisma, p.forbundId, p.personId, day), p.roles.includes('coordinator') ? Promise.resolve(1) : prisma.project.count({ where: { forbundId: p.forbundId, coordinatorId: p.personId } })]);
  return { ...(board ? { board } : {}), auditor: p.roles.includes('auditor'), coordinator: projects > 0 };
}

// --- the board's meetings --------------------------------------------------------------------

export type MeetingRow = Prisma.MeetingGetPayload<object>;

/** The styrelse's meetings of a year, in order. */
export function boardMeetingsOf(prisma: Db, forbundId: string, year: number): Promise<MeetingRow[]> {
  return prisma.meeting.findMany({ where: { forbundId, kind: 'styrelse', year }, orderBy: { startsAt: 'asc' } });
}

/** One styrelse meeting of the förbund, or undefined. */
export async function boardMeetingOf(prisma: Db, forbundId: string, id: string): Promise<MeetingRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return (await prisma.meeting.findFirst({ where: { id, forbundId, kind: 'styrelse' } })) ?? undefined;
}

/** A meeting's agenda for its board members: each item with its matter and the newest version of each of its handlingar (secret ones too). Empty before the kallelse. */
export async function memberAgendaOf(prisma: Db, m: MeetingRow) {
  if (!m.kallelseSentAt || m.status === 'cancelled') return [];
  const items = await agendaOf(prisma, m.id);
  const handlingar = await latestHandlingarOf(prisma, items.flatMap((i) => (i.matterId ? [i.matterId] : [])));
  return items.map((i) => ({ ...i, handlingar: i.matterId ? (handlingar.get(i.matterId) ?? []) : ([] as HandlingVersion[]) }));
}

/**
 * The kallelse with the föredragningslista as it was sent (no decisions: those are in the protokoll),
 * its handlingar linked to where they are read signed in; as the PDF mailed with the kallelse.
 */
export async function memberKallelsePdf(prisma: Db, m: MeetingRow, baseUrl: string): Promise<{ pdf: Uint8Array; filename: string }> {
  const [forbund, lines, chairs, secretaries] = await Promise.all([
    prisma.forbund.findUniqueOrThrow({ where: { id: m.forbundId }, select: { name: true } }),
    agendaLinesOf(prisma, m.id, { baseUrl }),
    ownersOf(prisma, m.forbundId, 'chair'),
    ownersOf(prisma, m.forbundId, 'secretary'),
  ]);
  // As sent: the items, their documents and proposals; what was decided later is left out.
  const items = lines.map(({ paragraph: _p, decision: _d, actionBy: _a, actionDue: _due, ...rest }) => rest);
  const chairName = chairs[0]?.name;
  const secretaryName = svList(secretaries.map((p) => p.name)) || undefined;
  const pdf = await kallelsePdf({ forbundName: forbund.name, when: meetingTime(m), location: m.location, items, kind: 'kallelse', ...(chairName ? { chairName } : {}), ...(secretaryName ? { secretaryName } : {}) });
  return { pdf, filename: `kallelse-${toStockholmDate(m.startsAt)}.pdf` };
}

/** The styrelse's justerade meetings of a year, in order, each with its decided items (the decisions sent to the members). */
export async function justeradeOf(prisma: Db, forbundId: string, year: number) {
  const meetings = await prisma.meeting.findMany({ where: { forbundId, kind: 'styrelse', year, justeradAt: { not: null } }, orderBy: { startsAt: 'asc' } });
  const items = meetings.length
    ? await prisma.agendaItem.findMany({ where: { meetingId: { in: meetings.map((m) => m.id) }, decision: { not: null } }, include: { matter: { select: { dnr: true } } }, orderBy: [{ paragraph: 'asc' }, { number: 'asc' }] })
    : [];
  return meetings.map((m) => ({ meeting: m, decisions: items.filter((i) => i.meetingId === m.id) }));
}

// --- förhinder -------------------------------------------------------------------------------

export interface MyAttendance {
  meeting: MeetingRow;
  /** The person's row among those called: absent before the invites (or for an ersättare not called in). */
  called?: { seat: 'ledamot' | 'ersattare'; status: string; respondedAt: Date | null; forName: string | null };
  /** For a förhinder: who was called in instead (still called), if anyone. */
  standInName: string | null;
  /** Whether a förhinder now would call someone in (an ersättare of the same member is free). */
  anyoneToCall: boolean;
  /** Whether a förhinder can still be reported or withdrawn (planned, not begun). */
  open: boolean;
}

/** The person's place at each of the year's board meetings from `now` on, and at those earlier in the year where they reported a förhinder. */
export async function myAttendanceOf(prisma: Db, forbundId: string, personId: string, year: number, now: Date): Promise<MyAttendance[]> {
  const meetings = await boardMeetingsOf(prisma, forbundId, year);
  const mine = await prisma.attendance.findMany({ where: { personId, meeting: { forbundId } }, select: { meetingId: true } });
  const calledTo = new Set(mine.map((a) => a.meetingId));
  const out: MyAttendance[] = [];
  for (const m of meetings) {
    const coming = m.status === 'planned' && !m.heldAt && m.startsAt > now;
    if (!coming && !calledTo.has(m.id)) continue;
    const att = await attendanceOf(prisma, m);
    const row = att.rows.find((r) => r.personId === personId);
    if (!coming && row?.status !== 'declined') continue;
    const ledamotId = row?.seat === 'ersattare' && row.forPersonId ? row.forPersonId : personId;
    const standIn = att.rows.find((x) => x.seat === 'ersattare' && x.forPersonId === ledamotId && x.status === 'invited' && x.personId !== personId);
    const forName = row?.seat === 'ersattare' && row.forPersonId ? (att.rows.find((x) => x.personId === row.forPersonId)?.person.name ?? att.roster.find((s) => s.personId === row.forPersonId)?.name ?? null) : null;
    out.push({
      meeting: m,
      ...(row ? { called: { seat: row.seat as 'ledamot' | 'ersattare', status: row.status, respondedAt: row.respondedAt, forName } } : {}),
      standInName: standIn?.person.name ?? null,
      anyoneToCall: row ? Boolean(ersattareFor(att.roster, att.called, personId)) : false,
      open: coming,
    });
  }
  return out;
}

// --- the revisor -----------------------------------------------------------------------------

/**
 * The årsredovisningar and delårsrapporter as the revisor reads them for a year: those the board
 * has adopted (services/redovisning.ts, StatutoryReport) — the årsredovisning of the year and of
 * the year before (adopted the year after the one it is of), and the year's delårsrapport — newest
 * first, each with the newest version of each of its matter's handlingar the revisor may read (see
 * auditorMayRead), the registered revisionsberättelse and each member's decision on ansvarsfrihet.
 */
export async function auditorReportsOf(prisma: PrismaClient, forbundId: string, year: number, today: IsoDate) {
  const [before, current] = await Promise.all([statutoryReportsOf(prisma, forbundId, year - 1, today), statutoryReportsOf(prisma, forbundId, year, today)]);
  const reports = [...current.filter((r) => r.kind === 'arsredovisning'), ...current.filter((r) => r.kind === 'delarsrapport'), ...before.filter((r) => r.kind === 'arsredovisning')].filter((r) => r.adopted && r.matter);
  const matterIds = reports.map((r) => r.matter!.id);
  const [handlingar, secretKeys, auditDocs] = await Promise.all([
    latestHandlingarOf(prisma, matterIds),
    matterIds.length ? prisma.document.findMany({ where: { matterId: { in: matterIds }, secret: true }, select: { matterId: true, key: true } }) : Promise.resolve([]),
    prisma.document.findMany({ where: { forbundId, id: { in: reports.flatMap((r) => (r.auditReport?.documentId ? [r.auditReport.documentId] : [])) } }, select: { id: true, matterId: true, key: true, version: true, title: true, fileName: true, contentType: true, size: true, secret: true } }),
  ]);
  const everSecret = new Set(secretKeys.map((d) => `${d.matterId}/${d.key}`));
  const readable = (h: { matterId: string; key: string; secret: boolean }) => !h.secret && !everSecret.has(`${h.matterId}/${h.key}`);
  return reports.map((r) => {
    const matterId = r.matter!.id;
    const doc = r.auditReport?.documentId ? auditDocs.find((d) => d.id === r.auditReport!.documentId) : undefined;
    return {
      report: r,
      handlingar: (handlingar.get(matterId) ?? []).filter((h) => readable({ matterId, key: h.key, secret: h.secret })),
      /** The revisionsberättelse's handling, when the revisor may read it. */
      auditDocument: doc && readable(doc) ? doc : undefined,
    };
  });
}

/**
 * Whether a version of a handling is one the revisor may read: a handling of the matter of an
 * adopted årsredovisning or delårsrapport (StatutoryReport), not secret, of a handling never made
 * secret (no version of it is).
 */
export async function auditorMayRead(prisma: Db, forbundId: string, row: { id: string; secret: boolean; key: string; matterId: string }): Promise<boolean> {
  if (row.secret) return false;
  const [report, secretVersion] = await Promise.all([
    prisma.statutoryReport.findFirst({ where: { matterId: row.matterId, forbundId, adoptedAt: { not: null } }, select: { id: true } }),
    prisma.document.findFirst({ where: { matterId: row.matterId, key: row.key, secret: true }, select: { id: true } }),
  ]);
  return !!report && !secretVersion;
}

// --- the samordnare --------------------------------------------------------------------------

/** The person's projects (those they coordinate) with all their reports, due date first. */
export async function myProjectsOf(prisma: Db, forbundId: string, personId: string) {
  return prisma.project.findMany({
    where: { forbundId, coordinatorId: personId },
    include: { obligations: { orderBy: [{ dueDate: 'asc' }, { kind: 'asc' }], include: { submissions: { select: { version: true, submittedAt: true }, orderBy: { version: 'desc' }, take: 1 } } } },
    orderBy: [{ startDate: 'asc' }, { name: 'asc' }],
  });
}

/** How late an open report is on `today` (0 when not late, or not open, or its project withdrawn). */
export function daysLate(o: { status: string; dueDate: Date }, projectStatus: string, today: IsoDate): number {
  const due = isoDay(o.dueDate);
  return o.status === 'open' && projectStatus === 'active' && due < today ? daysBetween(due, today) : 0;
}
