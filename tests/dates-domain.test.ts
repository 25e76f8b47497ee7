// The calendar rules behind every date Årscykel shows (domain/dates.ts): which days are Swedish
// holidays, which are working days, how a due date moves past them, how a rule such as "fjärde
// helgfria onsdagen i augusti" is read, resolved and written back, and the limits of the calendar.
// Expected dates are known facts (almanackan, dateutil's Easter table), not computed by the code under test.
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addWorkingDays,
  daysInMonth,
  easterSunday,
  formatDateRuleText,
  holidaysOn,
  isHoliday,
  isIsoDate,
  isPublicHoliday,
  isWorkingDay,
  nthWeekdayOfMonth,
  parseDateRuleText,
  resolveDateRule,
  startOfStockholmDay,
  stockholmDateTime,
  swedishHolidays,
  toIsoDate,
  weekdayNumber,
  type WeekdayName,
} from '../domain/dates.js';

describe('calendar dates', () => {
  it('29 February exists in 2000 and 2024 but not in 1900, 2100 or 2026 (century rule)', () => {
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('1900-02-29')).toBe(false);
    expect(isIsoDate('2100-02-29')).toBe(false);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
  });

  it('month 00 and day 00 are not dates', () => {
    expect(isIsoDate('2026-00-10')).toBe(false);
    expect(isIsoDate('2026-01-00')).toBe(false);
    expect(isIsoDate('2026-04-31')).toBe(false);
    expect(isIsoDate('2026-12-31')).toBe(true);
  });

  it('builds dates with four-digit years from 0000 to 9999', () => {
    expect(toIsoDate(0, 1, 1)).toBe('0000-01-01');
    expect(toIsoDate(9999, 12, 31)).toBe('9999-12-31');
    expect(addDays('1000-01-01', -1)).toBe('0999-12-31');
  });

  it('refuses years outside 0–9999 and days that do not exist, saying which', () => {
    expect(() => toIsoDate(10000, 1, 1)).toThrow('Year out of range: 10000');
    expect(() => toIsoDate(-1, 1, 1)).toThrow('Year out of range: -1');
    expect(() => toIsoDate(2026.5, 1, 1)).toThrow('Year out of range: 2026.5');
    expect(() => toIsoDate(2026, 2, 29)).toThrow('Invalid date: year 2026, month 2, day 29');
  });

  it('a fractional number of days is refused, naming the function', () => {
    expect(() => addDays('2026-01-01', 1.5)).toThrow('addDays: n must be an integer, got 1.5');
    expect(() => addWorkingDays('2026-01-01', 0.5)).toThrow('addWorkingDays: n must be an integer, got 0.5');
  });

  it('weekdays are 1 = Monday … 7 = Sunday, or English names; anything else is refused', () => {
    expect(weekdayNumber(1)).toBe(1);
    expect(weekdayNumber(7)).toBe(7);
    expect(weekdayNumber('sunday')).toBe(7);
    expect(() => weekdayNumber(0 as 1)).toThrow('Invalid weekday number: 0 (1 = Monday … 7 = Sunday)');
    expect(() => weekdayNumber(8 as 1)).toThrow('Invalid weekday number: 8 (1 = Monday … 7 = Sunday)');
    expect(() => weekdayNumber(1.5 as 1)).toThrow('Invalid weekday number: 1.5');
    // A config file written with the Swedish name.
    expect(() => weekdayNumber('onsdag' as WeekdayName)).toThrow('Invalid weekday name: "onsdag"');
  });
});

