// What of the projects' reports is public: the publication rule of Samordningsförbundet Sydnärke,
// verksamhetsplan 2016 (seed 001, "Spridning och påverkan via förbundets hemsida"):
//
//   "När det gäller rapporter är det den senaste som läggs ut på hemsidan. När aktiviteten eller
//    projektet är avslutat publiceras endast slutrapporten."
//
// So: for a project that is under way, its latest report; once it has ended, only its final
// report. Pure: the caller gives the projects, their reports and today's Stockholm date.
//
// Where the rule is silent, decided here:
// - "Ongoing" is a project that has started (start ≤ today), has not ended (end ≥ today: its last
//   day still counts) and is not withdrawn. "Ended" is one whose last day has passed.
// - A withdrawn project is not listed at all: the board stopped it, so it neither goes on nor
//   ended with a final report, and the rule publishes nothing for it. Nothing is public that the
//   rule does not make public.
// - A project that has not started yet is not listed: it has no report, and a project decided
//   but not begun may still not start (seed 003: "Om beslutet är negativt kommer projektet inte
//   att starta.").
// - "The latest" report is the one of the latest period (the latest period end); of two ending
//   on the same day (the fourth quarter and the full year) the one covering the longer period,
//   the fuller account. Of a report its latest version: a correction replaces the earlier text,
//   which is never shown.
// - The financial report (ekonomisk redovisning) is not one of the reports put on the website:
//   the plan names the reports "kvartalsvisa, delårsvisa eller i form av slutredovisning" (and
//   the full-year report to the board in February), and sends the financial report to the board
//   as an item of its own ("Ekonomisk redovisning av projekt", April and October); as "the
//   latest" it would also displace the account of the work that the public reads.
//   PUBLISHED_KINDS lists the kinds that are published.
// - An ongoing project without any submitted report is listed, saying so (or that it owes no
//   report that is published, like Sydnärke's own activities); an ended project without a
//   submitted final report is listed saying "slutrapport inte inlämnad" (or, when it owes no
//   final report at all, that it owes none), and nothing else of it is shown.
// - Only the aggregate figures and the text are public, and the dates of the report; never who
//   submitted it, whether it was late, or any id that opens it.
// - Counts of participants by women and men are shown with statistical disclosure control
//   (publicFigures in rapportering.ts): a count of 1 or 2 is shown as "färre än 3", and then the
//   other gender's count of the row is hidden, so it cannot be found from the total. A project has
//   few participants, and "2 women went to work this quarter" can point out a person to anyone
//   who knows the project. The official sees the full figures; the public never does.
import { toStockholmDate, type IsoDate } from './dates.js';
import { REPORT_NAMES, type ReportKind } from './rapportering.js';
import { FIGURE_FIELDS, LEGACY_FIELD, publicFigures, readFigures, type FigureField, type ShownFigures } from './rapportuppgifter.js';

/** The report kinds published on the website (see above for the financial report). */
export const PUBLISHED_KINDS: readonly ReportKind[] = ['quarterly', 'halfYear', 'annual', 'final'];

export interface ProjectReports {
  key: string;
  name: string;
  huvudman: string;
  status: 'active' | 'withdrawn';
  start: IsoDate;
  end: IsoDate;
  obligations: {
    kind: ReportKind;
    periodStart: IsoDate;
    periodEnd: IsoDate;
    /** Every stored version of the report (none: not submitted). */
    submissions: { version: number; submittedAt: Date; figures: unknown; narrative: string }[];
  }[];
}

export interface PublicFigure {
  field: FigureField;
  label: string;
  value: number;
}

export interface PublicReport {
  kind: ReportKind;
  /** 'kvartalsrapport', 'slutrapport' … */
  kindName: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  /** Stockholm date of the first version. */
  submitted: IsoDate;
  /** Stockholm date of the version shown, when it is a correction. */
  corrected?: IsoDate;
  /** The totals (and the costs) given, in the order of FIGURE_FIELDS; a total of 1 or 2 is left out (see `shown`). */
  figures: PublicFigure[];
  /** The figures as the public sees them: participants by women and men, costs, the goals' outcomes; small counts suppressed. */
  shown: ShownFigures;
  narrative: string;
}

