// Reporting rules (obligations, reminders, submission checks, the go-live cut, the year letter) and
// the shared step scheduling and pending-step ordering, as pure functions.
import { describe, expect, it } from 'vitest';
import { isWorkingDay } from '../domain/dates.js';
import { pendingStep, sortPending, type PendingStep } from '../domain/pending.js';
import { dueDateFor, LETTER_GRACE_DAYS, obligationsForProject, obligationsForYear, obligationsWithCondition, periodicStretch, plannedFrom, reminderPlan, yearLetters, type ReportingPolicy } from '../domain/rapportering.js';
import { discloseSplit, formFieldOf, formFromStored, readFigures, submissionFromForm, validateSubmission } from '../domain/rapportuppgifter.js';
import { decide, stepsToRun, type Step } from '../domain/schedule.js';

const policy: ReportingPolicy = {
  kinds: { quarterly: { dueDays: 15 }, halfYear: { dueDays: 20 }, annual: { dueDays: 31 }, final: { dueDays: 60 }, financial: { dueDays: 15, months: [3, 9] } },
  reminders: [14, 3, 0],
  overdue: { reminderDaysAfter: 1, escalateDaysAfter: 7 },
};
const rows = (o: ReturnType<typeof obligationsForYear>) => o.map((x) => [x.kind, x.periodStart, x.periodEnd, x.dueDate]);

