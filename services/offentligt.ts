// What of the board's work is public, read from the database: the board's meetings, their
// föredragningslista once the kallelse is sent, the decisions of justerade protokoll, the matters on
// a public agenda with their public handlingar (metadata; the bytes through services/handlingar.ts
// and services/document-store.ts), and the board's members. One module for the public HTML pages
// (api/offentligt.ts) and the OParl JSON (api/oparl.ts), so both show exactly the same; the rules
// and why are in domain/offentlighet.ts. Only explicit columns are selected: never Document.content,
// never a person's e-mail, nothing of participants or reports.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { startOfStockholmDay, toStockholmDate, type IsoDate } from '../domain/dates.js';
import { agendaIsPublic, latestKallelse, meetingModified, protokollIsPublic, publicDecisionOf, publicSeats, publicVersions, publishedAt } from '../domain/offentlighet.js';

export interface PublicFile {
  id: string;
  title: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  version: number;
  uploadedAt: Date;
  matterId: string;
  /** The handling across its versions. */
  key: string;
  /** When this version became public: the first kallelse that carried it. */
  publishedAt: Date;
}

export interface PublicAgendaItem {
  id: string;
  number: number;
  title: string;
  kind: string;
  proposal: string | null;
  matter: { id: string; dnr: string; title: string; kind: string } | null;
  /** Only once the protokoll is justerat. */
  paragraph: number | null;
  decision: string | null;
  /** The matter's public handlingar as sent with this meeting's kallelse. */
  files: PublicFile[];
}

export interface PublicMeeting {
  id: string;
  year: number;
  title: string;
  startsAt: Date;
  endsAt: Date;
  location: string | null;
  cancelled: boolean;
  kallelseSentAt: Date | null;
  justeradAt: Date | null;
  /** The protokoll as filed on the anslagstavla (api/publicering.ts anslagProtocolPath), once justerat and the anslag posted. */
  protokollHref: string | null;
  /** The kallelse PDF ('/forbund/:slug/moten/:id/kallelse.pdf', served by api/offentligt.ts) once the kallelse is sent. */
  kallelseHref: string | null;
  modified: Date;
  /** When the anslag was posted (only when the protokoll is public). */
  anslagPostedAt: Date | null;
}

export interface PublicMeetingDetail extends PublicMeeting {
  /** Empty until the kallelse is sent. */
  agenda: PublicAgendaItem[];
}

export interface PublicDecision {
  meetingId: string;
  /** IsoDate of the meeting (Stockholm). */
  meetingDate: IsoDate;
  agendaItemId: string;
  paragraph: number;
  title: string;
  decision: string;
  dnr: string | null;
  matterId: string | null;
  /** When the protokoll was justerat. */
  justeradAt: Date;
}

export interface PublicPaper {
  id: string;
  dnr: string;
  title: string;
  kind: string;
  /** IsoDate the matter was registered (Stockholm). */
  registeredOn: IsoDate;
  /** Its public handlingar: as sent with the latest kallelse that carried it. */
  files: PublicFile[];
  /** Its items on board agendas whose kallelse is sent, by meeting start. */
  agendaItems: { meetingId: string; agendaItemId: string }[];
  modified: Date;
  /** When it was registered. */
  created: Date;
}

export interface PublicBoardPerson {
  /** Person.id */
  id: string;
  name: string;
  /** 'Ordförande' | 'Vice ordförande' | 'Ledamot' | 'Ersättare' */
  roleSv: string;
  /** chair, vice_chair, member or deputy */
  role: string;
  /** The member organisation's name ('' when the seat names none). */
  member: string;
  memberId: string | null;
  /** The mandatperiod (open when null). */
  from: IsoDate | null;
  to: IsoDate | null;
  /** The BodyMembership's id (one per person on the board). */
  membershipId: string;
  modified: Date;
}

type Db = PrismaClient | Prisma.TransactionClient;

const FILE_COLUMNS = { id: true, key: true, version: true, title: true, fileName: true, contentType: true, size: true, sha256: true, secret: true, uploadedAt: true, matterId: true } as const;
type FileRow = { id: string; key: string; version: number; title: string; fileName: string; contentType: string; size: number; sha256: string; secret: boolean; uploadedAt: Date; matterId: string };

const MEETING_COLUMNS = { id: true, year: true, title: true, startsAt: true, endsAt: true, location: true, status: true, kallelseSentAt: true, justeradAt: true, anslagPostedAt: true, updatedAt: true } as const;
type MeetingRow = { id: string; year: number; title: string; startsAt: Date; endsAt: Date; location: string | null; status: string; kallelseSentAt: Date | null; justeradAt: Date | null; anslagPostedAt: Date | null; updatedAt: Date };

