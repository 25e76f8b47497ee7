// "Anmälan av delegationsbeslut" (pure): which recorded decisions go to a board meeting, in which
// order, how the item prints them, where it stands on the agenda, and what is recorded at all.
import { describe, expect, it } from 'vitest';
import { draftAgenda, editAgenda, withMatters, type AgendaKind } from '../domain/dagordning.js';
import { DELEGATION_REPORT_PROPOSAL, DELEGATION_REPORT_TITLE, delegationLine, delegationReport, delegationReportLines, dueForMeeting, validateDelegation, withDelegationReport, type DelegationEntry } from '../domain/delegation.js';
import { withReportStatus } from '../domain/rapportlage.js';

const d = (id: string, decidedOn: string, recordedAt = `${decidedOn}T10:00:00.000Z`, o: Partial<DelegationEntry> = {}): DelegationEntry => ({
  id,
  decidedOn,
  deciderName: 'Olga Tjänsteman',
  deciderTitle: 'förbundschef',
  delegationPoint: '3.2',
  subject: 'Attest av fakturor',
  decision: `Beslut ${id}.`,
  recordedAt,
  reportedAtItemId: null,
  ...o,
});

describe('the decisions a meeting is told of', () => {
  it('recorded, not yet reported, decided on or before the day the agenda closes; by day decided, then as recorded', () => {
    const xs = [
      d('late', '2027-02-12'),
      d('b', '2027-02-03', '2027-02-05T08:00:00.000Z'),
      d('a', '2027-02-03', '2027-02-03T08:00:00.000Z'),
      d('first', '2027-01-20'),
      d('reported', '2027-01-10', undefined, { reportedAtItemId: 'item-1' }),
      d('closing-day', '2027-02-11'),
    ];
    expect(dueForMeeting(xs, '2027-02-11').map((x) => x.id)).toEqual(['first', 'a', 'b', 'closing-day']);
    expect(dueForMeeting(xs, '2027-03-30').map((x) => x.id)).toEqual(['first', 'a', 'b', 'closing-day', 'late']);
    expect(delegationReport([], '2027-02-11')).toEqual({ decisions: [] });
    expect(delegationReport([d('a', '2027-02-03')], '2027-02-11').decisions[0]).not.toHaveProperty('reportedAtItemId');
  });

  it('prints one line each: the day, what, the point, who with the Swedish title, and the decision', () => {
    expect(delegationLine({ ...d('x', '2027-02-03'), decision: 'Fakturorna\nför januari   attesteras.' })).toBe('2027-02-03 Attest av fakturor (punkt 3.2), Olga Tjänsteman (förbundschef): Fakturorna för januari attesteras.');
    expect(delegationLine({ ...d('x', '2027-02-03'), delegationPoint: 'Punkt 4.1', deciderTitle: '' })).toBe('2027-02-03 Attest av fakturor (punkt 4.1), Olga Tjänsteman: Beslut x.');
    expect(delegationLine({ ...d('x', '2027-02-03'), deciderTitle: '  ' }), 'a title of only spaces is no title').toBe('2027-02-03 Attest av fakturor (punkt 3.2), Olga Tjänsteman: Beslut x.');
    expect(delegationReportLines(delegationReport([d('b', '2027-02-04'), d('a', '2027-02-03')], '2027-02-11'))).toEqual([
      '2027-02-03 Attest av fakturor (punkt 3.2), Olga Tjänsteman (förbundschef): Beslut a.',
      '2027-02-04 Attest av fakturor (punkt 3.2), Olga Tjänsteman (förbundschef): Beslut b.',
    ]);
  });

  it('a decision taken earlier but recorded later still comes first: the day decided rules, not when it was recorded', () => {
    const xs = [d('recorded-first', '2027-02-05', '2027-02-05T08:00:00.000Z'), d('decided-first', '2027-02-01', '2027-02-10T08:00:00.000Z')];
    expect(dueForMeeting(xs, '2027-02-11').map((x) => x.id)).toEqual(['decided-first', 'recorded-first']);
  });

  it('prints names, titles, subjects and points without stray spaces or line breaks at their ends', () => {
    const line = delegationLine({ ...d('x', '2027-02-03'), deciderName: ' Olga Tjänsteman\n', deciderTitle: '  förbundschef ', delegationPoint: '\tPunkt 4.1 ', subject: '\nAttest av fakturor  ', decision: '\nFakturorna attesteras.\n' });
    expect(line).toBe('2027-02-03 Attest av fakturor (punkt 4.1), Olga Tjänsteman (förbundschef): Fakturorna attesteras.');
  });

  it('drops only a leading "punkt" from the point: a "punkt" further in is part of the point', () => {
    expect(delegationLine({ ...d('x', '2027-02-03'), delegationPoint: 'Kapitel 4 punkt 2' })).toBe('2027-02-03 Attest av fakturor (punkt Kapitel 4 punkt 2), Olga Tjänsteman (förbundschef): Beslut x.');
  });
});

