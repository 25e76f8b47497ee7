// The board's process over HTTP, in OParl-like shapes: meetings with their agenda items and
// participants, matters (papers) with their consultations, persons and memberships. Reads come
// from the database; every action goes to the meeting's or the matter's workflow as an update,
// which answers with what was done or why not (409), so the API never says yes to what the
// process refuses. Registering a matter is stored at once (a Dnr must be given even when
// Temporal is away) and its workflow told through the outbox.
import { ApplicationFailure } from '@temporalio/common';
import { Router, type Request, type Response } from 'express';
import { MATTER_KINDS, MATTER_STATUSES } from '../domain/arenden.js';
import { toStockholmDate } from '../domain/dates.js';
import { ersattareFor } from '../domain/ledamoter.js';
import { IDENTITY_NUMBER_TEXT, screenFields } from '../domain/fritext.js';
import { IDENTITY_NUMBER_PROBLEM } from '../domain/personnummer.js';
import { kallelsePdf } from '../domain/kallelse-pdf.js';
import { svList } from '../domain/texts.js';
import type { FieldError } from '../domain/rapportuppgifter.js';
import { meetingTime } from '../services/arscykel.js';
import { checkLink, declinePurpose } from '../services/links.js';
import { declineLinkClosed } from '../domain/lankar.js';
import { replacedMeetingLinkPage } from './lankar.js';
import { ownersOf } from '../services/people.js';
import { protocolPdf, protocolSigners } from '../services/protokoll.js';
import { isoDay } from '../services/rapportering.js';
import { fundingProblems, fundingToStore, fundingViews, type FundingInput, type FundingView } from '../services/beviljning.js';
import { agendaLinesOf, agendaOf, attendanceOf, boardPlan, DuplicateMatterTitle, itemView, registerMatter, rosterOf, setMatterMeeting } from '../services/styrelse.js';
import type { Prisma } from '../prisma/db.js';
import { TemporalUnavailable } from '../services/notifier.js';
import { declineMeeting, editAgenda, justeraMinutes, markPrepared, recordDecision, recordNarvaro, recordParagraph, reportBack, sendKallelseNow, sendMinutes, withdrawDecline, type AgendaEditInput, type NarvaroInput, type ParagraphRecordInput } from '../workflows/signals.js';
import { actor } from './auth.js';
import { declare, type JsonSchema } from './declare.js';
import type { ApiDeps } from './deps.js';
import { badRequest, HttpError, notFound, page, pageResponse } from './errors.js';
import { sendKept } from './kept.js';
import { asHttp } from './refusal.js';
import { askPage, closedPage, comeAnywayPage, failedPage, invalidLinkPage, recordedPage, type ForhinderMeeting, type ForhinderPerson } from './pages/forhinder.js';
import type { Contact } from './pages/lank.js';
import * as justeringPages from './pages/justering.js';
import { signPurpose } from '../services/links.js';
import { signMinutes } from '../workflows/signals.js';

const READERS = ['admin', 'secretary', 'board_member'] as const;
const CLERKS = ['admin', 'secretary'] as const;

const str = (max: number, description?: string): JsonSchema => ({ type: 'string', minLength: 1, maxLength: max, ...(description ? { description } : {}) });
const date: JsonSchema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' };
const obj = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({ type: 'object', properties, required, additionalProperties: false });

const MEETING_EXAMPLE = {
  id: '6f1c…',
  type: 'Meeting',
  name: 'Styrelsemöte',
  kind: 'styrelse',
  start: '2027-02-25T08:00:00.000Z',
  end: '2027-02-25T11:00:00.000Z',
  location: 'Kumla stadshus',
  meetingState: 'kallelse sent',
  agendaItem: [{ id: '9a0e…', number: 6, title: 'Ansökan om medel: Steg framåt', kind: 'matter', dnr: '2027-00012', paragraph: null, decision: null, actionBy: null, actionDue: null, version: 0 }],
  quorum: { seats: 7, expected: 6, needed: 4, quorate: true },
};

/** The update's answer, or why not: 400 for a wrong value, 409 for what the process is past, 503 when Temporal is away (nothing was done). */
export async function viaWorkflow<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof TemporalUnavailable) throw new HttpError(503, `the workflow cannot be reached (${err.message}); nothing was done, try again shortly`);
    let cause: unknown = err;
    while (cause && !(cause instanceof ApplicationFailure)) cause = (cause as { cause?: unknown }).cause;
    if (cause instanceof ApplicationFailure) {
      if (cause.type === 'Invalid') throw new HttpError(400, cause.message, ((cause.details?.[0] as { fields?: FieldError[] })?.fields ?? []) as FieldError[]);
      if (cause.type === 'Refused') throw new HttpError(409, cause.message, [{ field: '(state)', problem: cause.message }]);
      if (cause.type === 'NotFound') throw new HttpError(404, cause.message);
    }
    throw err;
  }
}

/**
 * The one screen for free text (domain/fritext.ts) over the named fields, for the API and the
 * pages alike: 400 naming each that holds a personal identity number, or a line break or control
 * character in a one-line field (a title, a name, a place).
 */
export function noIdentityNumbers(fields: Record<string, unknown>) {
  const bad = screenFields(fields);
  if (bad.length) throw badRequest(bad.map(({ field, problem }) => ({ field, problem: problem === IDENTITY_NUMBER_TEXT ? IDENTITY_NUMBER_PROBLEM.replace('reports hold', 'Årscykel holds') : problem })));
}

type MeetingRow = Prisma.MeetingGetPayload<object>;

/** Where the meeting's process stands; 'past' for a meeting held before Årscykel ran its process. */
export const stageOf = (m: MeetingRow, now: Date) =>
  m.status === 'cancelled' ? 'cancelled'
  : m.decisionsSentAt ? 'decisions sent'
  : m.justeradAt ? 'justerade'
  : m.minutesSentAt ? 'minutes at justering'
  : m.heldAt ? 'held'
  : m.kallelseSentAt ? 'kallelse sent'
  : m.endsAt <= now ? 'past'
  : 'planned';

/**
 * The board's actions, shared by the JSON API (below) and the admin pages (api/admin/styrelse.ts):
 * each is what its route does, so a page's form and the API cannot drift apart.
 */
export type NewMatterBody = { title: string; kind: (typeof MATTER_KINDS)[number]; owner: string; preparingBody?: 'beredningsgrupp' | 'presidium'; description?: string; documents?: { title: string; url: string }[]; meeting?: string; confirmDuplicate?: boolean; funding?: FundingInput };

/** 409: an open matter of the förbund has the same title; `other` is that matter (nothing was stored). */
export class DuplicateTitleError extends HttpError {
  constructor(readonly other: { id: string; dnr: string; title: string; status: string }) {
    super(409, `an open matter has the same title: ${other.dnr} "${other.title}"; send "confirmDuplicate": true to register this one anyway`, [{ field: 'title', problem: `the same title as the open matter ${other.dnr}` }]);
  }
}

/**
 * POST matters: checks the owner and the meeting (400 with the fields), and the title against the
 * förbund's open matters (409 naming the other Dnr unless `confirmDuplicate`); stores the matter
 * with its Dnr and tells its workflow through the outbox.
 */
