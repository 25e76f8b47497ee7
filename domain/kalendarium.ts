// The governance year of a förbund: its meetings (styrelse and the meetings that prepare them),
// planning days, and the annual milestones with their deadlines. Pure functions.
import { addDays, addWorkingDays, daysInMonth, nextWorkingDay, parseIsoDate, previousWorkingDay, resolveDateRule, shiftToYear, toIsoDate, type DateRule, type IsoDate } from './dates.js';
import { DEFAULT_KALLELSE_REMINDER_DAYS, type Cycle, type ForbundFile, type Milestone as FileMilestone } from './forbund-file.js';

export type MeetingKind = 'styrelse' | 'presidium' | 'beredningsgrupp' | 'beredning' | 'planning_day';

export interface PlannedMeeting {
  key: string;
  kind: MeetingKind;
  title: string;
  date: IsoDate;
  /** 'HH:MM'; absent for a whole-day planning day. */
  start?: string;
  end?: string;
  location?: string;
  /** The board meeting a preparatory meeting prepares. */
  forKey?: string;
  /** The rule that dates it, when the förbund file gives one: kept for next year's calendar. */
  rule?: DateRule;
}

export interface PlannedMilestone {
  kind: string;
  title: string;
  dueDate: IsoDate;
  owner: string;
  /** The meeting that handles it. */
  meetingKey?: string;
}

export const MEETING_TITLES: Record<MeetingKind, string> = {
  styrelse: 'Styrelsemöte',
  presidium: 'Presidiemöte',
  beredningsgrupp: 'Beredningsgruppens möte',
  beredning: 'Beredning (presidiet)',
  planning_day: 'Planeringsdag',
};

export const MILESTONE_TITLES: Record<string, string> = {
  bokslut: 'Årsredovisning och bokslut',
  budgetDialogue: 'Dialog med medlemmarna om budgetram',
  halfYearReports: 'Halvårsrapporter från insatserna',
  delar: 'Delårsrapport och delårsbokslut',
  budgetFollowUp: 'Budgetuppföljning',
  vpBudget: 'Verksamhetsplan och budget för nästa år',
  nextCalendar: 'Sammanträdesplan (kalendarium) för nästa år',
  stateAllocation: 'Statens beslut om fördelning av medel',
  attestReview: 'Årlig översyn av attestordningen',
};

/**
 * Where a known milestone the förbund asks for with `true` lands: the board meeting in these months (first or last of
 * them), else the last day of the deadline month. Owner by role.
 */
const MILESTONE_DEFAULTS: Record<string, { months: number[]; pick: 'first' | 'last'; deadlineMonth: number; owner: string; noMeeting?: boolean }> = {
  bokslut: { months: [2, 3], pick: 'first', deadlineMonth: 3, owner: 'official' },
  budgetDialogue: { months: [4, 5], pick: 'first', deadlineMonth: 5, owner: 'official', noMeeting: true },
  halfYearReports: { months: [8, 9], pick: 'first', deadlineMonth: 8, owner: 'official' },
  delar: { months: [9, 10], pick: 'first', deadlineMonth: 9, owner: 'official' },
  budgetFollowUp: { months: [10], pick: 'first', deadlineMonth: 10, owner: 'official' },
  vpBudget: { months: [10, 11], pick: 'last', deadlineMonth: 11, owner: 'official' },
  nextCalendar: { months: [11, 12], pick: 'last', deadlineMonth: 12, owner: 'secretary' },
  stateAllocation: { months: [12], pick: 'last', deadlineMonth: 12, owner: 'official', noMeeting: true },
  attestReview: { months: [10, 11], pick: 'first', deadlineMonth: 11, owner: 'official' },
};

/** The same month and day in another year (29 February becomes the 28th). */
export function sameDateInYear(date: IsoDate, year: number): IsoDate {
  const { month, day } = parseIsoDate(date);
  return toIsoDate(year, month, Math.min(day, daysInMonth(year, month)));
}

/**
 * A förbund's milestone settings for another year's calendar: fixed due dates move to that year
 * (next working day); a known milestone whose meeting is not in that calendar falls back to its
 * default placement (true); one of the förbund's own whose meeting is gone is dropped. Only the
 * milestones the förbund asked for are kept: no default is added.
 */
export function milestonesForYear(milestones: Cycle['milestones'], year: number, meetingKeys: ReadonlySet<string>): Cycle['milestones'] {
  return Object.fromEntries(
    Object.entries(milestones).flatMap(([k, m]): [string, FileMilestone | boolean][] => {
      if (typeof m === 'boolean') return [[k, m]];
      if (m.due) return [[k, { ...m, due: nextWorkingDay(sameDateInYear(m.due, year)) }]];
      if (m.meeting && meetingKeys.has(m.meeting)) return [[k, m]];
      return k in MILESTONE_DEFAULTS ? [[k, true]] : [];
    }),
  );
}

