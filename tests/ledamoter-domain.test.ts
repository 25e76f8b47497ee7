// The board's roster (domain/ledamoter.ts): who holds a seat on the meeting's day, which ersättare is
// called in when someone cannot come (Finsamlagen 12 §: the same member's, in that member's order,
// then by name in Swedish order), also when the roster changed after the kallelse, and the quorum.
import { describe, expect, it } from 'vitest';
import { ersattareFor, quorumForecast, rosterOn, type Called, type Seat } from '../domain/ledamoter.js';

const seat = (personId: string, role: string, memberId: string | null, order: number | null = null, from: string | null = null, to: string | null = null): Seat => ({ personId, name: personId, role, memberId, order, from, to });
const ledamot = (personId: string, status: Called['status'] = 'invited'): Called => ({ personId, seat: 'ledamot', forPersonId: null, status });
const standIn = (personId: string, forPersonId: string, status: Called['status'] = 'invited'): Called => ({ personId, seat: 'ersattare', forPersonId, status });

describe('the roster on the meeting day (the mandatperiod)', () => {
  const roster = [seat('l-kommun', 'chair', 'kommun', null, '2023-01-01', '2026-12-31'), seat('e-kommun', 'deputy', 'kommun', 1, '2023-01-01', '2026-12-31')];

  it('holds a seat from its first day to its last day, both included', () => {
    expect(rosterOn(roster, '2023-01-01').map((s) => s.personId)).toEqual(['l-kommun', 'e-kommun']);
    expect(rosterOn(roster, '2026-12-31')).toHaveLength(2);
  });

  it('holds no seat before the mandatperiod begins', () => {
    expect(rosterOn(roster, '2022-12-31')).toEqual([]);
  });
});

describe('which of the member\'s ersättare is called in', () => {
  it('follows the order the member set, however the roster happens to be listed', () => {
    // Kumla put Kim before Alva; the roster lists Alva first.
    const roster = [seat('ledamot-kumla', 'chair', 'kumla'), seat('alva-kumla', 'deputy', 'kumla', 3), seat('kim-kumla', 'deputy', 'kumla', 2)];
    expect(ersattareFor(roster, [ledamot('ledamot-kumla', 'declined')], 'ledamot-kumla')?.personId).toBe('kim-kumla');
  });

  it('takes them by name in Swedish order when the member set no order', () => {
    // Swedish order: Z before Å.
    const roster = [seat('ledamot-kumla', 'chair', 'kumla'), { ...seat('asa', 'deputy', 'kumla'), name: 'Åsa Berg' }, { ...seat('zelda', 'deputy', 'kumla'), name: 'Zelda Ek' }];
    expect(ersattareFor(roster, [ledamot('ledamot-kumla', 'declined')], 'ledamot-kumla')?.name).toBe('Zelda Ek');
  });
});

describe('calling in when the roster changed after the kallelse', () => {
  it('replaces an ersättare who has since left the board, when they decline, with the next ersättare of the absent ledamot\'s member', () => {
    // Kim was called in for Kumla's ledamot, then left the board; Kim reports förhinder.
    const roster = [seat('ledamot-kumla', 'chair', 'kumla'), seat('ledamot-askersund', 'member', 'askersund'), seat('ersattare-askersund', 'deputy', 'askersund', 1), seat('alva-kumla', 'deputy', 'kumla', 3)];
    const called = [ledamot('ledamot-kumla', 'declined'), ledamot('ledamot-askersund'), standIn('kim-kumla', 'ledamot-kumla')];
    expect(ersattareFor(roster, called, 'kim-kumla')?.personId).toBe('alva-kumla');
  });

  it('goes by the declining ersättare\'s own member when the ledamot they stood in for has since left the board', () => {
    const roster = [seat('ersattare-askersund', 'deputy', 'askersund', 1), seat('ledamot-askersund', 'member', 'askersund'), seat('alva-kumla', 'deputy', 'kumla', 3), seat('kim-kumla', 'deputy', 'kumla', 2)];
    const called = [ledamot('ledamot-kumla', 'declined'), ledamot('ledamot-askersund'), standIn('kim-kumla', 'ledamot-kumla')];
    expect(ersattareFor(roster, called, 'kim-kumla')?.personId).toBe('alva-kumla');
  });
});

describe('the quorum forecast', () => {
  it('an empty board is never quorate', () => {
    expect(quorumForecast(0, [ledamot('a')])).toEqual({ seats: 0, expected: 0, needed: 1, quorate: false });
  });
});