describe('obligationsForYear', () => {
  it('owes quarters, half year, full year and financial reports of a running project', () => {
    const o = obligationsForYear(policy, { start: '2026-01-01', end: '2027-06-30' }, 2026);
    expect(rows(o)).toEqual([
      ['financial', '2026-01-01', '2026-03-31', '2026-04-15'],
      ['quarterly', '2026-01-01', '2026-03-31', '2026-04-15'],
      ['quarterly', '2026-04-01', '2026-06-30', '2026-07-15'],
      ['halfYear', '2026-01-01', '2026-06-30', '2026-07-20'],
      ['financial', '2026-01-01', '2026-09-30', '2026-10-15'],
      ['quarterly', '2026-07-01', '2026-09-30', '2026-10-15'],
      ['quarterly', '2026-10-01', '2026-12-31', '2027-01-15'],
      // 31 Jan 2027 is a Sunday.
      ['annual', '2026-01-01', '2026-12-31', '2027-02-01'],
    ]);
  });

  it('owes the final report in the end year, and no periodic report for a period ending on or after the end', () => {
    const o = obligationsForYear(policy, { start: '2026-01-01', end: '2027-06-30' }, 2027);
    expect(rows(o)).toEqual([
      ['financial', '2027-01-01', '2027-03-31', '2027-04-15'],
      ['quarterly', '2027-01-01', '2027-03-31', '2027-04-15'],
      // 60 days after 30 June 2027 is Sunday 29 August.
      ['final', '2026-01-01', '2027-06-30', '2027-08-30'],
    ]);
    const sep = obligationsForYear(policy, { start: '2026-01-01', end: '2026-09-30' }, 2026);
    expect(sep.filter((x) => x.periodEnd === '2026-09-30').map((x) => x.kind)).toEqual(['final']);
    expect(sep.some((x) => x.kind === 'annual')).toBe(false);
    expect(obligationsForYear(policy, { start: '2026-01-01', end: '2026-09-30' }, 2027)).toEqual([]);
  });

  it('without a final report, a project owes the report whose period ends on its last day', () => {
    // HjoTiBorg 2010: half-year and annual reports, the project is the plan year.
    const hjo: ReportingPolicy = { ...policy, kinds: { halfYear: { dueDays: 31 }, annual: { dueDays: 31 } } };
    expect(rows(obligationsForYear(hjo, { start: '2010-01-01', end: '2010-12-31' }, 2010))).toEqual([
      ['halfYear', '2010-01-01', '2010-06-30', '2010-08-02'], // 31 July 2010 is a Saturday
      ['annual', '2010-01-01', '2010-12-31', '2011-01-31'],
    ]);
    // Sofint: Samverkansteamet 2013–2015 owes its annual report for 2015; Samverkan Ljusnarsberg for 2013.
    const team = obligationsForProject(hjo, { start: '2013-01-01', end: '2015-12-31' });
    expect(team.filter((o) => o.kind === 'annual').map((o) => o.periodEnd)).toEqual(['2013-12-31', '2014-12-31', '2015-12-31']);
    expect(obligationsForProject(hjo, { start: '2013-01-01', end: '2013-12-31' }).map((o) => [o.kind, o.periodEnd])).toEqual([
      ['halfYear', '2013-06-30'],
      ['annual', '2013-12-31'],
    ]);
    // A project that owes no final report through its own list of kinds, too.
    const own = obligationsForYear(policy, { start: '2026-01-01', end: '2026-12-31', reportKinds: ['quarterly', 'annual'] }, 2026);
    expect(own.filter((o) => o.periodEnd === '2026-12-31').map((o) => o.kind).sort()).toEqual(['annual', 'quarterly']);
  });

  it('without a final report, the period in which the project ends is owed up to its end, and nothing after', () => {
    const p = { kinds: { quarterly: { dueDays: 15 }, annual: { dueDays: 31 } }, reminders: [14, 3, 0], overdue: { reminderDaysAfter: 1, escalateDaysAfter: 7 } };
    expect(rows(obligationsForYear(p, { start: '2016-01-01', end: '2016-12-30' }, 2016)).slice(-2)).toEqual([
      ['quarterly', '2016-10-01', '2016-12-30', '2017-01-16'], // 14 Jan 2017 is a Saturday
      ['annual', '2016-01-01', '2016-12-30', '2017-01-30'],
    ]);
    expect(obligationsForYear(p, { start: '2016-01-01', end: '2016-05-15' }, 2016).map((o) => [o.kind, o.periodStart, o.periodEnd])).toEqual([
      ['quarterly', '2016-01-01', '2016-03-31'],
      ['quarterly', '2016-04-01', '2016-05-15'],
      ['annual', '2016-01-01', '2016-05-15'],
    ]);
    expect(obligationsForYear(p, { start: '2016-01-01', end: '2016-05-15' }, 2017)).toEqual([]);
  });

  it('periodicStretch: the final report covers the last stretch when the project owes one', () => {
    const project = { start: '2026-02-01', end: '2026-12-31' };
    expect(periodicStretch(project, '2026-10-01', '2026-12-31', true)).toBeUndefined();
    expect(periodicStretch(project, '2026-10-01', '2026-12-31', false)).toEqual({ periodStart: '2026-10-01', periodEnd: '2026-12-31' });
    expect(periodicStretch(project, '2026-01-01', '2026-03-31', true)).toEqual({ periodStart: '2026-02-01', periodEnd: '2026-03-31' });
    expect(periodicStretch(project, '2025-10-01', '2025-12-31', false)).toBeUndefined(); // before the start
    expect(periodicStretch({ start: '2026-01-01', end: '2026-11-15' }, '2026-10-01', '2026-12-31', false)).toEqual({ periodStart: '2026-10-01', periodEnd: '2026-11-15' });
    expect(periodicStretch({ start: '2026-01-01', end: '2026-09-30' }, '2026-10-01', '2026-12-31', false)).toBeUndefined(); // after the end
  });

  it('a project starting mid-year owes only the later quarters, from its start', () => {
    const o = obligationsForYear(policy, { start: '2026-05-01', end: '2027-12-31', reportKinds: ['quarterly', 'halfYear'] }, 2026);
    expect(rows(o)).toEqual([
      ['quarterly', '2026-05-01', '2026-06-30', '2026-07-15'],
      ['halfYear', '2026-05-01', '2026-06-30', '2026-07-20'],
      ['quarterly', '2026-07-01', '2026-09-30', '2026-10-15'],
      ['quarterly', '2026-10-01', '2026-12-31', '2027-01-15'],
    ]);
  });

  it('owes only the kinds of the policy that the project reports', () => {
    const o = obligationsForYear({ ...policy, kinds: { quarterly: { dueDays: 15 } } }, { start: '2026-01-01', end: '2027-12-31', reportKinds: ['quarterly', 'annual'] }, 2026);
    expect(new Set(o.map((x) => x.kind))).toEqual(new Set(['quarterly']));
    expect(obligationsForYear(policy, { start: '2026-01-01', end: '2027-12-31', reportKinds: [] }, 2026)).toEqual([]);
  });

  it('moves due dates off weekends and holidays', () => {
    // 31 March + 6 = annandag påsk 2026 (6 April) → Tuesday 7 April.
    const easter = obligationsForYear({ ...policy, kinds: { quarterly: { dueDays: 6 } } }, { start: '2026-01-01', end: '2027-12-31' }, 2026);
    expect(easter[0]).toMatchObject({ periodEnd: '2026-03-31', dueDate: '2026-04-07' });
    // Final report due on juldagen → past annandag jul and the weekend to Monday 28 December.
    const xmas = obligationsForYear({ ...policy, kinds: { final: { dueDays: 25 } } }, { start: '2026-01-01', end: '2026-11-30' }, 2026);
    expect(rows(xmas)).toEqual([['final', '2026-01-01', '2026-11-30', '2026-12-28']]);
    expect(dueDateFor('2026-06-30', 15)).toBe('2026-07-15');
    expect(dueDateFor('2026-06-06', 0)).toBe('2026-06-08'); // nationaldagen on a Saturday
    for (const o of obligationsForYear(policy, { start: '2026-01-01', end: '2027-12-31' }, 2026)) expect(isWorkingDay(o.dueDate)).toBe(true);
  });
});

