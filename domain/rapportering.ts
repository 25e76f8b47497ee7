// Reporting rules for funded projects (insatser): which reports a project owes in a year, when
// each is due, when its coordinator is reminded and gets the letter of the year's dates. Pure functions.
import { addDays, nextWorkingDay, parseIsoDate, stockholmDateTime, toIsoDate, toStockholmDate, daysInMonth, type IsoDate } from './dates.js';

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

/**
 * A conditional start (Nedansiljan's SESAM: the project starts only if an outside decision is
 * made): while the project has a start condition that is not met, it owes nothing. Once it is met
 * on `conditionMetOn`, the reports are planned as if the project started that day (when later than
 * its start): a period that ends before that day is not owed, the period the day falls in is owed
 * for its stretch from that day (as for a project starting mid-quarter), and the final report
 * covers the project from that day. Met after the project's end: nothing is owed.
 */
export function obligationsWithCondition(policy: ReportingPolicy, project: ProjectPeriod & { startCondition?: string | null; conditionMetOn?: IsoDate | null }): PlannedObligation[] {
  if (!project.startCondition) return obligationsForProject(policy, project);
  const metOn = project.conditionMetOn;
  if (!metOn || metOn > project.end) return [];
  return obligationsForProject(policy, { ...project, start: maxDate(project.start, metOn) });
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

// --- go-live ---------------------------------------------------------------------------------

/**
 * The first due date the product plans reminders for: the förbund's go-live (the day of its first
 * import unless the file or the official says otherwise), or the day the item entered Årscykel
 * when that is later (a project added, or a year re-imported, with report periods already past).
 * What fell due before it predates the product: nobody was reminded of it, so it is not reminded,
 * called overdue, escalated or registered as a matter now. Undefined (neither known): everything.
 */
export function plannedFrom(goLiveOn?: IsoDate | null, addedOn?: IsoDate | null): IsoDate | undefined {
  const days = [goLiveOn, addedOn].filter((d): d is IsoDate => !!d);
  return days.length ? days.reduce(maxDate) : undefined;
}

/** Whether an item due on `dueDate` is the product's to remind and escalate: due on or after `from`. */
export function dueSinceGoLive(dueDate: IsoDate, from?: IsoDate | null): boolean {
  return !from || dueDate >= from;
}

/**
 * The reminders, overdue reminder and escalation of one report or milestone, given the first due
 * date planned (plannedFrom): none for an item due before it; for one due on or after it, the
 * whole reminderPlan as before (of its steps already past when the workflow wakes, stepsToRun
 * keeps only the latest).
 */
export function reminderPlanFrom(policy: ReportingPolicy, dueDate: IsoDate, from?: IsoDate | null): PlannedReminder[] {
  return dueSinceGoLive(dueDate, from) ? reminderPlan(policy, dueDate) : [];
}

// --- the year letter ---------------------------------------------------------------------------

/** The year letter goes out at most this many days after it fell due (see yearLetters). */
export const LETTER_GRACE_DAYS = 30;

export interface YearLetter {
  year: number;
  at: Date;
  /** The open reports due in the year from the letter's day on, which it lists. */
  dueDates: IsoDate[];
}

/**
 * When the coordinator gets the letter listing a year's report dates. For each year in which
 * the project has open reports due, the letter is due on the year's first working day at 08:00
 * Stockholm time, or, for a project added later (created after that moment), at once, when it is
 * added. A letter is only sent while it is fresh and still useful:
 * - it lists only the open reports due on or after its own day, and is not sent if there are
 *   none (one added after its year's last report needs no letter for that year; its first letter,
 *   with next year's dates, then goes at once);
 * - it is not sent more than LETTER_GRACE_DAYS after it fell due (a workflow started in June
 *   for a project that existed at New Year, e.g. after an outage or when a plan is loaded for a
 *   year already under way, does not send a "start of the year" letter half a year late; the
 *   reminders still come).
 * Letters of later years are planned ahead (the workflow sleeps until then). Pure: the caller
 * gives the project's creation, its open reports' due dates and now.
 */
export function yearLetters(input: { createdAt: Date; openDueDates: IsoDate[]; now: Date }): YearLetter[] {
  const years = [...new Set(input.openDueDates.map((d) => parseIsoDate(d).year))].sort((a, b) => a - b);
  const out: YearLetter[] = [];
  const fresh = (at: Date) => input.now.getTime() <= at.getTime() + LETTER_GRACE_DAYS * 86_400_000;
  for (const year of years) {
    const yearStart = stockholmDateTime(nextWorkingDay(toIsoDate(year, 1, 1)), SEND_TIME);
    // The project's first letter goes when it is added, also when its first report is due next
    // year (added in December): the coordinator hears of the dates at once, not at New Year.
    // While that moment is fresh; after it the year's own letter day holds (the same key, so a
    // letter already sent is not sent again).
    const first = out.length === 0 && input.createdAt < yearStart && fresh(input.createdAt);
    const at = first || input.createdAt > yearStart ? input.createdAt : yearStart;
    const from = toStockholmDate(at);
    const dueDates = input.openDueDates.filter((d) => parseIsoDate(d).year === year && d >= from).sort();
    if (!dueDates.length) continue;
    if (!fresh(at)) continue;
    out.push({ year, at, dueDates });
  }
  return out;
}

