// Moving a meeting asks before it acts (issue 18): the plain rule of domain/flytt.ts that lists
// what a move would bring about, in Swedish and as codes. The board meeting of Monday 27 April
// 2026 (kallelse 7 days before: Monday 20 April), prepared by the beredningsgrupp on Tuesday 7
// April and the beredning on Monday 13 April; Easter 2026 is 5 April.
import { describe, expect, it } from 'vitest';
import { moveConsequences, type MoveFacts } from '../domain/flytt.js';

const board = (over: Partial<MoveFacts> = {}): MoveFacts => ({
  kind: 'styrelse',
  from: { date: '2026-04-27', start: '09:00' },
  to: { date: '2026-04-28', start: '09:00' },
  now: { date: '2026-04-15', time: '10:00' },
  kallelseDays: 7,
  kallelseSentOn: null,
  preparedBy: [
    { kind: 'beredningsgrupp', date: '2026-04-07' },
    { kind: 'beredning', date: '2026-04-13' },
  ],
  ...over,
});
const codes = (f: MoveFacts) => moveConsequences(f).map((c) => c.code);
const sv = (f: MoveFacts) => moveConsequences(f).map((c) => c.sv);

describe('a quiet move', () => {
  it('has no consequences: a working day ahead, the kallelse deadline ahead, after the beredning', () => {
    expect(moveConsequences(board())).toEqual([]);
    // A new time or place on the same day neither.
    expect(moveConsequences(board({ to: { date: '2026-04-27', start: '13:00' } }))).toEqual([]);
    // Nor a new time for a meeting whose day has been (as before: nothing new is brought about).
    expect(moveConsequences(board({ from: { date: '2026-01-23', start: '09:00' }, to: { date: '2026-01-23', start: '10:00' }, now: { date: '2026-03-02', time: '10:00' } }))).toEqual([]);
    // A preparatory meeting, a presidium or a planning day moved to a working day ahead.
    expect(moveConsequences({ kind: 'presidium', from: { date: '2026-04-20', start: '09:00' }, to: { date: '2026-04-16', start: '09:00' }, now: { date: '2026-04-15', time: '10:00' } })).toEqual([]);
    expect(moveConsequences({ kind: 'beredning', from: { date: '2026-04-13', start: '09:00' }, to: { date: '2026-04-14', start: '09:00' }, now: { date: '2026-03-02', time: '10:00' }, prepares: { date: '2026-04-27' } })).toEqual([]);
    // A whole-day planning day moved to today has not passed.
    expect(moveConsequences({ kind: 'planning_day', from: { date: '2026-05-20' }, to: { date: '2026-04-15' }, now: { date: '2026-04-15', time: '15:00' } })).toEqual([]);
  });

  it('a meeting moved to today at this very minute has not passed', () => {
    expect(moveConsequences({ kind: 'presidium', from: { date: '2026-04-20', start: '09:00' }, to: { date: '2026-04-15', start: '10:00' }, now: { date: '2026-04-15', time: '10:00' } })).toEqual([]);
    // A minute later it has.
    expect(codes({ kind: 'presidium', from: { date: '2026-04-20', start: '09:00' }, to: { date: '2026-04-15', start: '10:00' }, now: { date: '2026-04-15', time: '10:01' } })).toEqual(['in-the-past']);
  });
});

