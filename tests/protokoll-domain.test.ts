// The protokoll's record (kommunallagen 5 kap. 62–69 §§; Finsamlagen 12–13 §§): närvaro checked
// against the roster of the meeting's day, who serves for a § when a ledamot is jävig or absent
// (only an ersättare of the same member, in that member's order), reservationer, anteckningar
// and omröstning by the beslutande of that §.
import { describe, expect, it } from 'vitest';
import { editAgenda } from '../domain/dagordning.js';
import { anslagDates, servingForParagraph, validateNarvaro, validateParagraphRecord, type KeyedSeat, type Narvaro } from '../domain/protokoll.js';

const seat = (key: string, name: string, role: string, memberId: string | null, order: number | null = null): KeyedSeat => ({ personId: `id-${key}`, key, name, role, memberId, order, from: null, to: null, memberName: memberId ? `Medlem ${memberId}` : null });

// Kumla (K): a ledamot and two ersättare; Askersund (A): a ledamot and one ersättare; Region (R): the chair and one ersättare.
const roster: KeyedSeat[] = [
  seat('olivia', 'Olivia Ledamot', 'member', 'K'),
  seat('carl', 'Carl Ersättare', 'deputy', 'K', 2),
  seat('cecilia', 'Cecilia Ersättare', 'deputy', 'K', 1),
  seat('anna', 'Anna Ledamot', 'member', 'A'),
  seat('axel', 'Axel Ersättare', 'deputy', 'A', 1),
  seat('rut', 'Rut Ordförande', 'chair', 'R'),
  seat('ragnar', 'Ragnar Ersättare', 'deputy', 'R', 1),
];
const id = (key: string) => `id-${key}`;