/** A public version as listed; `kallelser` the sent kallelser of the board meetings whose agenda carries its matter. */
const toFile = (r: FileRow, kallelser: (Date | null)[]): PublicFile => ({
  id: r.id,
  title: r.title,
  fileName: r.fileName,
  contentType: r.contentType,
  size: r.size,
  sha256: r.sha256,
  version: r.version,
  uploadedAt: r.uploadedAt,
  matterId: r.matterId,
  key: r.key,
  publishedAt: publishedAt(r, kallelser) ?? r.uploadedAt,
});

/** The kallelser sent of the board meetings whose agenda carries each of these matters. */
async function kallelserOf(prisma: Db, matterIds: string[]): Promise<Map<string, Date[]>> {
  const out = new Map<string, Date[]>();
  if (!matterIds.length) return out;
  const rows = await prisma.agendaItem.findMany({
    where: { matterId: { in: [...new Set(matterIds)] }, meeting: { kind: 'styrelse', kallelseSentAt: { not: null } } },
    select: { matterId: true, meeting: { select: { kallelseSentAt: true } } },
  });
  for (const r of rows) out.set(r.matterId!, [...(out.get(r.matterId!) ?? []), r.meeting.kallelseSentAt!]);
  return out;
}

const enc = encodeURIComponent;
/** The kallelse PDF of a board meeting on the public pages. */
export const publicKallelsePath = (slug: string, meetingId: string) => `/forbund/${enc(slug)}/moten/${enc(meetingId)}/kallelse.pdf`;
/** The justerat protokoll as filed on the anslagstavla (the same path as api/publicering.ts anslagProtocolPath). */
export const publicProtokollPath = (slug: string, meetingId: string) => `/forbund/${enc(slug)}/anslag/${enc(meetingId)}/protokoll.pdf`;

const slugOf = async (prisma: Db, forbundId: string) => (await prisma.forbund.findUnique({ where: { id: forbundId }, select: { slug: true } }))?.slug;

function toMeeting(slug: string, m: MeetingRow, at: Date): PublicMeeting {
  const protokoll = protokollIsPublic(m, at);
  return {
    id: m.id,
    year: m.year,
    title: m.title,
    startsAt: m.startsAt,
    endsAt: m.endsAt,
    location: m.location,
    cancelled: m.status === 'cancelled',
    kallelseSentAt: m.kallelseSentAt,
    justeradAt: m.justeradAt,
    protokollHref: protokoll ? publicProtokollPath(slug, m.id) : null,
    kallelseHref: agendaIsPublic(m) ? publicKallelsePath(slug, m.id) : null,
    modified: meetingModified(m, at),
    anslagPostedAt: protokoll ? m.anslagPostedAt : null,
  };
}