describe('the kallelse', () => {
  it('inside the kallelse window: the kallelse goes out at once (deadline today: the term is kept)', () => {
    // Wednesday 22 April: kallelse by Wednesday 15 April, today.
    const c = moveConsequences(board({ to: { date: '2026-04-22', start: '09:00' } }));
    expect(c.map((x) => x.code)).toEqual(['kallelse-at-once']);
    expect(c[0].sv).toBe('Kallelsen ska gå ut senast i dag: kallelsen går ut direkt.');
    expect(c[0].en).toBe('the kallelse deadline for the new date (2026-04-15) is today: the kallelse goes out at once');
  });

  it('the deadline has passed: at once, and the 7-day term cannot be kept', () => {
    // Monday 20 April: kallelse by Monday 13 April, two days ago.
    const c = moveConsequences(board({ to: { date: '2026-04-20', start: '09:00' } }));
    expect(c.map((x) => x.code)).toEqual(['kallelse-at-once', 'kallelse-term-broken']);
    expect(c[0].sv).toBe('Kallelsen ska gå ut senast 13 april 2026, en dag som redan har varit: kallelsen går ut direkt.');
    expect(c[1].sv).toBe('Ledamöterna ska kallas 7 dagar före mötet, men det är bara 5 dagar kvar till den nya dagen: 7-dagarsfristen kan inte hållas.');
  });

  it("the förbund's own term (policy kallelseDays)", () => {
    // Thursday 23 April with a 10-day term: kallelse by Monday 13 April.
    expect(sv(board({ kallelseDays: 10, to: { date: '2026-04-23', start: '09:00' } }))[1]).toMatch(/10-dagarsfristen kan inte hållas\.$/);
    // With 3 days the same day is quiet.
    expect(codes(board({ kallelseDays: 3, to: { date: '2026-04-23', start: '09:00' } }))).toEqual([]);
  });

  it('the kallelse has gone out: not sent again; moved earlier, the term it kept is broken', () => {
    const sent = { kallelseSentOn: '2026-04-17', now: { date: '2026-04-20', time: '10:00' } };
    const later = moveConsequences(board({ ...sent, to: { date: '2026-04-30', start: '09:00' } }));
    expect(later.map((x) => x.code)).toEqual(['kallelse-already-sent']);
    expect(later[0].sv).toBe('Kallelsen med föredragningslistan skickades 17 april 2026 och skickas inte om: ledamöterna får en ändrad kalenderinbjudan med den nya tiden.');
    const earlier = moveConsequences(board({ ...sent, to: { date: '2026-04-23', start: '09:00' } }));
    expect(earlier.map((x) => x.code)).toEqual(['kallelse-already-sent', 'kallelse-term-broken']);
    expect(earlier[1].sv).toBe('Kallelsen skickades 6 dagar före den nya dagen, inte 7 dagar: 7-dagarsfristen kan inte hållas.');
  });

  it('says in English too what the kallelse does: already sent, at once, the term broken', () => {
    const sent = { kallelseSentOn: '2026-04-17', now: { date: '2026-04-20', time: '10:00' } };
    expect(moveConsequences(board({ ...sent, to: { date: '2026-04-23', start: '09:00' } })).map((x) => x.en)).toEqual([
      'the kallelse went out on 2026-04-17 and is not sent again; the members get an updated calendar invite',
      "the kallelse went out 6 days before the new date, not the 7 days of the förbund's kallelse term",
    ]);
    // Monday 20 April with the clock on Wednesday 15 April: the deadline, Monday 13 April, has been.
    expect(moveConsequences(board({ to: { date: '2026-04-20', start: '09:00' } })).map((x) => x.en)).toEqual([
      'the kallelse deadline for the new date (2026-04-13) is past: the kallelse goes out at once',
      "only 5 days are left before the new date: the förbund's kallelse term of 7 days cannot be kept",
    ]);
  });

  it('a kallelse sent on the very day of the new deadline kept the term', () => {
    // Friday 24 April: kallelse by Friday 17 April, the day it went out.
    const c = moveConsequences(board({ kallelseSentOn: '2026-04-17', now: { date: '2026-04-20', time: '10:00' }, to: { date: '2026-04-24', start: '09:00' } }));
    expect(c.map((x) => x.code)).toEqual(['kallelse-already-sent']);
  });

  it('one day is "1 dag", not "1 dagar"', () => {
    // Sent Wednesday 22 April, the meeting moved to Thursday 23 April.
    const c = moveConsequences(board({ kallelseSentOn: '2026-04-22', now: { date: '2026-04-22', time: '10:00' }, to: { date: '2026-04-23', start: '09:00' } }));
    expect(c[1].sv).toBe('Kallelsen skickades 1 dag före den nya dagen, inte 7 dagar: 7-dagarsfristen kan inte hållas.');
    expect(c[1].en).toBe("the kallelse went out 1 day before the new date, not the 7 days of the förbund's kallelse term");
    // Moved, before any kallelse, to the day after today with a one-day term kept and a two-day term not.
    const left = (kallelseDays: number) => moveConsequences(board({ kallelseDays, now: { date: '2026-04-22', time: '10:00' }, to: { date: '2026-04-23', start: '09:00' } })).map((x) => x.en);
    expect(left(2)).toContain("only 1 day is left before the new date: the förbund's kallelse term of 2 days cannot be kept");
    expect(left(1).some((t) => t.startsWith('only'))).toBe(false);
  });

  it('is a board meeting\'s: other kinds moved into the next days have none', () => {
    for (const kind of ['presidium', 'beredningsgrupp', 'beredning', 'planning_day'] as const) {
      expect(codes({ kind, from: { date: '2026-04-27', start: '09:00' }, to: { date: '2026-04-16', start: '09:00' }, now: { date: '2026-04-15', time: '10:00' }, kallelseDays: 7 }), kind).toEqual([]);
    }
  });
});

