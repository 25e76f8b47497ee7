// The board's rules as plain functions: Dnr, where a matter goes, the agenda and its edits, the
// § numbers, who is called in for a ledamot who cannot come, and the quorum.
import { describe, expect, it } from 'vitest';
import { formatDnr, nextBoardMeeting, parseDnr, sortForAgenda } from '../domain/arenden.js';
import { draftAgenda, editAgenda, paragraphs, undecided, withMatters } from '../domain/dagordning.js';
import { ersattareFor, quorumForecast, rosterOn, type Called, type Seat } from '../domain/ledamoter.js';
import { agendaClosesOn, justeringDueOn } from '../services/styrelse.js';

describe('diarienummer', () => {
  it('is the year and a five-digit number, and reads back', () => {
    expect(formatDnr(2027, 12)).toBe('2027-00012');
    expect(parseDnr('2027-00012')).toEqual({ year: 2027, number: 12 });
    for (const bad of ['2027-12', '27-00012', '2027-00000', '2027-000012', ' 2027-00012']) expect(parseDnr(bad)).toBeUndefined();
    expect(() => formatDnr(2027, 0)).toThrow(/1–99999/);
    expect(() => formatDnr(2027, 100000)).toThrow(/1–99999/);
  });
});

describe('the board meeting a matter is headed for', () => {
  const boards = [
    { id: 'feb', date: '2027-02-25', mattersDeadline: '2027-02-11' },
    { id: 'apr', date: '2027-04-22', mattersDeadline: '2027-04-08' },
    { id: 'jun', date: '2027-06-10', mattersDeadline: '2027-05-27', cancelled: true },
    { id: 'aug', date: '2027-08-26', mattersDeadline: '2027-08-12' },
  ];
  it('is the first whose matters deadline has not passed, skipping cancelled ones and closed agendas', () => {
    expect(nextBoardMeeting(boards, '2027-01-10')?.id).toBe('feb');
    expect(nextBoardMeeting(boards, '2027-02-11')?.id).toBe('feb'); // the deadline day itself still counts
    expect(nextBoardMeeting(boards, '2027-02-12')?.id).toBe('apr');
    expect(nextBoardMeeting(boards, '2027-04-09')?.id).toBe('aug');
    expect(nextBoardMeeting(boards.map((b) => (b.id === 'feb' ? { ...b, agendaClosed: true } : b)), '2027-01-10')?.id).toBe('apr');
    expect(nextBoardMeeting(boards, '2027-09-01')).toBeUndefined();
    // Moving on from February: only meetings after it.
    expect(nextBoardMeeting(boards, '2027-01-10', '2027-02-25')?.id).toBe('apr');
  });
  it('at the deadline, prepared matters go on the agenda and registered ones move on', () => {
    const { placed, moved } = sortForAgenda([{ id: 'a', status: 'prepared' as const }, { id: 'b', status: 'registered' as const }, { id: 'c', status: 'on_agenda' as const }]);
    expect(placed.map((m) => m.id)).toEqual(['a']);
    expect(moved.map((m) => m.id)).toEqual(['b']);
  });
  it('closes the agenda on the day of the last preparatory meeting, or the working day before the kallelse', () => {
    expect(agendaClosesOn('2027-02-11', '2027-02-18')).toBe('2027-02-11');
    expect(agendaClosesOn(undefined, '2027-02-18')).toBe('2027-02-17');
    // A kallelse on a Monday: the Friday before; a preparatory meeting after the kallelse does not count.
    expect(agendaClosesOn('2027-03-10', '2027-03-08')).toBe('2027-03-05');
    // Easter: the kallelse on Tuesday after Easter Monday 2027 (29 March) → Thursday 25 March (Good Friday is not a working day).
    expect(agendaClosesOn(undefined, '2027-03-30')).toBe('2027-03-25');
  });
  it('has its minutes justerade within the days given, on a working day', () => {
    expect(justeringDueOn('2027-02-25', 14)).toBe('2027-03-11');
    expect(justeringDueOn('2027-12-16', 14)).toBe('2027-12-30'); // Thursday 30 December is a working day
    expect(justeringDueOn('2027-12-11', 14)).toBe('2027-12-23'); // Christmas Eve and the weekend are not
  });
});