describe('Easter and the Swedish holidays', () => {
  it.each([
    [2014, '2014-04-20'],
    [2018, '2018-04-01'],
    [2021, '2021-04-04'],
    [2022, '2022-04-17'],
    [2023, '2023-04-09'],
    [2028, '2028-04-16'],
    [2029, '2029-04-01'],
    [2030, '2030-04-21'],
    [2032, '2032-03-28'],
    [2033, '2033-04-17'],
    [2049, '2049-04-18'], // the "18 April" exception of the computus
    [2076, '2076-04-19'], // the "19 April" exception
    [1583, '1583-04-10'], // the first full Gregorian year
  ])('påskdagen %i is %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it('2025 in date order: pingstdagen (8 June) comes after nationaldagen', () => {
    expect(swedishHolidays(2025)).toEqual([
      { date: '2025-01-01', name: 'nyårsdagen', kind: 'public' },
      { date: '2025-01-06', name: 'trettondedag jul', kind: 'public' },
      { date: '2025-04-18', name: 'långfredagen', kind: 'public' },
      { date: '2025-04-20', name: 'påskdagen', kind: 'public' },
      { date: '2025-04-21', name: 'annandag påsk', kind: 'public' },
      { date: '2025-05-01', name: 'första maj', kind: 'public' },
      { date: '2025-05-29', name: 'Kristi himmelsfärdsdag', kind: 'public' },
      { date: '2025-06-06', name: 'nationaldagen', kind: 'public' },
      { date: '2025-06-08', name: 'pingstdagen', kind: 'public' },
      { date: '2025-06-20', name: 'midsommarafton', kind: 'eve' },
      { date: '2025-06-21', name: 'midsommardagen', kind: 'public' },
      { date: '2025-11-01', name: 'alla helgons dag', kind: 'public' },
      { date: '2025-12-24', name: 'julafton', kind: 'eve' },
      { date: '2025-12-25', name: 'juldagen', kind: 'public' },
      { date: '2025-12-26', name: 'annandag jul', kind: 'public' },
      { date: '2025-12-31', name: 'nyårsafton', kind: 'eve' },
    ]);
  });

  it('2028: Easter 16 April, midsommar 23–24 June, alla helgons dag 4 November', () => {
    const h = Object.fromEntries(swedishHolidays(2028).map((x) => [x.name, x.date]));
    expect(h).toMatchObject({
      långfredagen: '2028-04-14',
      påskdagen: '2028-04-16',
      'annandag påsk': '2028-04-17',
      'Kristi himmelsfärdsdag': '2028-05-25',
      pingstdagen: '2028-06-04',
      midsommarafton: '2028-06-23',
      midsommardagen: '2028-06-24',
      'alla helgons dag': '2028-11-04',
    });
  });

  it('2005, the first year with nationaldagen as a holiday, has no annandag pingst', () => {
    expect(holidaysOn('2005-06-06')).toEqual([{ date: '2005-06-06', name: 'nationaldagen', kind: 'public' }]);
    expect(isHoliday('2005-05-16')).toBe(false); // the Monday after pingstdagen 15 May
    expect(swedishHolidays(2005).map((x) => x.name)).not.toContain('annandag pingst');
  });

  it('an ordinary Tuesday is not a public holiday, nor is julafton; juldagen is', () => {
    expect(isPublicHoliday('2026-03-10')).toBe(false);
    expect(isPublicHoliday('2026-12-24')).toBe(false);
    expect(isPublicHoliday('2026-12-25')).toBe(true);
  });

  it('the calendar covers the Gregorian years 1583–9999 and says so outside them', () => {
    expect(holidaysOn('1583-12-25').map((x) => x.name)).toEqual(['juldagen']);
    expect(holidaysOn('9999-12-25').map((x) => x.name)).toEqual(['juldagen']);
    expect(() => isHoliday('1582-12-25')).toThrow('Year must be an integer between 1583 and 9999, got 1582');
    expect(() => easterSunday(1582)).toThrow('Year must be an integer between 1583 and 9999, got 1582');
    expect(() => easterSunday(10000)).toThrow('Year must be an integer between 1583 and 9999, got 10000');
    expect(() => easterSunday(2026.5)).toThrow('Year must be an integer between 1583 and 9999, got 2026.5');
    expect(() => swedishHolidays(2026.5)).toThrow('between 1583 and 9999');
  });
});

describe('working days and due dates', () => {
  it('a due date three working days after skärtorsdagen 2028 skips Easter', () => {
    expect(isWorkingDay('2028-04-13')).toBe(true);
    expect(addWorkingDays('2028-04-13', 3)).toBe('2028-04-20');
    expect(addWorkingDays('2028-04-20', -3)).toBe('2028-04-13');
  });

  it('the day before midsommarafton 2027, one working day on, is the Monday after', () => {
    expect(addWorkingDays('2027-06-24', 1)).toBe('2027-06-28');
  });
});

