import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { DeterminismViolationError } from '@temporalio/workflow';
import { replayHistory, WorkflowHarness, type WorkflowBundle } from './harness/workflow-harness';

const workflowsPath = fileURLToPath(new URL('./harness/fixture-workflows.ts', import.meta.url));
const DAY = 24 * 60 * 60 * 1000;
const start = new Date('2026-03-02T08:00:00.000Z');
const dueAt = new Date('2026-03-10T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await WorkflowHarness.bundle(workflowsPath);
});

function reminderActivities() {
  return {
    remind: async (kind: string, due: string) => `${kind}@${due}`,
    explode: async (message: string): Promise<string> => {
      throw ApplicationFailure.create({ type: 'Boom', message, nonRetryable: true });
    },
  };
}

function startReminder(input: { dueAt: string; round?: number }, startTime = start) {
  return WorkflowHarness.start({
    bundle,
    workflowsPath,
    workflowType: 'reminderFixture',
    args: [input],
    activities: reminderActivities(),
    startTime,
  });
}

describe('WorkflowHarness', () => {
  it('runs timers, activities and a condition timeout with the right clock', async () => {
    const h = await startReminder({ dueAt: dueAt.toISOString() });
    expect(h.status).toBe('running');
    expect(h.commands).toEqual([`startTimer ${dueAt.getTime() - 2 * DAY - start.getTime()}`]);
    expect(h.pendingTimers()).toEqual([
      { seq: 1, fireAt: new Date(dueAt.getTime() - 2 * DAY), durationMs: dueAt.getTime() - 2 * DAY - start.getTime() },
    ]);

    const t1 = await h.fireNextTimer();
    expect(t1).toEqual(new Date(dueAt.getTime() - 2 * DAY));
    expect(h.activityCalls).toEqual([
      { name: 'remind', args: ['early', dueAt.toISOString()], at: t1, activityId: '1', result: `early@${dueAt.toISOString()}` },
    ]);
    // activity then condition timer (2 days), all at the same instant
    expect(h.commands.slice(1)).toEqual(['scheduleActivity remind', `startTimer ${2 * DAY}`]);
    expect(h.now()).toEqual(t1);
    expect(h.pendingTimers().map((t) => t.fireAt)).toEqual([dueAt]);

    // nothing due yet: advanceTo only moves the clock
    await h.advanceTo(new Date(dueAt.getTime() - 1000));
    expect(h.activityCalls).toHaveLength(1);
    expect(h.now()).toEqual(new Date(dueAt.getTime() - 1000));

    await h.advanceTo(new Date(dueAt.getTime() + 60_000));
    expect(h.activityCalls.map((c) => [c.args[0], c.at.toISOString()])).toEqual([
      ['early', iso(dueAt.getTime() - 2 * DAY)],
      ['due', dueAt.toISOString()],
    ]);
    // next iteration: sleep until 2 days before next week's deadline
    const next = dueAt.getTime() + 7 * DAY;
    expect(h.pendingTimers()).toEqual([{ seq: 3, fireAt: new Date(next - 2 * DAY), durationMs: 5 * DAY }]);
    expect(h.now()).toEqual(new Date(dueAt.getTime() + 60_000));
    expect(h.commands).toEqual([
      `startTimer ${dueAt.getTime() - 2 * DAY - start.getTime()}`,
      'scheduleActivity remind',
      `startTimer ${2 * DAY}`,
      'scheduleActivity remind',
      `startTimer ${5 * DAY}`,
    ]);
    expect(h.stats.replays).toBe(5);

    // The recorded history replays cleanly against the same code.
    await replayHistory(bundle, h.history());
  });

  it('a signal before the deadline cancels the condition timer and completes the workflow', async () => {
    const h = await startReminder({ dueAt: dueAt.toISOString() });
    await h.fireNextTimer();
    await h.advanceTo(new Date(dueAt.getTime() - DAY));
    await h.signal('submit');
    expect(h.commands.slice(-2)).toEqual(['cancelTimer 2', 'completeWorkflow']);
    expect(h.pendingTimers()).toEqual([]);
    expect(h.status).toBe('completed');
    expect(h.result).toEqual({ outcome: 'submitted', iteration: 1, reminders: [`early@${dueAt.toISOString()}`] });
    expect(h.activityCalls.map((c) => c.args[0])).toEqual(['early']);
    const events = h.history().events!;
    expect(events.at(-1)!.workflowExecutionCompletedEventAttributes).toBeTruthy();
    expect(events.some((e) => e.timerCanceledEventAttributes?.timerId === '2')).toBe(true);
    await replayHistory(bundle, h.history());
    await expect(h.signal('submit')).rejects.toThrow(/completed/);
  });

  it('captures continue-as-new with its arguments after 3 deadlines', async () => {
    const h = await startReminder({ dueAt: dueAt.toISOString(), round: 4 });
    const t0 = performance.now();
    await h.advanceTo(new Date(dueAt.getTime() + 15 * DAY)); // 6 timers, 6 activities: 12 workflow tasks
    const wallMs = performance.now() - t0;
    expect(h.status).toBe('continuedAsNew');
    expect(h.continueAsNewArgs).toEqual([{ dueAt: iso(dueAt.getTime() + 21 * DAY), round: 5 }]);
    expect(h.continueAsNewWorkflowType).toBe('reminderFixture');
    expect(h.commands.at(-1)).toBe('continueAsNew');
    expect(h.activityCalls.map((c) => `${c.args[0]} ${c.at.toISOString()}`)).toEqual([
      `early ${iso(dueAt.getTime() - 2 * DAY)}`,
      `due ${iso(dueAt.getTime())}`,
      `early ${iso(dueAt.getTime() + 5 * DAY)}`,
      `due ${iso(dueAt.getTime() + 7 * DAY)}`,
      `early ${iso(dueAt.getTime() + 12 * DAY)}`,
      `due ${iso(dueAt.getTime() + 14 * DAY)}`,
    ]);
    // a closed workflow's clock stays at its close time
    expect(h.now()).toEqual(new Date(dueAt.getTime() + 14 * DAY));
    await replayHistory(bundle, h.history());

    // the next run starts where the previous one stopped
    const h2 = await startReminder(h.continueAsNewArgs![0] as { dueAt: string; round: number }, h.now());
    expect(h2.pendingTimers()[0].fireAt).toEqual(new Date(dueAt.getTime() + 19 * DAY));
    console.log(
      `replays: ${h.stats.replays}, avg replay ${(h.stats.replayMs / h.stats.replays).toFixed(1)} ms, ` +
        `advanceTo over 6 timer steps: ${wallMs.toFixed(0)} ms`
    );
  });

  it('detects nondeterminism: replaying with changed code throws', async () => {
    const h = await startReminder({ dueAt: dueAt.toISOString() });
    await h.fireNextTimer();
    const history = h.history();
    await replayHistory(bundle, history); // same code: fine
    // changed command order (activity before timer)
    await expect(replayHistory(bundle, history, { workflowType: 'reminderFixtureReordered' })).rejects.toThrow(
      DeterminismViolationError
    );
    // same command order, other activity type (caught thanks to core flag 1 in the history)
    await expect(replayHistory(bundle, history, { workflowType: 'reminderFixtureRenamedActivity' })).rejects.toThrow(
      /does not match activity type/
    );

    // the harness itself re-checks determinism at every step
    h.upgrade({ workflowType: 'reminderFixtureReordered' });
    await expect(h.advanceTo(dueAt)).rejects.toThrow(DeterminismViolationError);
    await expect(h.signal('submit')).rejects.toThrow(/unusable/);
  });

  it('an activity error reaches the workflow as ActivityFailure (caught or failing the workflow)', async () => {
    const caught = await WorkflowHarness.start({
      bundle,
      workflowsPath,
      workflowType: 'failingActivityFixture',
      args: [true],
      activities: reminderActivities(),
      startTime: start,
    });
    expect(caught.status).toBe('completed');
    expect(caught.result).toEqual({ caught: 'boom', causeType: 'Boom', info: 'explode' });
    expect(caught.activityCalls).toEqual([{ name: 'explode', args: ['boom'], at: start, activityId: '1', error: 'boom' }]);

    const failed = await WorkflowHarness.start({
      bundle,
      workflowsPath,
      workflowType: 'failingActivityFixture',
      args: [false],
      activities: { explode: async () => Promise.reject(new Error('plain error')) },
      startTime: start,
    });
    expect(failed.status).toBe('failed');
    expect(failed.failure).toBe('Activity task failed: plain error');
    expect(failed.commands).toEqual(['scheduleActivity explode', 'failWorkflow']);
    await replayHistory(bundle, failed.history());
  });

  it('exposes historyLength and continueAsNewSuggested', async () => {
    const h = await WorkflowHarness.start({
      bundle,
      workflowsPath,
      workflowType: 'infoFixture',
      args: [],
      activities: {},
      startTime: start,
      suggestContinueAsNewAfterEvents: 8,
    });
    await h.fireNextTimer();
    // 1 started, 2-4 first task, 5 timer started, 6 fired, 7-8 second task
    expect(h.result).toEqual({ historyLength: 8, suggested: true, now: iso(start.getTime() + 3600_000) });
  });

  it('records patch markers; v2 code replays v1 histories on the old path', async () => {
    const oldRun = await WorkflowHarness.start({
      bundle,
      workflowsPath,
      workflowType: 'versionedFixtureV1',
      args: [],
      activities: reminderActivities(),
      startTime: start,
    });
    oldRun.upgrade({ workflowType: 'versionedFixtureV2' }); // deploy v2 while v1 executions wait
    await oldRun.fireNextTimer();
    expect(oldRun.result).toBe('v1-path');
    expect(oldRun.activityCalls).toEqual([]);

    const newRun = await WorkflowHarness.start({
      bundle,
      workflowsPath,
      workflowType: 'versionedFixtureV2',
      args: [],
      activities: reminderActivities(),
      startTime: start,
    });
    await newRun.fireNextTimer();
    expect(newRun.commands).toEqual([
      'setPatchMarker remind-first',
      'scheduleActivity remind',
      `startTimer ${DAY}`,
      'completeWorkflow',
    ]);
    expect(newRun.result).toBe('v2');
    await replayHistory(bundle, newRun.history());
    await expect(replayHistory(bundle, newRun.history(), { workflowType: 'versionedFixtureV1' })).rejects.toThrow(
      DeterminismViolationError
    );
  });

  it('a workflow task failure (plain Error thrown by workflow code) throws WorkflowTaskFailedError', async () => {
    const h = await WorkflowHarness.start({
      bundle,
      workflowsPath,
      workflowType: 'buggyFixture',
      args: [],
      activities: {},
      startTime: start,
    });
    await expect(h.fireNextTimer()).rejects.toThrow(/workflow task failed.*TypeError: workflow bug/);
  });

  it('works the same with a fresh replay worker per step', async () => {
    const h = await WorkflowHarness.start({
      bundle,
      workflowsPath,
      workflowType: 'reminderFixture',
      args: [{ dueAt: dueAt.toISOString() }],
      activities: reminderActivities(),
      startTime: start,
      freshWorkerPerReplay: true,
    });
    await h.fireNextTimer();
    await h.signal('submit');
    expect(h.commands).toEqual([
      `startTimer ${dueAt.getTime() - 2 * DAY - start.getTime()}`,
      'scheduleActivity remind',
      `startTimer ${2 * DAY}`,
      'cancelTimer 2',
      'completeWorkflow',
    ]);
    expect(h.status).toBe('completed');
  });
});
