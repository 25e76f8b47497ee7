// The statutory chain of a year's accounts (domain/redovisning.ts), as plain rules: which report a
// milestone's decision makes and the year it is of; the day each member is asked to have decided on
// ansvarsfrihet by (30 June the year after, never sooner than eight weeks after the papers went);
// the reminders to a member's registrator (two weeks before, then after the date on working days,
// Europe/Stockholm with Swedish holidays, at 08:00); when a member is late; what the official's and
// the member's forms refuse, in Swedish; and where the chain stands, as the year page says it.
import { describe, expect, it } from 'vitest';
import {
  auditReportProblems,
  CHAIN_STAGE_SV,
  chainStage,
  DISCHARGE_STATE_SV,
  dischargeLate,
  dischargeProblems,
  dischargeReminders,
  dischargeReplyBy,
  dischargeState,
  nextDischargeReminder,
  OUTCOME_SV,
  refusalMatterTitle,
  REPORT_OF_MILESTONE,
  REPORT_TITLES,
  reportYearOf,
} from '../domain/redovisning.js';

describe('the report a milestone makes, and the year it is of', () => {
  it('the bokslut makes the årsredovisning of the year before; the delår the delårsrapport of its own year', () => {
    expect(REPORT_OF_MILESTONE.bokslut).toBe('arsredovisning');
    expect(REPORT_OF_MILESTONE.delar).toBe('delarsrapport');
    expect(REPORT_OF_MILESTONE.budget).toBeUndefined();
    expect(reportYearOf('arsredovisning', 2027)).toBe(2026);
    expect(reportYearOf('delarsrapport', 2027)).toBe(2027);
  });

  it('the reports are titled Årsredovisning and Delårsrapport', () => {
    expect(REPORT_TITLES.arsredovisning).toBe('Årsredovisning');
    expect(REPORT_TITLES.delarsrapport).toBe('Delårsrapport');
  });
});

describe('the day a member is asked to have decided on ansvarsfrihet by', () => {
  it('is 30 June of the year after the one reported on, when the papers go in the spring', () => {
    expect(dischargeReplyBy(2026, '2027-03-20')).toBe('2027-06-30');
  });

  it('is eight weeks after the papers went, when they go later than that allows', () => {
    expect(dischargeReplyBy(2026, '2027-05-20')).toBe('2027-07-15');
    expect(dischargeReplyBy(2026, '2027-10-28')).toBe('2027-12-23');
  });

  it('is 30 June when the papers went exactly eight weeks before', () => {
    expect(dischargeReplyBy(2026, '2027-05-05')).toBe('2027-06-30');
  });

  it("follows the förbund file's own month and day", () => {
    expect(dischargeReplyBy(2026, '2027-03-01', '05-31')).toBe('2027-05-31');
  });
});

describe('the reminders to a member of its decision on ansvarsfrihet', () => {
  it('two weeks before the date, the day after it, and a month later on the next working day, at 08:00 Stockholm', () => {
    expect(dischargeReminders({ sentOn: '2027-04-01', replyBy: '2027-06-30' })).toEqual([
      { key: 'before', date: '2027-06-16', at: '2027-06-16T06:00:00.000Z', late: false },
      { key: 'late-1', date: '2027-07-01', at: '2027-07-01T06:00:00.000Z', late: true },
      // 31 July 2027 is a Saturday.
      { key: 'late-2', date: '2027-08-02', at: '2027-08-02T06:00:00.000Z', late: true },
    ]);
  });

  it('skip midsommarafton and weekends', () => {
    // 19 June 2026 is midsommarafton; 4 July 2026 a Saturday.
    expect(dischargeReminders({ sentOn: '2026-04-20', replyBy: '2026-07-03' }).map((r) => r.date)).toEqual(['2026-06-22', '2026-07-06', '2026-08-05']);
  });

  it('skip Christmas, and go at 08:00 winter time', () => {
    // 24 December 2027 is julafton (a Friday), then the weekend of juldagen and annandag jul.
    const late = dischargeReminders({ sentOn: '2027-10-28', replyBy: '2027-12-23' }).filter((r) => r.late);
    expect(late.map((r) => [r.date, r.at])).toEqual([
      ['2027-12-27', '2027-12-27T07:00:00.000Z'],
      ['2028-01-26', '2028-01-26T07:00:00.000Z'],
    ]);
  });

  it('have no reminder before the date when the papers went within the last two weeks', () => {
    expect(dischargeReminders({ sentOn: '2027-06-20', replyBy: '2027-06-30' }).map((r) => r.key)).toEqual(['late-1', 'late-2']);
  });

  it('have no reminder before the date on the very day the papers went', () => {
    expect(dischargeReminders({ sentOn: '2027-06-16', replyBy: '2027-06-30' }).map((r) => r.key)).toEqual(['late-1', 'late-2']);
  });

  it('come one at a time: the next is the first not yet sent, and none after the last', () => {
    const o = { sentOn: '2027-04-01', replyBy: '2027-06-30' };
    expect(nextDischargeReminder({ ...o, sent: [] })?.key).toBe('before');
    expect(nextDischargeReminder({ ...o, sent: ['before'] })).toMatchObject({ key: 'late-1', date: '2027-07-01', late: true });
    expect(nextDischargeReminder({ ...o, sent: ['before', 'late-1'] })?.key).toBe('late-2');
    expect(nextDischargeReminder({ ...o, sent: ['before', 'late-1', 'late-2'] })).toBeUndefined();
  });
});

