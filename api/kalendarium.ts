// Routes for the governance year: the year plan, adopting next year's calendar, moving or
// cancelling a meeting, marking a milestone done, and subscribable ICS feeds.
import { Router, type Request } from 'express';
import { isIsoDate, parseIsoDate, stockholmDateTime, toStockholmDate, toStockholmTime, addDays } from '../domain/dates.js';
import { OWNER_ROLES } from '../domain/forbund-file.js';
import { buildFeed, type IcsEvent } from '../domain/ics.js';
import { pendingStep, type PendingStep } from '../domain/pending.js';
import { milestonesForYear, preparationDeadline, proposeNextYear, storedMeetingRules, yearMilestones, MEETING_TITLES, type MeetingKind, type PlannedMeeting } from '../domain/kalendarium.js';
import { audit } from '../services/audit.js';
import { ownersOf } from '../services/people.js';
import { cycleSettingsOf, meetingDate, preparationOf } from '../services/arscykel.js';
import { notifyBoardMeetings } from '../services/styrelse.js';
import { feedPurpose, token, tokenMatches } from '../services/links.js';
import { readyBody, sendReady, type ReadyBody } from '../services/read-cache.js';
import { sendKept } from './kept.js';
import { isoDay } from '../services/rapportering.js';
import type { Prisma } from '../prisma/db.js';
import { actor, allow } from './auth.js';
import type { ApiDeps } from './deps.js';
import { badRequest, HttpError, notFound, objectBody, requireDate } from './errors.js';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const KINDS: MeetingKind[] = ['styrelse', 'presidium', 'beredningsgrupp', 'beredning', 'planning_day'];
const FEED_BODIES = ['all', 'styrelse', 'presidium', 'beredningsgrupp'] as const;

function requireYear(v: unknown): number {
  const y = typeof v === 'string' && /^\d{4}$/.test(v) ? Number(v) : NaN;
  if (!(y >= 2000 && y <= 2100)) throw badRequest([{ field: 'year', problem: 'must be a year from 2000 to 2100, written with four digits' }]);
  return y;
}

function unknownFields(body: Record<string, unknown>, allowed: string[], prefix = '') {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length) throw badRequest(extra.map((k) => ({ field: prefix + k, problem: `unknown field; allowed: ${allowed.join(', ')}` })));
}

type MeetingRow = Prisma.MeetingGetPayload<object>;

