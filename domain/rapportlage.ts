// "Rapportläge för insatserna": the reports escalated and still missing reach the board as one
// compiled item of the next meeting's föredragningslista (and the beredning's underlag), by project
// and period, not as a matter with a Dnr of their own. A registrator's diarium holds applications,
// decisions, incoming reports, budget, deficit and policy; a report that has not come in is
// nothing to register, it is a state the board is told of.
import { svPeriod, svDate, REPORT_TEXT } from './texts.js';
import type { IsoDate } from './dates.js';
import type { AgendaEntry } from './dagordning.js';
import type { ReportKind } from './rapportering.js';

export const REPORT_STATUS_TITLE = 'Rapportläge för insatserna';

/** What the board is asked to do with the item: take note (the official's report on the projects). */
export const REPORT_STATUS_PROPOSAL = 'Styrelsen tar del av rapportläget.';

export interface OverdueReport {
  project: string;
  kind: ReportKind;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  dueDate: IsoDate;
}

/** The item's content as fixed on the agenda: per project (Swedish order), its missing reports by period. */
export interface ReportStatus {
  projects: { project: string; reports: { kind: ReportKind; periodStart: IsoDate; periodEnd: IsoDate; dueDate: IsoDate }[] }[];
}

const swedish = new Intl.Collator('sv');

export function reportStatus(overdue: OverdueReport[]): ReportStatus {
  const byProject = new Map<string, OverdueReport[]>();
  for (const r of overdue) byProject.set(r.project, [...(byProject.get(r.project) ?? []), r]);
  return {
    projects: [...byProject.entries()]
      .sort(([a], [b]) => swedish.compare(a, b))
      .map(([project, rs]) => ({
        project,
        reports: [...rs].sort((a, b) => a.periodEnd.localeCompare(b.periodEnd) || a.kind.localeCompare(b.kind)).map(({ kind, periodStart, periodEnd, dueDate }) => ({ kind, periodStart, periodEnd, dueDate })),
      })),
  };
}

/** The item as read in the kallelse, the underlag and the protokoll: one line per missing report. */
export function reportStatusLines(s: ReportStatus): string[] {
  return s.projects.flatMap((p) => p.reports.map((r) => `${p.project}: ${REPORT_TEXT[r.kind].name} ${svPeriod(r.periodStart, r.periodEnd)}, skulle ha lämnats ${svDate(r.dueDate)}`));
}

/**
 * The agenda with the compiled item where it belongs (after the official's report, before the
 * matters) when there is something to report, and without it when there is nothing.
 */
export function withReportStatus(items: AgendaEntry[], present: boolean): AgendaEntry[] {
  const rest = items.filter((i) => i.kind !== 'report_status');
  if (!present) return rest;
  const existing = items.find((i) => i.kind === 'report_status');
  const item: AgendaEntry = existing ?? { kind: 'report_status', title: REPORT_STATUS_TITLE, proposal: REPORT_STATUS_PROPOSAL };
  const after = rest.findIndex((i) => i.kind === 'official_report');
  const firstMatter = rest.findIndex((i) => i.kind === 'matter' || i.kind === 'other' || i.kind === 'other_questions' || i.kind === 'closing');
  const at = after >= 0 ? after + 1 : firstMatter >= 0 ? firstMatter : rest.length;
  return [...rest.slice(0, at), item, ...rest.slice(at)];
}
