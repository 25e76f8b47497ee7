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
  /** released: an ersättare called in whose ledamot could come after all. */
  status: 'invited' | 'declined' | 'released';
}

/**
 * The ersättare to call in when `declining` cannot come (Finsamlagen 12 §): only an ersättare
 * elected by the same member organisation as the absent ledamot, in the order that member set
 * (`order`, then name); never one already called in or one who declined. When a called-in
 * ersättare declines, the next ersättare of the same member is called in for the same ledamot.
 *
 * None, and the seat stays empty, when all of that member's ersättare are taken or the ledamot
 * represents no member: an ersättare of another member is never called in, since that would give
 * the other member a second vote.
 */
export function ersattareFor(roster: Seat[], called: Called[], declining: string): Seat | undefined {
  const standing = called.find((c) => c.personId === declining);
  // An ersättare who declines stands in for a ledamot: the replacement is for that ledamot.
  const ledamotId = standing?.seat === 'ersattare' && standing.forPersonId ? standing.forPersonId : declining;
  const memberId = (roster.find((s) => s.personId === ledamotId) ?? roster.find((s) => s.personId === declining))?.memberId;
  if (!memberId) return undefined;
  const taken = new Set(called.map((c) => c.personId));
  const byOrder = (a: Seat, b: Seat) => (a.order ?? 1e9) - (b.order ?? 1e9) || a.name.localeCompare(b.name, 'sv');
  return roster.filter((s) => !isLedamot(s) && s.memberId === memberId && !taken.has(s.personId)).sort(byOrder)[0];
}

export interface QuorumForecast {
  /** The ledamöter's seats. */
  seats: number;
  /** The seats someone is expected in: ledamöter and called-in ersättare who have not declined, each seat once; an empty seat (its ledamot declined, nobody called in) is not. */
  expected: number;
  /** More than half of the seats must be filled. */
  needed: number;
  quorate: boolean;
}

/** The board is quorate when more than half of its ledamöter, or ersättare in their place, are present. */
export function quorumForecast(seats: number, called: Called[]): QuorumForecast {
  // A called-in ersättare fills the seat of the ledamot they stand in for.
  const filled = new Set(called.filter((c) => c.status === 'invited').map((c) => (c.seat === 'ersattare' && c.forPersonId ? c.forPersonId : c.personId)));
  const expected = Math.min(seats, filled.size);
  const needed = Math.floor(seats / 2) + 1;
  // No seats: needed is 1 and expected 0, so an empty board is never quorate.
  return { seats, expected, needed, quorate: expected >= needed };
}
