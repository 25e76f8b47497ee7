// One workflow per funded project: reminds its coordinator of each report, escalates overdue
// ones, and ends when every report is in or the project is withdrawn.
import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { runSchedule } from './schedule.js';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

export interface ProjectReportingInput {
  projectId: string;
  maxStepsPerRun?: number;
}

export async function projectReporting(input: ProjectReportingInput): Promise<string> {
  const exit = await runSchedule({
    maxStepsPerRun: input.maxStepsPerRun ?? 100,
    decide: (now) => acts.decideReporting({ projectId: input.projectId, now }),
    perform: (step, now) => acts.performReportingStep({ projectId: input.projectId, step, now }),
  });
  if (exit.kind === 'end') return exit.reason;
  return continueAsNew<typeof projectReporting>(input);
}