export function cycleRoutes(deps: ApiDeps): { forbund: Router; public: Router } {
  const { prisma, notifier } = deps;
  const r = Router({ mergeParams: true });
  const fid = (req: Request) => req.auth!.forbundId;
  const thisYear = () => Number(toStockholmDate(deps.now()).slice(0, 4));
  /** The year's workflow and, for a board meeting, its own: both told (or the change kept for each). */
  const tellMeetingChanged = async (m: MeetingRow, reason: string) => {
    const told = [await notifier.cycleChanged(m.forbundId, thisYear(), reason), m.kind === 'styrelse' ? await notifier.meetingChanged(m.id, reason) : true];
    return told.every(Boolean);
  };

  async function yearPlan(forbundId: string, year: number) {
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
      calendar: cy?.calendarAdoptedAt ? { adopted: true, adoptedAt: cy.calendarAdoptedAt.toISOString(), adoptedBy: cy.calendarAdoptedBy } : { adopted: false },
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

  r.get('/years/:year', allow('admin', 'secretary', 'board_member'), async (req, res) => {
    const year = requireYear(req.params.year);
    await sendKept(deps, req, res, () => yearPlan(fid(req), year));
  });

  r.post('/years/:year/calendar', allow('admin', 'secretary'), async (req, res) => {
    const forbundId = fid(req);
    const year = requireYear(req.params.year);
    const body = objectBody(req);
    unknownFields(body, ['meetings']);
    const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } });
    const settings = cycleSettingsOf(forbund);
    const existing = await prisma.cycleYear.findUnique({ where: { forbundId_year: { forbundId, year } } });
    if (existing?.calendarAdoptedAt) throw new HttpError(409, `the calendar for ${year} is already adopted; move or cancel single meetings instead`, [{ field: 'year', problem: 'already adopted' }]);
    let planned: PlannedMeeting[];
    if (body.meetings === undefined) {
      throw badRequest([{ field: 'meetings', problem: 'required: the meetings to adopt, or "proposed" for the stored meetings of the year (else last year\'s rhythm moved to this year)' }]);
    } else if (body.meetings !== 'proposed') {
      planned = parseMeetings(body.meetings, year, settings.defaults);
    } else {
      const stored = await prisma.meeting.findMany({ where: { forbundId, year, status: 'planned' } });
      const source = stored.length ? stored : await prisma.meeting.findMany({ where: { forbundId, year: year - 1, status: 'planned' } });
      if (!source.length) throw badRequest([{ field: 'meetings', problem: `no meetings given and none to propose from ${year - 1}` }]);
      const keyOf = new Map(source.map((m) => [m.id, m.key]));
      const asPlanned = source.map((m) => ({ key: m.key, kind: m.kind as MeetingKind, title: m.title, date: meetingDate(m), start: toStockholmTime(m.startsAt), end: toStockholmTime(m.endsAt), ...(m.location ? { location: m.location } : {}), ...(m.forMeetingId ? { forKey: keyOf.get(m.forMeetingId) } : {}) }));
      planned = stored.length ? asPlanned : proposeNextYear(asPlanned, year, storedMeetingRules(forbund.cycleSettings));
    }
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
      await tx.cycleYear.upsert({ where: { forbundId_year: { forbundId, year } }, create: { forbundId, year, calendarAdoptedAt: deps.now(), calendarAdoptedBy: actor(req) }, update: { calendarAdoptedAt: deps.now(), calendarAdoptedBy: actor(req) } });
      // Adopting next year's calendar is the last milestone of this year.
      await tx.milestone.updateMany({ where: { forbundId, year: year - 1, kind: 'nextCalendar', status: 'open' }, data: { status: 'done', doneAt: deps.now(), doneBy: actor(req) } });
      await tx.escalation.updateMany({ where: { forbundId, key: `calendar:${year}`, resolvedAt: null }, data: { resolvedAt: deps.now() } });
      await audit(tx, { forbundId, actor: actor(req), action: 'calendar.adopted', entityType: 'year', entityId: String(year), data: { meetings: planned.length } });
    });
    // Both told (or kept) whatever the first answers.
    const told = [await notifier.cycleChanged(forbundId, thisYear(), `calendar ${year} adopted`), await notifyBoardMeetings(prisma, notifier, forbundId, `calendar ${year} adopted`, deps.now())];
    const workflowNotified = told.every(Boolean);
    res.status(201).json({ ...(await yearPlan(forbundId, year)), workflowNotified });
  });

  r.patch('/meetings/:id', allow('admin', 'secretary'), async (req, res) => {
    const forbundId = fid(req);
    const body = objectBody(req);
    unknownFields(body, ['date', 'start', 'end', 'location']);
    if (Object.keys(body).length === 0) throw badRequest([{ field: '(body)', problem: 'give at least one of date, start, end, location' }]);
    const m = await prisma.meeting.findFirst({ where: { id: String(req.params.id), forbundId } });
    if (!m) throw notFound(`meeting "${req.params.id}"`);
    if (m.status === 'cancelled') throw new HttpError(409, 'the meeting is cancelled', [{ field: 'id', problem: 'meeting is cancelled' }]);
    if (m.heldAt) throw new HttpError(409, 'the meeting has been held', [{ field: 'id', problem: 'a held meeting cannot be moved' }]);
    const date = body.date === undefined ? meetingDate(m) : requireDate(body.date, 'date');
    const start = body.start === undefined ? toStockholmTime(m.startsAt) : String(body.start);
    const end = body.end === undefined ? toStockholmTime(m.endsAt) : String(body.end);
    const fields = [];
    if (!TIME.test(start)) fields.push({ field: 'start', problem: 'must be a time HH:MM' });
    if (!TIME.test(end)) fields.push({ field: 'end', problem: 'must be a time HH:MM' });
    if (!fields.length && end <= start) fields.push({ field: 'end', problem: 'must be after start' });
    if (parseIsoDate(date).year !== m.year) fields.push({ field: 'date', problem: `must be in ${m.year}, the year of the calendar` });
    if (body.location !== undefined && body.location !== null && (typeof body.location !== 'string' || body.location.length > 200)) fields.push({ field: 'location', problem: 'must be a text of at most 200 characters, or null' });
    if (fields.length) throw badRequest(fields);
    const data = { startsAt: stockholmDateTime(date, start), endsAt: stockholmDateTime(date, end), location: body.location === undefined ? m.location : ((body.location as string | null) ?? null) };
    const unchanged = data.startsAt.getTime() === m.startsAt.getTime() && data.endsAt.getTime() === m.endsAt.getTime() && data.location === m.location;
    let updated: MeetingRow = m;
    if (!unchanged) {
      updated = await prisma.$transaction(async (tx) => {
        const u = await tx.meeting.update({ where: { id: m.id }, data: { ...data, sequence: { increment: 1 } } });
        await rederiveMilestones(tx, forbundId, m.year);
        await audit(tx, { forbundId, actor: actor(req), action: 'meeting.moved', entityType: 'meeting', entityId: m.id, data: { from: { startsAt: m.startsAt, endsAt: m.endsAt, location: m.location }, to: data, sequence: u.sequence } });
        return u;
      });
    }
    const workflowNotified = unchanged ? false : await tellMeetingChanged(m, 'meeting moved');
    res.json({ id: updated.id, key: updated.key, date: meetingDate(updated), start: toStockholmTime(updated.startsAt), end: toStockholmTime(updated.endsAt), location: updated.location, status: updated.status, sequence: updated.sequence, workflowNotified });
  });

  r.post('/meetings/:id/cancel', allow('admin', 'secretary'), async (req, res) => {
    const forbundId = fid(req);
    const m = await prisma.meeting.findFirst({ where: { id: String(req.params.id), forbundId } });
    if (!m) throw notFound(`meeting "${req.params.id}"`);
    if (m.heldAt) throw new HttpError(409, 'the meeting has been held', [{ field: 'id', problem: 'a held meeting cannot be cancelled' }]);
    let u: MeetingRow = m;
    if (m.status !== 'cancelled') {
      u = await prisma.$transaction(async (tx) => {
        const x = await tx.meeting.update({ where: { id: m.id }, data: { status: 'cancelled', sequence: { increment: 1 } } });
        await rederiveMilestones(tx, forbundId, m.year);
        await audit(tx, { forbundId, actor: actor(req), action: 'meeting.cancelled', entityType: 'meeting', entityId: m.id, data: { sequence: x.sequence } });
        return x;
      });
    }
    const workflowNotified = m.status === 'cancelled' ? false : await tellMeetingChanged(m, 'meeting cancelled');
    res.json({ id: u.id, key: u.key, status: u.status, sequence: u.sequence, workflowNotified });
  });

  r.post('/milestones/:id/done', allow('admin', 'secretary'), async (req, res) => {
    const forbundId = fid(req);
    const ms = await prisma.milestone.findFirst({ where: { id: String(req.params.id), forbundId } });
    if (!ms) throw notFound(`milestone "${req.params.id}"`);
    const matter = await prisma.matter.findUnique({ where: { milestoneId: ms.id } });
    if (matter && ms.status !== 'done') {
      throw new HttpError(409, `"${ms.title}" is done when the board's decision on matter ${matter.dnr} is recorded`, [{ field: 'id', problem: `record the decision on ${matter.dnr} at its board meeting instead` }]);
    }
    let updated = ms;
    if (ms.status !== 'done') {
      updated = await prisma.$transaction(async (tx) => {
        const u = await tx.milestone.update({ where: { id: ms.id }, data: { status: 'done', doneAt: deps.now(), doneBy: actor(req) } });
        await tx.escalation.updateMany({ where: { forbundId, subjectType: 'milestone', subjectId: ms.id, resolvedAt: null }, data: { resolvedAt: deps.now() } });
        await audit(tx, { forbundId, actor: actor(req), action: 'milestone.done', entityType: 'milestone', entityId: ms.id });
        return u;
      });
    }
    const workflowNotified = ms.status === 'done' ? false : await notifier.cycleChanged(forbundId, thisYear(), 'milestone done');
    res.json({ id: updated.id, kind: updated.kind, status: updated.status, doneAt: updated.doneAt?.toISOString() ?? null, doneBy: updated.doneBy, workflowNotified });
  });

  r.get('/feeds', allow('admin', 'secretary'), async (req, res) => {
    const forbundId = fid(req);
    const slug = req.auth!.forbundSlug;
    res.json({ data: FEED_BODIES.map((b) => ({ body: b, url: `${deps.publicBaseUrl}/feeds/${slug}/${b}.ics?token=${token(deps.linkSecret, feedPurpose(forbundId, b))}` })) });
  });

  /**
   * The years a feed carries: last year, this year and next. A förbund whose calendar lies further
   * back (a historic plan, e.g. Sydnärke 2016 imported as it is) gets its latest year and the ones
   * around it instead of an empty calendar.
   */
  async function feedYears(forbundId: string): Promise<{ gte: number; lte: number }> {
    const current = thisYear();
    const latest = await prisma.meeting.findFirst({ where: { forbundId, year: { lte: current + 1 } }, orderBy: { year: 'desc' }, select: { year: true } });
    const y = latest && latest.year < current - 1 ? latest.year : current;
    return { gte: y - 1, lte: y + 1 };
  }

  const pub = Router();
  // A förbund's id by its slug, asked once (a slug names one förbund for good).
  const forbundIds = new Map<string, string>();
  const forbundIdOf = async (slug: string) => {
    const known = forbundIds.get(slug);
    if (known) return known;
    const f = await prisma.forbund.findUnique({ where: { slug }, select: { id: true } });
    if (f && forbundIds.size < 10_000) forbundIds.set(slug, f.id);
    return f?.id;
  };
  // Built once per förbund, body and data version: a calendar client asks every few minutes.
  pub.get('/feeds/:forbund/:body.ics', async (req, res) => {
    const body = String(req.params.body) as (typeof FEED_BODIES)[number];
    const forbundId = await forbundIdOf(String(req.params.forbund));
    const t = typeof req.query.token === 'string' ? req.query.token : '';
    if (!forbundId || !FEED_BODIES.includes(body) || !tokenMatches(deps.linkSecret, feedPurpose(forbundId, body), t)) {
      throw new HttpError(403, 'this feed address is not valid', [{ field: 'token', problem: 'missing or not valid for this feed' }]);
    }
    const feed = await deps.reads.get(forbundId, `feed ${body} ${thisYear()}`, () => buildBodyFeed(forbundId, body));
    if (!feed) {
      forbundIds.delete(String(req.params.forbund));
      throw new HttpError(403, 'this feed address is not valid', [{ field: 'token', problem: 'missing or not valid for this feed' }]);
    }
    sendReady(res, feed);
  });

  async function buildBodyFeed(forbundId: string, body: (typeof FEED_BODIES)[number]): Promise<ReadyBody | null> {
    const forbund = await prisma.forbund.findUnique({ where: { id: forbundId } });
    if (!forbund) return null;
    const kinds: MeetingKind[] = body === 'all' ? KINDS : body === 'styrelse' ? ['styrelse', 'planning_day'] : body === 'presidium' ? ['presidium', 'beredning'] : ['beredningsgrupp'];
    const years = await feedYears(forbund.id);
    const [meetings, milestones] = await Promise.all([
      prisma.meeting.findMany({ where: { forbundId: forbund.id, year: years, kind: { in: kinds } }, orderBy: { startsAt: 'asc' } }),
      body === 'all' || body === 'styrelse' ? prisma.milestone.findMany({ where: { forbundId: forbund.id, year: years }, orderBy: { dueDate: 'asc' } }) : Promise.resolve([]),
    ]);
    const events: IcsEvent[] = [
      ...meetings.map((m) => {
        const allDay = m.kind === 'planning_day' && toStockholmTime(m.startsAt) === '00:00';
        return {
          uid: `meeting-${m.id}@arscykel`,
          sequence: m.sequence,
          summary: `${m.title} – ${forbund.name}`,
          start: m.startsAt,
          end: m.endsAt,
          ...(allDay ? { allDay: true, startDate: meetingDate(m), endDate: meetingDate(m) } : {}),
          ...(m.location ? { location: m.location } : {}),
          status: m.status === 'cancelled' ? ('CANCELLED' as const) : ('CONFIRMED' as const),
        };
      }),
      ...milestones.map((ms) => ({
        uid: `milestone-${ms.id}@arscykel`,
        sequence: ms.sequence,
        summary: `${ms.status === 'done' ? '✓ ' : ''}${ms.title} (sista dag)`,
        start: ms.dueDate,
        end: ms.dueDate,
        allDay: true,
        startDate: isoDay(ms.dueDate),
        endDate: isoDay(ms.dueDate),
      })),
    ];
    const name = `${forbund.name} – ${body === 'all' ? 'årscykel' : MEETING_TITLES[body as MeetingKind] ?? body}`;
    const description = `Sammanträden${milestones.length ? ' och moment i årscykeln' : ''} ${years.gte}–${years.lte}, ${forbund.name}`;
    return readyBody('text/calendar; charset=utf-8', buildFeed({ name, description, events, dtstamp: deps.now() }));
  }

  return { forbund: r, public: pub };
}

