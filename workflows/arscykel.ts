// One workflow per förbund walks its governance year: invites, preparation deadlines and
// milestones, reminders and escalations; at the year's end it continues into the next year.
import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { runSchedule } from './schedule.js';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

export interface CycleInput {
  forbundId: string;
  year: number;
  maxStepsPerRun?: number;
}

export async function arscykel(input: CycleInput): Promise<string> {
  const exit = await runSchedule({
    maxStepsPerRun: input.maxStepsPerRun ?? 100,
    decide: (now) => acts.decideCycle({ forbundId: input.forbundId, year: input.year, now }),
    perform: (step, now) => acts.performCycleStep({ forbundId: input.forbundId, year: input.year, step, now }),
  });
  if (exit.kind === 'end') return exit.reason;
  const year = exit.kind === 'rollover' ? exit.year : input.year;
  return continueAsNew<typeof arscykel>({ ...input, year });
}
