// The governance year as pure rules: meetings (given and implied), preparation and kallelse
// deadlines, milestones by default and as configured, and moving a historic plan in time.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isWorkingDay, resolveDateRule, weekday } from '../domain/dates.js';
import { DEFAULT_KALLELSE_REMINDER_DAYS, KNOWN_MILESTONES, parseForbundFile, type Cycle } from '../domain/forbund-file.js';
import {
  buildYearPlan,
  kallelseDeadline,
  kallelseReminderDate,
  meetingRules,
  milestonesForYear,
  placeInYear,
  preparationDeadline,
  proposeNextYear,
  storedMeetingRules,
  yearMeetings,
  yearMilestones,
  type PlannedMeeting,
} from '../domain/kalendarium.js';

const sydnarke = () => parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml');

function cycle(over: Partial<Cycle> = {}): Cycle {
  return {
    defaults: { start: '09:00', end: '12:00' },
    kallelseDays: 7,
    inviteBoardMembers: false,
    preparation: { beredningsgruppDaysBefore: 21, beredningDaysBefore: 14 },
    meetings: [],
    planningDays: [],
    milestones: {},
    ...over,
  };
}

const board = (id: string, date: string) => ({ id, body: 'styrelse' as const, date, start: '09:00', end: '12:00' });
/** Every known milestone asked for at the engine's default placement. */
const allDefaults = () => Object.fromEntries(KNOWN_MILESTONES.map((k) => [k, true]));
const read = (name: string) => parseForbundFile(readFileSync(`examples/${name}`, 'utf8'), name);
const byKey = (ms: PlannedMeeting[], key: string) => ms.find((m) => m.key === key)!;

