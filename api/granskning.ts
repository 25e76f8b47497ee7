// The förbundschef's review of a report before it is published (services/granskning.ts), in the
// admin API: the latest version with its warnings and review state, and the decision (approve,
// approve with redactions, send back with a reason). Ids are the report obligation's, as in
// GET obligations/:id/submissions. Mounted on the förbund router by api/rapportering.ts.
import { Router, type Request } from 'express';
import { toStockholmDate } from '../domain/dates.js';
import { MAX_PUBLISHED_COMMENT, MAX_PUBLISHED_NARRATIVE, MAX_REASON, type ReviewDecision } from '../domain/granskning.js';
import { reportReview, reviewReport, StaleReview, type ReportReview, type VersionReview } from '../services/granskning.js';
import { Refusal } from '../services/refusal.js';
import { actor } from './auth.js';
import { declare } from './declare.js';
import type { ApiDeps } from './deps.js';
import { HttpError } from './errors.js';
import { httpOf } from './refusal.js';

const versionJson = (v: VersionReview) => ({
  id: v.id,
  version: v.version,
  submittedAt: v.submittedAt.toISOString(),
  reviewStatus: v.status,
  reviewedAt: v.reviewedAt?.toISOString() ?? null,
  reviewedBy: v.reviewedBy,
  returnReason: v.returnReason,
  publishedText: v.publishedText ?? null,
});

/** A report's review as the API answers it. */
export function reviewJson(r: ReportReview) {
  return {
    obligationId: r.obligationId,
    project: r.projectName,
    kind: r.kind,
    kindName: r.kindName,
    period: { start: r.periodStart, end: r.periodEnd },
    goals: r.goals,
    latest: r.latest ? { ...versionJson(r.latest), narrative: r.latest.narrative, comments: r.latest.comments } : null,
    warnings: r.warnings.map((w) => ({ kind: w.kind, text: w.text, where: w.where, sv: w.sv })),
    reviewable: r.reviewable,
    approved: r.approved ?? null,
    versions: r.versions.map(versionJson),
  };
}

/** A refusal as the API's error; a stale review is a conflict with the version that is current. */
function reviewError(err: unknown): unknown {
  if (err instanceof StaleReview) return new HttpError(409, err.message, err.problems.map(({ field, problem }) => ({ field, problem })), { code: 'conflict', current: err.current });
  return err instanceof Refusal ? httpOf(err) : err;
}

const VERSION_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    version: { type: 'integer' },
    submittedAt: { type: 'string', format: 'date-time' },
    reviewStatus: { enum: ['pending', 'approved', 'returned'] },
    reviewedAt: { type: ['string', 'null'], format: 'date-time' },
    reviewedBy: { type: ['string', 'null'], description: "the reviewer's name" },
    returnReason: { type: ['string', 'null'], description: 'why it was sent back (told the coordinator)' },
    publishedText: {
      type: ['object', 'null'],
      description: 'the text as published when the reviewer redacted it (narrative, and per goal the comment, null = as submitted); null: published as submitted',
      properties: { narrative: { type: 'string' }, comments: { type: 'array', items: { type: ['string', 'null'] } } },
    },
  },
};

const REVIEW_SCHEMA = {
  type: 'object',
  required: ['obligationId', 'latest', 'warnings', 'reviewable', 'approved', 'versions'],
  properties: {
    obligationId: { type: 'string' },
    project: { type: 'string' },
    kind: { type: 'string' },
    kindName: { type: 'string' },
    period: { type: 'object', properties: { start: { type: 'string', format: 'date' }, end: { type: 'string', format: 'date' } } },
    goals: { type: 'array', items: { type: 'string' } },
    latest: { ...VERSION_SCHEMA, type: ['object', 'null'], properties: { ...VERSION_SCHEMA.properties, narrative: { type: 'string' }, comments: { type: 'array', items: { type: ['string', 'null'] } } } },
    warnings: {
      type: 'array',
      description: "what in the latest version's text may point out a person (warnings, never blocks: the reviewer decides)",
      items: {
        type: 'object',
        properties: {
          kind: { enum: ['name', 'place', 'age', 'small-count', 'identity-number'] },
          text: { type: 'string', description: 'the words matched' },
          where: { type: 'object', properties: { field: { enum: ['narrative', 'goal'] }, goal: { type: 'integer', description: '1-based goal number' } } },
          sv: { type: 'string', description: 'the explanation in Swedish' },
        },
      },
    },
    reviewable: { type: 'boolean', description: 'the latest version waits for review' },
    approved: { type: ['object', 'null'], description: 'the latest approved version: public from publishedOn (never before the day after the period ends)', properties: { version: { type: 'integer' }, publishedOn: { type: 'string', format: 'date' }, publicNow: { type: 'boolean' } } },
    versions: { type: 'array', description: 'newest first', items: VERSION_SCHEMA },
  },
};