describe('reminderPlan', () => {
  const plan = (due: string, p = policy) => reminderPlan(p, due).map((r) => [r.key, r.kind, r.date, r.at.toISOString()]);

  it('reminds 14, 3 and 0 days before, the day after (overdue) and 7 days after (escalation), 08:00 Stockholm, summer', () => {
    // Due Wednesday 15 April 2026 (CEST, UTC+2): 3 days before is a Sunday → Monday.
    expect(plan('2026-04-15')).toEqual([
      ['reminder-14', 'reminder', '2026-04-01', '2026-04-01T06:00:00.000Z'],
      ['reminder-3', 'reminder', '2026-04-13', '2026-04-13T06:00:00.000Z'],
      ['reminder-0', 'reminder', '2026-04-15', '2026-04-15T06:00:00.000Z'],
      ['overdue', 'overdue', '2026-04-16', '2026-04-16T06:00:00.000Z'],
      ['escalation', 'escalation', '2026-04-22', '2026-04-22T06:00:00.000Z'],
    ]);
    expect(reminderPlan(policy, '2026-04-15').map((r) => r.offsetDays)).toEqual([14, 3, 0, -1, -7]);
  });

  it('in winter 08:00 is 07:00 UTC; a reminder on nyårsdagen moves to the next working day', () => {
    expect(plan('2026-01-15')).toEqual([
      ['reminder-14', 'reminder', '2026-01-02', '2026-01-02T07:00:00.000Z'],
      ['reminder-3', 'reminder', '2026-01-12', '2026-01-12T07:00:00.000Z'],
      ['reminder-0', 'reminder', '2026-01-15', '2026-01-15T07:00:00.000Z'],
      ['overdue', 'overdue', '2026-01-16', '2026-01-16T07:00:00.000Z'],
      ['escalation', 'escalation', '2026-01-22', '2026-01-22T07:00:00.000Z'],
    ]);
  });

  it('a reminder landing on a weekend moves to Monday; an overdue notice too', () => {
    // Due Friday 17 April: the day after is Saturday.
    const r = reminderPlan(policy, '2026-04-17');
    expect(r.find((x) => x.kind === 'overdue')!.date).toBe('2026-04-20');
    for (const x of r) expect(isWorkingDay(x.date)).toBe(true);
  });

  it('two reminders landing on the same day merge; the later (more urgent) one wins', () => {
    // Due Tuesday 7 April 2026: 3 days before is Saturday 4 April → past påsk → Tuesday 7 April.
    expect(plan('2026-04-07')).toEqual([
      ['reminder-14', 'reminder', '2026-03-24', '2026-03-24T07:00:00.000Z'],
      ['reminder-0', 'reminder', '2026-04-07', '2026-04-07T06:00:00.000Z'],
      ['overdue', 'overdue', '2026-04-08', '2026-04-08T06:00:00.000Z'],
      ['escalation', 'escalation', '2026-04-14', '2026-04-14T06:00:00.000Z'],
    ]);
    // The overdue notice on the escalation day: escalation wins.
    const same = reminderPlan({ ...policy, overdue: { reminderDaysAfter: 1, escalateDaysAfter: 3 } }, '2026-04-17');
    expect(same.map((x) => [x.key, x.date])).toEqual([
      ['reminder-14', '2026-04-07'], // 3 April is långfredagen
      ['reminder-3', '2026-04-14'],
      ['reminder-0', '2026-04-17'],
      ['escalation', '2026-04-20'],
    ]);
  });

  it('keys are unique and dates ascending', () => {
    for (const due of ['2026-01-15', '2026-04-07', '2026-06-22', '2026-12-28']) {
      const r = reminderPlan(policy, due);
      expect(new Set(r.map((x) => x.key)).size).toBe(r.length);
      expect(r.map((x) => x.date)).toEqual([...r.map((x) => x.date)].sort());
    }
  });
});

