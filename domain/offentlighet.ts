// What of the board's work is public, and from when: the rules the public pages
// (api/offentligt.ts) and the OParl JSON (api/oparl.ts) both read through services/offentligt.ts.
// The demand is "nothing there the public should not have": every rule below lets
// something out only from the moment the förbund itself has made it public, and nothing else.
//
// Sources. Finsamlagen (lag (2003:1210) om finansiell samordning av rehabiliteringsinsatser) 17 §
// applies kommunallagen (2017:725) to a samordningsförbund's styrelse:
// - Sammanträden: the board's meetings and the kallelse to them (kommunallagen 6 kap. 19–20 §§);
//   their day, time, place and title are what the förbund announces of them, public from the
//   start. A cancelled meeting stays listed, as cancelled: it was announced.
// - Föredragningslistan: the ärenden go out with the kallelse (6 kap. 19–20 §§). Before the
//   kallelse is sent (Meeting.kallelseSentAt) the agenda is a draft the secretary still changes:
//   nothing of it is public.
// - Beslut: the decisions count from the justerat protokoll, whose justering is tillkännagiven on
//   the anslagstavla (kommunallagen 8 kap. 12 §). Decisions and their § numbers are public only
//   once justerat (Meeting.justeradAt), never from minutes still being written or awaiting
//   justering. The protokoll itself (the PDF as filed) is linked from the anslagstavla once the
//   anslag is posted (Meeting.anslagPostedAt), as api/publicering.ts serves it.
// - Handlingar (model Document): only those not marked secret under offentlighets- och
//   sekretesslagen (2009:400, OSL), and only of a matter on the föredragningslista of a board
//   meeting whose kallelse is sent. The version that is public is the latest non-secret one
//   uploaded at or before that kallelse went: sending the kallelse is the förbund's act of
//   sending the handlingar out, so what was sent is what is public; a version uploaded later has
//   not been sent out (it becomes public with the next kallelse that carries the matter). A
//   handling marked secret in any of its versions is not public in any of them (a new version of a
//   secret handling stays secret, services/handlingar.ts; and a handling secret later must not be
//   read through an earlier open version): strict, since the sekretess may cover what every
//   version says. The bytes are never read here.
// - People: only the board's ledamöter and ersättare (the styrelse body's memberships: a public
//   office the member organisations appoint), with name, role in Swedish and the member they
//   represent; never an e-mail address, never the staff, the coordinators or anyone else.
// - Nothing about participants or reports here (the reports are published by
//   domain/publicering.ts under their own rule).
import type { IsoDate } from './dates.js';

/** The agenda (föredragningslista) of a board meeting is public once its kallelse is sent. */
export const agendaIsPublic = (m: { kallelseSentAt: Date | null }): boolean => m.kallelseSentAt !== null;

/** Decisions and § numbers of a meeting are public once its protokoll is justerat. */
export const decisionsArePublic = (m: { justeradAt: Date | null }): boolean => m.justeradAt !== null;

/** The protokoll PDF as filed is public (linked from the anslagstavla) once justerat and its anslag is posted. */
export const protokollIsPublic = (m: { justeradAt: Date | null; anslagPostedAt: Date | null }, at: Date): boolean =>
  m.justeradAt !== null && m.anslagPostedAt !== null && m.anslagPostedAt.getTime() <= at.getTime();

/** What of an agenda item's decision the public sees: the § and the decision once justerat, else nothing. */
export function publicDecisionOf(meeting: { justeradAt: Date | null }, item: { paragraph: number | null; decision: string | null }): { paragraph: number | null; decision: string | null } {
  if (!decisionsArePublic(meeting)) return { paragraph: null, decision: null };
  return { paragraph: item.paragraph ?? null, decision: item.decision?.trim() ? item.decision : null };
}

/** A version of a handling as the rule reads it. */
export interface HandlingVersionFacts {
  key: string;
  version: number;
  secret: boolean;
  uploadedAt: Date;
}

