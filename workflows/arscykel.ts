// One workflow per förbund walks its governance year: invites, preparation deadlines and
// milestones, reminders and escalations; at the year's end it continues into the next year.
import { continueAsNew, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { decideOptions, performOptions, runSchedule } from './schedule.js';

const { decideCycle } = proxyLocalActivities<Activities>(decideOptions);
const { performCycleStep } = proxyActivities<Activities>(performOptions);

export interface CycleInput {
  forbundId: string;
  year: number;
  maxStepsPerRun?: number;
}

export async function arscykel(input: CycleInput): Promise<string> {
  const exit = await runSchedule({
    kind: 'arscykel',
    year: input.year,
    maxStepsPerRun: input.maxStepsPerRun ?? 100,
    decide: (now) => decideCycle({ forbundId: input.forbundId, year: input.year, now }),
    perform: (step, now, summary) => performCycleStep.executeWithOptions({ ...performOptions, summary }, [{ forbundId: input.forbundId, year: input.year, step, now }]),
  });
  if (exit.kind === 'end') return exit.reason;
  const year = exit.kind === 'rollover' ? exit.year : input.year;
  return continueAsNew<typeof arscykel>({ ...input, year });
}