describe('yearMeetings', () => {
  it('keeps the given meetings and adds a beredningsgrupp ~21 and a beredning ~14 days before each board meeting', () => {
    const ms = yearMeetings(cycle({ meetings: [board('styrelse-03', '2026-03-20')] }), 2026);
    expect(ms.map((m) => [m.key, m.kind, m.date, m.forKey])).toEqual([
      ['styrelse-03-beredningsgrupp', 'beredningsgrupp', '2026-02-27', 'styrelse-03'],
      ['styrelse-03-beredning', 'beredning', '2026-03-06', 'styrelse-03'],
      ['styrelse-03', 'styrelse', '2026-03-20', undefined],
    ]);
    const prep = byKey(ms, 'styrelse-03-beredning');
    expect(prep).toMatchObject({ start: '09:00', end: '12:00', title: 'Beredning (presidiet)' });
  });

  it('moves a default preparatory meeting landing on a holiday to the previous working day', () => {
    // 14 days before Monday 20 April 2026 is annandag påsk (6 April); 3 April is långfredagen.
    const ms = yearMeetings(cycle({ meetings: [board('styrelse-04', '2026-04-20')] }), 2026);
    expect(byKey(ms, 'styrelse-04-beredning').date).toBe('2026-04-02');
    expect(byKey(ms, 'styrelse-04-beredningsgrupp').date).toBe('2026-03-30');
    // A board meeting on a Sunday: the default meetings fall on Sundays too and move to Friday.
    const sunday = yearMeetings(cycle({ meetings: [board('s', '2026-05-17')] }), 2026);
    expect(weekday(byKey(sunday, 's-beredning').date)).toBeLessThanOrEqual(5);
    expect(byKey(sunday, 's-beredning').date).toBe('2026-04-30'); // 3 May (Sun) → 2 May (Sat) → 1 May (första maj) → 30 April
  });

  it('adds only the missing kind when a board meeting already has a preparatory meeting', () => {
    const ms = yearMeetings(
      cycle({ meetings: [board('styrelse-03', '2026-03-20'), { id: 'ber-03', body: 'beredning', date: '2026-03-10', start: '10:00', end: '11:00', for: 'styrelse-03' }] }),
      2026,
    );
    expect(ms.filter((m) => m.kind === 'beredning').map((m) => m.key)).toEqual(['ber-03']);
    expect(ms.filter((m) => m.kind === 'beredningsgrupp').map((m) => m.key)).toEqual(['styrelse-03-beredningsgrupp']);
  });

  it('adds nothing when preparation is false', () => {
    const ms = yearMeetings(cycle({ preparation: false, meetings: [board('styrelse-03', '2026-03-20')] }), 2026);
    expect(ms.map((m) => m.key)).toEqual(['styrelse-03']);
  });

  it('resolves rules for the year and includes planning days (whole day without start)', () => {
    const rule = { nth: 4, weekday: 'wednesday' as const, month: 8, nonHoliday: true };
    const c = cycle({
      preparation: false,
      meetings: [{ id: 'styrelse-08', body: 'styrelse', rule, start: '13:00', end: '16:00', location: 'Kumla' }],
      planningDays: [
        { id: 'plan-1', title: 'Planeringsdag', rule: { nth: -1, weekday: 'friday', month: 3 } },
        { id: 'plan-2', title: 'Planeringsdag höst', date: '2027-11-12', start: '09:00', end: '16:00' },
      ],
    });
    const ms = yearMeetings(c, 2027);
    expect(byKey(ms, 'styrelse-08')).toMatchObject({ date: resolveDateRule(rule, 2027), start: '13:00', end: '16:00', location: 'Kumla' });
    expect(byKey(ms, 'styrelse-08').date).toBe('2027-08-25');
    expect(byKey(ms, 'plan-1')).toMatchObject({ kind: 'planning_day', date: '2027-03-26', title: 'Planeringsdag' });
    expect(byKey(ms, 'plan-1').start).toBeUndefined();
    expect(byKey(ms, 'plan-2')).toMatchObject({ start: '09:00', end: '16:00' });
    // The same rule lands on another date in another year.
    expect(byKey(yearMeetings(c, 2026), 'styrelse-08').date).toBe('2026-08-26');
    // Sorted by date.
    expect(ms.map((m) => m.date)).toEqual([...ms.map((m) => m.date)].sort());
  });

  it('prepares each board meeting on its own: two board meetings get two beredningsgrupper and two beredningar', () => {
    const ms = yearMeetings(cycle({ meetings: [board('styrelse-03', '2026-03-20'), board('styrelse-05', '2026-05-22')] }), 2026);
    expect(ms.map((m) => [m.key, m.date, m.forKey])).toEqual([
      ['styrelse-03-beredningsgrupp', '2026-02-27', 'styrelse-03'],
      ['styrelse-03-beredning', '2026-03-06', 'styrelse-03'],
      ['styrelse-03', '2026-03-20', undefined],
      ['styrelse-05-beredningsgrupp', '2026-04-30', 'styrelse-05'],
      ['styrelse-05-beredning', '2026-05-08', 'styrelse-05'],
      ['styrelse-05', '2026-05-22', undefined],
    ]);
  });

  it('holds the added preparatory meetings where the förbund meets by default, and a planning day where it says', () => {
    const ms = yearMeetings(
      cycle({
        defaults: { start: '09:00', end: '12:00', location: 'Kommunhuset, Kumla' },
        meetings: [board('styrelse-03', '2026-03-20')],
        planningDays: [{ id: 'plan-1', title: 'Planeringsdag', date: '2026-09-10', location: 'Folkets hus, Hallsberg' }],
      }),
      2026,
    );
    expect(byKey(ms, 'styrelse-03-beredningsgrupp').location).toBe('Kommunhuset, Kumla');
    expect(byKey(ms, 'styrelse-03-beredning').location).toBe('Kommunhuset, Kumla');
    expect(byKey(ms, 'plan-1').location).toBe('Folkets hus, Hallsberg');
  });

  it('lists a whole-day planning day before the timed meetings of its day', () => {
    const withBoard = yearMeetings(
      cycle({ preparation: false, meetings: [board('styrelse-09', '2026-09-10')], planningDays: [{ id: 'plan-1', title: 'Planeringsdag', date: '2026-09-10' }] }),
      2026,
    );
    expect(withBoard.map((m) => m.key)).toEqual(['plan-1', 'styrelse-09']);
    const twoDays = yearMeetings(
      cycle({
        preparation: false,
        planningDays: [
          { id: 'heldag', title: 'Planeringsdag', date: '2026-09-10' },
          { id: 'kvall', title: 'Kvällsmöte', date: '2026-09-10', start: '18:00', end: '20:00' },
        ],
      }),
      2026,
    );
    expect(twoDays.map((m) => m.key)).toEqual(['heldag', 'kvall']);
  });

  it("a board meeting dated by a rule keeps its rule, so next year's calendar follows it", () => {
    // HjoTiBorg's fourth non-holiday Wednesday in August: 22 August 2018, 28 August 2019 (not 21 August, the same weekday near the date).
    const rule = { nth: 4, weekday: 'wednesday' as const, month: 8, nonHoliday: true };
    const ms = yearMeetings(cycle({ preparation: false, meetings: [{ id: 'styrelse-08', body: 'styrelse', rule, start: '13:00', end: '16:00' }] }), 2018);
    expect(ms[0]).toMatchObject({ date: '2018-08-22', rule });
    expect(proposeNextYear(ms, 2019)[0].date).toBe('2019-08-28');
  });
});