describe('validateSubmission', () => {
  const fields = (body: unknown) => {
    const r = validateSubmission(body);
    return r.ok ? [] : r.errors.map((e) => e.field);
  };

  it('accepts aggregate figures and a narrative', () => {
    const r = validateSubmission({ figures: { participantsActive: 12, participantsNew: 0, costsToDate: 350000 }, narrative: '  Tolv deltagare, varav tre till arbete.  ', submittedBy: 'Sara' });
    expect(r).toEqual({ ok: true, value: { figures: { participantsActive: 12, participantsNew: 0, costsToDate: 350000 }, narrative: 'Tolv deltagare, varav tre till arbete.', submittedBy: 'Sara' } });
    expect(validateSubmission({ figures: {}, narrative: 'Dnr 2016-00012, 350 000 kr' }).ok).toBe(true);
  });

  it('rejects negative, non-integer and unknown figures, naming each', () => {
    expect(fields({ figures: { participantsActive: -1 }, narrative: 'x' })).toEqual(['figures.participantsActive']);
    expect(fields({ figures: { participantsNew: 1.5 }, narrative: 'x' })).toEqual(['figures.participantsNew']);
    expect(fields({ figures: { participantsNew: '3' }, narrative: 'x' })).toEqual(['figures.participantsNew']);
    expect(fields({ figures: { participantNames: 2 }, narrative: 'x' })).toEqual(['figures.participantNames']);
    expect(fields({ figures: [1, 2], narrative: 'x' })).toEqual(['figures']);
    expect(fields({ narrative: 'x' })).toEqual(['figures']);
  });

  it('rejects an empty narrative', () => {
    expect(fields({ figures: {}, narrative: '   ' })).toEqual(['narrative']);
    expect(fields({ figures: {} })).toEqual(['narrative']);
  });

  it('rejects a personnummer in the text, with or without century', () => {
    for (const text of ['Deltagare 19850312-1234 gick till arbete.', 'Deltagare 850312-1234 gick till arbete.', 'pnr 198503121234', 'samordningsnr 850372-1234']) {
      const r = validateSubmission({ figures: {}, narrative: text });
      expect(r.ok, text).toBe(false);
      if (!r.ok) {
        expect(r.errors.map((e) => e.field)).toEqual(['narrative']);
        expect(r.errors[0].problem).toMatch(/personal identity number/);
      }
    }
  });

  it('rejects unknown fields and a non-object body, collecting every error', () => {
    expect(fields({ figures: {}, narrative: 'x', participant: 'Kalle' })).toEqual(['participant']);
    expect(fields({ figures: { participantsActive: -2 }, narrative: '', extra: 1 })).toEqual(['extra', 'figures.participantsActive', 'narrative']);
    expect(fields([])).toEqual(['(body)']);
    expect(fields(null)).toEqual(['(body)']);
    expect(fields({ figures: {}, narrative: 'x', submittedBy: 5 })).toEqual(['submittedBy']);
  });
});

describe('stepsToRun and decide', () => {
  const now = new Date('2026-04-20T08:00:00Z');
  const step = (key: string, group: string, at: string): Step => ({ key, group, at, kind: 'reminder', subjectId: group, summary: key });
  const steps = [
    step('a-14', 'a', '2026-04-01T06:00:00Z'),
    step('a-3', 'a', '2026-04-13T06:00:00Z'),
    step('a-0', 'a', '2026-04-15T06:00:00Z'),
    step('a-esc', 'a', '2026-04-22T06:00:00Z'),
    step('b-14', 'b', '2026-04-10T06:00:00Z'),
    step('b-0', 'b', '2026-04-24T06:00:00Z'),
  ];

  it('collapses stale steps to the latest per group and keeps future ones, earliest first', () => {
    expect(stepsToRun(steps, new Set(), now).map((s) => s.key)).toEqual(['b-14', 'a-0', 'a-esc', 'b-0']);
  });

  it('skips done keys; once the latest past step has run, the older ones it superseded stay skipped', () => {
    expect(stepsToRun(steps, new Set(['a-0', 'b-14']), now).map((s) => s.key)).toEqual(['a-esc', 'b-0']);
    // An older step done, the latest past one not yet: the latest still runs.
    expect(stepsToRun(steps, new Set(['a-14', 'a-3']), now).map((s) => s.key)).toEqual(['b-14', 'a-0', 'a-esc', 'b-0']);
    expect(stepsToRun(steps, new Set(steps.map((s) => s.key)), now)).toEqual([]);
  });

  it('performs a due step, sleeps until a future one, else the fallback', () => {
    expect(decide(steps, new Set(), now, { action: 'end', reason: 'x' })).toEqual({ action: 'perform', step: steps[4] });
    const future = steps.filter((s) => s.at > now.toISOString());
    expect(decide(future, new Set(), now, { action: 'end', reason: 'x' })).toEqual({ action: 'sleep', until: '2026-04-22T06:00:00Z', step: future[0] });
    expect(decide(steps, new Set(steps.map((s) => s.key)), now, { action: 'waitForChange', why: 'nothing planned' })).toEqual({ action: 'waitForChange', why: 'nothing planned' });
    // A step exactly at now is due.
    expect(decide([step('x', 'x', now.toISOString())], new Set(), now, { action: 'end', reason: '' }).action).toBe('perform');
  });
});