describe('the item on the agenda', () => {
  it('stands after the official’s report (and after the report status), once, and leaves when there is nothing to report', () => {
    const agenda = withMatters(draftAgenda(), [{ id: 'm1', title: 'Budget 2028' }]);
    const withIt = withDelegationReport(agenda, true);
    expect(withIt.map((i) => i.kind)).toEqual(['opening', 'justerare', 'agenda', 'previous_minutes', 'official_report', 'delegation_report', 'matter', 'other_questions', 'closing']);
    expect(withIt.find((i) => i.kind === 'delegation_report')).toMatchObject({ title: DELEGATION_REPORT_TITLE, proposal: DELEGATION_REPORT_PROPOSAL });
    expect(DELEGATION_REPORT_TITLE).toBe('Anmälan av delegationsbeslut');
    expect(DELEGATION_REPORT_PROPOSAL).toBe('Styrelsen lägger anmälan av delegationsbesluten till handlingarna.');
    expect(withDelegationReport(withIt, true).filter((i) => i.kind === 'delegation_report')).toHaveLength(1);
    expect(withDelegationReport(withIt, false).map((i) => i.kind)).not.toContain('delegation_report');
    // With the report status, in either order of compiling: the report status first.
    const both = ['official_report', 'report_status', 'delegation_report', 'matter'];
    expect(withDelegationReport(withReportStatus(agenda, true), true).map((i) => i.kind).filter((k) => both.includes(k))).toEqual(both);
    expect(withReportStatus(withDelegationReport(agenda, true), true).map((i) => i.kind).filter((k) => both.includes(k))).toEqual(both);
  });

  it('the secretary may neither drop nor retitle it', () => {
    const current = withDelegationReport(draftAgenda(), true).map((e, i) => ({ ...e, id: `i${i}` }));
    const item = current.find((i) => i.kind === 'delegation_report')!;
    const dropped = editAgenda(current, current.filter((i) => i.id !== item.id).map((i) => ({ id: i.id })));
    expect('errors' in dropped && dropped.errors.map((e) => e.field)).toEqual(['items']);
    const retitled = editAgenda(current, current.map((i) => (i.id === item.id ? { id: i.id, title: 'Annat' } : { id: i.id })));
    expect('errors' in retitled && retitled.errors.map((e) => e.field)).toEqual([`items[${current.indexOf(item)}].title`]);
    expect('items' in editAgenda(current, current.map((i) => ({ id: i.id })))).toBe(true);
  });

  it('compiled again, the item stays the one on the agenda, with the förslag till beslut the secretary wrote', () => {
    const own = 'Styrelsen lägger anmälan till handlingarna och noterar beslutet om attest.';
    const agenda = withDelegationReport(draftAgenda(), true).map((e, i) => ({ ...e, id: `i${i}`, ...(e.kind === 'delegation_report' ? { proposal: own } : {}) }));
    const again = withDelegationReport(agenda, true).find((i) => i.kind === 'delegation_report');
    expect(again).toEqual({ id: 'i5', kind: 'delegation_report', title: DELEGATION_REPORT_TITLE, proposal: own });
  });

  const at = (kinds: AgendaKind[]) =>
    withDelegationReport(
      kinds.map((kind) => ({ kind, title: kind })),
      true,
    ).map((i) => i.kind);

  it('follows the report status, and else the official’s report, wherever the secretary has moved them', () => {
    expect(at(['report_status', 'opening', 'justerare', 'official_report', 'matter', 'closing'])).toEqual(['report_status', 'delegation_report', 'opening', 'justerare', 'official_report', 'matter', 'closing']);
    expect(at(['official_report', 'opening', 'justerare', 'previous_minutes', 'matter', 'closing'])).toEqual(['official_report', 'delegation_report', 'opening', 'justerare', 'previous_minutes', 'matter', 'closing']);
    expect(at(['opening', 'official_report', 'previous_minutes', 'matter', 'closing'])).toEqual(['opening', 'official_report', 'delegation_report', 'previous_minutes', 'matter', 'closing']);
  });

  it('without the official’s report: before the first matter, free item, övriga frågor or closing, whichever comes first; else last', () => {
    const before = ['opening', 'justerare', 'agenda', 'previous_minutes'] as const;
    expect(at([...before, 'matter', 'other', 'other_questions', 'closing'])).toEqual([...before, 'delegation_report', 'matter', 'other', 'other_questions', 'closing']);
    expect(at([...before, 'other', 'matter', 'closing'])).toEqual([...before, 'delegation_report', 'other', 'matter', 'closing']);
    expect(at([...before, 'other_questions', 'closing'])).toEqual([...before, 'delegation_report', 'other_questions', 'closing']);
    expect(at([...before, 'closing'])).toEqual([...before, 'delegation_report', 'closing']);
    expect(at(['matter', 'closing'])).toEqual(['delegation_report', 'matter', 'closing']);
    expect(at(['opening', 'justerare'])).toEqual(['opening', 'justerare', 'delegation_report']);
  });
});