describe('preparationDeadline and kallelseDeadline', () => {
  const ms = [
    { key: 'b1', kind: 'styrelse' as const, date: '2026-03-20' },
    { key: 'g1', kind: 'beredningsgrupp' as const, date: '2026-02-27', forKey: 'b1' },
    { key: 'p1', kind: 'beredning' as const, date: '2026-03-06', forKey: 'b1' },
    { key: 'b2', kind: 'styrelse' as const, date: '2026-05-20' },
    { key: 'g2', kind: 'beredningsgrupp' as const, date: '2026-05-04', forKey: 'b2' },
    { key: 'b3', kind: 'styrelse' as const, date: '2026-06-10' },
  ];
  it('is the beredning, else the beredningsgrupp, else the meeting day', () => {
    expect(preparationDeadline(ms, 'b1')).toBe('2026-03-06');
    expect(preparationDeadline(ms, 'b2')).toBe('2026-05-04');
    expect(preparationDeadline(ms, 'b3')).toBe('2026-06-10');
    expect(() => preparationDeadline(ms, 'nope')).toThrow(/nope/);
  });
  it('is the beredning even when the beredningsgrupp meets after it', () => {
    expect(preparationDeadline([...ms, { key: 'g1b', kind: 'beredningsgrupp', date: '2026-03-11', forKey: 'b1' }], 'b1')).toBe('2026-03-06');
  });
  it('takes the latest beredning when there are two', () => {
    expect(preparationDeadline([...ms, { key: 'p1b', kind: 'beredning', date: '2026-03-11', forKey: 'b1' }], 'b1')).toBe('2026-03-11');
  });
  it('kallelse goes out 7 days before, on the previous working day', () => {
    expect(kallelseDeadline('2026-03-20', 7)).toBe('2026-03-13');
    // 7 days before Monday 13 April 2026 is annandag påsk; långfredagen before it.
    expect(kallelseDeadline('2026-04-13', 7)).toBe('2026-04-02');
    // 7 days before Sunday → Sunday → Friday.
    expect(kallelseDeadline('2026-03-22', 7)).toBe('2026-03-13');
  });
});

