// What a long-running workflow should do next, decided from the steps planned for it and the
// steps already carried out. Shared by the reporting and the årscykel workflows, which only
// sequence these decisions (and stay deterministic: the decision is made in an activity).

export interface Step {
  /** Idempotency key: a step is carried out at most once. */
  key: string;
  /** Steps of one group supersede each other: of those past due, only the latest is run. */
  group: string;
  /** ISO instant. */
  at: string;
  kind: string;
  subjectId: string;
  /** One line naming the step for people reading the workflow's history ("reminder-14: Halvårsrapport för Påminnelsen, due 2037-07-31"). */
  summary: string;
}

export type Decision =
  | { action: 'perform'; step: Step }
  | { action: 'sleep'; until: string; step?: Step }
  | { action: 'waitForChange'; why: string }
  | { action: 'rollover'; year: number }
  | { action: 'end'; reason: string };

/**
 * Steps still to run, earliest first. When a workflow wakes late (a worker was down, a plan was
 * imported mid-year) it does not fire a burst of stale reminders: of a group's steps already past
 * due, only the most recent one still runs.
 */
/** What a decide activity answers: the decision and whom it is about (for logs and search attributes). */
export interface Decided {
  decision: Decision;
  forbundId: string;
  /** The förbund's slug. */
  forbund: string;
  /** Whether the Temporal namespace has Årscykel's search attributes (workflows upsert them only then). */
  searchAttributes: boolean;
}

export function stepsToRun(steps: Step[], done: ReadonlySet<string>, now: Date): Step[] {
  const sorted = [...steps].sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key));
  // Over done steps too: once the latest past step has run, the older ones it superseded stay skipped.
  const latestPast = new Map<string, Step>();
  for (const s of sorted) if (new Date(s.at) <= now) latestPast.set(s.group, s);
  return sorted.filter((s) => !done.has(s.key) && (new Date(s.at) > now || latestPast.get(s.group) === s));
}

export function decide(steps: Step[], done: ReadonlySet<string>, now: Date, otherwise: Decision): Decision {
  const [next] = stepsToRun(steps, done, now);
  if (!next) return otherwise;
  return new Date(next.at) <= now ? { action: 'perform', step: next } : { action: 'sleep', until: next.at, step: next };
}
