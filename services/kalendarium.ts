// The governance year's changes as the API and the official's pages both make them: the year
// plan, moving or cancelling a meeting, adopting a year's calendar, marking a milestone done.
// Each writes the database (audited) and then tells the workflows (the notifier: signalled, or
// kept and delivered later), so a change made on a page reaches the workflows exactly as one made
// through the API. Refusals say why in English (API) and Swedish (pages); nothing is changed then.
import { isIsoDate, parseIsoDate, stockholmDateTime, toStockholmDate, toStockholmTime } from '../domain/dates.js';
import { moveConsequences, type MoveConsequence } from '../domain/flytt.js';
import { milestonesForYear, preparationDeadline, proposeNextYear, storedMeetingRules, yearMilestones, type MeetingKind, type PlannedMeeting } from '../domain/kalendarium.js';
import type { Prisma, PrismaClient } from '../prisma/db.js';
import type { WorkflowNotifier } from './notifier.js';
import { audit } from './audit.js';
import { cycleSettingsOf, meetingDate, preparationOf, type CycleSettings } from './arscykel.js';
import { isoDay } from './rapportering.js';
import { invalid, missing, Refusal, type Problem } from './refusal.js';
import { notifyBoardMeetings } from './styrelse.js';

export const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export interface ChangeDeps {
  prisma: PrismaClient;
  notifier: WorkflowNotifier;
  now: () => Date;
}

type MeetingRow = Prisma.MeetingGetPayload<object>;

const yearOf = (deps: Pick<ChangeDeps, 'now'>) => Number(toStockholmDate(deps.now()).slice(0, 4));

/** The year's workflow and, for a board meeting, its own: both told (or the change kept for each). */
async function tellMeetingChanged(deps: ChangeDeps, m: MeetingRow, reason: string) {
  const told = [await deps.notifier.cycleChanged(m.forbundId, yearOf(deps), reason), m.kind === 'styrelse' ? await deps.notifier.meetingChanged(m.id, reason) : true];
  return told.every(Boolean);
}

export type YearPlan = Awaited<ReturnType<typeof yearPlan>>;

/** The year as stored: whether its calendar is adopted, its meetings with their preparation, its milestones. */
export async function yearPlan(prisma: PrismaClient, forbundId: string, year: number) {
  const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } });
  const settings = cycleSettingsOf(forbund);
  const [cy, meetings, milestones] = await Promise.all([
    prisma.cycleYear.findUnique({ where: { forbundId_year: { forbundId, year } } }),
    prisma.meeting.findMany({ where: { forbundId, year }, orderBy: [{ startsAt: 'asc' }, { key: 'asc' }] }),
    prisma.milestone.findMany({ where: { forbundId, year }, orderBy: [{ dueDate: 'asc' }, { kind: 'asc' }] }),
  ]);
  const prep = preparationOf(meetings, settings.kallelseDays);
  const byId = new Map(meetings.map((m) => [m.id, m]));
  return {
    year,
    calendar: cy?.calendarAdoptedAt ? { adopted: true as const, adoptedAt: cy.calendarAdoptedAt.toISOString(), adoptedBy: cy.calendarAdoptedBy } : { adopted: false as const },
    meetings: meetings.map((m) => ({
      id: m.id,
      key: m.key,
      kind: m.kind,
      title: m.title,
      date: meetingDate(m),
      start: m.kind === 'planning_day' && toStockholmTime(m.startsAt) === '00:00' ? null : toStockholmTime(m.startsAt),
      end: m.kind === 'planning_day' && toStockholmTime(m.startsAt) === '00:00' ? null : toStockholmTime(m.endsAt),
      startsAt: m.startsAt.toISOString(),
      endsAt: m.endsAt.toISOString(),
      location: m.location,
      status: m.status,
      sequence: m.sequence,
      prepares: m.forMeetingId ? byId.get(m.forMeetingId)?.key ?? null : null,
      preparation: prep.get(m.id) ?? null,
    })),
    milestones: milestones.map((ms) => ({
      id: ms.id,
      kind: ms.kind,
      title: ms.title,
      dueDate: isoDay(ms.dueDate),
      owner: ms.owner,
      meeting: ms.meetingId ? byId.get(ms.meetingId)?.key ?? null : null,
      status: ms.status,
      doneAt: ms.doneAt?.toISOString() ?? null,
      doneBy: ms.doneBy,
    })),
  };
}