describe('a member is late with its decision', () => {
  it('from the day after the reply date, not on it', () => {
    expect(dischargeLate({ outcome: null, replyBy: '2027-06-30' }, '2027-06-29')).toBe(false);
    expect(dischargeLate({ outcome: null, replyBy: '2027-06-30' }, '2027-06-30')).toBe(false);
    expect(dischargeLate({ outcome: null, replyBy: '2027-06-30' }, '2027-07-01')).toBe(true);
  });

  it('never once it has decided, nor before the papers have gone (no reply date)', () => {
    expect(dischargeLate({ outcome: 'beviljad', replyBy: '2027-06-30' }, '2027-07-01')).toBe(false);
    expect(dischargeLate({ outcome: 'inte_beviljad', replyBy: '2027-06-30' }, '2027-09-01')).toBe(false);
    expect(dischargeLate({ outcome: null, replyBy: null }, '2027-07-01')).toBe(false);
  });
});

describe("where a member stands, as the year page says it", () => {
  it('its decision, even when it came after the date', () => {
    expect(dischargeState({ outcome: 'beviljad', replyBy: '2027-06-30' }, '2027-07-10')).toBe('beviljad');
    expect(dischargeState({ outcome: 'inte_beviljad', replyBy: '2027-06-30' }, '2027-07-10')).toBe('inte_beviljad');
  });

  it('waiting until the date has passed, late after it', () => {
    expect(DISCHARGE_STATE_SV[dischargeState({ outcome: null, replyBy: '2027-06-30' }, '2027-06-30')]).toBe('Väntar på beslut');
    expect(DISCHARGE_STATE_SV[dischargeState({ outcome: null, replyBy: '2027-06-30' }, '2027-07-01')]).toBe('Försenat');
  });

  it('in Swedish: Ansvarsfrihet beviljad or inte beviljad', () => {
    expect(DISCHARGE_STATE_SV.beviljad).toBe('Ansvarsfrihet beviljad');
    expect(DISCHARGE_STATE_SV.inte_beviljad).toBe('Ansvarsfrihet inte beviljad');
    expect(OUTCOME_SV.beviljad).toBe('ansvarsfrihet beviljad');
    expect(OUTCOME_SV.inte_beviljad).toBe('ansvarsfrihet inte beviljad');
  });

  it('a refusal opens a board matter titled after the member and the year', () => {
    expect(refusalMatterTitle('Kumla kommun', 2026)).toBe('Kumla kommun har inte beviljat styrelsen ansvarsfrihet för 2026');
  });
});

