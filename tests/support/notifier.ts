import type { UpdateDefinition } from '@temporalio/common';
import type { UpdateTarget } from '../../services/notifier.js';
import { TemporalUnavailable, type WorkflowNotifier } from '../../worker/client.js';

/**
 * Records what the API tells the workflows, so the API tests can check that each change is passed
 * on; `reachable = false` plays a Temporal that is down. (A stand-in to keep the API tests about
 * the API: the real path, signals to a real Temporal dev server, is tests/e2e.test.ts.)
 */
export class RecordingNotifier implements WorkflowNotifier {
  reportingCalls: { projectId: string; reason: string }[] = [];
  cycleCalls: { forbundId: string; year: number; reason: string }[] = [];
  meetingCalls: { meetingId: string; reason: string }[] = [];
  matterCalls: { matterId: string; reason: string }[] = [];
  reachable = true;
  async reportingChanged(projectId: string, reason: string) {
    this.reportingCalls.push({ projectId, reason });
    return this.reachable;
  }
  async cycleChanged(forbundId: string, year: number, reason: string) {
    this.cycleCalls.push({ forbundId, year, reason });
    return this.reachable;
  }
  async meetingChanged(meetingId: string, reason: string) {
    this.meetingCalls.push({ meetingId, reason });
    return this.reachable;
  }
  reviewCalls: { workflowId: string; reason: string }[] = [];
  async reviewChanged(workflowId: string, reason: string) {
    this.reviewCalls.push({ workflowId, reason });
    return this.reachable;
  }
  async matterChanged(matterId: string, reason: string) {
    this.matterCalls.push({ matterId, reason });
    return this.reachable;
  }
  statutoryCalls: { reportId: string; reason: string }[] = [];
  async statutoryChanged(reportId: string, reason: string) {
    this.statutoryCalls.push({ reportId, reason });
    return this.reachable;
  }
  /** Actions that need a workflow's answer are tested against Temporal's test server (tests/styrelse-*.test.ts). */
  async update<R, A extends [unknown]>(_target: UpdateTarget, _def: UpdateDefinition<R, A>, _args: A): Promise<R> {
    throw new TemporalUnavailable('no Temporal in the API tests');
  }
  reset() {
    this.reportingCalls = [];
    this.cycleCalls = [];
    this.meetingCalls = [];
    this.matterCalls = [];
    this.reachable = true;
  }
}
