import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import {
  addDays,
  addWorkingDays,
  daysBetween,
  easterSunday,
  formatDateRuleText,
  holidaysOn,
  isHoliday,
  isIsoDate,
  isPublicHoliday,
  isWorkingDay,
  nextWorkingDay,
  nthWeekdayOfMonth,
  parseDateRuleText,
  previousWorkingDay,
  resolveDateRule,
  shiftToYear,
  startOfStockholmDay,
  stockholmDateTime,
  swedishHolidays,
  toStockholmDate,
  toStockholmTime,
  weekday,
} from '../domain/dates.js';

const byName = (year: number) => Object.fromEntries(swedishHolidays(year).map((h) => [h.name, h.date]));

describe('calendar arithmetic', () => {
  it('validates ISO dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-2-3')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(() => addDays('2026-02-30', 1)).toThrow(/Invalid ISO date/);
    expect(() => addDays('2026-01-01', 1.5)).toThrow(/integer/);
  });

  it('weekday is ISO (1 = Monday … 7 = Sunday)', () => {
    expect(weekday('2026-01-01')).toBe(4);
    expect(weekday('2024-02-29')).toBe(4);
    expect(weekday('2026-03-29')).toBe(7);
    expect(weekday('2026-03-30')).toBe(1);
    expect(weekday('1970-01-01')).toBe(4);
    expect(weekday('1969-12-29')).toBe(1);
  });

  it('addDays / daysBetween / weekday agree with luxon over 1900–2100', () => {
    let lx = DateTime.fromISO('1900-01-01', { zone: 'utc' });
    let d = '1900-01-01';
    for (let i = 0; i < 73_414; i += 1) {
      if (d !== lx.toISODate() || weekday(d) !== lx.weekday) {
        throw new Error(`mismatch at ${d} vs ${lx.toISODate()}`);
      }
      d = addDays(d, 1);
      lx = lx.plus({ days: 1 });
    }
    expect(d).toBe('2101-01-01');
    expect(daysBetween('1900-01-01', d)).toBe(73_414);
  });

  it('addDays and daysBetween handle month/year/leap boundaries and signs', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-02-26', -21)).toBe('2026-02-05');
    expect(daysBetween('2026-01-01', '2026-01-03')).toBe(2);
    expect(daysBetween('2026-01-03', '2026-01-01')).toBe(-2);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2); // DST must not matter
  });
});

