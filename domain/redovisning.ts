// The statutory chain of a year's accounts (finsam.se, kunskapsstöd Ekonomi / Årsredovisning;
// DOMAIN.md "The statutory chain"): the board adopts the årsredovisning, the revisorer examine it
// and give their revisionsberättelse, and the årsredovisning, the revisionsberättelse and the
// justerat protokoll go to every member, each of which decides on ansvarsfrihet for the board.
// A delårsrapport (only where the förbundsordning asks for one: the förbund's `delar` milestone)
// is adopted and sent to the revisorer and the members, without ansvarsfrihet. Plain rules.
import { addDays, isIsoDate, nextWorkingDay, parseIsoDate, stockholmDateTime, toIsoDate, type IsoDate } from './dates.js';
import { textProblem } from './fritext.js';
import { SEND_TIME } from './rapportering.js';

export type ReportKind = 'arsredovisning' | 'delarsrapport';
export const REPORT_KINDS: readonly ReportKind[] = ['arsredovisning', 'delarsrapport'];

/** The milestone whose adopting decision makes the report (domain/kalendarium.ts MILESTONE_TITLES). */
export const REPORT_OF_MILESTONE: Record<string, ReportKind> = { bokslut: 'arsredovisning', delar: 'delarsrapport' };

export const REPORT_TITLES: Record<ReportKind, string> = { arsredovisning: 'Årsredovisning', delarsrapport: 'Delårsrapport' };

/** The year a report is of: the årsredovisning adopted in 2027 is of 2026; the delårsrapport of its own year. */
export const reportYearOf = (kind: ReportKind, milestoneYear: number) => (kind === 'arsredovisning' ? milestoneYear - 1 : milestoneYear);

export type DischargeOutcome = 'beviljad' | 'inte_beviljad';
export const DISCHARGE_OUTCOMES: readonly DischargeOutcome[] = ['beviljad', 'inte_beviljad'];
export const OUTCOME_SV: Record<DischargeOutcome, string> = { beviljad: 'ansvarsfrihet beviljad', inte_beviljad: 'ansvarsfrihet inte beviljad' };

/**
 * The day each member is asked to have decided by. A municipality's or region's fullmäktige takes
 * the årsredovisningar of the bodies it is member of at its spring meetings, before the summer; the
 * default is 30 June of the year after the one reported on, and never sooner than eight weeks
 * after the papers were sent (a fullmäktige meets about monthly and its matters are prepared first).
 * The förbund file may give another month and day (cycle.dischargeReplyBy, "MM-DD").
 */
export function dischargeReplyBy(reportYear: number, sentOn: IsoDate, monthDay = '06-30'): IsoDate {
  const [m, d] = monthDay.split('-').map(Number);
  const statutory = toIsoDate(reportYear + 1, m, d);
  const earliest = addDays(sentOn, 56);
  return statutory >= earliest ? statutory : earliest;
}

/** A reminder to a member's registrator of the decision on ansvarsfrihet. */
export interface DischargeReminder {
  /** Unique per discharge: sent once. */
  key: string;
  date: IsoDate;
  /** ISO instant (08:00 Stockholm). */
  at: string;
  /** After the reply date: the member is late, and the official has a pending step. */
  late: boolean;
}

/** How many reminders after the reply date, a month apart; after the last the official follows it up. */
export const LATE_REMINDERS = 2;

/**
 * The rhythm: two weeks before the reply date (when that is after the papers went), the first
 * working day after it, and then a month apart, LATE_REMINDERS in all after the date.
 */
export function dischargeReminders(o: { sentOn: IsoDate; replyBy: IsoDate }): DischargeReminder[] {
  const at = (date: IsoDate) => stockholmDateTime(date, SEND_TIME).toISOString();
  const out: DischargeReminder[] = [];
  const before = nextWorkingDay(addDays(o.replyBy, -14));
  if (before > o.sentOn && before < o.replyBy) out.push({ key: 'before', date: before, at: at(before), late: false });
  let late = nextWorkingDay(addDays(o.replyBy, 1));
  for (let n = 1; n <= LATE_REMINDERS; n++) {
    out.push({ key: `late-${n}`, date: late, at: at(late), late: true });
    late = nextWorkingDay(addDays(late, 30));
  }
  return out;
}

/** The next reminder not yet sent, or none. */
export function nextDischargeReminder(o: { sentOn: IsoDate; replyBy: IsoDate; sent: readonly string[] }): DischargeReminder | undefined {
  return dischargeReminders(o).find((r) => !o.sent.includes(r.key));
}

/** A member is late once its reply date has passed without a decision. */
export const dischargeLate = (o: { outcome: string | null; replyBy: IsoDate | null }, today: IsoDate) => !o.outcome && !!o.replyBy && today > o.replyBy;

export interface DischargeInput {
  outcome: string;
  decidedOn: string;
  reference?: string | null;
}

export interface FieldProblem {
  field: string;
  problem: string;
  /** The same in Swedish, for the pages. */
  sv: string;
}

