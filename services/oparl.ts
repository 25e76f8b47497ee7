// The board's public work as OParl 1.1 objects (https://oparl.org, schema in OParl/spec
// schema/*.json), so a municipality's portal or an aggregator reads every förbund the same way.
// Built only from services/offentligt.ts — exactly what the public pages show, by the same rules
// (domain/offentlighet.ts) — as one graph per förbund, which the routes (api/oparl.ts) keep ready
// per förbund, day and data version, and from which they serve the lists and the single objects.
//
// The mapping:
//   System        the deployment (one)
//   Body          a förbund
//   Organization  its styrelse (organizationType "Gremium"), and each member organisation
//                 ("Institution"), which a board seat is held on behalf of (Membership.onBehalfOf)
//   Person        a ledamot or ersättare whose mandatperiod holds today: name, role, never e-mail
//   Membership    the seat: role in Swedish, votingRight (ledamöter), the mandatperiod
//   Meeting       a board meeting: invitation = the kallelse PDF once sent, resultsProtocol = the
//                 justerat protokoll as filed once the anslag is posted, agendaItem once the kallelse
//                 is sent
//   AgendaItem    an item of a sent föredragningslista; resolutionText only once justerat
//   Consultation  an agenda item's handling of a matter (id: the agenda item's)
//   Paper         a matter on a sent agenda; reference = the Dnr
//   File          a public handling (the version a kallelse carried), the kallelse, the protokoll
//   Location      a meeting's place
// Vendor properties (OParl 3.0 "Herstellerspezifische Erweiterungen") carry what OParl has no
// field for, prefixed "arscykel:": an item's förslag till beslut and § and its matter's Dnr, a
// handling's SHA-256 and version.
//
// Times: `created` is the row's own creation where one is kept (a matter, a handling's upload);
// meetings, agenda items, people and organisations keep none, and give the day the förbund was
// first imported (none of them can be older in Årscykel). `modified` is the last change the public
// can see: for a meeting its row or its kallelse, justering or anslag; an agenda item its meeting's
// (it is fixed by the kallelse and its decision by the justering); a handling the kallelse that
// made it public. Nothing is ever marked deleted: what was public stays public, and what is not
// public is never shown.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { toStockholmDate } from '../domain/dates.js';
import { publicBoardMeetings, publicBoardPeople, publicMeeting, publicPapers, type PublicFile, type PublicMeeting, type PublicMeetingDetail } from './offentligt.js';

type Db = PrismaClient | Prisma.TransactionClient;

/** Where the OParl API is served, under the deployment's public base URL. */
export const OPARL_PATH = '/oparl/v1';
export const OPARL_VERSION = 'https://schema.oparl.org/1.1/';

export type OparlType = 'System' | 'Body' | 'Organization' | 'Person' | 'Membership' | 'Meeting' | 'AgendaItem' | 'Consultation' | 'Paper' | 'File' | 'Location' | 'Error';
export const oparlType = (t: OparlType) => `https://schema.oparl.org/1.1/${t}`;

/** An OParl object as served: always id, type, created, modified and deleted. */
export type OparlObject = { id: string; type: string; created: string; modified: string; deleted: boolean } & Record<string, unknown>;

/** The external lists of a Body. */
export const BODY_LISTS = ['organization', 'person', 'membership', 'meeting', 'agendaItem', 'paper', 'file'] as const;
export type BodyList = (typeof BODY_LISTS)[number];

/** OParl's date-time: yyyy-mm-ddThh:mm:ss±hh:mm (given in UTC). */
export const oparlDateTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');

