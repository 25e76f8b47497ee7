// The loop both workflows share: ask for a decision, sleep until it is due (waking early when
// the plan changes), carry it out, and continue as new before the history grows large.
import { condition, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Decision, Step } from '../domain/schedule.js';
import { currentDecision, planChanged } from './signals.js';

export interface ScheduleLoop {
  decide(now: number): Promise<Decision>;
  perform(step: Step, now: number): Promise<unknown>;
  /** Steps carried out per run before continuing as new. */
  maxStepsPerRun: number;
}

export type LoopExit = { kind: 'end'; reason: string } | { kind: 'rollover'; year: number } | { kind: 'continueAsNew' };

export async function runSchedule(loop: ScheduleLoop): Promise<LoopExit> {
  let changed = false;
  let last: Decision | null = null;
  setHandler(planChanged, () => {
    changed = true;
  });
  setHandler(currentDecision, () => last);
  let performed = 0;
  for (;;) {
    if (performed >= loop.maxStepsPerRun || workflowInfo().continueAsNewSuggested) return { kind: 'continueAsNew' };
    changed = false;
    const d = (last = await loop.decide(Date.now()));
    switch (d.action) {
      case 'end':
        return { kind: 'end', reason: d.reason };
      case 'rollover':
        return { kind: 'rollover', year: d.year };
      case 'waitForChange':
        await condition(() => changed);
        break;
      case 'sleep':
        await condition(() => changed, Math.max(1, new Date(d.until).getTime() - Date.now()));
        break;
      case 'perform':
        await loop.perform(d.step, Date.now());
        performed++;
        break;
    }
  }
}
