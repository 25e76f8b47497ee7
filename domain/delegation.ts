// "Anmälan av delegationsbeslut": the decisions the official (or another delegate) took under the
// board's delegationsordning are recorded, and reported to the next board meeting as one standing,
// compiled item of its föredragningslista — as "Rapportläge för insatserna" (domain/rapportlage.ts)
// is: placed after the official's report, kept up to date until the kallelse fixes the agenda,
// then fixed with it (each decision reported once). Plain rules; services/delegation.ts applies them.
import { isIsoDate, type IsoDate } from './dates.js';
import type { AgendaEntry } from './dagordning.js';
import { textProblem } from './fritext.js';

export const DELEGATION_REPORT_TITLE = 'Anmälan av delegationsbeslut';

/** What the board is asked to do with the item. */
export const DELEGATION_REPORT_PROPOSAL = 'Styrelsen lägger anmälan av delegationsbesluten till handlingarna.';

/** Limits of what is recorded. */
export const DELEGATION_LIMITS = { subject: 200, delegationPoint: 200, decision: 5000 } as const;

/** A recorded decision as the rules need it. */
export interface DelegationEntry {
  id: string;
  decidedOn: IsoDate;
  deciderName: string;
  deciderTitle: string;
  delegationPoint: string;
  subject: string;
  decision: string;
  /** When it was recorded (ISO instant): the order of two decided the same day. */
  recordedAt: string;
  /** The agenda item that reported it; null while not yet reported. */
  reportedAtItemId: string | null;
}

/** The item's content as fixed on the agenda: the decisions in the order reported. */
export interface DelegationReport {
  decisions: { id: string; decidedOn: IsoDate; deciderName: string; deciderTitle: string; delegationPoint: string; subject: string; decision: string }[];
}

/** Their order in the item: by the day decided, then as recorded (then by id, so it is stable). */
export function byDecidedOn<T extends Pick<DelegationEntry, 'decidedOn' | 'recordedAt' | 'id'>>(xs: T[]): T[] {
  return [...xs].sort((a, b) => a.decidedOn.localeCompare(b.decidedOn) || a.recordedAt.localeCompare(b.recordedAt) || a.id.localeCompare(b.id));
}

/**
 * The decisions that go to a meeting whose agenda closes on `closesOn`: recorded, not yet reported
 * (to an earlier meeting), and decided on or before that day. In their order.
 */
export function dueForMeeting<T extends DelegationEntry>(xs: T[], closesOn: IsoDate): T[] {
  return byDecidedOn(xs.filter((x) => !x.reportedAtItemId && x.decidedOn <= closesOn));
}

