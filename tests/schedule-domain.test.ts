// What a long-running workflow does next (domain/schedule.ts): of a group's steps already due,
// only the latest runs, so a workflow that wakes up does not send a burst of reminders, also
// when several of them fall due at the very instant it wakes.
import { describe, expect, it } from 'vitest';
import { decide, stepsToRun, type Step } from '../domain/schedule.js';

const step = (key: string, group: string, at: string): Step => ({ key, group, at, kind: 'reminder', subjectId: group, summary: key });
const NOW = '2037-04-15T06:00:00.000Z';

describe('steps of one report due at the same instant', () => {
  // The reminder on the due date and the escalation both planned for 06:00; the workflow wakes then.
  const steps = [step('a-0', 'a', NOW), step('a-esc', 'a', NOW), step('b-0', 'b', '2037-04-16T06:00:00.000Z')];

  it('runs only one of them, the last in key order, when it is due right now', () => {
    expect(stepsToRun(steps, new Set(), new Date(NOW)).map((s) => s.key)).toEqual(['a-esc', 'b-0']);
    expect(decide(steps, new Set(), new Date(NOW), { action: 'end', reason: 'nothing' })).toEqual({ action: 'perform', step: steps[1] });
  });

  it('runs both one moment earlier, each at its time', () => {
    expect(stepsToRun(steps, new Set(), new Date(Date.parse(NOW) - 1)).map((s) => s.key)).toEqual(['a-0', 'a-esc', 'b-0']);
  });
});
