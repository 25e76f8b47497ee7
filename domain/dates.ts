/**
 * Pure, deterministic calendar rules for Swedish dates (Europe/Stockholm).
 *
 * No clock reads and no I/O, and the only import is luxon (used for the time
 * zone only), so this module is safe to import from Temporal workflow code.
 *
 * Calendar dates are ISO strings 'YYYY-MM-DD' (4-digit years). They sort
 * correctly with plain string comparison.
 */
import { DateTime } from 'luxon';

export type IsoDate = string;
/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export type WeekdayName =
  | 'monday'
  | 'tuesday'
  | 'wednesday'
  | 'thursday'
  | 'friday'
  | 'saturday'
  | 'sunday';
/** 'public' = allmän helgdag; 'eve' = de facto non-working day (midsommar-, jul-, nyårsafton). */
export type HolidayKind = 'public' | 'eve';
export interface Holiday {
  date: IsoDate;
  name: string;
  kind: HolidayKind;
}

export const STOCKHOLM_ZONE = 'Europe/Stockholm';

export const WEEKDAY_NAMES: readonly WeekdayName[] = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];

// ---------------------------------------------------------------------------
// ISO date parsing and day arithmetic (integer math, no Date objects)
// ---------------------------------------------------------------------------

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE_RE.exec(value);
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(m[1]), month);
}

/** Splits a date into numbers; throws on anything but a valid 'YYYY-MM-DD'. */
export function parseIsoDate(date: IsoDate): { year: number; month: number; day: number } {
  if (!isIsoDate(date)) throw new Error(`Invalid ISO date (expected YYYY-MM-DD): ${JSON.stringify(date)}`);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

export function toIsoDate(year: number, month: number, day: number): IsoDate {
  if (!Number.isInteger(year) || year < 0 || year > 9999) throw new Error(`Year out of range: ${year}`);
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (!isIsoDate(iso)) throw new Error(`Invalid date: year ${year}, month ${month}, day ${day}`);
  return iso;
}

// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
function toEpochDay(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function fromEpochDay(epochDay: number): IsoDate {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return toIsoDate(year, month, day);
}

function assertInteger(n: number, what: string): void {
  if (!Number.isInteger(n)) throw new Error(`${what} must be an integer, got ${n}`);
}

export function addDays(date: IsoDate, n: number): IsoDate {
  assertInteger(n, 'addDays: n');
  return fromEpochDay(toEpochDay(date) + n);
}

/** Signed number of calendar days from a to b (b − a): daysBetween('2026-01-01', '2026-01-03') === 2. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toEpochDay(b) - toEpochDay(a);
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function weekday(date: IsoDate): Weekday {
  // 1970-01-01 was a Thursday (4).
  return ((((toEpochDay(date) + 3) % 7) + 7) % 7 + 1) as Weekday;
}

export function weekdayNumber(day: Weekday | WeekdayName): Weekday {
  if (typeof day === 'number') {
    if (!Number.isInteger(day) || day < 1 || day > 7) throw new Error(`Invalid weekday number: ${day} (1 = Monday … 7 = Sunday)`);
    return day;
  }
  const i = WEEKDAY_NAMES.indexOf(day);
  if (i < 0) throw new Error(`Invalid weekday name: ${JSON.stringify(day)}`);
  return (i + 1) as Weekday;
}

// ---------------------------------------------------------------------------
// Swedish holidays
// ---------------------------------------------------------------------------

/** Easter Sunday by the Gregorian computus (Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  assertGregorianYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return toIsoDate(year, month, day);
}

function assertGregorianYear(year: number): void {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new Error(`Year must be an integer between 1583 and 9999, got ${year}`);
  }
}

/** The first Saturday on or after the date. */
function saturdayOnOrAfter(date: IsoDate): IsoDate {
  return addDays(date, (6 - weekday(date) + 7) % 7);
}

const holidayCache = new Map<number, readonly Holiday[]>();

/**
 * Swedish public holidays (allmänna helgdagar, lag 1989:253) plus the de facto
 * non-working eves, sorted by date. Ordinary Sundays, though legally helgdagar,
 * are not listed. Rules are those in force since 2005; for earlier years
 * annandag pingst replaces nationaldagen (changes before 1953 are not modelled).
 * Two entries may share a date (e.g. första maj and Kristi himmelsfärdsdag in 2008).
 */
export function swedishHolidays(year: number): Holiday[] {
  assertGregorianYear(year);
  let list = holidayCache.get(year);
  if (!list) {
    const easter = easterSunday(year);
    const midsommardagen = saturdayOnOrAfter(toIsoDate(year, 6, 20));
    const entries: Holiday[] = [
      { date: toIsoDate(year, 1, 1), name: 'nyårsdagen', kind: 'public' },
      { date: toIsoDate(year, 1, 6), name: 'trettondedag jul', kind: 'public' },
      { date: addDays(easter, -2), name: 'långfredagen', kind: 'public' },
      { date: easter, name: 'påskdagen', kind: 'public' },
      { date: addDays(easter, 1), name: 'annandag påsk', kind: 'public' },
      { date: toIsoDate(year, 5, 1), name: 'första maj', kind: 'public' },
      { date: addDays(easter, 39), name: 'Kristi himmelsfärdsdag', kind: 'public' },
      { date: addDays(easter, 49), name: 'pingstdagen', kind: 'public' },
      year >= 2005
        ? { date: toIsoDate(year, 6, 6), name: 'nationaldagen', kind: 'public' }
        : { date: addDays(easter, 50), name: 'annandag pingst', kind: 'public' },
      { date: addDays(midsommardagen, -1), name: 'midsommarafton', kind: 'eve' },
      { date: midsommardagen, name: 'midsommardagen', kind: 'public' },
      { date: saturdayOnOrAfter(toIsoDate(year, 10, 31)), name: 'alla helgons dag', kind: 'public' },
      { date: toIsoDate(year, 12, 24), name: 'julafton', kind: 'eve' },
      { date: toIsoDate(year, 12, 25), name: 'juldagen', kind: 'public' },
      { date: toIsoDate(year, 12, 26), name: 'annandag jul', kind: 'public' },
      { date: toIsoDate(year, 12, 31), name: 'nyårsafton', kind: 'eve' },
    ];
    // Stable sort keeps the listed order for entries sharing a date.
    list = Object.freeze(entries.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0)).map((h) => Object.freeze(h)));
    holidayCache.set(year, list);
  }
  return list.map((h) => ({ ...h }));
}

