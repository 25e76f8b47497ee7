// Routes for the governance year: the year plan, adopting next year's calendar, moving or
// cancelling a meeting, marking a milestone done, and subscribable ICS feeds.
import { Router, type Request } from 'express';
import { isIsoDate, parseIsoDate, toStockholmDate, toStockholmTime } from '../domain/dates.js';
import { buildFeed, type IcsEvent } from '../domain/ics.js';
import { MEETING_TITLES, type MeetingKind, type PlannedMeeting } from '../domain/kalendarium.js';
import { meetingDate } from '../services/arscykel.js';
import { adoptCalendar, cancelMeeting, markMilestoneDone, moveMeeting, MoveNeedsConfirmation, setGoLive, TIME, yearPlan } from '../services/kalendarium.js';
import { feedLink, feedPurpose, generationsOf, tokenState } from '../services/links.js';
import { FEED_BODIES } from '../services/lankar.js';
import { readyBody, sendReady, type ReadyBody } from '../services/read-cache.js';
import { sendKept } from './kept.js';
import { isoDay } from '../services/rapportering.js';
import { actor, allow } from './auth.js';
import { declare } from './declare.js';
import type { ApiDeps } from './deps.js';
import { badRequest, HttpError, objectBody } from './errors.js';
import { asHttp, httpOf } from './refusal.js';
import type { FieldError } from '../domain/rapportuppgifter.js';

const KINDS: MeetingKind[] = ['styrelse', 'presidium', 'beredningsgrupp', 'beredning', 'planning_day'];

function requireYear(v: unknown): number {
  const y = typeof v === 'string' && /^\d{4}$/.test(v) ? Number(v) : NaN;
  if (!(y >= 2000 && y <= 2100)) throw badRequest([{ field: 'year', problem: 'must be a year from 2000 to 2100, written with four digits' }]);
  return y;
}

function unknownFields(body: Record<string, unknown>, allowed: string[], prefix = '') {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length) throw badRequest(extra.map((k) => ({ field: prefix + k, problem: `unknown field; allowed: ${allowed.join(', ')}` })));
}