describe('sortPending', () => {
  const base = (id: string, dueDate: string): Omit<PendingStep, 'overdue' | 'daysOverdue'> => ({
    type: 'report',
    id,
    title: `Step ${id}`,
    waitingOn: { role: 'coordinator', name: null, email: null },
    dueDate,
    escalated: false,
    links: {},
  });
  const today = '2026-04-20';

  it('computes overdue days', () => {
    expect(pendingStep(base('a', '2026-04-15'), today)).toMatchObject({ overdue: true, daysOverdue: 5 });
    expect(pendingStep(base('b', '2026-04-20'), today)).toMatchObject({ overdue: false, daysOverdue: 0 });
    expect(pendingStep(base('c', '2026-05-01'), today)).toMatchObject({ overdue: false, daysOverdue: 0 });
  });

  it('puts overdue first, longest overdue first, then by due date', () => {
    const steps = [base('soon', '2026-04-25'), base('late5', '2026-04-15'), base('today', '2026-04-20'), base('late30', '2026-03-21'), base('later', '2026-05-10'), base('late1', '2026-04-19')].map((s) => pendingStep(s, today));
    expect(sortPending(steps).map((s) => s.id)).toEqual(['late30', 'late5', 'late1', 'today', 'soon', 'later']);
    // Does not sort in place.
    expect(steps[0].id).toBe('soon');
  });
});

