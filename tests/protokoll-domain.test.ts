// The protokoll's record (kommunallagen 5 kap. 62–69 §§; Finsamlagen 12–13 §§): närvaro checked
// against the roster of the meeting's day, who serves for a § when a ledamot is jävig or absent
// (only an ersättare of the same member, in that member's order), reservationer, anteckningar
// and omröstning by the beslutande of that §; each refusal in the words the secretary is shown.
import { describe, expect, it } from 'vitest';
import { editAgenda } from '../domain/dagordning.js';
import { anslagDates, servingForParagraph, validateNarvaro, validateParagraphRecord, type KeyedSeat, type Narvaro, type NarvaroInput, type ParagraphRecordInput } from '../domain/protokoll.js';

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

describe('närvaro: what the secretary may leave out and what is refused', () => {
  it('a list left out is empty: only the beslutande, or only the ersättare present', () => {
    expect(validateNarvaro(roster, { beslutande: ['rut'] } as NarvaroInput)).toEqual({
      ok: true,
      value: { board: [{ personId: id('rut'), name: 'Rut Ordförande', role: 'beslutande', memberName: 'Medlem R' }], others: [] },
    });
    expect(validateNarvaro(roster, { ersattare: ['carl'] } as NarvaroInput)).toEqual({
      ok: true,
      value: { board: [{ personId: id('carl'), name: 'Carl Ersättare', role: 'ersattare', memberName: 'Medlem K' }], others: [] },
    });
  });

  it('an empty key, an ersättare as beslutande and a ledamot as ersättare present are refused in words', () => {
    expect(validateNarvaro(roster, { beslutande: ['', 'carl'], tjanstgorande: [], ersattare: ['olivia'], others: [] })).toEqual({
      ok: false,
      errors: [
        { field: 'beslutande[0]', problem: 'must be a person key' },
        { field: 'beslutande[1]', problem: 'Carl Ersättare is an ersättare: list as tjänstgörande for a ledamot of the same member, or as ersättare present' },
        { field: 'ersattare[0]', problem: 'Olivia Ledamot is a ledamot: list as beslutande' },
      ],
    });
  });

  it('a tjänstgörande ersättare needs a person on the roster and a ledamot on the roster to serve for', () => {
    const r = validateNarvaro(roster, {
      beslutande: [],
      tjanstgorande: [
        null as never,
        { person: 'nobody', for: 'rut' },
        { person: 'ragnar', for: '' },
        { person: 'axel', for: 'zz' },
        { person: 'cecilia', for: 'axel' },
        { person: 'anna', for: 'olivia' },
        { person: 'carl', for: 7 as never },
      ],
      ersattare: [],
      others: [],
    });
    expect(r).toEqual({
      ok: false,
      errors: [
        { field: 'tjanstgorande[0].person', problem: 'must be a person key' },
        { field: 'tjanstgorande[0].for', problem: 'must be the person key of the ledamot served for' },
        { field: 'tjanstgorande[1].person', problem: `"nobody" is not on the board's roster on the meeting's day` },
        { field: 'tjanstgorande[2].for', problem: 'must be the person key of the ledamot served for' },
        { field: 'tjanstgorande[3].for', problem: `"zz" is not on the board's roster on the meeting's day` },
        { field: 'tjanstgorande[4].for', problem: 'Axel Ersättare is an ersättare: an ersättare serves for a ledamot' },
        { field: 'tjanstgorande[5].person', problem: 'Anna Ledamot is a ledamot, not an ersättare' },
        { field: 'tjanstgorande[6].for', problem: 'must be the person key of the ledamot served for' },
      ],
    });
  });

  it('others present need both a name and the title printed after it, trimmed', () => {
    const r = validateNarvaro(roster, { beslutande: ['rut'], tjanstgorande: [], ersattare: [], others: [null as never, { name: 'Örjan' } as never, { title: 'sekreterare' } as never, { name: 'Eva', title: '  ' }] });
    expect(r).toEqual({
      ok: false,
      errors: [
        { field: 'others[0].name', problem: 'must not be empty' },
        { field: 'others[0].title', problem: 'must not be empty: the title printed after the name' },
        { field: 'others[1].title', problem: 'must not be empty: the title printed after the name' },
        { field: 'others[2].name', problem: 'must not be empty' },
        { field: 'others[3].title', problem: 'must not be empty: the title printed after the name' },
      ],
    });
    const ok = validateNarvaro(roster, { beslutande: ['rut'], tjanstgorande: [], ersattare: [], others: [{ name: ' Eva Sekreterare ', title: ' sekreterare ' }] });
    expect(ok.ok && ok.value.others).toEqual([{ name: 'Eva Sekreterare', title: 'sekreterare' }]);
  });
});