/** Every URL of the API and of the public pages an object links to, absolute under the deployment's base URL. */
export function oparlUrls(publicBaseUrl: string) {
  const site = publicBaseUrl.replace(/\/+$/, '');
  const b = `${site}${OPARL_PATH}`;
  const e = encodeURIComponent;
  return {
    site,
    system: `${b}/system`,
    bodies: `${b}/body`,
    body: (slug: string) => `${b}/body/${e(slug)}`,
    bodyList: (slug: string, list: BodyList) => `${b}/body/${e(slug)}/${list}`,
    organization: (id: string) => `${b}/organization/${e(id)}`,
    person: (id: string) => `${b}/person/${e(id)}`,
    membership: (id: string) => `${b}/membership/${e(id)}`,
    meeting: (id: string) => `${b}/meeting/${e(id)}`,
    location: (meetingId: string) => `${b}/meeting/${e(meetingId)}/location`,
    invitation: (meetingId: string) => `${b}/meeting/${e(meetingId)}/invitation`,
    resultsProtocol: (meetingId: string) => `${b}/meeting/${e(meetingId)}/resultsProtocol`,
    agendaItem: (id: string) => `${b}/agendaItem/${e(id)}`,
    consultation: (agendaItemId: string) => `${b}/consultation/${e(agendaItemId)}`,
    paper: (id: string) => `${b}/paper/${e(id)}`,
    file: (id: string) => `${b}/file/${e(id)}`,
    fileAccess: (id: string) => `${b}/file/${e(id)}/access`,
    // The public pages (api/offentligt.ts, api/publicering.ts).
    web: {
      forbund: (slug: string) => `${site}/forbund/${e(slug)}`,
      meetings: (slug: string) => `${site}/forbund/${e(slug)}/moten`,
      meeting: (slug: string, id: string) => `${site}/forbund/${e(slug)}/moten/${e(id)}`,
      decisions: (slug: string) => `${site}/forbund/${e(slug)}/beslut`,
      anslag: (slug: string) => `${site}/forbund/${e(slug)}/anslag`,
      handling: (slug: string, id: string) => `${site}/forbund/${e(slug)}/handlingar/${e(id)}`,
    },
  };
}
export type OparlUrls = ReturnType<typeof oparlUrls>;

/** The kinds of matter as a Paper's paperType (Swedish, as the public reads them). */
export const PAPER_TYPE_SV: Record<string, string> = {
  funding_application: 'Ansökan om medel',
  report: 'Rapport',
  budget: 'Budget',
  policy: 'Styrdokument',
  deficit: 'Prognostiserat underskott',
  other: 'Ärende',
};

/** One förbund's public work as OParl objects. */
export interface OparlGraph {
  forbundId: string;
  slug: string;
  body: OparlObject;
  lists: Record<BodyList, OparlObject[]>;
  /** Every object by its id (URL): the lists' and the internal ones (locations, consultations, the kallelse and protokoll files). */
  byId: Map<string, OparlObject>;
}

interface ForbundFacts {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
  /** The förbund row or its last import, whichever is later. */
  written: Date;
  styrelse: { id: string; name: string } | null;
}

async function forbundFacts(prisma: Db, forbundId: string): Promise<ForbundFacts | null> {
  const f = await prisma.forbund.findUnique({ where: { id: forbundId }, select: { id: true, slug: true, name: true, createdAt: true, updatedAt: true, bodies: { where: { kind: 'styrelse' }, select: { id: true, name: true } } } });
  if (!f) return null;
  const lastImport = await prisma.auditEvent.findFirst({ where: { forbundId, action: 'forbund.imported' }, orderBy: { at: 'desc' }, select: { at: true } });
  return { id: f.id, slug: f.slug, name: f.name, createdAt: f.createdAt, written: new Date(Math.max(f.updatedAt.getTime(), lastImport?.at.getTime() ?? 0)), styrelse: f.bodies[0] ?? null };
}

const base = (type: OparlType, id: string, created: Date, modified: Date, web?: string): OparlObject => ({
  id,
  type: oparlType(type),
  created: oparlDateTime(created),
  modified: oparlDateTime(new Date(Math.max(created.getTime(), modified.getTime()))),
  ...(web ? { web } : {}),
  deleted: false,
});

function bodyObject(u: OparlUrls, f: ForbundFacts): OparlObject {
  return {
    ...base('Body', u.body(f.slug), f.createdAt, f.written, u.web.forbund(f.slug)),
    system: u.system,
    name: f.name,
    classification: 'Samordningsförbund',
    ...(f.styrelse ? { mainOrganization: u.organization(f.styrelse.id) } : {}),
    organization: u.bodyList(f.slug, 'organization'),
    person: u.bodyList(f.slug, 'person'),
    membership: u.bodyList(f.slug, 'membership'),
    meeting: u.bodyList(f.slug, 'meeting'),
    agendaItem: u.bodyList(f.slug, 'agendaItem'),
    paper: u.bodyList(f.slug, 'paper'),
    file: u.bodyList(f.slug, 'file'),
    // Required by OParl; a förbund's mandatperiod is each member's, so none is given as the body's.
    legislativeTerm: [],
  };
}

