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
