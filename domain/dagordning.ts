// The föredragningslista of a board meeting: the standing items around the matters, numbered;
// the secretary's edits until the kallelse goes; the § numbers of the minutes.
import type { FieldError } from './rapportuppgifter.js';

export type AgendaKind = 'opening' | 'justerare' | 'agenda' | 'previous_minutes' | 'official_report' | 'report_status' | 'delegation_report' | 'matter' | 'other' | 'other_questions' | 'closing';

export interface AgendaEntry {
  /** Absent for an item not yet stored. */
  id?: string;
  title: string;
  kind: AgendaKind;
  matterId?: string | null;
  /** Förslag till beslut: set (or null to clear) by an edit; absent leaves it as stored. */
  proposal?: string | null;
}

/** The items every board meeting has; matters and other items go between the official's report and other questions. */
export const STANDING_BEFORE: AgendaEntry[] = [
  { kind: 'opening', title: 'Mötets öppnande' },
  { kind: 'justerare', title: 'Val av justerare' },
  { kind: 'agenda', title: 'Godkännande av dagordningen' },
  { kind: 'previous_minutes', title: 'Föregående protokoll' },
  { kind: 'official_report', title: 'Verkställande tjänstemannens rapport' },
];
export const STANDING_AFTER: AgendaEntry[] = [
  { kind: 'other_questions', title: 'Övriga frågor' },
  { kind: 'closing', title: 'Mötets avslutande' },
];

export const draftAgenda = (): AgendaEntry[] => [...STANDING_BEFORE, ...STANDING_AFTER].map((e) => ({ ...e }));

/**
 * Adds matter items (those not on the agenda already) before the closing standing items, in
 * the order given; keeps everything else where the secretary put it.
 */
export function withMatters(items: AgendaEntry[], matters: { id: string; title: string }[]): AgendaEntry[] {
  const on = new Set(items.map((i) => i.matterId).filter(Boolean));
  const fresh = matters.filter((m) => !on.has(m.id)).map((m): AgendaEntry => ({ kind: 'matter', title: m.title, matterId: m.id }));
  const tail = items.findIndex((i) => i.kind === 'other_questions' || i.kind === 'closing');
  const at = tail < 0 ? items.length : tail;
  return [...items.slice(0, at), ...fresh, ...items.slice(at)];
}

/** What the secretary may send as the new agenda: an existing item by id (optionally retitled, with its förslag till beslut), or a new free item. */
export type AgendaEdit = { id: string; title?: string; proposal?: string | null } | { title: string };

/**
 * The agenda after the secretary's edit: the items in the order given. Every matter item must be
 * kept (a matter leaves an agenda only by being moved, not by being dropped from the list);
 * standing items and free items may be removed; new items are free items ('other').
 */
export function editAgenda(current: (AgendaEntry & { id: string })[], edits: AgendaEdit[]): { items: AgendaEntry[] } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const byId = new Map(current.map((i) => [i.id, i]));
  const seen = new Set<string>();
  const items: AgendaEntry[] = [];
  edits.forEach((e, n) => {
    const path = `items[${n}]`;
    if ('id' in e) {
      const item = byId.get(e.id);
      if (!item) return errors.push({ field: `${path}.id`, problem: `no item ${e.id} on this agenda` });
      if (seen.has(e.id)) return errors.push({ field: `${path}.id`, problem: 'listed twice' });
      seen.add(e.id);
      if (e.title !== undefined && item.kind === 'matter') return errors.push({ field: `${path}.title`, problem: "a matter's item keeps the matter's title; change the matter instead" });
      if (e.title !== undefined && item.kind === 'report_status') return errors.push({ field: `${path}.title`, problem: 'the compiled report status keeps its title' });
      if (e.title !== undefined && item.kind === 'delegation_report') return errors.push({ field: `${path}.title`, problem: 'the compiled report of delegation decisions keeps its title' });
      if (typeof e.proposal === 'string' && e.proposal.length > 10000) return errors.push({ field: `${path}.proposal`, problem: 'must be at most 10000 characters' });
      items.push({ ...item, ...(e.title !== undefined ? { title: e.title } : {}), ...(e.proposal !== undefined ? { proposal: e.proposal?.trim() ? e.proposal.trim() : null } : {}) });
    } else {
      items.push({ kind: 'other', title: e.title });
    }
  });
  for (const missing of current.filter((i) => i.kind === 'matter' && !seen.has(i.id))) {
    errors.push({ field: 'items', problem: `the matter item "${missing.title}" (${missing.id}) must stay on the agenda` });
  }
  // The report status lists the escalated reports still missing; it leaves when they are in.
  for (const missing of current.filter((i) => i.kind === 'report_status' && !seen.has(i.id))) {
    errors.push({ field: 'items', problem: `the item "${missing.title}" (${missing.id}) lists the overdue reports and must stay on the agenda` });
  }
  // The delegation decisions reported to the board; it leaves only when there are none to report.
  for (const missing of current.filter((i) => i.kind === 'delegation_report' && !seen.has(i.id))) {
    errors.push({ field: 'items', problem: `the item "${missing.title}" (${missing.id}) reports the delegation decisions and must stay on the agenda` });
  }
  return errors.length ? { errors } : { items };
}

/**
 * The § numbers of a meeting's minutes: its items in agenda order, numbered on from the last §
 * of the board's year (minutes are numbered through the year: § 1 at the first meeting).
 */
export function paragraphs<T extends { number: number }>(items: T[], lastOfYear: number): (T & { paragraph: number })[] {
  return [...items].sort((a, b) => a.number - b.number).map((it, i) => ({ ...it, paragraph: lastOfYear + i + 1 }));
}

/** Items that need a decision before the minutes can go to the justerare: the matters. */
export const undecided = <T extends { kind: string; decision: string | null }>(items: T[]) => items.filter((i) => i.kind === 'matter' && !i.decision?.trim());