/** The Body of a förbund alone (the list of bodies): cheaper than its whole graph. */
export async function oparlBody(prisma: Db, forbundId: string, publicBaseUrl: string): Promise<OparlObject | null> {
  const f = await forbundFacts(prisma, forbundId);
  return f ? bodyObject(oparlUrls(publicBaseUrl), f) : null;
}

/** The System: the deployment, its bodies' list. */
export async function oparlSystem(prisma: Db, publicBaseUrl: string): Promise<OparlObject> {
  const u = oparlUrls(publicBaseUrl);
  const agg = await prisma.forbund.aggregate({ _min: { createdAt: true }, _max: { updatedAt: true } });
  const created = agg._min.createdAt ?? new Date(0);
  return {
    ...base('System', u.system, created, agg._max.updatedAt ?? created),
    oparlVersion: OPARL_VERSION,
    body: u.bodies,
    name: 'Årscykel',
    website: u.site,
  };
}

const meetingState = (m: PublicMeeting) => (m.cancelled ? undefined : m.justeradAt ? 'durchgeführt' : m.kallelseSentAt ? 'eingeladen' : 'terminiert');

/**
 * The whole public graph of one förbund at `at` (the day's people and anslag); null for no such
 * förbund. Objects embedded in others are the same objects as in the lists.
 */
