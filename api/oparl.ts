// OParl 1.1 (https://oparl.org) JSON of every förbund's public board work, no login: the same
// objects the public pages show (services/offentligt.ts, rules in domain/offentlighet.ts), in the
// shapes a municipality's portal or an aggregator reads (services/oparl.ts maps them).
//
// URLs (absolute ids under the deployment's public base URL):
//   /oparl/v1/system                         the System (the entry point)
//   /oparl/v1/body                           every förbund's Body (a list)
//   /oparl/v1/body/{slug}                    one Body
//   /oparl/v1/body/{slug}/{list}             its lists: organization, person, membership, meeting,
//                                            agendaItem, paper, file
//   /oparl/v1/{type}/{id}                    one object: organization, person, membership, meeting,
//                                            agendaItem, consultation, paper, file
//   /oparl/v1/meeting/{id}/location|invitation|resultsProtocol   a meeting's place, kallelse, protokoll
//   /oparl/v1/file/{id}/access               a public handling's bytes, inline (its downloadUrl is
//                                            the public page's /forbund/{slug}/handlingar/{id})
// Lists are OParl's external lists (data, pagination, links with next on every page but the last),
// filtered by created_since, created_until, modified_since, modified_until (OParl date-times),
// `limit` (1–500, default 100), `page` and `omit_internal`; a bad value is 400 naming the
// parameter. Every answer carries Access-Control-Allow-Origin: * (OParl 2.6). Unknown or not public
// (a person not on the board, a secret handling, an agenda item before the kallelse): 404. What is
// served is kept ready per förbund, day and data version.
import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { downloadName, attachmentHeader, kindOfContentType } from '../domain/handlingar.js';
import { toStockholmDate } from '../domain/dates.js';
import type { FieldError } from '../domain/rapportuppgifter.js';
import { contentOf, handlingWithContent } from '../services/handlingar.js';
import { publicFile } from '../services/offentligt.js';
import { BODY_LISTS, oparlBody, oparlGraph, oparlSystem, oparlType, oparlUrls, omitInternal, OPARL_PATH, type BodyList, type OparlGraph, type OparlObject, type OparlType } from '../services/oparl.js';
import { readyBody, sendReady } from '../services/read-cache.js';
import { declare, type JsonSchema } from './declare.js';
import type { ApiDeps } from './deps.js';
import { badRequest, HttpError, notFound, wholeNumber } from './errors.js';
import { storeErrorAsHttp } from './handlingar.js';

/** A row's id: anything else names no object and is not looked up. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** OParl's date-time (yyyy-mm-ddThh:mm:ss±hh:mm; Z and fractions of a second taken too). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
export const OPARL_DEFAULT_LIMIT = 100;
export const OPARL_MAX_LIMIT = 500;
const FILTERS = ['created_since', 'created_until', 'modified_since', 'modified_until'] as const;
type Filter = (typeof FILTERS)[number];

interface ListQuery {
  page: number;
  limit: number;
  filters: Partial<Record<Filter, { raw: string; at: number }>>;
  omitInternal: boolean;
}

/** The list parameters, each checked: 400 naming every one at fault. */
export function listQuery(req: Request): ListQuery {
  const fields: FieldError[] = [];
  const q = req.query as Record<string, unknown>;
  const number = (field: string, max: number, def: number) => {
    try {
      return wholeNumber(q[field], field, 1, max) ?? def;
    } catch (err) {
      fields.push(...(err as HttpError).fields);
      return def;
    }
  };
  const page = number('page', 100_000, 1);
  const limit = number('limit', OPARL_MAX_LIMIT, OPARL_DEFAULT_LIMIT);
  const filters: ListQuery['filters'] = {};
  for (const f of FILTERS) {
    const v = q[f];
    if (v === undefined) continue;
    const at = typeof v === 'string' && DATE_TIME.test(v) ? Date.parse(v) : NaN;
    if (Number.isNaN(at)) fields.push({ field: f, problem: 'must be an OParl date-time, e.g. 2037-01-01T00:00:00+01:00 (URL-encode the +)' });
    else filters[f] = { raw: v as string, at };
  }
  const omit = q.omit_internal;
  if (omit !== undefined && omit !== 'true' && omit !== 'false') fields.push({ field: 'omit_internal', problem: 'must be true or false' });
  if (fields.length) throw badRequest(fields);
  return { page, limit, filters, omitInternal: omit === 'true' };
}

