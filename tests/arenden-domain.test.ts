// Ärenden (domain/arenden.ts): the diarienummer's year and number within their bounds, and the
// board meeting a matter is headed for whatever order the meetings are stored in.
import { describe, expect, it } from 'vitest';
import { formatDnr, nextBoardMeeting } from '../domain/arenden.js';

describe('diarienummer', () => {
  it('takes a four-digit year: 1000 to 9999', () => {
    expect(formatDnr(1000, 1)).toBe('1000-00001');
    expect(formatDnr(9999, 99999)).toBe('9999-99999');
    expect(() => formatDnr(999, 1)).toThrow('formatDnr: bad year 999');
    expect(() => formatDnr(10000, 1)).toThrow('formatDnr: bad year 10000');
    expect(() => formatDnr(2027.5, 1)).toThrow('formatDnr: bad year 2027.5');
  });

  it('takes a whole number from 1 to 99999', () => {
    expect(formatDnr(2027, 1)).toBe('2027-00001');
    expect(formatDnr(2027, 99999)).toBe('2027-99999');
    expect(() => formatDnr(2027, 1.5)).toThrow('formatDnr: number must be 1–99999 (got 1.5)');
  });
});

describe('the board meeting a matter is headed for', () => {
  it('is the earliest open one, whatever order the meetings come in; on the same day, the same one every time', () => {
    const apr = { id: 'apr', date: '2027-04-22', mattersDeadline: '2027-04-08' };
    const feb = { id: 'feb', date: '2027-02-25', mattersDeadline: '2027-02-11' };
    expect(nextBoardMeeting([apr, feb], '2027-01-10')?.id).toBe('feb');
    const extraA = { id: 'a-extra', date: '2027-02-25', mattersDeadline: '2027-02-11' };
    expect(nextBoardMeeting([apr, feb, extraA], '2027-01-10')?.id).toBe('a-extra');
    expect(nextBoardMeeting([extraA, feb, apr], '2027-01-10')?.id).toBe('a-extra');
  });
});
