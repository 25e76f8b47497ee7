// The board meeting's process as stored: when each step of a meeting falls due, the matters
// headed for it, its agenda, who is called and whether the board will be quorate.
import { reportStatusLines, type ReportStatus } from '../domain/rapportlage.js';
import { delegationReportLines, type DelegationReport } from '../domain/delegation.js';
import { addDays, addWorkingDays, previousWorkingDay, stockholmDateTime, toStockholmDate, type IsoDate } from '../domain/dates.js';
import { formatDnr, nextBoardMeeting, type BoardSlot, type MatterKind } from '../domain/arenden.js';
import { draftAgenda } from '../domain/dagordning.js';
import { DEFAULT_JUSTERING_DAYS, DEFAULT_KALLELSE_REMINDER_DAYS } from '../domain/forbund-file.js';
export { DEFAULT_JUSTERING_DAYS };
import { kallelseDeadline, kallelseReminderDate } from '../domain/kalendarium.js';
import { isLedamot, quorumForecast, rosterOn, type Called, type Seat } from '../domain/ledamoter.js';
import { SEND_TIME } from '../domain/rapportering.js';
import type { Prisma, PrismaClient } from '../prisma/db.js';
import type { AgendaLine } from '../domain/texts.js';
import type { AgendaItemView } from '../workflows/signals.js';
import { audit } from './audit.js';
import { handlingPath } from '../domain/handlingar.js';
import { latestHandlingarOf } from './handlingar.js';
import { ownerLabel, ownersOf, titleOfPerson } from './people.js';
import { Refusal } from './refusal.js';
import { cycleSettingsOf, meetingDate } from './arscykel.js';
import { isoDay } from './rapportering.js';

type Db = PrismaClient | Prisma.TransactionClient;

/** Preparatory material goes to a preparatory body this many working days before it meets. */
export const UNDERLAG_WORKING_DAYS = 2;
/** The agenda closes for matters at this time on the day they must be prepared. */
export const AGENDA_CLOSES_AT = '17:00';

/**
 * The day the agenda closes for matters: the day of the last preparatory meeting when that is
 * before the kallelse goes, else the working day before the kallelse.
 */
export function agendaClosesOn(prepDate: IsoDate | undefined, kallelseDate: IsoDate): IsoDate {
  return prepDate && prepDate < kallelseDate ? prepDate : previousWorkingDay(addDays(kallelseDate, -1));
}

export function justeringDueOn(meetingDay: IsoDate, days: number): IsoDate {
  return previousWorkingDay(addDays(meetingDay, days));
}

/** A board meeting's process dates, from its row, its preparatory meetings and the förbund's settings. */
export interface BoardPlan {
  meetingId: string;
  forbundId: string;
  /** The förbund's slug (for the workflow's search attributes). */
  forbund: string;
  title: string;
  date: IsoDate;
  startsAt: string;
  endsAt: string;
  cancelled: boolean;
  /** The year's calendar is adopted (a proposed meeting has no process yet). */
  adopted: boolean;
  sequence: number;
  beredningsgrupp?: { date: IsoDate; underlagAt: string };
  beredning?: { date: IsoDate; underlagAt: string };
  agendaClosesAt: string;
  kallelseDate: IsoDate;
  kallelseReminderAt: string;
  kallelseAt: string;
  kallelseSentAt: string | null;
  heldAt: string | null;
  minutesSentAt: string | null;
  justeringDue: IsoDate | null;
  /** Reminders to the justerare: before the deadline, and the day after it. */
  justeringReminders: { at: string; overdue: boolean }[];
  justeradAt: string | null;
  decisionsSentAt: string | null;
}