const REVIEW_EXAMPLE = {
  obligationId: '2b1e0c4a-…',
  project: 'Steg framåt',
  kind: 'final',
  kindName: 'slutrapport',
  period: { start: '2026-01-01', end: '2026-06-30' },
  goals: ['Minst 30 deltagare per år.'],
  latest: { id: '8d3f…', version: 1, submittedAt: '2026-07-10T08:30:00.000Z', reviewStatus: 'pending', reviewedAt: null, reviewedBy: null, returnReason: null, publishedText: null, narrative: 'En deltagare, Anna från Kumla, fick jobb.', comments: [null] },
  warnings: [
    { kind: 'name', text: 'Anna', where: { field: 'narrative' }, sv: '”Anna” ser ut att vara ett förnamn. Ett namn kan peka ut en deltagare; ta bort det eller skriv ”en deltagare”.' },
    { kind: 'place', text: 'Kumla', where: { field: 'narrative' }, sv: '”Kumla” är ett ortnamn. …' },
    { kind: 'small-count', text: 'En deltagare', where: { field: 'narrative' }, sv: '”En deltagare” anger ett litet antal personer (en eller två). …' },
  ],
  reviewable: true,
  approved: null,
  versions: [{ id: '8d3f…', version: 1, submittedAt: '2026-07-10T08:30:00.000Z', reviewStatus: 'pending', reviewedAt: null, reviewedBy: null, returnReason: null, publishedText: null }],
};

interface ReviewBody {
  version: number;
  decision: ReviewDecision;
  narrative?: string;
  comments?: (string | null)[];
  reason?: string;
}

const BODY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'decision'],
  properties: {
    version: { type: 'integer', minimum: 1, description: 'the version the reviewer read (the latest); another is refused with 409 (a correction came in since)' },
    decision: { enum: ['approve', 'return'], description: 'approve: publish it (from the day after its period ends); return: send it back to the coordinator for correction' },
    narrative: { type: 'string', maxLength: MAX_PUBLISHED_NARRATIVE, description: 'approve only: the narrative as published (redacted); absent: as submitted. The submitted text is kept' },
    comments: { type: 'array', maxItems: 100, items: { type: ['string', 'null'], maxLength: MAX_PUBLISHED_COMMENT }, description: 'approve only: per goal, the comment as published; null: as submitted; "" leaves the comment out' },
    reason: { type: 'string', maxLength: MAX_REASON, description: 'return only, required: what to correct; mailed to the coordinator' },
  },
};

const RESULT_SCHEMA = {
  type: 'object',
  properties: {
    submissionId: { type: 'string' },
    version: { type: 'integer' },
    reviewStatus: { enum: ['approved', 'returned'] },
    changed: { type: 'boolean', description: 'false: the same decision was already recorded; nothing was done again' },
    workflowNotified: { type: ['boolean', 'null'], description: "return: whether the project's workflow was told (it mails the coordinator); null for an approval" },
    review: REVIEW_SCHEMA,
  },
};

export function reviewRoutes(deps: ApiDeps): Router {
  const { prisma } = deps;
  const r = Router({ mergeParams: true });
  const route = declare('/api/v1/forbund/{forbund}').route;
  const fid = (req: Request) => req.auth!.forbundId;
  const today = () => toStockholmDate(deps.now());

  route(
    r,
    {
      method: 'get',
      path: '/obligations/:id/review',
      summary:
        "a report's review before it is published: its latest version (the text as submitted, per goal its comment), the warnings of what may point out a person (given names, places, ages, counts of one or two, personnummer), its review state, and which version is public and from when. 404 for a report not of the förbund",
      roles: ['admin', 'secretary'],
      params: { id: 'report obligation id' },
      response: { schema: REVIEW_SCHEMA, example: REVIEW_EXAMPLE },
    },
    async (req, res) => {
      try {
        res.json(reviewJson(await reportReview(prisma, { forbundId: fid(req), obligationId: String(req.params.id), today: today() })));
      } catch (err) {
        throw reviewError(err);
      }
    },
  );

  route<ReviewBody>(
    r,
    {
      method: 'post',
      path: '/obligations/:id/review',
      summary:
        "review the latest version of a report (the förbundschef): approve it for publication — as submitted, or with the narrative and goal comments redacted (the published text; the submitted one is kept, both in the audit event) — or send it back to the coordinator with a reason (mailed with the link to correct it; the correction is a new version, reviewed again). Nothing is public before approval, and never before the day after the period ends. 400 naming the field (a return without reason, an empty narrative, a comment per goal), 404, 409 when the version named is not the latest (error.current: the version and state now) or is already reviewed otherwise; the same decision again changes nothing (changed: false). Audited (report.approved, report.approved_redacted, report.returned)",
      roles: ['admin'],
      params: { id: 'report obligation id' },
      body: { schema: BODY_SCHEMA, example: { version: 1, decision: 'approve', narrative: 'En deltagare fick jobb under perioden.', comments: [null] } },
      response: { schema: RESULT_SCHEMA, example: { submissionId: '8d3f…', version: 1, reviewStatus: 'approved', changed: true, workflowNotified: null, review: REVIEW_EXAMPLE } },
    },
    async (req, res) => {
      const b = req.valid;
      try {
        const x = await reviewReport(deps, { forbundId: fid(req), obligationId: String(req.params.id), version: b.version, decision: b.decision, narrative: b.narrative, comments: b.comments, reason: b.reason, actor: actor(req), reviewerName: req.auth!.name });
        const review = reviewJson(await reportReview(prisma, { forbundId: fid(req), obligationId: String(req.params.id), today: today() }));
        res.json({ submissionId: x.submissionId, version: x.version, reviewStatus: x.status, changed: x.changed, workflowNotified: x.workflowNotified ?? null, review });
      } catch (err) {
        throw reviewError(err);
      }
    },
  );

  return r;
}
