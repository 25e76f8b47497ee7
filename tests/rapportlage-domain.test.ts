// Where "Rapportläge för insatserna" goes on a föredragningslista (domain/rapportlage.ts): after the
// official's report; on an agenda without one, before the first matter, free item, övriga frågor or
// the closing; last when there is none of them. An item already on the agenda keeps its place in
// the store (its id), and it is never there twice.
import { describe, expect, it } from 'vitest';
import type { AgendaEntry, AgendaKind } from '../domain/dagordning.js';
import { REPORT_STATUS_PROPOSAL, REPORT_STATUS_TITLE, withReportStatus } from '../domain/rapportlage.js';

const agenda = (...kinds: AgendaKind[]): AgendaEntry[] => kinds.map((kind, i) => ({ id: `i${i}`, kind, title: `${kind} ${i}` }));
const kinds = (items: AgendaEntry[]) => items.map((i) => i.kind);

describe('where the report status is placed', () => {
  it('right after the official\'s report, also when that is the first item', () => {
    expect(kinds(withReportStatus(agenda('official_report', 'previous_minutes', 'matter', 'closing'), true))).toEqual(['official_report', 'report_status', 'previous_minutes', 'matter', 'closing']);
  });

  it('without an official\'s report: before the first matter, free item, övriga frågor or closing', () => {
    expect(kinds(withReportStatus(agenda('opening', 'justerare', 'matter', 'closing'), true))).toEqual(['opening', 'justerare', 'report_status', 'matter', 'closing']);
    expect(kinds(withReportStatus(agenda('opening', 'other', 'closing'), true))).toEqual(['opening', 'report_status', 'other', 'closing']);
    expect(kinds(withReportStatus(agenda('opening', 'other_questions', 'closing'), true))).toEqual(['opening', 'report_status', 'other_questions', 'closing']);
    expect(kinds(withReportStatus(agenda('opening', 'closing'), true))).toEqual(['opening', 'report_status', 'closing']);
    expect(kinds(withReportStatus(agenda('matter', 'closing'), true))).toEqual(['report_status', 'matter', 'closing']);
  });

  it('last on an agenda with none of them', () => {
    expect(kinds(withReportStatus(agenda('opening', 'justerare'), true))).toEqual(['opening', 'justerare', 'report_status']);
  });
});

describe('the item itself', () => {
  it('a new one has the fixed title and proposal', () => {
    const item = withReportStatus(agenda('opening', 'closing'), true)[1];
    expect(item).toEqual({ kind: 'report_status', title: REPORT_STATUS_TITLE, proposal: REPORT_STATUS_PROPOSAL });
    expect(item.title).toBe('Rapportläge för insatserna');
  });

  it('one already on the agenda is kept as stored, with its id, moved to its place', () => {
    const stored: AgendaEntry = { id: 'rs', kind: 'report_status', title: REPORT_STATUS_TITLE, proposal: REPORT_STATUS_PROPOSAL };
    const out = withReportStatus([stored, ...agenda('opening', 'official_report', 'closing')], true);
    expect(out.map((i) => i.id)).toEqual(['i0', 'i1', 'rs', 'i2']);
    expect(out[2]).toBe(stored);
  });
});
