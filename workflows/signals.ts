// Signals and queries, declared once and shared by the workflows and the client.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Decision } from '../domain/schedule.js';

/** Something the plan depends on changed (a submission, a moved date, a withdrawal, an adopted calendar). */
export const planChanged = defineSignal<[reason: string]>('planChanged');

/** The last decision the workflow acted on: what it waits for and until when. */
export const currentDecision = defineQuery<Decision | null>('currentDecision');

export const TASK_QUEUE = 'arscykel';

export const reportingWorkflowId = (projectId: string) => `rapportering-${projectId}`;
export const cycleWorkflowId = (forbundId: string) => `arscykel-${forbundId}`;
