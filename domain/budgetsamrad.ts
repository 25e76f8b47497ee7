// The budget decided in time (seeds 001 and 004 §3): the official sends the budget proposal for
// the coming year to each member for samråd, with a date to reply by; the replies are recorded per
// member, and a member that has not replied is reminded a week before that date and again, as late,
// on the first working day after it. In October the official and the presidium are told when the
// budget matter must be on the board's agenda if no board meeting by 30 November is to decide it.
// Plain rules; services/budgetsamrad.ts and services/arscykel.ts apply them.
import { addDays, isIsoDate, nextWorkingDay, stockholmDateTime, type IsoDate } from './dates.js';
import { textProblem } from './fritext.js';
import { dueSinceGoLive, SEND_TIME } from './rapportering.js';

/** Limits of what is recorded. */
export const SAMRAD_LIMITS = { reply: 5000, message: 5000 } as const;

/** Days before the reply date that a member without a reply is reminded. */
export const SAMRAD_REMINDER_DAYS = 7;

/** One field at fault: the API's English problem and the page's Swedish sentence. */
export interface SamradProblem {
  field: string;
  problem: string;
  sv: string;
}

type Checked<T> = { ok: true; value: T } | { ok: false; problems: SamradProblem[] };

/** A multi-line text of one to `max` characters (trimmed), screened like every text; `optional` lets it be absent or empty. */
function checkText(problems: SamradProblem[], field: string, v: unknown, max: number, sv: { missing: string; tooLong: string }, optional = false): string | undefined {
  if (v === undefined || v === null || (typeof v === 'string' && !v.trim())) {
    if (!optional) problems.push({ field, problem: 'is required', sv: sv.missing });
    return undefined;
  }
  if (typeof v !== 'string') {
    problems.push({ field, problem: 'must be a text', sv: sv.missing });
    return undefined;
  }
  const t = v.trim().replace(/\r\n?/g, '\n');
  if (t.length > max) {
    problems.push({ field, problem: `must be at most ${max} characters`, sv: sv.tooLong });
    return undefined;
  }
  const p = textProblem(t, { multiline: true });
  if (p) {
    problems.push({ field, problem: p.problem, sv: p.sv });
    return undefined;
  }
  return t;
}

export interface StartInput {
  replyBy?: unknown;
  message?: unknown;
}
export interface StartValues {
  replyBy: IsoDate;
  message?: string;
}

/** The samråd as started: a reply date not before `today` (Stockholm), and an optional message to the members. */
export function validateStart(input: StartInput, today: IsoDate): Checked<StartValues> {
  const problems: SamradProblem[] = [];
  const d = input.replyBy;
  let replyBy: IsoDate | undefined;
  if (typeof d !== 'string' || !d.trim()) problems.push({ field: 'replyBy', problem: 'is required: the day the members reply by, YYYY-MM-DD', sv: 'Ange sista dag för medlemmarnas svar, till exempel 2027-05-15.' });
  else if (!isIsoDate(d.trim())) problems.push({ field: 'replyBy', problem: 'must be a date YYYY-MM-DD', sv: 'Ange svarsdagen som ett datum, till exempel 2027-05-15.' });
  else if (d.trim() < today) problems.push({ field: 'replyBy', problem: `must not be before today (${today})`, sv: 'Svarsdagen kan inte ligga före i dag.' });
  else replyBy = d.trim();
  const message = checkText(problems, 'message', input.message, SAMRAD_LIMITS.message, { missing: 'Skriv meddelandet som text.', tooLong: 'Skriv meddelandet med högst 5 000 tecken.' }, true);
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: { replyBy: replyBy!, ...(message ? { message } : {}) } };
}

export interface ReplyInput {
  repliedOn?: unknown;
  reply?: unknown;
}
export interface ReplyValues {
  repliedOn: IsoDate;
  reply: string;
}

/** A member's reply as recorded: the day it came (not in the future) and what it said (1–5000 characters). */
export function validateReply(input: ReplyInput, today: IsoDate): Checked<ReplyValues> {
  const problems: SamradProblem[] = [];
  const d = input.repliedOn;
  let repliedOn: IsoDate | undefined;
  if (typeof d !== 'string' || !d.trim()) problems.push({ field: 'repliedOn', problem: 'is required: the day the member replied, YYYY-MM-DD', sv: 'Ange dagen då medlemmen svarade, till exempel 2027-05-10.' });
  else if (!isIsoDate(d.trim())) problems.push({ field: 'repliedOn', problem: 'must be a date YYYY-MM-DD', sv: 'Ange svarsdagen som ett datum, till exempel 2027-05-10.' });
  else if (d.trim() > today) problems.push({ field: 'repliedOn', problem: `must not be in the future (today is ${today})`, sv: 'Dagen för svaret kan inte ligga i framtiden.' });
  else repliedOn = d.trim();
  const reply = checkText(problems, 'reply', input.reply, SAMRAD_LIMITS.reply, { missing: 'Skriv vad medlemmen svarade.', tooLong: 'Skriv svaret med högst 5 000 tecken.' });
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: { repliedOn: repliedOn!, reply: reply! } };
}