/** All holiday/eve entries falling on the date (usually zero or one). */
export function holidaysOn(date: IsoDate): Holiday[] {
  const { year } = parseIsoDate(date);
  return swedishHolidays(year).filter((h) => h.date === date);
}

/** True for a public holiday OR a de facto non-working eve (any entry of swedishHolidays). */
export function isHoliday(date: IsoDate): boolean {
  return holidaysOn(date).length > 0;
}

/** True only for an allmän helgdag listed by swedishHolidays (kind 'public'); eves excluded. */
export function isPublicHoliday(date: IsoDate): boolean {
  return holidaysOn(date).some((h) => h.kind === 'public');
}

/** Monday–Friday and neither a public holiday nor an eve. */
export function isWorkingDay(date: IsoDate): boolean {
  return weekday(date) <= 5 && !isHoliday(date);
}

/** The date itself if it is a working day, else the first working day after it. */
export function nextWorkingDay(date: IsoDate): IsoDate {
  let d = date;
  while (!isWorkingDay(d)) d = addDays(d, 1);
  return d;
}

/** The date itself if it is a working day, else the last working day before it. */
export function previousWorkingDay(date: IsoDate): IsoDate {
  let d = date;
  while (!isWorkingDay(d)) d = addDays(d, -1);
  return d;
}

/**
 * Moves |n| working days forward (n > 0) or backward (n < 0); the start date is
 * not counted, so Friday + 1 = Monday (barring holidays). n = 0 returns the date unchanged.
 */
export function addWorkingDays(date: IsoDate, n: number): IsoDate {
  assertInteger(n, 'addWorkingDays: n');
  const step = n < 0 ? -1 : 1;
  let d = date;
  for (let left = Math.abs(n); left > 0; ) {
    d = addDays(d, step);
    if (isWorkingDay(d)) left--;
  }
  return d;
}