/** Milestones handled at a meeting are due by its preparation deadline: re-derive after a change. */
async function rederiveMilestones(tx: Prisma.TransactionClient, forbundId: string, year: number) {
  const meetings = await tx.meeting.findMany({ where: { forbundId, year, status: 'planned' } });
  const plain = meetings.map((m) => ({ key: m.id, kind: m.kind as MeetingKind, date: meetingDate(m), forKey: m.forMeetingId ?? undefined }));
  for (const ms of await tx.milestone.findMany({ where: { forbundId, year, status: 'open', meetingId: { not: null } } })) {
    if (!plain.some((m) => m.key === ms.meetingId)) continue;
    const due = preparationDeadline(plain, ms.meetingId!);
    // A moved due date raises SEQUENCE, so subscribed calendars replace the old date.
    if (isoDay(ms.dueDate) !== due) await tx.milestone.update({ where: { id: ms.id }, data: { dueDate: new Date(`${due}T00:00:00Z`), sequence: { increment: 1 } } });
  }
}

async function meetingOf(prisma: PrismaClient, forbundId: string, id: string) {
  const m = await prisma.meeting.findFirst({ where: { id, forbundId } });
  if (!m) throw missing(`meeting "${id}"`, 'Mötet finns inte.');
  return m;
}

/**
 * A move with consequences (domain/flytt.ts) that was not confirmed: 409 with each consequence as a
 * problem (field `confirm`, the English and Swedish sentence) and its code; nothing was changed.
 */
export class MoveNeedsConfirmation extends Refusal {
  constructor(readonly consequences: MoveConsequence[]) {
    super(
      409,
      `moving the meeting has consequences; send "confirm": true to move it anyway: ${consequences.map((c) => c.en).join('; ')}`,
      `Flytten får följder: ${consequences.map((c) => c.sv).join(' ')}`,
      consequences.map((c) => ({ field: 'confirm', problem: c.en, sv: c.sv })),
    );
  }
}

/** What moving the meeting to `to` would bring about (domain/flytt.ts), from the stored plan. */
export async function consequencesOfMove(prisma: PrismaClient, m: MeetingRow, to: { startsAt: Date }, now: Date): Promise<MoveConsequence[]> {
  const allDay = m.kind === 'planning_day' && toStockholmTime(m.startsAt) === '00:00';
  const at = (d: Date) => ({ date: toStockholmDate(d), ...(allDay ? {} : { start: toStockholmTime(d) }) });
  const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: m.forbundId } });
  const [preparedBy, board] = await Promise.all([
    m.kind === 'styrelse' ? prisma.meeting.findMany({ where: { forMeetingId: m.id, status: 'planned' } }) : Promise.resolve([]),
    m.forMeetingId ? prisma.meeting.findFirst({ where: { id: m.forMeetingId, status: 'planned' } }) : Promise.resolve(null),
  ]);
  return moveConsequences({
    kind: m.kind as MeetingKind,
    from: at(m.startsAt),
    to: at(to.startsAt),
    now: { date: toStockholmDate(now), time: toStockholmTime(now) },
    kallelseDays: cycleSettingsOf(forbund).kallelseDays,
    kallelseSentOn: m.kallelseSentAt ? toStockholmDate(m.kallelseSentAt) : null,
    preparedBy: preparedBy.map((p) => ({ kind: p.kind as MeetingKind, date: meetingDate(p) })),
    ...(board ? { prepares: { date: meetingDate(board) } } : {}),
  });
}

/** What a move may change; an absent field keeps its value. Values as sent (checked here). */
export interface MeetingChange {
  date?: unknown;
  start?: unknown;
  end?: unknown;
  /** A text, or null for no place. */
  location?: unknown;
}