describe('kallelseReminderDate', () => {
  it('reminds the secretary 3 working days before the kallelse must go out, by default', () => {
    expect(DEFAULT_KALLELSE_REMINDER_DAYS).toBe(3);
    // Kallelse Friday 13 March 2026 → Tuesday 10 March.
    expect(kallelseReminderDate('2026-03-13')).toBe('2026-03-10');
    // Kallelse Monday 16 March → Wednesday 11 March (the weekend does not count).
    expect(kallelseReminderDate('2026-03-16', 3)).toBe('2026-03-11');
  });
  it('skips Swedish holidays and eves: Easter and Christmas 2026', () => {
    // Kallelse Tuesday 7 April 2026 (after annandag påsk 6 April and långfredagen 3 April):
    // 2 April, 1 April, 31 March → Tuesday 31 March.
    expect(kallelseReminderDate('2026-04-07', 3)).toBe('2026-03-31');
    // Kallelse Monday 28 December 2026: annandag jul (Saturday 26), juldagen (25) and julafton
    // (24) do not count: 23, 22, 21 December → Monday 21 December.
    expect(kallelseReminderDate('2026-12-28', 3)).toBe('2026-12-21');
  });
  it('is a working day before the send-out day; 0 = the send-out day itself; the lead time is a setting', () => {
    for (const d of ['2026-01-16', '2026-05-29', '2026-06-22', '2026-11-02']) {
      const r = kallelseReminderDate(d);
      expect(r < d, d).toBe(true);
      expect(isWorkingDay(r), d).toBe(true);
    }
    expect(kallelseReminderDate('2026-03-13', 0)).toBe('2026-03-13');
    expect(kallelseReminderDate('2026-03-13', 5)).toBe('2026-03-06');
    expect(() => kallelseReminderDate('2026-03-13', -1)).toThrow(/whole number/);
    expect(() => kallelseReminderDate('2026-03-13', 1.5)).toThrow(/whole number/);
  });
  it('for a Sydnärke board meeting: well before the kallelse day (not on it)', () => {
    // Board Friday 27 February 2026, kallelse 7 days before: Friday 20 February; reminded Tuesday 17 February.
    const kallelse = kallelseDeadline('2026-02-27', 7);
    expect(kallelse).toBe('2026-02-20');
    expect(kallelseReminderDate(kallelse, DEFAULT_KALLELSE_REMINDER_DAYS)).toBe('2026-02-17');
  });
});

describe('yearMilestones', () => {
  const boards = cycle({
    preparation: false,
    milestones: allDefaults(),
    meetings: [
      board('s-02', '2026-02-20'),
      board('s-03', '2026-03-20'),
      board('s-08', '2026-08-21'),
      board('s-10', '2026-10-23'),
      board('s-11', '2026-11-20'),
      board('s-12', '2026-12-11'),
    ],
  });
  const plan = (c: Cycle) => {
    const ms = yearMeetings(c, 2026);
    return Object.fromEntries(yearMilestones(c, ms, 2026).map((m) => [m.kind, m]));
  };

  it('places defaults on the board meeting of their months', () => {
    const m = plan(boards);
    expect(m.bokslut).toMatchObject({ meetingKey: 's-02', dueDate: '2026-02-20', owner: 'official' });
    expect(m.halfYearReports).toMatchObject({ meetingKey: 's-08', dueDate: '2026-08-21' });
    expect(m.budgetFollowUp).toMatchObject({ meetingKey: 's-10', dueDate: '2026-10-23' });
    expect(m.vpBudget).toMatchObject({ meetingKey: 's-11' }); // the last of Oct/Nov
    expect(m.nextCalendar).toMatchObject({ meetingKey: 's-12', owner: 'secretary' }); // the last board meeting
    expect(m.attestReview.meetingKey).toBe('s-10');
    expect(m.delar.meetingKey).toBe('s-10');
    // Milestones that never sit at a meeting: last working day of their month.
    expect(m.budgetDialogue).toMatchObject({ dueDate: '2026-05-29' });
    expect(m.budgetDialogue.meetingKey).toBeUndefined();
    expect(m.stateAllocation.dueDate).toBe('2026-12-30'); // 31 Dec is nyårsafton
  });

  it('a default milestone at a prepared meeting is due by its beredning', () => {
    const c = cycle({ meetings: [board('s-02', '2026-02-20')], milestones: { bokslut: true } });
    const m = plan(c);
    expect(m.bokslut).toMatchObject({ meetingKey: 's-02', dueDate: '2026-02-06' });
  });

  it('with no meeting in the months, the last working day of the deadline month', () => {
    const m = plan(cycle({ preparation: false, milestones: allDefaults() }));
    expect(m.bokslut.dueDate).toBe('2026-03-31');
    expect(m.halfYearReports.dueDate).toBe('2026-08-31');
    expect(m.budgetFollowUp.dueDate).toBe('2026-10-30'); // 31 Oct 2026 is a Saturday (alla helgons dag)
    expect(m.vpBudget.dueDate).toBe('2026-11-30');
    expect(m.nextCalendar.dueDate).toBe('2026-12-30');
    expect(m.delar.dueDate).toBe('2026-09-30');
    for (const x of Object.values(m)) expect(x.meetingKey).toBeUndefined();
  });

  it('a milestone set to false is absent; a due milestone keeps its date; own milestones have titles', () => {
    const c = cycle({
      ...boards,
      milestones: {
        ...allDefaults(),
        bokslut: false,
        delar: { due: '2026-09-15', owner: 'economist', title: 'Delår' },
        ownThing: { meeting: 's-03', owner: 'chair', title: 'Egen punkt' },
      },
    });
    const m = plan(c);
    expect(m.bokslut).toBeUndefined();
    expect(m.delar).toMatchObject({ dueDate: '2026-09-15', owner: 'economist', title: 'Delår' });
    expect(m.delar.meetingKey).toBeUndefined();
    expect(m.ownThing).toMatchObject({ meetingKey: 's-03', dueDate: '2026-03-20', owner: 'chair', title: 'Egen punkt' });
    expect(m.halfYearReports.meetingKey).toBe('s-08');
  });

  it('a förbund that names no milestone has none; one that names some has only those', () => {
    expect(yearMilestones(cycle({ ...boards, milestones: {} }), yearMeetings(boards, 2026), 2026)).toEqual([]);
    const some = plan(cycle({ ...boards, milestones: { bokslut: true, nextCalendar: true, budgetFollowUp: false } }));
    expect(Object.keys(some).sort()).toEqual(['bokslut', 'nextCalendar']);
    expect(some.nextCalendar).toMatchObject({ meetingKey: 's-12', owner: 'secretary' });
  });

  it('HjoTiBorg and Nedansiljan (plans naming no milestone) get none; Sofint and Sydnärke exactly those of their seeds', () => {
    for (const name of ['hjotiborg.yaml', 'nedansiljan.yaml']) expect(buildYearPlan(read(name)).milestones, name).toEqual([]);
    const sofint = buildYearPlan(read('sofint.yaml')).milestones;
    expect(sofint.map((m) => m.kind).sort()).toEqual(
      ['attestReview', 'bokslut', 'budgetDialogue', 'delar', 'fundingContinuation', 'nextCalendar', 'projectOwnerTalks', 'vpBudget', 'vpDiscussion'].sort(),
    );
    // No default milestone the Sofint seeds do not name.
    for (const kind of ['halfYearReports', 'budgetFollowUp', 'stateAllocation']) expect(sofint.some((m) => m.kind === kind), kind).toBe(false);
    const file = sydnarke();
    expect(buildYearPlan(file).milestones.map((m) => m.kind).sort()).toEqual(Object.keys(file.cycle.milestones).sort());
  });

  it('are sorted by due date', () => {
    const list = yearMilestones(boards, yearMeetings(boards, 2026), 2026);
    expect(list.map((m) => m.dueDate)).toEqual([...list.map((m) => m.dueDate)].sort());
  });
});

