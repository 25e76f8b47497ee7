// The förbundschef's review of a coordinator's report before it is published (issue 21; the rule
// in domain/publicering.ts, the warnings in domain/granskning.ts). Every version is submitted
// `pending`; the official (API role admin) approves it (as submitted, or with the narrative and
// goal comments redacted: the submitted text is kept untouched, the published one stored beside
// it) or sends it back with a reason, which the project's workflow mails to the coordinator (the
// step `returned:<submission>` of its plan, services/rapportering.ts); the coordinator's
// correction is a new version, pending again.
//
// Checked in one transaction with the report's row locked (SELECT … FOR UPDATE), so of two
// reviewers one decides and the other is told: only the latest version may be reviewed, only
// while pending, and only by one who read it (the version named is the latest, else 409). The
// same decision sent again (a double click, a retry) changes nothing and records, audits and
// mails nothing more.
import { REPORT_NAMES } from '../domain/rapportering.js';
import type { IsoDate } from '../domain/dates.js';
import { checkReview, reviewWarnings, type CheckedReview, type ReviewDecision, type ReviewWarning } from '../domain/granskning.js';
import { approvedVersion, publishableVersion, publishedOnOf, readPublishedText, type PublishedText, type ReviewStatus } from '../domain/publicering.js';
import { readFigures } from '../domain/rapportuppgifter.js';
import { Prisma, type PrismaClient } from '../prisma/db.js';
import { audit } from './audit.js';
import type { WorkflowNotifier } from './notifier.js';
import { isoDay } from './rapportering.js';
import { invalid, missing, Refusal } from './refusal.js';

/** The most versions a coordinator may submit of one report (api/rapportering.ts MAX_VERSIONS). */
const MAX_VERSIONS = 5;

export { returnedKey } from './rapportering.js';

export interface ReviewDeps {
  prisma: PrismaClient;
  notifier: WorkflowNotifier;
  now: () => Date;
}

/** One version's review as the pages and the API show it. */
export interface VersionReview {
  id: string;
  version: number;
  submittedAt: Date;
  status: ReviewStatus;
  reviewedAt: Date | null;
  reviewedBy: string | null;
  returnReason: string | null;
  /** The text as published, when the reviewer redacted it; undefined: published as submitted. */
  publishedText?: PublishedText;
}

/** Where a report stands in its review: the latest version, its warnings, which version is public and from when. */
export interface ReportReview {
  obligationId: string;
  projectId: string;
  projectName: string;
  kind: string;
  kindName: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  /** The goals' texts, in order (a comment per goal). */
  goals: string[];
  latest?: VersionReview & { narrative: string; comments: (string | null)[] };
  /** The warnings of the latest version's submitted text. */
  warnings: ReviewWarning[];
  /** Whether the latest version waits for review. */
  reviewable: boolean;
  /** The latest approved version: the one that is (or becomes) public, from `publishedOn`. */
  approved?: { version: number; publishedOn: IsoDate; publicNow: boolean };
  versions: VersionReview[];
}

const versionReview = (s: { id: string; version: number; submittedAt: Date; reviewStatus: ReviewStatus; reviewedAt: Date | null; reviewedBy: string | null; returnReason: string | null; publishedText: unknown }): VersionReview => {
  const t = readPublishedText(s.publishedText);
  return { id: s.id, version: s.version, submittedAt: s.submittedAt, status: s.reviewStatus, reviewedAt: s.reviewedAt, reviewedBy: s.reviewedBy, returnReason: s.returnReason, ...(t ? { publishedText: t } : {}) };
};

/** The comments of a version's goals as submitted (null: none), one per goal of the project. */
export function commentsOf(figures: unknown, goals: number): (string | null)[] {
  const rows = readFigures(figures).goals;
  return Array.from({ length: goals }, (_, i) => rows[i]?.comment ?? null);
}

