// Reports hold aggregate figures only: free text that carries a Swedish personal identity number
// (personnummer) or coordination number (samordningsnummer, day + 60) is refused, however it is
// written: with or without century, with a hyphen, plus, en or em dash, minus sign or spaces,
// or with digits grouped by spaces ("1912 12 12-1212").

const DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g;
// YYMMDD (day 01–31, or 61–91 for a samordningsnummer), then the four last digits.
const NUMBER = /(?<!\d)(19|20)?(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])([-+]?)(\d{4})(?!\d)/g;

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

/**
 * True when the text holds something written as a personal identity number. With a separator
 * (12-1212, 12+1212) or a century (19…, 20…) the form alone is enough; ten bare digits must also
 * pass the Luhn check, so that a phone number is not taken for one.
 */
export function containsIdentityNumber(text: string): boolean {
  const normal = text.replace(DASHES, '-').replace(/(\d)[ \u00a0\u202f\t]+(?=[\d+-])/g, '$1').replace(/([-+])[ \u00a0\u202f\t]+(?=\d)/g, '$1');
  for (const m of normal.matchAll(NUMBER)) {
    const [, century, yy, mm, dd, sep, last] = m;
    if (sep || century || luhnValid(`${yy}${mm}${dd}${last}`)) return true;
  }
  return false;
}

export const IDENTITY_NUMBER_PROBLEM = 'looks like it contains a personal identity number; reports hold aggregate figures only, never data about a participant';
