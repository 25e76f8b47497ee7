// One workflow per förbund walks its governance year: invites, preparation deadlines and
// milestones, reminders and escalations; at the year's end it continues into the next year.
import { continueAsNew, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { decideOptions, performOptions, runSchedule, stepsOptions } from './schedule.js';

const { decideCycle } = proxyLocalActivities<Activities>(decideOptions);
const { performCycleStep, carryOutCycleSteps } = proxyActivities<Activities>(performOptions);

export interface CycleInput {
  forbundId: string;
  year: number;
  maxStepsPerRun?: number;
}

export async function arscykel(input: CycleInput): Promise<string> {
  const { forbundId, year } = input;
  const exit = await runSchedule({
    kind: 'arscykel',
    year,
    maxStepsPerRun: input.maxStepsPerRun ?? 100,
    decide: (now) => decideCycle({ forbundId, year, now }),
    carryOut: (steps, now) => carryOutCycleSteps.executeWithOptions(stepsOptions(steps), [{ forbundId, year, steps, now }]),
    perform: (step, now, summary) => performCycleStep.executeWithOptions({ ...performOptions, summary }, [{ forbundId, year, step, now }]),
  });
  if (exit.kind === 'end') return exit.reason;
  return continueAsNew<typeof arscykel>({ ...input, year: exit.kind === 'rollover' ? exit.year : year });
}