export async function boardPlan(prisma: Db, meetingId: string): Promise<BoardPlan | null> {
  const m = await prisma.meeting.findUnique({ where: { id: meetingId }, include: { forbund: true, preparedBy: { where: { status: 'planned' } } } });
  if (!m || m.kind !== 'styrelse') return null;
  const settings = cycleSettingsOf(m.forbund);
  const date = meetingDate(m);
  const at = (d: IsoDate, time = SEND_TIME) => stockholmDateTime(d, time).toISOString();
  const prep = (kind: string) => m.preparedBy.filter((p) => p.kind === kind).map(meetingDate).sort().reverse()[0];
  const bg = prep('beredningsgrupp');
  const b = prep('beredning');
  const kallelseDate = kallelseDeadline(date, settings.kallelseDays);
  const justeringDue = m.justeringDue ? isoDay(m.justeringDue) : null;
  const year = await prisma.cycleYear.findUnique({ where: { forbundId_year: { forbundId: m.forbundId, year: m.year } } });
  return {
    meetingId: m.id,
    forbundId: m.forbundId,
    forbund: m.forbund.slug,
    title: m.title,
    date,
    startsAt: m.startsAt.toISOString(),
    endsAt: m.endsAt.toISOString(),
    cancelled: m.status === 'cancelled',
    adopted: !!year?.calendarAdoptedAt,
    sequence: m.sequence,
    ...(bg ? { beredningsgrupp: { date: bg, underlagAt: at(addWorkingDays(bg, -UNDERLAG_WORKING_DAYS)) } } : {}),
    ...(b ? { beredning: { date: b, underlagAt: at(addWorkingDays(b, -UNDERLAG_WORKING_DAYS)) } } : {}),
    agendaClosesAt: at(agendaClosesOn(b ?? bg, kallelseDate), AGENDA_CLOSES_AT),
    kallelseDate,
    kallelseReminderAt: at(kallelseReminderDate(kallelseDate, settings.kallelseReminderDays ?? DEFAULT_KALLELSE_REMINDER_DAYS)),
    kallelseAt: at(kallelseDate),
    kallelseSentAt: m.kallelseSentAt?.toISOString() ?? null,
    heldAt: m.heldAt?.toISOString() ?? null,
    minutesSentAt: m.minutesSentAt?.toISOString() ?? null,
    justeringDue,
    justeringReminders: justeringDue ? [{ at: at(addWorkingDays(justeringDue, -2)), overdue: false }, { at: at(addWorkingDays(justeringDue, 1)), overdue: true }] : [],
    justeradAt: m.justeradAt?.toISOString() ?? null,
    decisionsSentAt: m.decisionsSentAt?.toISOString() ?? null,
  };
}

/** The förbund's board meetings from `fromYear` on, as slots for placing matters. */
export async function boardSlots(prisma: Db, forbundId: string, fromYear: number): Promise<BoardSlot[]> {
  const meetings = await prisma.meeting.findMany({ where: { forbundId, kind: 'styrelse', year: { gte: fromYear } }, select: { id: true } });
  const plans = await Promise.all(meetings.map((m) => boardPlan(prisma, m.id)));
  return plans.filter((p): p is BoardPlan => !!p).map((p) => ({ id: p.meetingId, date: p.date, mattersDeadline: toStockholmDate(new Date(p.agendaClosesAt)), cancelled: p.cancelled, agendaClosed: !!p.kallelseSentAt }));
}

export interface NewMatter {
  title: string;
  kind: MatterKind;
  owner: string;
  preparingBody?: 'beredningsgrupp' | 'presidium';
  description?: string;
  documents?: { title: string; url: string }[];
  /** A board meeting chosen by the official; else the next one whose agenda is open. */
  meetingId?: string;
  milestoneId?: string;
  obligationId?: string;
  /** What a funding application applies for (checked by services/beviljning.ts fundingProblems). */
  funding?: { projectKey: string; year: number; amount: number; budgetLineKey?: string };
}

/** A title as two titles are compared: without case, with each run of white space one space, trimmed. */
export const titleKey = (title: string) => title.normalize('NFC').toLocaleLowerCase('sv').replace(/\s+/g, ' ').trim();

/** The statuses of a matter not yet closed. */
export const OPEN_MATTER_STATUSES = ['registered', 'prepared', 'on_agenda', 'decided', 'follow_up'] as const;