describe('the beredning', () => {
  it('a board meeting moved before its beredning: the beredning lies after the meeting', () => {
    // Thursday 9 April, with the clock early in March: after the beredningsgrupp (7 April), before the beredning (13 April).
    const c = moveConsequences(board({ now: { date: '2026-03-02', time: '10:00' }, to: { date: '2026-04-09', start: '09:00' } }));
    expect(c.map((x) => x.code)).toEqual(['preparation-after-meeting']);
    expect(c[0].sv).toBe('Beredningen är måndagen den 13 april 2026: beredningen ligger efter mötet, och ärendena hinner inte beredas före sammanträdet.');
    expect(c[0].en).toBe('the beredning on 2026-04-13 would be after the meeting it prepares');
    // Before both: one consequence each, earliest first; on the same day as the beredningsgrupp.
    const both = moveConsequences(board({ now: { date: '2026-03-02', time: '10:00' }, to: { date: '2026-04-07', start: '13:00' } }));
    expect(both.map((x) => x.sv)).toEqual([
      'Beredningsgruppens möte är tisdagen den 7 april 2026: beredningsgruppens möte ligger samma dag som mötet, och ärendena hinner inte beredas före sammanträdet.',
      'Beredningen är måndagen den 13 april 2026: beredningen ligger efter mötet, och ärendena hinner inte beredas före sammanträdet.',
    ]);
  });

  it('a beredning moved on or after the board meeting it prepares', () => {
    const beredning = (to: string) => moveConsequences({ kind: 'beredning', from: { date: '2026-04-13', start: '09:00' }, to: { date: to, start: '09:00' }, now: { date: '2026-03-02', time: '10:00' }, prepares: { date: '2026-04-27' } });
    expect(beredning('2026-04-28').map((x) => x.sv)).toEqual(['Styrelsens sammanträde, som beredningen förbereder, är måndagen den 27 april 2026: beredningen ligger efter mötet, och ärendena hinner inte beredas före sammanträdet.']);
    expect(beredning('2026-04-27')[0].sv).toContain('beredningen ligger samma dag som mötet');
    expect(beredning('2026-04-28')[0].code).toBe('preparation-after-meeting');
    expect(beredning('2026-04-28')[0].en).toBe('the beredning would be after the board meeting it prepares (2026-04-27)');
    expect(beredning('2026-04-27')[0].en).toBe('the beredning would be on the same day as the board meeting it prepares (2026-04-27)');
  });

  it('lists the meetings that prepare it earliest first, however the plan gives them; in English too', () => {
    const c = moveConsequences(board({
      now: { date: '2026-03-02', time: '10:00' },
      to: { date: '2026-04-07', start: '13:00' },
      preparedBy: [
        { kind: 'beredning', date: '2026-04-13' },
        { kind: 'beredningsgrupp', date: '2026-04-07' },
      ],
    }));
    expect(c.map((x) => x.sv)).toEqual([
      'Beredningsgruppens möte är tisdagen den 7 april 2026: beredningsgruppens möte ligger samma dag som mötet, och ärendena hinner inte beredas före sammanträdet.',
      'Beredningen är måndagen den 13 april 2026: beredningen ligger efter mötet, och ärendena hinner inte beredas före sammanträdet.',
    ]);
    expect(c.map((x) => x.en)).toEqual([
      'the beredningsgrupp on 2026-04-07 would be on the same day as the meeting it prepares',
      'the beredning on 2026-04-13 would be after the meeting it prepares',
    ]);
  });
});