// ---------------------------------------------------------------------------
// "The Nth (non-holiday) weekday of a month"
// ---------------------------------------------------------------------------

const ORDINALS_SV = ['första', 'andra', 'tredje', 'fjärde', 'femte'];
const MONTHS_SV = [
  'januari',
  'februari',
  'mars',
  'april',
  'maj',
  'juni',
  'juli',
  'augusti',
  'september',
  'oktober',
  'november',
  'december',
];
const WEEKDAYS_SV = ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'];

export interface NthWeekdayOptions {
  year: number;
  /** 1–12 */
  month: number;
  weekday: Weekday | WeekdayName;
  /** 1 = first … 5 = fifth; −1 = last, −2 = second to last, … */
  n: number;
  /** Do not count days for which isHoliday() is true (public holidays and eves). */
  skipHolidays?: boolean;
}

/**
 * E.g. "the fourth non-holiday Wednesday in August":
 * nthWeekdayOfMonth({ year: 2010, month: 8, weekday: 'wednesday', n: 4, skipHolidays: true }) → '2010-08-25'.
 * Throws if the month has no such day.
 */
export function nthWeekdayOfMonth(opts: NthWeekdayOptions): IsoDate {
  const { year, month, n, skipHolidays = false } = opts;
  assertGregorianYear(year);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new Error(`Invalid month: ${month} (1–12)`);
  if (!Number.isInteger(n) || n === 0) throw new Error(`Invalid n: ${n} (1, 2, … from the start; −1, −2, … from the end)`);
  const wd = weekdayNumber(opts.weekday);

  const candidates: IsoDate[] = [];
  const first = toIsoDate(year, month, 1);
  for (let d = addDays(first, (wd - weekday(first) + 7) % 7); d.slice(0, 7) === first.slice(0, 7); d = addDays(d, 7)) {
    if (!skipHolidays || !isHoliday(d)) candidates.push(d);
  }
  const picked = n > 0 ? candidates[n - 1] : candidates[candidates.length + n];
  if (picked === undefined) {
    const ord = n > 0 ? `number ${n}` : n === -1 ? 'last' : `number ${-n} from the end`;
    throw new Error(
      `${year}-${String(month).padStart(2, '0')} has no ${ord} ${skipHolidays ? 'non-holiday ' : ''}${WEEKDAY_NAMES[wd - 1]} ` +
        `(only ${candidates.length})`,
    );
  }
  return picked;
}

/** A rule usable in config files, e.g. { nth: 4, weekday: 'wednesday', month: 8, nonHoliday: true }. */
export type DateRule = {
  /** 1–5, or −1 = last, −2 = second to last, … */
  nth: number;
  weekday: WeekdayName;
  /** 1–12 */
  month: number;
  /** Skip holidays and eves when counting ("helgfria"). */
  nonHoliday?: boolean;
};

export function resolveDateRule(rule: DateRule, year: number): IsoDate {
  if (!Number.isInteger(rule.nth) || rule.nth === 0 || Math.abs(rule.nth) > 5) {
    throw new Error(`Invalid DateRule.nth: ${rule.nth} (1–5 or −1…−5)`);
  }
  return nthWeekdayOfMonth({
    year,
    month: rule.month,
    weekday: rule.weekday,
    n: rule.nth,
    skipHolidays: rule.nonHoliday ?? false,
  });
}

/**
 * Parses Swedish rule text such as '(den) fjärde helgfria onsdagen i augusti (månad)',
 * 'sista fredagen i maj', 'näst sista måndagen i oktober', '2:a tisdagen i mars'.
 */