/** Moves the dated parts of a förbund file to another year (to run a historic plan in the present). */
export function placeInYear(file: ForbundFile, year: number): ForbundFile {
  const delta = year - file.forbund.year;
  if (delta === 0) return file;
  const shiftPlain = (d: IsoDate) => sameDateInYear(d, parseIsoDate(d).year + delta);
  const shiftMeeting = (d: IsoDate) => shiftToYear(d, parseIsoDate(d).year + delta);
  return {
    ...file,
    forbund: { ...file.forbund, year, ...(file.forbund.goLive ? { goLive: shiftPlain(file.forbund.goLive) } : {}) },
    projects: file.projects.map((p) => ({
      ...p,
      start: shiftPlain(p.start),
      end: shiftPlain(p.end),
      grants: Object.fromEntries(Object.entries(p.grants).map(([y, v]) => [String(Number(y) + delta), v])),
    })),
    cycle: {
      ...file.cycle,
      meetings: file.cycle.meetings.map((m) => (m.date ? { ...m, date: shiftMeeting(m.date) } : m)),
      planningDays: file.cycle.planningDays.map((d) => (d.date ? { ...d, date: shiftMeeting(d.date) } : d)),
      milestones: Object.fromEntries(
        Object.entries(file.cycle.milestones).map(([k, m]) => [k, typeof m === 'object' && m.due ? { ...m, due: nextWorkingDay(shiftPlain(m.due)) } : m]),
      ),
    },
  };
}

/** The meetings of the year: those given, plus the preparatory meetings the policy implies. */
export function yearMeetings(cycle: Cycle, year: number): PlannedMeeting[] {
  const dated = (x: { date?: IsoDate; rule?: Parameters<typeof resolveDateRule>[0] }) => x.date ?? resolveDateRule(x.rule!, year);
  const meetings: PlannedMeeting[] = cycle.meetings.map((m) => ({
    key: m.id,
    kind: m.body,
    title: m.title ?? MEETING_TITLES[m.body],
    date: dated(m),
    start: m.start,
    end: m.end,
    ...(m.location ? { location: m.location } : {}),
    ...(m.for ? { forKey: m.for } : {}),
    ...(m.rule ? { rule: m.rule } : {}),
  }));
  if (cycle.preparation) {
    const prep = cycle.preparation;
    for (const board of meetings.filter((m) => m.kind === 'styrelse')) {
      const has = (kind: MeetingKind) => meetings.some((m) => m.kind === kind && m.forKey === board.key);
      const add = (kind: 'beredningsgrupp' | 'beredning', days: number) => {
        if (has(kind)) return;
        meetings.push({
          key: `${board.key}-${kind}`,
          kind,
          title: MEETING_TITLES[kind],
          date: previousWorkingDay(addDays(board.date, -days)),
          start: cycle.defaults.start,
          end: cycle.defaults.end,
          ...(cycle.defaults.location ? { location: cycle.defaults.location } : {}),
          forKey: board.key,
        });
      };
      add('beredningsgrupp', prep.beredningsgruppDaysBefore);
      add('beredning', prep.beredningDaysBefore);
    }
  }
  for (const d of cycle.planningDays) {
    meetings.push({ key: d.id, kind: 'planning_day', title: d.title, date: dated(d), ...(d.start ? { start: d.start, end: d.end } : {}), ...(d.location ? { location: d.location } : {}), ...(d.rule ? { rule: d.rule } : {}) });
  }
  return meetings.sort((a, b) => a.date.localeCompare(b.date) || (a.start ?? '').localeCompare(b.start ?? '') || a.key.localeCompare(b.key));
}

/**
 * The day the matters for a meeting must be ready: the day of the beredning that prepares it
 * (or, without one, the day of its beredningsgrupp); a meeting nobody prepares, the meeting day.
 */
export function preparationDeadline(meetings: Pick<PlannedMeeting, 'key' | 'kind' | 'date' | 'forKey'>[], meetingKey: string): IsoDate {
  const meeting = meetings.find((m) => m.key === meetingKey);
  if (!meeting) throw new Error(`unknown meeting "${meetingKey}"`);
  const prep = (kind: MeetingKind) => meetings.filter((m) => m.kind === kind && m.forKey === meetingKey).sort((a, b) => b.date.localeCompare(a.date))[0];
  return (prep('beredning') ?? prep('beredningsgrupp') ?? meeting).date;
}

/** The day the kallelse (notice with the agenda) for a board meeting must go out. */
export function kallelseDeadline(meetingDate: IsoDate, kallelseDays: number): IsoDate {
  return previousWorkingDay(addDays(meetingDate, -kallelseDays));
}