describe('Swedish holidays', () => {
  it('Easter Sunday (Gregorian computus)', () => {
    expect(easterSunday(2016)).toBe('2016-03-27');
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2008)).toBe('2008-03-23');
    expect(easterSunday(2019)).toBe('2019-04-21');
    expect(easterSunday(2038)).toBe('2038-04-25'); // latest possible
    expect(easterSunday(2285)).toBe('2285-03-22'); // earliest possible
  });

  it('2016 full list, in date order, with kinds', () => {
    expect(swedishHolidays(2016)).toEqual([
      { date: '2016-01-01', name: 'nyårsdagen', kind: 'public' },
      { date: '2016-01-06', name: 'trettondedag jul', kind: 'public' },
      { date: '2016-03-25', name: 'långfredagen', kind: 'public' },
      { date: '2016-03-27', name: 'påskdagen', kind: 'public' },
      { date: '2016-03-28', name: 'annandag påsk', kind: 'public' },
      { date: '2016-05-01', name: 'första maj', kind: 'public' },
      { date: '2016-05-05', name: 'Kristi himmelsfärdsdag', kind: 'public' },
      { date: '2016-05-15', name: 'pingstdagen', kind: 'public' },
      { date: '2016-06-06', name: 'nationaldagen', kind: 'public' },
      { date: '2016-06-24', name: 'midsommarafton', kind: 'eve' },
      { date: '2016-06-25', name: 'midsommardagen', kind: 'public' },
      { date: '2016-11-05', name: 'alla helgons dag', kind: 'public' },
      { date: '2016-12-24', name: 'julafton', kind: 'eve' },
      { date: '2016-12-25', name: 'juldagen', kind: 'public' },
      { date: '2016-12-26', name: 'annandag jul', kind: 'public' },
      { date: '2016-12-31', name: 'nyårsafton', kind: 'eve' },
    ]);
  });

  it.each([
    [2024, '2024-03-29', '2024-03-31', '2024-04-01', '2024-05-09', '2024-05-19', '2024-06-21', '2024-06-22', '2024-11-02'],
    [2025, '2025-04-18', '2025-04-20', '2025-04-21', '2025-05-29', '2025-06-08', '2025-06-20', '2025-06-21', '2025-11-01'],
    [2026, '2026-04-03', '2026-04-05', '2026-04-06', '2026-05-14', '2026-05-24', '2026-06-19', '2026-06-20', '2026-10-31'],
    [2027, '2027-03-26', '2027-03-28', '2027-03-29', '2027-05-06', '2027-05-16', '2027-06-25', '2027-06-26', '2027-11-06'],
  ])('%i movable holidays', (year, fri, easter, mon, ascension, whit, midEve, midDay, allSaints) => {
    const h = byName(year);
    expect(h['långfredagen']).toBe(fri);
    expect(h['påskdagen']).toBe(easter);
    expect(h['annandag påsk']).toBe(mon);
    expect(h['Kristi himmelsfärdsdag']).toBe(ascension);
    expect(h['pingstdagen']).toBe(whit);
    expect(h['midsommarafton']).toBe(midEve);
    expect(h['midsommardagen']).toBe(midDay);
    expect(h['alla helgons dag']).toBe(allSaints);
    expect(h['nationaldagen']).toBe(`${year}-06-06`);
    expect(swedishHolidays(year)).toHaveLength(16);
    expect(weekday(midDay)).toBe(6);
    expect(weekday(allSaints)).toBe(6);
    expect(weekday(ascension)).toBe(4);
  });

  it('before 2005 annandag pingst instead of nationaldagen', () => {
    const h = byName(2004);
    expect(h['annandag pingst']).toBe('2004-05-31');
    expect(h['nationaldagen']).toBeUndefined();
  });

  it('isHoliday covers eves, isPublicHoliday does not; same-day holidays are both kept', () => {
    expect(isHoliday('2026-12-24')).toBe(true);
    expect(isPublicHoliday('2026-12-24')).toBe(false);
    expect(isPublicHoliday('2026-12-25')).toBe(true);
    expect(isHoliday('2026-12-23')).toBe(false);
    expect(isHoliday('2026-03-29')).toBe(false); // an ordinary Sunday is not listed
    expect(holidaysOn('2008-05-01').map((h) => h.name)).toEqual(['första maj', 'Kristi himmelsfärdsdag']);
  });

  it('returned lists cannot corrupt the cache', () => {
    const list = swedishHolidays(2026);
    list[0].date = '2026-02-02';
    list.pop();
    expect(swedishHolidays(2026)[0].date).toBe('2026-01-01');
    expect(swedishHolidays(2026)).toHaveLength(16);
  });
});

describe('working days', () => {
  it('isWorkingDay', () => {
    expect(isWorkingDay('2026-04-02')).toBe(true); // skärtorsdag is a working day
    expect(isWorkingDay('2026-04-03')).toBe(false);
    expect(isWorkingDay('2026-06-19')).toBe(false); // midsommarafton
    expect(isWorkingDay('2026-03-28')).toBe(false); // Saturday
    expect(isWorkingDay('2026-01-06')).toBe(false);
    expect(isWorkingDay('2026-01-07')).toBe(true);
  });

  it('nextWorkingDay over Easter', () => {
    expect(nextWorkingDay('2026-04-02')).toBe('2026-04-02');
    expect(nextWorkingDay('2026-04-03')).toBe('2026-04-07');
    expect(nextWorkingDay('2026-04-05')).toBe('2026-04-07');
    expect(nextWorkingDay('2027-03-26')).toBe('2027-03-30');
  });

  it('nextWorkingDay over Christmas and New Year', () => {
    expect(nextWorkingDay('2026-12-24')).toBe('2026-12-28');
    expect(nextWorkingDay('2026-12-31')).toBe('2027-01-04');
    expect(nextWorkingDay('2025-12-24')).toBe('2025-12-29');
    expect(nextWorkingDay('2025-12-31')).toBe('2026-01-02');
    expect(nextWorkingDay('2027-12-24')).toBe('2027-12-27');
  });

  it('previousWorkingDay', () => {
    expect(previousWorkingDay('2027-01-01')).toBe('2026-12-30');
    expect(previousWorkingDay('2026-04-06')).toBe('2026-04-02');
    expect(previousWorkingDay('2026-04-07')).toBe('2026-04-07');
  });

  it('addWorkingDays does not count the start date and skips holidays', () => {
    expect(addWorkingDays('2026-04-02', 1)).toBe('2026-04-07');
    expect(addWorkingDays('2026-12-23', 1)).toBe('2026-12-28');
    expect(addWorkingDays('2026-12-23', 3)).toBe('2026-12-30');
    expect(addWorkingDays('2026-04-07', -1)).toBe('2026-04-02');
    expect(addWorkingDays('2026-03-27', 1)).toBe('2026-03-30');
    expect(addWorkingDays('2026-03-28', 0)).toBe('2026-03-28');
    expect(addWorkingDays('2026-03-28', 1)).toBe('2026-03-30');
  });
});