export function parseDateRuleText(text: string): DateRule {
  const words = text.normalize('NFC').toLowerCase().replace(/[.,]/g, ' ').trim().split(/\s+/);
  const fail = (why: string): never => {
    throw new Error(`Cannot parse date rule ${JSON.stringify(text)}: ${why}`);
  };
  let i = words[0] === 'den' ? 1 : 0;
  let nth: number;
  if (words[i] === 'näst' && words[i + 1] === 'sista') {
    nth = -2;
    i += 2;
  } else if (words[i] === 'sista') {
    nth = -1;
    i += 1;
  } else {
    const w = words[i] ?? '';
    const numeric = /^([1-5]):?[ae]?$/.exec(w);
    nth = numeric ? Number(numeric[1]) : ORDINALS_SV.indexOf(w) + 1;
    if (nth === 0) fail(`unknown ordinal ${JSON.stringify(w)}`);
    i += 1;
  }
  let nonHoliday = false;
  if (words[i] === 'helgfria' || words[i] === 'helgfri') {
    nonHoliday = true;
    i += 1;
  }
  const wdWord = (words[i] ?? '').replace(/en$/, '');
  const wdIndex = WEEKDAYS_SV.indexOf(wdWord);
  if (wdIndex < 0) fail(`unknown weekday ${JSON.stringify(words[i])}`);
  i += 1;
  if (words[i] === 'i') i += 1;
  const monthIndex = MONTHS_SV.indexOf(words[i] ?? '');
  if (monthIndex < 0) fail(`unknown month ${JSON.stringify(words[i])}`);
  i += 1;
  if (words[i] === 'månad') i += 1;
  if (i !== words.length) fail(`unexpected ${JSON.stringify(words.slice(i).join(' '))}`);
  const rule: DateRule = { nth, weekday: WEEKDAY_NAMES[wdIndex], month: monthIndex + 1 };
  if (nonHoliday) rule.nonHoliday = true;
  return rule;
}

/** Inverse of parseDateRuleText: { nth: 4, weekday: 'wednesday', month: 8, nonHoliday: true } → 'fjärde helgfria onsdagen i augusti'. */
export function formatDateRuleText(rule: DateRule): string {
  const ord =
    rule.nth > 0 && rule.nth <= 5
      ? ORDINALS_SV[rule.nth - 1]
      : rule.nth === -1
        ? 'sista'
        : rule.nth === -2
          ? 'näst sista'
          : undefined;
  if (ord === undefined) throw new Error(`Cannot format DateRule.nth ${rule.nth} in Swedish`);
  if (!Number.isInteger(rule.month) || rule.month < 1 || rule.month > 12) throw new Error(`Invalid month: ${rule.month}`);
  const wd = WEEKDAYS_SV[weekdayNumber(rule.weekday) - 1];
  return `${ord} ${rule.nonHoliday ? 'helgfria ' : ''}${wd}en i ${MONTHS_SV[rule.month - 1]}`;
}

// ---------------------------------------------------------------------------
// Moving a historic plan to another year
// ---------------------------------------------------------------------------

/**
 * Places `date` in `targetYear` on the same weekday, at the day nearest the same
 * month/day (at most 3 days away; 29 Feb is taken as 28 Feb). If that day is a
 * holiday or eve it moves to the next working day. Weekend days that are not
 * holidays are kept (e.g. a Saturday planning day stays a Saturday).
 * shiftToYear('2016-01-22', 2026) → '2026-01-23' (both Fridays).
 */
export function shiftToYear(date: IsoDate, targetYear: number): IsoDate {
  const { month, day } = parseIsoDate(date);
  assertGregorianYear(targetYear);
  const anchor = toIsoDate(targetYear, month, Math.min(day, daysInMonth(targetYear, month)));
  // Offset in −3…+3 to the same weekday; unique, so no ties.
  const offset = ((((weekday(date) - weekday(anchor)) % 7) + 10) % 7) - 3;
  const shifted = addDays(anchor, offset);
  return isHoliday(shifted) ? nextWorkingDay(shifted) : shifted;
}

// ---------------------------------------------------------------------------
// Europe/Stockholm wall time ↔ instants
// ---------------------------------------------------------------------------

/**
 * How to resolve a wall-clock time that does not exist (spring forward, last
 * Sunday of March 02:00 → 03:00) or exists twice (fall back, last Sunday of
 * October 03:00 → 02:00). Same meaning as in the TC39 Temporal API.
 * - 'compatible' (default): skipped time → shifted forward by the gap (02:30 → 03:30 CEST);
 *   repeated time → the earlier instant (the first 02:30, still CEST).
 * - 'earlier' / 'later': the earlier / later of the two candidate instants
 *   (for a skipped 02:30: 01:30 CET / 03:30 CEST).
 * - 'reject': throw.
 */
export type Disambiguation = 'compatible' | 'earlier' | 'later' | 'reject';