/** An open matter of the förbund with the same title (titleKey), or null. */
export async function openMatterWithTitle(prisma: Db, forbundId: string, title: string) {
  const key = titleKey(title);
  const open = await prisma.matter.findMany({ where: { forbundId, status: { in: [...OPEN_MATTER_STATUSES] } }, select: { id: true, dnr: true, title: true, status: true }, orderBy: [{ year: 'desc' }, { number: 'desc' }] });
  return open.find((x) => titleKey(x.title) === key) ?? null;
}

/** Registering refused: an open matter of the förbund has the same title (nothing stored). */
export class DuplicateMatterTitle extends Refusal {
  constructor(readonly other: { id: string; dnr: string; title: string; status: string }) {
    super(409, `an open matter has the same title: ${other.dnr} "${other.title}"`, `Det finns redan ett öppet ärende med samma rubrik: Dnr ${other.dnr} ${other.title}.`, [
      { field: 'title', problem: `the same title as the open matter ${other.dnr}`, sv: `Samma rubrik som det öppna ärendet ${other.dnr}.` },
    ]);
  }
}

/**
 * Registers a matter: the next Dnr of the year, headed for the next board meeting whose agenda is
 * still open. With `refuseDuplicateTitle`, refused (DuplicateMatterTitle, nothing stored) when an
 * open matter of the förbund has the same title; checked after the year's Dnr row is locked, so
 * two registrations of one title at once cannot both pass.
 */
export async function registerMatter(prisma: PrismaClient, forbundId: string, m: NewMatter, now: Date, actor: string, opts: { refuseDuplicateTitle?: boolean } = {}) {
  const today = toStockholmDate(now);
  const year = Number(today.slice(0, 4));
  const meetingId = m.meetingId ?? nextBoardMeeting(await boardSlots(prisma, forbundId, year), today)?.id ?? null;
  return prisma.$transaction(async (tx) => {
    const cy = await tx.cycleYear.upsert({ where: { forbundId_year: { forbundId, year } }, create: { forbundId, year, lastDnr: 1 }, update: { lastDnr: { increment: 1 } } });
    if (opts.refuseDuplicateTitle) {
      const other = await openMatterWithTitle(tx, forbundId, m.title);
      if (other) throw new DuplicateMatterTitle(other);
    }
    const dnr = formatDnr(year, cy.lastDnr);
    const matter = await tx.matter.create({
      data: {
        forbundId,
        year,
        number: cy.lastDnr,
        dnr,
        title: m.title,
        kind: m.kind,
        owner: m.owner,
        preparingBody: m.preparingBody ?? 'beredningsgrupp',
        description: m.description ?? '',
        documents: m.documents ?? [],
        meetingId,
        milestoneId: m.milestoneId ?? null,
        obligationId: m.obligationId ?? null,
        ...(m.funding ? { funding: m.funding } : {}),
      },
    });
    await audit(tx, { forbundId, actor, action: 'matter.registered', entityType: 'matter', entityId: matter.id, data: { dnr, title: m.title, kind: m.kind, meetingId, ...(m.funding ? { funding: m.funding } : {}) } });
    return matter;
  });
}

/** The roles a matter's owner may be, in the order they are offered: each is offered by its role when one person holds it. */
const OWNER_ROLES = ['official', 'secretary', 'economist', 'chair'] as const;

/**
 * Whom a matter (or a decision's follow-up) can be given to, each person once: those holding one of
 * the owner roles alone first (the value is the role, so the matter follows the role), then everybody
 * else by name (the value is the person's key). Each named with their Swedish title, never a role key.
 */