/** A report's review (404 when it is not the förbund's). */
export async function reportReview(prisma: PrismaClient, a: { forbundId: string; obligationId: string; today: IsoDate }): Promise<ReportReview> {
  const o = await prisma.reportingObligation.findFirst({
    where: { id: a.obligationId, project: { forbundId: a.forbundId } },
    include: { project: { select: { id: true, name: true, goals: true } }, submissions: { orderBy: { version: 'desc' } } },
  });
  if (!o) throw missing(`report "${a.obligationId}"`, 'Rapporten finns inte.');
  const members = await prisma.member.findMany({ where: { forbundId: a.forbundId }, select: { name: true } });
  const [latest] = o.submissions;
  const periodEnd = isoDay(o.periodEnd);
  const approved = approvedVersion({ submissions: o.submissions });
  const goals = Math.max(o.project.goals.length, latest ? readFigures(latest.figures).goals.length : 0);
  const comments = latest ? commentsOf(latest.figures, goals) : [];
  return {
    obligationId: o.id,
    projectId: o.project.id,
    projectName: o.project.name,
    kind: o.kind,
    kindName: REPORT_NAMES[o.kind],
    periodStart: isoDay(o.periodStart),
    periodEnd,
    goals: Array.from({ length: goals }, (_, i) => o.project.goals[i] ?? readFigures(latest?.figures).goals[i]?.goal ?? ''),
    ...(latest ? { latest: { ...versionReview(latest), narrative: latest.narrative, comments } } : {}),
    warnings: latest ? reviewWarnings({ narrative: latest.narrative, comments }, { memberNames: members.map((m) => m.name) }) : [],
    reviewable: latest?.reviewStatus === 'pending',
    ...(approved
      ? { approved: { version: approved.version, publishedOn: publishedOnOf(periodEnd, approved), publicNow: !!publishableVersion({ periodEnd, submissions: o.submissions }, a.today) } }
      : {}),
    versions: o.submissions.map(versionReview),
  };
}

export interface ReviewInput {
  forbundId: string;
  obligationId: string;
  /** The version the reviewer read. */
  version: number;
  decision: ReviewDecision;
  narrative?: string;
  comments?: (string | null)[];
  reason?: string;
  /** Who decides, for the audit trail (api/auth.ts actor). */
  actor: string;
  /** The reviewer's name, stored on the version. */
  reviewerName: string;
}

export interface ReviewResult {
  submissionId: string;
  version: number;
  status: ReviewStatus;
  /** false: the same decision was already recorded (nothing done again). */
  changed: boolean;
  /** For a return: whether the project's workflow was told (the mail goes when it is). */
  workflowNotified?: boolean;
}

/** Whether two published texts are the same (a stored one's keys come back in JSONB's order). */
const sameText = (stored: unknown, given: PublishedText | undefined) => {
  const a = readPublishedText(stored);
  return !a || !given ? !a && !given : a.narrative === given.narrative && JSON.stringify(a.comments) === JSON.stringify(given.comments);
};

/** Why a version cannot be reviewed, in both languages, with what is current (the API's error.current). */
export class StaleReview extends Refusal {
  constructor(message: string, sv: string, readonly current: { version: number; status: ReviewStatus }) {
    super(409, message, sv, [{ field: 'version', problem: message, sv }]);
  }
}

/**
 * Approves or sends back the latest version of a report. 400 naming the field (a return without a
 * reason, a redaction that is empty or too long), 404 for a report not of the förbund or not
 * submitted, 409 when the version named is not the latest (a correction came in since) or is
 * already reviewed otherwise. Nothing is changed on a refusal.
 */
