// Reporting rules for funded projects (insatser): which reports a project owes in a year, when
// each is due, and when its coordinator is reminded. Pure functions: no clock, no I/O.
import { containsIdentityNumber, IDENTITY_NUMBER_PROBLEM } from './personnummer.js';
import { addDays, nextWorkingDay, parseIsoDate, stockholmDateTime, toIsoDate, daysInMonth, type IsoDate } from './dates.js';

export const REPORT_KINDS = ['quarterly', 'halfYear', 'annual', 'final', 'financial'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ReportingPolicy {
  /** Kinds the förbund requires; dueDays after the period ends. `months` (financial): period ends. */
  kinds: Partial<Record<ReportKind, { dueDays: number; months?: number[] }>>;
  /** Days before the due date on which the coordinator is reminded. */
  reminders: number[];
  overdue: { reminderDaysAfter: number; escalateDaysAfter: number };
}

export const DEFAULT_POLICY: ReportingPolicy = {
  kinds: { quarterly: { dueDays: 15 }, halfYear: { dueDays: 20 }, annual: { dueDays: 31 }, final: { dueDays: 60 } },
  reminders: [14, 3, 0],
  overdue: { reminderDaysAfter: 1, escalateDaysAfter: 7 },
};

/** Reminders are sent at this Stockholm time on their day. */
export const SEND_TIME = '08:00';

export interface ProjectPeriod {
  start: IsoDate;
  end: IsoDate;
  /** Kinds owed by this project; the policy's kinds when absent. */
  reportKinds?: ReportKind[];
}

export interface PlannedObligation {
  kind: ReportKind;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  dueDate: IsoDate;
}

export const REPORT_NAMES: Record<ReportKind, string> = {
  quarterly: 'kvartalsrapport',
  halfYear: 'halvårsrapport',
  annual: 'årsrapport',
  final: 'slutrapport',
  financial: 'ekonomisk redovisning',
};

function monthEnd(year: number, month: number): IsoDate {
  return toIsoDate(year, month, daysInMonth(year, month));
}

function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}

/** The due date: `dueDays` after the period ends, moved to the first working day. */
export function dueDateFor(periodEnd: IsoDate, dueDays: number): IsoDate {
  return nextWorkingDay(addDays(periodEnd, dueDays));
}

/**
 * Whether a periodic report (quarter, half year, full year, financial) for the period
 * `from`–`to` is owed by a project, and for which stretch of it. A period that ends before the
 * project starts is not owed. When the project owes a final report, that report covers the last
 * stretch: only periods ending before the project's last day are owed. Without a final report
 * the period in which the project ends is owed too (also when it ends on the project's last
 * day), cut to the project's end; nothing after it.
 */
export function periodicStretch(project: Pick<ProjectPeriod, 'start' | 'end'>, from: IsoDate, to: IsoDate, owesFinal: boolean): { periodStart: IsoDate; periodEnd: IsoDate } | undefined {
  if (to < project.start) return undefined;
  if (owesFinal ? to >= project.end : from > project.end) return undefined;
  return { periodStart: maxDate(from, project.start), periodEnd: minDate(to, project.end) };
}

/**
 * The reports a project owes for periods ending in `year`: the periodic reports of
 * `periodicStretch`, and the final report, which covers the whole project, in its end year.
 */
export function obligationsForYear(policy: ReportingPolicy, project: ProjectPeriod, year: number): PlannedObligation[] {
  const kinds = (project.reportKinds ?? (Object.keys(policy.kinds) as ReportKind[])).filter((k) => policy.kinds[k]);
  const yearStart = toIsoDate(year, 1, 1);
  const out: PlannedObligation[] = [];
  const owesFinal = kinds.includes('final');
  const periodic = (kind: ReportKind, from: IsoDate, to: IsoDate) => {
    const stretch = periodicStretch(project, from, to, owesFinal);
    if (stretch) out.push({ kind, ...stretch, dueDate: dueDateFor(stretch.periodEnd, policy.kinds[kind]!.dueDays) });
  };
  for (const kind of kinds) {
    switch (kind) {
      case 'quarterly':
        for (const q of [3, 6, 9, 12]) periodic(kind, toIsoDate(year, q - 2, 1), monthEnd(year, q));
        break;
      case 'halfYear':
        periodic(kind, yearStart, monthEnd(year, 6));
        break;
      case 'annual':
        periodic(kind, yearStart, monthEnd(year, 12));
        break;
      case 'financial':
        for (const m of policy.kinds.financial!.months ?? [6, 12]) periodic(kind, yearStart, monthEnd(year, m));
        break;
      case 'final':
        if (parseIsoDate(project.end).year === year) {
          out.push({ kind, periodStart: project.start, periodEnd: project.end, dueDate: dueDateFor(project.end, policy.kinds.final!.dueDays) });
        }
        break;
    }
  }
  return out.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.kind.localeCompare(b.kind));
}

