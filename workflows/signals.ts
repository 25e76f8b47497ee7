// Signals and queries, declared once and shared by the workflows and the client.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Decision } from '../domain/schedule.js';
import type { Narvaro, NarvaroInput, ParagraphRecord, ParagraphRecordInput } from '../domain/protokoll.js';
export type { NarvaroInput, ParagraphRecordInput };

/** Something the plan depends on changed (a submission, a moved date, a withdrawal, an adopted calendar). */
export const planChanged = defineSignal<[reason: string]>('planChanged');

/** The last decision the workflow acted on: what it waits for and until when. */
export const currentDecision = defineQuery<Decision | null>('currentDecision');

export const TASK_QUEUE = 'arscykel';

export const reportingWorkflowId = (projectId: string) => `rapportering-${projectId}`;
export const cycleWorkflowId = (forbundId: string) => `arscykel-${forbundId}`;

// --- the board's process: human actions reach the workflows as updates, answered with what was done or why not.

export const meetingWorkflowId = (meetingId: string) => `sammantrade-${meetingId}`;
export const matterWorkflowId = (matterId: string) => `arende-${matterId}`;

/** Who acts, as the audit trail names them ("token:<id> Anna (secretary)"). */
export interface Acting {
  actor: string;
}

/** An item kept by id (optionally retitled, its förslag till beslut set or cleared with null), or a new free item by title. */
export type AgendaEditInput = { id: string; title?: string; proposal?: string | null } | { title: string };

/** The secretary edits the föredragningslista (until the kallelse goes). */
export const editAgenda = defineUpdate<AgendaItemView[], [Acting & { items: AgendaEditInput[] }]>('editAgenda');
/** The secretary sends the kallelse now instead of on its day. */
export const sendKallelseNow = defineUpdate<{ sentAt: string }, [Acting]>('sendKallelseNow');
/** A ledamot (or a called-in ersättare) cannot come; the next ersättare is called in. */
export const declineMeeting = defineUpdate<DeclineResult, [Acting & { personId: string }]>('declineMeeting');
/** A ledamot who reported a förhinder can come after all (until the meeting begins): called again, and the ersättare called in for them released. */
export const withdrawDecline = defineUpdate<WithdrawResult, [Acting & { personId: string }]>('withdrawDecline');
/** The secretary records the decision on one agenda item (after the meeting has begun, until the minutes are justerade). */
export const recordDecision = defineUpdate<AgendaItemView, [Acting & { itemId: string; decision: string; actionBy?: string | null; actionDue?: string | null; version: number }]>('recordDecision');
/** The secretary sends the minutes to the justerare (one, or two as the förbund's rule says; the ordförande signs too). */
export const sendMinutes = defineUpdate<{ justerare: string; justeringDue: string }, [Acting & { justerare: string; justerare2?: string | null; justeringPlace?: string | null }]>('sendMinutes');
/** The secretary records the närvaro at the meeting (from the meeting's start until the minutes go to justering). */
export const recordNarvaro = defineUpdate<Narvaro, [Acting & { narvaro: NarvaroInput }]>('recordNarvaro');
/** The secretary records what the protokoll says of one § besides its decision: jäv, reservationer, anteckningar, omröstning. */
export const recordParagraph = defineUpdate<ParagraphRecord, [Acting & { itemId: string; record: ParagraphRecordInput }]>('recordParagraph');
/** The ordförande or a justerare signs the protokoll through their personal link; the last signature justerar it. */
export const signMinutes = defineUpdate<{ signed: string; justeradAt: string | null }, [Acting & { personId: string; pdfSha256: string; fromAddress: string; userAgent: string }]>('signMinutes');
/** The minutes are justerade: the decisions go to the members. */
export const justeraMinutes = defineUpdate<{ justeradAt: string }, [Acting]>('justeraMinutes');

/** The matter is prepared (by its body) and may go on the agenda. */
export const markPrepared = defineUpdate<MatterView, [Acting]>('markPrepared');
/** The one who was to act on the decision reports back; the matter closes. */
export const reportBack = defineUpdate<MatterView, [Acting & { text: string }]>('reportBack');

export interface AgendaItemView {
  id: string;
  number: number;
  title: string;
  kind: string;
  dnr: string | null;
  paragraph: number | null;
  decision: string | null;
  actionBy: string | null;
  actionDue: string | null;
  /** Raised by every write of the decision: a writer names the version it read (recordDecision), and a stale one is refused. */
  version: number;
}

export interface WithdrawResult {
  back: string;
  /** The ersättare who no longer needs to come. */
  released: string | null;
  quorum: { seats: number; expected: number; needed: number; quorate: boolean };
}

export interface DeclineResult {
  declined: string;
  calledIn: string | null;
  quorum: { seats: number; expected: number; needed: number; quorate: boolean };
}

export interface MatterView {
  id: string;
  dnr: string;
  title: string;
  status: string;
}

/** Where a board meeting's process stands (the UI's and the API's view of the workflow). */
export const meetingStage = defineQuery<string>('meetingStage');

// --- the statutory chain: the adopted årsredovisning (or delårsrapport) to the revisorer and the members, and each member's ansvarsfrihet.

export const statutoryWorkflowId = (reportId: string) => `redovisning-${reportId}`;
export const dischargeWorkflowId = (dischargeId: string) => `ansvarsfrihet-${dischargeId}`;

/** The official registers the revisorer's revisionsberättelse (its date, and the handling on the årsredovisning's matter that holds it). */
export const registerAuditReport = defineUpdate<StatutoryReportView, [Acting & { auditReportOn: string; documentId: string }]>('registerAuditReport');
/** A member's decision on ansvarsfrihet: through the registrator's personal link, or entered by the official. */
export const recordDischarge = defineUpdate<DischargeView, [Acting & { outcome: 'beviljad' | 'inte_beviljad'; decidedOn: string; reference?: string | null }]>('recordDischarge');

export interface StatutoryReportView {
  id: string;
  kind: 'arsredovisning' | 'delarsrapport';
  year: number;
  stage: string;
  adoptedBy: string | null;
  auditReportOn: string | null;
}

export interface DischargeView {
  id: string;
  member: string;
  outcome: 'beviljad' | 'inte_beviljad' | null;
  decidedOn: string | null;
  reference: string | null;
}