describe('figures by women and men, and per goal', () => {
  const goals = ['10 till arbete alternativt studier.', 'Nätverk med arbetsgivare.'];
  const split = {
    participants: { active: { women: 14, men: 11 }, new: { women: 3, men: 4 }, ended: { women: 2, men: 3 }, toWork: { women: 1, men: 2 }, toStudies: { women: 1, men: 0 } },
    costsToDate: 350000,
    goals: [{ women: 1, men: 2, comment: '  Tre hittills.  ' }, { value: 12 }],
  };
  const fields = (body: unknown, opts = {}) => {
    const r = validateSubmission(body, { goals, ...opts });
    return r.ok ? [] : r.errors.map((e) => e.field);
  };

  it('stores each goal with its text as it read, comments trimmed', () => {
    const r = validateSubmission({ figures: split, narrative: 'Text.' }, { goals });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.figures.goals).toEqual([{ goal: goals[0], women: 1, men: 2, comment: 'Tre hittills.' }, { goal: goals[1], value: 12 }]);
  });

  it('a row given needs both women and men; a part is no larger than its whole; every goal needs an outcome or a comment', () => {
    expect(fields({ figures: { ...split, participants: { active: { women: 3 } } }, narrative: 'x' })).toEqual(['figures.participants.active.men']);
    expect(fields({ figures: { ...split, participants: { active: { women: 3, men: 3 }, new: { women: 4, men: 0 } } }, narrative: 'x' })).toEqual(['figures.participants.new.women']);
    expect(fields({ figures: { ...split, participants: { ended: { women: 1, men: 1 }, toWork: { women: 0, men: 2 }, toStudies: { women: 2, men: 0 } } }, narrative: 'x' })).toEqual(['figures.participants.toWork.men', 'figures.participants.toStudies.women']);
    expect(fields({ figures: { ...split, goals: [{}, { value: 1 }] }, narrative: 'x' })).toEqual(['figures.goals[0].comment']);
    expect(fields({ figures: { ...split, goals: [{ value: 1 }] }, narrative: 'x' })).toEqual(['figures.goals']);
    expect(fields({ figures: { ...split, goals: [{ value: 1, name: 'Anna' }, { value: 1 }] }, narrative: 'x' })).toEqual(['figures.goals[0].name']);
    expect(fields({ figures: { ...split, participants: { active: { women: 1, men: 1, names: 'x' } } }, narrative: 'x' })).toEqual(['figures.participants.active.names']);
    expect(fields({ figures: { participantsActive: 4, participants: { active: { women: 2, men: 2 } } }, narrative: 'x' })).toEqual(['figures.participantsActive']);
  });

  it('no personnummer in a goal\'s comment; each problem has a Swedish text for the form', () => {
    const r = validateSubmission({ figures: { ...split, goals: [{ comment: 'Deltagare 19850312-1234 fick jobb' }, { value: -1 }] }, narrative: '' }, { goals });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.field)).toEqual(['figures.goals[0].comment', 'figures.goals[1].value', 'narrative']);
      for (const e of r.errors) expect(e.sv, e.field).toMatch(/^[A-ZÅÄÖ]/);
    }
  });

  it('a draft needs nothing, but whole numbers and no personnummer', () => {
    expect(fields({}, { draft: true })).toEqual([]);
    expect(fields({ figures: { participants: { active: { women: 3 } }, goals: [{}] }, narrative: '' }, { draft: true })).toEqual([]);
    expect(fields({ figures: { participants: { active: { women: 1.5 } } }, narrative: '850312-1234' }, { draft: true })).toEqual(['figures.participants.active.women', 'narrative']);
  });

  it('reads both the split and the flat shape into rows, totals derived, unknown values ignored', () => {
    expect(readFigures({ ...split, goals: [{ goal: 'Mål', women: 1, men: 2, comment: 'K' }] })).toEqual({
      participants: [
        { row: 'active', label: 'deltagare aktiva under perioden', women: 14, men: 11, total: 25 },
        { row: 'new', label: 'nya deltagare under perioden', women: 3, men: 4, total: 7 },
        { row: 'ended', label: 'avslutade deltagare under perioden', women: 2, men: 3, total: 5 },
        { row: 'toWork', label: 'avslutade till arbete', women: 1, men: 2, total: 3 },
        { row: 'toStudies', label: 'avslutade till studier', women: 1, men: 0, total: 1 },
      ],
      costsToDate: 350000,
      goals: [{ goal: 'Mål', women: 1, men: 2, total: 3, comment: 'K' }],
    });
    expect(readFigures({ participantsActive: 12, participantsToWork: 3, secret: 'x', participantsNew: -1 })).toEqual({
      participants: [
        { row: 'active', label: 'deltagare aktiva under perioden', total: 12 },
        { row: 'toWork', label: 'avslutade till arbete', total: 3 },
      ],
      goals: [],
    });
    expect(readFigures(null)).toEqual({ participants: [], goals: [] });
  });

  it('disclosure control: 1 or 2 is "few", the other gender of the row hidden when the total would give it away', () => {
    expect(discloseSplit({ women: 14, men: 11, total: 25 })).toEqual({ women: 14, men: 11, total: 25 });
    expect(discloseSplit({ women: 2, men: 5, total: 7 })).toEqual({ women: 'few', men: 'hidden', total: 7 });
    expect(discloseSplit({ women: 6, men: 1, total: 7 })).toEqual({ women: 'hidden', men: 'few', total: 7 });
    expect(discloseSplit({ women: 1, men: 1, total: 2 })).toEqual({ women: 'few', men: 'few', total: 'few' });
    expect(discloseSplit({ women: 0, men: 2, total: 2 })).toEqual({ women: 0, men: 'few', total: 'few' });
    expect(discloseSplit({ women: 0, men: 0, total: 0 })).toEqual({ women: 0, men: 0, total: 0 });
    expect(discloseSplit({ women: 3, men: 3, total: 6 })).toEqual({ women: 3, men: 3, total: 6 });
    expect(discloseSplit({ total: 2 })).toEqual({ total: 'few' });
  });

  it('the form\'s fields map to the JSON body and back; an error names the form field', () => {
    const form = { 'p-active-women': '14', 'p-active-men': '1 1', 'p-new-women': '', costsToDate: '1\u00a0250\u00a0000', 'goal-0-women': '1', 'goal-0-comment': 'K', 'goal-1-value': 'tolv', narrative: 'N', submittedBy: '' };
    const body = submissionFromForm(form, 2);
    expect(body).toEqual({ figures: { participants: { active: { women: 14, men: 11 } }, costsToDate: 1250000, goals: [{ women: 1, comment: 'K' }, { value: 'tolv' }] }, narrative: 'N' });
    expect(formFieldOf('figures.participants.toWork.men')).toBe('p-toWork-men');
    expect(formFieldOf('figures.goals[1].value')).toBe('goal-1-value');
    expect(formFieldOf('figures.goals')).toBe('narrative');
    expect(formFieldOf('figures.costsToDate')).toBe('costsToDate');
    expect(formFromStored({ participants: { active: { women: 14, men: 11 } }, costsToDate: 5, goals: [{ goal: 'x', value: 3, comment: 'c' }] }, 'N', 'S', 2)).toEqual({ 'p-active-women': '14', 'p-active-men': '11', costsToDate: '5', 'goal-0-value': '3', 'goal-0-comment': 'c', narrative: 'N', submittedBy: 'S' });
  });
});