describe('placeInYear', () => {
  const file = sydnarke();
  // Placed inside each test, so that the mutation run sees the rule run within the test.
  const in2026 = () => placeInYear(file, 2026);

  it('returns the file unchanged for its own year', () => {
    expect(placeInYear(file, 2016)).toBe(file);
  });

  it('keeps the weekday of every meeting and planning day, near the same date', () => {
    const placed = in2026();
    expect(placed.forbund.year).toBe(2026);
    expect(placed.cycle.meetings).toHaveLength(file.cycle.meetings.length);
    file.cycle.meetings.forEach((m, i) => {
      const p = placed.cycle.meetings[i];
      expect(p.id).toBe(m.id);
      expect(p.date!.slice(0, 4)).toBe('2026');
      // Same weekday, unless that day is a holiday: then the next working day.
      if (m.id === 'beredningsgrupp-04') return;
      expect(weekday(p.date!), m.id).toBe(weekday(m.date!));
    });
    // Friday 1 April 2016 → Friday 3 April 2026 is långfredagen → Tuesday after annandag påsk.
    expect(placed.cycle.meetings.find((m) => m.id === 'beredningsgrupp-04')!.date).toBe('2026-04-07');
    expect(placed.cycle.meetings.find((m) => m.id === 'styrelse-01')!.date).toBe('2026-01-23');
    expect(placed.cycle.meetings.find((m) => m.id === 'styrelse-02')!.date).toBe('2026-02-27');
    file.cycle.planningDays.forEach((d, i) => expect(weekday(placed.cycle.planningDays[i].date!)).toBe(weekday(d.date!)));
  });

  it('shifts project periods by 10 years and the grant keys with them', () => {
    const placed = in2026();
    const p = (id: string) => placed.projects.find((x) => x.id === id)!;
    expect(p('forsteget')).toMatchObject({ start: '2025-09-01', end: '2026-12-30', grants: { '2026': 574000 } });
    expect(p('ips')).toMatchObject({ start: '2025-09-01', end: '2026-12-30' });
    expect(p('drop-outs').grants).toEqual({ '2025': 700000 });
    expect(p('pa-vag')).toMatchObject({ start: '2026-01-01', end: '2026-12-31', grants: { '2026': 1210000 } });
    file.projects.forEach((orig, i) => {
      expect(Number(placed.projects[i].start.slice(0, 4))).toBe(Number(orig.start.slice(0, 4)) + 10);
      expect(placed.projects[i].start.slice(4)).toBe(orig.start.slice(4));
    });
  });

  it('keeps "true" (a default milestone) as it is', () => {
    const f = sydnarke();
    const withDefault = { ...f, cycle: { ...f.cycle, milestones: { ...f.cycle.milestones, budgetFollowUp: true } } };
    expect(placeInYear(withDefault, 2026).cycle.milestones.budgetFollowUp).toBe(true);
  });

  it('moves dated milestones to a working day of the new year', () => {
    const placed = in2026();
    expect(placed.cycle.milestones.finsamConference).toMatchObject({ due: '2026-03-24' });
    expect(placed.cycle.milestones.delar).toMatchObject({ due: '2026-09-30' });
    expect(placed.cycle.milestones.bokslut).toEqual(file.cycle.milestones.bokslut);
  });

  it('moves the go-live day to the same day of the new year (29 February becomes the 28th)', () => {
    const f = { ...file, forbund: { ...file.forbund, goLive: '2016-02-29' } };
    expect(placeInYear(f, 2026).forbund.goLive).toBe('2026-02-28');
    expect(placeInYear(f, 2020).forbund.goLive).toBe('2020-02-29');
  });
});

