// The förbund's public pages, no login (issue 21): its start page, the board's sammanträden by
// year with a subscribable calendar, each meeting with its föredragningslista, handlingar and
// decisions, the kallelse as PDF, a public handling's bytes, the decisions by § with a search, and
// the projects with a page each. What is public and from when is domain/offentlighet.ts, read
// through services/offentligt.ts (the same as the OParl JSON); the projects' reports are the
// publication rule's (services/publicering.ts). The HTML is kept ready per förbund, day and data
// version (services/read-cache.ts), as the reports page and the anslagstavla are.
import { Router, type Request, type Response } from 'express';
import { toStockholmDate } from '../domain/dates.js';
import { buildFeed, type IcsEvent } from '../domain/ics.js';
import { kallelsePdf } from '../domain/kallelse-pdf.js';
import { svList, type AgendaLine } from '../domain/texts.js';
import { meetingTime } from '../services/arscykel.js';
import { handlingWithContent } from '../services/handlingar.js';
import { publicBoardMeetings, publicBoardPeople, publicDecisions, publicFile, publicMeeting } from '../services/offentligt.js';
import { publicProjects } from '../services/publicering.js';
import { readyBody, sendReady, type ReadyBody } from '../services/read-cache.js';
import { ownersOf } from '../services/people.js';
import { agendaLinesOf } from '../services/styrelse.js';
import { declare } from './declare.js';
import type { ApiDeps } from './deps.js';
import { sendHandling, storeErrorAsHttp } from './handlingar.js';
import { decisionsPage, meetingPage, meetingsPage, projectPage, projectsPage, publicNotFoundPage, publicPaths, startPage, type ProjectFacts } from './pages/offentligt.js';
import { notFoundPage } from './pages/rapporter.js';

/** A row's id (a UUID): anything else is no page, and is not looked up or kept. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Decisions per page. */
export const DECISIONS_PER_PAGE = 25;

type ForbundRef = { id: string; slug: string; name: string };

const SLUG = { slug: 'slug of the förbund, e.g. sydnarke' };

/** A year from ?ar=: four digits from 2000 to 2100, else undefined. */
const yearParam = (v: unknown): number | undefined => {
  const y = typeof v === 'string' && /^\d{4}$/.test(v.trim()) ? Number(v.trim()) : NaN;
  return y >= 2000 && y <= 2100 ? y : undefined;
};

