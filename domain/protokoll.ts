// What the protokoll of a board meeting records besides the decisions (kommunallagen 5 kap.
// 62–69 §§ as applied by Finsamlagen 13 §): who was present and in what capacity, per § who did
// not take part (jäv) and who served instead, reservationer, protokollsanteckningar and
// omröstningar; how it was justerat; and the anslag that announces the justering (8 kap. 12 §)
// from which the three weeks of laglighetsprövning run (13 kap. 5 §).
import { addDays, type IsoDate } from './dates.js';
import { isLedamot, type Seat } from './ledamoter.js';
import type { FieldError } from './rapportuppgifter.js';

/** In what capacity a person was present. */
export type NarvaroRole =
  /** A ledamot who takes part in the decisions. */
  | 'beslutande'
  /** An ersättare serving for a ledamot of the same member (forPersonId). */
  | 'tjanstgorande'
  /** An ersättare present but not serving. */
  | 'ersattare';

export interface NarvaroPerson {
  personId: string;
  name: string;
  role: NarvaroRole;
  /** For a tjänstgörande ersättare: the ledamot served for. */
  forPersonId?: string;
  /** The member organisation represented. */
  memberName?: string;
}

/** Närvaro as recorded at the meeting. */
export interface Narvaro {
  board: NarvaroPerson[];
  /** Others present: the official, the secretary, invited guests (name and Swedish title). */
  others: { name: string; title: string }[];
}

/** What the protokoll says of one § besides its decision. */
export interface ParagraphRecord {
  /** Not taking part in this §: jäv, or not present for it (arrived later, left). */
  notTakingPart: { personId: string; reason: 'jav' | 'franvarande' }[];
  /** Serving for this § instead of a ledamot who does not take part (an ersättare of the same member). */
  servingInstead: { personId: string; forPersonId: string }[];
  /** Reservationer against the decision, each with its motivation if one was given. */
  reservations: { personId: string; text?: string }[];
  /** Protokollsanteckningar. */
  notes: { personId: string; text: string }[];
  /** An omröstning, when one was held: who voted how, and the result as the ordförande declared it. */
  vote?: { yes: string[]; no: string[]; abstain: string[]; result: string };
}

export const emptyRecord = (): ParagraphRecord => ({ notTakingPart: [], servingInstead: [], reservations: [], notes: [] });

/** Who signs the protokoll: the ordförande and the justerare (one or two, as the förbund's rule says). */
export interface Signer {
  personId: string;
  name: string;
  role: 'ordforande' | 'justerare';
  signedAt?: string;
}

/** The anslag runs at least this many days (three weeks). */
export const ANSLAG_DAYS = 21;

/**
 * The anslag of a justerat protokoll: posted on the day of justering, taken down at the earliest
 * three weeks later; the appeal window (laglighetsprövning) ends the day it is taken down.
 */
export function anslagDates(postedOn: IsoDate): { postedOn: IsoDate; removedOn: IsoDate; appealUntil: IsoDate } {
  const removedOn = addDays(postedOn, ANSLAG_DAYS);
  return { postedOn, removedOn, appealUntil: removedOn };
}

// --- närvaro and each §'s record, validated against the roster of the meeting's day -----------


/** A seat of the roster with the person's key (as the secretary names people) and the member's name. */
export type KeyedSeat = Seat & { key: string; memberName?: string | null };

type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

const byOrder = (a: Seat, b: Seat) => (a.order ?? 1e9) - (b.order ?? 1e9) || a.name.localeCompare(b.name, 'sv');

/**
 * Närvaro as the secretary gives it, checked against the roster of the meeting's day: beslutande
 * are ledamöter; a tjänstgörande ersättare is an ersättare of the same member as the ledamot
 * served for (Finsamlagen 12 §, as ersattareFor), that ledamot not present as beslutande and
 * served for once; ersättare present are ersättare; each person once. Others present need a name
 * and a title.
 */