describe('who serves for a §: the harder cases', () => {
  it("ersättare the member did not put in order serve in Swedish alphabetical order (Bertil before Åke)", () => {
    const r = [seat('olivia', 'Olivia Ledamot', 'member', 'K'), seat('ake', 'Åke Ersättare', 'deputy', 'K'), seat('bertil', 'Bertil Ersättare', 'deputy', 'K')];
    const v = validateNarvaro(r, { beslutande: ['olivia'], tjanstgorande: [], ersattare: ['ake', 'bertil'], others: [] });
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    expect(servingForParagraph(r, v.value, [id('olivia')])).toEqual([{ personId: id('bertil'), forPersonId: id('olivia') }]);
  });

  it("another ledamot of the same member already decides: the jävig ledamot's seat stays empty without an ersättare", () => {
    const r = [...roster, seat('rolf', 'Rolf Ledamot', 'member', 'R')];
    const v = validateNarvaro(r, { beslutande: ['rut', 'rolf', 'anna', 'olivia'], tjanstgorande: [], ersattare: [], others: [] });
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    expect(servingForParagraph(r, v.value, [id('rut')])).toEqual([]);
  });

  it('a ledamot who represents no member is not replaced, not even by an ersättare who represents none either', () => {
    const r = [seat('ulla', 'Ulla Ledamot', 'member', null), seat('ivar', 'Ivar Ersättare', 'deputy', null, 1)];
    const v = validateNarvaro(r, { beslutande: ['ulla'], tjanstgorande: [], ersattare: ['ivar'], others: [] });
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    expect(servingForParagraph(r, v.value, [id('ulla')])).toEqual([]);
  });

  it("for a jävig tjänstgörande ersättare the member of the ledamot served for decides; the ersättare's own seat only when that ledamot has left the roster", () => {
    // As stored at the meeting: Cecilia served for Olivia (Kumla); Carl (Kumla) and Axel (Askersund) were present.
    const stored: Narvaro = {
      board: [
        { personId: id('cecilia'), name: 'Cecilia Ersättare', role: 'tjanstgorande', forPersonId: id('olivia') },
        { personId: id('carl'), name: 'Carl Ersättare', role: 'ersattare' },
        { personId: id('axel'), name: 'Axel Ersättare', role: 'ersattare' },
      ],
      others: [],
    };
    // The roster has since put Cecilia under Askersund: Olivia's seat is Kumla's, so Kumla's ersättare follows.
    const moved = roster.map((s) => (s.key === 'cecilia' ? { ...s, memberId: 'A' } : s));
    expect(servingForParagraph(moved, stored, [id('cecilia')])).toEqual([{ personId: id('carl'), forPersonId: id('cecilia') }]);
    // Olivia is no longer on the roster: Cecilia's own member (Kumla) decides.
    const withoutOlivia = roster.filter((s) => s.key !== 'olivia');
    expect(servingForParagraph(withoutOlivia, stored, [id('cecilia')])).toEqual([{ personId: id('carl'), forPersonId: id('cecilia') }]);
  });
});

