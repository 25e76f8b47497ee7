// One workflow per funded project: reminds its coordinator of each report, escalates overdue
// ones, and ends when every report is in or the project is withdrawn.
import { continueAsNew, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { decideOptions, performOptions, runSchedule, stepsOptions } from './schedule.js';

const { decideReporting } = proxyLocalActivities<Activities>(decideOptions);
const { performReportingStep, carryOutReportingSteps } = proxyActivities<Activities>(performOptions);

export interface ProjectReportingInput {
  projectId: string;
  maxStepsPerRun?: number;
}

export async function projectReporting(input: ProjectReportingInput): Promise<string> {
  const { projectId } = input;
  const exit = await runSchedule({
    kind: 'rapportering',
    maxStepsPerRun: input.maxStepsPerRun ?? 100,
    decide: (now) => decideReporting({ projectId, now }),
    carryOut: (steps, now) => carryOutReportingSteps.executeWithOptions(stepsOptions(steps), [{ projectId, steps, now }]),
    perform: (step, now, summary) => performReportingStep.executeWithOptions({ ...performOptions, summary }, [{ projectId, step, now }]),
  });
  if (exit.kind === 'end') return exit.reason;
  return continueAsNew<typeof projectReporting>(input);
}