describe('the year letter: when it is due', () => {
  const created = new Date('2025-11-10T09:00:00Z');
  const dues = ['2026-01-15', '2026-04-15', '2026-07-15', '2026-10-15', '2027-01-15'];

  it('for a project that existed at New Year: the year\'s first working day at 08:00 Stockholm; later years planned ahead', () => {
    const l = yearLetters({ createdAt: created, openDueDates: dues, now: new Date('2025-12-20T12:00:00Z') });
    expect(l.map((x) => [x.year, x.at.toISOString(), x.dueDates.length])).toEqual([
      [2026, '2026-01-02T07:00:00.000Z', 4], // 1 January is a holiday
      [2027, '2027-01-04T07:00:00.000Z', 1], // Friday 1 January, then a weekend
    ]);
  });

  it('for a project added during the year: at once, listing only what is still due; none if nothing is', () => {
    const added = new Date('2026-05-20T13:15:00Z');
    const l = yearLetters({ createdAt: added, openDueDates: dues, now: added });
    expect(l[0]).toEqual({ year: 2026, at: added, dueDates: ['2026-07-15', '2026-10-15'] });
  });

  it('for a project added after its year\'s last report: its first letter, with next year\'s dates, goes at once, not at New Year; the same letter is not planned again at New Year', () => {
    const added = new Date('2026-11-30T14:00:00Z');
    const dues2 = ['2026-10-15', '2027-01-15', '2027-04-15'];
    expect(yearLetters({ createdAt: added, openDueDates: dues2, now: added })).toEqual([{ year: 2027, at: added, dueDates: ['2027-01-15', '2027-04-15'] }]);
    // At New Year (more than LETTER_GRACE_DAYS after): the 2027 letter's moment is the year's first working day, under the same key (sent already, so not again).
    expect(yearLetters({ createdAt: added, openDueDates: dues2, now: new Date('2027-01-04T07:00:00Z') }).map((x) => [x.year, x.at.toISOString()])).toEqual([[2027, '2027-01-04T07:00:00.000Z']]);
  });

  it(`not sent more than ${LETTER_GRACE_DAYS} days late: a workflow started in June sends no New Year letter`, () => {
    const jan2 = new Date('2026-01-02T07:00:00Z');
    expect(yearLetters({ createdAt: created, openDueDates: dues, now: new Date(jan2.getTime() + LETTER_GRACE_DAYS * 86_400_000) }).map((x) => x.year)).toEqual([2026, 2027]);
    expect(yearLetters({ createdAt: created, openDueDates: dues, now: new Date(jan2.getTime() + LETTER_GRACE_DAYS * 86_400_000 + 1) }).map((x) => x.year)).toEqual([2027]);
    expect(yearLetters({ createdAt: created, openDueDates: dues, now: new Date('2026-06-01T10:00:00Z') }).map((x) => x.year)).toEqual([2027]);
    expect(yearLetters({ createdAt: created, openDueDates: [], now: created })).toEqual([]);
  });
});

describe('periods on the project\'s first and last day', () => {
  it('a project starting on a quarter\'s last day owes that quarter, for its one day', () => {
    expect(periodicStretch({ start: '2026-03-31', end: '2026-12-31' }, '2026-01-01', '2026-03-31', true)).toEqual({ periodStart: '2026-03-31', periodEnd: '2026-03-31' });
  });

  it('without a final report, a project ending on a quarter\'s first day owes that quarter, for its one day', () => {
    expect(periodicStretch({ start: '2026-01-01', end: '2026-10-01' }, '2026-10-01', '2026-12-31', false)).toEqual({ periodStart: '2026-10-01', periodEnd: '2026-10-01' });
  });

  it('the financial report is due at the half year and the year end unless the policy names its months', () => {
    const financial: ReportingPolicy = { ...policy, kinds: { financial: { dueDays: 15 } } };
    expect(rows(obligationsForYear(financial, { start: '2026-01-01', end: '2027-12-31' }, 2026))).toEqual([
      ['financial', '2026-01-01', '2026-06-30', '2026-07-15'],
      ['financial', '2026-01-01', '2026-12-31', '2027-01-15'],
    ]);
  });
});