/**
 * The day the secretary is reminded of a kallelse: `workingDaysBefore` Swedish working days
 * (weekends, public holidays and eves skipped) before the day it must go out, so that there is
 * time to put the agenda together; 0 = on that day.
 */
export function kallelseReminderDate(kallelseDate: IsoDate, workingDaysBefore = DEFAULT_KALLELSE_REMINDER_DAYS): IsoDate {
  if (!Number.isInteger(workingDaysBefore) || workingDaysBefore < 0) throw new Error(`kallelseReminderDate: workingDaysBefore must be a whole number from 0 (got ${workingDaysBefore})`);
  return addWorkingDays(previousWorkingDay(kallelseDate), -workingDaysBefore);
}

/**
 * The milestones of the year: only those the förbund asks for (a förbund that names none has
 * none), each with its owner and deadline. A known milestone given as `true` is placed by its
 * default (MILESTONE_DEFAULTS); one given as an object where the förbund says.
 */
export function yearMilestones(cycle: Cycle, meetings: PlannedMeeting[], year: number): PlannedMilestone[] {
  const boards = meetings.filter((m) => m.kind === 'styrelse');
  const out: PlannedMilestone[] = [];
  const fromMeeting = (kind: string, title: string, owner: string, meetingKey: string) =>
    out.push({ kind, title, owner, meetingKey, dueDate: preparationDeadline(meetings, meetingKey) });
  const configured = cycle.milestones;
  for (const [kind, d] of Object.entries(MILESTONE_DEFAULTS)) {
    if (configured[kind] !== true) continue;
    const inMonths = boards.filter((b) => d.months.includes(parseIsoDate(b.date).month));
    const board = d.noMeeting ? undefined : d.pick === 'first' ? inMonths[0] : inMonths[inMonths.length - 1];
    if (board) fromMeeting(kind, MILESTONE_TITLES[kind], d.owner, board.key);
    else out.push({ kind, title: MILESTONE_TITLES[kind], owner: d.owner, dueDate: previousWorkingDay(toIsoDate(year, d.deadlineMonth, daysInMonth(year, d.deadlineMonth))) });
  }
  for (const [kind, m] of Object.entries(configured)) {
    if (typeof m === 'boolean') continue;
    const title = m.title ?? MILESTONE_TITLES[kind] ?? kind;
    if (m.meeting) fromMeeting(kind, title, m.owner, m.meeting);
    else out.push({ kind, title, owner: m.owner, dueDate: m.due! });
  }
  return out.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.kind.localeCompare(b.kind));
}

export function buildYearPlan(file: ForbundFile, year = file.forbund.year) {
  const meetings = yearMeetings(file.cycle, year);
  return { meetings, milestones: yearMilestones(file.cycle, meetings, year) };
}

/**
 * The date rules of a cycle's meetings and planning days, by key. Stored with the förbund's
 * settings (the meetings table keeps dates only) so that next year's calendar follows them.
 */
export function meetingRules(cycle: Pick<Cycle, 'meetings' | 'planningDays'>): Record<string, DateRule> {
  return Object.fromEntries([...cycle.meetings, ...cycle.planningDays].flatMap((m) => (m.rule ? [[m.id, { ...m.rule }]] : [])));
}

/** The rules kept in stored cycle settings (JSON) under `meetingRules`; anything else is ignored. */
export function storedMeetingRules(cycleSettings: unknown): Record<string, DateRule> {
  const raw = (cycleSettings as { meetingRules?: unknown } | null)?.meetingRules;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  return Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).filter(([, r]) => {
      if (!r || typeof r !== 'object') return false;
      const x = r as Partial<DateRule>;
      return Number.isInteger(x.nth) && Number.isInteger(x.month) && typeof x.weekday === 'string';
    }) as [string, DateRule][],
  );
}

function ruleDate(rule: DateRule, year: number): IsoDate | undefined {
  try {
    return resolveDateRule(rule, year);
  } catch {
    return undefined;
  }
}

/**
 * Next year's calendar proposed from this year's: a meeting dated by a rule (its own `rule`,
 * else the one in `rules` under its key) gets the rule's date in the next year; any other
 * meeting (or one whose rule has no day in that year, e.g. a fifth Wednesday) the same weekday
 * near the same date.
 */
export function proposeNextYear(meetings: PlannedMeeting[], nextYear: number, rules: Readonly<Record<string, DateRule>> = {}): PlannedMeeting[] {
  return meetings
    .map((m) => {
      const rule = m.rule ?? rules[m.key];
      const date = rule ? ruleDate(rule, nextYear) : undefined;
      return rule && date ? { ...m, rule, date } : { ...m, date: shiftToYear(m.date, nextYear) };
    })
    .sort((a, b) => a.date.localeCompare(b.date) || a.key.localeCompare(b.key));
}