describe("a member's decision on ansvarsfrihet as reported", () => {
  const o = { today: '2027-06-01', sentOn: '2027-04-01' };

  it('is taken when beviljad or inte beviljad, dated between the papers going and today, with a reference', () => {
    expect(dischargeProblems({ outcome: 'beviljad', decidedOn: '2027-05-20', reference: 'KF 2027-05-20 § 45' }, o)).toEqual([]);
    expect(dischargeProblems({ outcome: 'inte_beviljad', decidedOn: '2027-06-01' }, o)).toEqual([]);
    expect(dischargeProblems({ outcome: 'beviljad', decidedOn: '2027-04-01', reference: null }, o)).toEqual([]);
  });

  it('must say whether ansvarsfrihet was granted', () => {
    expect(dischargeProblems({ outcome: 'ja', decidedOn: '2027-05-20' }, o)).toEqual([
      { field: 'outcome', problem: 'must be "beviljad" or "inte_beviljad"', sv: 'Välj om ansvarsfrihet beviljades eller inte.' },
    ]);
  });

  it('must have its day written as a date', () => {
    expect(dischargeProblems({ outcome: 'beviljad', decidedOn: '20 maj 2027' }, o)).toEqual([
      { field: 'decidedOn', problem: 'must be a date YYYY-MM-DD', sv: 'Skriv beslutsdagen som ÅÅÅÅ-MM-DD.' },
    ]);
  });

  it('cannot be decided in the future', () => {
    expect(dischargeProblems({ outcome: 'beviljad', decidedOn: '2027-06-02' }, o)).toEqual([
      { field: 'decidedOn', problem: 'must not be in the future', sv: 'Beslutsdagen kan inte vara senare än i dag.' },
    ]);
  });

  it('cannot be decided before the papers were sent, unless none went yet', () => {
    expect(dischargeProblems({ outcome: 'beviljad', decidedOn: '2027-03-31' }, o)).toEqual([
      { field: 'decidedOn', problem: 'must not be before the papers were sent (2027-04-01)', sv: 'Beslutsdagen kan inte vara före 2027-04-01, då handlingarna skickades.' },
    ]);
    expect(dischargeProblems({ outcome: 'beviljad', decidedOn: '2027-03-31' }, { today: '2027-06-01', sentOn: null })).toEqual([]);
  });

  it('takes a reference of 200 characters, spaces around it not counted, and refuses a longer one', () => {
    expect(dischargeProblems({ outcome: 'beviljad', decidedOn: '2027-05-20', reference: `  ${'x'.repeat(200)}  ` }, o)).toEqual([]);
    expect(dischargeProblems({ outcome: 'beviljad', decidedOn: '2027-05-20', reference: 'x'.repeat(201) }, o)).toEqual([
      { field: 'reference', problem: 'must be at most 200 characters', sv: 'Referensen får vara högst 200 tecken.' },
    ]);
  });

  it('refuses a reference over two lines', () => {
    expect(dischargeProblems({ outcome: 'beviljad', decidedOn: '2027-05-20', reference: 'KF 2027-05-20\n§ 45' }, o)).toEqual([
      { field: 'reference', problem: 'must be one line of text without control characters (U+000A line feed)', sv: 'Referensen får bara vara en rad text.' },
    ]);
  });

  it('refuses a personnummer in the reference and says so', () => {
    expect(dischargeProblems({ outcome: 'beviljad', decidedOn: '2027-05-20', reference: 'KF § 45, 19800101-0008' }, o)).toEqual([
      expect.objectContaining({ field: 'reference', sv: 'Texten ser ut att innehålla ett personnummer. Ta bort det; Årscykel sparar inga personnummer.' }),
    ]);
  });

  it('names every problem at once, in the order of the form', () => {
    expect(dischargeProblems({ reference: 'x'.repeat(201) }, o).map((p) => p.field)).toEqual(['outcome', 'decidedOn', 'reference']);
  });
});