/** Every report a project owes over its whole period. */
export function obligationsForProject(policy: ReportingPolicy, project: ProjectPeriod): PlannedObligation[] {
  const first = parseIsoDate(project.start).year;
  const last = parseIsoDate(project.end).year;
  const out: PlannedObligation[] = [];
  for (let y = first; y <= last; y++) out.push(...obligationsForYear(policy, project, y));
  return out;
}

export type ReminderKind = 'reminder' | 'overdue' | 'escalation';

export interface PlannedReminder {
  /** Stable within the obligation: also the idempotency key of the e-mail. */
  key: string;
  kind: ReminderKind;
  /** Days before the due date (negative: after). */
  offsetDays: number;
  date: IsoDate;
  at: Date;
}

/**
 * When the coordinator is reminded of one report: `policy.reminders` days before the due date,
 * then the day after it with the official in copy, then an escalation. A date on a weekend or
 * holiday moves to the next working day; two reminders landing on the same day become one.
 */
export function reminderPlan(policy: ReportingPolicy, dueDate: IsoDate): PlannedReminder[] {
  const raw: { kind: ReminderKind; offsetDays: number }[] = [
    ...[...new Set(policy.reminders)].sort((a, b) => b - a).map((d) => ({ kind: 'reminder' as const, offsetDays: d })),
    { kind: 'overdue', offsetDays: -policy.overdue.reminderDaysAfter },
    { kind: 'escalation', offsetDays: -policy.overdue.escalateDaysAfter },
  ];
  const out: PlannedReminder[] = [];
  for (const r of raw) {
    const date = nextWorkingDay(addDays(dueDate, -r.offsetDays));
    const key = r.kind === 'reminder' ? `reminder-${r.offsetDays}` : r.kind;
    const sameDay = out.findIndex((o) => o.date === date);
    const step = { key, kind: r.kind, offsetDays: r.offsetDays, date, at: stockholmDateTime(date, SEND_TIME) };
    // A later (more urgent) step wins a shared day: the due-day reminder over the 3-day one.
    if (sameDay >= 0) out[sameDay] = step;
    else out.push(step);
  }
  return out;
}

/** Aggregate figures a report may carry: counts and kronor, never a person. */
export const FIGURE_FIELDS = {
  participantsActive: 'deltagare aktiva under perioden',
  participantsNew: 'nya deltagare under perioden',
  participantsEnded: 'avslutade deltagare under perioden',
  participantsToWork: 'avslutade till arbete',
  participantsToStudies: 'avslutade till studier',
  costsToDate: 'upparbetade kostnader (kr)',
} as const;
export type FigureField = keyof typeof FIGURE_FIELDS;

export interface SubmissionInput {
  figures: Partial<Record<FigureField, number>>;
  narrative: string;
  submittedBy?: string;
}

export interface FieldError {
  field: string;
  problem: string;
}


/**
 * Validates a report before it is stored. Figures are aggregate whole numbers; the text may not
 * carry a personal identity number, since reports must never identify a participant.
 */
export function validateSubmission(body: unknown): { ok: true; value: SubmissionInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: [{ field: '(body)', problem: 'must be a JSON object' }] };
  }
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!['figures', 'narrative', 'submittedBy'].includes(key)) errors.push({ field: key, problem: 'unknown field' });
  }
  const figures: Partial<Record<FigureField, number>> = {};
  if (typeof b.figures !== 'object' || b.figures === null || Array.isArray(b.figures)) {
    errors.push({ field: 'figures', problem: `must be an object with aggregate figures: ${Object.keys(FIGURE_FIELDS).join(', ')}` });
  } else {
    for (const [k, v] of Object.entries(b.figures)) {
      if (!(k in FIGURE_FIELDS)) errors.push({ field: `figures.${k}`, problem: `unknown figure; allowed: ${Object.keys(FIGURE_FIELDS).join(', ')}` });
      else if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1e9) errors.push({ field: `figures.${k}`, problem: 'must be a whole number from 0' });
      else figures[k as FigureField] = v;
    }
  }
  if (typeof b.narrative !== 'string' || b.narrative.trim().length === 0) {
    errors.push({ field: 'narrative', problem: 'must be a non-empty text' });
  } else if (b.narrative.length > 20_000) {
    errors.push({ field: 'narrative', problem: 'must be at most 20000 characters' });
  } else if (containsIdentityNumber(b.narrative)) {
    errors.push({ field: 'narrative', problem: IDENTITY_NUMBER_PROBLEM });
  }
  if (b.submittedBy !== undefined && (typeof b.submittedBy !== 'string' || b.submittedBy.length > 200)) {
    errors.push({ field: 'submittedBy', problem: 'must be a text of at most 200 characters' });
  } else if (typeof b.submittedBy === 'string' && containsIdentityNumber(b.submittedBy)) {
    errors.push({ field: 'submittedBy', problem: IDENTITY_NUMBER_PROBLEM });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { figures, narrative: (b.narrative as string).trim(), submittedBy: b.submittedBy as string | undefined } };
}