export async function registerMatterChecked(deps: ApiDeps, forbundId: string, b: NewMatterBody, by: string) {
  const { prisma } = deps;
  noIdentityNumbers({ title: b.title, description: b.description, ...Object.fromEntries((b.documents ?? []).flatMap((d, n) => [[`documents[${n}].title`, d.title], [`documents[${n}].url`, d.url]])) });
  const fields: FieldError[] = [];
  if ((await ownersOf(prisma, forbundId, b.owner)).length === 0) fields.push({ field: 'owner', problem: `"${b.owner}" is neither a role (official, secretary, economist, chair) nor a person's key` });
  if (b.meeting) {
    const m = await prisma.meeting.findFirst({ where: { id: b.meeting, forbundId, kind: 'styrelse', status: 'planned' } });
    if (!m) fields.push({ field: 'meeting', problem: 'no planned board meeting with this id' });
    else if (m.kallelseSentAt) fields.push({ field: 'meeting', problem: 'the kallelse of that meeting has gone out; choose a later meeting' });
  }
  // A funding application's funding: the project, a year of its period, whole kronor, the budget line (services/beviljning.ts).
  for (const p of await fundingProblems(prisma, forbundId, b.kind, b.funding)) fields.push({ field: p.field, problem: p.problem });
  if (fields.length) throw badRequest(fields);
  const { confirmDuplicate, meeting, funding, ...rest } = b;
  let x;
  try {
    x = await registerMatter(prisma, forbundId, { ...rest, ...(meeting ? { meetingId: meeting } : {}), ...(funding ? { funding: fundingToStore(funding) } : {}) }, deps.now(), by, { refuseDuplicateTitle: !confirmDuplicate });
  } catch (err) {
    if (err instanceof DuplicateMatterTitle) throw new DuplicateTitleError(err.other);
    throw err;
  }
  const workflowNotified = await deps.notifier.matterChanged(x.id, 'registered');
  return { matter: x, workflowNotified };
}

/** PUT matters/:dnr/meeting: the matter (not yet on an agenda) goes to a coming board meeting whose agenda is open; its workflow is told through the outbox. Throws the service's Refusal. */
export async function setMatterMeetingFor(deps: ApiDeps, forbundId: string, dnr: string, meetingId: string, by: string) {
  const r = await setMatterMeeting(deps.prisma, forbundId, dnr, meetingId, deps.now(), by);
  const workflowNotified = r.changed ? await deps.notifier.matterChanged(r.matter.id, 'meeting chosen') : true;
  return { matter: r.matter, changed: r.changed, workflowNotified };
}

/** The filters of GET matters (and the diarium page): each checked, 400 naming the field. */
export interface MatterFilter {
  status?: (typeof MATTER_STATUSES)[number];
  kind?: (typeof MATTER_KINDS)[number];
  year?: number;
  q?: string;
}

/** The where-clause of a matter filter: a state, a kind, a Dnr year, and a text in the Dnr or the title (without case). */
export function matterWhere(forbundId: string, f: MatterFilter): Prisma.MatterWhereInput {
  const q = f.q?.trim();
  return {
    forbundId,
    ...(f.status ? { status: f.status } : {}),
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.year ? { year: f.year } : {}),
    ...(q ? { OR: [{ dnr: { contains: q, mode: 'insensitive' as const } }, { title: { contains: q, mode: 'insensitive' as const } }] } : {}),
  };
}

/** The longest search text of a matter filter. */
export const MATTER_Q_MAX = 100;

/** PUT meetings/:id/agenda: the föredragningslista in a new order (existing items by id, optionally retitled; new items by title), through the meeting's workflow (until the kallelse goes). */
export function editAgendaFor(deps: ApiDeps, meetingId: string, items: AgendaEditInput[], by: string) {
  noIdentityNumbers(Object.fromEntries(items.flatMap((i, n) => [[`items[${n}].title`, i.title], ...('proposal' in i ? [[`items[${n}].proposal`, i.proposal]] : [])])));
  return viaWorkflow(deps.notifier.update({ meetingId }, editAgenda, [{ actor: by, items }]));
}

/** POST meetings/:id/kallelse: the meeting's workflow sends the kallelse now. */
export const sendKallelseNowFor = (deps: ApiDeps, meetingId: string, by: string) => viaWorkflow(deps.notifier.update({ meetingId }, sendKallelseNow, [{ actor: by }]));

/** POST meetings/:id/decline: a förhinder reported on the behalf of the person with this key; the workflow calls in the next ersättare. */
export async function declineFor(deps: ApiDeps, m: { id: string; forbundId: string }, personKey: string, by: string) {
  const person = await deps.prisma.person.findFirst({ where: { forbundId: m.forbundId, key: personKey } });
  if (!person) throw badRequest([{ field: 'person', problem: `no person with key "${personKey}"` }]);
  return viaWorkflow(deps.notifier.update({ meetingId: m.id }, declineMeeting, [{ actor: by, personId: person.id }]));
}

/** The decision as it stands when a write over an older version was refused. */
export interface DecisionNow {
  version: number;
  decision: string | null;
  actionBy: string | null;
  actionDue: string | null;
}

/** 409: the decision was written by someone else since `version` was read; `current` is what it is now (nothing was changed). */
export class DecisionConflict extends HttpError {
  constructor(
    message: string,
    readonly current: DecisionNow,
  ) {
    super(409, message, [{ field: 'version', problem: `is not the current version (${current.version}): the decision was changed by someone else` }], { code: 'conflict', current });
  }
}

/**
 * PUT meetings/:id/agenda/:itemId/decision: the decision on one agenda item, through the meeting's
 * workflow, written only over `version` (the item's version as read): a stale one is refused at
 * every layer (the workflow's validator, the activity's conditional write) as a DecisionConflict.
 */
export async function recordDecisionFor(deps: ApiDeps, meetingId: string, itemId: string, d: { decision: string; actionBy?: string | null; actionDue?: string | null; version: number }, by: string) {
  noIdentityNumbers({ decision: d.decision });
  try {
    return await viaWorkflow(deps.notifier.update({ meetingId }, recordDecision, [{ actor: by, itemId, ...d }]));
  } catch (err) {
    let cause: unknown = err;
    while (cause && !(cause instanceof ApplicationFailure)) cause = (cause as { cause?: unknown }).cause;
    const current = cause instanceof ApplicationFailure && cause.type === 'Conflict' ? (cause.details?.[0] as { current?: DecisionNow } | undefined)?.current : undefined;
    if (current) throw new DecisionConflict((cause as ApplicationFailure).message, current);
    throw err;
  }
}

/** PUT meetings/:id/narvaro: who was present and in what capacity, through the meeting's workflow (from its start until the minutes go to justering). */
export function recordNarvaroFor(deps: ApiDeps, meetingId: string, narvaro: NarvaroInput, by: string) {
  noIdentityNumbers(Object.fromEntries(narvaro.others.flatMap((o, n) => [[`others[${n}].name`, o.name], [`others[${n}].title`, o.title]])));
  return viaWorkflow(deps.notifier.update({ meetingId }, recordNarvaro, [{ actor: by, narvaro }]));
}

/** PUT meetings/:id/items/:itemId/record: one §'s jäv, reservationer, protokollsanteckningar and omröstning, through the meeting's workflow. */
export function recordParagraphFor(deps: ApiDeps, meetingId: string, itemId: string, record: ParagraphRecordInput, by: string) {
  noIdentityNumbers({
    ...Object.fromEntries((record.reservations ?? []).map((r, n) => [`reservations[${n}].text`, r.text])),
    ...Object.fromEntries((record.notes ?? []).map((r, n) => [`notes[${n}].text`, r.text])),
    ...(record.vote ? { 'vote.result': record.vote.result } : {}),
  });
  return viaWorkflow(deps.notifier.update({ meetingId }, recordParagraph, [{ actor: by, itemId, record }]));
}

/** POST meetings/:id/minutes: the minutes to the justerare (the person with this key). */
/** POST meetings/:id/minutes: who justerar (one or two justerare; the ordförande signs too) and where; the exact PDF is kept and each signer gets a personal link. */
export const sendMinutesFor = async (deps: ApiDeps, meetingId: string, j: { justerare: string; justerare2?: string | null; justeringPlace?: string | null }, by: string) => {
  noIdentityNumbers({ justeringPlace: j.justeringPlace });
  return viaWorkflow(deps.notifier.update({ meetingId }, sendMinutes, [{ actor: by, justerare: j.justerare, ...(j.justerare2 ? { justerare2: j.justerare2 } : {}), ...(j.justeringPlace ? { justeringPlace: j.justeringPlace } : {}) }]));
};