export async function oparlGraph(prisma: Db, forbundId: string, o: { publicBaseUrl: string; at: Date }): Promise<OparlGraph | null> {
  const f = await forbundFacts(prisma, forbundId);
  if (!f) return null;
  const u = oparlUrls(o.publicBaseUrl);
  const today = toStockholmDate(o.at);
  const [members, people, meetings, papers] = await Promise.all([
    prisma.member.findMany({ where: { forbundId }, select: { id: true, name: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    publicBoardPeople(prisma, forbundId, { on: today }),
    publicBoardMeetings(prisma, forbundId, { at: o.at }),
    publicPapers(prisma, forbundId, { skip: 0, take: 100_000 }).then((p) => p.items),
  ]);
  const details = new Map<string, PublicMeetingDetail>();
  for (const m of meetings) {
    if (!m.kallelseSentAt) continue;
    const d = await publicMeeting(prisma, forbundId, m.id, o.at);
    if (d) details.set(m.id, d);
  }
  const byId = new Map<string, OparlObject>();
  const add = <T extends OparlObject>(x: T): T => (byId.set(x.id, x), x);
  const styrelseUrl = f.styrelse ? u.organization(f.styrelse.id) : undefined;
  const body = add(bodyObject(u, f));

  // --- people, their seats, the board and the members they sit for ---
  const memberships = people.map((p) =>
    add({
      ...base('Membership', u.membership(p.membershipId), f.createdAt, p.modified),
      person: u.person(p.id),
      ...(styrelseUrl ? { organization: styrelseUrl } : {}),
      role: p.roleSv,
      votingRight: p.role !== 'deputy',
      ...(p.from ? { startDate: p.from } : {}),
      ...(p.to ? { endDate: p.to } : {}),
      ...(p.memberId ? { onBehalfOf: u.organization(p.memberId) } : {}),
    }),
  );
  const persons = people.map((p, i) =>
    add({
      ...base('Person', u.person(p.id), f.createdAt, p.modified),
      body: body.id,
      name: p.name,
      status: [p.member ? `${p.roleSv}, ${p.member}` : p.roleSv],
      membership: [memberships[i]],
    }),
  );
  const boardModified = new Date(Math.max(f.written.getTime(), ...people.map((p) => p.modified.getTime())));
  const organizations: OparlObject[] = [];
  if (f.styrelse && styrelseUrl) {
    organizations.push(
      add({
        ...base('Organization', styrelseUrl, f.createdAt, boardModified, u.web.meetings(f.slug)),
        body: body.id,
        name: f.styrelse.name,
        organizationType: 'Gremium',
        classification: 'Styrelse',
        ...(memberships.length ? { membership: memberships.map((m) => m.id) } : {}),
        meeting: u.bodyList(f.slug, 'meeting'),
        memberCount: people.length,
        votingMemberCount: people.filter((p) => p.role !== 'deputy').length,
      }),
    );
  }
  for (const m of members) {
    organizations.push(
      add({
        ...base('Organization', u.organization(m.id), f.createdAt, f.written),
        body: body.id,
        name: m.name,
        organizationType: 'Institution',
        classification: 'Medlem',
      }),
    );
  }

  // --- the handlingar: one object per version, wherever it is embedded ---
  type FileRefs = { file: PublicFile; meetings: Set<string>; agendaItems: Set<string>; papers: Set<string> };
  const handlingar = new Map<string, FileRefs>();
  const refer = (file: PublicFile, ref: { meeting?: string; agendaItem?: string; paper?: string }) => {
    const r = handlingar.get(file.id) ?? { file, meetings: new Set<string>(), agendaItems: new Set<string>(), papers: new Set<string>() };
    if (ref.meeting) r.meetings.add(ref.meeting);
    if (ref.agendaItem) r.agendaItems.add(ref.agendaItem);
    if (ref.paper) r.papers.add(ref.paper);
    handlingar.set(file.id, r);
  };
  for (const d of details.values()) for (const i of d.agenda) for (const file of i.files) refer(file, { meeting: u.meeting(d.id), agendaItem: u.agendaItem(i.id), paper: u.paper(file.matterId) });
  for (const p of papers) for (const file of p.files) refer(file, { paper: u.paper(p.id) });
  const fileObjects = new Map<string, OparlObject>();
  for (const { file, meetings: ms, agendaItems: is, papers: ps } of [...handlingar.values()].sort((a, b) => a.file.publishedAt.getTime() - b.file.publishedAt.getTime() || a.file.id.localeCompare(b.file.id))) {
    fileObjects.set(
      file.id,
      add({
        ...base('File', u.file(file.id), file.uploadedAt, file.publishedAt),
        name: file.title,
        fileName: file.fileName,
        mimeType: file.contentType,
        date: toStockholmDate(file.uploadedAt),
        size: file.size,
        accessUrl: u.fileAccess(file.id),
        downloadUrl: u.web.handling(f.slug, file.id),
        ...(ms.size ? { meeting: [...ms] } : {}),
        ...(is.size ? { agendaItem: [...is] } : {}),
        ...(ps.size ? { paper: [...ps] } : {}),
        'arscykel:sha256': file.sha256,
        'arscykel:version': file.version,
      }),
    );
  }
  const filesOf = (fs: PublicFile[]) => fs.map((x) => fileObjects.get(x.id)!);

  // --- meetings, their agenda, places, kallelse and protokoll ---
  const meetingObjects: OparlObject[] = [];
  const agendaObjects: OparlObject[] = [];
  const meetingFiles: OparlObject[] = [];
  const consultationsOf = new Map<string, OparlObject[]>();
  for (const m of meetings) {
    const id = u.meeting(m.id);
    const web = u.web.meeting(f.slug, m.id);
    const created = new Date(Math.min(f.createdAt.getTime(), m.modified.getTime()));
    const date = toStockholmDate(m.startsAt);
    const location = m.location
      ? add({ ...base('Location', u.location(m.id), created, m.modified), description: m.location, meetings: [id] })
      : undefined;
    const invitation =
      m.kallelseHref && m.kallelseSentAt
        ? add({
            ...base('File', u.invitation(m.id), m.kallelseSentAt, m.kallelseSentAt, web),
            name: `Kallelse till styrelsens sammanträde ${date}`,
            fileName: `kallelse-${date}.pdf`,
            mimeType: 'application/pdf',
            date: toStockholmDate(m.kallelseSentAt),
            accessUrl: `${u.site}${m.kallelseHref}`,
            meeting: [id],
          })
        : undefined;
    const protocol =
      m.protokollHref && m.justeradAt
        ? add({
            ...base('File', u.resultsProtocol(m.id), m.justeradAt, m.anslagPostedAt ?? m.justeradAt, u.web.anslag(f.slug)),
            name: `Protokoll från styrelsens sammanträde ${date}`,
            fileName: `protokoll-${date}.pdf`,
            mimeType: 'application/pdf',
            date: toStockholmDate(m.justeradAt),
            accessUrl: `${u.site}${m.protokollHref}`,
            meeting: [id],
          })
        : undefined;
    if (invitation) meetingFiles.push(invitation);
    if (protocol) meetingFiles.push(protocol);
    const items = (details.get(m.id)?.agenda ?? []).map((i, order) => {
      const itemId = u.agendaItem(i.id);
      if (i.matter) {
        const c = add({
          ...base('Consultation', u.consultation(i.id), created, m.modified),
          paper: u.paper(i.matter.id),
          agendaItem: itemId,
          meeting: id,
          ...(styrelseUrl ? { organization: [styrelseUrl] } : {}),
          authoritative: i.decision !== null,
        });
        consultationsOf.set(i.matter.id, [...(consultationsOf.get(i.matter.id) ?? []), c]);
      }
      return add({
        ...base('AgendaItem', itemId, created, m.modified, web),
        meeting: id,
        number: String(i.number),
        order,
        name: i.title,
        ...(i.matter ? { consultation: u.consultation(i.id) } : {}),
        ...(i.decision !== null ? { resolutionText: i.decision } : {}),
        ...(i.files.length ? { auxiliaryFile: filesOf(i.files) } : {}),
        ...(i.proposal !== null ? { 'arscykel:proposal': i.proposal } : {}),
        ...(i.paragraph !== null ? { 'arscykel:paragraph': i.paragraph } : {}),
        ...(i.matter ? { 'arscykel:dnr': i.matter.dnr } : {}),
      });
    });
    agendaObjects.push(...items);
    const state = meetingState(m);
    meetingObjects.push(
      add({
        ...base('Meeting', id, created, m.modified, web),
        name: m.title,
        ...(state ? { meetingState: state } : {}),
        cancelled: m.cancelled,
        start: oparlDateTime(m.startsAt),
        end: oparlDateTime(m.endsAt),
        ...(location ? { location } : {}),
        ...(styrelseUrl ? { organization: [styrelseUrl] } : {}),
        ...(invitation ? { invitation } : {}),
        ...(protocol ? { resultsProtocol: protocol } : {}),
        ...(items.length ? { agendaItem: items } : {}),
      }),
    );
  }

  // --- papers: the matters on a sent agenda ---
  const paperObjects = papers.map((p) => {
    const last = p.agendaItems[p.agendaItems.length - 1];
    return add({
      ...base('Paper', u.paper(p.id), p.created, p.modified, last ? u.web.meeting(f.slug, last.meetingId) : undefined),
      body: body.id,
      name: p.title,
      reference: p.dnr,
      date: p.registeredOn,
      paperType: PAPER_TYPE_SV[p.kind] ?? PAPER_TYPE_SV.other,
      ...(p.files.length ? { auxiliaryFile: filesOf(p.files) } : {}),
      ...(consultationsOf.get(p.id)?.length ? { consultation: consultationsOf.get(p.id) } : {}),
    });
  });

  return {
    forbundId,
    slug: f.slug,
    body,
    lists: {
      organization: organizations,
      person: persons,
      membership: memberships,
      meeting: meetingObjects,
      agendaItem: agendaObjects,
      paper: paperObjects,
      file: [...fileObjects.values(), ...meetingFiles].sort((a, b) => a.created.localeCompare(b.created) || a.id.localeCompare(b.id)),
    },
    byId,
  };
}

/** The properties a client may ask to leave out (omit_internal=true): the internal lists of OParl 1.1's list. */
export function omitInternal(o: OparlObject): OparlObject {
  const drop: Record<string, string[]> = {
    [oparlType('AgendaItem')]: ['auxiliaryFile'],
    [oparlType('Meeting')]: ['auxiliaryFile', 'agendaItem'],
    [oparlType('Paper')]: ['auxiliaryFile', 'location'],
    [oparlType('Person')]: ['membership'],
  };
  const keys = drop[o.type];
  if (!keys) return o;
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k))) as OparlObject;
}