export function cycleRoutes(deps: ApiDeps): { forbund: Router; public: Router } {
  const { prisma } = deps;
  const r = Router({ mergeParams: true });
  const fid = (req: Request) => req.auth!.forbundId;
  const thisYear = () => Number(toStockholmDate(deps.now()).slice(0, 4));

  r.get('/years/:year', allow('admin', 'secretary', 'board_member'), async (req, res) => {
    const year = requireYear(req.params.year);
    await sendKept(deps, req, res, async () => {
      // The förbund's go-live: nothing due before it is reminded, escalated or registered.
      const [plan, f] = await Promise.all([yearPlan(prisma, fid(req), year), prisma.forbund.findUnique({ where: { id: fid(req) }, select: { goLiveOn: true } })]);
      return { ...plan, goLiveOn: f?.goLiveOn ? f.goLiveOn.toISOString().slice(0, 10) : null };
    });
  });

  r.post('/years/:year/calendar', allow('admin', 'secretary'), async (req, res) => {
    const forbundId = fid(req);
    const year = requireYear(req.params.year);
    const body = objectBody(req);
    unknownFields(body, ['meetings']);
    const meetings = body.meetings;
    const { workflowNotified } = await asHttp(
      adoptCalendar(deps, { forbundId, year, actor: actor(req), meetings: meetings === undefined ? undefined : meetings === 'proposed' ? 'proposed' : (defaults) => parseMeetings(meetings, year, defaults) }),
    );
    res.status(201).json({ ...(await yearPlan(prisma, forbundId, year)), workflowNotified });
  });

  const route = declare('/api/v1/forbund/{forbund}').route;

  route<{ date?: string; start?: string; end?: string; location?: string | null; confirm?: boolean }>(
    r,
    {
      method: 'patch',
      path: '/meetings/:id',
      summary:
        'move a meeting (date, time, place): an updated invite goes out (same UID, higher SEQUENCE), to those who reported förhinder too. A move with consequences (a board meeting\'s kallelse would go out at once, its kallelse term could not be kept, its kallelse has gone already, it would come before its own beredning or a preparatory meeting after its board meeting; a weekend, a Swedish holiday, a day that has been) is answered 409 with each consequence in error.fields (field "confirm", problem in English, code, sv in Swedish) and nothing is changed or sent, unless the body has "confirm": true; the answer then lists the consequences confirmed',
      roles: ['admin', 'secretary'],
      params: { id: 'meeting id' },
      body: {
        schema: {
          type: 'object',
          additionalProperties: false,
          properties: {
            date: { type: 'string', description: 'YYYY-MM-DD, in the year of the calendar' },
            start: { type: 'string', description: 'HH:MM, Stockholm' },
            end: { type: 'string', description: 'HH:MM, Stockholm, after start' },
            location: { type: ['string', 'null'], maxLength: 200 },
            confirm: { type: 'boolean', description: 'true: make the move even though it has consequences (see the 409 answer)' },
          },
        },
        example: { date: '2026-04-28', start: '13:00', end: '15:30', location: 'Kumla stadshus', confirm: true },
      },
      response: { example: { id: '6f0c…', key: 'styrelse-04', date: '2026-04-28', start: '13:00', end: '15:30', location: 'Kumla stadshus', status: 'planned', sequence: 1, consequences: [], workflowNotified: true } },
    },
    async (req, res) => {
      const { confirm, ...change } = req.valid;
      if (Object.keys(change).length === 0) throw badRequest([{ field: '(body)', problem: 'give at least one of date, start, end, location' }]);
      let moved;
      try {
        moved = await moveMeeting(deps, { forbundId: fid(req), id: String(req.params.id), change, actor: actor(req), confirm: confirm === true });
      } catch (err) {
        // Each consequence as a field at fault, with its code and the Swedish sentence the pages show.
        if (err instanceof MoveNeedsConfirmation) throw new HttpError(409, err.message, err.consequences.map((c) => ({ field: 'confirm', problem: c.en, code: c.code, sv: c.sv }) as FieldError));
        throw httpOf(err);
      }
      const { meeting: u, workflowNotified, consequences } = moved;
      res.json({ id: u.id, key: u.key, date: meetingDate(u), start: toStockholmTime(u.startsAt), end: toStockholmTime(u.endsAt), location: u.location, status: u.status, sequence: u.sequence, consequences: consequences.map((c) => ({ code: c.code, problem: c.en, sv: c.sv })), workflowNotified });
    },
  );

  route<{ date: string }>(
    r,
    {
      method: 'put',
      path: '/go-live',
      summary:
        "set the förbund's go-live date (shown as \"I Årscykel sedan\" on the year page): nothing due before it is reminded, escalated or registered as a matter. Not after today (400). Audited; every workflow of the förbund is told its plan changed (the projects' reporting, the year, the board meetings ahead). The same date again changes nothing (changed: false)",
      roles: ['admin'],
      body: { schema: { type: 'object', additionalProperties: false, required: ['date'], properties: { date: { type: 'string', description: 'YYYY-MM-DD, not after today (Stockholm)' } } }, example: { date: '2026-01-01' } },
      response: { example: { goLiveOn: '2026-01-01', changed: true, workflowNotified: true } },
    },
    async (req, res) => {
      res.json(await asHttp(setGoLive(deps, { forbundId: fid(req), date: req.valid.date, actor: actor(req) })));
    },
  );

  r.post('/meetings/:id/cancel', allow('admin', 'secretary'), async (req, res) => {
    const { meeting: u, workflowNotified } = await asHttp(cancelMeeting(deps, { forbundId: fid(req), id: String(req.params.id), actor: actor(req) }));
    res.json({ id: u.id, key: u.key, status: u.status, sequence: u.sequence, workflowNotified });
  });

  r.post('/milestones/:id/done', allow('admin', 'secretary'), async (req, res) => {
    const { milestone: u, workflowNotified } = await asHttp(markMilestoneDone(deps, { forbundId: fid(req), id: String(req.params.id), actor: actor(req) }));
    res.json({ id: u.id, kind: u.kind, status: u.status, doneAt: u.doneAt?.toISOString() ?? null, doneBy: u.doneBy, workflowNotified });
  });

  r.get('/feeds', allow('admin', 'secretary'), async (req, res) => {
    const forbund = { id: fid(req), slug: req.auth!.forbundSlug };
    // Each at its current generation (POST feeds/:body/renew renews one).
    const generations = await generationsOf(prisma, FEED_BODIES.map((b) => feedPurpose(forbund.id, b)));
    res.json({ data: FEED_BODIES.map((b) => ({ body: b, url: feedLink(deps.publicBaseUrl, deps.linkSecret, forbund, b, generations.get(feedPurpose(forbund.id, b))), generation: generations.get(feedPurpose(forbund.id, b)) })) });
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
    // Only the current generation's address (kept ready per data version, which a renewal bumps): a renewed feed's old one is refused.
    const current = async (id: string) => tokenState(deps.linkSecret, feedPurpose(id, body), t, await deps.reads.get(id, `link-generation feed ${body}`, async () => (await generationsOf(prisma, [feedPurpose(id, body)])).get(feedPurpose(id, body))!)) === 'current';
    if (!forbundId || !FEED_BODIES.includes(body) || !t || !(await current(forbundId))) {
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