/** The board's (kind styrelse) meetings, by start; `year` the meetings of that year. */
export async function publicBoardMeetings(prisma: Db, forbundId: string, opts: { year?: number; at?: Date } = {}): Promise<PublicMeeting[]> {
  const slug = await slugOf(prisma, forbundId);
  if (!slug) return [];
  const at = opts.at ?? new Date();
  const rows = await prisma.meeting.findMany({
    where: { forbundId, kind: 'styrelse', ...(opts.year !== undefined ? { year: opts.year } : {}) },
    select: MEETING_COLUMNS,
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map((m) => toMeeting(slug, m, at));
}

/** The versions of the handlingar of these matters (no content), by matter. */
async function versionsOf(prisma: Db, forbundId: string, matterIds: string[]): Promise<Map<string, FileRow[]>> {
  const out = new Map<string, FileRow[]>();
  if (!matterIds.length) return out;
  const rows = await prisma.document.findMany({ where: { forbundId, matterId: { in: [...new Set(matterIds)] } }, select: FILE_COLUMNS, orderBy: [{ uploadedAt: 'asc' }, { version: 'asc' }] });
  for (const r of rows) out.set(r.matterId, [...(out.get(r.matterId) ?? []), r]);
  return out;
}

/** A board meeting with its föredragningslista (empty until the kallelse is sent); null when there is no such board meeting. */
export async function publicMeeting(prisma: Db, forbundId: string, meetingId: string, at: Date = new Date()): Promise<PublicMeetingDetail | null> {
  const slug = await slugOf(prisma, forbundId);
  if (!slug) return null;
  const m = await prisma.meeting.findFirst({ where: { id: meetingId, forbundId, kind: 'styrelse' }, select: MEETING_COLUMNS });
  if (!m) return null;
  const meeting = toMeeting(slug, m, at);
  if (!agendaIsPublic(m)) return { ...meeting, agenda: [] };
  const items = await prisma.agendaItem.findMany({
    where: { meetingId: m.id },
    select: { id: true, number: true, title: true, kind: true, proposal: true, paragraph: true, decision: true, matter: { select: { id: true, dnr: true, title: true, kind: true } } },
    orderBy: [{ number: 'asc' }, { id: 'asc' }],
  });
  const matterIds = items.flatMap((i) => (i.matter ? [i.matter.id] : []));
  const [versions, kallelser] = await Promise.all([versionsOf(prisma, forbundId, matterIds), kallelserOf(prisma, matterIds)]);
  return {
    ...meeting,
    agenda: items.map((i) => ({
      id: i.id,
      number: i.number,
      title: i.title,
      kind: i.kind,
      proposal: i.proposal?.trim() ? i.proposal : null,
      matter: i.matter ? { id: i.matter.id, dnr: i.matter.dnr, title: i.matter.title, kind: i.matter.kind } : null,
      ...publicDecisionOf(m, i),
      files: i.matter ? publicVersions(versions.get(i.matter.id) ?? [], m.kallelseSentAt).map((v) => toFile(v, kallelser.get(i.matter!.id) ?? [])) : [],
    })),
  };
}

/** Decisions of justerade board protokoll: newest meeting first, then by §; `q` in the title, the decision or the Dnr (case-insensitive). */
export async function publicDecisions(prisma: Db, forbundId: string, opts: { q?: string; year?: number; skip: number; take: number }): Promise<{ total: number; items: PublicDecision[] }> {
  const q = opts.q?.trim();
  const where: Prisma.AgendaItemWhereInput = {
    meeting: { forbundId, kind: 'styrelse', justeradAt: { not: null }, ...(opts.year !== undefined ? { year: opts.year } : {}) },
    paragraph: { not: null },
    decision: { not: null },
    NOT: { decision: '' },
    ...(q
      ? {
          OR: [
            { title: { contains: q, mode: 'insensitive' } },
            { decision: { contains: q, mode: 'insensitive' } },
            { matter: { dnr: { contains: q, mode: 'insensitive' } } },
          ],
        }
      : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.agendaItem.count({ where }),
    prisma.agendaItem.findMany({
      where,
      select: { id: true, paragraph: true, title: true, decision: true, matter: { select: { id: true, dnr: true } }, meeting: { select: { id: true, startsAt: true, justeradAt: true } } },
      orderBy: [{ meeting: { startsAt: 'desc' } }, { meetingId: 'asc' }, { paragraph: 'asc' }, { number: 'asc' }],
      skip: opts.skip,
      take: opts.take,
    }),
  ]);
  return {
    total,
    items: rows.map((r) => ({
      meetingId: r.meeting.id,
      meetingDate: toStockholmDate(r.meeting.startsAt),
      agendaItemId: r.id,
      paragraph: r.paragraph!,
      title: r.title,
      decision: r.decision!,
      dnr: r.matter?.dnr ?? null,
      matterId: r.matter?.id ?? null,
      justeradAt: r.meeting.justeradAt!,
    })),
  };
}

/** A matter is public when it is on the agenda of a board meeting whose kallelse is sent. */
const PUBLIC_MATTER = (forbundId: string): Prisma.MatterWhereInput => ({ forbundId, agendaItems: { some: { meeting: { kind: 'styrelse', kallelseSentAt: { not: null } } } } });

const PAPER_SELECT = {
  id: true,
  dnr: true,
  title: true,
  kind: true,
  createdAt: true,
  updatedAt: true,
  agendaItems: {
    where: { meeting: { kind: 'styrelse' as const, kallelseSentAt: { not: null } } },
    select: { id: true, meeting: { select: { id: true, startsAt: true, kallelseSentAt: true } } },
  },
} as const;

type PaperRow = { id: string; dnr: string; title: string; kind: string; createdAt: Date; updatedAt: Date; agendaItems: { id: string; meeting: { id: string; startsAt: Date; kallelseSentAt: Date | null } }[] };

function toPaper(r: PaperRow, versions: FileRow[]): PublicPaper {
  const items = [...r.agendaItems].sort((a, b) => a.meeting.startsAt.getTime() - b.meeting.startsAt.getTime() || a.id.localeCompare(b.id));
  const sentAt = latestKallelse(items.map((i) => i.meeting));
  const files = publicVersions(versions, sentAt).map((v) => toFile(v, items.map((i) => i.meeting.kallelseSentAt)));
  const modified = new Date(Math.max(r.updatedAt.getTime(), sentAt?.getTime() ?? 0, ...files.map((f) => f.publishedAt.getTime())));
  return {
    id: r.id,
    dnr: r.dnr,
    title: r.title,
    kind: r.kind,
    registeredOn: toStockholmDate(r.createdAt),
    files,
    agendaItems: items.map((i) => ({ meetingId: i.meeting.id, agendaItemId: i.id })),
    modified,
    created: r.createdAt,
  };
}

/** The matters on a public agenda, newest Dnr first. */
export async function publicPapers(prisma: Db, forbundId: string, opts: { skip: number; take: number }): Promise<{ total: number; items: PublicPaper[] }> {
  const where = PUBLIC_MATTER(forbundId);
  const [total, rows] = await Promise.all([
    prisma.matter.count({ where }),
    prisma.matter.findMany({ where, select: PAPER_SELECT, orderBy: [{ year: 'desc' }, { number: 'desc' }], skip: opts.skip, take: opts.take }),
  ]);
  const versions = await versionsOf(prisma, forbundId, rows.map((r) => r.id));
  return { total, items: rows.map((r) => toPaper(r, versions.get(r.id) ?? [])) };
}

/** One matter on a public agenda; null when there is none or it is not public. */
export async function publicPaper(prisma: Db, forbundId: string, matterId: string): Promise<PublicPaper | null> {
  const r = await prisma.matter.findFirst({ where: { ...PUBLIC_MATTER(forbundId), id: matterId }, select: PAPER_SELECT });
  if (!r) return null;
  const versions = await versionsOf(prisma, forbundId, [r.id]);
  return toPaper(r, versions.get(r.id) ?? []);
}

/**
 * One public handling's metadata (never its bytes): the version a sent kallelse carried (the
 * latest non-secret version at or before it) of a matter on that meeting's agenda; null otherwise
 * (a secret handling, a version not sent, a matter on no sent agenda).
 */
export async function publicFile(prisma: Db, forbundId: string, documentId: string): Promise<PublicFile | null> {
  const doc = await prisma.document.findFirst({ where: { id: documentId, forbundId }, select: { matterId: true } });
  if (!doc) return null;
  const meetings = await prisma.meeting.findMany({
    where: { forbundId, kind: 'styrelse', kallelseSentAt: { not: null }, agendaItems: { some: { matterId: doc.matterId } } },
    select: { kallelseSentAt: true },
  });
  if (!meetings.length) return null;
  const versions = (await versionsOf(prisma, forbundId, [doc.matterId])).get(doc.matterId) ?? [];
  for (const m of meetings) {
    const hit = publicVersions(versions, m.kallelseSentAt).find((v) => v.id === documentId);
    if (hit) return toFile(hit, meetings.map((x) => x.kallelseSentAt));
  }
  return null;
}

/**
 * The board's members on `on` (default today in Stockholm): ordförande, vice ordförande, ledamöter
 * and ersättare of the styrelse body whose mandatperiod holds, with their member organisation.
 * Never an e-mail address; nobody who holds no seat on the board.
 */
export async function publicBoardPeople(prisma: Db, forbundId: string, opts: { on?: IsoDate } = {}): Promise<PublicBoardPerson[]> {
  const body = await prisma.body.findUnique({ where: { forbundId_kind: { forbundId, kind: 'styrelse' } }, select: { id: true, forbund: { select: { createdAt: true, updatedAt: true } } } });
  if (!body) return [];
  const on = opts.on ?? toStockholmDate(new Date());
  const [rows, lastImport] = await Promise.all([
    prisma.bodyMembership.findMany({
      where: { bodyId: body.id },
      select: { id: true, role: true, memberId: true, periodFrom: true, periodTo: true, person: { select: { id: true, name: true } }, member: { select: { name: true } } },
    }),
    // The board's roster is written by the förbund file's import only.
    prisma.auditEvent.findFirst({ where: { forbundId, action: 'forbund.imported' }, orderBy: { at: 'desc' }, select: { at: true } }),
  ]);
  const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
  const seats = publicSeats(
    rows.map((r) => ({ ...r, name: r.person.name, from: day(r.periodFrom), to: day(r.periodTo) })),
    on,
  );
  const written = Math.max(body.forbund.updatedAt.getTime(), lastImport?.at.getTime() ?? 0);
  return seats.map((s) => ({
    id: s.person.id,
    name: s.name,
    roleSv: s.roleSv,
    role: s.role,
    member: s.member?.name ?? '',
    memberId: s.memberId,
    from: s.from,
    to: s.to,
    membershipId: s.id,
    // Last written, or the day its mandatperiod began if later (the seat became current then).
    modified: new Date(Math.max(written, s.from ? startOfStockholmDay(s.from).getTime() : 0)),
  }));
}