describe('what is recorded', () => {
  const good = { decidedOn: '2027-02-03', delegationPoint: '3.2', subject: 'Attest av fakturor', decision: 'Fakturorna attesteras.\nBeloppen framgår av bilagan.' };

  it('takes a decision of today or earlier, trimmed', () => {
    expect(validateDelegation({ ...good, subject: '  Attest av fakturor ' }, '2027-02-03')).toEqual({ ok: true, value: { ...good } });
  });

  it('names each field at fault', () => {
    const fields = (input: Record<string, unknown>, partial = false) => {
      const r = validateDelegation(input, '2027-02-03', partial);
      return r.ok ? [] : r.problems.map((p) => p.field);
    };
    expect(fields({})).toEqual(['decidedOn', 'delegationPoint', 'subject', 'decision']);
    expect(fields({ ...good, decidedOn: '2027-02-04' })).toEqual(['decidedOn']); // in the future
    expect(fields({ ...good, decidedOn: '3 februari' })).toEqual(['decidedOn']);
    expect(fields({ ...good, subject: 'Attest\nav fakturor' })).toEqual(['subject']); // one line
    expect(fields({ ...good, delegationPoint: 'x'.repeat(201) })).toEqual(['delegationPoint']);
    expect(fields({ ...good, decision: 'x'.repeat(5001) })).toEqual(['decision']);
    expect(fields({ ...good, decision: 'Gäller 19121212-1212.' })).toEqual(['decision']); // a personnummer
    expect(fields({ decision: 'Rättat.' }, true)).toEqual([]);
    expect(fields({ subject: '' }, true)).toEqual(['subject']);
    const r = validateDelegation({ ...good, decidedOn: '2027-02-04' }, '2027-02-03');
    expect(!r.ok && r.problems[0].sv).toBe('Beslutsdagen kan inte ligga i framtiden.');
  });

  const problems = (input: Record<string, unknown>, today = '2027-02-03') => {
    const r = validateDelegation(input, today);
    return r.ok ? [] : r.problems;
  };

  it('a new decision with nothing filled in (or only spaces) is asked for every field, in Swedish and English', () => {
    const missing = [
      { field: 'decidedOn', problem: 'is required: the day it was decided, YYYY-MM-DD', sv: 'Ange dagen då beslutet fattades, till exempel 2027-02-03.' },
      { field: 'delegationPoint', problem: 'is required', sv: 'Ange punkten i delegationsordningen, till exempel 3.2.' },
      { field: 'subject', problem: 'is required', sv: 'Ange vad beslutet gäller.' },
      { field: 'decision', problem: 'is required', sv: 'Skriv beslutet.' },
    ];
    expect(problems({})).toEqual(missing);
    expect(problems({ decidedOn: '  ', delegationPoint: ' ', subject: '\n', decision: ' \n ' })).toEqual(missing);
  });

  it('says when the day is not a date, or lies after today', () => {
    expect(problems({ ...good, decidedOn: '3 februari' })).toEqual([{ field: 'decidedOn', problem: 'must be a date YYYY-MM-DD', sv: 'Ange dagen som ett datum, till exempel 2027-02-03.' }]);
    expect(problems({ ...good, decidedOn: '2027-02-04' })).toEqual([{ field: 'decidedOn', problem: 'must not be in the future (today is 2027-02-03)', sv: 'Beslutsdagen kan inte ligga i framtiden.' }]);
    expect(problems({ ...good, decidedOn: ' 2027-02-04' })).toEqual([{ field: 'decidedOn', problem: 'must not be in the future (today is 2027-02-03)', sv: 'Beslutsdagen kan inte ligga i framtiden.' }]);
  });

  it('takes a day typed with spaces around it, and stores the day alone', () => {
    expect(validateDelegation({ ...good, decidedOn: ' 2027-02-03 ' }, '2027-02-03')).toEqual({ ok: true, value: good });
  });

  it('takes the point, the subject at 200 characters and the decision at 5 000, and refuses one more with the limit in words', () => {
    const full = { ...good, delegationPoint: 'p'.repeat(200), subject: 's'.repeat(200), decision: 'd'.repeat(5000) };
    expect(validateDelegation(full, '2027-02-03')).toEqual({ ok: true, value: full });
    expect(problems({ ...good, delegationPoint: 'p'.repeat(201), subject: 's'.repeat(201), decision: 'd'.repeat(5001) })).toEqual([
      { field: 'delegationPoint', problem: 'must be at most 200 characters', sv: 'Skriv punkten med högst 200 tecken.' },
      { field: 'subject', problem: 'must be at most 200 characters', sv: 'Skriv vad beslutet gäller med högst 200 tecken.' },
      { field: 'decision', problem: 'must be at most 5000 characters', sv: 'Skriv beslutet med högst 5 000 tecken.' },
    ]);
  });

  it('the point is one line; the decision may run over lines, stored with plain line breaks', () => {
    expect(problems({ ...good, delegationPoint: '3.2\n4.1' })).toEqual([{ field: 'delegationPoint', problem: 'must be one line of text without control characters (U+000A line feed)', sv: 'Texten får bara vara en rad, utan radbrytningar eller osynliga styrtecken.' }]);
    expect(validateDelegation({ ...good, decision: 'Fakturorna attesteras.\r\nBeloppen framgår av bilagan.' }, '2027-02-03')).toEqual({ ok: true, value: good });
  });
});