describe('nthWeekdayOfMonth / DateRule', () => {
  it('fourth non-holiday Wednesday in August (no holiday interferes)', () => {
    expect(nthWeekdayOfMonth({ year: 2010, month: 8, weekday: 'wednesday', n: 4, skipHolidays: true })).toBe('2010-08-25');
    expect(nthWeekdayOfMonth({ year: 2026, month: 8, weekday: 3, n: 4, skipHolidays: true })).toBe('2026-08-26');
    expect(nthWeekdayOfMonth({ year: 2026, month: 8, weekday: 3, n: 4 })).toBe('2026-08-26');
  });

  it('first non-holiday Thursday of May when 1 May is a Thursday (2025)', () => {
    expect(nthWeekdayOfMonth({ year: 2025, month: 5, weekday: 'thursday', n: 1, skipHolidays: true })).toBe('2025-05-08');
    expect(nthWeekdayOfMonth({ year: 2025, month: 5, weekday: 'thursday', n: 1 })).toBe('2025-05-01');
  });

  it('skips Ascension Day when it is the Thursday that would be picked', () => {
    // 2016: 5 May is both the first Thursday and Kristi himmelsfärdsdag.
    expect(nthWeekdayOfMonth({ year: 2016, month: 5, weekday: 'thursday', n: 1 })).toBe('2016-05-05');
    expect(nthWeekdayOfMonth({ year: 2016, month: 5, weekday: 'thursday', n: 1, skipHolidays: true })).toBe('2016-05-12');
    // 2024: 9 May is the second Thursday and Ascension.
    expect(nthWeekdayOfMonth({ year: 2024, month: 5, weekday: 'thursday', n: 2 })).toBe('2024-05-09');
    expect(nthWeekdayOfMonth({ year: 2024, month: 5, weekday: 'thursday', n: 2, skipHolidays: true })).toBe('2024-05-16');
    // 2025: both 1 May and Ascension (29 May) are Thursdays; the last non-holiday one is the 22nd.
    expect(nthWeekdayOfMonth({ year: 2025, month: 5, weekday: 'thursday', n: -1 })).toBe('2025-05-29');
    expect(nthWeekdayOfMonth({ year: 2025, month: 5, weekday: 'thursday', n: -1, skipHolidays: true })).toBe('2025-05-22');
  });

  it('skipHolidays also skips eves (midsommarafton, julafton, nyårsafton)', () => {
    expect(nthWeekdayOfMonth({ year: 2026, month: 6, weekday: 'friday', n: 3 })).toBe('2026-06-19');
    expect(nthWeekdayOfMonth({ year: 2026, month: 6, weekday: 'friday', n: 3, skipHolidays: true })).toBe('2026-06-26');
    // December 2026 Thursdays: 3, 10, 17, 24 (julafton), 31 (nyårsafton).
    expect(nthWeekdayOfMonth({ year: 2026, month: 12, weekday: 'thursday', n: -1 })).toBe('2026-12-31');
    expect(nthWeekdayOfMonth({ year: 2026, month: 12, weekday: 'thursday', n: -1, skipHolidays: true })).toBe('2026-12-17');
  });

  it('throws a clear error when no such day exists', () => {
    expect(() => nthWeekdayOfMonth({ year: 2026, month: 2, weekday: 'monday', n: 5 })).toThrow(
      /2026-02 has no number 5 monday \(only 4\)/,
    );
    expect(() => nthWeekdayOfMonth({ year: 2025, month: 5, weekday: 'thursday', n: 4, skipHolidays: true })).toThrow(
      /non-holiday thursday \(only 3\)/,
    );
    expect(() => nthWeekdayOfMonth({ year: 2026, month: 13, weekday: 'monday', n: 1 })).toThrow(/month/);
    expect(() => nthWeekdayOfMonth({ year: 2026, month: 1, weekday: 'monday', n: 0 })).toThrow(/Invalid n/);
  });

  it('resolveDateRule and Swedish rule text', () => {
    const rule = parseDateRuleText('fjärde helgfria onsdagen i augusti');
    expect(rule).toEqual({ nth: 4, weekday: 'wednesday', month: 8, nonHoliday: true });
    expect(resolveDateRule(rule, 2010)).toBe('2010-08-25');
    expect(resolveDateRule(rule, 2026)).toBe('2026-08-26');
    expect(parseDateRuleText('den fjärde helgfria onsdagen i augusti månad')).toEqual(rule);
    expect(parseDateRuleText('Sista fredagen i maj.')).toEqual({ nth: -1, weekday: 'friday', month: 5 });
    expect(parseDateRuleText('näst sista måndagen i oktober')).toEqual({ nth: -2, weekday: 'monday', month: 10 });
    expect(parseDateRuleText('2:a tisdagen i mars')).toEqual({ nth: 2, weekday: 'tuesday', month: 3 });
    expect(formatDateRuleText(rule)).toBe('fjärde helgfria onsdagen i augusti');
    expect(() => parseDateRuleText('fjärde onsdagen i augustus')).toThrow(/unknown month/);
    expect(() => resolveDateRule({ nth: 6, weekday: 'monday', month: 1 }, 2026)).toThrow(/nth/);
  });
});