/** Where a member's reply stands: replied, waiting (the reply date not passed), late (passed without a reply). */
export type SamradState = 'replied' | 'waiting' | 'late';

export function samradState(c: { replyBy: IsoDate; repliedOn: IsoDate | null }, today: IsoDate): SamradState {
  if (c.repliedOn) return 'replied';
  return today > c.replyBy ? 'late' : 'waiting';
}

/** Late: no reply by the reply date, or a reply that came after it. */
export const isLate = (c: { replyBy: IsoDate; repliedOn: IsoDate | null }, today: IsoDate): boolean => (c.repliedOn ?? today) > c.replyBy;

export type SamradStepKind = 'sent' | 'reminder' | 'late';

export interface SamradStep {
  key: string;
  kind: SamradStepKind;
  date: IsoDate;
  /** ISO instant. */
  at: string;
}

export const samradKey = (consultationId: string, kind: SamradStepKind) => `samrad:${consultationId}:${kind}`;

/**
 * The reminders to one consulted member without a reply: `SAMRAD_REMINDER_DAYS` days before the
 * reply date (moved to a working day; only when that is after the day it was sent and before the
 * reply date), and "försenad" on the first working day after the reply date. None once replied,
 * and none due before the förbund's go-live (`goLive`), nor any when the reply date itself is.
 */
export function samradReminderPlan(c: { id: string; sentOn: IsoDate; replyBy: IsoDate; replied: boolean }, goLive?: IsoDate | null): SamradStep[] {
  if (c.replied || !dueSinceGoLive(c.replyBy, goLive)) return [];
  const out: SamradStep[] = [];
  const before = nextWorkingDay(addDays(c.replyBy, -SAMRAD_REMINDER_DAYS));
  if (before > c.sentOn && before < c.replyBy) out.push({ key: samradKey(c.id, 'reminder'), kind: 'reminder', date: before, at: stockholmDateTime(before, SEND_TIME).toISOString() });
  const late = nextWorkingDay(addDays(c.replyBy, 1));
  out.push({ key: samradKey(c.id, 'late'), kind: 'late', date: late, at: stockholmDateTime(late, SEND_TIME).toISOString() });
  return out.filter((s) => dueSinceGoLive(s.date, goLive));
}

// --- the October notice ---------------------------------------------------------------------

/** The last day the board decides the coming year's budget and VP (seed 004 §3: "senast i november"). */
export const budgetDecidedBy = (year: number): IsoDate => `${year}-11-30`;

/** The day of the October notice: the first working day of October. */
export const octoberNoticeDay = (year: number): IsoDate => nextWorkingDay(`${year}-10-01`);

export interface OctoberFacts {
  year: number;
  goLive?: IsoDate | null;
  /** The förbund's vpBudget milestone of the year (its board meeting, if any); absent: no notice. */
  vpBudget?: { meetingId: string | null; done: boolean };
  /** The next year's budget is adopted already. */
  budgetAdopted: boolean;
  /** The year's planned (not cancelled) board meetings, with the day their agenda closes for matters. */
  boardMeetings: { id: string; date: IsoDate; mattersBy: IsoDate }[];
}

export type OctoberNotice =
  | { day: IsoDate; kind: 'agenda'; meetingId: string; meetingDate: IsoDate; mattersBy: IsoDate }
  | { day: IsoDate; kind: 'extra'; by: IsoDate };

/**
 * Whether the official and the presidium must be told in October that the budget matter has no
 * board meeting to be decided at by 30 November, and by when it must be placed on an agenda: the
 * agenda's closing day of the last board meeting on or before 30 November (one whose agenda still
 * closes on or after the notice day), else that an extra meeting must be called before 30 November.
 * Only with a vpBudget milestone not done, the budget not adopted, and the notice day on or after go-live.
 */
export function octoberNotice(f: OctoberFacts): OctoberNotice | undefined {
  const day = octoberNoticeDay(f.year);
  const by = budgetDecidedBy(f.year);
  if (!f.vpBudget || f.vpBudget.done || f.budgetAdopted || !dueSinceGoLive(day, f.goLive)) return undefined;
  const inTime = f.boardMeetings.filter((m) => m.date <= by);
  if (f.vpBudget.meetingId && inTime.some((m) => m.id === f.vpBudget!.meetingId)) return undefined;
  const last = [...inTime].filter((m) => m.mattersBy >= day).sort((a, b) => a.date.localeCompare(b.date)).pop();
  return last ? { day, kind: 'agenda', meetingId: last.id, meetingDate: last.date, mattersBy: last.mattersBy } : { day, kind: 'extra', by };
}
