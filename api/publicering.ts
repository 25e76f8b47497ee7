// The public's reports, no login: per förbund the reports the publication rule makes public
// (domain/publicering.ts), as an HTML page the förbund links from its website and as JSON.
// Both are kept ready per förbund, day and data version (a new or corrected report shows at once).
import { Router, type Request, type Response } from 'express';
import { toStockholmDate } from '../domain/dates.js';
import type { PublicProject } from '../domain/publicering.js';
import { publicProjects } from '../services/publicering.js';
import { FEWER_THAN, type ShownCount } from '../domain/rapportuppgifter.js';
import { readyBody, sendReady } from '../services/read-cache.js';
import { isoDay } from '../services/rapportering.js';
import { declare } from './declare.js';
import type { ApiDeps } from './deps.js';
import { notFound } from './errors.js';
import { notFoundPage, publicReportsPage } from './pages/rapporter.js';
import { anslagDates } from '../domain/protokoll.js';
import { protocolPdf, keptAt } from '../services/protokoll.js';
import { anslagPage, type Anslag } from './pages/anslag.js';

/** The public page of a förbund's reports. */
export const publicReportsPath = (slug: string) => `/forbund/${encodeURIComponent(slug)}/rapporter`;

export function publicationRoutes(deps: ApiDeps): Router {
  const { prisma } = deps;
  const r = Router();

  const load = (forbund: { id: string }, today: string) => publicProjects(prisma, forbund.id, today);

  const forbundOf = (req: Request) => prisma.forbund.findUnique({ where: { slug: String(req.params.slug) }, select: { id: true, slug: true, name: true } });

  const send = async (res: Response, forbund: { id: string; slug: string; name: string }, format: 'html' | 'json') => {
    const today = toStockholmDate(deps.now());
    const ready = await deps.reads.get(forbund.id, `public-reports ${today} ${format}`, async () => {
      const projects = await load(forbund, today);
      return format === 'html'
        ? readyBody('html', publicReportsPage({ forbund, today, projects }))
        : readyBody('json', JSON.stringify(publicJson(forbund, today, projects)));
    });
    sendReady(res, ready);
  };

  const route = declare('').route;
  route(
    r,
    {
      method: 'get',
      path: '/forbund/:slug/rapporter',
      summary: "the public's page (Swedish HTML, no login) of the förbund's reports, for its website: per ongoing project its latest report, per ended project only its final report (Sydnärke 2016); only a version the förbundschef approved (with the redactions made), and only once its period has ended; 404 page for an unknown förbund",
      params: { slug: 'slug of the förbund, e.g. sydnarke' },
      response: { contentType: 'text/html' },
    },
    async (req, res) => {
      const forbund = await forbundOf(req);
      if (!forbund) return void res.status(404).type('html').send(notFoundPage());
      await send(res, forbund, 'html');
    },
  );

  route(
    r,
    {
      method: 'get',
      path: '/api/v1/public/forbund/:slug/reports',
      summary: 'the same public reports as JSON (no login): the projects listed on the page, each with the report that is public or why there is none',
      params: { slug: 'slug of the förbund, e.g. sydnarke' },
      response: { schema: PUBLIC_REPORTS_SCHEMA, example: PUBLIC_REPORTS_EXAMPLE },
    },
    async (req, res) => {
      const forbund = await forbundOf(req);
      if (!forbund) throw notFound(`förbund "${req.params.slug}"`);
      await send(res, forbund, 'json');
    },
  );

  // --- the förbund's anslagstavla (no login) ---
  // Each justerat board protokoll whose anslag is up: the tillkännagivande of the justering with
  // the appeal notice; anslag taken down below them (the protokoll stays an allmän handling).
  // The same as JSON; the protokoll as filed (services/protokoll.ts protocolPdf, final).

  /** The förbund's anslag as of today: up (posted, today ≤ the day it is taken down) and taken down. */
  const loadAnslag = async (forbund: { id: string; slug: string; name: string }, today: string): Promise<{ current: Anslag[]; earlier: Anslag[] }> => {
    const rows = await prisma.meeting.findMany({
      where: { forbundId: forbund.id, kind: 'styrelse', justeradAt: { not: null }, anslagPostedAt: { not: null, lte: deps.now() } },
      select: { id: true, startsAt: true, justeradAt: true, anslagPostedAt: true, anslagRemovedOn: true, protocolSha256: true },
      orderBy: { anslagPostedAt: 'desc' },
    });
    const all = rows.map((m): Anslag => {
      const posted = anslagDates(toStockholmDate(m.anslagPostedAt!));
      return {
        meetingId: m.id,
        organ: 'Styrelsen',
        meetingDate: toStockholmDate(m.startsAt),
        justeradOn: toStockholmDate(m.justeradAt!),
        postedOn: posted.postedOn,
        removedOn: m.anslagRemovedOn ? isoDay(m.anslagRemovedOn) : posted.removedOn,
        appealUntil: posted.appealUntil,
        storage: keptAt(forbund.name),
        sha256: m.protocolSha256,
        protokollHref: anslagProtocolPath(forbund.slug, m.id),
      };
    });
    return { current: all.filter((a) => today <= a.removedOn), earlier: all.filter((a) => today > a.removedOn) };
  };

  const sendAnslag = async (res: Response, forbund: { id: string; slug: string; name: string }, format: 'html' | 'json') => {
    const today = toStockholmDate(deps.now());
    const ready = await deps.reads.get(forbund.id, `public-anslag ${today} ${format}`, async () => {
      const { current, earlier } = await loadAnslag(forbund, today);
      return format === 'html'
        ? readyBody('html', anslagPage({ forbund, today, current, earlier }))
        : readyBody('json', JSON.stringify(anslagJson(forbund, today, current, earlier)));
    });
    sendReady(res, ready);
  };

  route(
    r,
    {
      method: 'get',
      path: '/forbund/:slug/anslag',
      summary: "the förbund's anslagstavla (Swedish HTML, no login): for each board protokoll that is justerat and whose anslag is up, the tillkännagivande (organ, sammanträdesdatum, datum för justering, when the anslag goes up and comes down, förvaringsplats), the appeal notice (laglighetsprövning within three weeks of posting) and the protokoll (PDF) with the SHA-256 of the justerade version; anslag taken down under \"Tidigare anslag\"; 404 page for an unknown förbund",
      params: { slug: 'slug of the förbund, e.g. sydnarke' },
      response: { contentType: 'text/html' },
    },
    async (req, res) => {
      const forbund = await forbundOf(req);
      if (!forbund) return void res.status(404).type('html').send(notFoundPage());
      await sendAnslag(res, forbund, 'html');
    },
  );

  route(
    r,
    {
      method: 'get',
      path: '/forbund/:slug/anslag/:meetingId/protokoll.pdf',
      summary: 'the justerat protokoll as filed (PDF, with its signatures and the ANSLAG/BEVIS block), for a meeting on the anslagstavla (its anslag up or taken down); 404 otherwise',
      params: { slug: 'slug of the förbund, e.g. sydnarke', meetingId: 'meeting id' },
      response: { contentType: 'application/pdf' },
    },
    async (req, res) => {
      const forbund = await forbundOf(req);
      if (!forbund) return void res.status(404).type('html').send(notFoundPage());
      const m = await prisma.meeting.findFirst({
        where: { id: String(req.params.meetingId), forbundId: forbund.id, kind: 'styrelse', justeradAt: { not: null }, anslagPostedAt: { not: null, lte: deps.now() } },
        select: { id: true, startsAt: true },
      });
      if (!m) return void res.status(404).type('html').send(notFoundPage());
      const pdf = await protocolPdf(prisma, m.id, { final: true });
      res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="protokoll-${toStockholmDate(m.startsAt)}.pdf"`).send(Buffer.from(pdf));
    },
  );

  route(
    r,
    {
      method: 'get',
      path: '/api/v1/public/forbund/:slug/anslag',
      summary: 'the same anslagstavla as JSON (no login): the anslag up today with the last day to appeal, and those taken down',
      params: { slug: 'slug of the förbund, e.g. sydnarke' },
      response: { schema: PUBLIC_ANSLAG_SCHEMA, example: PUBLIC_ANSLAG_EXAMPLE },
    },
    async (req, res) => {
      const forbund = await forbundOf(req);
      if (!forbund) throw notFound(`förbund "${req.params.slug}"`);
      await sendAnslag(res, forbund, 'json');
    },
  );

  return r;
}

/** The JSON twin of the page: the same projects and reports, with the Swedish names beside the codes. */
function publicJson(forbund: { slug: string; name: string }, today: string, projects: PublicProject[]) {
  return {
    forbund: { slug: forbund.slug, name: forbund.name },
    asOf: today,
    rule: 'För en pågående insats publiceras den senaste rapporten; när insatsen är avslutad publiceras endast slutrapporten.',
    links: { html: publicReportsPath(forbund.slug) },
    projects: projects.map((p) => ({
      key: p.key,
      name: p.name,
      huvudman: p.huvudman,
      period: { start: p.start, end: p.end },
      stage: p.stage,
      report: p.report
        ? {
            kind: p.report.kind,
            kindName: p.report.kindName,
            period: { start: p.report.periodStart, end: p.report.periodEnd },
            submitted: p.report.submitted,
            corrected: p.report.corrected ?? null,
            published: p.report.published,
            figures: p.report.figures,
            participants: p.report.shown.participants.map((r) => ({ row: r.row, label: r.label, women: shownJson(r.women), men: shownJson(r.men), total: shownJson(r.total) })),
            costsToDate: p.report.shown.costsToDate ?? null,
            goals: p.report.shown.goals.map((g) => ({ goal: g.goal, women: shownJson(g.women), men: shownJson(g.men), total: shownJson(g.total), value: g.value ?? null, comment: g.comment ?? null })),
            narrative: p.report.narrative,
          }
        : null,
      noReport: p.noReport ?? null,
    })),
  };
}

/** A count as the public sees it: the number, "färre än 3" for 1 or 2, null when hidden or not given. */
const shownJson = (n: ShownCount | undefined): number | string | null => (n === undefined || n === 'hidden' ? null : n === 'few' ? `färre än ${FEWER_THAN}` : n);

const date = { type: 'string', format: 'date' };
const shownCount = { type: ['integer', 'string', 'null'], description: 'a count; "färre än 3" for 1 or 2 (so no participant can be pointed out), null when not given or hidden (it would give away a small count)' };
const PUBLIC_REPORTS_SCHEMA = {
  type: 'object',
  required: ['forbund', 'asOf', 'rule', 'links', 'projects'],
  properties: {
    forbund: { type: 'object', properties: { slug: { type: 'string' }, name: { type: 'string' } } },
    asOf: { ...date, description: 'the Stockholm date the rule was applied on' },
    rule: { type: 'string' },
    links: { type: 'object', properties: { html: { type: 'string' } } },
    projects: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          key: { type: 'string' },
          name: { type: 'string' },
          huvudman: { type: 'string' },
          period: { type: 'object', properties: { start: date, end: date } },
          stage: { enum: ['ongoing', 'ended'] },
          report: {
            type: ['object', 'null'],
            properties: {
              kind: { enum: ['quarterly', 'halfYear', 'annual', 'final'] },
              kindName: { type: 'string' },
              period: { type: 'object', properties: { start: date, end: date } },
              submitted: date,
              corrected: { type: ['string', 'null'], format: 'date', description: 'date of the version shown, when it is a correction' },
              published: { ...date, description: 'the day it became public: after the förbundschef approved it, and never before the day after its period ends' },
              figures: { type: 'array', description: 'the totals of 0 or 3 and more and the costs, by the flat field names of the older API', items: { type: 'object', properties: { field: { type: 'string' }, label: { type: 'string' }, value: { type: 'integer' } } } },
              participants: { type: 'array', items: { type: 'object', properties: { row: { enum: ['active', 'new', 'ended', 'toWork', 'toStudies'] }, label: { type: 'string' }, women: shownCount, men: shownCount, total: shownCount } } },
              costsToDate: { type: ['integer', 'null'], description: 'costs to date in kronor' },
              goals: { type: 'array', items: { type: 'object', properties: { goal: { type: 'string' }, women: shownCount, men: shownCount, total: shownCount, value: { type: ['integer', 'null'] }, comment: { type: ['string', 'null'] } } } },
              narrative: { type: 'string' },
            },
          },
          noReport: { enum: ['none-submitted', 'none-owed', 'final-not-submitted', 'no-final-owed', null], description: 'why no report is shown' },
        },
      },
    },
  },
};
const PUBLIC_REPORTS_EXAMPLE = {
  forbund: { slug: 'sydnarke', name: 'Samordningsförbundet Sydnärke' },
  asOf: '2016-11-15',
  rule: 'För en pågående insats publiceras den senaste rapporten; när insatsen är avslutad publiceras endast slutrapporten.',
  links: { html: '/forbund/sydnarke/rapporter' },
  projects: [
    {
      key: 'pa-vag',
      name: 'På väg',
      huvudman: 'Försäkringskassan',
      period: { start: '2016-01-01', end: '2018-12-31' },
      stage: 'ongoing',
      report: {
        kind: 'quarterly',
        kindName: 'kvartalsrapport',
        period: { start: '2016-07-01', end: '2016-09-30' },
        submitted: '2016-10-12',
        corrected: null,
        published: '2016-10-14',
        figures: [{ field: 'participantsActive', label: 'deltagare aktiva under perioden', value: 38 }],
        participants: [{ row: 'active', label: 'deltagare aktiva under perioden', women: 20, men: 18, total: 38 }, { row: 'toWork', label: 'avslutade till arbete', women: 'färre än 3', men: null, total: 4 }],
        costsToDate: null,
        goals: [{ goal: '10 till arbete alternativt studier.', women: 'färre än 3', men: null, total: 4, value: null, comment: 'Fyra har gått till arbete hittills.' }],
        narrative: 'Under kvartalet har 38 deltagare tagit del av insatsen.',
      },
      noReport: null,
    },
  ],
};

// --- the anslagstavla ---

/** The public page of a förbund's anslagstavla. */
export const publicAnslagPath = (slug: string) => `/forbund/${encodeURIComponent(slug)}/anslag`;
/** The justerat protokoll of a meeting on the anslagstavla, as filed. */
export const anslagProtocolPath = (slug: string, meetingId: string) => `${publicAnslagPath(slug)}/${encodeURIComponent(meetingId)}/protokoll.pdf`;

const APPEAL = 'Den som vill överklaga beslut (laglighetsprövning enligt 13 kap. kommunallagen) ska göra det inom tre veckor från den dag anslaget sattes upp.';

/** The JSON twin of the anslagstavla. */
function anslagJson(forbund: { slug: string; name: string }, today: string, current: Anslag[], earlier: Anslag[]) {
  const one = (a: Anslag, up: boolean) => ({
    meetingId: a.meetingId,
    text: `Styrelsens protokoll från sammanträdet ${a.meetingDate} är justerat.`,
    organ: a.organ,
    meetingDate: a.meetingDate,
    justeradOn: a.justeradOn,
    postedOn: a.postedOn,
    removedOn: a.removedOn,
    appealUntil: up ? a.appealUntil : null,
    storage: a.storage,
    sha256: a.sha256,
    protokoll: a.protokollHref,
  });
  return {
    forbund: { slug: forbund.slug, name: forbund.name },
    asOf: today,
    appeal: APPEAL,
    links: { html: publicAnslagPath(forbund.slug) },
    current: current.map((a) => one(a, true)),
    earlier: earlier.map((a) => one(a, false)),
  };
}

const ANSLAG_ITEM_SCHEMA = {
  type: 'object',
  required: ['meetingId', 'text', 'organ', 'meetingDate', 'justeradOn', 'postedOn', 'removedOn', 'appealUntil', 'storage', 'sha256', 'protokoll'],
  properties: {
    meetingId: { type: 'string' },
    text: { type: 'string', description: 'the tillkännagivande' },
    organ: { type: 'string' },
    meetingDate: date,
    justeradOn: date,
    postedOn: { ...date, description: 'the day the anslag went up; the three weeks of laglighetsprövning run from it' },
    removedOn: { ...date, description: 'the day the anslag is (or was) taken down' },
    appealUntil: { type: ['string', 'null'], format: 'date', description: 'the last day to appeal, while the anslag is up; null once taken down' },
    storage: { type: 'string', description: 'förvaringsplats of the protokoll' },
    sha256: { type: ['string', 'null'], description: 'SHA-256 (hex) of the justerade protokoll PDF' },
    protokoll: { type: 'string', description: 'path of the protokoll as filed (PDF)' },
  },
};
const PUBLIC_ANSLAG_SCHEMA = {
  type: 'object',
  required: ['forbund', 'asOf', 'appeal', 'links', 'current', 'earlier'],
  properties: {
    forbund: { type: 'object', properties: { slug: { type: 'string' }, name: { type: 'string' } } },
    asOf: { ...date, description: 'the Stockholm date the anslagstavla shows' },
    appeal: { type: 'string' },
    links: { type: 'object', properties: { html: { type: 'string' } } },
    current: { type: 'array', description: 'anslag up today', items: ANSLAG_ITEM_SCHEMA },
    earlier: { type: 'array', description: 'anslag taken down, newest first', items: ANSLAG_ITEM_SCHEMA },
  },
};
const PUBLIC_ANSLAG_EXAMPLE = {
  forbund: { slug: 'sydnarke', name: 'Samordningsförbundet Sydnärke' },
  asOf: '2037-03-10',
  appeal: APPEAL,
  links: { html: '/forbund/sydnarke/anslag' },
  current: [
    {
      meetingId: '6f1c2a9e-0d1b-4c6e-9a57-3f2b8e1d4c70',
      text: 'Styrelsens protokoll från sammanträdet 2037-02-26 är justerat.',
      organ: 'Styrelsen',
      meetingDate: '2037-02-26',
      justeradOn: '2037-03-04',
      postedOn: '2037-03-04',
      removedOn: '2037-03-25',
      appealUntil: '2037-03-25',
      storage: 'Förbundets kansli, Samordningsförbundet Sydnärke',
      sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      protokoll: '/forbund/sydnarke/anslag/6f1c2a9e-0d1b-4c6e-9a57-3f2b8e1d4c70/protokoll.pdf',
    },
  ],
  earlier: [],
};