function parseMeetings(input: unknown, year: number, defaults: { start: string; end: string; location?: string }): PlannedMeeting[] {
  if (!Array.isArray(input) || input.length === 0) throw badRequest([{ field: 'meetings', problem: 'must be a non-empty list of meetings' }]);
  const fields: { field: string; problem: string }[] = [];
  const out: PlannedMeeting[] = [];
  const keys = new Set<string>();
  input.forEach((raw, i) => {
    const f = (name: string) => `meetings[${i}].${name}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fields.push({ field: `meetings[${i}]`, problem: 'must be an object' });
    const m = raw as Record<string, unknown>;
    for (const k of Object.keys(m)) if (!['key', 'kind', 'title', 'date', 'start', 'end', 'location', 'for'].includes(k)) fields.push({ field: f(k), problem: 'unknown field' });
    if (typeof m.key !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(m.key)) fields.push({ field: f('key'), problem: 'must be a slug like styrelse-02' });
    else if (keys.has(m.key)) fields.push({ field: f('key'), problem: `duplicate key "${m.key}"` });
    else keys.add(m.key);
    if (!KINDS.includes(m.kind as MeetingKind)) fields.push({ field: f('kind'), problem: `must be one of ${KINDS.join(', ')}` });
    if (!isIsoDate(m.date)) fields.push({ field: f('date'), problem: 'must be a date YYYY-MM-DD' });
    else if (parseIsoDate(m.date).year !== year) fields.push({ field: f('date'), problem: `must be in ${year}` });
    const start = m.start ?? defaults.start;
    const end = m.end ?? defaults.end;
    if (typeof start !== 'string' || !TIME.test(start)) fields.push({ field: f('start'), problem: 'must be a time HH:MM' });
    if (typeof end !== 'string' || !TIME.test(end)) fields.push({ field: f('end'), problem: 'must be a time HH:MM' });
    else if (typeof start === 'string' && end <= start) fields.push({ field: f('end'), problem: 'must be after start' });
    if (m.location !== undefined && typeof m.location !== 'string') fields.push({ field: f('location'), problem: 'must be a text' });
    if (m.title !== undefined && typeof m.title !== 'string') fields.push({ field: f('title'), problem: 'must be a text' });
    out.push({ key: String(m.key), kind: m.kind as MeetingKind, title: (m.title as string) ?? MEETING_TITLES[m.kind as MeetingKind], date: String(m.date), start: String(start), end: String(end), ...(m.location || defaults.location ? { location: (m.location as string) ?? defaults.location } : {}), ...(m.for ? { forKey: String(m.for) } : {}) });
  });
  out.forEach((m, i) => {
    if (m.forKey && !out.some((b) => b.key === m.forKey && b.kind === 'styrelse')) fields.push({ field: `meetings[${i}].for`, problem: `must name a styrelse meeting in the list` });
  });
  if (fields.length) throw badRequest(fields);
  return out;
}

/** The cycle's pending steps: open milestones (due within 30 days or late), and a missing calendar. */
export async function cyclePendingSteps(deps: ApiDeps, forbund: { id: string; slug: string }, today: string): Promise<PendingStep[]> {
  const horizon = new Date(`${addDays(today, 30)}T00:00:00Z`);
  const year = Number(today.slice(0, 4));
  const [milestones, escalations, next, lastBoard] = await Promise.all([
    deps.prisma.milestone.findMany({ where: { forbundId: forbund.id, status: 'open', dueDate: { lte: horizon } }, include: { meeting: true } }),
    deps.prisma.escalation.findMany({ where: { forbundId: forbund.id, resolvedAt: null, subjectType: { in: ['milestone', 'calendar'] } } }),
    deps.prisma.cycleYear.findUnique({ where: { forbundId_year: { forbundId: forbund.id, year: year + 1 } } }),
    deps.prisma.meeting.findFirst({ where: { forbundId: forbund.id, year, kind: 'styrelse', status: 'planned' }, orderBy: { startsAt: 'desc' } }),
  ]);
  const escalated = new Set(escalations.map((e) => e.subjectId));
  // A milestone the board adopts is done by its decision: the step links to its matter.
  const matters = new Map((await deps.prisma.matter.findMany({ where: { milestoneId: { in: milestones.map((m) => m.id) } }, select: { milestoneId: true, dnr: true } })).map((x) => [x.milestoneId!, x.dnr]));
  // A role name wins over a person whose key happens to be the same (as resolveOwner and the workflow do).
  // Owners resolved as the workflow resolves them: a role (chair = the board's chair) or a person key.
  const ownerKeys = [...new Set([...milestones.map((m) => m.owner), 'secretary'])];
  const resolved = new Map(await Promise.all(ownerKeys.map(async (o) => [o, await ownersOf(deps.prisma, forbund.id, o)] as const)));
  const owner = (o: string) => {
    const p = resolved.get(o)?.[0];
    return { role: (OWNER_ROLES as readonly string[]).includes(o) ? o : 'person', name: p?.name ?? null, email: p?.email ?? null };
  };
  const steps = milestones.map((ms) =>
    pendingStep(
      {
        type: 'milestone',
        id: ms.id,
        title: `${ms.title}${ms.meeting ? ` (${ms.meeting.title.toLowerCase()} ${meetingDate(ms.meeting)})` : ''}`,
        waitingOn: owner(ms.owner),
        dueDate: isoDay(ms.dueDate),
        escalated: escalated.has(ms.id),
        links: matters.has(ms.id)
          ? { matter: `/api/v1/forbund/${forbund.slug}/matters/${matters.get(ms.id)}`, year: `/api/v1/forbund/${forbund.slug}/years/${ms.year}` }
          : { done: `/api/v1/forbund/${forbund.slug}/milestones/${ms.id}/done`, year: `/api/v1/forbund/${forbund.slug}/years/${ms.year}` },
      },
      today,
    ),
  );
  // Next year's calendar is due at the last board meeting of the year.
  const due = lastBoard ? meetingDate(lastBoard) : `${year}-12-31`;
  if (!next?.calendarAdoptedAt && addDays(today, 30) >= due) {
    steps.push(
      pendingStep(
        {
          type: 'calendar',
          id: String(year + 1),
          title: `Sammanträdesplan för ${year + 1} fastställs av styrelsen`,
          waitingOn: owner('secretary'),
          dueDate: due,
          escalated: escalated.has(String(year + 1)),
          links: { adopt: `/api/v1/forbund/${forbund.slug}/years/${year + 1}/calendar` },
        },
        today,
      ),
    );
  }
  return steps;
}