describe('the Sydnärke year plan placed in 2026', () => {
  // Built in each test, not once for the block: Stryker switches a mutant on only inside a test.
  const plan = () => buildYearPlan(placeInYear(sydnarke(), 2026));

  it('has the seed rhythm: seven board meetings, each prepared by beredningsgrupp then beredning', () => {
    const { meetings } = plan();
    const boards = meetings.filter((m) => m.kind === 'styrelse');
    expect(boards).toHaveLength(7);
    expect(meetings.filter((m) => m.kind === 'planning_day')).toHaveLength(2);
    // preparation: false — nothing is added to the seed's table.
    expect(meetings.some((m) => m.key.endsWith('-beredning'))).toBe(false);
    let prepared = 0;
    for (const b of boards) {
      const grupp = meetings.find((m) => m.kind === 'beredningsgrupp' && m.forKey === b.key);
      const ber = meetings.find((m) => m.kind === 'beredning' && m.forKey === b.key);
      if (!grupp && !ber) continue;
      prepared++;
      expect(grupp, b.key).toBeDefined();
      expect(ber, b.key).toBeDefined();
      expect(grupp!.date < ber!.date, b.key).toBe(true);
      expect(ber!.date < b.date, b.key).toBe(true);
      expect(preparationDeadline(meetings, b.key)).toBe(ber!.date);
    }
    expect(prepared).toBe(6); // all but January
  });

  it('places the milestones in their months', () => {
    const { milestones } = plan();
    const m = Object.fromEntries(milestones.map((x) => [x.kind, x]));
    expect(m.bokslut.dueDate.slice(5, 7)).toBe('02');
    expect(m.bokslut).toMatchObject({ meetingKey: 'styrelse-02', dueDate: '2026-02-13' });
    expect(m.halfYearReports.dueDate.slice(5, 7)).toBe('08');
    expect(m.halfYearReports).toMatchObject({ meetingKey: 'styrelse-08', dueDate: '2026-08-19' });
    expect(m.budgetDialogue.dueDate.slice(5, 7)).toBe('05');
    expect(m.delar.dueDate).toBe('2026-09-30');
    expect(m.budgetFollowUp.dueDate.slice(5, 7)).toBe('10');
    expect(m.nextCalendar).toMatchObject({ meetingKey: 'styrelse-12', owner: 'secretary', dueDate: '2026-12-07' });
    expect(m.finsamConference.dueDate).toBe('2026-03-24');
  });

  it('puts "Beslut om nya insatser" and "Verksamhetsplan och budget" in November, as the seed\'s table does', () => {
    const { milestones } = plan();
    const m = Object.fromEntries(milestones.map((x) => [x.kind, x]));
    expect(m.newProjects).toMatchObject({ title: 'Beslut om nya insatser', meetingKey: 'beredningsgrupp-11' });
    expect(m.vpBudget).toMatchObject({ title: 'Verksamhetsplan och budget för kommande år', meetingKey: 'beredningsgrupp-11' });
    for (const kind of ['newProjects', 'vpBudget', 'goalFollowUpAutumn', 'purchaseFollowUpAutumn', 'financingPolicyFollowUp']) {
      expect(m[kind].dueDate.slice(0, 7), kind).toBe('2026-11');
    }
    // and in the seed's own year: 23 November 2016.
    const own = Object.fromEntries(buildYearPlan(sydnarke()).milestones.map((x) => [x.kind, x]));
    expect([own.newProjects.dueDate, own.vpBudget.dueDate]).toEqual(['2016-11-23', '2016-11-23']);
  });
});

