// The official's pending steps: what waits on whom, due when, overdue first.
import { daysBetween, type IsoDate } from './dates.js';

export interface PendingStep {
  type: 'report' | 'review' | 'milestone' | 'preparation' | 'calendar' | 'delivery' | 'matter' | 'quorum' | 'minutes' | 'justering' | 'follow-up' | 'actuals' | 'audit-report' | 'discharge' | 'samrad';
  id: string;
  title: string;
  waitingOn: { role: string; name: string | null; email: string | null };
  dueDate: IsoDate;
  overdue: boolean;
  daysOverdue: number;
  escalated: boolean;
  links: Record<string, string>;
}

export function pendingStep(base: Omit<PendingStep, 'overdue' | 'daysOverdue'>, today: IsoDate): PendingStep {
  const daysOverdue = Math.max(0, daysBetween(base.dueDate, today));
  return { ...base, overdue: daysOverdue > 0, daysOverdue };
}

const swedish = new Intl.Collator('sv');

/**
 * Overdue first, then by due date (so the longest overdue first: all are counted to the same
 * day), then by title (Swedish order).
 */
export function sortPending(steps: PendingStep[]): PendingStep[] {
  return [...steps].sort(
    (a, b) => Number(b.overdue) - Number(a.overdue) || (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0) || swedish.compare(a.title, b.title),
  );
}
