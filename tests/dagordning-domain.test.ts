// The föredragningslista (domain/dagordning.ts): where matters are placed among the standing items
// the secretary kept, the secretary's edits (förslag till beslut, the compiled items that must stay
// and keep their titles) with each refusal in words, and the § numbers through the year.
import { describe, expect, it } from 'vitest';
import { STANDING_AFTER, STANDING_BEFORE, draftAgenda, editAgenda, paragraphs, withMatters, type AgendaEntry } from '../domain/dagordning.js';

const titles = (items: AgendaEntry[]) => items.map((i) => i.title);
const budget = { id: 'm1', title: 'Budget 2028' };

describe('matters placed on the agenda', () => {
  it("go before Mötets avslutande when the secretary removed Övriga frågor", () => {
    const items = draftAgenda().filter((e) => e.kind !== 'other_questions');
    expect(titles(withMatters(items, [budget]))).toEqual(['Mötets öppnande', 'Val av justerare', 'Godkännande av dagordningen', 'Föregående protokoll', 'Verkställande tjänstemannens rapport', 'Budget 2028', 'Mötets avslutande']);
  });

  it('go last when the agenda has neither Övriga frågor nor Mötets avslutande', () => {
    const items = STANDING_BEFORE.map((e) => ({ ...e }));
    expect(titles(withMatters(items, [budget]))).toEqual(['Mötets öppnande', 'Val av justerare', 'Godkännande av dagordningen', 'Föregående protokoll', 'Verkställande tjänstemannens rapport', 'Budget 2028']);
  });

  it('go first when Övriga frågor is the first item left', () => {
    const items = STANDING_AFTER.map((e) => ({ ...e }));
    expect(withMatters(items, [budget])).toEqual([{ kind: 'matter', title: 'Budget 2028', matterId: 'm1' }, { kind: 'other_questions', title: 'Övriga frågor' }, { kind: 'closing', title: 'Mötets avslutande' }]);
  });
});

describe("the secretary's edit of the agenda", () => {
  const current = [
    { id: 'a', kind: 'opening' as const, title: 'Mötets öppnande' },
    { id: 'rs', kind: 'report_status' as const, title: 'Rapportläge för insatserna' },
    { id: 'dr', kind: 'delegation_report' as const, title: 'Anmälan av delegationsbeslut' },
    { id: 'm', kind: 'matter' as const, title: 'Ansökan om medel', matterId: 'm1', proposal: 'Styrelsen beviljar.' },
    { id: 'z', kind: 'closing' as const, title: 'Mötets avslutande' },
  ];
  const all = () => current.map((i) => ({ id: i.id }));

  it('the report status and the delegation decisions keep their titles', () => {
    expect(editAgenda(current, [{ id: 'a' }, { id: 'rs', title: 'Rapporter' }, { id: 'dr' }, { id: 'm' }, { id: 'z' }])).toEqual({
      errors: [{ field: 'items[1].title', problem: 'the compiled report status keeps its title' }],
    });
    expect(editAgenda(current, [{ id: 'a' }, { id: 'rs' }, { id: 'dr', title: 'Delegation' }, { id: 'm' }, { id: 'z' }])).toEqual({
      errors: [{ field: 'items[2].title', problem: 'the compiled report of delegation decisions keeps its title' }],
    });
  });

  it('the report status and the delegation decisions must stay on the agenda', () => {
    expect(editAgenda(current, [{ id: 'a' }, { id: 'm' }, { id: 'z' }])).toEqual({
      errors: [
        { field: 'items', problem: 'the item "Rapportläge för insatserna" (rs) lists the overdue reports and must stay on the agenda' },
        { field: 'items', problem: 'the item "Anmälan av delegationsbeslut" (dr) reports the delegation decisions and must stay on the agenda' },
      ],
    });
  });

  it('a förslag till beslut is at most 10000 characters; one of only spaces clears it', () => {
    const edit = (proposal: string | null) => editAgenda(current, all().map((e) => (e.id === 'm' ? { id: 'm', proposal } : e)));
    const matterItem = (r: ReturnType<typeof edit>) => ('items' in r ? r.items.find((i) => i.kind === 'matter') : r);
    expect(matterItem(edit('x'.repeat(10000)))).toMatchObject({ proposal: 'x'.repeat(10000) });
    expect(edit('x'.repeat(10001))).toEqual({ errors: [{ field: 'items[3].proposal', problem: 'must be at most 10000 characters' }] });
    expect(matterItem(edit('   '))).toMatchObject({ proposal: null });
    expect(matterItem(edit(' Styrelsen avslår. '))).toMatchObject({ proposal: 'Styrelsen avslår.' });
  });
});

describe('the § numbers', () => {
  it('run on from the last § of the year in agenda order', () => {
    expect(paragraphs([{ number: 3 }, { number: 1 }, { number: 2 }], 0).map((i) => [i.number, i.paragraph])).toEqual([[1, 1], [2, 2], [3, 3]]);
  });
});