export type PublicStage = 'ongoing' | 'ended';

/** Why a listed project shows no report. */
export type NoReport = 'none-submitted' | 'none-owed' | 'final-not-submitted' | 'no-final-owed';

export interface PublicProject {
  key: string;
  name: string;
  huvudman: string;
  start: IsoDate;
  end: IsoDate;
  stage: PublicStage;
  report?: PublicReport;
  noReport?: NoReport;
}

/** Where a project stands today; undefined: not listed (withdrawn or not started). */
export function publicStage(p: Pick<ProjectReports, 'status' | 'start' | 'end'>, today: IsoDate): PublicStage | undefined {
  if (p.status === 'withdrawn' || p.start > today) return undefined;
  return p.end < today ? 'ended' : 'ongoing';
}

const periodDays = (o: { periodStart: IsoDate; periodEnd: IsoDate }) => Date.parse(o.periodEnd) - Date.parse(o.periodStart);

/**
 * What is public of a förbund's projects today: ongoing projects first (by name), then ended
 * ones (the most recently ended first), each with the report the rule publishes.
 */
export function publicReports(projects: ProjectReports[], today: IsoDate): PublicProject[] {
  const out: PublicProject[] = [];
  for (const p of projects) {
    const stage = publicStage(p, today);
    if (!stage) continue;
    const submitted = p.obligations.filter((o) => PUBLISHED_KINDS.includes(o.kind) && o.submissions.length > 0);
    const base = { key: p.key, name: p.name, huvudman: p.huvudman, start: p.start, end: p.end, stage };
    if (stage === 'ongoing') {
      const latest = [...submitted].sort((a, b) => b.periodEnd.localeCompare(a.periodEnd) || periodDays(b) - periodDays(a))[0];
      const owesAny = p.obligations.some((o) => PUBLISHED_KINDS.includes(o.kind));
      out.push(latest ? { ...base, report: publicReport(latest) } : { ...base, noReport: owesAny ? 'none-submitted' : 'none-owed' });
    } else {
      const final = submitted.find((o) => o.kind === 'final');
      const owesFinal = p.obligations.some((o) => o.kind === 'final');
      out.push(final ? { ...base, report: publicReport(final) } : { ...base, noReport: owesFinal ? 'final-not-submitted' : 'no-final-owed' });
    }
  }
  const sv = new Intl.Collator('sv');
  return out.sort((a, b) => {
    if (a.stage !== b.stage) return a.stage === 'ongoing' ? -1 : 1;
    if (a.stage === 'ended' && a.end !== b.end) return b.end.localeCompare(a.end);
    return sv.compare(a.name, b.name) || a.key.localeCompare(b.key);
  });
}

/** A submitted report as the public sees it: its latest version, figures by the known fields only. */
function publicReport(o: ProjectReports['obligations'][number]): PublicReport {
  const versions = [...o.submissions].sort((a, b) => a.version - b.version);
  const first = versions[0];
  const shown = versions[versions.length - 1];
  const rows = publicFigures(readFigures(shown.figures));
  const totals: PublicFigure[] = rows.participants.flatMap((r) => (typeof r.total === 'number' ? [{ field: LEGACY_FIELD[r.row], label: r.label, value: r.total }] : []));
  return {
    kind: o.kind,
    kindName: REPORT_NAMES[o.kind],
    periodStart: o.periodStart,
    periodEnd: o.periodEnd,
    submitted: toStockholmDate(first.submittedAt),
    ...(shown !== first ? { corrected: toStockholmDate(shown.submittedAt) } : {}),
    figures: [...totals, ...(rows.costsToDate !== undefined ? [{ field: 'costsToDate' as const, label: FIGURE_FIELDS.costsToDate, value: rows.costsToDate }] : [])],
    shown: rows,
    narrative: shown.narrative,
  };
}