/** The query of a list page, canonical: the filters kept, then limit and page. */
function queryOf(q: ListQuery, page: number): string {
  const p = new URLSearchParams();
  for (const f of FILTERS) if (q.filters[f]) p.set(f, q.filters[f]!.raw);
  if (q.omitInternal) p.set('omit_internal', 'true');
  p.set('limit', String(q.limit));
  p.set('page', String(page));
  return p.toString();
}

/** An OParl external list page of `all`, filtered by created/modified. */
export function oparlList(listUrl: string, all: OparlObject[], q: ListQuery, web?: string) {
  const f = q.filters;
  const kept = all.filter((o) => {
    const c = Date.parse(o.created);
    const m = Date.parse(o.modified);
    return (!f.created_since || c >= f.created_since.at) && (!f.created_until || c <= f.created_until.at) && (!f.modified_since || m >= f.modified_since.at) && (!f.modified_until || m <= f.modified_until.at);
  });
  const totalPages = Math.max(1, Math.ceil(kept.length / q.limit));
  const url = (p: number) => `${listUrl}?${queryOf(q, p)}`;
  const data = kept.slice((q.page - 1) * q.limit, q.page * q.limit).map((o) => (q.omitInternal ? omitInternal(o) : o));
  return {
    data,
    pagination: { totalElements: kept.length, elementsPerPage: q.limit, currentPage: q.page, totalPages },
    links: {
      first: url(1),
      ...(q.page > 1 ? { prev: url(Math.min(q.page - 1, totalPages)) } : {}),
      self: url(q.page),
      ...(q.page < totalPages ? { next: url(q.page + 1) } : {}),
      last: url(totalPages),
      ...(web ? { web } : {}),
    },
  };
}