export async function reviewReport(deps: ReviewDeps, a: ReviewInput): Promise<ReviewResult> {
  const { prisma } = deps;
  const o = await prisma.reportingObligation.findFirst({ where: { id: a.obligationId, project: { forbundId: a.forbundId } }, include: { project: { select: { id: true, status: true, goals: true } } } });
  if (!o) throw missing(`report "${a.obligationId}"`, 'Rapporten finns inte.');
  const outcome = await prisma.$transaction(async (tx) => {
    // One reviewer at a time per report; a coordinator's correction (a new version) waits too.
    await tx.$queryRaw`SELECT "id" FROM "ReportingObligation" WHERE "id" = ${o.id} FOR UPDATE`;
    const latest = await tx.submission.findFirst({ where: { obligationId: o.id }, orderBy: { version: 'desc' } });
    if (!latest) throw missing(`submitted version of report "${o.id}"`, 'Rapporten har inte lämnats in, så det finns inget att granska.');
    if (a.version !== latest.version) {
      throw new StaleReview(
        `version ${a.version} is not the latest version of the report; version ${latest.version} is (${latest.reviewStatus}): read it again`,
        a.version < latest.version
          ? `Samordnaren har lämnat in en ny version (version ${latest.version}) sedan du läste rapporten. Läs den nya versionen och granska den i stället.`
          : `Rapporten har ingen version ${a.version}; den senaste är version ${latest.version}.`,
        { version: latest.version, status: latest.reviewStatus },
      );
    }
    const goals = Math.max(o.project.goals.length, readFigures(latest.figures).goals.length);
    const checked = checkReview({ version: a.version, decision: a.decision, narrative: a.narrative, comments: a.comments, reason: a.reason }, { narrative: latest.narrative, comments: commentsOf(latest.figures, goals) });
    if (!checked.ok) throw invalid(checked.errors.map((e) => ({ field: e.field, problem: e.problem, sv: e.sv })));
    const v: CheckedReview = checked.value;
    if (latest.reviewStatus !== 'pending') {
      // The same decision again: done already, nothing more (no second audit event or mail).
      const again = v.decision === 'approve' ? latest.reviewStatus === 'approved' && sameText(latest.publishedText, v.publishedText) : latest.reviewStatus === 'returned' && latest.returnReason === v.reason;
      if (again) return { s: latest, changed: false };
      throw new StaleReview(
        `version ${latest.version} is already ${latest.reviewStatus}${latest.reviewedBy ? ` by ${latest.reviewedBy}` : ''}`,
        latest.reviewStatus === 'approved'
          ? `Version ${latest.version} är redan godkänd för publicering${latest.reviewedBy ? ` av ${latest.reviewedBy}` : ''}. En ny granskning görs när samordnaren lämnar in en rättelse.`
          : `Version ${latest.version} är redan skickad tillbaka till samordnaren${latest.reviewedBy ? ` av ${latest.reviewedBy}` : ''}. En ny granskning görs när rättelsen kommer in.`,
        { version: latest.version, status: latest.reviewStatus },
      );
    }
    if (v.decision === 'return') {
      if (o.status === 'withdrawn' || o.project.status === 'withdrawn') throw new Refusal(409, 'the project is withdrawn; no correction can be asked for', 'Insatsen är återkallad, så ingen rättelse kan begäras.', [{ field: 'decision', problem: 'project withdrawn', sv: 'Insatsen är återkallad.' }]);
      if (latest.version >= MAX_VERSIONS) throw new Refusal(409, `the report has ${MAX_VERSIONS} versions, the most a coordinator may submit; approve it with redactions instead`, `Rapporten har redan ${MAX_VERSIONS} versioner, det högsta antalet, så samordnaren kan inte rätta den igen. Godkänn den i stället med de ändringar som behövs i texten.`, [{ field: 'decision', problem: `at most ${MAX_VERSIONS} versions`, sv: 'Rapporten kan inte rättas fler gånger.' }]);
    }
    const now = deps.now();
    const s = await tx.submission.update({
      where: { id: latest.id },
      data:
        v.decision === 'approve'
          ? { reviewStatus: 'approved', reviewedAt: now, reviewedBy: a.reviewerName, publishedText: v.publishedText ? (v.publishedText as unknown as Prisma.InputJsonObject) : Prisma.DbNull, returnReason: null }
          : { reviewStatus: 'returned', reviewedAt: now, reviewedBy: a.reviewerName, returnReason: v.reason, publishedText: Prisma.DbNull },
    });
    // Sent back: the coordinator corrects it through the link, also if the official had locked it.
    const unlocked = v.decision === 'return' && !!o.lockedAt;
    if (unlocked) await tx.reportingObligation.update({ where: { id: o.id }, data: { lockedAt: null } });
    await audit(tx, {
      forbundId: a.forbundId,
      actor: a.actor,
      action: v.decision === 'approve' ? (v.publishedText ? 'report.approved_redacted' : 'report.approved') : 'report.returned',
      entityType: 'obligation',
      entityId: o.id,
      data:
        v.decision === 'approve'
          ? {
              submissionId: latest.id,
              version: latest.version,
              publishedFrom: publishedOnOf(isoDay(o.periodEnd), { reviewedAt: now, submittedAt: latest.submittedAt }),
              ...(v.publishedText ? { submitted: { narrative: latest.narrative, comments: commentsOf(latest.figures, goals) }, published: v.publishedText } : {}),
            }
          : { submissionId: latest.id, version: latest.version, reason: v.reason, ...(unlocked ? { unlocked: true } : {}) },
    });
    return { s, changed: true };
  });
  const result: ReviewResult = { submissionId: outcome.s.id, version: outcome.s.version, status: outcome.s.reviewStatus, changed: outcome.changed };
  // Sent back: the project's workflow re-reads its plan and mails the coordinator (once, by its key).
  if (outcome.s.reviewStatus === 'returned') result.workflowNotified = outcome.changed ? await deps.notifier.reportingChanged(o.project.id, 'report returned for correction') : true;
  return result;
}