/** POST meetings/:id/justering: the minutes are justerade; the workflow sends the decisions to the members. */
export const justeraFor = (deps: ApiDeps, meetingId: string, by: string) => viaWorkflow(deps.notifier.update({ meetingId }, justeraMinutes, [{ actor: by }]));

/** GET meetings/:id/kallelse.pdf: the printable kallelse with the föredragningslista as it stands (the protokoll once held). */
export async function kallelsePdfOf(prisma: ApiDeps['prisma'], m: MeetingRow, baseUrl: string): Promise<{ pdf: Uint8Array; filename: string }> {
  // Once held: the protokoll with its närvaro, each §'s record, the justering and the ANSLAG/BEVIS block (filled in once justerat).
  if (m.heldAt) return { pdf: await protocolPdf(prisma, m.id, { final: !!m.justeradAt }), filename: `protokoll-${toStockholmDate(m.startsAt)}.pdf` };
  const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: m.forbundId } });
  const [items, chairs, secretaries] = await Promise.all([agendaLinesOf(prisma, m.id, { baseUrl }), ownersOf(prisma, m.forbundId, 'chair'), ownersOf(prisma, m.forbundId, 'secretary')]);
  // Signed as the mailed kallelse is: by the ordförande and the secretary.
  const chairName = chairs[0]?.name;
  const secretaryName = svList(secretaries.map((p) => p.name)) || undefined;
  const pdf = await kallelsePdf({ forbundName: forbund.name, when: meetingTime(m), location: m.location, items, kind: 'kallelse', ...(chairName ? { chairName } : {}), ...(secretaryName ? { secretaryName } : {}) });
  return { pdf, filename: `${m.heldAt ? 'protokoll' : 'kallelse'}-${toStockholmDate(m.startsAt)}.pdf` };
}