describe('shiftToYear', () => {
  it.each([
    ['2016-01-22', 2026, '2026-01-23'], // Fri → nearest Fri
    ['2016-02-26', 2026, '2026-02-27'],
    ['2016-04-25', 2026, '2026-04-27'], // Mon; 25 Apr 2026 is a Saturday
    ['2016-12-16', 2026, '2026-12-18'],
    ['2024-09-12', 2026, '2026-09-10'], // moves backwards when that is nearer
    ['2016-05-12', 2026, '2026-05-15'], // lands on Ascension Thu 14 May → Fri
    ['2016-12-23', 2026, '2026-12-28'], // lands on juldagen Fri → Mon
    ['2016-11-05', 2027, '2027-11-08'], // Saturday alla helgons dag → next working day
    ['2016-11-05', 2026, '2026-11-07'], // a plain Saturday stays a Saturday
    ['2016-02-29', 2026, '2026-03-02'], // leap day: Monday nearest 28 Feb
    ['2016-03-30', 2016, '2016-03-30'], // same year is the identity
  ])('%s → %i = %s', (from, year, expected) => {
    expect(shiftToYear(from, year)).toBe(expected);
  });

  it('keeps the weekday unless a holiday forced a move, and stays within 3 days', () => {
    for (const h of ['2016-01-22', '2016-02-03', '2016-04-08', '2016-08-26', '2016-10-05', '2016-12-05']) {
      const s = shiftToYear(h, 2026);
      expect(weekday(s)).toBe(weekday(h));
      expect(Math.abs(daysBetween(`2026${h.slice(4)}`, s))).toBeLessThanOrEqual(3);
    }
  });
});