export function publicPagesRoutes(deps: ApiDeps): Router {
  const { prisma } = deps;
  const r = Router();
  const route = declare('').route;

  const forbundOf = (req: Request) => prisma.forbund.findUnique({ where: { slug: String(req.params.slug) }, select: { id: true, slug: true, name: true } });
  const today = () => toStockholmDate(deps.now());
  const thisYear = () => Number(today().slice(0, 4));
  const html = (res: Response, status: number, body: string) => void res.status(status).type('html').send(body);

  /** The page kept ready per förbund, day and data version. */
  const sendPage = async (res: Response, forbund: ForbundRef, key: string, build: () => Promise<string>) => {
    const ready = await deps.reads.get(forbund.id, `public-pages ${today()} ${key}`, async () => readyBody('html', await build()));
    sendReady(res, ready);
  };

  /** The förbund of the request, or the Swedish 404 page sent. */
  const withForbund = async (req: Request, res: Response): Promise<ForbundRef | undefined> => {
    const f = await forbundOf(req);
    if (!f) html(res, 404, notFoundPage());
    return f ?? undefined;
  };

  const icsUrl = (slug: string) => `${deps.publicBaseUrl.replace(/\/$/, '')}${publicPaths.motenIcs(slug)}`;

  // --- the start page ---
  route(
    r,
    {
      method: 'get',
      path: '/forbund/:slug',
      summary: "the förbund's public start page (Swedish HTML, no login): what it is, its members and board, the coming board meetings, and links to the public pages (sammanträden, beslut, anslagstavla, insatser, rapporter) and the open data (OParl); 404 page for an unknown förbund",
      params: SLUG,
      response: { contentType: 'text/html' },
    },
    async (req, res) => {
      const forbund = await withForbund(req, res);
      if (!forbund) return;
      await sendPage(res, forbund, 'start', async () => {
        const now = deps.now();
        const [members, board, meetings] = await Promise.all([
          prisma.member.findMany({ where: { forbundId: forbund.id }, select: { name: true }, orderBy: { name: 'asc' } }),
          publicBoardPeople(prisma, forbund.id, { on: today() }),
          publicBoardMeetings(prisma, forbund.id, { at: now }),
        ]);
        const next = meetings.filter((m) => m.endsAt.getTime() >= now.getTime()).slice(0, 3);
        return startPage({ forbund, today: today(), members: members.map((m) => m.name), board: board.map((p) => ({ name: p.name, roleSv: p.roleSv, memberName: p.member || null })), next });
      });
    },
  );

  // --- the board's meetings ---
  route(
    r,
    {
      method: 'get',
      path: '/forbund/:slug/moten',
      summary: "the board's meetings of a year (Swedish HTML, no login): date, time, title and place, cancelled ones marked, what is out of each (kallelse, protokoll), links to the other years with meetings and the subscribable calendar (moten.ics) with how to subscribe; 404 page for an unknown förbund",
      params: SLUG,
      query: { ar: { schema: { type: 'string', pattern: '^\\d{4}$' }, description: 'the year (default: this year in Stockholm)' } },
      response: { contentType: 'text/html' },
    },
    async (req, res) => {
      const forbund = await withForbund(req, res);
      if (!forbund) return;
      const year = yearParam(req.query.ar) ?? thisYear();
      await sendPage(res, forbund, `moten ${year}`, async () => {
        const all = await publicBoardMeetings(prisma, forbund.id, { at: deps.now() });
        return meetingsPage({ forbund, today: today(), year, years: [...new Set(all.map((m) => m.year))].sort((a, b) => a - b), meetings: all.filter((m) => m.year === year), icsUrl: icsUrl(forbund.slug) });
      });
    },
  );

  route(
    r,
    {
      method: 'get',
      path: '/forbund/:slug/moten.ics',
      summary: "the board's meetings of this year and next as a subscribable iCalendar feed (no login, no secret): one event per meeting with a stable UID, SEQUENCE from the meeting's, STATUS:CANCELLED for a cancelled one, and the meeting's public page as URL; no attendees or e-mail addresses",
      params: SLUG,
      response: { contentType: 'text/calendar' },
    },
    async (req, res) => {
      const forbund = await withForbund(req, res);
      if (!forbund) return;
      const year = thisYear();
      const ready = await deps.reads.get(forbund.id, `public-pages ${today()} moten.ics`, () => buildIcs(forbund, year));
      sendReady(res, ready);
    },
  );

  async function buildIcs(forbund: ForbundRef, year: number): Promise<ReadyBody> {
    const at = deps.now();
    const meetings = (await Promise.all([year, year + 1].map((y) => publicBoardMeetings(prisma, forbund.id, { year: y, at })))).flat();
    // The meeting's SEQUENCE, raised by every move and the cancellation, so a calendar replaces its copy.
    const sequences = new Map((await prisma.meeting.findMany({ where: { id: { in: meetings.map((m) => m.id) }, forbundId: forbund.id }, select: { id: true, sequence: true } })).map((m) => [m.id, m.sequence]));
    const base = deps.publicBaseUrl.replace(/\/$/, '');
    const events: IcsEvent[] = meetings.map((m) => {
      const t = meetingTime(m);
      const page = `${base}${publicPaths.mote(forbund.slug, m.id)}`;
      return {
        // Stable per meeting, and not the private feeds' UID (a subscriber to both sees two calendars); no '@', so nothing in the feed reads as an address.
        uid: `styrelse-${m.id}.${forbund.slug}.offentlig.arscykel`,
        sequence: sequences.get(m.id) ?? 0,
        summary: `${m.cancelled ? 'INSTÄLLT: ' : ''}${m.title} – ${forbund.name}`,
        start: m.startsAt,
        end: m.endsAt,
        ...(t.start ? {} : { allDay: true, startDate: t.date, endDate: t.date }),
        ...(m.location ? { location: m.location } : {}),
        description: `${m.cancelled ? 'Sammanträdet är inställt.\n\n' : ''}Kallelse, föredragningslista, handlingar och beslut: ${page}`,
        url: page,
        status: m.cancelled ? ('CANCELLED' as const) : ('CONFIRMED' as const),
      };
    });
    return readyBody(
      'text/calendar; charset=utf-8',
      buildFeed({ name: `${forbund.name} – styrelsens sammanträden`, description: `Styrelsens sammanträden ${year}–${year + 1}, ${forbund.name}`, events, dtstamp: at }),
    );
  }

  route(
    r,
    {
      method: 'get',
      path: '/forbund/:slug/moten/:id',
      summary: "one board meeting (Swedish HTML, no login): its day, time and place; once the kallelse is sent the föredragningslista (number, title, förslag till beslut, the matter's Dnr) with its public handlingar linked and the kallelse as PDF; once the protokoll is justerat the decisions by § and the protokoll; 404 page for an unknown meeting or one that is not the board's",
      params: { ...SLUG, id: 'meeting id' },
      response: { contentType: 'text/html' },
    },
    async (req, res) => {
      const forbund = await withForbund(req, res);
      if (!forbund) return;
      const id = String(req.params.id);
      const gone = () => html(res, 404, publicNotFoundPage(forbund, 'Det finns inget sammanträde med styrelsen på den här adressen.'));
      if (!UUID.test(id)) return gone();
      const meeting = await deps.reads.get(forbund.id, `public-pages ${today()} mote ${id}`, async () => {
        const m = await publicMeeting(prisma, forbund.id, id, deps.now());
        return m ? readyBody('html', meetingPage({ forbund, today: today(), meeting: m })) : null;
      });
      if (!meeting) return gone();
      sendReady(res, meeting);
    },
  );

  route(
    r,
    {
      method: 'get',
      path: '/forbund/:slug/moten/:id/kallelse.pdf',
      summary: "the kallelse of a board meeting with its föredragningslista as PDF (no login), once the kallelse is sent: each item's förslag till beslut and Dnr, its public handlingar linked to their public address (secret handlingar and the matter's other links left out), signed by the ordförande and the secretary by name; never an e-mail address; 404 before the kallelse",
      params: { ...SLUG, id: 'meeting id' },
      response: { contentType: 'application/pdf' },
    },
    async (req, res) => {
      const forbund = await withForbund(req, res);
      if (!forbund) return;
      const id = String(req.params.id);
      const m = UUID.test(id) ? await publicMeeting(prisma, forbund.id, id, deps.now()) : null;
      if (!m || !m.kallelseSentAt) return html(res, 404, publicNotFoundPage(forbund, 'Kallelsen till det här sammanträdet är inte publicerad.'));
      const pdf = await deps.reads.get(forbund.id, `public-pages kallelse ${m.id}`, () => publicKallelsePdf(forbund, m));
      res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="kallelse-${toStockholmDate(m.startsAt)}.pdf"`).send(pdf);
    },
  );

  /**
   * The kallelse as the members got it (services/mina.ts memberKallelsePdf: the items, their
   * förslag and compiled lines, without what was decided later), its handlingar only those the
   * rule makes public, each linked to its public address: a secret handling, a version the kallelse
   * did not carry and the matter's own links (which may lead anywhere) are left out.
   */
  async function publicKallelsePdf(forbund: ForbundRef, m: NonNullable<Awaited<ReturnType<typeof publicMeeting>>>): Promise<Buffer> {
    const [lines, chairs, secretaries] = await Promise.all([agendaLinesOf(prisma, m.id, { handlingar: false }), ownersOf(prisma, forbund.id, 'chair'), ownersOf(prisma, forbund.id, 'secretary')]);
    const base = deps.publicBaseUrl.replace(/\/$/, '');
    const byNumber = new Map(m.agenda.map((i) => [i.number, i]));
    const items: AgendaLine[] = lines.map((l) => {
      const item = byNumber.get(l.number);
      const files = (item?.files ?? []).map((f) => ({ title: f.title, url: `${base}${publicPaths.handling(forbund.slug, f.id)}` }));
      return {
        number: l.number,
        title: l.title,
        ...(l.dnr ? { dnr: l.dnr } : {}),
        ...(files.length ? { documents: files } : {}),
        ...(l.lines ? { lines: l.lines } : {}),
        ...(l.proposal ? { proposal: l.proposal } : {}),
      };
    });
    const chairName = chairs[0]?.name;
    const secretaryName = svList(secretaries.map((p) => p.name)) || undefined;
    const pdf = await kallelsePdf({ forbundName: forbund.name, when: meetingTime(m), location: m.location, items, kind: 'kallelse', ...(chairName ? { chairName } : {}), ...(secretaryName ? { secretaryName } : {}) });
    return Buffer.from(pdf);
  }

  // --- a public handling ---
  route(
    r,
    {
      method: 'get',
      path: '/forbund/:slug/handlingar/:id',
      summary: "a public handling's bytes (no login): a version a sent kallelse carried of a matter on that board meeting's agenda, not secret, with its content type and file name (an attachment, nosniff), checked against its SHA-256; 404 for any other",
      params: { ...SLUG, id: 'the version id' },
      response: { contentType: 'application/octet-stream' },
    },
    async (req, res) => {
      const forbund = await withForbund(req, res);
      if (!forbund) return;
      const id = String(req.params.id);
      const gone = () => html(res, 404, publicNotFoundPage(forbund, 'Handlingen finns inte här, eller är inte offentlig.'));
      if (!UUID.test(id)) return gone();
      const file = await publicFile(prisma, forbund.id, id);
      const row = file ? await handlingWithContent(prisma, forbund.id, id) : undefined;
      // Twice sure: the rule said public, and the row itself is not secret.
      if (!file || !row || row.secret) return gone();
      await sendHandling(res, row, deps.documents).catch((err: unknown) => {
        throw storeErrorAsHttp(res, err);
      });
    },
  );

  // --- the decisions ---
  route(
    r,
    {
      method: 'get',
      path: '/forbund/:slug/beslut',
      summary: "the board's decisions by § from justerade protokoll (Swedish HTML, no login): meeting date, §, title, decision and the matter's Dnr, newest first, 25 a page; a search over title, decision and Dnr, and a year",
      params: SLUG,
      query: {
        q: { schema: { type: 'string', maxLength: 200 }, description: 'words in the title or the decision, or a Dnr' },
        ar: { schema: { type: 'string', pattern: '^\\d{4}$' }, description: 'only the decisions of meetings in this year' },
        sida: { schema: { type: 'string', pattern: '^\\d+$' }, description: 'the page, from 1' },
      },
      response: { contentType: 'text/html' },
    },
    async (req, res) => {
      const forbund = await withForbund(req, res);
      if (!forbund) return;
      const q = (typeof req.query.q === 'string' ? req.query.q : '').replace(/[\x00-\x1f\x7f]+/g, ' ').trim().slice(0, 200);
      const year = yearParam(req.query.ar);
      const asked = typeof req.query.sida === 'string' && /^\d{1,6}$/.test(req.query.sida) ? Math.max(1, Number(req.query.sida)) : 1;
      const build = async () => {
        const [all, first] = await Promise.all([
          publicBoardMeetings(prisma, forbund.id, { at: deps.now() }),
          publicDecisions(prisma, forbund.id, { ...(q ? { q } : {}), ...(year !== undefined ? { year } : {}), skip: (asked - 1) * DECISIONS_PER_PAGE, take: DECISIONS_PER_PAGE }),
        ]);
        const pages = Math.max(1, Math.ceil(first.total / DECISIONS_PER_PAGE));
        const pageNo = Math.min(asked, pages);
        // A page beyond the last shows the last.
        const found = pageNo === asked ? first : await publicDecisions(prisma, forbund.id, { ...(q ? { q } : {}), ...(year !== undefined ? { year } : {}), skip: (pageNo - 1) * DECISIONS_PER_PAGE, take: DECISIONS_PER_PAGE });
        const years = [...new Set(all.filter((m) => m.justeradAt).map((m) => m.year))].sort((a, b) => b - a);
        const pageHref = (n: number) => {
          const p = new URLSearchParams();
          if (q) p.set('q', q);
          if (year !== undefined) p.set('ar', String(year));
          if (n > 1) p.set('sida', String(n));
          const qs = p.toString();
          return `${publicPaths.beslut(forbund.slug)}${qs ? `?${qs}` : ''}`;
        };
        return decisionsPage({ forbund, q, year: year ?? null, years, page: pageNo, pages, total: found.total, items: found.items, pageHref });
      };
      // A search is not kept (any text would push the förbund's other pages out of the cache).
      if (q) return html(res, 200, await build());
      await sendPage(res, forbund, `beslut ${year ?? ''} ${asked}`, build);
    },
  );

  // --- the projects ---
  /** The projects the publication rule lists today, each with the facts the public reads of it. */
  const projectsOf = async (forbund: ForbundRef) => {
    const listed = await publicProjects(prisma, forbund.id, today());
    const rows = await prisma.project.findMany({ where: { forbundId: forbund.id, key: { in: listed.map((p) => p.key) } }, select: { key: true, purpose: true, dnr: true, grants: true, goals: true } });
    const facts = new Map(rows.map((p): [string, ProjectFacts] => [p.key, { key: p.key, purpose: p.purpose, dnr: p.dnr, grants: grantsOf(p.grants), goals: p.goals }]));
    return listed.flatMap((p) => {
      const f = facts.get(p.key);
      return f ? [{ ...p, facts: f }] : [];
    });
  };

  route(
    r,
    {
      method: 'get',
      path: '/forbund/:slug/insatser',
      summary: "the förbund's projects (Swedish HTML, no login): those the publication rule lists (ongoing and ended; not withdrawn or not yet started), each with its period, huvudman and purpose, linked to its page",
      params: SLUG,
      response: { contentType: 'text/html' },
    },
    async (req, res) => {
      const forbund = await withForbund(req, res);
      if (!forbund) return;
      await sendPage(res, forbund, 'insatser', async () => projectsPage({ forbund, today: today(), projects: await projectsOf(forbund) }));
    },
  );

  route(
    r,
    {
      method: 'get',
      path: '/forbund/:slug/insatser/:key',
      summary: "one project (Swedish HTML, no login): its purpose, period, huvudman, grant per year, goals and the report the publication rule publishes; 404 page for a project not listed (withdrawn, not yet started, unknown)",
      params: { ...SLUG, key: "the project's key, e.g. pa-vag" },
      response: { contentType: 'text/html' },
    },
    async (req, res) => {
      const forbund = await withForbund(req, res);
      if (!forbund) return;
      const key = String(req.params.key);
      if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(key)) return html(res, 404, publicNotFoundPage(forbund, 'Det finns ingen insats på den här adressen.'));
      const ready = await deps.reads.get(forbund.id, `public-pages ${today()} insats ${key}`, async () => {
        const project = (await projectsOf(forbund)).find((p) => p.key === key);
        return project ? readyBody('html', projectPage({ forbund, today: today(), project })) : null;
      });
      if (!ready) return html(res, 404, publicNotFoundPage(forbund, 'Det finns ingen insats på den här adressen.'));
      sendReady(res, ready);
    },
  );

  return r;
}

/** Project.grants as stored ({ "2026": 1210000 }): only whole amounts by four-digit year. */
function grantsOf(v: unknown): Record<string, number> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter((x): x is [string, number] => /^\d{4}$/.test(x[0]) && typeof x[1] === 'number' && Number.isFinite(x[1])));
}