export function boardRoutes(deps: ApiDeps): { forbund: Router; public: Router } {
  const { prisma, notifier } = deps;
  const r = Router({ mergeParams: true });
  const pub = Router();
  const forbundRoute = declare('/api/v1/forbund/{forbund}').route;
  const publicRoute = declare('').route;
  const fid = (req: Request) => req.auth!.forbundId;
  const base = (req: Request) => `/api/v1/forbund/${req.auth!.forbundSlug}`;

  async function boardMeeting(req: Request) {
    const m = await prisma.meeting.findFirst({ where: { id: String(req.params.id), forbundId: fid(req), kind: 'styrelse' } });
    if (!m) throw notFound(`board meeting "${req.params.id}"`);
    return m;
  }

  async function meetingView(req: Request, m: MeetingRow) {
    const [items, att, plan] = await Promise.all([agendaOf(prisma, m.id), attendanceOf(prisma, m), boardPlan(prisma, m.id)]);
    return {
      id: m.id,
      type: 'Meeting',
      key: m.key,
      name: m.title,
      kind: m.kind,
      start: m.startsAt.toISOString(),
      end: m.endsAt.toISOString(),
      location: m.location,
      cancelled: m.status === 'cancelled',
      meetingState: stageOf(m, deps.now()),
      agendaClosesAt: plan?.agendaClosesAt ?? null,
      kallelseDate: plan?.kallelseDate ?? null,
      kallelseSentAt: m.kallelseSentAt?.toISOString() ?? null,
      heldAt: m.heldAt?.toISOString() ?? null,
      justerare: m.justerare,
      justeringDue: m.justeringDue ? isoDay(m.justeringDue) : null,
      justeradAt: m.justeradAt?.toISOString() ?? null,
      decisionsSentAt: m.decisionsSentAt?.toISOString() ?? null,
      invitation: `${base(req)}/meetings/${m.id}/kallelse.pdf`,
      agendaItem: items.map(itemView),
      participant: att.rows.map((a) => ({ person: { id: a.person.id, key: a.person.key, name: a.person.name }, seat: a.seat, status: a.status, forPerson: a.forPersonId })),
      // Before the invites nobody is called yet: no forecast.
      quorum: att.rows.length ? att.quorum : null,
    };
  }

  forbundRoute(r, { method: 'get', path: '/meetings', summary: 'board meetings of a year, with their state (OParl Meeting), paginated', roles: [...READERS], query: { year: { schema: { type: 'integer' }, description: 'calendar year, default this year' }, page: { schema: { type: 'integer', minimum: 1 }, description: 'page, from 1' }, limit: { schema: { type: 'integer', minimum: 1, maximum: 200 }, description: 'items per page (default 50)' } }, response: { example: { data: [MEETING_EXAMPLE], pagination: { totalElements: 6, elementsPerPage: 50, currentPage: 1, totalPages: 1 } } } }, async (req, res) => {
    const p = page(req);
    const year = req.query.year === undefined ? Number(toStockholmDate(deps.now()).slice(0, 4)) : Number(req.query.year);
    if (!/^\d{4}$/.test(String(req.query.year ?? year))) throw badRequest([{ field: 'year', problem: 'must be a year written with four digits' }]);
    const where = { forbundId: fid(req), kind: 'styrelse' as const, year };
    await sendKept(deps, req, res, async () => {
      const [total, rows] = await Promise.all([prisma.meeting.count({ where }), prisma.meeting.findMany({ where, orderBy: { startsAt: 'asc' }, skip: (p.page - 1) * p.limit, take: p.limit })]);
      return pageResponse(req, await Promise.all(rows.map((m) => meetingView(req, m))), total, p);
    }, 'minute');
  });

  forbundRoute(r, { method: 'get', path: '/meetings/:id', summary: 'one board meeting: its agenda items with decisions, who is called, the quorum forecast', roles: [...READERS], params: { id: 'meeting id' }, response: { example: MEETING_EXAMPLE } }, async (req, res) => {
    res.json(await meetingView(req, await boardMeeting(req)));
  });

  forbundRoute(r, { method: 'get', path: '/meetings/:id/kallelse.pdf', summary: 'the printable kallelse with the föredragningslista as it stands (the protokoll once the meeting is held)', roles: [...READERS], params: { id: 'meeting id' }, response: { contentType: 'application/pdf' } }, async (req, res) => {
    const { pdf, filename } = await kallelsePdfOf(prisma, await boardMeeting(req), deps.publicBaseUrl);
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${filename}"`).send(pdf);
  });

  const agendaEdit = obj({ id: str(100, 'an item on the agenda (kept, in this place)'), title: str(300, 'a new title, or the title of a new item'), proposal: { type: ['string', 'null'], maxLength: 10000, description: "a kept item's förslag till beslut, printed in the kallelse (null clears it; absent keeps it)" } });
  forbundRoute<{ items: AgendaEditInput[] }>(
    r,
    {
      method: 'put',
      path: '/meetings/:id/agenda',
      summary: 'the föredragningslista in a new order: existing items by id (optionally retitled, with a förslag till beslut), new items by title; matter items must stay; until the kallelse goes',
      roles: [...CLERKS],
      params: { id: 'meeting id' },
      body: { schema: obj({ items: { type: 'array', minItems: 1, maxItems: 100, items: { ...agendaEdit, anyOf: [{ required: ['id'] }, { required: ['title'], not: { required: ['proposal'] } }] } } }, ['items']), example: { items: [{ id: '1f0c…' }, { title: 'Information från Försäkringskassan' }, { id: '77ab…', title: 'Val av justerare och protokollförare' }, { id: '9a0e…', proposal: 'Styrelsen beviljar 400 000 kr för 2027.' }] } },
      response: { schema: { type: 'array', items: { type: 'object' } } },
    },
    async (req, res) => {
      const m = await boardMeeting(req);
      res.json(await editAgendaFor(deps, m.id, req.valid.items, actor(req)));
    },
  );

  forbundRoute(r, { method: 'post', path: '/meetings/:id/kallelse', summary: 'send the kallelse now instead of on its day (the agenda is fixed from then on)', roles: [...CLERKS], params: { id: 'meeting id' }, response: { example: { sentAt: '2027-02-17T07:00:00.000Z' } } }, async (req, res) => {
    const m = await boardMeeting(req);
    res.json(await sendKallelseNowFor(deps, m.id, actor(req)));
  });

  forbundRoute<{ person: string }>(
    r,
    { method: 'post', path: '/meetings/:id/decline', summary: "report a ledamot's förhinder on their behalf: the next ersättare is called in", roles: [...CLERKS], params: { id: 'meeting id' }, body: { schema: obj({ person: str(100, 'the person key') }, ['person']), example: { person: 'anna-ledamot' } }, response: { example: { declined: 'Anna Ledamot', calledIn: 'Erik Ersättare', quorum: { seats: 6, expected: 6, needed: 4, quorate: true } } } },
    async (req, res) => {
      const m = await boardMeeting(req);
      res.json(await declineFor(deps, m, req.valid.person, actor(req)));
    },
  );

  forbundRoute<{ decision: string; actionBy?: string | null; actionDue?: string | null; version: number }>(
    r,
    {
      method: 'put',
      path: '/meetings/:id/agenda/:itemId/decision',
      summary: "record the decision on an agenda item (from the start of the meeting until the minutes are justerade); who is to act and by when makes a follow-up. `version` is the item's version as read (GET meetings/:id): the write is made only over it and raises it; a stale one is refused with 409 (error.code 'conflict', error.current: the version and decision now), nothing changed",
      roles: [...CLERKS],
      params: { id: 'meeting id', itemId: 'agenda item id' },
      body: {
        schema: obj(
          {
            decision: str(10000),
            actionBy: { type: ['string', 'null'], maxLength: 100, description: 'a role (official, secretary, economist, chair) or a person key' },
            actionDue: { ...date, type: ['string', 'null'] },
            version: { type: 'integer', minimum: 0, maximum: 2147483647, description: "the agenda item's version as read (agendaItem[].version of GET meetings/:id)" },
          },
          ['decision', 'version'],
        ),
        example: { decision: 'Styrelsen beviljar 400 000 kr för 2027.', actionBy: 'official', actionDue: '2027-04-30', version: 0 },
      },
    },
    async (req, res) => {
      const m = await boardMeeting(req);
      res.json(await recordDecisionFor(deps, m.id, String(req.params.itemId), req.valid, actor(req)));
    },
  );

  const keys = (description: string): JsonSchema => ({ type: 'array', maxItems: 100, items: str(100), description });
  forbundRoute<NarvaroInput>(
    r,
    {
      method: 'put',
      path: '/meetings/:id/narvaro',
      summary: "the närvaro of the protokoll, by person keys: beslutande ledamöter, tjänstgörande ersättare (each for a ledamot of the same member, Finsamlagen 12 §), ersättare present not serving, and others present by name and title; from the meeting's start until the minutes go to justering",
      roles: [...CLERKS],
      params: { id: 'meeting id' },
      body: {
        schema: obj(
          {
            beslutande: keys('ledamöter taking part in the decisions'),
            tjanstgorande: { type: 'array', maxItems: 100, items: obj({ person: str(100, 'the ersättare'), for: str(100, 'the ledamot served for') }, ['person', 'for']) },
            ersattare: keys('ersättare present, not serving'),
            others: { type: 'array', maxItems: 100, items: obj({ name: str(200), title: str(200, 'the Swedish title printed after the name') }, ['name', 'title']) },
          },
          ['beslutande', 'tjanstgorande', 'ersattare', 'others'],
        ),
        example: { beslutande: ['anna-ledamot', 'bertil-ledamot'], tjanstgorande: [{ person: 'carl-ersattare', for: 'olivia-ledamot' }], ersattare: ['axel-ersattare'], others: [{ name: 'Örjan Tjänsteman', title: 'förbundschef' }] },
      },
      response: { example: { board: [{ personId: 'c1…', name: 'Anna Ledamot', role: 'beslutande', memberName: 'Askersunds kommun' }], others: [{ name: 'Örjan Tjänsteman', title: 'förbundschef' }] } },
    },
    async (req, res) => {
      const m = await boardMeeting(req);
      res.json(await recordNarvaroFor(deps, m.id, req.valid, actor(req)));
    },
  );

  forbundRoute<ParagraphRecordInput>(
    r,
    {
      method: 'put',
      path: '/meetings/:id/items/:itemId/record',
      summary: "what the protokoll says of one § besides its decision, by person keys: who does not take part (jäv, franvarande; an ersättare of the same member present serves instead), reservationer (only by one who took part), protokollsanteckningar, an omröstning by the beslutande of the §; after the närvaro, until the minutes go to justering",
      roles: [...CLERKS],
      params: { id: 'meeting id', itemId: 'agenda item id' },
      body: {
        schema: obj({
          jav: keys('jäviga: do not take part in the handling of the matter'),
          franvarande: keys('not present for this §'),
          reservations: { type: 'array', maxItems: 100, items: obj({ person: str(100), text: { type: 'string', maxLength: 10000 } }, ['person']) },
          notes: { type: 'array', maxItems: 100, items: obj({ person: str(100), text: str(10000) }, ['person', 'text']) },
          vote: obj({ yes: keys('ja'), no: keys('nej'), abstain: keys('avstår'), result: str(1000, 'the result as the ordförande declared it') }, ['yes', 'no', 'abstain', 'result']),
        }),
        example: { jav: ['olivia-ledamot'], reservations: [{ person: 'bertil-ledamot', text: 'Till förmån för avslag.' }], notes: [{ person: 'anna-ledamot', text: 'Askersund följer insatsen.' }], vote: { yes: ['anna-ledamot', 'carl-ersattare'], no: ['bertil-ledamot'], abstain: [], result: 'Styrelsen har beslutat enligt ordförandens förslag.' } },
      },
      response: { example: { notTakingPart: [{ personId: 'c1…', reason: 'jav' }], servingInstead: [{ personId: 'c9…', forPersonId: 'c1…' }], reservations: [{ personId: 'b2…', text: 'Till förmån för avslag.' }], notes: [], vote: { yes: ['a1…', 'c9…'], no: ['b2…'], abstain: [], result: 'Styrelsen har beslutat enligt ordförandens förslag.' } } },
    },
    async (req, res) => {
      const m = await boardMeeting(req);
      res.json(await recordParagraphFor(deps, m.id, String(req.params.itemId), req.valid, actor(req)));
    },
  );

  forbundRoute<{ justerare: string }>(
    r,
    { method: 'post', path: '/meetings/:id/minutes', summary: 'send the minutes (every matter decided) for justering: the exact PDF is kept with its SHA-256, and the ordförande and each justerare get a personal link to sign it; reminded until justerade', roles: [...CLERKS], params: { id: 'meeting id' }, body: { schema: obj({ justerare: str(100, 'person key of the justerare'), justerare2: { type: ['string', 'null'], minLength: 1, maxLength: 100, description: "person key of a second justerare, where the förbund's rule asks for two" }, justeringPlace: { type: ['string', 'null'], maxLength: 200, description: 'where the protokoll is justerat' } }, ['justerare']), example: { justerare: 'bertil-ledamot', justerare2: 'carl-ledamot', justeringPlace: 'Förbundets kansli, Kumla' } }, response: { example: { justerare: 'bertil-ledamot', justeringDue: '2027-03-11' } } },
    async (req, res) => {
      const m = await boardMeeting(req);
      res.json(await sendMinutesFor(deps, m.id, req.valid, actor(req)));
    },
  );

  forbundRoute(r, { method: 'post', path: '/meetings/:id/justering', summary: 'the minutes are justerade: the decisions go to the member organisations', roles: [...CLERKS], params: { id: 'meeting id' }, response: { example: { justeradAt: '2027-03-04T13:12:00.000Z' } } }, async (req, res) => {
    const m = await boardMeeting(req);
    res.json(await justeraFor(deps, m.id, actor(req)));
  });

  // --- matters (OParl Paper; its consultations are the agenda items that took it up) ---

  type MatterRow = Prisma.MatterGetPayload<{ include: { meeting: true; agendaItems: { include: { meeting: true } } } }>;
  const matterView = (req: Request, x: MatterRow, funding?: FundingView) => ({
    id: x.id,
    type: 'Paper',
    dnr: x.dnr,
    name: x.title,
    kind: x.kind,
    owner: x.owner,
    preparingBody: x.preparingBody,
    description: x.description,
    documents: x.documents,
    status: x.status,
    date: toStockholmDate(x.createdAt),
    meeting: x.meeting ? { id: x.meeting.id, name: x.meeting.title, start: x.meeting.startsAt.toISOString(), url: `${base(req)}/meetings/${x.meeting.id}` } : null,
    consultation: x.agendaItems.map((i) => ({ meeting: i.meetingId, agendaItem: i.id, date: toStockholmDate(i.meeting.startsAt), paragraph: i.paragraph, decision: i.decision, actionBy: i.actionBy, actionDue: i.actionDue ? isoDay(i.actionDue) : null, reportedBack: i.reportedBack })),
    ...(x.compilation ? { compilation: x.compilation } : {}),
    // A funding application's funding: { projectKey, projectName, year, amount, budgetLineKey, budgetLineName, text: "Ansökan: …" }.
    ...(x.kind === 'funding_application' ? { funding: funding ?? null } : {}),
    preparedAt: x.preparedAt?.toISOString() ?? null,
    closedAt: x.closedAt?.toISOString() ?? null,
  });
  const includeMatter = { meeting: true, agendaItems: { include: { meeting: true } } } as const;
  const matterByDnr = async (req: Request) => {
    const x = await prisma.matter.findUnique({ where: { forbundId_dnr: { forbundId: fid(req), dnr: String(req.params.dnr) } }, include: includeMatter });
    if (!x) throw notFound(`matter "${req.params.dnr}"`);
    return x;
  };
  const MATTER_EXAMPLE = { id: '3b2d…', type: 'Paper', dnr: '2027-00012', name: 'Ansökan om medel: Steg framåt', kind: 'funding_application', owner: 'official', status: 'on_agenda', meeting: { id: '6f1c…', name: 'Styrelsemöte', start: '2027-02-25T08:00:00.000Z' }, consultation: [] };

  const matterQuery = {
    status: { schema: { enum: [...MATTER_STATUSES] }, description: 'only matters in this state' },
    kind: { schema: { enum: [...MATTER_KINDS] }, description: 'only matters of this kind' },
    year: { schema: { type: 'integer', minimum: 2000, maximum: 2100 }, description: 'only matters registered this year (the year of the Dnr)' },
    q: { schema: { type: 'string', maxLength: MATTER_Q_MAX }, description: 'a text in the Dnr or the title, without regard to case' },
    page: { schema: { type: 'integer', minimum: 1 }, description: 'page, from 1' },
    limit: { schema: { type: 'integer', minimum: 1, maximum: 200 }, description: 'items per page (default 50)' },
  };
  forbundRoute(r, { method: 'get', path: '/matters', summary: 'matters (ärenden) by Dnr, newest first, paginated; filtered by state, kind, year and a text in the Dnr or title (400 naming the field for a wrong value)', roles: [...READERS], query: matterQuery, response: { example: { data: [MATTER_EXAMPLE] } } }, async (req, res) => {
    const p = page(req);
    const fields: FieldError[] = [];
    const one = (name: string) => {
      const v = req.query[name];
      if (v === undefined) return undefined;
      if (typeof v !== 'string') {
        fields.push({ field: name, problem: 'must be given once' });
        return undefined;
      }
      return v;
    };
    const [status, kind, year, q] = [one('status'), one('kind'), one('year'), one('q')];
    if (status !== undefined && !(MATTER_STATUSES as readonly string[]).includes(status)) fields.push({ field: 'status', problem: `must be one of ${MATTER_STATUSES.join(', ')}` });
    if (kind !== undefined && !(MATTER_KINDS as readonly string[]).includes(kind)) fields.push({ field: 'kind', problem: `must be one of ${MATTER_KINDS.join(', ')}` });
    if (year !== undefined && !(/^\d{4}$/.test(year) && Number(year) >= 2000 && Number(year) <= 2100)) fields.push({ field: 'year', problem: 'must be a year written with four digits, 2000–2100' });
    if (q !== undefined && q.length > MATTER_Q_MAX) fields.push({ field: 'q', problem: `must be at most ${MATTER_Q_MAX} characters` });
    if (fields.length) throw badRequest(fields);
    const where = matterWhere(fid(req), { ...(status ? { status: status as MatterFilter['status'] } : {}), ...(kind ? { kind: kind as MatterFilter['kind'] } : {}), ...(year ? { year: Number(year) } : {}), ...(q ? { q } : {}) });
    await sendKept(deps, req, res, async () => {
      const [total, rows] = await Promise.all([prisma.matter.count({ where }), prisma.matter.findMany({ where, include: includeMatter, orderBy: [{ year: 'desc' }, { number: 'desc' }], skip: (p.page - 1) * p.limit, take: p.limit })]);
      const funding = await fundingViews(prisma, fid(req), rows);
      return pageResponse(req, rows.map((x) => matterView(req, x, funding.get(x.id))), total, p);
    });
  });

  forbundRoute(r, { method: 'get', path: '/matters/:dnr', summary: 'one matter with its consultations (the agenda items and decisions that took it up)', roles: [...READERS], params: { dnr: 'diarienummer, e.g. 2027-00012' }, response: { example: MATTER_EXAMPLE } }, async (req, res) => {
    const x = await matterByDnr(req);
    res.json(matterView(req, x, (await fundingViews(prisma, fid(req), [x])).get(x.id)));
  });

  forbundRoute<NewMatterBody>(
    r,
    {
      method: 'post',
      path: '/matters',
      summary: 'register a matter: it gets the next Dnr of the year and is headed for the next board meeting whose agenda is open (or the one given); 409 naming the other Dnr when an open matter has the same title (without regard to case and white space), unless confirmDuplicate',
      roles: ['admin'],
      body: {
        schema: obj(
          {
            title: str(300),
            kind: { enum: [...MATTER_KINDS] },
            owner: str(100, 'who is responsible: a role (official, secretary, economist, chair) or a person key'),
            preparingBody: { enum: ['beredningsgrupp', 'presidium'] },
            description: { type: 'string', maxLength: 20000 },
            documents: { type: 'array', maxItems: 50, items: obj({ title: str(300), url: { type: 'string', pattern: '^https?://\\S+$', maxLength: 2000 } }, ['title', 'url']) },
            meeting: str(100, 'id of the board meeting it is for'),
            confirmDuplicate: { type: 'boolean', description: 'register it even though an open matter of the förbund has the same title (without it such a request is answered 409 with the other Dnr)' },
            funding: {
              type: 'object',
              additionalProperties: false,
              required: ['projectKey', 'year', 'amount'],
              // The values are checked by the service, so each wrong one is named funding.<field> with what is wrong.
              properties: {
                projectKey: { description: 'key of the project (insats) the application is for' },
                year: { description: "the budget year applied for, a whole number within the project's period" },
                amount: { description: 'whole kronor applied for, more than 0' },
                budgetLineKey: { description: 'optional: the budget line of that year it draws on, a cost line of group project or administration' },
              },
              description: "only for kind funding_application: what is applied for. When the protokoll deciding the matter is justerat, a decision that does not refuse (avslå, avslås, avslag …) sets the project's grant for the year to the amount (project.granted)",
            },
          },
          ['title', 'kind', 'owner'],
        ),
        example: { title: 'Ansökan om medel: Steg framåt', kind: 'funding_application', owner: 'official', documents: [{ title: 'Ansökan', url: 'https://example.org/ansokan.pdf' }], funding: { projectKey: 'steg-framat', year: 2027, amount: 400000, budgetLineKey: 'insatser' } },
      },
      response: { status: 201, example: { ...MATTER_EXAMPLE, status: 'registered' } },
    },
    async (req, res) => {
      const { matter: x, workflowNotified } = await registerMatterChecked(deps, fid(req), req.valid, actor(req));
      const row = await prisma.matter.findUniqueOrThrow({ where: { id: x.id }, include: includeMatter });
      res.status(201).json({ ...matterView(req, row, (await fundingViews(prisma, fid(req), [row])).get(row.id)), workflowNotified });
    },
  );

  forbundRoute<{ meeting: string }>(
    r,
    {
      method: 'put',
      path: '/matters/:dnr/meeting',
      summary: "put a matter not yet on an agenda (registered or prepared) on a coming board meeting: planned, its kallelse not fixed and its agenda open for matters (for a matter moved on when there was no next meeting, or to take it to another meeting); its workflow is told. 400 naming meeting for another meeting, 409 once the matter is on an agenda or decided",
      roles: [...CLERKS],
      params: { dnr: 'diarienummer' },
      body: { schema: obj({ meeting: str(100, 'id of the board meeting') }, ['meeting']), example: { meeting: '6f1c…' } },
      response: { example: { ...MATTER_EXAMPLE, status: 'registered', workflowNotified: true } },
    },
    async (req, res) => {
      const r = await asHttp(setMatterMeetingFor(deps, fid(req), String(req.params.dnr), req.valid.meeting, actor(req)));
      res.json({ ...matterView(req, await prisma.matter.findUniqueOrThrow({ where: { id: r.matter.id }, include: includeMatter })), workflowNotified: r.workflowNotified });
    },
  );

  forbundRoute(r, { method: 'post', path: '/matters/:dnr/prepared', summary: 'the matter is prepared: it goes on its meeting\'s agenda when the agenda closes', roles: [...CLERKS], params: { dnr: 'diarienummer' } }, async (req, res) => {
    const x = await matterByDnr(req);
    res.json(await viaWorkflow(notifier.update({ matterId: x.id }, markPrepared, [{ actor: actor(req) }])));
  });

  forbundRoute<{ text: string }>(
    r,
    { method: 'post', path: '/matters/:dnr/report-back', summary: 'report back on the decision (återrapportering): the follow-up is done and the matter closes', roles: ['admin'], params: { dnr: 'diarienummer' }, body: { schema: obj({ text: str(10000) }, ['text']), example: { text: 'Avtal tecknat med huvudmannen 2027-03-15.' } } },
    async (req, res) => {
      const x = await matterByDnr(req);
      noIdentityNumbers({ text: req.valid.text });
      res.json(await viaWorkflow(notifier.update({ matterId: x.id }, reportBack, [{ actor: actor(req), text: req.valid.text }])));
    },
  );

  // --- persons and memberships (OParl Person, Membership) ---

  forbundRoute(r, { method: 'get', path: '/persons', summary: 'the people of the förbund with their roles', roles: [...READERS], response: { example: { data: [{ id: 'c1…', key: 'anna-ledamot', name: 'Anna Ledamot', email: 'anna@example.org', roles: ['board_member'] }] } } }, async (req, res) => {
    const p = page(req);
    const where = { forbundId: fid(req) };
    const [total, rows] = await Promise.all([prisma.person.count({ where }), prisma.person.findMany({ where, orderBy: { key: 'asc' }, skip: (p.page - 1) * p.limit, take: p.limit })]);
    res.json(pageResponse(req, rows.map((x) => ({ id: x.id, type: 'Person', key: x.key, name: x.name, email: x.email, roles: x.roles })), total, p));
  });

  forbundRoute(r, { method: 'get', path: '/memberships', summary: 'the board roster on a day: ledamöter and ersättare (in calling-in order) with their member organisation and mandatperiod', roles: [...READERS], query: { date: { schema: date, description: 'the day (default today)' } }, response: { example: { date: '2027-02-25', data: [{ person: { key: 'anna-ledamot', name: 'Anna Ledamot' }, role: 'chair', seat: 'ledamot', onBehalfOf: 'Leksands kommun', order: null, startDate: '2023-01-01', endDate: '2026-12-31' }] } } }, async (req, res) => {
    const day = req.query.date === undefined ? toStockholmDate(deps.now()) : String(req.query.date);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw badRequest([{ field: 'date', problem: 'must be a date YYYY-MM-DD' }]);
    const [roster, members, people] = await Promise.all([rosterOf(prisma, fid(req), day), prisma.member.findMany({ where: { forbundId: fid(req) } }), prisma.person.findMany({ where: { forbundId: fid(req) } })]);
    const memberName = new Map(members.map((x) => [x.id, x.name]));
    const key = new Map(people.map((x) => [x.id, x.key]));
    const seats = roster.sort((a, b) => Number(a.role === 'deputy') - Number(b.role === 'deputy') || (a.order ?? 0) - (b.order ?? 0) || a.name.localeCompare(b.name, 'sv'));
    res.json({ date: day, data: seats.map((s) => ({ type: 'Membership', person: { key: key.get(s.personId), name: s.name }, role: s.role, seat: s.role === 'deputy' ? 'ersattare' : 'ledamot', votingRight: s.role !== 'deputy', onBehalfOf: s.memberId ? memberName.get(s.memberId) ?? null : null, order: s.order, startDate: s.from, endDate: s.to })) });
  });

  // --- the "can't come" link of an invite (public, by its token) ---
  // Swedish pages (api/pages/forhinder.ts). Opening the link changes nothing (a mail scanner
  // opens links); the POST reports the förhinder, and once recorded the link says what was
  // recorded and offers "Jag kan ändå komma". From the meeting's start the link no longer acts.

  type Html = { status: number; html: string };
  /** The link's meeting and person, or the page to answer with (403 for a forged token, 404 when gone). */
  async function declineTarget(req: Request): Promise<{ m: MeetingRow & { forbund: { name: string; email: string } }; person: { id: string; name: string }; token: string } | Html> {
    const meetingId = String(req.params.id);
    const personId = String(req.params.personId);
    const token = String(req.query.token ?? '');
    // A renewed link's earlier token: the page says so, and whom to ask (nothing of the meeting).
    const link = await checkLink(prisma, deps.linkSecret, declinePurpose(meetingId, personId), token);
    if (link === 'renewed') {
      const replaced = await replacedMeetingLinkPage(prisma, meetingId, 'sammanträdet');
      return replaced ? { status: 403, html: replaced } : { status: 404, html: invalidLinkPage('gone') };
    }
    if (link !== 'current') return { status: 403, html: invalidLinkPage('token') };
    const [m, person] = await Promise.all([prisma.meeting.findUnique({ where: { id: meetingId }, include: { forbund: true } }), prisma.person.findUnique({ where: { id: personId } })]);
    if (!m || !person) return { status: 404, html: invalidLinkPage('gone') };
    return { m, person, token };
  }

  /** What the link's pages show: the meeting, the person's seat, who stands in for them, whom to ask. */
  async function declineView(m: MeetingRow & { forbund: { name: string; email: string } }, person: { id: string; name: string }, token: string) {
    const att = await attendanceOf(prisma, m);
    const row = att.rows.find((x) => x.personId === person.id);
    // A called-in ersättare stands in for a ledamot: the seat (and its member) is the ledamot's.
    const ledamotId = row?.seat === 'ersattare' && row.forPersonId ? row.forPersonId : person.id;
    const seatOf = (id: string) => att.roster.find((s) => s.personId === id);
    const memberId = (seatOf(ledamotId) ?? seatOf(person.id))?.memberId;
    const [member, secretary] = await Promise.all([memberId ? prisma.member.findUnique({ where: { id: memberId } }) : null, ownersOf(prisma, m.forbundId, 'secretary')]);
    const standIn = att.rows.find((x) => x.seat === 'ersattare' && x.forPersonId === ledamotId && x.status === 'invited' && x.personId !== person.id);
    const forName = row?.seat === 'ersattare' && row.forPersonId ? (att.rows.find((x) => x.personId === row.forPersonId)?.person.name ?? seatOf(row.forPersonId)?.name ?? null) : null;
    const contact: Contact = secretary[0] ? { role: 'secretary', name: secretary[0].name, email: secretary[0].email } : { role: 'office', name: m.forbund.name, email: m.forbund.email };
    const meeting: ForhinderMeeting = { forbundName: m.forbund.name, kind: m.kind, title: m.title, when: meetingTime(m), location: m.location };
    return {
      row,
      meeting,
      contact,
      person: { name: person.name, seat: (row?.seat ?? 'ledamot') as ForhinderPerson['seat'], memberName: member?.name ?? null, forName },
      calledIn: standIn?.person.name ?? null,
      /** Whether a förhinder now would call someone in (an ersättare of the same member is free). */
      anyoneToCall: row ? Boolean(ersattareFor(att.roster, att.called, person.id)) : false,
      action: `?token=${encodeURIComponent(token)}`,
    };
  }

  /** The page when the link no longer acts: 410 once the meeting has begun or is cancelled, 409 for one not called to it. */
  function closedFor(m: MeetingRow, v: Awaited<ReturnType<typeof declineView>>): Html | undefined {
    // The link's expiry (domain/lankar.ts): from the meeting's start, or once it is cancelled.
    const closed = declineLinkClosed(m, deps.now());
    if (closed) return { status: 410, html: closedPage({ meeting: v.meeting, contact: v.contact, why: closed }) };
    if (!v.row) return { status: 409, html: closedPage({ meeting: v.meeting, contact: v.contact, why: 'not-called' }) };
    return undefined;
  }
  const send = (res: Response, p: Html) => void res.status(p.status).type('html').send(p.html);

  publicRoute(pub, { method: 'get', path: '/meetings/:id/forhinder/:personId', summary: "the invite's \"can't come\" link: a page (Swedish) that asks to confirm (a link opened by a mail scanner changes nothing); once the förhinder is recorded, what was recorded (who is called in instead, or that nobody could be) with \"Jag kan ändå komma\"; 410 once the meeting has begun or is cancelled, 409 for one not called to it, 403 for a forged token", params: { id: 'meeting id', personId: 'person id' }, query: { token: { schema: { type: 'string' }, description: 'the secret token of the link' } }, response: { contentType: 'text/html' } }, async (req, res) => {
    const t = await declineTarget(req);
    if ('html' in t) return send(res, t);
    const v = await declineView(t.m, t.person, t.token);
    const closed = closedFor(t.m, v);
    if (closed) return send(res, closed);
    if (v.row!.status === 'declined') return send(res, { status: 200, html: recordedPage({ ...v, justNow: false }) });
    send(res, { status: 200, html: askPage(v) });
  });

  publicRoute(
    pub,
    {
      method: 'post',
      path: '/meetings/:id/forhinder/:personId',
      summary: 'answer the link (HTML form field svar): "forhinder" (the default) reports the förhinder, and the next ersättare of the same member is called in, or nobody when none of them is free; "kommer" (Jag kan ändå komma) after a förhinder: the förhinder is withdrawn, the person is called again and the ersättare called in for them is released (told, with a calendar CANCEL). HTML answers; 410 once the meeting has begun or is cancelled',
      params: { id: 'meeting id', personId: 'person id' },
      query: { token: { schema: { type: 'string' }, description: 'the secret token of the link' } },
      response: { contentType: 'text/html' },
    },
    async (req, res) => {
      const t = await declineTarget(req);
      if ('html' in t) return send(res, t);
      const v = await declineView(t.m, t.person, t.token);
      const closed = closedFor(t.m, v);
      if (closed) return send(res, closed);
      const answer = String((req.body as { svar?: unknown } | undefined)?.svar ?? 'forhinder');
      const declined = v.row!.status === 'declined';
      if (answer === 'kommer') {
        if (!declined) return send(res, { status: 200, html: askPage({ ...v, notice: 'Du har inte anmält något förhinder, så du är fortfarande kallad.' }) });
        try {
          const r = await viaWorkflow(notifier.update({ meetingId: t.m.id }, withdrawDecline, [{ actor: `decline-link:${t.person.id}`, personId: t.person.id }]));
          return send(res, { status: 200, html: comeAnywayPage({ ...v, released: r.released }) });
        } catch (err) {
          if (!(err instanceof HttpError)) throw err;
          return send(res, err.status === 409 ? { status: 409, html: closedPage({ meeting: v.meeting, contact: v.contact, why: 'refused' }) } : { status: err.status, html: failedPage({ meeting: v.meeting, contact: v.contact, unavailable: err.status === 503 }) });
        }
      }
      if (answer !== 'forhinder') return send(res, { status: 400, html: askPage({ ...v, notice: 'Svaret gick inte att läsa. Välj igen.' }) });
      // Sent twice (a double click, the back button): what was recorded, nothing more.
      if (declined) return send(res, { status: 200, html: recordedPage({ ...v, justNow: false }) });
      try {
        const r = await viaWorkflow(notifier.update({ meetingId: t.m.id }, declineMeeting, [{ actor: `decline-link:${t.person.id}`, personId: t.person.id }]));
        send(res, { status: 200, html: recordedPage({ ...v, calledIn: r.calledIn, justNow: true }) });
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        // 409: the workflow refused (the meeting began or was cancelled in between).
        send(res, err.status === 409 ? { status: 409, html: closedPage({ meeting: v.meeting, contact: v.contact, why: 'refused' }) } : { status: err.status, html: failedPage({ meeting: v.meeting, contact: v.contact, unavailable: err.status === 503 }) });
      }
    },
  );

  // --- the justering link of the protokoll (public, by its token) ---
  // The ordförande and each justerare get a personal link (services/links.ts signLink) when the
  // minutes are sent for justering. Swedish pages (api/pages/justering.ts): the protokoll as
  // text and its exact PDF with the SHA-256, who has signed; opening the link changes nothing.
  // The POST signs through the meeting's workflow (signMinutes), which checks the signer, the
  // hash and the stage; the last signature justerar the protokoll.

  type SignMeeting = MeetingRow & { forbund: { name: string; email: string; slug: string } };

  /** The link's meeting and person, or the page to answer with (403 for a forged token: nothing of the meeting; 404 when gone). */
  async function signTarget(req: Request): Promise<{ m: SignMeeting; person: { id: string; name: string }; token: string } | Html> {
    const meetingId = String(req.params.id);
    const personId = String(req.params.personId);
    const token = String(req.query.token ?? '');
    const link = await checkLink(prisma, deps.linkSecret, signPurpose(meetingId, personId), token);
    if (link === 'renewed') {
      const replaced = await replacedMeetingLinkPage(prisma, meetingId, 'protokollet');
      return replaced ? { status: 403, html: replaced } : { status: 404, html: justeringPages.invalidLinkPage('gone') };
    }
    if (link !== 'current') return { status: 403, html: justeringPages.invalidLinkPage('token') };
    const [m, person] = await Promise.all([prisma.meeting.findUnique({ where: { id: meetingId }, include: { forbund: true } }), prisma.person.findUnique({ where: { id: personId } })]);
    if (!m || !person || m.kind !== 'styrelse' || person.forbundId !== m.forbundId) return { status: 404, html: justeringPages.invalidLinkPage('gone') };
    return { m, person, token };
  }

  /** Who signs the protokoll (the ordförande and the justerare), each with when they signed. */
  async function signersOf(m: SignMeeting) {
    return (await protocolSigners(prisma, m)).map(({ signedAt, ...x }) => ({ ...x, ...(signedAt ? { signedAt: signedAt.toISOString() } : {}) }));
  }

  /** What the link's pages show, or the page when the link does not act: 409 before the minutes are sent for justering, or for one who does not sign them. */
  async function signView(m: SignMeeting, person: { id: string; name: string }, token: string): Promise<justeringPages.JusteringView | Html> {
    const secretary = (await ownersOf(prisma, m.forbundId, 'secretary'))[0];
    const contact: Contact = secretary ? { role: 'secretary', name: secretary.name, email: secretary.email } : { role: 'office', name: m.forbund.name, email: m.forbund.email };
    const meeting: justeringPages.JusteringMeeting = { forbundName: m.forbund.name, title: m.title, when: meetingTime(m), location: m.location };
    const doc = await prisma.protocolDocument.findUnique({ where: { meetingId: m.id }, select: { sha256: true } });
    if (!m.minutesSentAt || !doc) return { status: 409, html: justeringPages.closedPage({ meeting, contact, why: 'not-sent' }) };
    const signers = await signersOf(m);
    const me = signers.find((x) => x.personId === person.id);
    if (!me) return { status: 409, html: justeringPages.closedPage({ meeting, contact, why: 'not-signer' }) };
    const q = `?token=${encodeURIComponent(token)}`;
    return {
      meeting,
      contact,
      person: { name: person.name, role: me.role },
      // As the protokoll has them: its items without the handlingar uploaded since.
      items: await agendaLinesOf(prisma, m.id, { handlingar: false }),
      sha256: doc.sha256,
      pdfHref: `/meetings/${encodeURIComponent(m.id)}/justera/${encodeURIComponent(person.id)}/protokoll.pdf${q}`,
      action: q,
      anslagHref: `/forbund/${encodeURIComponent(m.forbund.slug)}/anslag`,
      signers: signers.map(({ name, role, signedAt }) => ({ name, role, ...(signedAt ? { signedAt } : {}) })),
      ...(me.signedAt ? { signedAt: me.signedAt } : {}),
      ...(m.justeradAt ? { justeradAt: m.justeradAt.toISOString() } : {}),
    };
  }

  const signQuery = { token: { schema: { type: 'string' }, description: 'the secret token of the link' } };

  publicRoute(pub, { method: 'get', path: '/meetings/:id/justera/:personId', summary: "the personal justering link of the ordförande or a justerare: a page (Swedish) with the protokoll as sent for justering (its §§ and decisions as text, a link to the exact PDF and its SHA-256), who has signed and who has not, and the form \"Jag har läst protokollet och justerar det\" (carrying the SHA-256 shown); once signed, when; once justerat, when and by whom. 409 before the minutes are sent for justering or for one who does not sign them, 403 for a forged token", params: { id: 'meeting id', personId: 'person id' }, query: signQuery, response: { contentType: 'text/html' } }, async (req, res) => {
    const t = await signTarget(req);
    if ('html' in t) return send(res, t);
    const v = await signView(t.m, t.person, t.token);
    if ('html' in v) return send(res, v);
    res.setHeader('Cache-Control', 'private, no-store');
    send(res, { status: 200, html: justeringPages.justeraPage(v) });
  });

  publicRoute(pub, { method: 'get', path: '/meetings/:id/justera/:personId/protokoll.pdf', summary: 'the exact protokoll PDF sent for justering (the one whose SHA-256 the justering page shows and the signature records), through the same personal link', params: { id: 'meeting id', personId: 'person id' }, query: signQuery, response: { contentType: 'application/pdf' } }, async (req, res) => {
    const t = await signTarget(req);
    if ('html' in t) return send(res, t);
    const v = await signView(t.m, t.person, t.token);
    if ('html' in v) return send(res, v);
    const doc = await prisma.protocolDocument.findUnique({ where: { meetingId: t.m.id }, select: { pdf: true } });
    if (!doc) return send(res, { status: 404, html: justeringPages.invalidLinkPage('gone') });
    res
      .type('application/pdf')
      .setHeader('Content-Disposition', `inline; filename="protokoll-${toStockholmDate(t.m.startsAt)}.pdf"`)
      .setHeader('Cache-Control', 'private, no-store')
      .send(Buffer.from(doc.pdf));
  });

  publicRoute(
    pub,
    {
      method: 'post',
      path: '/meetings/:id/justera/:personId',
      summary: 'sign the protokoll through the personal link (HTML form field sha256: the SHA-256 of the PDF the page showed); the meeting\'s workflow records the signature (signMinutes: the time, the address and the user agent with the hash) and the last signature justerar the protokoll and puts up the anslag. HTML answers: a receipt; 409 when the protokoll changed since the page was shown or the workflow refuses; 503 when the workflow cannot be reached (nothing done)',
      params: { id: 'meeting id', personId: 'person id' },
      query: signQuery,
      response: { contentType: 'text/html' },
    },
    async (req, res) => {
      const t = await signTarget(req);
      if ('html' in t) return send(res, t);
      const v = await signView(t.m, t.person, t.token);
      if ('html' in v) return send(res, v);
      // Sent twice (a double click, the back button), or justerat already: what stands, nothing more.
      if (v.signedAt || v.justeradAt) return send(res, { status: 200, html: justeringPages.justeraPage(v) });
      const posted = String((req.body as { sha256?: unknown } | undefined)?.sha256 ?? '').trim().toLowerCase();
      if (posted !== v.sha256.toLowerCase()) {
        return send(res, { status: 409, html: justeringPages.justeraPage({ ...v, notice: 'Protokollet har ändrats sedan sidan visades, så inget justerades. Läs den version som visas nu och justera den.' }) });
      }
      try {
        await viaWorkflow(notifier.update({ meetingId: t.m.id }, signMinutes, [{ actor: 'justering-link', personId: t.person.id, pdfSha256: posted, fromAddress: req.ip ?? '', userAgent: req.get('user-agent') ?? '' }]));
        // The receipt says what the record now holds: the signature, and the justering if this was the last.
        const after = await signView(await prisma.meeting.findUniqueOrThrow({ where: { id: t.m.id }, include: { forbund: true } }), t.person, t.token);
        if ('html' in after || !after.signedAt) return send(res, 'html' in after ? after : { status: 200, html: justeringPages.justeraPage(after) });
        send(res, { status: 200, html: justeringPages.signedPage({ ...after, signedAt: after.signedAt }) });
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        // 409: the workflow refused (the PDF was replaced, the person no longer signs, the stage moved on).
        send(res, err.status === 409 ? { status: 409, html: justeringPages.closedPage({ meeting: v.meeting, contact: v.contact, why: 'refused' }) } : { status: err.status, html: justeringPages.failedPage({ meeting: v.meeting, contact: v.contact, unavailable: err.status === 503 }) });
      }
    },
  );

  return { forbund: r, public: pub };
}