export async function ownerOptions(prisma: Db, forbundId: string): Promise<{ label: string; options: { value: string; text: string }[] }[]> {
  const byRole: { value: string; text: string }[] = [];
  const placed = new Set<string>();
  for (const role of OWNER_ROLES) {
    const holders = await ownersOf(prisma, forbundId, role);
    if (holders.length !== 1 || placed.has(holders[0].id)) continue;
    placed.add(holders[0].id);
    byRole.push({ value: role, text: (await ownerLabel(prisma, forbundId, role)) ?? holders[0].name });
  }
  const persons = await prisma.person.findMany({ where: { forbundId }, orderBy: { name: 'asc' } });
  const others = await Promise.all(
    persons
      .filter((p) => !placed.has(p.id))
      .sort((a, b) => a.name.localeCompare(b.name, 'sv'))
      .map(async (p) => {
        const title = await titleOfPerson(prisma, p);
        return { value: p.key, text: title ? `${p.name} (${title})` : p.name };
      }),
  );
  return [
    { label: 'Förbundschef, sekreterare, ekonom och ordförande', options: byRole },
    { label: 'Övriga', options: others },
  ];
}

/** A board meeting a matter can be put on: planned, its kallelse not fixed and its agenda still open for matters. */
export interface ComingBoardMeeting {
  id: string;
  title: string;
  date: IsoDate;
  agendaClosesAt: string;
}

/** The förbund's board meetings a matter can be put on now, soonest first. */
export async function comingBoardMeetings(prisma: Db, forbundId: string, now: Date): Promise<ComingBoardMeeting[]> {
  const rows = await prisma.meeting.findMany({ where: { forbundId, kind: 'styrelse', status: 'planned', kallelseSentAt: null, heldAt: null, startsAt: { gt: now } }, orderBy: { startsAt: 'asc' }, select: { id: true } });
  const plans = await Promise.all(rows.map((m) => boardPlan(prisma, m.id)));
  return plans
    .filter((p): p is BoardPlan => !!p && !p.cancelled && !p.kallelseSentAt && Date.parse(p.agendaClosesAt) > now.getTime())
    .map((p) => ({ id: p.meetingId, title: p.title, date: p.date, agendaClosesAt: p.agendaClosesAt }));
}

/**
 * Puts a matter on a coming board meeting (comingBoardMeetings): one not yet on an agenda
 * (registered or prepared) whose meeting was moved on with none to go to, or that should go to
 * another meeting. Under the meeting's row lock, as the kallelse is fixed, so the choice and the
 * kallelse cannot cross. Refused (nothing changed): 404 for no such matter, 409 once the matter is
 * on an agenda or decided, 400 naming `meeting` for one that is not coming or whose agenda has closed.
 */
export async function setMatterMeeting(prisma: PrismaClient, forbundId: string, dnr: string, meetingId: string, now: Date, actor: string) {
  return prisma.$transaction(async (tx) => {
    const m = await tx.meeting.findFirst({ where: { id: meetingId, forbundId, kind: 'styrelse' }, select: { id: true } });
    if (m) await tx.$queryRaw`SELECT "id" FROM "Meeting" WHERE "id" = ${m.id} FOR UPDATE`;
    const x = await tx.matter.findUnique({ where: { forbundId_dnr: { forbundId, dnr } } });
    if (!x) throw new Refusal(404, `matter "${dnr}" not found`, 'Det finns inget ärende med det diarienumret i förbundet.');
    if (x.status !== 'registered' && x.status !== 'prepared') {
      throw new Refusal(409, `the matter is ${x.status.replace('_', ' ')}: its meeting can no longer be chosen`, 'Ärendet är redan på en föredragningslista eller beslutat, så dess möte kan inte längre ändras.', [{ field: '(state)', problem: `the matter is ${x.status.replace('_', ' ')}`, sv: 'Ärendets möte kan inte längre ändras.' }]);
    }
    const coming = m ? (await comingBoardMeetings(tx, forbundId, now)).find((c) => c.id === m.id) : undefined;
    if (!coming) throw new Refusal(400, 'meeting: no coming board meeting with this id whose agenda is open for matters', 'Välj ett av de kommande styrelsemötena i listan.', [{ field: 'meeting', problem: 'no coming board meeting with this id whose agenda is open for matters', sv: 'Välj ett av de kommande styrelsemötena i listan.' }]);
    if (x.meetingId === coming.id) return { matter: x, changed: false };
    const matter = await tx.matter.update({ where: { id: x.id }, data: { meetingId: coming.id } });
    await audit(tx, { forbundId, actor, action: 'matter.moved', entityType: 'matter', entityId: x.id, data: { dnr: x.dnr, from: x.meetingId, to: coming.id, reason: 'meeting chosen' } });
    return { matter, changed: true };
  });
}