describe('the föredragningslista', () => {
  const stored = () => [...draftAgenda().map((e, i) => ({ ...e, id: `s${i}` }))];
  it('has the standing items with the matters between the official\'s report and other questions', () => {
    const items = withMatters(stored(), [{ id: 'm1', title: 'Ansökan om medel' }, { id: 'm2', title: 'Budget 2028' }]);
    expect(items.map((i) => i.title)).toEqual(['Mötets öppnande', 'Val av justerare', 'Godkännande av dagordningen', 'Föregående protokoll', 'Verkställande tjänstemannens rapport', 'Ansökan om medel', 'Budget 2028', 'Övriga frågor', 'Mötets avslutande']);
    // A matter already on it is not added twice.
    expect(withMatters(items as never, [{ id: 'm1', title: 'Ansökan om medel' }])).toHaveLength(9);
  });
  it('takes the secretary\'s order, retitles, adds and drops standing items, but keeps every matter', () => {
    const items = withMatters(stored(), [{ id: 'm1', title: 'Ansökan' }]).map((e, i) => ({ ...e, id: e.id ?? `x${i}` }));
    const matter = items.find((i) => i.kind === 'matter')!;
    const ok = editAgenda(items, [{ id: 's0' }, { id: 's1', title: 'Val av justerare och protokollförare' }, { title: 'Information från FK' }, { id: matter.id }, { id: 's6' }]);
    expect('items' in ok && ok.items.map((i) => `${i.kind}:${i.title}`)).toEqual(['opening:Mötets öppnande', 'justerare:Val av justerare och protokollförare', 'other:Information från FK', 'matter:Ansökan', 'closing:Mötets avslutande']);
    expect(editAgenda(items, [{ id: 's0' }])).toEqual({ errors: [{ field: 'items', problem: `the matter item "Ansökan" (${matter.id}) must stay on the agenda` }] });
    expect(editAgenda(items, [{ id: matter.id }, { id: matter.id }, { id: 'zz' }])).toEqual({ errors: [{ field: 'items[1].id', problem: 'listed twice' }, { field: 'items[2].id', problem: 'no item zz on this agenda' }] });
    expect(editAgenda(items, [{ id: matter.id, title: 'Nytt namn' }])).toEqual({ errors: [{ field: 'items[0].title', problem: "a matter's item keeps the matter's title; change the matter instead" }] });
  });
  it('numbers the minutes through the year and knows which matters still lack a decision', () => {
    expect(paragraphs([{ number: 2 }, { number: 1 }, { number: 3 }], 14).map((i) => [i.number, i.paragraph])).toEqual([[1, 15], [2, 16], [3, 17]]);
    expect(undecided([{ kind: 'matter', decision: null }, { kind: 'matter', decision: '  ' }, { kind: 'matter', decision: 'Beviljas.' }, { kind: 'opening', decision: null }])).toHaveLength(2);
  });
});

describe('ledamöter, ersättare and the quorum', () => {
  const seat = (personId: string, role: string, memberId: string | null, order: number | null = null, from: string | null = '2023-01-01', to: string | null = '2026-12-31'): Seat => ({ personId, name: personId, role, memberId, order, from, to });
  const roster = [seat('l-kommun', 'chair', 'kommun'), seat('l-region', 'member', 'region'), seat('l-fk', 'member', 'fk'), seat('e-region', 'deputy', 'region', 1), seat('e-kommun', 'deputy', 'kommun', 2), seat('e-fk', 'deputy', 'fk', 3)];
  const called = (ids: string[], declined: string[] = []): Called[] => ids.map((personId) => ({ personId, seat: personId.startsWith('l-') ? 'ledamot' : 'ersattare', forPersonId: null, status: declined.includes(personId) ? 'declined' : 'invited' }));
  it('holds seats for the mandatperiod', () => {
    expect(rosterOn(roster, '2026-12-31')).toHaveLength(6);
    expect(rosterOn(roster, '2027-01-01')).toHaveLength(0);
    expect(rosterOn([seat('x', 'member', null, null, null, null)], '1999-01-01')).toHaveLength(1);
  });
  it("calls in the member's own ersättare, never another member's", () => {
    expect(ersattareFor(roster, called(['l-kommun', 'l-region', 'l-fk']), 'l-kommun')?.personId).toBe('e-kommun');
    // The region's ersättare is free and first in the body's order, but the region already has its vote.
    expect(ersattareFor(roster, called(['l-kommun', 'l-region', 'l-fk', 'e-kommun'], ['l-region']), 'l-kommun')).toBeUndefined();
    expect(ersattareFor(roster, called(['l-kommun', 'l-region', 'l-fk', 'e-kommun', 'e-region', 'e-fk']), 'l-fk')).toBeUndefined();
  });
  it('is quorate with more than half of the seats filled', () => {
    expect(quorumForecast(3, called(['l-kommun', 'l-region', 'l-fk'], ['l-kommun']))).toEqual({ seats: 3, expected: 2, needed: 2, quorate: true });
    expect(quorumForecast(4, called(['a', 'b', 'c', 'd'], ['a', 'b']))).toEqual({ seats: 4, expected: 2, needed: 3, quorate: false });
    expect(quorumForecast(0, []).quorate).toBe(false);
  });
});