export function validateNarvaro(roster: KeyedSeat[], input: NarvaroInput): Result<Narvaro> {
  const errors: FieldError[] = [];
  const byKey = new Map(roster.map((s) => [s.key, s]));
  const seen = new Map<string, string>();
  const board: NarvaroPerson[] = [];
  const person = (s: KeyedSeat, role: NarvaroRole, forPersonId?: string): NarvaroPerson => ({
    personId: s.personId,
    name: s.name,
    role,
    ...(forPersonId ? { forPersonId } : {}),
    ...(s.memberName ? { memberName: s.memberName } : {}),
  });
  /** The seat of `key`, or an error; and the person only once. */
  const seat = (field: string, key: unknown): KeyedSeat | undefined => {
    if (typeof key !== 'string' || !key) return void errors.push({ field, problem: 'must be a person key' });
    const s = byKey.get(key);
    if (!s) return void errors.push({ field, problem: `"${key}" is not on the board's roster on the meeting's day` });
    const first = seen.get(key);
    if (first) return void errors.push({ field, problem: `"${key}" is already listed (${first}): a person is listed once` });
    seen.set(key, field);
    return s;
  };
  const beslutande = input.beslutande ?? [];
  beslutande.forEach((key, n) => {
    const s = seat(`beslutande[${n}]`, key);
    if (!s) return;
    if (!isLedamot(s)) return errors.push({ field: `beslutande[${n}]`, problem: `${s.name} is an ersättare: list as tjänstgörande for a ledamot of the same member, or as ersättare present` });
    board.push(person(s, 'beslutande'));
  });
  const servedFor = new Map<string, string>();
  (input.tjanstgorande ?? []).forEach((t, n) => {
    const path = `tjanstgorande[${n}]`;
    const s = seat(`${path}.person`, t?.person);
    const forKey = t?.for;
    const ledamot = typeof forKey === 'string' ? byKey.get(forKey) : undefined;
    if (!ledamot) return errors.push({ field: `${path}.for`, problem: typeof forKey === 'string' && forKey ? `"${forKey}" is not on the board's roster on the meeting's day` : 'must be the person key of the ledamot served for' });
    if (!isLedamot(ledamot)) return errors.push({ field: `${path}.for`, problem: `${ledamot.name} is an ersättare: an ersättare serves for a ledamot` });
    if (beslutande.includes(ledamot.key)) return errors.push({ field: `${path}.for`, problem: `${ledamot.name} is present as beslutande: nobody serves for them` });
    const twice = servedFor.get(ledamot.key);
    if (twice) return errors.push({ field: `${path}.for`, problem: `${ledamot.name} is already served for (${twice})` });
    servedFor.set(ledamot.key, path);
    if (!s) return;
    if (isLedamot(s)) return errors.push({ field: `${path}.person`, problem: `${s.name} is a ledamot, not an ersättare` });
    if (!ledamot.memberId || s.memberId !== ledamot.memberId) return errors.push({ field: `${path}.person`, problem: `${s.name} is not an ersättare of the same member as ${ledamot.name} (Finsamlagen 12 §)` });
    board.push(person(s, 'tjanstgorande', ledamot.personId));
  });
  (input.ersattare ?? []).forEach((key, n) => {
    const s = seat(`ersattare[${n}]`, key);
    if (!s) return;
    if (isLedamot(s)) return errors.push({ field: `ersattare[${n}]`, problem: `${s.name} is a ledamot: list as beslutande` });
    board.push(person(s, 'ersattare'));
  });
  const others: Narvaro['others'] = [];
  (input.others ?? []).forEach((o, n) => {
    const name = typeof o?.name === 'string' ? o.name.trim() : '';
    const title = typeof o?.title === 'string' ? o.title.trim() : '';
    if (!name) errors.push({ field: `others[${n}].name`, problem: 'must not be empty' });
    if (!title) errors.push({ field: `others[${n}].title`, problem: 'must not be empty: the title printed after the name' });
    if (name && title) others.push({ name, title });
  });
  if (errors.length) return { ok: false, errors };
  const rank: Record<NarvaroRole, number> = { beslutande: 0, tjanstgorande: 1, ersattare: 2 };
  board.sort((a, b) => rank[a.role] - rank[b.role]);
  return { ok: true, value: { board, others } };
}

