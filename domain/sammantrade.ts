// What a person may still do to a board meeting, given where its process stands. One rule for
// every layer: the meeting's workflow (its validators and handlers, whichever run an update
// reaches), the activity's database transaction, and the pages that offer the actions.
// Kommunallagen 5 kap. 69 §: once justerat the protokoll is final; a correction is a new decision.

/** A person's action on a board meeting (each an update of the meeting's workflow). */
export type MeetingAction = 'editAgenda' | 'sendKallelseNow' | 'decline' | 'recordDecision' | 'sendMinutes' | 'justera';

/** Where the meeting's process stands, as stored (ISO instants, or null when not yet). */
export interface MeetingState {
  cancelled: boolean;
  startsAt: string;
  kallelseSentAt: string | null;
  heldAt: string | null;
  minutesSentAt: string | null;
  justeradAt: string | null;
  decisionsSentAt: string | null;
}

/**
 * Why `action` is refused at `now`, or null when it may be done. The reasons are English for
 * the API's 409; the pages put them in Swedish (api/admin/styrelse.ts refusalSv).
 */
export function meetingRefusal(action: MeetingAction, s: MeetingState, now: number): string | null {
  if (s.cancelled) return 'the meeting is cancelled';
  if (s.decisionsSentAt) return 'the meeting\'s process has ended: the minutes are justerade and the decisions sent to the members';
  const begun = !!s.heldAt || now >= Date.parse(s.startsAt);
  switch (action) {
    case 'editAgenda':
      return s.kallelseSentAt ? 'the kallelse has gone out: the agenda can no longer be changed' : null;
    case 'sendKallelseNow':
      if (s.kallelseSentAt) return `the kallelse already went out at ${s.kallelseSentAt}`;
      return begun ? 'the meeting has been held' : null;
    case 'decline':
      return begun ? 'the meeting has begun: förhinder can no longer be reported' : null;
    case 'recordDecision':
      if (s.justeradAt) return 'the minutes are justerade: decisions can no longer be changed';
      if (s.minutesSentAt) return 'the minutes have been sent to the justerare: decisions can no longer be changed';
      return begun ? null : `the meeting has not begun (it starts ${s.startsAt}): no decision can be recorded yet`;
    case 'sendMinutes':
      if (s.justeradAt) return 'the minutes are already justerade';
      if (s.minutesSentAt) return 'the minutes have already been sent to the justerare';
      return s.heldAt ? null : 'the meeting has not been held yet';
    case 'justera':
      if (s.justeradAt) return 'the minutes are already justerade';
      return s.minutesSentAt ? null : 'the minutes have not been sent to the justerare';
  }
}

/** The stored row's state (dates as the database gives them). */
export function meetingStateOf(m: { status: string; startsAt: Date; kallelseSentAt: Date | null; heldAt: Date | null; minutesSentAt: Date | null; justeradAt: Date | null; decisionsSentAt: Date | null }): MeetingState {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    cancelled: m.status === 'cancelled',
    startsAt: m.startsAt.toISOString(),
    kallelseSentAt: iso(m.kallelseSentAt),
    heldAt: iso(m.heldAt),
    minutesSentAt: iso(m.minutesSentAt),
    justeradAt: iso(m.justeradAt),
    decisionsSentAt: iso(m.decisionsSentAt),
  };
}