describe('the Nth weekday of a month', () => {
  it('Sunday (7) and Monday (1) can be asked for by number', () => {
    expect(nthWeekdayOfMonth({ year: 2026, month: 3, weekday: 7, n: 1 })).toBe('2026-03-01');
    expect(nthWeekdayOfMonth({ year: 2026, month: 3, weekday: 1, n: 1 })).toBe('2026-03-02');
  });

  it('refuses a month outside 1–12', () => {
    expect(() => nthWeekdayOfMonth({ year: 2026, month: 0, weekday: 'monday', n: 1 })).toThrow('Invalid month: 0 (1–12)');
    expect(() => nthWeekdayOfMonth({ year: 2026, month: 13, weekday: 'monday', n: 1 })).toThrow('Invalid month: 13 (1–12)');
    expect(() => nthWeekdayOfMonth({ year: 2026, month: 2.5, weekday: 'monday', n: 1 })).toThrow('Invalid month: 2.5 (1–12)');
  });

  it('counting from the end past the first day says how many there are', () => {
    expect(() => nthWeekdayOfMonth({ year: 2026, month: 2, weekday: 'monday', n: -5 })).toThrow(
      '2026-02 has no number 5 from the end monday (only 4)',
    );
  });
});

describe('DateRule: resolving a rule for a year', () => {
  it('the fifth Friday of January 2027 exists, but not a fifth helgfri one (nyårsdagen is a Friday)', () => {
    expect(resolveDateRule({ nth: 5, weekday: 'friday', month: 1 }, 2027)).toBe('2027-01-29');
    expect(resolveDateRule({ nth: -5, weekday: 'friday', month: 1 }, 2027)).toBe('2027-01-01');
    expect(() => resolveDateRule({ nth: 5, weekday: 'friday', month: 1, nonHoliday: true }, 2027)).toThrow(
      '2027-01 has no number 5 non-holiday friday (only 4)',
    );
  });

  it('"första helgfria torsdagen i maj" 2025 passes första maj', () => {
    expect(resolveDateRule({ nth: 1, weekday: 'thursday', month: 5, nonHoliday: true }, 2025)).toBe('2025-05-08');
    expect(resolveDateRule({ nth: 1, weekday: 'thursday', month: 5 }, 2025)).toBe('2025-05-01');
  });

  it('nth must be 1–5 or −1…−5', () => {
    expect(() => resolveDateRule({ nth: 0, weekday: 'monday', month: 1 }, 2026)).toThrow('Invalid DateRule.nth: 0 (1–5 or −1…−5)');
    expect(() => resolveDateRule({ nth: 2.5, weekday: 'monday', month: 1 }, 2026)).toThrow('Invalid DateRule.nth: 2.5');
    expect(() => resolveDateRule({ nth: -6, weekday: 'monday', month: 1 }, 2026)).toThrow('Invalid DateRule.nth: -6');
  });
});