/** Those who take part in the decisions at the meeting: beslutande and tjänstgörande ersättare. */
export const deciding = (narvaro: Narvaro) => narvaro.board.filter((p) => p.role !== 'ersattare');

/**
 * Who serves for one § instead of those who do not take part in it (jäv, or absent for it): for
 * each beslutande or tjänstgörande who does not take part, the first ersättare of the same member
 * (in that member's order) who is present, not serving and taking part; when none is free the
 * seat is empty for that §. An ersättare of another member never serves (Finsamlagen 12 §).
 */
export function servingForParagraph(roster: Seat[], narvaro: Narvaro, notTakingPart: readonly string[]): ParagraphRecord['servingInstead'] {
  const out: ParagraphRecord['servingInstead'] = [];
  const absent = new Set(notTakingPart);
  const taken = new Set<string>();
  const seatOf = (id: string) => roster.find((s) => s.personId === id);
  const free = narvaro.board.filter((p) => p.role === 'ersattare' && !absent.has(p.personId)).map((p) => seatOf(p.personId)).filter((s): s is Seat => !!s);
  for (const p of deciding(narvaro)) {
    if (!absent.has(p.personId)) continue;
    // A tjänstgörande ersättare holds the seat of the ledamot served for: its member decides.
    const memberId = seatOf(p.role === 'tjanstgorande' && p.forPersonId ? p.forPersonId : p.personId)?.memberId ?? seatOf(p.personId)?.memberId;
    if (!memberId) continue;
    const next = free.filter((s) => s.memberId === memberId && !taken.has(s.personId)).sort(byOrder)[0];
    if (!next) continue;
    taken.add(next.personId);
    out.push({ personId: next.personId, forPersonId: p.personId });
  }
  return out;
}

/** Who takes part in the decision of one § (the beslutande for it), by person id. */
export function decidingForParagraph(narvaro: Narvaro, record: Pick<ParagraphRecord, 'notTakingPart' | 'servingInstead'>): string[] {
  const out = new Set(record.notTakingPart.map((x) => x.personId));
  return [...deciding(narvaro).filter((p) => !out.has(p.personId)).map((p) => p.personId), ...record.servingInstead.map((s) => s.personId)];
}

/**
 * One §'s record as the secretary gives it (by person keys), checked against the närvaro: those
 * not taking part (jäv, absent) must be present at the meeting, and who serves instead follows
 * (servingForParagraph); a reservation only by one who took part in the decision; a
 * protokollsanteckning by one present; an omröstning's names are the beslutande for that §, each
 * once, with its result.
 */
