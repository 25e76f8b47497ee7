// Moving a meeting: what the move would bring about, said before it is made. A move with
// consequences (the kallelse goes at once, the kallelse term cannot be kept, the meeting would come
// before its own beredning, a weekend or a Swedish holiday, a day that has been) is only made when
// the person confirms it (the API's `"confirm": true`, the page's "Flytta ändå"); a move without
// any is made at once. Pure: the caller gives the meeting, its plan and the clock.
import { holidaysOn, weekday, daysBetween, type IsoDate } from './dates.js';
import { kallelseDeadline, type MeetingKind } from './kalendarium.js';
import { meetingName, svDate, svDayDate, svTime } from './texts.js';

/** What a move brings about, as a machine reads it. */
export type MoveConsequenceCode =
  /** The new date (or time today) has already been. */
  | 'in-the-past'
  /** The new date is a Saturday or a Sunday. */
  | 'weekend'
  /** The new date is a Swedish public holiday or a de facto one (midsommar-, jul-, nyårsafton). */
  | 'holiday'
  /** A board meeting: its kallelse deadline for the new date is today or has passed, so the kallelse goes out at once. */
  | 'kallelse-at-once'
  /** A board meeting: the kallelse cannot reach the members the förbund's term (7 days) before the new date. */
  | 'kallelse-term-broken'
  /** A board meeting: the kallelse has gone out already; it is not sent again, only the calendar invite changes. */
  | 'kallelse-already-sent'
  /** A board meeting would come on or before a meeting that prepares it; or a preparatory meeting on or after the board meeting it prepares. */
  | 'preparation-after-meeting';

export interface MoveConsequence {
  code: MoveConsequenceCode;
  /** The Swedish sentence for the official's and the secretary's pages. */
  sv: string;
  /** The API's English sentence. */
  en: string;
}

export interface MoveFacts {
  kind: MeetingKind;
  /** Where the meeting is now: its date and start ('HH:MM'; absent for a whole-day planning day). */
  from: { date: IsoDate; start?: string };
  /** Where it would move. */
  to: { date: IsoDate; start?: string };
  /** The clock, in Stockholm. */
  now: { date: IsoDate; time: string };
  /** A board meeting: the days of the kallelse term (the förbund's policy, `kallelseDays`; 7 by default). */
  kallelseDays?: number;
  /** A board meeting: the day its kallelse was sent (fixed), once it has been. */
  kallelseSentOn?: IsoDate | null;
  /** A board meeting: the planned meetings that prepare it. */
  preparedBy?: { kind: MeetingKind; date: IsoDate }[];
  /** A preparatory meeting: the planned board meeting it prepares. */
  prepares?: { date: IsoDate };
}

/** 'Beredningen' / 'Beredningsgruppens möte', as the sentences name a preparatory meeting. */
const PREP_SV: Partial<Record<MeetingKind, { the: string; en: string }>> = {
  beredning: { the: 'beredningen', en: 'the beredning' },
  beredningsgrupp: { the: 'beredningsgruppens möte', en: 'the beredningsgrupp' },
};
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const days = (n: number) => `${n} ${n === 1 ? 'dag' : 'dagar'}`;
const daysEn = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

/** Past: the new day before today, or today at a time that has gone (a whole-day meeting today has not). */
function isPast(t: { date: IsoDate; start?: string }, now: MoveFacts['now']): boolean {
  return t.date < now.date || (t.date === now.date && t.start !== undefined && t.start < now.time);
}

/**
 * The consequences of moving a meeting from `from` to `to`, in the order a person weighs them; none
 * for a move that keeps the date (a new time or place on the same day), unless the new time today
 * has already gone. The kallelse and beredning rules are a board meeting's (and a preparatory
 * meeting's, towards the board meeting it prepares); the calendar rules hold for every kind.
 */