/** OParl 2.6: every JSON answer may be read by a script of any origin. */
const openToEveryOrigin: RequestHandler = (_req, res, next) => {
  res.set({ 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' });
  next();
};

export function oparlRoutes(deps: ApiDeps): Router {
  const { prisma } = deps;
  const r = Router();
  const route = declare('').route;
  const u = () => oparlUrls(deps.publicBaseUrl);
  const today = () => toStockholmDate(deps.now());
  r.use(OPARL_PATH, openToEveryOrigin);

  /** The förbund's graph, kept ready per day and data version. */
  const graphOf = (forbundId: string): Promise<OparlGraph | null> => deps.reads.get(forbundId, `oparl ${today()} graph`, () => oparlGraph(prisma, forbundId, { publicBaseUrl: deps.publicBaseUrl, at: deps.now() }));
  /** A JSON answer kept ready per förbund, day, data version and key. */
  const sendJson = async (res: Response, forbundId: string, key: string, build: () => Promise<unknown>) => {
    const ready = await deps.reads.get(forbundId, `oparl ${today()} ${key}`, async () => readyBody('application/json; charset=utf-8', JSON.stringify(await build())));
    sendReady(res, ready);
  };
  const forbundBySlug = async (slug: string) => {
    const f = await prisma.forbund.findUnique({ where: { slug }, select: { id: true, slug: true } });
    if (!f) throw notFound(`body "${slug}"`);
    return f;
  };

  route(
    r,
    {
      method: 'get',
      path: `${OPARL_PATH}/system`,
      summary: 'OParl 1.1: the System, the entry point (no login): the OParl version and the list of bodies (one per förbund)',
      response: { schema: SCHEMAS.System, example: EXAMPLES.System },
    },
    async (_req, res) => {
      res.json(await oparlSystem(prisma, deps.publicBaseUrl));
    },
  );

  route(
    r,
    {
      method: 'get',
      path: `${OPARL_PATH}/body`,
      summary: 'OParl 1.1: every förbund as a Body (an external list: data, pagination, links)',
      query: LIST_QUERY,
      response: { schema: listSchema(SCHEMAS.Body), example: { data: [EXAMPLES.Body], pagination: { totalElements: 1, elementsPerPage: 100, currentPage: 1, totalPages: 1 }, links: { first: `${EX}/body?limit=100&page=1`, self: `${EX}/body?limit=100&page=1`, last: `${EX}/body?limit=100&page=1` } } },
    },
    async (req, res) => {
      const q = listQuery(req);
      const rows = await prisma.forbund.findMany({ select: { id: true }, orderBy: [{ slug: 'asc' }] });
      const bodies = (await Promise.all(rows.map((f) => oparlBody(prisma, f.id, deps.publicBaseUrl)))).filter((b): b is OparlObject => !!b);
      res.json(oparlList(u().bodies, bodies, q));
    },
  );

  route(
    r,
    {
      method: 'get',
      path: `${OPARL_PATH}/body/:slug`,
      summary: 'OParl 1.1: one förbund as a Body, with the URLs of its lists; 404 for an unknown förbund',
      params: { slug: 'slug of the förbund, e.g. sydnarke' },
      response: { schema: SCHEMAS.Body, example: EXAMPLES.Body },
    },
    async (req, res) => {
      const f = await forbundBySlug(String(req.params.slug));
      await sendJson(res, f.id, 'body', async () => (await graphOf(f.id))!.body);
    },
  );

  const LIST_SUMMARY: Record<BodyList, [string, JsonSchema]> = {
    organization: ['the styrelse (organizationType Gremium) and the member organisations (Institution) a seat is held for', SCHEMAS.Organization],
    person: ["the board's ledamöter and ersättare whose mandatperiod holds today: name, role and member, never an e-mail address; nobody else", SCHEMAS.Person],
    membership: ['the seats on the board: role, voting right, mandatperiod, the member organisation (onBehalfOf)', SCHEMAS.Membership],
    meeting: ["the board's meetings by start, a cancelled one as cancelled; each with its agenda items once the kallelse is sent, the kallelse (invitation) and, once justerat and posted, the protokoll (resultsProtocol)", SCHEMAS.Meeting],
    agendaItem: ['the items of the board agendas whose kallelse is sent, by meeting and order; the decision (resolutionText, arscykel:paragraph) only once justerat', SCHEMAS.AgendaItem],
    paper: ['the matters on a board agenda whose kallelse is sent, newest Dnr first (reference: the Dnr), with their public handlingar', SCHEMAS.Paper],
    file: ['the public files: handlingar not secret, in the version a sent kallelse carried; the kallelser; the justerade protokoll', SCHEMAS.File],
  };
  for (const list of BODY_LISTS) {
    const [what, schema] = LIST_SUMMARY[list];
    route(
      r,
      {
        method: 'get',
        path: `${OPARL_PATH}/body/:slug/${list}`,
        summary: `OParl 1.1 external list (no login): ${what}; filters created_since, created_until, modified_since, modified_until, limit, page, omit_internal; 404 for an unknown förbund`,
        params: { slug: 'slug of the förbund, e.g. sydnarke' },
        query: LIST_QUERY,
        response: { schema: listSchema(schema) },
      },
      async (req, res) => {
        const q = listQuery(req);
        const f = await forbundBySlug(String(req.params.slug));
        const web = list === 'meeting' ? u().web.meetings(f.slug) : list === 'agendaItem' ? u().web.decisions(f.slug) : undefined;
        await sendJson(res, f.id, `list ${list} ${queryOf(q, q.page)}`, async () => oparlList(u().bodyList(f.slug, list), (await graphOf(f.id))!.lists[list], q, web));
      },
    );
  }

  // --- single objects: found by id, served when public ---

  /** The förbund a row of each kind belongs to; undefined for none. */
  const owner: Record<string, (id: string) => Promise<string | undefined>> = {
    organization: async (id) => (await prisma.body.findFirst({ where: { id, kind: 'styrelse' }, select: { forbundId: true } }))?.forbundId ?? (await prisma.member.findUnique({ where: { id }, select: { forbundId: true } }))?.forbundId,
    person: async (id) => (await prisma.person.findUnique({ where: { id }, select: { forbundId: true } }))?.forbundId,
    membership: async (id) => (await prisma.bodyMembership.findUnique({ where: { id }, select: { body: { select: { forbundId: true } } } }))?.body.forbundId,
    meeting: async (id) => (await prisma.meeting.findUnique({ where: { id }, select: { forbundId: true } }))?.forbundId,
    agendaItem: async (id) => (await prisma.agendaItem.findUnique({ where: { id }, select: { meeting: { select: { forbundId: true } } } }))?.meeting.forbundId,
    paper: async (id) => (await prisma.matter.findUnique({ where: { id }, select: { forbundId: true } }))?.forbundId,
    file: async (id) => (await prisma.document.findUnique({ where: { id }, select: { forbundId: true } }))?.forbundId,
  };
  owner.consultation = owner.agendaItem;

  const single = (kind: string, what: string, schema: JsonSchema, ownerKind: string, urlOf: (id: string) => string, example?: unknown) =>
    route(
      r,
      {
        method: 'get',
        path: `${OPARL_PATH}/${kind}`,
        summary: `OParl 1.1 (no login): ${what}; 404 when there is none or it is not public`,
        params: { id: 'the object id (as in its URL)' },
        response: { schema, ...(example ? { example } : {}) },
      },
      async (req, res) => {
        const id = String(req.params.id);
        const gone = () => notFound(`${kind.replace(/\/:id.*/, '')} "${id}"`);
        if (!UUID.test(id)) throw gone();
        const forbundId = await owner[ownerKind](id);
        if (!forbundId) throw gone();
        const url = urlOf(id);
        const graph = await graphOf(forbundId);
        if (!graph?.byId.has(url)) throw gone();
        await sendJson(res, forbundId, `one ${url}`, async () => (await graphOf(forbundId))!.byId.get(url));
      },
    );

  single('organization/:id', 'one Organization: the styrelse or a member organisation', SCHEMAS.Organization, 'organization', (id) => u().organization(id));
  single('person/:id', 'one Person, a ledamot or ersättare on the board today', SCHEMAS.Person, 'person', (id) => u().person(id), EXAMPLES.Person);
  single('membership/:id', 'one Membership: a seat on the board', SCHEMAS.Membership, 'membership', (id) => u().membership(id));
  single('meeting/:id', 'one board Meeting with its agenda items (once the kallelse is sent), kallelse and protokoll', SCHEMAS.Meeting, 'meeting', (id) => u().meeting(id), EXAMPLES.Meeting);
  single('meeting/:id/location', "a board meeting's place (Location)", SCHEMAS.Location, 'meeting', (id) => u().location(id));
  single('meeting/:id/invitation', "a board meeting's kallelse as a File (once sent); accessUrl is the public PDF", SCHEMAS.File, 'meeting', (id) => u().invitation(id));
  single('meeting/:id/resultsProtocol', "a board meeting's justerat protokoll as a File (once justerat and its anslag posted); accessUrl is the PDF as filed", SCHEMAS.File, 'meeting', (id) => u().resultsProtocol(id));
  single('agendaItem/:id', 'one AgendaItem of a sent föredragningslista (404 before the kallelse); the decision once justerat', SCHEMAS.AgendaItem, 'agendaItem', (id) => u().agendaItem(id));
  single('consultation/:id', "one Consultation: an agenda item's handling of its matter (id: the agenda item's)", SCHEMAS.Consultation, 'consultation', (id) => u().consultation(id));
  single('paper/:id', 'one Paper: a matter on a sent board agenda (reference: its Dnr)', SCHEMAS.Paper, 'paper', (id) => u().paper(id));
  single('file/:id', 'one public handling as a File (not secret; the version a sent kallelse carried)', SCHEMAS.File, 'file', (id) => u().file(id), EXAMPLES.File);

  route(
    r,
    {
      method: 'get',
      path: `${OPARL_PATH}/file/:id/access`,
      summary: "a public handling's bytes (no login), inline (OParl's accessUrl: no attachment), with its content type, checked against its SHA-256; 404 for a handling that is not public",
      params: { id: 'the version id' },
      response: { contentType: 'application/octet-stream' },
    },
    async (req, res) => {
      const id = String(req.params.id);
      const gone = () => notFound(`file "${id}"`);
      if (!UUID.test(id)) throw gone();
      const forbundId = await owner.file(id);
      const file = forbundId ? await publicFile(prisma, forbundId, id) : null;
      const row = file && forbundId ? await handlingWithContent(prisma, forbundId, id) : undefined;
      // Twice sure: the rule said public, and the row itself is not secret.
      if (!file || !row || row.secret) throw gone();
      const bytes = await contentOf(row, deps.documents).catch((err: unknown) => {
        throw storeErrorAsHttp(res, err);
      });
      res
        .status(200)
        .set({
          'Content-Type': row.contentType,
          'Content-Length': String(bytes.length),
          'Content-Disposition': attachmentHeader(downloadName(row.fileName, row.title, kindOfContentType(row.contentType) ?? 'pdf')).replace(/^attachment/, 'inline'),
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': "default-src 'none'; sandbox",
          'Repr-Digest': `sha-256=:${Buffer.from(row.sha256, 'hex').toString('base64')}:`,
        })
        .end(bytes);
    },
  );

  // OParl 2.9: an error is also an object of type Error with a message; the API's own `error`
  // object (status, message, the fields at fault) is kept beside it, as every other route answers.
  const oparlError: ErrorRequestHandler = (err, _req, res, next) => {
    if (!(err instanceof HttpError) || res.headersSent) return next(err);
    res.status(err.status).json({ type: oparlType('Error'), message: err.message, error: { status: err.status, message: err.message, fields: err.fields, ...err.details } });
  };
  r.use(OPARL_PATH, oparlError);

  return r;
}

// --- the JSON schemas of the objects, for the OpenAPI document: OParl 1.1's required fields
// (OParl/spec schema/*.json "required"), and created, modified and deleted, which the spec's text
// requires of every object (3.1 "created", "modified").

const url = { type: 'string', format: 'uri' };
const dateTime = { type: 'string', format: 'date-time' };
const date = { type: 'string', format: 'date' };
const urls = { type: 'array', items: url };
const common = (t: OparlType, extra: Record<string, unknown>, required: string[] = []): JsonSchema => ({
  type: 'object',
  required: ['id', 'type', ...required, 'created', 'modified', 'deleted'],
  properties: {
    id: { ...url, description: 'the object URL' },
    type: { const: oparlType(t) },
    ...extra,
    created: dateTime,
    modified: dateTime,
    web: { ...url, description: 'the public HTML page of the object, where there is one' },
    deleted: { type: 'boolean', description: 'always false: nothing public is withdrawn' },
  },
});
const FILE_SCHEMA = common(
  'File',
  {
    name: { type: 'string' },
    fileName: { type: 'string' },
    mimeType: { type: 'string' },
    date: date,
    size: { type: 'integer' },
    accessUrl: { ...url, description: 'the bytes, inline' },
    downloadUrl: { ...url, description: 'the bytes as an attachment (handlingar)' },
    meeting: urls,
    agendaItem: urls,
    paper: urls,
    'arscykel:sha256': { type: 'string', description: 'SHA-256 (hex) of the bytes' },
    'arscykel:version': { type: 'integer', description: 'the version of the handling' },
  },
  ['accessUrl'],
);
const MEMBERSHIP_SCHEMA = common('Membership', { person: url, organization: url, role: { type: 'string', description: 'Ordförande, Vice ordförande, Ledamot or Ersättare' }, votingRight: { type: 'boolean' }, startDate: date, endDate: date, onBehalfOf: { ...url, description: 'the member organisation the seat is held for' } });
const AGENDA_ITEM_SCHEMA = common(
  'AgendaItem',
  {
    meeting: url,
    number: { type: 'string' },
    order: { type: 'integer', minimum: 0 },
    name: { type: 'string' },
    consultation: url,
    resolutionText: { type: 'string', description: 'the decision, once the protokoll is justerat' },
    auxiliaryFile: { type: 'array', items: FILE_SCHEMA },
    'arscykel:proposal': { type: 'string', description: 'förslag till beslut, as the kallelse printed it' },
    'arscykel:paragraph': { type: 'integer', description: 'the § of the protokoll, once justerat' },
    'arscykel:dnr': { type: 'string', description: "the matter's diarienummer" },
  },
  ['order'],
);
const CONSULTATION_SCHEMA = common('Consultation', { paper: url, agendaItem: url, meeting: url, organization: urls, authoritative: { type: 'boolean' } });
const LOCATION_SCHEMA = common('Location', { description: { type: 'string' }, meetings: urls });
const SCHEMAS = {
  System: common('System', { oparlVersion: { const: 'https://schema.oparl.org/1.1/' }, body: url, name: { type: 'string' }, website: url }, ['oparlVersion', 'body']),
  Body: common(
    'Body',
    {
      system: url,
      name: { type: 'string' },
      classification: { type: 'string' },
      mainOrganization: url,
      organization: url,
      person: url,
      membership: url,
      meeting: url,
      agendaItem: url,
      paper: url,
      file: url,
      legislativeTerm: { type: 'array', maxItems: 0 },
    },
    ['name', 'organization', 'person', 'meeting', 'paper', 'legislativeTerm'],
  ),
  Organization: common('Organization', { body: url, name: { type: 'string' }, organizationType: { enum: ['Gremium', 'Institution'] }, classification: { type: 'string' }, membership: urls, meeting: url, memberCount: { type: 'integer' }, votingMemberCount: { type: 'integer' } }),
  Person: common('Person', { body: url, name: { type: 'string' }, status: { type: 'array', items: { type: 'string' } }, membership: { type: 'array', items: MEMBERSHIP_SCHEMA } }),
  Membership: MEMBERSHIP_SCHEMA,
  Meeting: common('Meeting', {
    name: { type: 'string' },
    meetingState: { enum: ['terminiert', 'eingeladen', 'durchgeführt'] },
    cancelled: { type: 'boolean' },
    start: dateTime,
    end: dateTime,
    location: LOCATION_SCHEMA,
    organization: urls,
    invitation: FILE_SCHEMA,
    resultsProtocol: FILE_SCHEMA,
    agendaItem: { type: 'array', items: AGENDA_ITEM_SCHEMA },
  }),
  AgendaItem: AGENDA_ITEM_SCHEMA,
  Consultation: CONSULTATION_SCHEMA,
  Paper: common('Paper', { body: url, name: { type: 'string' }, reference: { type: 'string', description: 'the Dnr' }, date: date, paperType: { type: 'string' }, auxiliaryFile: { type: 'array', items: FILE_SCHEMA }, consultation: { type: 'array', items: CONSULTATION_SCHEMA } }),
  File: FILE_SCHEMA,
  Location: LOCATION_SCHEMA,
};

const listSchema = (item: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['data', 'pagination', 'links'],
  properties: {
    data: { type: 'array', items: item },
    pagination: { type: 'object', properties: { totalElements: { type: 'integer' }, elementsPerPage: { type: 'integer' }, currentPage: { type: 'integer' }, totalPages: { type: 'integer' } } },
    links: { type: 'object', description: 'next on every page but the last; the filters kept', properties: { first: url, prev: url, self: url, next: url, last: url, web: url } },
  },
});

const dateTimeParam = (what: string) => ({ schema: { type: 'string', format: 'date-time' }, description: `only objects ${what} (an OParl date-time, yyyy-mm-ddThh:mm:ss±hh:mm, URL-encoded)` });
const LIST_QUERY = {
  created_since: dateTimeParam('created at or after it'),
  created_until: dateTimeParam('created at or before it'),
  modified_since: dateTimeParam('modified at or after it'),
  modified_until: dateTimeParam('modified at or before it'),
  limit: { schema: { type: 'integer', minimum: 1, maximum: OPARL_MAX_LIMIT, default: OPARL_DEFAULT_LIMIT }, description: 'objects per page' },
  page: { schema: { type: 'integer', minimum: 1, default: 1 }, description: 'the page (the links give them)' },
  omit_internal: { schema: { enum: ['true', 'false'] }, description: "true: leave out the internal lists (a meeting's agendaItem, a person's membership, auxiliaryFile)" },
};

const EX = 'https://arscykel.example/oparl/v1';
const T = '2037-03-04T09:20:00+00:00';
const EXAMPLES = {
  System: { id: `${EX}/system`, type: oparlType('System'), oparlVersion: 'https://schema.oparl.org/1.1/', body: `${EX}/body`, name: 'Årscykel', website: 'https://arscykel.example', created: T, modified: T, deleted: false },
  Body: {
    id: `${EX}/body/sydnarke`,
    type: oparlType('Body'),
    system: `${EX}/system`,
    name: 'Samordningsförbundet Sydnärke',
    classification: 'Samordningsförbund',
    organization: `${EX}/body/sydnarke/organization`,
    person: `${EX}/body/sydnarke/person`,
    membership: `${EX}/body/sydnarke/membership`,
    meeting: `${EX}/body/sydnarke/meeting`,
    agendaItem: `${EX}/body/sydnarke/agendaItem`,
    paper: `${EX}/body/sydnarke/paper`,
    file: `${EX}/body/sydnarke/file`,
    legislativeTerm: [],
    created: T,
    modified: T,
    web: 'https://arscykel.example/forbund/sydnarke',
    deleted: false,
  },
  Person: {
    id: `${EX}/person/0b6f7c1e-3a52-4d2e-9a41-5c8e2f7d1b90`,
    type: oparlType('Person'),
    body: `${EX}/body/sydnarke`,
    name: 'Maria Ledamot',
    status: ['Ordförande, Askersunds kommun'],
    membership: [
      {
        id: `${EX}/membership/7d2c9a4e-1f3b-4e8a-b6c5-2a9f0e1d3c47`,
        type: oparlType('Membership'),
        person: `${EX}/person/0b6f7c1e-3a52-4d2e-9a41-5c8e2f7d1b90`,
        organization: `${EX}/organization/5e8a1c3d-7b2f-4a9e-8c6d-1f0b3e2a4d59`,
        role: 'Ordförande',
        votingRight: true,
        startDate: '2035-01-01',
        endDate: '2038-12-31',
        onBehalfOf: `${EX}/organization/9a3e5c7b-2d1f-4b8a-a6e4-3c0d2f1b5e68`,
        created: T,
        modified: T,
        deleted: false,
      },
    ],
    created: T,
    modified: T,
    deleted: false,
  },
  Meeting: {
    id: `${EX}/meeting/6f1c2a9e-0d1b-4c6e-9a57-3f2b8e1d4c70`,
    type: oparlType('Meeting'),
    name: 'Styrelsemöte',
    meetingState: 'durchgeführt',
    cancelled: false,
    start: '2037-02-26T08:00:00+00:00',
    end: '2037-02-26T11:00:00+00:00',
    organization: [`${EX}/organization/5e8a1c3d-7b2f-4a9e-8c6d-1f0b3e2a4d59`],
    invitation: {
      id: `${EX}/meeting/6f1c2a9e-0d1b-4c6e-9a57-3f2b8e1d4c70/invitation`,
      type: oparlType('File'),
      name: 'Kallelse till styrelsens sammanträde 2037-02-26',
      fileName: 'kallelse-2037-02-26.pdf',
      mimeType: 'application/pdf',
      date: '2037-02-12',
      accessUrl: 'https://arscykel.example/forbund/sydnarke/moten/6f1c2a9e-0d1b-4c6e-9a57-3f2b8e1d4c70/kallelse.pdf',
      meeting: [`${EX}/meeting/6f1c2a9e-0d1b-4c6e-9a57-3f2b8e1d4c70`],
      created: '2037-02-12T08:00:00+00:00',
      modified: '2037-02-12T08:00:00+00:00',
      web: 'https://arscykel.example/forbund/sydnarke/moten/6f1c2a9e-0d1b-4c6e-9a57-3f2b8e1d4c70',
      deleted: false,
    },
    agendaItem: [
      {
        id: `${EX}/agendaItem/1c9e7a3b-5d2f-4e8a-9b6c-0a2d4f1e3b57`,
        type: oparlType('AgendaItem'),
        meeting: `${EX}/meeting/6f1c2a9e-0d1b-4c6e-9a57-3f2b8e1d4c70`,
        number: '5',
        order: 4,
        name: 'Ansökan om medel: Steg framåt',
        consultation: `${EX}/consultation/1c9e7a3b-5d2f-4e8a-9b6c-0a2d4f1e3b57`,
        resolutionText: 'Styrelsen beviljar Steg framåt 400 000 kr för 2037.',
        'arscykel:proposal': 'Styrelsen beviljar 400 000 kr.',
        'arscykel:paragraph': 12,
        'arscykel:dnr': '2037-00012',
        created: T,
        modified: T,
        web: 'https://arscykel.example/forbund/sydnarke/moten/6f1c2a9e-0d1b-4c6e-9a57-3f2b8e1d4c70',
        deleted: false,
      },
    ],
    created: T,
    modified: T,
    web: 'https://arscykel.example/forbund/sydnarke/moten/6f1c2a9e-0d1b-4c6e-9a57-3f2b8e1d4c70',
    deleted: false,
  },
  File: {
    id: `${EX}/file/3b7d9f1a-2c4e-4a6b-8d0f-5e7a9c1b3d26`,
    type: oparlType('File'),
    name: 'Ansökan',
    fileName: 'ansokan.pdf',
    mimeType: 'application/pdf',
    date: '2037-02-01',
    size: 183204,
    accessUrl: `${EX}/file/3b7d9f1a-2c4e-4a6b-8d0f-5e7a9c1b3d26/access`,
    downloadUrl: 'https://arscykel.example/forbund/sydnarke/handlingar/3b7d9f1a-2c4e-4a6b-8d0f-5e7a9c1b3d26',
    paper: [`${EX}/paper/8e2a4c6d-1b3f-4d5e-a7c9-0f2e4b6d8a13`],
    'arscykel:sha256': '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'arscykel:version': 1,
    created: '2037-02-01T09:00:00+00:00',
    modified: '2037-02-12T08:00:00+00:00',
    deleted: false,
  },
};