describe("a §'s record: each refusal in words", () => {
  const n = narvaro({ beslutande: ['rut', 'anna', 'olivia'], tjanstgorande: [], ersattare: ['cecilia', 'axel'], others: [] });

  it('jäv and frånvaro, reservationer and anteckningar by persons present, each once', () => {
    const r = validateParagraphRecord(roster, n, {
      jav: ['', 'nobody', 'olivia'],
      franvarande: ['olivia'],
      reservations: [null, { person: 'anna' }, { person: 'anna' }, { person: 'olivia' }],
      notes: [null, { person: 'nobody', text: 'Anteckning.' }, { person: 'anna' }],
    } as unknown as ParagraphRecordInput);
    expect(r).toEqual({
      ok: false,
      errors: [
        { field: 'jav[0]', problem: 'must be a person key' },
        { field: 'jav[1]', problem: `"nobody" is not on the board's roster on the meeting's day` },
        { field: 'franvarande[0]', problem: 'Olivia Ledamot is listed twice' },
        { field: 'reservations[0].person', problem: 'must be a person key' },
        { field: 'reservations[2].person', problem: 'Anna Ledamot is listed twice' },
        { field: 'reservations[3].person', problem: 'Olivia Ledamot did not take part in the decision of this §: only one who took part may reserve against it' },
        { field: 'notes[0].person', problem: 'must be a person key' },
        { field: 'notes[0].text', problem: 'must not be empty' },
        { field: 'notes[1].person', problem: `"nobody" is not on the board's roster on the meeting's day` },
        { field: 'notes[2].text', problem: 'must not be empty' },
      ],
    });
  });

  it("an omröstning's names are the beslutande of the §, each once, and the result is declared", () => {
    const r = validateParagraphRecord(roster, n, { jav: ['olivia'], vote: { yes: ['rut', 'axel'], no: ['rut'], abstain: ['nobody'] } } as unknown as ParagraphRecordInput);
    expect(r).toEqual({
      ok: false,
      errors: [
        { field: 'vote.yes[1]', problem: 'Axel Ersättare is not among the beslutande of this §' },
        { field: 'vote.no[0]', problem: 'Rut Ordförande has already voted' },
        { field: 'vote.abstain[0]', problem: `"nobody" is not on the board's roster on the meeting's day` },
        { field: 'vote.result', problem: 'must not be empty: the result as the ordförande declared it' },
      ],
    });
    expect(validateParagraphRecord(roster, n, { vote: { yes: ['rut'], no: [], abstain: [], result: '   ' } })).toEqual({
      ok: false,
      errors: [{ field: 'vote.result', problem: 'must not be empty: the result as the ordförande declared it' }],
    });
  });

  it('an omröstning needs the votes, unless the names given were refused', () => {
    const needs = { field: 'vote', problem: 'an omröstning needs the votes' };
    expect(validateParagraphRecord(roster, n, { vote: { yes: [], no: [], abstain: [], result: 'Bifall.' } })).toEqual({ ok: false, errors: [needs] });
    expect(validateParagraphRecord(roster, n, { notes: [{ person: 'anna', text: '' }], vote: { yes: [], no: [], abstain: [], result: 'Bifall.' } })).toEqual({
      ok: false,
      errors: [{ field: 'notes[0].text', problem: 'must not be empty' }, needs],
    });
    expect(validateParagraphRecord(roster, n, { vote: { yes: ['nobody'], no: [], abstain: [], result: 'Bifall.' } })).toEqual({
      ok: false,
      errors: [{ field: 'vote.yes[0]', problem: `"nobody" is not on the board's roster on the meeting's day` }],
    });
    // Neither votes nor a result: the secretary is told both at once, not one per try.
    expect(validateParagraphRecord(roster, n, { vote: { yes: [], no: [], abstain: [], result: ' ' } })).toEqual({
      ok: false,
      errors: [{ field: 'vote.result', problem: 'must not be empty: the result as the ordförande declared it' }, needs],
    });
  });

  it('votes on one side only are an omröstning (the sides left out are empty); the result is trimmed; a reservation may have no motivation', () => {
    const r = validateParagraphRecord(roster, n, { reservations: [{ person: 'anna' }], vote: { yes: ['rut', 'olivia'], result: ' Styrelsen bifaller förslaget. ' } } as unknown as ParagraphRecordInput);
    expect(r).toEqual({
      ok: true,
      value: {
        notTakingPart: [],
        servingInstead: [],
        reservations: [{ personId: id('anna') }],
        notes: [],
        vote: { yes: [id('rut'), id('olivia')], no: [], abstain: [], result: 'Styrelsen bifaller förslaget.' },
      },
    });
    const onlyNo = validateParagraphRecord(roster, n, { vote: { yes: [], no: ['anna'], abstain: [], result: 'Avslag.' } });
    expect(onlyNo.ok && onlyNo.value.vote).toEqual({ yes: [], no: [id('anna')], abstain: [], result: 'Avslag.' });
    const onlyAbstain = validateParagraphRecord(roster, n, { vote: { yes: [], no: [], abstain: ['anna'], result: 'Ingen majoritet.' } });
    expect(onlyAbstain.ok && onlyAbstain.value.vote).toEqual({ yes: [], no: [], abstain: [id('anna')], result: 'Ingen majoritet.' });
  });
});
