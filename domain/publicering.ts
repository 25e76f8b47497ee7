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
//
// Reviewed before it is public (issue 21): a text can point out a person in ways no rule on the
// figures catches ("Anna från Kumla fick jobb", "en till studier"), so the förbundschef reviews each
// report before it is published (services/granskning.ts, the warnings of domain/granskning.ts):
// - What is published of a report is its latest *approved* version, with the reviewer's
//   redactions (publishedText: the narrative and the goals' comments as published; the submitted
//   text is kept untouched). A newer version waiting for review (or sent back) leaves the earlier
//   approved one public; a report with no approved version is not published at all.
// - Only once its period has ended (periodEnd < today, Stockholm): a quarterly report submitted on
//   6 December for the quarter ending 31 December is published from 1 January, even if approved
//   before. The day a report became public is the later of the day after its period and the
//   day it was approved (`published`).
// - "The latest report" of an ongoing project is chosen among the reports that have such a
//   publishable version; an ended project's final report likewise (else "slutrapport inte
//   inlämnad": the public cannot tell a report waiting for review from one not submitted, and
//   need not).
import { addDays, toStockholmDate, type IsoDate } from './dates.js';
import { REPORT_NAMES, type ReportKind } from './rapportering.js';
import { FIGURE_FIELDS, LEGACY_FIELD, publicFigures, readFigures, type FigureField, type FigureRows, type ShownFigures } from './rapportuppgifter.js';

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
    submissions: ReviewedSubmission[];
  }[];
}

export type ReviewStatus = 'pending' | 'approved' | 'returned';

/** One stored version with its review (services/granskning.ts). */
export interface ReviewedSubmission {
  version: number;
  submittedAt: Date;
  figures: unknown;
  narrative: string;
  reviewStatus: ReviewStatus;
  reviewedAt?: Date | null;
  /** The text as published ({ narrative, comments: per goal, null = as submitted }); null: as submitted. */
  publishedText?: unknown;
}

/** The reviewer's redactions, read from the stored JSON: the narrative and each goal's comment as published (null: as submitted). */
export interface PublishedText {
  narrative: string;
  comments: (string | null)[];
}

/** The stored publishedText as a PublishedText; undefined when none (published as submitted) or not of that shape. */
export function readPublishedText(stored: unknown): PublishedText | undefined {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return undefined;
  const x = stored as { narrative?: unknown; comments?: unknown };
  if (typeof x.narrative !== 'string') return undefined;
  const comments = Array.isArray(x.comments) ? x.comments.map((c) => (typeof c === 'string' ? c : null)) : [];
  return { narrative: x.narrative, comments };
}

/** A version's text as published: the narrative and the goals' comments, with the reviewer's redactions applied. */
export function publishedVersionText(s: { narrative: string; figures: unknown; publishedText?: unknown }): { narrative: string; figures: FigureRows } {
  const rows = readFigures(s.figures);
  const t = readPublishedText(s.publishedText);
  if (!t) return { narrative: s.narrative, figures: rows };
  const goals = rows.goals.map((g, i) => {
    const c = t.comments[i];
    if (c === null || c === undefined) return g;
    const rest = { ...g };
    delete rest.comment;
    return c.trim() ? { ...rest, comment: c.trim() } : rest;
  });
  return { narrative: t.narrative, figures: { ...rows, goals } };
}

/**
 * The version of a report that is public today: its latest approved version, once the report's
 * period has ended; undefined when none. `publishedOn`: the day it became (or becomes) public.
 */
export function publishableVersion<S extends ReviewedSubmission>(o: { periodEnd: IsoDate; submissions: S[] }, today: IsoDate): { version: S; publishedOn: IsoDate } | undefined {
  const approved = approvedVersion(o);
  if (!approved) return undefined;
  const publishedOn = publishedOnOf(o.periodEnd, approved);
  return publishedOn <= today ? { version: approved, publishedOn } : undefined;
}

/** The latest approved version of a report, whether or not its period has ended. */
export function approvedVersion<S extends ReviewedSubmission>(o: { submissions: S[] }): S | undefined {
  return [...o.submissions].filter((s) => s.reviewStatus === 'approved').sort((a, b) => b.version - a.version)[0];
}

/** The first day a report's text can be public: the day after its period ends (the coordinator's form and receipt say it). */
export const publicFromDay = (periodEnd: IsoDate): IsoDate => addDays(periodEnd, 1);

/** The first day an approved version is public: the day after its period ends, or the day it was approved if later. */
export function publishedOnOf(periodEnd: IsoDate, approved: { reviewedAt?: Date | null; submittedAt: Date }): IsoDate {
  const after = addDays(periodEnd, 1);
  const reviewed = toStockholmDate(approved.reviewedAt ?? approved.submittedAt);
  return reviewed > after ? reviewed : after;
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
  /** The version shown (its latest approved one). */
  version: number;
  /** The day it became public: the day after its period, or the day it was approved if later. */
  published: IsoDate;
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
    // Only reports with a version that is public today: approved, and the period over.
    const submitted = p.obligations.flatMap((o) => {
      const shown = PUBLISHED_KINDS.includes(o.kind) ? publishableVersion(o, today) : undefined;
      return shown ? [{ o, ...shown }] : [];
    });
    const base = { key: p.key, name: p.name, huvudman: p.huvudman, start: p.start, end: p.end, stage };
    if (stage === 'ongoing') {
      const latest = [...submitted].sort((a, b) => b.o.periodEnd.localeCompare(a.o.periodEnd) || periodDays(b.o) - periodDays(a.o))[0];
      const owesAny = p.obligations.some((o) => PUBLISHED_KINDS.includes(o.kind));
      out.push(latest ? { ...base, report: publicReport(latest) } : { ...base, noReport: owesAny ? 'none-submitted' : 'none-owed' });
    } else {
      const final = submitted.find((x) => x.o.kind === 'final');
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

/** A report as the public sees it: the version the rule shows (with its redactions), figures by the known fields only. */
function publicReport(x: { o: ProjectReports['obligations'][number]; version: ReviewedSubmission; publishedOn: IsoDate }): PublicReport {
  const { o, version: shown } = x;
  const first = [...o.submissions].sort((a, b) => a.version - b.version)[0];
  const text = publishedVersionText(shown);
  const rows = publicFigures(text.figures);
  const totals: PublicFigure[] = rows.participants.flatMap((r) => (typeof r.total === 'number' ? [{ field: LEGACY_FIELD[r.row], label: r.label, value: r.total }] : []));
  return {
    kind: o.kind,
    kindName: REPORT_NAMES[o.kind],
    periodStart: o.periodStart,
    periodEnd: o.periodEnd,
    submitted: toStockholmDate(first.submittedAt),
    ...(shown !== first ? { corrected: toStockholmDate(shown.submittedAt) } : {}),
    version: shown.version,
    published: x.publishedOn,
    figures: [...totals, ...(rows.costsToDate !== undefined ? [{ field: 'costsToDate' as const, label: FIGURE_FIELDS.costsToDate, value: rows.costsToDate }] : [])],
    shown: rows,
    narrative: text.narrative,
  };
}