/** The roster of the styrelse on a day: ledamöter and ersättare holding their seat then. */
export async function rosterOf(prisma: Db, forbundId: string, day: IsoDate): Promise<Seat[]> {
  const body = await prisma.body.findUnique({ where: { forbundId_kind: { forbundId, kind: 'styrelse' } }, include: { memberships: { include: { person: true } } } });
  const seats = (body?.memberships ?? []).map(
    (ms): Seat => ({
      personId: ms.personId,
      name: ms.person.name,
      role: ms.role,
      memberId: ms.memberId,
      order: ms.substituteOrder,
      from: ms.periodFrom ? isoDay(ms.periodFrom) : null,
      to: ms.periodTo ? isoDay(ms.periodTo) : null,
    }),
  );
  return rosterOn(seats, day).sort((a, b) => a.name.localeCompare(b.name, 'sv'));
}

/** Who is called to a meeting and the quorum forecast. */
export async function attendanceOf(prisma: Db, meeting: { id: string; forbundId: string; startsAt: Date }) {
  const [roster, rows] = await Promise.all([rosterOf(prisma, meeting.forbundId, meetingDate(meeting)), prisma.attendance.findMany({ where: { meetingId: meeting.id }, include: { person: true }, orderBy: { createdAt: 'asc' } })]);
  const seats = roster.filter(isLedamot).length;
  const called: Called[] = rows.map((r) => ({ personId: r.personId, seat: r.seat as Called['seat'], forPersonId: r.forPersonId, status: r.status as Called['status'] }));
  return { roster, rows, called, quorum: quorumForecast(seats, called) };
}

/** The meeting's agenda in order, with each item's matter. */
export function agendaOf(prisma: Db, meetingId: string) {
  return prisma.agendaItem.findMany({ where: { meetingId }, include: { matter: true }, orderBy: { number: 'asc' } });
}

/**
 * Who acts on each decision of a meeting, as the protokoll prints it: each stored actionBy (a role
 * or a person key) → the names with their Swedish titles ('Örjan Tjänsteman (förbundschef)'). A key
 * that names nobody any more falls to the official, as the follow-up's reminders do.
 */
async function actorsOf(prisma: Db, meetingId: string, keys: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!keys.length) return out;
  const { forbundId } = await prisma.meeting.findUniqueOrThrow({ where: { id: meetingId }, select: { forbundId: true } });
  for (const key of keys) {
    const label = (await ownerLabel(prisma, forbundId, key)) ?? (await ownerLabel(prisma, forbundId, 'official'));
    if (label) out.set(key, label);
  }
  return out;
}

/**
 * The agenda as the texts and the PDF print it: number, title, Dnr and documents, and once held the
 * § and decision, and who acts by when (by name and Swedish title, never a role key). A matter's
 * documents are its links, then its uploaded handlingar (the newest version of each), linked to
 * where they are read signed in (`baseUrl` + /handlingar/:id; a path without it); a secret one
 * without a link (the kallelse says it exists). `handlingar: false` leaves the uploaded ones out
 * (the protokoll).
 */