describe('the calendar', () => {
  it('a weekend', () => {
    const c = moveConsequences(board({ to: { date: '2026-04-25', start: '09:00' } }));
    expect(c.map((x) => x.code)).toEqual(['weekend']);
    expect(c[0].sv).toBe('Den nya dagen, lördagen den 25 april 2026, är en lördag.');
    expect(codes(board({ to: { date: '2026-04-26', start: '09:00' } }))).toEqual(['weekend']);
  });

  it('a Sunday is named a Sunday; in English too', () => {
    const sunday = moveConsequences(board({ to: { date: '2026-04-26', start: '09:00' } }));
    expect(sunday[0].sv).toBe('Den nya dagen, söndagen den 26 april 2026, är en söndag.');
    expect(sunday[0].en).toBe('the new date 2026-04-26 is a Sunday');
    expect(moveConsequences(board({ to: { date: '2026-04-25', start: '09:00' } }))[0].en).toBe('the new date 2026-04-25 is a Saturday');
  });

  it('a Swedish holiday, and an eve that is no working day; a holiday on a Saturday is both', () => {
    const ascension = moveConsequences(board({ to: { date: '2026-05-14', start: '09:00' } }));
    expect(ascension.map((x) => x.code)).toEqual(['holiday']);
    expect(ascension[0].sv).toBe('Den nya dagen, torsdagen den 14 maj 2026, är Kristi himmelsfärdsdag, en helgdag.');
    expect(ascension[0].en).toBe('the new date 2026-05-14 is a Swedish public holiday (Kristi himmelsfärdsdag)');
    expect(sv(board({ to: { date: '2026-06-19', start: '09:00' } }))).toEqual(['Den nya dagen, fredagen den 19 juni 2026, är midsommarafton, som inte är en arbetsdag.']);
    expect(codes(board({ to: { date: '2026-06-06', start: '09:00' } }))).toEqual(['holiday', 'weekend']);
    // Easter Monday, for a planning day too.
    expect(codes({ kind: 'planning_day', from: { date: '2026-03-20' }, to: { date: '2026-04-06' }, now: { date: '2026-03-02', time: '10:00' } })).toEqual(['holiday']);
  });

  it('an eve is a non-working eve in English', () => {
    expect(moveConsequences(board({ to: { date: '2026-06-19', start: '09:00' } }))[0].en).toBe('the new date 2026-06-19 is a Swedish non-working eve (midsommarafton)');
  });

  it('a day that has been; or today at a time that has gone', () => {
    const past = moveConsequences(board({ to: { date: '2026-04-14', start: '09:00' } }));
    // The kallelse rules do not apply to a meeting in the past.
    expect(past.map((x) => x.code)).toEqual(['in-the-past']);
    expect(past[0].sv).toBe('Den nya dagen, tisdagen den 14 april 2026, har redan varit.');
    const gone = moveConsequences(board({ to: { date: '2026-04-15', start: '08:00' } }));
    expect(gone.map((x) => x.code)).toEqual(['in-the-past']);
    expect(gone[0].sv).toBe('Den nya tiden, i dag kl. 8.00, har redan passerat.');
    expect(past[0].en).toBe('the new date 2026-04-14 is in the past');
    expect(gone[0].en).toBe('the new time 08:00 today has passed');
    // The same day, moved to an earlier time that has gone: past, though the date is the same.
    expect(codes(board({ from: { date: '2026-04-15', start: '13:00' }, to: { date: '2026-04-15', start: '09:00' } }))).toEqual(['in-the-past']);
    // A past Saturday: both (and before the beredning of 13 April too).
    expect(codes(board({ to: { date: '2026-04-11', start: '09:00' } }))).toEqual(['in-the-past', 'weekend', 'preparation-after-meeting']);
  });
});