// Finsamlagen 12 §: an ersättare steps in only for a ledamot of the member organisation that
// elected them, in the order that member set. Two municipalities are two members: Kumla's
// förhinder must never give Askersund a second vote.
describe('who is called in for a ledamot who cannot come (Finsamlagen 12 §)', () => {
  const seat = (personId: string, role: string, memberId: string | null, order: number | null = null): Seat => ({ personId, name: personId, role, memberId, order, from: null, to: null });
  // Kumla set its ersättare in the order Kim, then Alva (the order, not the name, decides); Askersund's
  // ersättare is first in the body's order and is free throughout.
  const roster = [
    seat('ledamot-kumla', 'chair', 'kumla'),
    seat('ledamot-askersund', 'member', 'askersund'),
    seat('ersattare-askersund', 'deputy', 'askersund', 1),
    seat('kim-kumla', 'deputy', 'kumla', 2),
    seat('alva-kumla', 'deputy', 'kumla', 3),
  ];
  const ledamot = (personId: string, status: Called['status'] = 'invited'): Called => ({ personId, seat: 'ledamot', forPersonId: null, status });
  const standIn = (personId: string, forPersonId: string, status: Called['status'] = 'invited'): Called => ({ personId, seat: 'ersattare', forPersonId, status });

  it("calls in the absent ledamot's own member's first ersättare in the order that member set", () => {
    const called = [ledamot('ledamot-kumla', 'declined'), ledamot('ledamot-askersund')];
    expect(ersattareFor(roster, called, 'ledamot-kumla')?.personId).toBe('kim-kumla');
    expect(ersattareFor(roster, called, 'ledamot-askersund')?.personId).toBe('ersattare-askersund');
  });

  it("replaces an ersättare who declines with the same member's next ersättare, for the same ledamot", () => {
    const called = [ledamot('ledamot-kumla', 'declined'), ledamot('ledamot-askersund'), standIn('kim-kumla', 'ledamot-kumla', 'declined')];
    expect(ersattareFor(roster, called, 'kim-kumla')?.personId).toBe('alva-kumla');
  });

  it("never calls in another member's free ersättare: with none of Kumla's left, Kumla's seat stays empty", () => {
    // The case: Kumla's ersättare declined, and Askersund's was called in, giving Askersund two votes.
    const called = [ledamot('ledamot-kumla', 'declined'), ledamot('ledamot-askersund'), standIn('kim-kumla', 'ledamot-kumla', 'declined'), standIn('alva-kumla', 'ledamot-kumla', 'declined')];
    expect(ersattareFor(roster, called, 'alva-kumla')).toBeUndefined();
    expect(ersattareFor(roster, [ledamot('ledamot-kumla', 'declined'), standIn('kim-kumla', 'ledamot-kumla'), standIn('alva-kumla', 'ledamot-kumla', 'declined')], 'ledamot-kumla')).toBeUndefined();
    // A member that elected no ersättare: nobody.
    expect(ersattareFor([...roster, seat('ledamot-laxa', 'member', 'laxa')], [ledamot('ledamot-laxa')], 'ledamot-laxa')).toBeUndefined();
  });

  it('calls in nobody for a ledamot who represents no member', () => {
    const withoutMember = [...roster, seat('ledamot-utan', 'member', null), seat('ersattare-utan', 'deputy', null, 4)];
    expect(ersattareFor(withoutMember, [ledamot('ledamot-utan')], 'ledamot-utan')).toBeUndefined();
  });

  it('counts an empty seat as empty in the quorum forecast, and a filled seat once', () => {
    const seats = [ledamot('l-1'), ledamot('l-2'), ledamot('ledamot-kumla', 'declined'), ledamot('ledamot-askersund', 'declined')];
    // Kumla's ersättare stands in; Askersund's seat stays empty: 3 of 4, quorate.
    expect(quorumForecast(4, [...seats, standIn('kim-kumla', 'ledamot-kumla')])).toEqual({ seats: 4, expected: 3, needed: 3, quorate: true });
    // Kumla's ersättare both declined: two seats empty, 2 of 4, not quorate.
    expect(quorumForecast(4, [...seats, standIn('kim-kumla', 'ledamot-kumla', 'declined'), standIn('alva-kumla', 'ledamot-kumla', 'declined')])).toEqual({ seats: 4, expected: 2, needed: 3, quorate: false });
    // Two people expected for one seat still fill one seat.
    expect(quorumForecast(4, [...seats, standIn('kim-kumla', 'ledamot-kumla'), standIn('alva-kumla', 'ledamot-kumla')]).expected).toBe(3);
  });
});
