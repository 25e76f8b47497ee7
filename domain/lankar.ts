// When a secret link stops acting (services/links.ts makes and checks the tokens; a renewed link's
// earlier generations stop at once, whatever these rules say):
// - a coordinator's submission link keeps opening its report while the report can be submitted or
//   corrected, and after that still shows what was handed in (or that the project is withdrawn);
//   once the report is closed for good (its project or the report withdrawn, or its last version
//   final: locked by the official or the last version allowed) and SUBMISSION_LINK_DAYS days have
//   passed since its due date, the link has expired ("Länken har gått ut"). A report that became
//   final later than its due date (submitted or locked late) counts the days from that day, so the
//   coordinator who has just handed in its last version still sees the receipt for a while;
// - a board invite's "can't come" link acts until the meeting begins (or is held or cancelled);
// - the justering link acts until the protokoll is justerat; after that it only shows when and by
//   whom it was justerat;
// - calendar feeds never expire (a subscription must keep working): they are renewed instead.
import { daysBetween, type IsoDate } from './dates.js';

/** Days after a closed report's due date that its submission link still shows the report. */
export const SUBMISSION_LINK_DAYS = 90;

export interface SubmissionLinkFacts {
  /** The report or its project is withdrawn. */
  withdrawn: boolean;
  /** Locked by the official. */
  locked: boolean;
  /** Versions submitted, and the most allowed. */
  versions: number;
  maxVersions: number;
  dueDate: IsoDate;
  /** The day the report became final, when that was after its due date (the last version, or the lock); the due date counts otherwise. */
  finalOn?: IsoDate;
}

/** Whether the report's last version is final: locked, or the last version allowed is in. */
export const reportFinal = (f: Pick<SubmissionLinkFacts, 'locked' | 'versions' | 'maxVersions'>): boolean => f.versions > 0 && (f.locked || f.versions >= f.maxVersions);

/** Whether the report can no longer be submitted or corrected through its link. */
export const submissionClosed = (f: SubmissionLinkFacts): boolean => f.withdrawn || f.locked || reportFinal(f);

/** Whether a submission link has expired on `today` (Stockholm): closed for good, and SUBMISSION_LINK_DAYS past its due date (or the later day it became final). */
export function submissionLinkExpired(f: SubmissionLinkFacts, today: IsoDate): boolean {
  const from = !f.withdrawn && f.finalOn && f.finalOn > f.dueDate ? f.finalOn : f.dueDate;
  return submissionClosed(f) && daysBetween(from, today) >= SUBMISSION_LINK_DAYS;
}

/** Why a "can't come" link no longer acts at `now`: the meeting is cancelled, or has begun (or been held); undefined while it acts. */
export function declineLinkClosed(m: { status: string; startsAt: Date; heldAt: Date | null }, now: Date): 'cancelled' | 'begun' | undefined {
  if (m.status === 'cancelled') return 'cancelled';
  if (m.heldAt || m.startsAt <= now) return 'begun';
  return undefined;
}

/** Whether a justering link still takes a signature: until the protokoll is justerat. */
export const signLinkActs = (m: { justeradAt: Date | null }): boolean => !m.justeradAt;

/** Feeds never expire; they can be renewed. */
export const feedLinkExpired = (): false => false;