/** A member's decision as reported: beviljad or inte beviljad, on a day not in the future nor before the papers went, with the member's reference. */
export function dischargeProblems(input: Partial<DischargeInput>, o: { today: IsoDate; sentOn: IsoDate | null }): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!DISCHARGE_OUTCOMES.includes(input.outcome as DischargeOutcome)) out.push({ field: 'outcome', problem: 'must be "beviljad" or "inte_beviljad"', sv: 'Välj om ansvarsfrihet beviljades eller inte.' });
  if (!isIsoDate(input.decidedOn)) out.push({ field: 'decidedOn', problem: 'must be a date YYYY-MM-DD', sv: 'Skriv beslutsdagen som ÅÅÅÅ-MM-DD.' });
  else if (input.decidedOn > o.today) out.push({ field: 'decidedOn', problem: 'must not be in the future', sv: 'Beslutsdagen kan inte vara senare än i dag.' });
  else if (o.sentOn && input.decidedOn < o.sentOn) out.push({ field: 'decidedOn', problem: `must not be before the papers were sent (${o.sentOn})`, sv: `Beslutsdagen kan inte vara före ${o.sentOn}, då handlingarna skickades.` });
  const ref = (input.reference ?? '').trim();
  if (ref.length > 200) out.push({ field: 'reference', problem: 'must be at most 200 characters', sv: 'Referensen får vara högst 200 tecken.' });
  else if (ref) {
    const p = textProblem(ref, { multiline: false });
    if (p) out.push({ field: 'reference', problem: p.problem, sv: p.kind === 'identity-number' ? p.sv : 'Referensen får bara vara en rad text.' });
  }
  return out;
}

export interface AuditReportInput {
  auditReportOn: string;
  documentId: string;
}

/** The revisionsberättelse: dated on or after the adoption, not in the future, and a handling of the report's matter. */
export function auditReportProblems(input: Partial<AuditReportInput>, o: { today: IsoDate; adoptedOn: IsoDate | null; documentIds: readonly string[] }): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!isIsoDate(input.auditReportOn)) out.push({ field: 'auditReportOn', problem: 'must be a date YYYY-MM-DD', sv: 'Skriv revisionsberättelsens datum som ÅÅÅÅ-MM-DD.' });
  else if (input.auditReportOn > o.today) out.push({ field: 'auditReportOn', problem: 'must not be in the future', sv: 'Datumet kan inte vara senare än i dag.' });
  else if (o.adoptedOn && input.auditReportOn < o.adoptedOn) out.push({ field: 'auditReportOn', problem: `must not be before the board adopted the report (${o.adoptedOn})`, sv: `Datumet kan inte vara före ${o.adoptedOn}, då styrelsen antog redovisningen.` });
  if (typeof input.documentId !== 'string' || !o.documentIds.includes(input.documentId)) {
    out.push({ field: 'documentId', problem: "must be a handling uploaded to the årsredovisning's matter", sv: 'Välj revisionsberättelsen bland ärendets handlingar (ladda upp den på ärendet först).' });
  }
  return out;
}

/** Where a member stands, for the year page and the API. */
export type DischargeState = 'waiting' | 'late' | DischargeOutcome;

export function dischargeState(o: { outcome: string | null; replyBy: IsoDate | null }, today: IsoDate): DischargeState {
  if (o.outcome === 'beviljad' || o.outcome === 'inte_beviljad') return o.outcome;
  return dischargeLate(o, today) ? 'late' : 'waiting';
}

export const DISCHARGE_STATE_SV: Record<DischargeState, string> = {
  waiting: 'Väntar på beslut',
  late: 'Försenat',
  beviljad: 'Ansvarsfrihet beviljad',
  inte_beviljad: 'Ansvarsfrihet inte beviljad',
};

/** Where the chain stands, as the year page and the workflow's details say it. */
export type ChainStage = 'not-adopted' | 'to-auditors' | 'audit-report' | 'to-members' | 'discharges' | 'done';

export function chainStage(r: { kind: ReportKind; adoptedAt: unknown; sentToAuditorsAt: unknown; auditRegisteredAt: unknown; sentToMembersAt: unknown; discharges: { outcome: string | null }[] }): ChainStage {
  if (!r.adoptedAt) return 'not-adopted';
  if (!r.sentToAuditorsAt) return 'to-auditors';
  if (r.kind === 'arsredovisning' && !r.auditRegisteredAt) return 'audit-report';
  if (!r.sentToMembersAt) return 'to-members';
  if (r.kind === 'arsredovisning' && r.discharges.some((d) => !d.outcome)) return 'discharges';
  return 'done';
}

export const CHAIN_STAGE_SV: Record<ChainStage, string> = {
  'not-adopted': 'Inte antagen av styrelsen ännu',
  'to-auditors': 'Skickas till revisorerna',
  'audit-report': 'Väntar på revisionsberättelsen',
  'to-members': 'Skickas till medlemmarna',
  discharges: 'Väntar på medlemmarnas beslut om ansvarsfrihet',
  done: 'Klar',
};

/** The title of the board matter a refusal opens. */
export const refusalMatterTitle = (memberName: string, year: number) => `${memberName} har inte beviljat styrelsen ansvarsfrihet för ${year}`;

/** 30 June 2027 → the year's reply date; used in texts. */
export const yearOf = (d: IsoDate) => parseIsoDate(d).year;
