/**
 * Small fixture workflows used by tests/harness.test.ts to prove the offline step harness.
 * Not production code.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineSignal,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';

export interface FixtureActivities {
  remind(kind: 'early' | 'due', dueAt: string): Promise<string>;
  explode(message: string): Promise<string>;
}

const { remind, explode } = proxyActivities<FixtureActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 1 },
});

export const submitSignal = defineSignal('submit');

const DAY = 24 * 60 * 60 * 1000;

export interface ReminderInput {
  dueAt: string; // ISO instant of the first deadline
  round?: number; // how many times the workflow has continued-as-new
}

export type ReminderResult = { outcome: 'submitted'; iteration: number; reminders: string[] };

/**
 * For up to 3 deadlines (one week apart): sleep until 2 days before the deadline, send an
 * 'early' reminder, wait for the `submit` signal until the deadline, send a 'due' reminder if it
 * did not come. After 3 deadlines, continue as new with the next deadline.
 */
export async function reminderFixture(input: ReminderInput): Promise<ReminderResult> {
  let submitted = false;
  setHandler(submitSignal, () => {
    submitted = true;
  });
  const reminders: string[] = [];
  let dueAt = Date.parse(input.dueAt);
  for (let iteration = 1; iteration <= 3; iteration++) {
    const earlyAt = dueAt - 2 * DAY;
    if (Date.now() < earlyAt) await sleep(earlyAt - Date.now());
    if (!submitted) reminders.push(await remind('early', new Date(dueAt).toISOString()));
    if (await condition(() => submitted, Math.max(1, dueAt - Date.now()))) {
      return { outcome: 'submitted', iteration, reminders };
    }
    reminders.push(await remind('due', new Date(dueAt).toISOString()));
    dueAt += 7 * DAY;
  }
  return await continueAsNew<typeof reminderFixture>({
    dueAt: new Date(dueAt).toISOString(),
    round: (input.round ?? 0) + 1,
  });
}

/** A "new version" of reminderFixture that reminds first and sleeps afterwards: incompatible. */
export async function reminderFixtureReordered(input: ReminderInput): Promise<ReminderResult> {
  const dueAt = Date.parse(input.dueAt);
  await remind('early', new Date(dueAt).toISOString());
  await sleep(Math.max(1, dueAt - 2 * DAY - Date.now()));
  return { outcome: 'submitted', iteration: 1, reminders: [] };
}

/** A "new version" that keeps the command order but calls a differently named activity. */
export async function reminderFixtureRenamedActivity(input: ReminderInput): Promise<ReminderResult> {
  const dueAt = Date.parse(input.dueAt);
  const earlyAt = dueAt - 2 * DAY;
  if (Date.now() < earlyAt) await sleep(earlyAt - Date.now());
  await explode('early');
  return { outcome: 'submitted', iteration: 1, reminders: [] };
}

/** Calls a failing activity; catches the ActivityFailure when `catchIt`, else fails the workflow. */
export async function failingActivityFixture(catchIt: boolean): Promise<{ caught: string; causeType?: string; info: string }> {
  try {
    await explode('boom');
    return { caught: 'nothing', info: '' };
  } catch (err) {
    if (!catchIt) throw err;
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
      return { caught: err.cause.message, causeType: err.cause.type ?? undefined, info: err.activityType };
    }
    return { caught: String(err), info: 'unexpected' };
  }
}

/** Reports history length / continue-as-new suggestion after one sleep. */
export async function infoFixture(): Promise<{ historyLength: number; suggested: boolean; now: string }> {
  await sleep('1 hour');
  const info = workflowInfo();
  return { historyLength: info.historyLength, suggested: info.continueAsNewSuggested, now: new Date().toISOString() };
}

/** v1 of a versioned workflow: just waits a day. */
export async function versionedFixtureV1(): Promise<string> {
  await sleep('1 day');
  return 'v1';
}

/** v2: new executions remind first; executions started by v1 keep the old path (patch 'remind-first'). */
export async function versionedFixtureV2(): Promise<string> {
  // call patched() once: once not replaying, every later call returns true
  const v2 = patched('remind-first');
  if (v2) await remind('early', 'patched');
  await sleep('1 day');
  return v2 ? 'v2' : 'v1-path';
}

/** A workflow bug: a plain Error fails the workflow *task*, not the execution. */
export async function buggyFixture(): Promise<void> {
  await sleep('1 hour');
  throw new TypeError('workflow bug');
}
