// Matters (ärenden): their diarienummer, kinds and the board meeting each is headed for.
import type { IsoDate } from './dates.js';

export const MATTER_KINDS = ['funding_application', 'report', 'budget', 'policy', 'deficit', 'other'] as const;
export type MatterKind = (typeof MATTER_KINDS)[number];

export const MATTER_KIND_NAMES: Record<MatterKind, string> = {
  funding_application: 'Ansökan om medel',
  report: 'Rapport',
  budget: 'Budget och ekonomi',
  policy: 'Styrdokument',
  deficit: 'Prognostiserat underskott',
  other: 'Övrigt',
};

export const MATTER_STATUSES = ['registered', 'prepared', 'on_agenda', 'decided', 'follow_up', 'closed'] as const;
export type MatterStatus = (typeof MATTER_STATUSES)[number];

/** 2027, 12 → '2027-00012' */
export function formatDnr(year: number, number: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new Error(`formatDnr: bad year ${year}`);
  if (!Number.isInteger(number) || number < 1 || number > 99999) throw new Error(`formatDnr: number must be 1–99999 (got ${number})`);
  return `${year}-${String(number).padStart(5, '0')}`;
}

/** '2027-00012' → { year: 2027, number: 12 }; undefined for anything else. */
export function parseDnr(dnr: string): { year: number; number: number } | undefined {
  const m = /^(\d{4})-(\d{5})$/.exec(dnr);
  if (!m || Number(m[2]) === 0) return undefined;
  return { year: Number(m[1]), number: Number(m[2]) };
}

/** A board meeting as seen when placing matters: its day and the last day its matters must be prepared. */
export interface BoardSlot {
  id: string;
  date: IsoDate;
  mattersDeadline: IsoDate;
  cancelled?: boolean;
  /** The agenda is closed: its matters' deadline has passed and the agenda was assembled. */
  agendaClosed?: boolean;
}

/**
 * The board meeting a matter registered or moved on `today` is headed for: the first planned
 * one whose matters' deadline has not passed and whose agenda is still open; none when no such
 * meeting is planned yet (the matter waits for the next calendar).
 */
export function nextBoardMeeting(boards: BoardSlot[], today: IsoDate, after?: IsoDate): BoardSlot | undefined {
  return [...boards]
    .filter((b) => !b.cancelled && !b.agendaClosed && b.mattersDeadline >= today && (!after || b.date > after))
    .sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id))[0];
}

/** At the matters' deadline: what goes on the agenda (prepared) and what moves on (not prepared). */
export function sortForAgenda<T extends { status: MatterStatus }>(matters: T[]): { placed: T[]; moved: T[] } {
  return {
    placed: matters.filter((m) => m.status === 'prepared'),
    moved: matters.filter((m) => m.status === 'registered'),
  };
}
