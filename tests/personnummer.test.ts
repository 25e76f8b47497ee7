import { describe, expect, it } from 'vitest';
import { containsIdentityNumber, luhnValid } from '../domain/personnummer.js';

describe('personal identity numbers in free text', () => {
  it('finds every written form of a personnummer', () => {
    for (const text of [
      '19121212-1212',
      '121212-1212',
      '19121212–1212', // en dash
      '19121212—1212', // em dash
      '19121212−1212', // minus sign
      '1912 12 12-1212',
      '1912 12 12 - 1212',
      '121212+1212', // over 100 years old
      '191212121212', // twelve bare digits, valid check digit
      '1212121212',
      'Deltagaren (19121212-1212) började i mars.',
      'pnr:121212 1212',
    ]) {
      expect(containsIdentityNumber(text), text).toBe(true);
    }
  });

  it('finds a samordningsnummer (day + 60)', () => {
    expect(containsIdentityNumber('701063-2391')).toBe(true);
    expect(containsIdentityNumber('19701063-2391')).toBe(true);
  });

  it('lets aggregate text, amounts, dates and phone numbers pass', () => {
    for (const text of [
      '12 deltagare, varav 7 kvinnor och 5 män; 3 gick till arbete.',
      'Kostnad hittills 1 250 000 kr.',
      'Perioden 2026-01-01–2026-06-30.',
      'Ring 070-123 45 67 vid frågor.',
      '0701234568',
      'Dnr 2027-00012',
      'Budget 2 700 000 mot kostnader 3 600 000',
    ]) {
      expect(containsIdentityNumber(text), text).toBe(false);
    }
  });

  it('checks the Luhn digit', () => {
    expect(luhnValid('1212121212')).toBe(true);
    expect(luhnValid('1212121213')).toBe(false);
  });
});

describe('the hostile hour: every way of writing one (issue 19)', () => {
  // 1212121212 passes the Luhn check, as every real personnummer does.
  const VARIANTS: [string, string][] = [
    ['hyphens in the date too', '1912-12-12-1212'],
    ['dots in the date', '12.12.12-1212'],
    ['dots and a century', '1912.12.12-1212'],
    ['slashes', '1912/12/12 1212'],
    ['a slash before the last four', '121212/1212'],
    ['a comma before the last four', '121212,1212'],
    ['a line break before the last four', '121212\n1212'],
    ['CR LF before the last four', '121212\r\n1212'],
    ['a line break among spaces', '121212 \n 1212'],
    ['spaces in the date, a line break', '12 12 12\n1212'],
    ['a zero-width space', '1212\u200b12-1212'],
    ['zero-width joiners', '12\u200d1212\u200c-1212'],
    ['a word joiner', '121212\u2060-\u20601212'],
    ['a soft hyphen as the hyphen', '121212\u00ad1212'],
    ['soft hyphens around the hyphen', '121212\u00ad-\u00ad1212'],
    ['a BOM inside', '1212\ufeff121212'],
    ['a figure space', '121212\u20071212'],
    ['figure spaces around the hyphen', '19121212\u2007-\u20071212'],
    ['a no-break space', '121212\u00a01212'],
    ['narrow no-break spaces', '121212\u202f-\u202f1212'],
    ['an ideographic space', '121212\u30001212'],
    ['full-width digits and hyphen', '１２１２１２－１２１２'],
    ['full-width digits with a century', '１９１２１２１２１２１２'],
    ['Arabic-Indic digits', '١٢١٢١٢-١٢١٢'],
    ['Devanagari digits', '१२१२१२-१२१२'],
    ['mathematical bold digits', '𝟏𝟐𝟏𝟐𝟏𝟐-𝟏𝟐𝟏𝟐'],
    ['mixed scripts', '12١2१2-１212'],
    ['a non-breaking hyphen', '121212\u20111212'],
    ['a hyphen', '121212\u20101212'],
    ['a small hyphen-minus', '121212\ufe631212'],
    ['a minus sign', '121212\u22121212'],
    ['in a sentence after a comma', 'Deltagare: 3, 121212-1212, kvinna'],
    ['a samordningsnummer with dots', '70.10.63-2391'],
    ['a dated century with a hyphen (no check digit)', '1990.01.01-1234'],
  ];

  it.each(VARIANTS)('finds it written with %s', (_what, text) => {
    expect(containsIdentityNumber(text)).toBe(true);
    expect(containsIdentityNumber(`Om deltagaren ${text} i texten.`)).toBe(true);
  });

  it('still lets dates, periods, phone numbers, amounts and diarienummer pass', () => {
    for (const text of [
      '2026-12-12',
      'Möte 2026-12-12 kl. 13.00–15.30',
      '2026-12-12 1300',
      '2026-12-12, 1500 kr',
      'Perioden 2026-12-12–2027-06-30',
      '2026-01-01 – 2026-12-31',
      '12.12.2026 1400',
      '2026/12/12 2026/12/13',
      '08-123 456 78',
      '+46 70 123 45 67',
      '070-1234567',
      'Tel 013-12 12 12',
      'Org.nr 222000-1234',
      'Belopp 1 212 121 212 kr',
      '1,5 miljoner 2026',
      'Konto 4000-4099',
      'Dnr 2027-00012',
    ]) {
      expect(containsIdentityNumber(text), text).toBe(false);
    }
  });
});