describe('a project with a start condition', () => {
  const project = { start: '2026-01-01', end: '2026-10-30', startCondition: 'Beslut om ESF-medel' };

  it('owes nothing while the condition is not met', () => {
    expect(obligationsWithCondition(policy, { ...project, conditionMetOn: null })).toEqual([]);
  });

  it('met on the project\'s last day: the final report, for that day', () => {
    // 60 days after Friday 30 October 2026 is Tuesday 29 December.
    expect(rows(obligationsWithCondition(policy, { ...project, conditionMetOn: '2026-10-30' }))).toEqual([['final', '2026-10-30', '2026-10-30', '2026-12-29']]);
  });

  it('met after the project\'s end: nothing is owed', () => {
    expect(obligationsWithCondition(policy, { ...project, conditionMetOn: '2026-11-02' })).toEqual([]);
  });
});

describe('reminderPlan: the policy\'s reminder days', () => {
  it('given in any order and with repeats, they are planned earliest first, once each', () => {
    const keys = (reminders: number[]) => reminderPlan({ ...policy, reminders }, '2026-04-15').map((r) => [r.key, r.date]);
    expect(keys([0, 14, 3, 3])).toEqual(keys([14, 3, 0]));
    expect(keys([0, 3, 14])).toEqual([
      ['reminder-14', '2026-04-01'],
      ['reminder-3', '2026-04-13'],
      ['reminder-0', '2026-04-15'],
      ['overdue', '2026-04-16'],
      ['escalation', '2026-04-22'],
    ]);
  });

  it('the first reminder merges too: the day before a Monday is the Sunday, so only the due-day reminder remains', () => {
    expect(reminderPlan({ ...policy, reminders: [1, 0] }, '2026-04-20').map((r) => [r.key, r.date])).toEqual([
      ['reminder-0', '2026-04-20'],
      ['overdue', '2026-04-21'],
      ['escalation', '2026-04-27'],
    ]);
  });
});

describe('plannedFrom: the first due date the product reminds of', () => {
  it('the later of the go-live and the day the item was added; either alone; nothing when neither is known', () => {
    expect(plannedFrom('2026-03-01', '2026-05-01')).toBe('2026-05-01');
    expect(plannedFrom('2026-06-01', '2026-05-01')).toBe('2026-06-01');
    expect(plannedFrom('2026-03-01', null)).toBe('2026-03-01');
    expect(plannedFrom(null, '2026-05-01')).toBe('2026-05-01');
    expect(plannedFrom(null, null)).toBeUndefined();
    expect(plannedFrom()).toBeUndefined();
  });
});

describe('the year letter: which dates, in which order', () => {
  it('the letters come year by year, whatever the order of the due dates', () => {
    const l = yearLetters({ createdAt: new Date('2025-11-10T09:00:00Z'), openDueDates: ['2028-01-17', '2026-04-15', '2027-01-15'], now: new Date('2025-12-20T12:00:00Z') });
    expect(l.map((x) => [x.year, x.dueDates])).toEqual([
      [2026, ['2026-04-15']],
      [2027, ['2027-01-15']],
      [2028, ['2028-01-17']],
    ]);
  });

  it('a project added in December gets its first letter at once; the next year\'s letter comes on that year\'s first working day', () => {
    const added = new Date('2025-12-10T10:00:00Z');
    expect(yearLetters({ createdAt: added, openDueDates: ['2026-04-15', '2027-01-15'], now: added }).map((x) => [x.year, x.at.toISOString(), x.dueDates])).toEqual([
      [2026, added.toISOString(), ['2026-04-15']],
      [2027, '2027-01-04T07:00:00.000Z', ['2027-01-15']],
    ]);
  });

  it('lists the dates in order, including a report due on the letter\'s own day', () => {
    const added = new Date('2026-07-15T10:00:00Z');
    expect(yearLetters({ createdAt: added, openDueDates: ['2026-10-15', '2026-04-15', '2026-07-15'], now: added })).toEqual([{ year: 2026, at: added, dueDates: ['2026-07-15', '2026-10-15'] }]);
  });
});