/**
 * The versions of a matter's handlingar that are public through a kallelse sent at `sentAt`: per
 * handling (key) the latest version uploaded at or before `sentAt`, none for a handling with any
 * secret version (at any time), none at all when no kallelse is sent. Ordered by key's first upload.
 */
export function publicVersions<T extends HandlingVersionFacts>(versions: T[], sentAt: Date | null): T[] {
  if (!sentAt) return [];
  const byKey = new Map<string, T[]>();
  for (const v of versions) byKey.set(v.key, [...(byKey.get(v.key) ?? []), v]);
  const out: { first: number; v: T }[] = [];
  for (const vs of byKey.values()) {
    if (vs.some((v) => v.secret)) continue;
    const sent = vs.filter((v) => v.uploadedAt.getTime() <= sentAt.getTime()).sort((a, b) => b.version - a.version);
    if (sent.length) out.push({ first: Math.min(...vs.map((v) => v.uploadedAt.getTime())), v: sent[0] });
  }
  return out.sort((a, b) => a.first - b.first || a.v.key.localeCompare(b.v.key)).map((x) => x.v);
}

/** The latest kallelse that carried a matter (the meetings whose agenda has it), or null when none is sent. */
export function latestKallelse(meetings: { kallelseSentAt: Date | null }[]): Date | null {
  let latest: Date | null = null;
  for (const m of meetings) if (m.kallelseSentAt && (!latest || m.kallelseSentAt > latest)) latest = m.kallelseSentAt;
  return latest;
}

/**
 * When a public version became public: the first kallelse carrying its matter sent at or after its
 * upload (the version a kallelse carries is the latest at the time, so the first one after the
 * upload is the one that sent it out). Null when no such kallelse is sent.
 */
export function publishedAt(version: { uploadedAt: Date }, kallelser: (Date | null)[]): Date | null {
  let first: Date | null = null;
  for (const k of kallelser) if (k && k.getTime() >= version.uploadedAt.getTime() && (!first || k < first)) first = k;
  return first;
}

/** The roles of a styrelse membership that are a seat on the board, with the Swedish title the public reads. */
export const BOARD_ROLE_SV: Readonly<Record<string, string>> = { chair: 'Ordförande', vice_chair: 'Vice ordförande', member: 'Ledamot', deputy: 'Ersättare' };
/** The order the board is listed in: ordförande, vice ordförande, ledamöter, ersättare. */
const ROLE_ORDER = ['chair', 'vice_chair', 'member', 'deputy'];

/** The Swedish title of a seat on the board, or undefined for a membership that is no seat (never public). */
export const boardRoleSv = (role: string): string | undefined => (Object.hasOwn(BOARD_ROLE_SV, role) ? BOARD_ROLE_SV[role] : undefined);

/** Whether a membership holds on `date` (its mandatperiod; open ends hold). */
export const seatHolds = (s: { from: IsoDate | null; to: IsoDate | null }, date: IsoDate): boolean => (!s.from || s.from <= date) && (!s.to || s.to >= date);

/** The public seats of the board on `date`: only seats (ordförande, vice ordförande, ledamot, ersättare) whose mandatperiod holds, in the board's order. */
export function publicSeats<T extends { role: string; name: string; from: IsoDate | null; to: IsoDate | null }>(memberships: T[], date: IsoDate): (T & { roleSv: string })[] {
  return memberships
    .flatMap((m) => {
      const roleSv = boardRoleSv(m.role);
      return roleSv && seatHolds(m, date) ? [{ ...m, roleSv }] : [];
    })
    .sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.name.localeCompare(b.name, 'sv'));
}

/** When a meeting last changed as the public sees it: its row, or the kallelse, justering or anslag if later. */
export function meetingModified(m: { updatedAt: Date; kallelseSentAt: Date | null; justeradAt: Date | null; anslagPostedAt: Date | null }, at: Date): Date {
  const times = [m.updatedAt, m.kallelseSentAt, m.justeradAt, m.anslagPostedAt && m.anslagPostedAt <= at ? m.anslagPostedAt : null].flatMap((d) => (d ? [d.getTime()] : []));
  return new Date(Math.max(...times));
}