export function moveConsequences(f: MoveFacts): MoveConsequence[] {
  const out: MoveConsequence[] = [];
  const dateChanged = f.to.date !== f.from.date;
  const past = isPast(f.to, f.now) && (dateChanged || !isPast(f.from, f.now));
  if (past) {
    out.push(
      f.to.date < f.now.date
        ? { code: 'in-the-past', sv: `Den nya dagen, ${svDayDate(f.to.date)}, har redan varit.`, en: `the new date ${f.to.date} is in the past` }
        : { code: 'in-the-past', sv: `Den nya tiden, i dag kl. ${svTime(f.to.start!)}, har redan passerat.`, en: `the new time ${f.to.start} today has passed` },
    );
  }
  if (!dateChanged) return out;

  const holidays = holidaysOn(f.to.date);
  const wd = weekday(f.to.date);
  if (holidays.length) {
    const h = holidays[0];
    out.push({ code: 'holiday', sv: `Den nya dagen, ${svDayDate(f.to.date)}, är ${h.name}${h.kind === 'eve' ? ', som inte är en arbetsdag' : ', en helgdag'}.`, en: `the new date ${f.to.date} is a Swedish ${h.kind === 'eve' ? 'non-working eve' : 'public holiday'} (${h.name})` });
  }
  if (wd >= 6) {
    out.push({ code: 'weekend', sv: `Den nya dagen, ${svDayDate(f.to.date)}, är en ${wd === 6 ? 'lördag' : 'söndag'}.`, en: `the new date ${f.to.date} is a ${wd === 6 ? 'Saturday' : 'Sunday'}` });
  }

  if (f.kind === 'styrelse') {
    const term = f.kallelseDays ?? 7;
    const deadline = kallelseDeadline(f.to.date, term);
    const fristen = `${term}-dagarsfristen kan inte hållas`;
    if (f.kallelseSentOn) {
      out.push({
        code: 'kallelse-already-sent',
        sv: `Kallelsen med föredragningslistan skickades ${svDate(f.kallelseSentOn)} och skickas inte om: ledamöterna får en ändrad kalenderinbjudan med den nya tiden.`,
        en: `the kallelse went out on ${f.kallelseSentOn} and is not sent again; the members get an updated calendar invite`,
      });
      if (!past && f.kallelseSentOn > deadline) {
        const n = daysBetween(f.kallelseSentOn, f.to.date);
        out.push({
          code: 'kallelse-term-broken',
          sv: `Kallelsen skickades ${days(n)} före den nya dagen, inte ${days(term)}: ${fristen}.`,
          en: `the kallelse went out ${daysEn(n)} before the new date, not the ${daysEn(term)} of the förbund's kallelse term`,
        });
      }
    } else if (!past && deadline <= f.now.date) {
      out.push({
        code: 'kallelse-at-once',
        sv: `Kallelsen ska gå ut senast ${deadline === f.now.date ? 'i dag' : `${svDate(deadline)}, en dag som redan har varit`}: kallelsen går ut direkt.`,
        en: `the kallelse deadline for the new date (${deadline}) is ${deadline === f.now.date ? 'today' : 'past'}: the kallelse goes out at once`,
      });
      if (deadline < f.now.date) {
        const n = daysBetween(f.now.date, f.to.date);
        out.push({
          code: 'kallelse-term-broken',
          sv: `Ledamöterna ska kallas ${days(term)} före mötet, men det är bara ${days(n)} kvar till den nya dagen: ${fristen}.`,
          en: `only ${daysEn(n)} ${n === 1 ? 'is' : 'are'} left before the new date: the förbund's kallelse term of ${daysEn(term)} cannot be kept`,
        });
      }
    }
    for (const p of [...(f.preparedBy ?? [])].sort((a, b) => a.date.localeCompare(b.date))) {
      const prep = PREP_SV[p.kind];
      if (!prep || p.date < f.to.date) continue;
      out.push({
        code: 'preparation-after-meeting',
        sv: `${capital(prep.the)} är ${svDayDate(p.date)}: ${prep.the} ligger ${p.date === f.to.date ? 'samma dag som' : 'efter'} mötet, och ärendena hinner inte beredas före sammanträdet.`,
        en: `${prep.en} on ${p.date} would be ${p.date === f.to.date ? 'on the same day as' : 'after'} the meeting it prepares`,
      });
    }
  }

  const prep = PREP_SV[f.kind];
  if (prep && f.prepares && f.to.date >= f.prepares.date) {
    out.push({
      code: 'preparation-after-meeting',
      sv: `${capital(meetingName('styrelse'))}, som ${prep.the} förbereder, är ${svDayDate(f.prepares.date)}: ${prep.the} ligger ${f.to.date === f.prepares.date ? 'samma dag som' : 'efter'} mötet, och ärendena hinner inte beredas före sammanträdet.`,
      en: `${prep.en} would be ${f.to.date === f.prepares.date ? 'on the same day as' : 'after'} the board meeting it prepares (${f.prepares.date})`,
    });
  }
  return out;
}