describe('proposeNextYear', () => {
  const { meetings } = buildYearPlan(placeInYear(sydnarke(), 2026));
  it('keeps keys, kinds, times and the weekday, in the next year, sorted', () => {
    const next = proposeNextYear(meetings, 2027);
    expect(next.map((m) => m.key).sort()).toEqual(meetings.map((m) => m.key).sort());
    for (const n of next) {
      const old = meetings.find((m) => m.key === n.key)!;
      expect(n.date.slice(0, 4)).toBe('2027');
      expect(weekday(n.date), n.key).toBe(weekday(old.date));
      expect([n.kind, n.start, n.end, n.forKey]).toEqual([old.kind, old.start, old.end, old.forKey]);
      expect(Math.abs(Date.parse(`${n.date.replace('2027', '2026')}T00:00:00Z`) - Date.parse(`${old.date}T00:00:00Z`))).toBeLessThanOrEqual(3 * 86_400_000);
    }
    expect(next.map((m) => m.date)).toEqual([...next.map((m) => m.date)].sort());
    expect(next.find((m) => m.key === 'styrelse-01')!.date).toBe('2027-01-22');
  });
  it('does not change the input', () => {
    proposeNextYear(meetings, 2027);
    expect(meetings.find((m) => m.key === 'styrelse-01')!.date).toBe('2026-01-23');
  });

  it('keeps a meeting\'s rule: HjoTiBorg\'s fourth non-holiday Wednesday in August', () => {
    const rule = { nth: 4, weekday: 'wednesday' as const, month: 8, nonHoliday: true };
    const hjo = buildYearPlan(read('hjotiborg.yaml'), 2018).meetings;
    const day = hjo.find((m) => m.key === 'samordningsforbundens-dag')!;
    expect(day).toMatchObject({ date: '2018-08-22', rule });
    // Without the rule, the same weekday near the same date would be 21 August, the third Wednesday.
    expect(proposeNextYear([{ ...day, rule: undefined }], 2019)[0].date).toBe('2019-08-21');
    const next = proposeNextYear(hjo, 2019);
    expect(next.find((m) => m.key === 'samordningsforbundens-dag')).toMatchObject({ date: '2019-08-28', rule });
    expect(resolveDateRule(rule, 2019)).toBe('2019-08-28');
    // Year after year, each proposal from the last.
    let year = hjo;
    for (let y = 2019; y <= 2030; y++) {
      year = proposeNextYear(year, y);
      expect(year[0].date, String(y)).toBe(resolveDateRule(rule, y));
    }
  });

  it('takes the rule from the stored settings for meetings read back from the database (without a rule)', () => {
    const file = read('hjotiborg.yaml');
    const rules = meetingRules(file.cycle);
    expect(rules).toEqual({ 'samordningsforbundens-dag': { nth: 4, weekday: 'wednesday', month: 8, nonHoliday: true } });
    // As stored: JSON, with the rest of the cycle settings.
    const stored = JSON.parse(JSON.stringify({ ...file.cycle, meetings: undefined, planningDays: undefined, meetingRules: rules }));
    expect(storedMeetingRules(stored)).toEqual(rules);
    const fromDb: PlannedMeeting = { key: 'samordningsforbundens-dag', kind: 'planning_day', title: 'Samordningsförbundens dag i Skaraborg', date: '2018-08-22' };
    expect(proposeNextYear([fromDb], 2019, storedMeetingRules(stored))[0].date).toBe('2019-08-28');
    // Settings stored before rules were kept, or broken ones: no rules, the weekday rule applies.
    for (const s of [{}, null, { meetingRules: null }, { meetingRules: 'x' }, { meetingRules: { a: { nth: 'x' } } }]) expect(storedMeetingRules(s)).toEqual({});
    expect(meetingRules(sydnarke().cycle)).toEqual({});
  });

  it('sorts the proposal by date when a rule moves a meeting past another', () => {
    // The rule's day moves from 22 August 2018 to 28 August 2019, past the board meeting of Friday 24 August 2018 (23 August 2019).
    const rule = { nth: 4, weekday: 'wednesday' as const, month: 8, nonHoliday: true };
    const day: PlannedMeeting = { key: 'samordningsforbundens-dag', kind: 'planning_day', title: 'Samordningsförbundens dag', date: '2018-08-22', rule };
    const styrelse: PlannedMeeting = { key: 'styrelse-08', kind: 'styrelse', title: 'Styrelsemöte', date: '2018-08-24', start: '09:00', end: '12:00' };
    expect(proposeNextYear([day, styrelse], 2019).map((m) => [m.key, m.date])).toEqual([
      ['styrelse-08', '2019-08-23'],
      ['samordningsforbundens-dag', '2019-08-28'],
    ]);
  });

  it('a rule with no day in the next year falls back to the same weekday near the same date', () => {
    // The fifth Wednesday of September exists in 2026 (30 Sep) but not in 2027.
    const m: PlannedMeeting = { key: 'x', kind: 'planning_day', title: 'X', date: '2026-09-30', rule: { nth: 5, weekday: 'wednesday', month: 9 } };
    expect(proposeNextYear([m], 2027)[0].date).toBe('2027-09-29');
  });
});

