// "Anmälan av delegationsbeslut" (pure): which recorded decisions go to a board meeting, in which
// order, how the item prints them, where it stands on the agenda, and what is recorded at all.
import { describe, expect, it } from 'vitest';
import { draftAgenda, editAgenda, withMatters } from '../domain/dagordning.js';
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
    expect(delegationReportLines(delegationReport([d('b', '2027-02-04'), d('a', '2027-02-03')], '2027-02-11'))).toEqual([
      '2027-02-03 Attest av fakturor (punkt 3.2), Olga Tjänsteman (förbundschef): Beslut a.',
      '2027-02-04 Attest av fakturor (punkt 3.2), Olga Tjänsteman (förbundschef): Beslut b.',
    ]);
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
});