describe('Europe/Stockholm instants', () => {
  const iso = (d: Date) => d.toISOString();

  it('09:00 meetings around the March 2026 change (29 Mar)', () => {
    expect(iso(stockholmDateTime('2026-03-27', '09:00'))).toBe('2026-03-27T08:00:00.000Z'); // CET, UTC+1
    expect(iso(stockholmDateTime('2026-03-30', '09:00'))).toBe('2026-03-30T07:00:00.000Z'); // CEST, UTC+2
  });

  it('09:00 meetings around the October 2026 change (25 Oct)', () => {
    expect(iso(stockholmDateTime('2026-10-23', '09:00'))).toBe('2026-10-23T07:00:00.000Z'); // CEST
    expect(iso(stockholmDateTime('2026-10-26', '09:00'))).toBe('2026-10-26T08:00:00.000Z'); // CET
  });

  it('on the change days themselves', () => {
    expect(iso(stockholmDateTime('2026-03-29', '01:59'))).toBe('2026-03-29T00:59:00.000Z');
    expect(iso(stockholmDateTime('2026-03-29', '03:00'))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(stockholmDateTime('2026-10-25', '01:59'))).toBe('2026-10-24T23:59:00.000Z');
    expect(iso(stockholmDateTime('2026-10-25', '03:00'))).toBe('2026-10-25T02:00:00.000Z');
  });

  it('skipped hour: 02:30 on spring-forward day is shifted forward to 03:30 CEST', () => {
    expect(iso(stockholmDateTime('2026-03-29', '02:30'))).toBe('2026-03-29T01:30:00.000Z');
    expect(toStockholmTime(stockholmDateTime('2026-03-29', '02:30'))).toBe('03:30');
    expect(iso(stockholmDateTime('2026-03-29', '02:30', { disambiguation: 'later' }))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(stockholmDateTime('2026-03-29', '02:30', { disambiguation: 'earlier' }))).toBe('2026-03-29T00:30:00.000Z');
    expect(() => stockholmDateTime('2026-03-29', '02:30', { disambiguation: 'reject' })).toThrow(/skipped/);
  });

  it('repeated hour: 02:30 on fall-back day is the first occurrence (CEST) unless told otherwise', () => {
    expect(iso(stockholmDateTime('2026-10-25', '02:30'))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(stockholmDateTime('2026-10-25', '02:30', { disambiguation: 'earlier' }))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(stockholmDateTime('2026-10-25', '02:30', { disambiguation: 'later' }))).toBe('2026-10-25T01:30:00.000Z');
    expect(() => stockholmDateTime('2026-10-25', '02:30', { disambiguation: 'reject' })).toThrow(/ambiguous/);
    expect(toStockholmTime(new Date('2026-10-25T00:30:00Z'))).toBe('02:30');
    expect(toStockholmTime(new Date('2026-10-25T01:30:00Z'))).toBe('02:30');
  });

  it('rejects malformed times', () => {
    expect(() => stockholmDateTime('2026-01-01', '9:00')).toThrow(/HH:MM/);
    expect(() => stockholmDateTime('2026-01-01', '24:00')).toThrow(/HH:MM/);
  });

  it('toStockholmDate near midnight, summer and winter', () => {
    expect(toStockholmDate(new Date('2026-06-30T21:59:00Z'))).toBe('2026-06-30');
    expect(toStockholmDate(new Date('2026-06-30T22:00:00Z'))).toBe('2026-07-01');
    expect(toStockholmDate(new Date('2026-01-31T22:59:00Z'))).toBe('2026-01-31');
    expect(toStockholmDate(new Date('2026-01-31T23:00:00Z'))).toBe('2026-02-01');
    expect(() => toStockholmDate(new Date('nope'))).toThrow(/Invalid Date/);
  });

  it('startOfStockholmDay and day lengths across DST', () => {
    expect(iso(startOfStockholmDay('2026-03-29'))).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(startOfStockholmDay('2026-03-30'))).toBe('2026-03-29T22:00:00.000Z');
    expect(iso(startOfStockholmDay('2026-10-25'))).toBe('2026-10-24T22:00:00.000Z');
    expect(iso(startOfStockholmDay('2026-10-26'))).toBe('2026-10-25T23:00:00.000Z');
    const hours = (d: string) => (startOfStockholmDay(addDays(d, 1)).getTime() - startOfStockholmDay(d).getTime()) / 3_600_000;
    expect(hours('2026-03-29')).toBe(23);
    expect(hours('2026-10-25')).toBe(25);
    expect(hours('2026-06-01')).toBe(24);
  });

  it('round-trips every quarter hour of 2026 outside the skipped hour', () => {
    for (let d = '2026-01-01'; d < '2027-01-01'; d = addDays(d, 1)) {
      for (let m = 0; m < 24 * 60; m += 15) {
        const time = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        if (d === '2026-03-29' && time.startsWith('02:')) continue;
        const instant = stockholmDateTime(d, time);
        if (toStockholmDate(instant) !== d || toStockholmTime(instant) !== time) {
          throw new Error(`round trip failed for ${d} ${time}: ${instant.toISOString()}`);
        }
      }
    }
  });
});