describe('milestonesForYear', () => {
  it('moves fixed due dates to the year (29 Feb → 28 Feb, then the next working day) and drops meetings not in the calendar', () => {
    const placed = milestonesForYear(
      {
        leap: { due: '2024-02-29', owner: 'official', title: 'Skottdag' },
        christmas: { due: '2025-12-25', owner: 'official', title: 'Jul' },
        bokslut: { meeting: 'styrelse-02', owner: 'official' },
        gone: { meeting: 'styrelse-99', owner: 'official', title: 'Borta' },
        delar: false,
      },
      2027,
      new Set(['styrelse-02']),
    );
    expect(placed.leap).toMatchObject({ due: '2027-03-01' }); // 28 Feb 2027 is a Sunday
    expect(placed.christmas).toMatchObject({ due: '2027-12-27' });
    expect(placed.bokslut).toMatchObject({ meeting: 'styrelse-02' });
    expect('gone' in placed).toBe(false);
    expect(placed.delar).toBe(false);
  });

  it('adds no milestone the förbund did not ask for; a known one whose meeting is gone falls back to its default', () => {
    expect(milestonesForYear({}, 2027, new Set(['styrelse-02']))).toEqual({});
    const placed = milestonesForYear({ bokslut: { meeting: 'styrelse-99', owner: 'official' }, nextCalendar: true }, 2027, new Set(['styrelse-02']));
    expect(placed).toEqual({ bokslut: true, nextCalendar: true });
  });
});