describe('DateRule: reading Swedish rule text', () => {
  const parse = parseDateRuleText;

  it('ordinals written with digits: 3e, 4, 2:a', () => {
    expect(parse('3e torsdagen i maj')).toEqual({ nth: 3, weekday: 'thursday', month: 5 });
    expect(parse('4 onsdagen i augusti')).toEqual({ nth: 4, weekday: 'wednesday', month: 8 });
    expect(parse('2:a tisdagen i mars')).toEqual({ nth: 2, weekday: 'tuesday', month: 3 });
  });

  it('"helgfri" and a weekday without -en are understood too', () => {
    expect(parse('andra helgfri tisdag i april')).toEqual({ nth: 2, weekday: 'tuesday', month: 4, nonHoliday: true });
  });

  it('the first month, januari, is a month', () => {
    expect(parse('första måndagen i januari')).toEqual({ nth: 1, weekday: 'monday', month: 1 });
  });

  it('extra spaces, a comma without a space, and a missing "i" are tolerated', () => {
    expect(parse('sista  fredagen   i maj')).toEqual({ nth: -1, weekday: 'friday', month: 5 });
    expect(parse('sista fredagen,i maj')).toEqual({ nth: -1, weekday: 'friday', month: 5 });
    expect(parse('sista fredagen maj')).toEqual({ nth: -1, weekday: 'friday', month: 5 });
  });

  it('tells the official what it could not read', () => {
    expect(() => parse('nionde onsdagen i augusti')).toThrow('Cannot parse date rule "nionde onsdagen i augusti": unknown ordinal "nionde"');
    expect(() => parse('25:e onsdagen i augusti')).toThrow('unknown ordinal "25:e"');
    expect(() => parse('näst måndagen i oktober')).toThrow('unknown ordinal "näst"');
    expect(() => parse('nästan sista måndagen i oktober')).toThrow('unknown ordinal "nästan"');
    expect(() => parse('den')).toThrow('Cannot parse date rule "den": unknown ordinal ""');
    expect(() => parse('första helgdagen i maj')).toThrow('Cannot parse date rule "första helgdagen i maj": unknown weekday "helgdagen"');
    expect(() => parse('sista fredagen i maj kl 9')).toThrow('Cannot parse date rule "sista fredagen i maj kl 9": unexpected "kl 9"');
  });
});

describe('DateRule: writing a rule as Swedish text', () => {
  it('every ordinal the text can hold', () => {
    expect(formatDateRuleText({ nth: 1, weekday: 'monday', month: 1 })).toBe('första måndagen i januari');
    expect(formatDateRuleText({ nth: 5, weekday: 'sunday', month: 12 })).toBe('femte söndagen i december');
    expect(formatDateRuleText({ nth: -1, weekday: 'friday', month: 5 })).toBe('sista fredagen i maj');
    expect(formatDateRuleText({ nth: -2, weekday: 'monday', month: 10 })).toBe('näst sista måndagen i oktober');
  });

  it('refuses what Swedish text cannot say, and months outside 1–12', () => {
    expect(() => formatDateRuleText({ nth: 6, weekday: 'monday', month: 1 })).toThrow('Cannot format DateRule.nth 6 in Swedish');
    expect(() => formatDateRuleText({ nth: -3, weekday: 'monday', month: 1 })).toThrow('Cannot format DateRule.nth -3 in Swedish');
    expect(() => formatDateRuleText({ nth: 1, weekday: 'monday', month: 0 })).toThrow('Invalid month: 0');
    expect(() => formatDateRuleText({ nth: 1, weekday: 'monday', month: 13 })).toThrow('Invalid month: 13');
    expect(() => formatDateRuleText({ nth: 1, weekday: 'monday', month: 1.5 })).toThrow('Invalid month: 1.5');
  });
});

describe('Europe/Stockholm: the DST change days of 2027 and 2028', () => {
  const iso = (d: Date) => d.toISOString();

  it('summer time starts on the last Sunday of March (28 Mar 2027, 26 Mar 2028)', () => {
    expect(iso(stockholmDateTime('2027-03-26', '09:00'))).toBe('2027-03-26T08:00:00.000Z');
    expect(iso(stockholmDateTime('2027-03-29', '09:00'))).toBe('2027-03-29T07:00:00.000Z');
    expect(iso(startOfStockholmDay('2028-03-27'))).toBe('2028-03-26T22:00:00.000Z');
    expect(startOfStockholmDay('2028-03-27').getTime() - startOfStockholmDay('2028-03-26').getTime()).toBe(23 * 3_600_000);
  });

  it('and ends on the last Sunday of October (31 Oct 2027, 29 Oct 2028)', () => {
    expect(iso(stockholmDateTime('2027-11-01', '09:00'))).toBe('2027-11-01T08:00:00.000Z');
    expect(startOfStockholmDay('2027-11-01').getTime() - startOfStockholmDay('2027-10-31').getTime()).toBe(25 * 3_600_000);
    expect(iso(stockholmDateTime('2028-10-29', '02:30', { disambiguation: 'later' }))).toBe('2028-10-29T01:30:00.000Z');
  });
});