const narvaro = (input: Parameters<typeof validateNarvaro>[1]): Narvaro => {
  const r = validateNarvaro(roster, input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

describe('närvaro', () => {
  it('records beslutande, tjänstgörande ersättare for a ledamot of the same member, ersättare present and others with their titles', () => {
    const n = narvaro({ beslutande: ['rut', 'anna'], tjanstgorande: [{ person: 'cecilia', for: 'olivia' }], ersattare: ['carl', 'axel'], others: [{ name: ' Örjan Tjänsteman ', title: 'förbundschef' }] });
    expect(n.board.map((p) => [p.name, p.role, p.forPersonId ?? null])).toEqual([
      ['Rut Ordförande', 'beslutande', null],
      ['Anna Ledamot', 'beslutande', null],
      ['Cecilia Ersättare', 'tjanstgorande', id('olivia')],
      ['Carl Ersättare', 'ersattare', null],
      ['Axel Ersättare', 'ersattare', null],
    ]);
    expect(n.board[2].memberName).toBe('Medlem K');
    expect(n.others).toEqual([{ name: 'Örjan Tjänsteman', title: 'förbundschef' }]);
  });

  it("an ersättare serves only for a ledamot of the same member (Finsamlagen 12 §); each person once; each in the right list", () => {
    const r = validateNarvaro(roster, {
      beslutande: ['rut', 'carl', 'nobody'],
      tjanstgorande: [{ person: 'axel', for: 'olivia' }, { person: 'ragnar', for: 'rut' }, { person: 'cecilia', for: 'olivia' }],
      ersattare: ['anna', 'rut'],
      others: [{ name: 'Örjan', title: '' }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field)).toEqual([
      'beslutande[1]',
      'beslutande[2]',
      'tjanstgorande[0].person',
      'tjanstgorande[1].for',
      'tjanstgorande[2].for',
      'ersattare[0]',
      'ersattare[1]',
      'others[0].title',
    ]);
    expect(r.errors[2].problem).toBe('Axel Ersättare is not an ersättare of the same member as Olivia Ledamot (Finsamlagen 12 §)');
    expect(r.errors[3].problem).toMatch(/Rut Ordförande is present as beslutande/);
    expect(r.errors[4].problem).toMatch(/already served for/);
    expect(r.errors[6].problem).toMatch(/already listed \(beslutande\[0\]\)/);
    expect(r.errors[1].problem).toMatch(/not on the board's roster/);
  });
});

describe('who serves for a §', () => {
  const n = narvaro({ beslutande: ['rut', 'anna', 'olivia'], tjanstgorande: [], ersattare: ['carl', 'cecilia', 'ragnar'], others: [] });

  it("a jävig ledamot's seat goes to the same member's first free ersättare in that member's order", () => {
    expect(servingForParagraph(roster, n, [id('olivia')])).toEqual([{ personId: id('cecilia'), forPersonId: id('olivia') }]);
    // Cecilia is jävig too: the next of Kumla's order serves.
    expect(servingForParagraph(roster, n, [id('olivia'), id('cecilia')])).toEqual([{ personId: id('carl'), forPersonId: id('olivia') }]);
  });

  it("never an ersättare of another member: Askersund's seat stays empty when its ersättare is not present", () => {
    expect(servingForParagraph(roster, n, [id('anna')])).toEqual([]);
    expect(servingForParagraph(roster, n, [id('anna'), id('rut')])).toEqual([{ personId: id('ragnar'), forPersonId: id('rut') }]);
  });

  it('a tjänstgörande ersättare who is jävig is followed by the next of the same member; one already serving does not serve twice', () => {
    const t = narvaro({ beslutande: ['rut', 'anna'], tjanstgorande: [{ person: 'cecilia', for: 'olivia' }], ersattare: ['carl'], others: [] });
    expect(servingForParagraph(roster, t, [id('cecilia')])).toEqual([{ personId: id('carl'), forPersonId: id('cecilia') }]);
    const one = narvaro({ beslutande: ['rut', 'anna', 'olivia'], tjanstgorande: [], ersattare: [], others: [] });
    expect(servingForParagraph(roster, one, [id('olivia')])).toEqual([]);
  });
});

describe("a §'s record", () => {
  const n = narvaro({ beslutande: ['rut', 'anna', 'olivia'], tjanstgorande: [], ersattare: ['cecilia', 'axel'], others: [{ name: 'Örjan Tjänsteman', title: 'förbundschef' }] });

  it('records jäv with who serves instead, a reservation, an anteckning and an omröstning by the beslutande of the §', () => {
    const r = validateParagraphRecord(roster, n, {
      jav: ['olivia'],
      reservations: [{ person: 'anna', text: ' Till förmån för eget förslag. ' }],
      notes: [{ person: 'axel', text: 'Askersund vill följa upp insatsen.' }],
      vote: { yes: ['rut', 'cecilia'], no: ['anna'], abstain: [], result: 'Styrelsen har beslutat enligt ordförandens förslag.' },
    });
    expect(r).toEqual({
      ok: true,
      value: {
        notTakingPart: [{ personId: id('olivia'), reason: 'jav' }],
        servingInstead: [{ personId: id('cecilia'), forPersonId: id('olivia') }],
        reservations: [{ personId: id('anna'), text: 'Till förmån för eget förslag.' }],
        notes: [{ personId: id('axel'), text: 'Askersund vill följa upp insatsen.' }],
        vote: { yes: [id('rut'), id('cecilia')], no: [id('anna')], abstain: [], result: 'Styrelsen har beslutat enligt ordförandens förslag.' },
      },
    });
  });

  it("refuses one not present, a reservation by one who did not take part, a vote by one who is not beslutande for the §, a vote twice", () => {
    const r = validateParagraphRecord(roster, n, {
      jav: ['olivia', 'carl'],
      franvarande: ['olivia'],
      reservations: [{ person: 'olivia' }, { person: 'axel' }],
      notes: [{ person: 'anna', text: ' ' }],
      vote: { yes: ['olivia', 'rut'], no: ['rut'], abstain: [], result: '' },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field)).toEqual(['jav[1]', 'franvarande[0]', 'reservations[0].person', 'reservations[1].person', 'notes[0].text', 'vote.yes[0]', 'vote.no[0]', 'vote.result']);
    expect(r.errors[0].problem).toBe('Carl Ersättare is not recorded as present at the meeting');
    expect(r.errors[2].problem).toMatch(/Olivia Ledamot did not take part in the decision/);
  });

  it('needs the närvaro first', () => {
    expect(validateParagraphRecord(roster, null, {})).toEqual({ ok: false, errors: [{ field: 'narvaro', problem: expect.stringMatching(/närvaro first/) }] });
    expect(validateParagraphRecord(roster, n, {})).toEqual({ ok: true, value: { notTakingPart: [], servingInstead: [], reservations: [], notes: [] } });
  });
});

describe('anslag', () => {
  it('is up three weeks from the day of justering', () => {
    expect(anslagDates('2037-03-04')).toEqual({ postedOn: '2037-03-04', removedOn: '2037-03-25', appealUntil: '2037-03-25' });
  });
});

describe('förslag till beslut on the föredragningslista', () => {
  it("a kept item takes its förslag (null clears it, absent leaves it); a new item has none", () => {
    const current = [
      { id: 'a', title: 'Mötets öppnande', kind: 'opening' as const },
      { id: 'b', title: 'Ansökan', kind: 'matter' as const, matterId: 'm' },
    ];
    const r = editAgenda(current, [{ id: 'a', proposal: null }, { id: 'b', proposal: '  Styrelsen beviljar.  ' }, { title: 'Information' }]);
    expect(r).toEqual({ items: [{ ...current[0], proposal: null }, { ...current[1], proposal: 'Styrelsen beviljar.' }, { kind: 'other', title: 'Information' }] });
    expect(editAgenda(current, [{ id: 'a' }, { id: 'b' }])).toEqual({ items: current });
  });
});
