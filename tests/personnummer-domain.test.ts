// The personnummer screen (domain/personnummer.ts) at its edges: which dates are real (the last day
// of a month, 29 February, the century), how sure each written form must be (the form alone, or the
// check digit too), where a written number starts and ends, and a number hidden in a URL's escapes.
// Both sides matter: a missed number reaches a public report (OSL/GDPR), a false alarm refuses an
// official's honest text (a date and a time, a reference, an amount).
import { describe, expect, it } from 'vitest';
import { containsIdentityNumber, luhnValid } from '../domain/personnummer.js';

function expectFound(texts: string[]) {
  for (const text of texts) expect(containsIdentityNumber(text), JSON.stringify(text)).toBe(true);
}
function expectPasses(texts: string[]) {
  for (const text of texts) expect(containsIdentityNumber(text), JSON.stringify(text)).toBe(false);
}

describe('personal identity numbers in free text: the Luhn check digit', () => {
  it('counts a 9 in a place weighted once as 9, so a person born in 1919 or 1990 is found as ten bare digits', () => {
    expect(luhnValid('1901011237')).toBe(true);
    expect(luhnValid('9001011239')).toBe(true);
    expect(luhnValid('9001011238')).toBe(false);
    expectFound(['1901011237', 'Deltagaren 9001011239 började i mars.']);
  });
});

describe('personal identity numbers in free text: digits of any script', () => {
  it('reads Persian and Thai digits as the digits they are', () => {
    // Persian (extended Arabic-Indic) 1901011237 as ten bare digits; Thai 121231-1234 with a hyphen.
    expectFound(['\u06f1\u06f9\u06f0\u06f1\u06f0\u06f1\u06f1\u06f2\u06f3\u06f7', 'Deltagare \u0e51\u0e52\u0e51\u0e52\u0e53\u0e51-\u0e51\u0e52\u0e53\u0e54']);
  });
});

describe('personal identity numbers in free text: only a real date of birth', () => {
  // With a hyphen (or a century) the form alone is enough, so only the date decides these.
  it('finds a number born on the last day of a 31-day month', () => {
    expectFound(['121231-1234', '19121231-1234']);
  });

  it('lets a day 00, a day 32, a month 00 and a month 13 pass', () => {
    expectPasses(['121200-1234', '121232-1234', '120012-1234', '121312-1234']);
  });

  it('lets 30 February pass', () => {
    expectPasses(['120230-1234', '19960230-1234']);
  });

  it('finds 29 February without a century, since the year may be a leap year', () => {
    expectFound(['000229-1234', '970229-1234']);
  });

  it('with a century, finds 29 February only in a leap year: 1996 and 2000 yes, 1997 and 1900 no', () => {
    expectFound(['19960229-1234', '20000229-1234', '20240229-1234']);
    expectPasses(['19970229-1234', '19000229-1234']);
  });

  it('reads only 19 and 20 as a century: another twelve-digit number passes', () => {
    expectPasses(['18121212-1212', '21121212-1212', 'Fakturanummer 551212121212', 'Konto 5512 1212 1212']);
  });

  it('lets eleven bare digits pass even when their last ten would be a personnummer', () => {
    expectPasses(['Referens 41212121212']);
  });
});

describe('personal identity numbers in free text: how sure each written form must be', () => {
  it('finds a date with spaces in it and a hyphen before the last four, without the check digit', () => {
    // 9001011234 fails the Luhn check: the written form is what counts here.
    expectFound(['90 01 01-1234', 'född 1990 01 01-1234']);
  });

  it('finds a date with a century and a space before the last four, without the check digit', () => {
    expectFound(['1990 01 01 1234']);
  });

  it('lets a compact date followed by a time pass when the check digit fails', () => {
    expectPasses(['Mötet 261212 1300 i Kumla', 'Datum 20261212\n1500 kr']);
  });
});

describe('personal identity numbers in free text: where a written number starts', () => {
  it('finds a dotted date after a comma that ends the number before it', () => {
    expectFound(['Deltagare: 3, 12.12.12-1212, kvinna']);
  });

  it('lets a dotted number pass when the date runs on from more digits in front', () => {
    expectPasses(['Ref. 7.12.12.12.1212']);
  });
});

describe('personal identity numbers in free text: in a URL', () => {
  it('finds a number whose en dash is percent-encoded as three bytes', () => {
    expectFound(['https://example.se/sok?q=121212%E2%80%931212']);
  });

  it('lets a URL with percent-escapes but no number pass', () => {
    expectPasses(['Se https://example.se/rapport%202026.pdf', 'https://example.se/s%C3%B6k?ar=2026']);
  });
});