export async function agendaLinesOf(prisma: Db, meetingId: string, o: { baseUrl?: string; handlingar?: boolean } = {}): Promise<AgendaLine[]> {
  const items = await agendaOf(prisma, meetingId);
  const [actors, handlingar] = await Promise.all([
    actorsOf(prisma, meetingId, [...new Set(items.flatMap((i) => (i.actionBy ? [i.actionBy] : [])))]),
    o.handlingar === false ? new Map<string, never[]>() : latestHandlingarOf(prisma, items.flatMap((i) => (i.matter ? [i.matter.id] : []))),
  ]);
  const base = (o.baseUrl ?? '').replace(/\/$/, '');
  const uploaded = (matterId: string) => (handlingar.get(matterId) ?? []).map((d) => (d.secret ? { title: d.title, url: '', secret: true } : { title: d.title, url: `${base}${handlingPath(d.id)}` }));
  return items.map((i) => ({
    number: i.number,
    title: i.title,
    ...(i.matter ? { dnr: i.matter.dnr, documents: [...((i.matter.documents as { title: string; url: string }[] | null) ?? []), ...uploaded(i.matter.id)] } : {}),
    ...(i.kind === 'report_status' && i.compilation ? { lines: reportStatusLines(i.compilation as unknown as ReportStatus) } : {}),
    ...(i.kind === 'delegation_report' && i.compilation ? { lines: delegationReportLines(i.compilation as unknown as DelegationReport) } : {}),
    ...(i.proposal ? { proposal: i.proposal } : {}),
    ...(i.paragraph !== null ? { paragraph: i.paragraph } : {}),
    ...(i.decision ? { decision: i.decision } : {}),
    ...(i.actionBy && actors.has(i.actionBy) ? { actionBy: actors.get(i.actionBy)! } : {}),
    ...(i.actionDue ? { actionDue: isoDay(i.actionDue) } : {}),
  }));
}

type AgendaRow = Awaited<ReturnType<typeof agendaOf>>[number];

export const itemView = (i: AgendaRow): AgendaItemView => ({
  id: i.id,
  number: i.number,
  title: i.title,
  kind: i.kind,
  dnr: i.matter?.dnr ?? null,
  paragraph: i.paragraph,
  decision: i.decision,
  actionBy: i.actionBy,
  actionDue: i.actionDue ? isoDay(i.actionDue) : null,
  version: i.version,
});

/** Gives a meeting its standing items, once. */
export async function ensureAgenda(prisma: PrismaClient, meetingId: string) {
  await prisma.$transaction(async (tx) => {
    if ((await tx.agendaItem.count({ where: { meetingId } })) > 0) return;
    await tx.agendaItem.createMany({ data: draftAgenda().map((e, i) => ({ meetingId, number: i + 1, title: e.title, kind: e.kind })) });
  });
}

/**
 * Replaces a meeting's agenda with `items` in order (kept items keep their id and decisions). An
 * item's förslag till beslut is set when `proposal` is given (a string, or null to clear it) and
 * left as it was when absent.
 */
export async function writeAgenda(tx: Prisma.TransactionClient, meetingId: string, items: { id?: string; title: string; kind: string; matterId?: string | null; proposal?: string | null }[]) {
  const keep = new Set(items.map((i) => i.id).filter(Boolean) as string[]);
  await tx.agendaItem.deleteMany({ where: { meetingId, id: { notIn: [...keep] } } });
  for (const [i, item] of items.entries()) {
    const proposal = item.proposal !== undefined ? { proposal: item.proposal?.trim() || null } : {};
    if (item.id) await tx.agendaItem.update({ where: { id: item.id }, data: { number: i + 1, title: item.title, ...proposal } });
    else await tx.agendaItem.create({ data: { meetingId, number: i + 1, title: item.title, kind: item.kind, matterId: item.matterId ?? null, ...proposal } });
  }
}

/** Tells the workflow of every board meeting still ahead in the adopted years (starting those not yet running). */
export async function notifyBoardMeetings(prisma: PrismaClient, notifier: { meetingChanged(id: string, reason: string): Promise<boolean> }, forbundId: string, reason: string, now = new Date()) {
  const adopted = (await prisma.cycleYear.findMany({ where: { forbundId, calendarAdoptedAt: { not: null } }, select: { year: true } })).map((y) => y.year);
  const meetings = await prisma.meeting.findMany({ where: { forbundId, kind: 'styrelse', year: { in: adopted }, endsAt: { gt: now } }, select: { id: true } });
  let told = true;
  for (const m of meetings) told = (await notifier.meetingChanged(m.id, reason)) && told;
  return told;
}
