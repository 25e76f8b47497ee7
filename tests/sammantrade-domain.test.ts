// What a person may still do to a board meeting at each stage of its process (domain/sammantrade.ts):
// the one rule the workflow, the activities' transactions and the pages all apply.
import { describe, expect, it } from 'vitest';
import { meetingRefusal, meetingStateOf, type MeetingAction, type MeetingState } from '../domain/sammantrade.js';

const STARTS = '2037-02-26T08:00:00.000Z';
const before = Date.parse('2037-02-20T10:00:00Z');
const during = Date.parse('2037-02-26T09:00:00Z');
const after = Date.parse('2037-02-27T10:00:00Z');
const planned: MeetingState = { cancelled: false, startsAt: STARTS, kallelseSentAt: null, heldAt: null, minutesSentAt: null, justeradAt: null, decisionsSentAt: null };
const kallelse = { ...planned, kallelseSentAt: '2037-02-19T07:00:00.000Z' };
const held = { ...kallelse, heldAt: '2037-02-26T11:00:00.000Z' };
const atJustering = { ...held, minutesSentAt: '2037-02-27T09:00:00.000Z' };
const justerat = { ...atJustering, justeradAt: '2037-03-02T09:00:00.000Z' };
const ended = { ...justerat, decisionsSentAt: '2037-03-02T09:05:00.000Z' };

const ACTIONS: MeetingAction[] = ['editAgenda', 'sendKallelseNow', 'decline', 'recordDecision', 'sendMinutes', 'justera'];
/** The actions allowed in a state at a time. */
const allowed = (s: MeetingState, now: number) => ACTIONS.filter((a) => meetingRefusal(a, s, now) === null);

describe('what may be done to a board meeting', () => {
  it('before the kallelse: the agenda, the kallelse now and förhinder; nothing of the minutes', () => {
    expect(allowed(planned, before)).toEqual(['editAgenda', 'sendKallelseNow', 'decline']);
  });

  it('once the kallelse is fixed the agenda is not changed, and it does not go twice', () => {
    expect(allowed(kallelse, before)).toEqual(['decline']);
    expect(meetingRefusal('editAgenda', kallelse, before)).toMatch(/kallelse has gone out/);
    expect(meetingRefusal('sendKallelseNow', kallelse, before)).toMatch(/already went out/);
  });

  it('from the meeting\'s start: decisions, no more förhinder; the minutes only once it is held', () => {
    expect(allowed(kallelse, during)).toEqual(['recordDecision']);
    expect(meetingRefusal('decline', kallelse, during)).toMatch(/has begun/);
    expect(meetingRefusal('sendMinutes', kallelse, during)).toMatch(/not been held/);
    expect(allowed(held, after)).toEqual(['recordDecision', 'sendMinutes']);
  });

  it('the meeting begins at its starting minute: förhinder are no longer taken, decisions are', () => {
    const start = Date.parse(STARTS);
    expect(meetingRefusal('decline', kallelse, start - 1)).toBeNull();
    expect(meetingRefusal('decline', kallelse, start)).toBe('the meeting has begun: förhinder can no longer be reported');
    expect(meetingRefusal('recordDecision', kallelse, start)).toBeNull();
  });

  it('a kallelse that never went out is not sent once the meeting has begun', () => {
    expect(meetingRefusal('sendKallelseNow', planned, during)).toBe('the meeting has been held');
  });

  it('a decision before the meeting has begun is refused', () => {
    expect(meetingRefusal('recordDecision', kallelse, before)).toMatch(/has not begun/);
  });

  it('with the minutes at justering the decisions are fixed and the minutes are not sent again; only the justering remains', () => {
    expect(allowed(atJustering, after)).toEqual(['justera']);
    expect(meetingRefusal('recordDecision', atJustering, after)).toMatch(/sent to the justerare: decisions can no longer be changed/);
    expect(meetingRefusal('sendMinutes', atJustering, after)).toMatch(/already been sent/);
  });

  it('the justering waits for the minutes to be sent to the justerare', () => {
    expect(meetingRefusal('justera', held, after)).toBe('the minutes have not been sent to the justerare');
  });

  it('justerat: nothing changes any more; after the decisions went out the process has ended', () => {
    expect(allowed(justerat, after)).toEqual([]);
    expect(meetingRefusal('recordDecision', justerat, after)).toMatch(/justerade/);
    expect(meetingRefusal('justera', justerat, after)).toBe('the minutes are already justerade');
    expect(meetingRefusal('sendMinutes', justerat, after)).toBe('the minutes are already justerade');
    for (const a of ACTIONS) expect(meetingRefusal(a, ended, after)).toMatch(/process has ended/);
  });

  it('a cancelled meeting refuses everything, whatever its stage', () => {
    for (const s of [planned, kallelse, held]) for (const a of ACTIONS) expect(meetingRefusal(a, { ...s, cancelled: true }, before)).toBe('the meeting is cancelled');
  });
});

describe('the meeting as stored', () => {
  const row = { status: 'planned', startsAt: new Date(STARTS), kallelseSentAt: new Date(kallelse.kallelseSentAt), heldAt: null, minutesSentAt: null, justeradAt: null, decisionsSentAt: null };

  it('gives its state with the instants as ISO strings', () => {
    expect(meetingStateOf(row)).toEqual(kallelse);
  });

  it('is cancelled only when its status says so', () => {
    expect(meetingStateOf({ ...row, status: 'cancelled' }).cancelled).toBe(true);
    expect(meetingRefusal('decline', meetingStateOf({ ...row, status: 'cancelled' }), before)).toBe('the meeting is cancelled');
  });
});
