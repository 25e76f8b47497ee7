// "Rapportläge för insatserna" (issue 18): the escalated reports still missing reach the board as
// one compiled item of its föredragningslista, by project and period, placed after the official's
// report; the secretary cannot drop or retitle it, and it leaves the agenda when nothing is missing.
import { describe, expect, it } from 'vitest';
import { draftAgenda, editAgenda, withMatters } from '../domain/dagordning.js';
import { REPORT_STATUS_TITLE, reportStatus, reportStatusLines, withReportStatus } from '../domain/rapportlage.js';

const q = (project: string, periodEnd: string, kind: 'quarterly' | 'final' = 'quarterly') => ({ project, kind, periodStart: `${periodEnd.slice(0, 5)}01-01`, periodEnd, dueDate: '2037-10-15' });

describe('the report status (pure)', () => {
  it('groups the missing reports by project in Swedish order, each by period', () => {
    const s = reportStatus([q('Östra steget', '2037-06-30'), q('Ängen', '2037-09-30'), q('Ängen', '2037-03-31'), q('Almen', '2037-09-30', 'final')]);
    expect(s.projects.map((p) => [p.project, p.reports.map((r) => r.periodEnd)])).toEqual([
      ['Almen', ['2037-09-30']],
      ['Ängen', ['2037-03-31', '2037-09-30']],
      ['Östra steget', ['2037-06-30']],
    ]);
    expect(reportStatusLines(reportStatus([q('Almen', '2037-09-30', 'final')]))).toEqual(['Almen: slutrapport 1 januari–30 september 2037, skulle ha lämnats 15 oktober 2037']);
    expect(reportStatus([])).toEqual({ projects: [] });
  });

  it('is placed after the official’s report, once, and taken off when nothing is missing', () => {
    const agenda = withMatters(draftAgenda(), [{ id: 'm1', title: 'Budget 2038' }]);
    const withIt = withReportStatus(agenda, true);
    expect(withIt.map((i) => i.kind)).toEqual(['opening', 'justerare', 'agenda', 'previous_minutes', 'official_report', 'report_status', 'matter', 'other_questions', 'closing']);
    expect(withIt.find((i) => i.kind === 'report_status')).toMatchObject({ title: REPORT_STATUS_TITLE, proposal: 'Styrelsen tar del av rapportläget.' });
    expect(withReportStatus(withIt, true).filter((i) => i.kind === 'report_status')).toHaveLength(1);
    expect(withReportStatus(withIt, false).map((i) => i.kind)).not.toContain('report_status');
  });

  it('the secretary may neither drop nor retitle it', () => {
    const current = withReportStatus(draftAgenda(), true).map((e, i) => ({ ...e, id: `i${i}` }));
    const status = current.find((i) => i.kind === 'report_status')!;
    const dropped = editAgenda(current, current.filter((i) => i.id !== status.id).map((i) => ({ id: i.id })));
    expect('errors' in dropped && dropped.errors.map((e) => e.field)).toEqual(['items']);
    const retitled = editAgenda(current, current.map((i) => (i.id === status.id ? { id: i.id, title: 'Annat' } : { id: i.id })));
    expect('errors' in retitled && retitled.errors.map((e) => e.field)).toEqual([`items[${current.indexOf(status)}].title`]);
    expect('items' in editAgenda(current, current.map((i) => ({ id: i.id })))).toBe(true);
  });
});