/**
 * Moves a meeting (date, times, place) within its calendar year: SEQUENCE +1, the milestones
 * handled at it re-dated, audited, and the year's workflow (and a board meeting's own) told.
 * A move to where it already is changes nothing and tells nobody. A move with consequences
 * (consequencesOfMove) is refused with MoveNeedsConfirmation unless `confirm`; confirmed, they
 * are in the audit event and the answer.
 */
export async function moveMeeting(deps: ChangeDeps, a: { forbundId: string; id: string; change: MeetingChange; actor: string; confirm?: boolean }) {
  const { prisma } = deps;
  const m = await meetingOf(prisma, a.forbundId, a.id);
  if (m.status === 'cancelled') throw new Refusal(409, 'the meeting is cancelled', 'Mötet är inställt och kan inte flyttas.', [{ field: 'id', problem: 'meeting is cancelled', sv: 'Mötet är inställt.' }]);
  if (m.heldAt) throw new Refusal(409, 'the meeting has been held', 'Mötet har hållits och kan inte flyttas.', [{ field: 'id', problem: 'a held meeting cannot be moved', sv: 'Mötet har hållits.' }]);
  const c = a.change;
  const fields: Problem[] = [];
  const date = c.date === undefined ? meetingDate(m) : c.date;
  if (!isIsoDate(date)) fields.push({ field: 'date', problem: 'must be a date YYYY-MM-DD', sv: 'Ange ett datum som finns, till exempel 2026-04-28.' });
  const start = c.start === undefined ? toStockholmTime(m.startsAt) : String(c.start);
  const end = c.end === undefined ? toStockholmTime(m.endsAt) : String(c.end);
  if (!TIME.test(start)) fields.push({ field: 'start', problem: 'must be a time HH:MM', sv: 'Ange en tid som TT:MM, till exempel 09:00.' });
  if (!TIME.test(end)) fields.push({ field: 'end', problem: 'must be a time HH:MM', sv: 'Ange en tid som TT:MM, till exempel 12:00.' });
  if (TIME.test(start) && TIME.test(end) && end <= start) fields.push({ field: 'end', problem: 'must be after start', sv: 'Mötet måste sluta efter att det börjar.' });
  if (isIsoDate(date) && parseIsoDate(date).year !== m.year) fields.push({ field: 'date', problem: `must be in ${m.year}, the year of the calendar`, sv: `Datumet måste ligga i ${m.year}, det år sammanträdesplanen gäller.` });
  if (c.location !== undefined && c.location !== null && (typeof c.location !== 'string' || c.location.length > 200)) fields.push({ field: 'location', problem: 'must be a text of at most 200 characters, or null', sv: 'Platsen får vara högst 200 tecken.' });
  if (fields.length) throw invalid(fields);
  const data = { startsAt: stockholmDateTime(date as string, start), endsAt: stockholmDateTime(date as string, end), location: c.location === undefined ? m.location : ((c.location as string | null) ?? null) };
  const unchanged = data.startsAt.getTime() === m.startsAt.getTime() && data.endsAt.getTime() === m.endsAt.getTime() && data.location === m.location;
  const consequences = unchanged ? [] : await consequencesOfMove(prisma, m, data, deps.now());
  if (consequences.length && a.confirm !== true) throw new MoveNeedsConfirmation(consequences);
  let meeting: MeetingRow = m;
  if (!unchanged) {
    meeting = await prisma.$transaction(async (tx) => {
      const u = await tx.meeting.update({ where: { id: m.id }, data: { ...data, sequence: { increment: 1 } } });
      await rederiveMilestones(tx, a.forbundId, m.year);
      await audit(tx, { forbundId: a.forbundId, actor: a.actor, action: 'meeting.moved', entityType: 'meeting', entityId: m.id, data: { from: { startsAt: m.startsAt, endsAt: m.endsAt, location: m.location }, to: data, sequence: u.sequence, ...(consequences.length ? { confirmed: consequences.map((c) => c.code) } : {}) } });
      return u;
    });
  }
  const workflowNotified = unchanged ? false : await tellMeetingChanged(deps, m, 'meeting moved');
  return { meeting, unchanged, workflowNotified, consequences };
}