export function validateParagraphRecord(roster: KeyedSeat[], narvaro: Narvaro | null, input: ParagraphRecordInput): Result<ParagraphRecord> {
  const errors: FieldError[] = [];
  if (!narvaro) return { ok: false, errors: [{ field: 'narvaro', problem: "record the meeting's närvaro first: who was present decides who may do what in a §" }] };
  const byKey = new Map(roster.map((s) => [s.key, s]));
  const present = new Map(narvaro.board.map((p) => [p.personId, p]));
  /** The person id of a key present at the meeting, or an error. */
  const presentId = (field: string, key: unknown): string | undefined => {
    if (typeof key !== 'string' || !key) return void errors.push({ field, problem: 'must be a person key' });
    const s = byKey.get(key);
    if (!s) return void errors.push({ field, problem: `"${key}" is not on the board's roster on the meeting's day` });
    if (!present.has(s.personId)) return void errors.push({ field, problem: `${s.name} is not recorded as present at the meeting` });
    return s.personId;
  };
  const notTakingPart: ParagraphRecord['notTakingPart'] = [];
  const listed = new Set<string>();
  for (const [reason, keys] of [['jav', input.jav ?? []], ['franvarande', input.franvarande ?? []]] as const) {
    keys.forEach((key, n) => {
      const field = `${reason}[${n}]`;
      const id = presentId(field, key);
      if (!id) return;
      if (listed.has(id)) return errors.push({ field, problem: `${present.get(id)!.name} is listed twice` });
      listed.add(id);
      notTakingPart.push({ personId: id, reason });
    });
  }
  const servingInstead = servingForParagraph(roster, narvaro, notTakingPart.map((x) => x.personId));
  const takingPart = new Set(decidingForParagraph(narvaro, { notTakingPart, servingInstead }));
  const nameOf = (id: string) => present.get(id)?.name ?? id;

  const reservations: ParagraphRecord['reservations'] = [];
  const reserved = new Set<string>();
  (input.reservations ?? []).forEach((r, n) => {
    const field = `reservations[${n}].person`;
    const id = presentId(field, r?.person);
    if (!id) return;
    if (!takingPart.has(id)) return errors.push({ field, problem: `${nameOf(id)} did not take part in the decision of this §: only one who took part may reserve against it` });
    if (reserved.has(id)) return errors.push({ field, problem: `${nameOf(id)} is listed twice` });
    reserved.add(id);
    const text = typeof r.text === 'string' ? r.text.trim() : '';
    reservations.push({ personId: id, ...(text ? { text } : {}) });
  });

  const notes: ParagraphRecord['notes'] = [];
  (input.notes ?? []).forEach((x, n) => {
    const id = presentId(`notes[${n}].person`, x?.person);
    const text = typeof x?.text === 'string' ? x.text.trim() : '';
    if (!text) errors.push({ field: `notes[${n}].text`, problem: 'must not be empty' });
    if (id && text) notes.push({ personId: id, text });
  });

  let vote: ParagraphRecord['vote'];
  if (input.vote) {
    const voted = new Set<string>();
    const side = (which: 'yes' | 'no' | 'abstain') =>
      (input.vote![which] ?? []).flatMap((key, n) => {
        const field = `vote.${which}[${n}]`;
        const id = presentId(field, key);
        if (!id) return [];
        if (!takingPart.has(id)) return void errors.push({ field, problem: `${nameOf(id)} is not among the beslutande of this §` }), [];
        if (voted.has(id)) return void errors.push({ field, problem: `${nameOf(id)} has already voted` }), [];
        voted.add(id);
        return [id];
      });
    const yes = side('yes');
    const no = side('no');
    const abstain = side('abstain');
    const result = typeof input.vote.result === 'string' ? input.vote.result.trim() : '';
    if (!result) errors.push({ field: 'vote.result', problem: 'must not be empty: the result as the ordförande declared it' });
    if (!yes.length && !no.length && !abstain.length && !errors.some((e) => /^vote\.(yes|no|abstain)\[/.test(e.field))) errors.push({ field: 'vote', problem: 'an omröstning needs the votes' });
    vote = { yes, no, abstain, result };
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { notTakingPart, servingInstead, reservations, notes, ...(vote ? { vote } : {}) } };
}

/** Närvaro as the secretary gives it: person keys by capacity, and others present by name and title. */
export interface NarvaroInput {
  beslutande: string[];
  /** Ersättare serving: the ersättare's person key and the ledamot's. */
  tjanstgorande: { person: string; for: string }[];
  ersattare: string[];
  others: { name: string; title: string }[];
}

/** One §'s record as the secretary gives it, by person keys. */
export interface ParagraphRecordInput {
  jav?: string[];
  franvarande?: string[];
  reservations?: { person: string; text?: string }[];
  notes?: { person: string; text: string }[];
  vote?: { yes: string[]; no: string[]; abstain: string[]; result: string };
}
