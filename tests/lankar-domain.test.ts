// When a secret link stops acting (domain/lankar.ts): a coordinator's submission link while the
// report can be handed in or corrected, and SUBMISSION_LINK_DAYS after its due date (or the later
// day it became final) once it is closed for good; a board invite's "can't come" link until the
// meeting begins, is held or cancelled; the justering link until the protokoll is justerat; a
// calendar feed never.
import { describe, expect, it } from 'vitest';
import { declineLinkClosed, feedLinkExpired, reportFinal, signLinkActs, submissionClosed, submissionLinkExpired, SUBMISSION_LINK_DAYS, type SubmissionLinkFacts } from '../domain/lankar.js';

const DUE = '2026-04-15';
/** The day `days` after the due date (negative: before it). */
const day = (days: number) => new Date(Date.parse(`${DUE}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const open: SubmissionLinkFacts = { withdrawn: false, locked: false, versions: 0, maxVersions: 3, dueDate: DUE };

describe("a report's last version is final", () => {
  it('once the last version allowed is in, not while one more may come', () => {
    expect(reportFinal({ locked: false, versions: 2, maxVersions: 3 })).toBe(false);
    expect(reportFinal({ locked: false, versions: 3, maxVersions: 3 })).toBe(true);
    expect(reportFinal({ locked: false, versions: 4, maxVersions: 3 })).toBe(true);
  });

  it('once the official locks a handed-in report, even with versions left', () => {
    expect(reportFinal({ locked: true, versions: 1, maxVersions: 3 })).toBe(true);
  });

  it('never while nothing is handed in, even if locked', () => {
    expect(reportFinal({ locked: true, versions: 0, maxVersions: 3 })).toBe(false);
    expect(reportFinal({ locked: false, versions: 0, maxVersions: 0 })).toBe(false);
  });
});

describe('a submission link can no longer hand in or correct the report', () => {
  it('while the report is open, with versions left, it still can', () => {
    expect(submissionClosed(open)).toBe(false);
    expect(submissionClosed({ ...open, versions: 2 })).toBe(false);
  });

  it('once the report or its project is withdrawn, nothing handed in', () => {
    expect(submissionClosed({ ...open, withdrawn: true })).toBe(true);
  });

  it('once the official locks it, even before anything is handed in', () => {
    expect(submissionClosed({ ...open, locked: true })).toBe(true);
  });

  it('once the last version allowed is in', () => {
    expect(submissionClosed({ ...open, versions: 3 })).toBe(true);
  });
});

describe(`a submission link expires ${SUBMISSION_LINK_DAYS} days after the due date, once the report is closed`, () => {
  it(`is ${SUBMISSION_LINK_DAYS} days`, () => {
    expect(SUBMISSION_LINK_DAYS).toBe(90);
  });

  it('never while the report can be handed in or corrected, however late', () => {
    expect(submissionLinkExpired(open, day(1000))).toBe(false);
    expect(submissionLinkExpired({ ...open, versions: 2 }, day(1000))).toBe(false);
  });

  it('a closed report: on the 90th day after its due date, not on the 89th nor on the due date', () => {
    for (const closed of [{ ...open, withdrawn: true }, { ...open, locked: true, versions: 1 }, { ...open, versions: 3 }]) {
      expect(submissionLinkExpired(closed, day(0))).toBe(false);
      expect(submissionLinkExpired(closed, day(89))).toBe(false);
      expect(submissionLinkExpired(closed, day(90))).toBe(true);
      expect(submissionLinkExpired(closed, day(91))).toBe(true);
    }
  });

  it('a report made final after its due date counts from that day, so the coordinator still sees the receipt', () => {
    const late = { ...open, versions: 3, finalOn: day(30) };
    expect(submissionLinkExpired(late, day(90))).toBe(false);
    expect(submissionLinkExpired(late, day(30 + 89))).toBe(false);
    expect(submissionLinkExpired(late, day(30 + 90))).toBe(true);
  });

  it('a report made final before its due date counts from the due date', () => {
    const early = { ...open, locked: true, versions: 1, finalOn: day(-10) };
    expect(submissionLinkExpired(early, day(89))).toBe(false);
    expect(submissionLinkExpired(early, day(90))).toBe(true);
  });

  it('a withdrawn report counts from its due date, whenever its last version came', () => {
    const withdrawn = { ...open, withdrawn: true, versions: 3, finalOn: day(30) };
    expect(submissionLinkExpired(withdrawn, day(89))).toBe(false);
    expect(submissionLinkExpired(withdrawn, day(90))).toBe(true);
  });
});

describe('the other links', () => {
  const startsAt = new Date('2026-04-27T07:00:00Z');
  const before = new Date('2026-04-27T06:59:59.999Z');
  const planned = { status: 'planned', startsAt, heldAt: null };

  it('a "can\'t come" link acts until the meeting begins, not at its start', () => {
    expect(declineLinkClosed(planned, new Date('2026-04-20T00:00:00Z'))).toBeUndefined();
    expect(declineLinkClosed(planned, before)).toBeUndefined();
    expect(declineLinkClosed(planned, startsAt)).toBe('begun');
    expect(declineLinkClosed(planned, new Date('2026-04-28T00:00:00Z'))).toBe('begun');
  });

  it('a "can\'t come" link stops once the meeting is held, even held before the time planned', () => {
    expect(declineLinkClosed({ ...planned, heldAt: new Date('2026-04-20T07:00:00Z') }, new Date('2026-04-21T00:00:00Z'))).toBe('begun');
  });

  it('a "can\'t come" link of a cancelled meeting says it is cancelled, before or after the time planned', () => {
    expect(declineLinkClosed({ ...planned, status: 'cancelled' }, before)).toBe('cancelled');
    expect(declineLinkClosed({ ...planned, status: 'cancelled' }, new Date('2026-04-28T00:00:00Z'))).toBe('cancelled');
  });

  it('the justering link takes a signature until the protokoll is justerat', () => {
    expect(signLinkActs({ justeradAt: null })).toBe(true);
    expect(signLinkActs({ justeradAt: new Date('2026-05-04T10:00:00Z') })).toBe(false);
  });

  it('a calendar feed never expires', () => {
    expect(feedLinkExpired()).toBe(false);
  });
});
