// The protokoll as printed: the meeting's record gathered for the PDF (domain/kallelse-pdf.ts),
// before justering (the version the signers are shown, whose SHA-256 is recorded) and after it
// (the filed version, ending with the signatures and the ANSLAG/BEVIS block filled in).
import { toStockholmDate, type IsoDate } from '../domain/dates.js';
import { kallelsePdf, type PrintedNarvaro, type PrintedRecord, type PrintedSigner } from '../domain/kallelse-pdf.js';
import type { KeyedSeat, Narvaro, ParagraphRecord } from '../domain/protokoll.js';
import { roleTitle, svList } from '../domain/texts.js';
import type { Prisma, PrismaClient } from '../prisma/db.js';
import { meetingDate, meetingTime } from './arscykel.js';
import { peopleWithRole } from './people.js';
import { isoDay } from './rapportering.js';
import { agendaLinesOf, agendaOf, rosterOf } from './styrelse.js';

type Db = PrismaClient | Prisma.TransactionClient;

/** The roster of the styrelse on a day, each seat with the person's key and the member's name. */
export async function keyedRosterOf(prisma: Db, forbundId: string, day: IsoDate): Promise<KeyedSeat[]> {
  const [roster, people, members] = await Promise.all([
    rosterOf(prisma, forbundId, day),
    prisma.person.findMany({ where: { forbundId }, select: { id: true, key: true } }),
    prisma.member.findMany({ where: { forbundId }, select: { id: true, name: true } }),
  ]);
  const key = new Map(people.map((p) => [p.id, p.key]));
  const member = new Map(members.map((x) => [x.id, x.name]));
  return roster.map((s) => ({ ...s, key: key.get(s.personId) ?? s.personId, memberName: s.memberId ? (member.get(s.memberId) ?? null) : null }));
}

/** Where the protokoll is kept: the förbund's office. */
export const keptAt = (forbundName: string) => `Förbundets kansli, ${forbundName}`;

/** Närvaro by name: the ordförande and vice ordförande with their titles, each ersättare with the ledamot served for. */
export function printedNarvaro(narvaro: Narvaro, roster: KeyedSeat[]): PrintedNarvaro {
  const seat = new Map(roster.map((s) => [s.personId, s]));
  const nameOf = (id: string) => seat.get(id)?.name ?? narvaro.board.find((p) => p.personId === id)?.name ?? '';
  const member = (p: Narvaro['board'][number]) => {
    const m = p.memberName ?? seat.get(p.personId)?.memberName ?? undefined;
    return m ? { memberName: m } : {};
  };
  const title = (id: string) => {
    const role = seat.get(id)?.role;
    const t = role === 'chair' || role === 'vice_chair' ? roleTitle(role) : undefined;
    return t ? { title: t } : {};
  };
  return {
    beslutande: narvaro.board.filter((p) => p.role === 'beslutande').map((p) => ({ name: p.name, ...member(p), ...title(p.personId) })),
    tjanstgorande: narvaro.board.filter((p) => p.role === 'tjanstgorande').map((p) => ({ name: p.name, ...member(p), forName: p.forPersonId ? nameOf(p.forPersonId) : '' })),
    ersattare: narvaro.board.filter((p) => p.role === 'ersattare').map((p) => ({ name: p.name, ...member(p) })),
    others: narvaro.others,
  };
}

/** One §'s record by name. */
export function printedRecord(record: ParagraphRecord, nameOf: (personId: string) => string): PrintedRecord {
  return {
    notTakingPart: record.notTakingPart.map((x) => {
      const instead = record.servingInstead.find((s) => s.forPersonId === x.personId);
      return { name: nameOf(x.personId), reason: x.reason, ...(instead ? { insteadName: nameOf(instead.personId) } : {}) };
    }),
    reservations: record.reservations.map((x) => ({ name: nameOf(x.personId), ...(x.text ? { text: x.text } : {}) })),
    notes: record.notes.map((x) => ({ name: nameOf(x.personId), text: x.text })),
    ...(record.vote ? { vote: { yes: record.vote.yes.map(nameOf), no: record.vote.no.map(nameOf), abstain: record.vote.abstain.map(nameOf), result: record.vote.result } } : {}),
  };
}

/**
 * Who signs a meeting's protokoll: the ordförande (the styrelse's chair on the meeting's day) and
 * the justerare (one, or two), each once, with when they signed. The workflow's check, the PDF and
 * the signing page all ask this.
 */
