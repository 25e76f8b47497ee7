// The board's roster: each member organisation's ledamot and ersättare for a mandatperiod, who
// is called in when a ledamot cannot come, and whether the board will be quorate.
import type { IsoDate } from './dates.js';

export interface Seat {
  personId: string;
  name: string;
  /** chair, vice_chair, member (ledamöter) or deputy (ersättare). */
  role: string;
  /** The member organisation represented. */
  memberId: string | null;
  /** An ersättare's place in the calling-in order. */
  order: number | null;
  from: IsoDate | null;
  to: IsoDate | null;
}

export const isLedamot = (s: Pick<Seat, 'role'>) => s.role !== 'deputy';

/** Those of the roster holding their seat on `date` (the mandatperiod). */
export function rosterOn<T extends Pick<Seat, 'from' | 'to'>>(roster: T[], date: IsoDate): T[] {
  return roster.filter((s) => (!s.from || s.from <= date) && (!s.to || s.to >= date));
}

export interface Called {
  personId: string;
  seat: 'ledamot' | 'ersattare';
  forPersonId: string | null;
  status: 'invited' | 'declined';
}

/**
 * The ersättare to call in when `declining` cannot come: first those representing the same
 * member organisation, then the others, each group in the calling-in order; never one already
 * called in or one who declined. None when every ersättare is taken.
 */
export function ersattareFor(roster: Seat[], called: Called[], declining: string): Seat | undefined {
  const ledamot = roster.find((s) => s.personId === declining);
  const taken = new Set(called.map((c) => c.personId));
  const free = roster.filter((s) => !isLedamot(s) && !taken.has(s.personId));
  const byOrder = (a: Seat, b: Seat) => (a.order ?? 1e9) - (b.order ?? 1e9) || a.name.localeCompare(b.name, 'sv');
  const own = free.filter((s) => ledamot?.memberId && s.memberId === ledamot.memberId).sort(byOrder);
  return own[0] ?? free.filter((s) => !own.includes(s)).sort(byOrder)[0];
}

export interface QuorumForecast {
  /** The ledamöter's seats. */
  seats: number;
  /** Ledamöter and called-in ersättare who have not declined. */
  expected: number;
  /** More than half of the seats must be filled. */
  needed: number;
  quorate: boolean;
}

/** The board is quorate when more than half of its ledamöter, or ersättare in their place, are present. */
export function quorumForecast(seats: number, called: Called[]): QuorumForecast {
  const expected = Math.min(seats, called.filter((c) => c.status !== 'declined').length);
  const needed = Math.floor(seats / 2) + 1;
  return { seats, expected, needed, quorate: seats > 0 && expected >= needed };
}