/** Cancels a meeting (SEQUENCE +1, milestones re-dated, audited, workflows told); a cancelled one stays as it is. */
export async function cancelMeeting(deps: ChangeDeps, a: { forbundId: string; id: string; actor: string }) {
  const { prisma } = deps;
  const m = await meetingOf(prisma, a.forbundId, a.id);
  if (m.heldAt) throw new Refusal(409, 'the meeting has been held', 'Mötet har hållits och kan inte ställas in.', [{ field: 'id', problem: 'a held meeting cannot be cancelled', sv: 'Mötet har hållits.' }]);
  let meeting: MeetingRow = m;
  if (m.status !== 'cancelled') {
    meeting = await prisma.$transaction(async (tx) => {
      const x = await tx.meeting.update({ where: { id: m.id }, data: { status: 'cancelled', sequence: { increment: 1 } } });
      await rederiveMilestones(tx, a.forbundId, m.year);
      await audit(tx, { forbundId: a.forbundId, actor: a.actor, action: 'meeting.cancelled', entityType: 'meeting', entityId: m.id, data: { sequence: x.sequence } });
      return x;
    });
  }
  const workflowNotified = m.status === 'cancelled' ? false : await tellMeetingChanged(deps, m, 'meeting cancelled');
  return { meeting, alreadyCancelled: m.status === 'cancelled', workflowNotified };
}

/**
 * The meetings "proposed" for a year: its stored meetings when it has any (a calendar imported
 * or drafted but not adopted), else last year's rhythm moved to this year (same keys and
 * weekdays, the förbund's date rules where it has them).
 */
export async function proposedCalendar(prisma: PrismaClient, forbundId: string, year: number): Promise<PlannedMeeting[]> {
  const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } });
  const stored = await prisma.meeting.findMany({ where: { forbundId, year, status: 'planned' }, orderBy: { startsAt: 'asc' } });
  const source = stored.length ? stored : await prisma.meeting.findMany({ where: { forbundId, year: year - 1, status: 'planned' }, orderBy: { startsAt: 'asc' } });
  if (!source.length) {
    throw invalid([{ field: 'meetings', problem: `no meetings given and none to propose from ${year - 1}`, sv: `Det finns inga möten för ${year} och inga från ${year - 1} att föreslå utifrån.` }]);
  }
  const keyOf = new Map(source.map((m) => [m.id, m.key]));
  const asPlanned = source.map((m) => ({ key: m.key, kind: m.kind as MeetingKind, title: m.title, date: meetingDate(m), start: toStockholmTime(m.startsAt), end: toStockholmTime(m.endsAt), ...(m.location ? { location: m.location } : {}), ...(m.forMeetingId ? { forKey: keyOf.get(m.forMeetingId) } : {}) }));
  return stored.length ? asPlanned : proposeNextYear(asPlanned, year, storedMeetingRules(forbund.cycleSettings));
}

/**
 * Adopts a year's calendar: the meetings given (or "proposed"), the year's milestones placed on
 * them, last year's "next calendar" milestone done, audited; then the year's workflow and every
 * board meeting ahead told. 409 when the year is already adopted (move or cancel single meetings).
 */
