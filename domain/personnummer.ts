// Free text never holds a Swedish personal identity number (personnummer) or coordination number
// (samordningsnummer, day + 60), however it is written. Before looking, the text is brought to one
// form (screenForm): Unicode compatibility forms folded (NFKC: full-width digits, figure and
// no-break spaces), every decimal digit of any script made ASCII, and invisible format characters
// (zero-width space and joiners, soft hyphen, bidi controls, BOM) removed. Then digits separated by
// a short run of separators (white space including line breaks, any dash or minus, +, '.', ',', '/')
// count as one number written in groups.
//
// A personnummer is a real date — YYMMDD or YYYYMMDD (the day may be + 60) — followed by four
// digits. How sure a match is depends on how it is written:
// - the date in one group (or in groups split by spaces only) and then a hyphen or plus before the
//   last four, or a century (19…, 20…) in front: the form alone is enough (19121212-1212,
//   121212+1212, 191212121212, 1912 12 12-1212);
// - ten bare digits, or any other separators (1912-12-12-1212, 12.12.12-1212, 121212/1212, a line
//   break before the last four): the tenth digit must also pass the Luhn check (as every real
//   personnummer does), and a date written with separators must not run on into more digits
//   (2026-01-01–2026-06-30 is a period, not a person). So phone numbers, amounts, dates and
//   diarienummer pass.

/** The Luhn check over the ten digits YYMMDDNNNC, as for every personnummer. */
export function luhnValid(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let d = Number(tenDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

// Invisible characters that change nothing a reader sees: format characters (zero-width space,
// joiners, soft hyphen, bidi controls, BOM, …) and the other default-ignorable code points.
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const DIGIT = /\p{Nd}/gu;

/** The value of a decimal digit of any script: digits come in runs of ten, 0 to 9, from the run's start. */
function asciiDigit(ch: string): string {
  const cp = ch.codePointAt(0)!;
  let start = cp;
  while (start > 0 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
  return String((cp - start) % 10);
}

/** The text as the screen reads it: NFKC, ASCII digits, no invisible format characters. */
export function screenForm(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(DIGIT, (d) => (d >= '0' && d <= '9' ? d : asciiDigit(d)));
}

// A number written in groups: digits, then (a short run of separators, digits) repeated.
const SEPARATOR = '[\\s\\p{Pd}\\u2212+.,/]';
const CHAIN = new RegExp(`\\d+(?:${SEPARATOR}{1,6}\\d+)*`, 'gu');
const GROUP = new RegExp(`(\\d+)|(${SEPARATOR}+)`, 'gu');
const SPACES = /^[ \t]+$/;
const DASH_OR_PLUS = /^[ \t]*[\p{Pd}\u2212+][ \t]*$/u;
/** A separator that ends a number rather than continuing it: white space or a comma. */
const LOOSE = /[\s,]/;

const daysIn = (year: number | undefined, month: number) => (month === 2 ? (year === undefined || (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31);

/** YYMMDD or CCYYMMDD as a real date; the day may be + 60 (samordningsnummer). */
function realDate(digits: string): boolean {
  const century = digits.length === 8 ? digits.slice(0, 2) : undefined;
  if (century !== undefined && century !== '19' && century !== '20') return false;
  const d = digits.slice(-6);
  const year = century !== undefined ? Number(century + d.slice(0, 2)) : undefined;
  const month = Number(d.slice(2, 4));
  let day = Number(d.slice(4, 6));
  if (day > 60) day -= 60;
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}

/** Whether the groups (digit runs) and separators of one written number hold a personnummer. */
function chainHolds(groups: string[], seps: string[]): boolean {
  for (let i = 0; i < groups.length; i++) {
    let digits = '';
    for (let j = i; j < groups.length && digits.length < 12; j++) {
      digits += groups[j];
      if (digits.length !== 10 && digits.length !== 12) continue;
      const date = digits.slice(0, -4);
      const tenDigits = digits.slice(-10);
      if (!realDate(date)) continue;
      const century = digits.length === 12;
      if (i === j) {
        // Bare digits: a century is enough, ten need the check digit.
        if (century || luhnValid(tenDigits)) return true;
        continue;
      }
      if (groups[j].length !== 4) continue; // the last four are written together
      const dateSeps = seps.slice(i, j - 1);
      const last = seps[j - 1];
      const plain = dateSeps.every((s) => SPACES.test(s));
      const dashed = DASH_OR_PLUS.test(last);
      if (plain && (dashed || SPACES.test(last))) {
        if (century || dashed || luhnValid(tenDigits)) return true;
        continue;
      }
      // Written with other separators: only when it stands alone, and with the check digit (or a
      // century and a hyphen before the last four: 1990.01.01-1234).
      const before = i > 0 ? seps[i - 1] : ' ';
      const after = j < groups.length - 1 ? seps[j] : ' ';
      if (!LOOSE.test(before) || !LOOSE.test(after)) continue;
      if ((century && dashed) || luhnValid(tenDigits)) return true;
    }
  }
  return false;
}

/** The text with its percent-escapes (%2F, %E2%80%8B) decoded where they are valid UTF-8: a URL's path or query. */
function percentDecoded(text: string): string {
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** True when the text holds something written as a personal identity number (see above); in a URL also when percent-encoded. */
export function containsIdentityNumber(text: string): boolean {
  return holds(text) || (/%[0-9a-f]{2}/i.test(text) && holds(percentDecoded(text)));
}

function holds(text: string): boolean {
  const normal = screenForm(text);
  for (const [chain] of normal.matchAll(CHAIN)) {
    const groups: string[] = [];
    const seps: string[] = [];
    for (const [, digits, sep] of chain.matchAll(GROUP)) (digits !== undefined ? groups : seps).push(digits ?? sep);
    if (groups.length && chainHolds(groups, seps)) return true;
  }
  return false;
}

export const IDENTITY_NUMBER_PROBLEM = 'looks like it contains a personal identity number; reports hold aggregate figures only, never data about a participant';