describe('the revisionsberättelse as registered by the official', () => {
  const o = { today: '2027-04-01', adoptedOn: '2027-03-15', documentIds: ['doc-1', 'doc-2'] };

  it("is taken when dated up to today and one of the matter's handlingar", () => {
    expect(auditReportProblems({ auditReportOn: '2027-03-30', documentId: 'doc-2' }, o)).toEqual([]);
    expect(auditReportProblems({ auditReportOn: '2027-04-01', documentId: 'doc-1' }, o)).toEqual([]);
  });

  it('must have its date written as a date', () => {
    expect(auditReportProblems({ auditReportOn: '30/3', documentId: 'doc-1' }, o)).toEqual([
      { field: 'auditReportOn', problem: 'must be a date YYYY-MM-DD', sv: 'Skriv revisionsberättelsens datum som ÅÅÅÅ-MM-DD.' },
    ]);
  });

  it('cannot be dated before the board adopted the report, but may be dated that day', () => {
    expect(auditReportProblems({ auditReportOn: '2027-03-14', documentId: 'doc-1' }, o)).toEqual([
      { field: 'auditReportOn', problem: 'must not be before the board adopted the report (2027-03-15)', sv: 'Datumet kan inte vara före 2027-03-15, då styrelsen antog redovisningen.' },
    ]);
    expect(auditReportProblems({ auditReportOn: '2027-03-15', documentId: 'doc-1' }, o)).toEqual([]);
    expect(auditReportProblems({ auditReportOn: '2027-03-14', documentId: 'doc-1' }, { ...o, adoptedOn: null })).toEqual([]);
  });

  it('cannot be dated in the future', () => {
    expect(auditReportProblems({ auditReportOn: '2027-04-02', documentId: 'doc-1' }, o)).toEqual([
      { field: 'auditReportOn', problem: 'must not be in the future', sv: 'Datumet kan inte vara senare än i dag.' },
    ]);
  });

  it("must be a handling uploaded to the årsredovisning's matter", () => {
    const problem = { field: 'documentId', problem: "must be a handling uploaded to the årsredovisning's matter", sv: 'Välj revisionsberättelsen bland ärendets handlingar (ladda upp den på ärendet först).' };
    expect(auditReportProblems({ auditReportOn: '2027-03-30', documentId: 'doc-3' }, o)).toEqual([problem]);
    expect(auditReportProblems({ auditReportOn: '2027-03-30' }, o)).toEqual([problem]);
  });
});

describe('where the chain of a report stands', () => {
  const none = { adoptedAt: null, sentToAuditorsAt: null, auditRegisteredAt: null, sentToMembersAt: null, discharges: [] };
  const at = new Date('2027-03-15T10:00:00Z');

  it('an årsredovisning goes from adoption to the revisorer, their report, the members and their decisions', () => {
    const stages = [
      chainStage({ kind: 'arsredovisning', ...none }),
      chainStage({ kind: 'arsredovisning', ...none, adoptedAt: at }),
      chainStage({ kind: 'arsredovisning', ...none, adoptedAt: at, sentToAuditorsAt: at }),
      chainStage({ kind: 'arsredovisning', ...none, adoptedAt: at, sentToAuditorsAt: at, auditRegisteredAt: at }),
      chainStage({ kind: 'arsredovisning', ...none, adoptedAt: at, sentToAuditorsAt: at, auditRegisteredAt: at, sentToMembersAt: at, discharges: [{ outcome: null }, { outcome: null }] }),
      chainStage({ kind: 'arsredovisning', ...none, adoptedAt: at, sentToAuditorsAt: at, auditRegisteredAt: at, sentToMembersAt: at, discharges: [{ outcome: 'beviljad' }, { outcome: null }] }),
      chainStage({ kind: 'arsredovisning', ...none, adoptedAt: at, sentToAuditorsAt: at, auditRegisteredAt: at, sentToMembersAt: at, discharges: [{ outcome: 'beviljad' }, { outcome: 'inte_beviljad' }] }),
    ];
    expect(stages.map((s) => CHAIN_STAGE_SV[s])).toEqual([
      'Inte antagen av styrelsen ännu',
      'Skickas till revisorerna',
      'Väntar på revisionsberättelsen',
      'Skickas till medlemmarna',
      'Väntar på medlemmarnas beslut om ansvarsfrihet',
      'Väntar på medlemmarnas beslut om ansvarsfrihet',
      'Klar',
    ]);
  });

  it('a delårsrapport needs no revisionsberättelse and no decisions: done once sent to the members', () => {
    expect(chainStage({ kind: 'delarsrapport', ...none, adoptedAt: at })).toBe('to-auditors');
    expect(chainStage({ kind: 'delarsrapport', ...none, adoptedAt: at, sentToAuditorsAt: at })).toBe('to-members');
    expect(chainStage({ kind: 'delarsrapport', ...none, adoptedAt: at, sentToAuditorsAt: at, sentToMembersAt: at })).toBe('done');
  });
});