export async function protocolSigners(prisma: Db, m: { id: string; forbundId: string; startsAt: Date; justerare: string | null; justerare2: string | null }): Promise<{ personId: string; name: string; role: 'ordforande' | 'justerare'; signedAt?: Date }[]> {
  const keys = [m.justerare, m.justerare2].filter((k): k is string => !!k);
  const [roster, justerare, signatures] = await Promise.all([
    keyedRosterOf(prisma, m.forbundId, meetingDate(m)),
    keys.length ? prisma.person.findMany({ where: { forbundId: m.forbundId, key: { in: keys } } }) : Promise.resolve([]),
    prisma.signature.findMany({ where: { meetingId: m.id } }),
  ]);
  const chair = roster.find((x) => x.role === 'chair');
  const list = [
    ...(chair ? [{ personId: chair.personId, name: chair.name, role: 'ordforande' as const }] : []),
    ...keys.map((k) => justerare.find((p) => p.key === k)).filter((p) => !!p).map((p) => ({ personId: p!.id, name: p!.name, role: 'justerare' as const })),
  ].filter((x, i, all) => all.findIndex((y) => y.personId === x.personId) === i);
  return list.map((x) => {
    const signed = signatures.find((y) => y.personId === x.personId);
    return signed ? { ...x, signedAt: signed.signedAt } : x;
  });
}

/** The protokoll PDF of a held meeting: `final` once justerat (signatures, anslag dates, the signed version's SHA-256). */
export async function protocolPdf(prisma: Db, meetingId: string, opts: { final: boolean }): Promise<Buffer> {
  const m = await prisma.meeting.findUniqueOrThrow({ where: { id: meetingId }, include: { forbund: true } });
  const day = meetingDate(m);
  const [lines, rows, roster, secretaries] = await Promise.all([
    // The protokoll is an allmän handling, filed as justerat and shown on the public anslagstavla:
    // the uploaded handlingar are not printed in it (a secret one not even by title, and none
    // uploaded after the justering changes it).
    agendaLinesOf(prisma, m.id, { handlingar: false }),
    agendaOf(prisma, m.id),
    keyedRosterOf(prisma, m.forbundId, day),
    peopleWithRole(prisma, m.forbundId, 'secretary'),
  ]);
  const narvaro = (m.narvaro as Narvaro | null) ?? null;
  const names = new Map<string, string>([...roster.map((s) => [s.personId, s.name] as const), ...(narvaro?.board ?? []).map((p) => [p.personId, p.name] as const)]);
  const unknown = [...new Set(rows.flatMap((r) => idsOf(r.record as ParagraphRecord | null)).filter((id) => !names.has(id)))];
  if (unknown.length) for (const p of await prisma.person.findMany({ where: { id: { in: unknown } } })) names.set(p.id, p.name);
  const nameOf = (id: string) => names.get(id) ?? '';
  const recordOf = new Map(rows.map((r) => [r.number, (r.record as ParagraphRecord | null) ?? null]));
  const items = lines.map((l) => {
    const record = recordOf.get(l.number);
    return record ? { ...l, record: printedRecord(record, nameOf) } : l;
  });

  // The signers: the ordförande on the meeting's day, and the justerare (one, or two).
  const chair = roster.find((x) => x.role === 'chair');
  const signers: PrintedSigner[] = (await protocolSigners(prisma, m)).map((x) => ({ name: x.name, role: x.role, ...(opts.final && x.signedAt ? { signedAt: x.signedAt.toISOString() } : {}) }));
  const secretaryName = svList(secretaries.map((p) => p.name)) || undefined;

  return kallelsePdf({
    kind: 'protokoll',
    forbundName: m.forbund.name,
    when: meetingTime(m),
    location: m.location,
    items,
    ...(chair ? { chairName: chair.name } : {}),
    ...(secretaryName ? { secretaryName } : {}),
    ...(narvaro ? { narvaro: printedNarvaro(narvaro, roster) } : {}),
    justering: { place: m.justeringPlace, due: m.justeringDue ? isoDay(m.justeringDue) : null, justeradAt: opts.final ? (m.justeradAt?.toISOString() ?? null) : null, signers },
    anslag: {
      postedOn: opts.final && m.anslagPostedAt ? toStockholmDate(m.anslagPostedAt) : null,
      removedOn: opts.final && m.anslagRemovedOn ? isoDay(m.anslagRemovedOn) : null,
      keptAt: keptAt(m.forbund.name),
      sha256: opts.final ? m.protocolSha256 : null,
    },
  });
}

const idsOf = (r: ParagraphRecord | null): string[] =>
  r ? [...r.notTakingPart.map((x) => x.personId), ...r.servingInstead.map((x) => x.personId), ...r.reservations.map((x) => x.personId), ...r.notes.map((x) => x.personId), ...(r.vote ? [...r.vote.yes, ...r.vote.no, ...r.vote.abstain] : [])] : [];
