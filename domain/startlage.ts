// "Läget vid start": what was open when a förbund began using Årscykel. A report or milestone
// still open whose due date lies before the day Årscykel acts on it from (domain/rapportering.ts
// plannedFrom: the go-live, or the day a report was added if later) predates the product: nobody
// was reminded of it, so it is not overdue work and not a pending step. It is listed once for the
// official, who settles it: handled outside Årscykel, a new due date (from then on an ordinary
// report or milestone, reminded as any), or still wanted (kept open: a pending step that waits,
// never overdue). Plain rules, no database.
import { isIsoDate, type IsoDate } from './dates.js';
import type { PendingStep } from './pending.js';
import { svDate } from './texts.js';

export type StartItemType = 'report' | 'milestone';
export const START_ITEM_TYPES: readonly StartItemType[] = ['report', 'milestone'];

/** What the official does with the checked items: handled outside Årscykel, a new due date, still wanted. */
export const START_ACTIONS = ['handled', 'redate', 'wanted'] as const;
export type StartAction = (typeof START_ACTIONS)[number];

export interface StartFacts {
  /** open, submitted, withdrawn, handled (reports); open, done (milestones). */
  status: string;
  dueDate: IsoDate;
  /** The first due date Årscykel acts on for this item (plannedFrom); absent: no go-live known, everything is acted on. */
  plannedFrom?: IsoDate | null;
  /** Set when the official kept it open ("still wanted"). */
  startSettledAt?: Date | string | null;
}

/**
 * Where an item stands:
 * - `closed`: not open (submitted, withdrawn, handled outside Årscykel, done): nothing waits.
 * - `planned`: open and due on or after the day Årscykel acts from: an ordinary pending step
 *   (reminded, overdue when late).
 * - `start`: open, due before that day and not settled: on "Läget vid start", not a pending step.
 * - `wanted`: open, due before that day, kept open by the official: a pending step that waits,
 *   never overdue ("Väntas sedan före start").
 */
export type StartState = 'closed' | 'planned' | 'start' | 'wanted';

export function startState(x: StartFacts): StartState {
  if (x.status !== 'open') return 'closed';
  if (!x.plannedFrom || x.dueDate >= x.plannedFrom) return 'planned';
  return x.startSettledAt ? 'wanted' : 'start';
}

/** Whether the item is on "Läget vid start" now. */
export const onStartList = (x: StartFacts): boolean => startState(x) === 'start';

/**
 * A pending step as the start list leaves it: none for an item on the list (or closed), one that
 * is never overdue for an item kept open ("still wanted"), the step itself otherwise.
 */
export function startAwareStep(step: PendingStep, state: StartState): PendingStep | undefined {
  if (state === 'start' || state === 'closed') return undefined;
  if (state === 'wanted') return { ...step, overdue: false, daysOverdue: 0 };
  return step;
}

export interface RedateProblem {
  problem: string;
  sv: string;
}

/**
 * Why `dueDate` cannot be an item's new due date, or undefined: a real date, today or later (a
 * date already past would put the item straight back among the overdue), and for a report not
 * before its period ends (the rule of services/obligations.ts redateObligation).
 */
export function startRedateProblem(item: { type: StartItemType; periodEnd?: IsoDate }, dueDate: unknown, today: IsoDate): RedateProblem | undefined {
  if (!isIsoDate(dueDate)) return { problem: 'must be a date YYYY-MM-DD', sv: 'Ange ett datum som finns, till exempel 2026-05-15.' };
  if (dueDate < today) return { problem: `must be today (${today}) or later`, sv: 'Den nya sista dagen kan inte ligga före i dag.' };
  if (item.type === 'report' && item.periodEnd && dueDate < item.periodEnd) {
    return { problem: `must not be before the period ends (${item.periodEnd})`, sv: `Sista dag kan inte ligga före periodens slut, ${svDate(item.periodEnd)}.` };
  }
  return undefined;
}

export interface StartListItem {
  type: StartItemType;
  id: string;
  dueDate: IsoDate;
  /** Reports: the project they are owed by. */
  project?: { id: string; name: string };
  title: string;
}

export interface StartGroup<T extends StartListItem> {
  /** 'project:<id>' or 'milestones'. */
  id: string;
  heading: string;
  items: T[];
}

const swedish = new Intl.Collator('sv');

/**
 * The list as the official reads it: one group per project (by name, Swedish order) with its
 * reports by due date, then the milestones by due date.
 */
export function startGroups<T extends StartListItem>(items: T[]): StartGroup<T>[] {
  const byDue = (a: T, b: T) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : swedish.compare(a.title, b.title));
  const projects = new Map<string, StartGroup<T>>();
  for (const x of items.filter((i) => i.type === 'report' && i.project)) {
    const g = projects.get(x.project!.id) ?? { id: `project:${x.project!.id}`, heading: x.project!.name, items: [] };
    g.items.push(x);
    projects.set(x.project!.id, g);
  }
  const groups = [...projects.values()].sort((a, b) => swedish.compare(a.heading, b.heading));
  for (const g of groups) g.items.sort(byDue);
  const milestones = items.filter((i) => i.type === 'milestone').sort(byDue);
  return [...groups, ...(milestones.length ? [{ id: 'milestones', heading: 'Moment i årscykeln', items: milestones }] : [])];
}