export async function adoptCalendar(
  deps: ChangeDeps,
  a: { forbundId: string; year: number; actor: string; meetings: 'proposed' | ((defaults: CycleSettings['defaults']) => PlannedMeeting[]) | undefined },
) {
  const { prisma } = deps;
  const { forbundId, year } = a;
  const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } });
  const settings = cycleSettingsOf(forbund);
  const existing = await prisma.cycleYear.findUnique({ where: { forbundId_year: { forbundId, year } } });
  if (existing?.calendarAdoptedAt) {
    throw new Refusal(409, `the calendar for ${year} is already adopted; move or cancel single meetings instead`, `Sammanträdesplanen för ${year} är redan fastställd. Flytta eller ställ in enskilda möten i stället.`, [{ field: 'year', problem: 'already adopted', sv: 'Redan fastställd.' }]);
  }
  if (a.meetings === undefined) {
    throw invalid([{ field: 'meetings', problem: 'required: the meetings to adopt, or "proposed" for the stored meetings of the year (else last year\'s rhythm moved to this year)', sv: 'Ange mötena som ska fastställas.' }]);
  }
  const planned = a.meetings === 'proposed' ? await proposedCalendar(prisma, forbundId, year) : a.meetings(settings.defaults);
  const now = deps.now();
  await prisma.$transaction(async (tx) => {
    const current = new Map((await tx.meeting.findMany({ where: { forbundId, year } })).map((m) => [m.key, m]));
    for (const m of planned) {
      const startsAt = stockholmDateTime(m.date, m.start ?? '00:00');
      const endsAt = stockholmDateTime(m.date, m.end ?? '23:59');
      const data = { kind: m.kind, title: m.title, startsAt, endsAt, location: m.location ?? null, status: 'planned' as const };
      const e = current.get(m.key);
      current.delete(m.key);
      if (e) await tx.meeting.update({ where: { id: e.id }, data });
      else await tx.meeting.create({ data: { forbundId, year, key: m.key, ...data } });
    }
    for (const gone of current.values()) await tx.meeting.update({ where: { id: gone.id }, data: { status: 'cancelled', sequence: { increment: 1 } } });
    const ids = new Map((await tx.meeting.findMany({ where: { forbundId, year }, select: { id: true, key: true } })).map((m) => [m.key, m.id]));
    for (const m of planned) await tx.meeting.update({ where: { id: ids.get(m.key)! }, data: { forMeetingId: m.forKey ? ids.get(m.forKey) ?? null : null } });
    // The year's milestones, placed by the förbund's settings on the adopted meetings.
    const milestones = milestonesForYear(settings.milestones, year, new Set(ids.keys()));
    for (const ms of yearMilestones({ ...settings, meetings: [], planningDays: [], milestones }, planned, year)) {
      const data = { title: ms.title, dueDate: new Date(`${ms.dueDate}T00:00:00Z`), owner: ms.owner, meetingId: ms.meetingKey ? ids.get(ms.meetingKey) ?? null : null };
      const where = { forbundId_year_kind: { forbundId, year, kind: ms.kind } };
      const before = await tx.milestone.findUnique({ where, select: { dueDate: true } });
      const moved = before && isoDay(before.dueDate) !== ms.dueDate;
      await tx.milestone.upsert({ where, create: { forbundId, year, kind: ms.kind, ...data }, update: { ...data, ...(moved ? { sequence: { increment: 1 } } : {}) } });
    }
    await tx.cycleYear.upsert({ where: { forbundId_year: { forbundId, year } }, create: { forbundId, year, calendarAdoptedAt: now, calendarAdoptedBy: a.actor }, update: { calendarAdoptedAt: now, calendarAdoptedBy: a.actor } });
    // Adopting next year's calendar is the last milestone of this year.
    await tx.milestone.updateMany({ where: { forbundId, year: year - 1, kind: 'nextCalendar', status: 'open' }, data: { status: 'done', doneAt: now, doneBy: a.actor } });
    await tx.escalation.updateMany({ where: { forbundId, key: `calendar:${year}`, resolvedAt: null }, data: { resolvedAt: now } });
    await audit(tx, { forbundId, actor: a.actor, action: 'calendar.adopted', entityType: 'year', entityId: String(year), data: { meetings: planned.length } });
  });
  // Both told (or kept) whatever the first answers.
  const told = [await deps.notifier.cycleChanged(forbundId, yearOf(deps), `calendar ${year} adopted`), await notifyBoardMeetings(prisma, deps.notifier, forbundId, `calendar ${year} adopted`, deps.now())];
  return { meetings: planned.length, workflowNotified: told.every(Boolean) };
}

/**
 * Marks a milestone done (audited, its escalation resolved, the year's workflow told). One the
 * board adopts through a matter is done by the decision on that matter instead (409).
 */