export function delegationReport(xs: DelegationEntry[], closesOn: IsoDate): DelegationReport {
  return {
    decisions: dueForMeeting(xs, closesOn).map(({ id, decidedOn, deciderName, deciderTitle, delegationPoint, subject, decision }) => ({ id, decidedOn, deciderName, deciderTitle, delegationPoint, subject, decision })),
  };
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** '2027-02-03 Attest av fakturor (punkt 3.2), Olga Tjänsteman (förbundschef): Fakturor över 50 000 kr attesterade.' */
export function delegationLine(d: DelegationReport['decisions'][number]): string {
  const point = oneLine(d.delegationPoint).replace(/^punkt\s+/i, '');
  const title = oneLine(d.deciderTitle);
  const who = `${oneLine(d.deciderName)}${title ? ` (${title})` : ''}`;
  return `${d.decidedOn} ${oneLine(d.subject)} (punkt ${point}), ${who}: ${oneLine(d.decision)}`;
}

/** The item as read in the kallelse, the underlag and the protokoll: one line per decision. */
export function delegationReportLines(r: DelegationReport): string[] {
  return r.decisions.map(delegationLine);
}

/**
 * The agenda with the item where it belongs (after the official's report and the report status,
 * before the matters) when there is something to report, and without it when there is nothing.
 */
export function withDelegationReport(items: AgendaEntry[], present: boolean): AgendaEntry[] {
  const rest = items.filter((i) => i.kind !== 'delegation_report');
  if (!present) return rest;
  const existing = items.find((i) => i.kind === 'delegation_report');
  const item: AgendaEntry = existing ?? { kind: 'delegation_report', title: DELEGATION_REPORT_TITLE, proposal: DELEGATION_REPORT_PROPOSAL };
  const status = rest.findIndex((i) => i.kind === 'report_status');
  const report = rest.findIndex((i) => i.kind === 'official_report');
  const firstMatter = rest.findIndex((i) => i.kind === 'matter' || i.kind === 'other' || i.kind === 'other_questions' || i.kind === 'closing');
  const at = status >= 0 ? status + 1 : report >= 0 ? report + 1 : firstMatter >= 0 ? firstMatter : rest.length;
  return [...rest.slice(0, at), item, ...rest.slice(at)];
}

/** What the official sends to record (or correct) a decision. */
export interface DelegationInput {
  decidedOn?: unknown;
  delegationPoint?: unknown;
  subject?: unknown;
  decision?: unknown;
}

export interface DelegationValues {
  decidedOn: IsoDate;
  delegationPoint: string;
  subject: string;
  decision: string;
}

/** One field at fault: the API's English problem and the page's Swedish sentence. */
export interface DelegationProblem {
  field: keyof DelegationValues;
  problem: string;
  sv: string;
}

/**
 * The decision as it is stored, or every problem with it (each field once). `today` is the
 * Stockholm date: a decision cannot be taken in the future. `partial`: a correction, where a field
 * not sent stays as it is.
 */
export function validateDelegation(input: DelegationInput, today: IsoDate, partial = false): { ok: true; value: Partial<DelegationValues> } | { ok: false; problems: DelegationProblem[] } {
  const problems: DelegationProblem[] = [];
  const value: Partial<DelegationValues> = {};
  const add = (field: keyof DelegationValues, problem: string, sv: string) => problems.push({ field, problem, sv });

  const d = input.decidedOn;
  if (d === undefined && partial) {
    // unchanged
  } else if (typeof d !== 'string' || !d.trim()) add('decidedOn', 'is required: the day it was decided, YYYY-MM-DD', 'Ange dagen då beslutet fattades, till exempel 2027-02-03.');
  else if (!isIsoDate(d.trim())) add('decidedOn', 'must be a date YYYY-MM-DD', 'Ange dagen som ett datum, till exempel 2027-02-03.');
  else if (d.trim() > today) add('decidedOn', `must not be in the future (today is ${today})`, 'Beslutsdagen kan inte ligga i framtiden.');
  else value.decidedOn = d.trim();

  const text = (field: 'delegationPoint' | 'subject' | 'decision', max: number, multiline: boolean, missingSv: string, tooLongSv: string) => {
    const v = input[field];
    if (v === undefined && partial) return;
    if (typeof v !== 'string' || !v.trim()) return add(field, 'is required', missingSv);
    const t = v.trim();
    if (t.length > max) return add(field, `must be at most ${max} characters`, tooLongSv);
    const p = textProblem(t, { multiline });
    if (p) return add(field, p.problem, p.sv);
    value[field] = multiline ? t.replace(/\r\n?/g, '\n') : t;
  };
  text('delegationPoint', DELEGATION_LIMITS.delegationPoint, false, 'Ange punkten i delegationsordningen, till exempel 3.2.', 'Skriv punkten med högst 200 tecken.');
  text('subject', DELEGATION_LIMITS.subject, false, 'Ange vad beslutet gäller.', 'Skriv vad beslutet gäller med högst 200 tecken.');
  text('decision', DELEGATION_LIMITS.decision, true, 'Skriv beslutet.', 'Skriv beslutet med högst 5 000 tecken.');
  return problems.length ? { ok: false, problems } : { ok: true, value };
}