const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MINUTE_MS = 60_000;

function stockholmOffsetMinutes(epochMs: number): number {
  return DateTime.fromMillis(epochMs, { zone: STOCKHOLM_ZONE }).offset;
}

/**
 * The instant at which Stockholm wall clocks show `time` ('HH:MM', 24 h) on `date`.
 * stockholmDateTime('2026-03-27', '09:00') → 2026-03-27T08:00:00Z (CET, UTC+1);
 * stockholmDateTime('2026-03-30', '09:00') → 2026-03-30T07:00:00Z (CEST, UTC+2).
 * The skipped hour: stockholmDateTime('2026-03-29', '02:30') → 2026-03-29T01:30:00Z (= 03:30 CEST).
 * The repeated hour: stockholmDateTime('2026-10-25', '02:30') → 2026-10-25T00:30:00Z (the first 02:30, CEST);
 * pass { disambiguation: 'later' } for 01:30Z (the second 02:30, CET).
 */
export function stockholmDateTime(
  date: IsoDate,
  time: string,
  opts: { disambiguation?: Disambiguation } = {},
): Date {
  const t = TIME_RE.exec(time);
  if (!t) throw new Error(`Invalid time (expected HH:MM, 00:00–23:59): ${JSON.stringify(time)}`);
  const disambiguation = opts.disambiguation ?? 'compatible';

  // The wall time read as if it were UTC, then corrected by the zone offset(s)
  // in force around it. Offsets a day before/after cover any single transition.
  const local = toEpochDay(date) * 86_400_000 + (Number(t[1]) * 60 + Number(t[2])) * MINUTE_MS;
  const offBefore = stockholmOffsetMinutes(local - 86_400_000);
  const offAfter = stockholmOffsetMinutes(local + 86_400_000);
  const candidates = [...new Set([offBefore, offAfter])]
    .map((off) => local - off * MINUTE_MS)
    .filter((ms) => stockholmOffsetMinutes(ms) * MINUTE_MS === local - ms)
    .sort((a, b) => a - b);

  if (candidates.length === 1) return new Date(candidates[0]);
  if (disambiguation === 'reject') {
    throw new Error(
      `${date} ${time} is ${candidates.length === 0 ? 'skipped' : 'ambiguous'} in ${STOCKHOLM_ZONE} (DST change)`,
    );
  }
  if (candidates.length === 2) {
    return new Date(disambiguation === 'later' ? candidates[1] : candidates[0]);
  }
  // Gap: reading the wall time with the pre-transition offset lands after the gap
  // (02:30 at UTC+1 = 03:30 CEST); with the post-transition offset, before it.
  const afterGap = local - offBefore * MINUTE_MS;
  const beforeGap = local - offAfter * MINUTE_MS;
  return new Date(disambiguation === 'earlier' ? Math.min(afterGap, beforeGap) : Math.max(afterGap, beforeGap));
}

function assertValidInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new Error(`Invalid Date: ${String(instant)}`);
}

// The date of the last minute asked for: every request asks for today, and Stockholm's offset
// only changes on a whole hour, so the date is the same throughout a minute.
let lastMinute = { minute: NaN, date: '' as IsoDate };

/** The Stockholm calendar date at the given instant. */
export function toStockholmDate(instant: Date): IsoDate {
  assertValidInstant(instant);
  const minute = Math.floor(instant.getTime() / 60_000);
  if (minute === lastMinute.minute) return lastMinute.date;
  const dt = DateTime.fromMillis(instant.getTime(), { zone: STOCKHOLM_ZONE });
  lastMinute = { minute, date: toIsoDate(dt.year, dt.month, dt.day) };
  return lastMinute.date;
}

/** The Stockholm wall-clock time 'HH:MM' at the given instant (seconds truncated). */
export function toStockholmTime(instant: Date): string {
  assertValidInstant(instant);
  return DateTime.fromMillis(instant.getTime(), { zone: STOCKHOLM_ZONE }).toFormat('HH:mm');
}

/** The instant of 00:00 Stockholm time on the date (Swedish DST changes never touch midnight). */
export function startOfStockholmDay(date: IsoDate): Date {
  return stockholmDateTime(date, '00:00');
}