export async function markMilestoneDone(deps: ChangeDeps, a: { forbundId: string; id: string; actor: string }) {
  const { prisma } = deps;
  const ms = await prisma.milestone.findFirst({ where: { id: a.id, forbundId: a.forbundId } });
  if (!ms) throw missing(`milestone "${a.id}"`, 'Momentet finns inte.');
  const matter = await prisma.matter.findUnique({ where: { milestoneId: ms.id } });
  if (matter && ms.status !== 'done') {
    throw new Refusal(409, `"${ms.title}" is done when the board's decision on matter ${matter.dnr} is recorded`, `”${ms.title}” blir klart när styrelsens beslut i ärende ${matter.dnr} är fört till protokollet.`, [{ field: 'id', problem: `record the decision on ${matter.dnr} at its board meeting instead`, sv: `Beslutet i ${matter.dnr} förs in vid styrelsens sammanträde.` }]);
  }
  let milestone = ms;
  if (ms.status !== 'done') {
    milestone = await prisma.$transaction(async (tx) => {
      const u = await tx.milestone.update({ where: { id: ms.id }, data: { status: 'done', doneAt: deps.now(), doneBy: a.actor } });
      await tx.escalation.updateMany({ where: { forbundId: a.forbundId, subjectType: 'milestone', subjectId: ms.id, resolvedAt: null }, data: { resolvedAt: deps.now() } });
      await audit(tx, { forbundId: a.forbundId, actor: a.actor, action: 'milestone.done', entityType: 'milestone', entityId: ms.id });
      return u;
    });
  }
  const workflowNotified = ms.status === 'done' ? false : await deps.notifier.cycleChanged(a.forbundId, yearOf(deps), 'milestone done');
  return { milestone, alreadyDone: ms.status === 'done', workflowNotified };
}

/**
 * Sets the förbund's go-live (`Forbund.goLiveOn`): nothing due before it is reminded, escalated or
 * registered. A date after today is refused (a future go-live would leave what falls due until
 * then unreminded); the same date again changes nothing and tells nobody. Audited; then every
 * workflow of the förbund is told that its plan changed: the active projects' reporting, the
 * year's cycle and every board meeting ahead.
 */
export async function setGoLive(deps: ChangeDeps, a: { forbundId: string; date: unknown; actor: string }) {
  const { prisma } = deps;
  const today = toStockholmDate(deps.now());
  if (!isIsoDate(a.date) || a.date < '2000-01-01') throw invalid([{ field: 'date', problem: 'must be a date YYYY-MM-DD', sv: 'Ange ett datum som finns, till exempel 2026-01-15.' }]);
  if (a.date > today) throw invalid([{ field: 'date', problem: 'must not be after today', sv: 'Datumet får inte vara senare än i dag.' }]);
  const date = a.date;
  const before = await prisma.forbund.findUniqueOrThrow({ where: { id: a.forbundId }, select: { goLiveOn: true } });
  const from = before.goLiveOn ? isoDay(before.goLiveOn) : null;
  if (from === date) return { goLiveOn: date, changed: false, workflowNotified: false };
  await prisma.$transaction(async (tx) => {
    await tx.forbund.update({ where: { id: a.forbundId }, data: { goLiveOn: new Date(`${date}T00:00:00Z`) } });
    await audit(tx, { forbundId: a.forbundId, actor: a.actor, action: 'forbund.go-live-changed', entityType: 'forbund', entityId: a.forbundId, data: { from, to: date } });
  });
  const reason = 'go-live changed';
  const projects = await prisma.project.findMany({ where: { forbundId: a.forbundId, status: 'active' }, select: { id: true } });
  let told = true;
  for (const p of projects) told = (await deps.notifier.reportingChanged(p.id, reason)) && told;
  told = (await deps.notifier.cycleChanged(a.forbundId, yearOf(deps), reason)) && told;
  told = (await notifyBoardMeetings(prisma, deps.notifier, a.forbundId, reason, deps.now())) && told;
  return { goLiveOn: date, changed: true, workflowNotified: told };
}
