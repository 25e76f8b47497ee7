// Routes for funded projects and their reports: projects with obligations, moving a due date,
// withdrawing a project, the official's pending steps and planned reminders, and the
// coordinator's submission link.
import { randomUUID } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { reminderPlan, REPORT_NAMES } from '../domain/rapportering.js';
import { withScreen } from '../domain/fritext.js';
import { validateSubmission, FIGURE_FIELDS, PARTICIPANT_ROWS, readFigures, formFromStored, formFieldOf, submissionFromForm, type FieldError } from '../domain/rapportuppgifter.js';

/** Versions a coordinator may submit of one report (the first and its corrections). */
export const MAX_VERSIONS = 5;
import { toStockholmDate, toStockholmTime } from '../domain/dates.js';
import { buildFeed, type IcsEvent } from '../domain/ics.js';
import { Prisma } from '../prisma/db.js';
import { readyBody, sendReady } from '../services/read-cache.js';
import { closedPage, fieldLabel, formFieldOrder, lockedPage, receiptPage, reportFormPage, type ReportHeader } from './pages/rapportera.js';
import { sendKept } from './kept.js';
import { sortedPendingSteps } from '../services/pending-steps.js';
import { conditionalStartText, REPORT_TEXT, svDate, svPeriod as svPeriodText } from '../domain/texts.js';
import { grantDecisionsOf, type GrantDecision } from '../services/beviljning.js';
import { audit } from '../services/audit.js';
import { checkLink, generationsOf, projectFeedPurpose, submissionLink, submissionPurpose } from '../services/links.js';
import { submissionLinkExpired } from '../domain/lankar.js';
import { reportContact, submissionLinkFacts } from '../services/lankar.js';
import { expiredLinkPage, replacedLinkPage } from './pages/lank.js';
import { bodyMembers, officialOf, toAddress } from '../services/people.js';
import { activeProjectIds, isoDay, lockReport, policyOf, reminderKey, settledKeys } from '../services/rapportering.js';
import { actor, allow } from './auth.js';
import { redateObligation, withdrawProject } from '../services/obligations.js';
import { asHttp } from './refusal.js';
import type { ApiDeps } from './deps.js';
import { badRequest, HttpError, notFound, objectBody, page, pageResponse, paginated, requireDate } from './errors.js';
import { formKeyOf, idempotencyKeyOf } from './idempotency.js';
import { reviewRoutes } from './granskning.js';

const obligationJson = (o: { id: string; kind: string; periodStart: Date; periodEnd: Date; dueDate: Date; status: string; submissions?: { id: string; submittedAt: Date; late: boolean; reviewStatus?: string }[] }, today: string) => ({
  id: o.id,
  kind: o.kind,
  periodStart: isoDay(o.periodStart),
  periodEnd: isoDay(o.periodEnd),
  dueDate: isoDay(o.dueDate),
  status: o.status,
  overdue: o.status === 'open' && isoDay(o.dueDate) < today,
  // With the förbundschef's review before publication (pending, approved, returned): GET obligations/:id/review has the rest.
  submissions: o.submissions?.map((s) => ({ id: s.id, submittedAt: s.submittedAt.toISOString(), late: s.late, ...(s.reviewStatus ? { reviewStatus: s.reviewStatus } : {}) })) ?? [],
});

export function reportingRoutes(deps: ApiDeps): { forbund: Router; public: Router } {
  const { prisma, notifier } = deps;
  // Days are Swedish: between midnight and 01:00/02:00 Stockholm time the UTC date is the day before.
  const today = () => toStockholmDate(deps.now());
  const r = Router({ mergeParams: true });

  const forbundOf = (req: Request) => req.auth!.forbundId;

  r.get('/projects', allow('admin', 'secretary', 'board_member'), async (req, res) => {
    const p = page(req);
    const where = { forbundId: forbundOf(req) };
    await sendKept(deps, req, res, async () => {
      const [total, projects] = await Promise.all([
        prisma.project.count({ where }),
        prisma.project.findMany({
          where,
          orderBy: { key: 'asc' },
          skip: (p.page - 1) * p.limit,
          take: p.limit,
          include: { coordinator: true, obligations: { orderBy: { dueDate: 'asc' }, include: { submissions: { select: { id: true, submittedAt: true, late: true, reviewStatus: true } } } } },
        }),
      ]);
      const decisions = await grantDecisionsOf(prisma, forbundOf(req), projects.map((x) => x.id));
      return pageResponse(req, projects.map((x) => projectJson(x, today(), decisions.get(x.id))), total, p);
    });
  });

  r.get('/projects/:key', allow('admin', 'secretary', 'board_member'), async (req, res) => {
    const x = await prisma.project.findUnique({
      where: { forbundId_key: { forbundId: forbundOf(req), key: String(req.params.key) } },
      include: { coordinator: true, obligations: { orderBy: { dueDate: 'asc' }, include: { submissions: { select: { id: true, submittedAt: true, late: true, reviewStatus: true } } } } },
    });
    if (!x) throw notFound(`project "${req.params.key}"`);
    res.json(projectJson(x, today(), (await grantDecisionsOf(prisma, x.forbundId, [x.id])).get(x.id)));
  });

  r.post('/projects/:key/withdraw', allow('admin'), async (req, res) => {
    const { project: x, workflowNotified } = await asHttp(withdrawProject(deps, { forbundId: forbundOf(req), key: String(req.params.key), actor: actor(req) }));
    res.json({ id: x.id, key: x.key, status: 'withdrawn', workflowNotified });
  });

  r.patch('/obligations/:id', allow('admin'), async (req, res) => {
    const body = objectBody(req);
    const unknown = Object.keys(body).filter((k) => k !== 'dueDate');
    if (unknown.length) throw badRequest(unknown.map((field) => ({ field, problem: 'unknown field; only dueDate can be changed' })));
    const dueDate = requireDate(body.dueDate, 'dueDate');
    const { obligation, workflowNotified } = await asHttp(redateObligation(deps, { forbundId: forbundOf(req), id: String(req.params.id), dueDate, actor: actor(req) }));
    res.json({ ...obligationJson(obligation, today()), workflowNotified });
  });

  r.get('/obligations/:id/submissions', allow('admin', 'secretary'), async (req, res) => {
    const o = await prisma.reportingObligation.findFirst({ where: { id: String(req.params.id), project: { forbundId: forbundOf(req) } }, include: { submissions: { orderBy: { version: 'asc' } } } });
    if (!o) throw notFound(`obligation "${req.params.id}"`);
    res.json({
      obligation: { ...obligationJson(o, today()), locked: !!o.lockedAt },
      // With each version's review before publication (services/granskning.ts): GET obligations/:id/review has the warnings.
      data: o.submissions.map((x) => ({
        id: x.id,
        version: x.version,
        submittedAt: x.submittedAt.toISOString(),
        late: x.late,
        figures: x.figures,
        narrative: x.narrative,
        submittedBy: x.submittedBy,
        review: { status: x.reviewStatus, reviewedAt: x.reviewedAt?.toISOString() ?? null, reviewedBy: x.reviewedBy, returnReason: x.returnReason, publishedText: x.publishedText ?? null },
      })),
    });
  });

  // The förbundschef's review before publication (api/granskning.ts).
  r.use(reviewRoutes(deps));

  r.post('/obligations/:id/lock', allow('admin'), async (req, res) => {
    const { obligation } = await asHttp(lockReport(deps, { forbundId: forbundOf(req), id: String(req.params.id), actor: actor(req) }));
    res.json({ ...obligationJson(obligation, today()), locked: true });
  });

  // The sorted steps of the day are kept too, so each page is cut from them.
  r.get('/pending-steps', allow('admin', 'secretary'), async (req, res) => {
    const p = page(req);
    const forbundId = forbundOf(req);
    const day = today();
    await sendKept(deps, req, res, async () => paginated(req, await sortedPendingSteps(deps, forbundId, day), p));
  });

  r.get('/planned-reminders', allow('admin', 'secretary'), async (req, res) => {
    const days = req.query.days === undefined ? 365 : Number(req.query.days);
    if (!Number.isInteger(days) || days < 1 || days > 730) throw badRequest([{ field: 'days', problem: 'must be a whole number from 1 to 730' }]);
    const p = page(req);
    await sendKept(deps, req, res, async () => paginated(req, await plannedReminders(deps, forbundOf(req), days), p), 'minute');
  });

  // The coordinator's link: no account, a token that opens this one report only.
  const pub = Router();
  const openObligation = async (req: Request) => {
    const id = String(req.params.id);
    const t = typeof req.query.token === 'string' ? req.query.token : '';
    const link = await checkLink(prisma, deps.linkSecret, submissionPurpose(id), t);
    if (link === 'invalid') {
      throw new HttpError(403, 'this link does not open this report', [{ field: 'token', problem: 'missing or not valid for this report' }]);
    }
    const o = await prisma.reportingObligation.findUnique({
      where: { id },
      include: { project: { include: { forbund: true } }, submissions: { orderBy: { version: 'asc' } }, draft: true },
    });
    if (!o) throw notFound('report');
    // A renewed link's earlier token, or a link that has expired (domain/lankar.ts): refused before
    // anything is read or written, with a Swedish page on /submit (below) naming whom to ask.
    if (link === 'renewed' || submissionLinkExpired(submissionLinkFacts(o), today())) {
      const ask = await reportContact(prisma, o.project.forbund);
      throw link === 'renewed'
        ? new LinkRefused(403, 'this link was replaced by a newer one; use the link in the latest mail', 'replaced by a newer link', replacedLinkPage({ forbundName: o.project.forbund.name, ask, what: 'rapporten' }))
        : new LinkRefused(410, 'this link has expired: the report is closed', 'expired', expiredLinkPage({ forbundName: o.project.forbund.name, title: `${REPORT_NAMES[o.kind]} ${svPeriodText(isoDay(o.periodStart), isoDay(o.periodEnd))}`, projectName: o.project.name, ask }));
    }
    // The token that opened it: the current one, for the links the pages give back.
    return Object.assign(o, { linkToken: t });
  };
  type Opened = Awaited<ReturnType<typeof openObligation>>;
  const latestOf = (o: Opened) => o.submissions[o.submissions.length - 1];
  /** Whether the link takes a report (or a draft) now: not for a withdrawn project or a locked report. */
  const refuseClosed = (o: Opened) => {
    if (o.status === 'withdrawn' || o.project.status === 'withdrawn') throw new HttpError(409, 'the project is withdrawn; no report is expected', [{ field: '(report)', problem: 'project withdrawn' }]);
    if (o.lockedAt) throw new HttpError(409, 'the report is locked by the official and can no longer be corrected', [{ field: '(report)', problem: 'locked' }]);
  };

  pub.get('/api/v1/submissions/:id', async (req, res) => {
    const o = await openObligation(req);
    const latest = latestOf(o);
    res.json({
      forbund: o.project.forbund.name,
      project: { key: o.project.key, name: o.project.name, goals: o.project.goals },
      obligation: { ...obligationJson(o, today()), locked: !!o.lockedAt, versions: o.submissions.length, maxVersions: MAX_VERSIONS },
      figures: FIGURE_FIELDS,
      participantRows: PARTICIPANT_ROWS,
      latest: latest ? { version: latest.version, submittedAt: latest.submittedAt.toISOString(), late: latest.late, figures: latest.figures, narrative: latest.narrative, submittedBy: latest.submittedBy } : null,
      draft: o.draft ? { savedAt: o.draft.savedAt.toISOString(), ...(o.draft.content as object) } : null,
    });
  });

  type Sent = Opened['submissions'][number];
  /** A submission already made with this form key, answered again as it was: nothing new is stored, told or mailed. */
  const again = (s: Sent) => ({ s, late: s.late, version: s.version, workflowNotified: true, replayed: true }) as const;
  /**
   * Submits a report; `formKey` is the form's (or the API request's) one-time key: a key that already
   * made a submission of this report gives that submission back (not a correction, no version used),
   * also when two requests with it race (the unique index lets one in; the other answers with it).
   */
  const submit = async (o: Opened, body: unknown, formKey: string | null = null) => {
    const before = formKey ? o.submissions.find((x) => x.formKey === formKey) : undefined;
    if (before) return again(before);
    refuseClosed(o);
    const v = withScreen(body, validateSubmission(body, { goals: o.project.goals }));
    if (!v.ok) return { errors: v.errors } as const;
    const version = o.submissions.length + 1;
    if (version > MAX_VERSIONS) throw new HttpError(409, `the report has ${MAX_VERSIONS} versions; ask the official to correct it`, [{ field: '(report)', problem: `at most ${MAX_VERSIONS} versions` }]);
    const now = deps.now();
    const late = toStockholmDate(now) > isoDay(o.dueDate);
    let s;
    try {
      s = await prisma.$transaction(async (tx) => {
        const created = await tx.submission.create({
          data: { obligationId: o.id, version, submittedAt: now, late, figures: v.value.figures as unknown as Prisma.InputJsonObject, narrative: v.value.narrative, submittedBy: v.value.submittedBy, formKey },
        });
        await tx.reportingObligation.update({ where: { id: o.id }, data: { status: 'submitted' } });
        // Submitting clears the draft: the report is what was sent.
        await tx.submissionDraft.deleteMany({ where: { obligationId: o.id } });
        await tx.escalation.updateMany({ where: { forbundId: o.project.forbundId, subjectType: 'obligation', subjectId: o.id, resolvedAt: null }, data: { resolvedAt: now } });
        await audit(tx, { forbundId: o.project.forbundId, actor: `coordinator-link:${o.id}`, action: version === 1 ? 'report.submitted' : 'report.corrected', entityType: 'obligation', entityId: o.id, data: { submissionId: created.id, version, late } });
        return created;
      });
    } catch (err) {
      // The same form sent twice at once (a double click): the first made it, the second answers with it.
      if ((err as { code?: string }).code === 'P2002' && formKey) {
        const won = await prisma.submission.findUnique({ where: { obligationId_formKey: { obligationId: o.id, formKey } } });
        if (won) return again(won);
      }
      // Two submissions of one version at once: the first wins, the second is told.
      if ((err as { code?: string }).code === 'P2002') throw new HttpError(409, 'the report was just submitted by someone else; reload and correct it if needed', [{ field: '(report)', problem: 'submitted concurrently' }]);
      throw err;
    }
    // Every version: the workflow sends the coordinator's receipt (and, for the first, stops reminding).
    const workflowNotified = await notifier.reportingChanged(o.projectId, version === 1 ? 'report submitted' : 'report corrected');
    return { s, late, version, workflowNotified, replayed: false } as const;
  };

  /** A draft: checked loosely (whole numbers, no personal identity number), stored in place of the last. */
  const saveDraft = async (o: Opened, body: unknown) => {
    refuseClosed(o);
    if (o.submissions.length >= MAX_VERSIONS) throw new HttpError(409, `the report has ${MAX_VERSIONS} versions; ask the official to correct it`, [{ field: '(report)', problem: `at most ${MAX_VERSIONS} versions` }]);
    const v = withScreen(body, validateSubmission(body, { goals: o.project.goals, draft: true }));
    if (!v.ok) return { errors: v.errors } as const;
    const savedAt = deps.now();
    const content = { figures: v.value.figures, narrative: v.value.narrative, ...(v.value.submittedBy ? { submittedBy: v.value.submittedBy } : {}) } as unknown as Prisma.InputJsonObject;
    await prisma.submissionDraft.upsert({ where: { obligationId: o.id }, create: { obligationId: o.id, content, savedAt }, update: { content, savedAt } });
    return { savedAt } as const;
  };

  pub.post('/api/v1/submissions/:id', async (req, res) => {
    const o = await openObligation(req);
    // The request's Idempotency-Key is its one-time form key: sent again, the same submission.
    const r = await submit(o, req.body, idempotencyKeyOf(req) ?? null);
    if ('errors' in r) throw badRequest(r.errors!.map(({ field, problem }) => ({ field, problem })));
    const { s, late, version, workflowNotified } = r;
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(r.replayed ? 200 : 201).json({ id: s.id, obligationId: s.obligationId, version, submittedAt: s.submittedAt.toISOString(), late, workflowNotified });
  });

  pub.put('/api/v1/submissions/:id/draft', async (req, res) => {
    const o = await openObligation(req);
    const r = await saveDraft(o, req.body);
    if ('errors' in r) throw badRequest(r.errors!.map(({ field, problem }) => ({ field, problem })));
    res.json({ obligationId: o.id, savedAt: r.savedAt.toISOString() });
  });

  const header = (o: Opened): ReportHeader => ({
    forbundName: o.project.forbund.name,
    projectName: o.project.name,
    kindName: REPORT_NAMES[o.kind],
    kindThe: REPORT_TEXT[o.kind].the,
    periodStart: isoDay(o.periodStart),
    periodEnd: isoDay(o.periodEnd),
    dueDate: isoDay(o.dueDate),
  });
  const formUrl = (o: Opened) => `/submit/${o.id}?token=${encodeURIComponent(o.linkToken)}`;
  const savedText = (d: Date) => `${svDate(toStockholmDate(d))} kl. ${toStockholmTime(d).replace(':', '.')}`;

  /** The form as the coordinator sees it: filled in from what was typed, the draft, or the latest version. */
  const renderForm = (res: Response, o: Opened, status: number, typed?: { values: Record<string, string>; errors: FieldError[] }, draftSaved = false) => {
    const latest = latestOf(o);
    if (o.lockedAt && latest) {
      return void res.status(status).type('html').send(lockedPage({ header: header(o), version: latest.version, submittedAt: toStockholmDate(latest.submittedAt), figures: readFigures(latest.figures), narrative: latest.narrative }));
    }
    const goals = o.project.goals;
    const draft = o.draft?.content as { figures?: unknown; narrative?: string; submittedBy?: string } | undefined;
    const values = typed?.values ?? (draft ? formFromStored(draft.figures, draft.narrative, draft.submittedBy, goals.length) : latest ? formFromStored(latest.figures, latest.narrative, latest.submittedBy, goals.length) : {});
    const errors: Record<string, string> = {};
    const summary: { href: string; text: string }[] = [];
    for (const fe of typed?.errors ?? []) {
      const f = formFieldOf(fe.field);
      const text = fe.sv ?? 'Kontrollera uppgiften.';
      if (errors[f]) continue;
      errors[f] = text;
      summary.push({ href: `#${f}`, text: `${fieldLabel(f, goals)}: ${text}` });
    }
    res.status(status).type('html').send(
      reportFormPage({
        header: header(o),
        goals,
        values,
        errors,
        summary: formFieldOrder(goals.length).flatMap((f) => summary.filter((x) => x.href === `#${f}`)),
        today: today(),
        ...(latest ? { submitted: { version: latest.version, at: toStockholmDate(latest.submittedAt) } } : {}),
        ...(o.draft ? { draft: { savedAt: savedText(o.draft.savedAt) } } : {}),
        draftSaved,
        versionsLeft: o.project.status === 'withdrawn' || o.status === 'withdrawn' ? 0 : MAX_VERSIONS - o.submissions.length,
        maxVersions: MAX_VERSIONS,
        // A new one-time key for each form shown; the same one when it comes back with errors.
        formKey: formKeyOf(typed?.values.formKey) ?? randomUUID(),
        // Sent back by the förbundschef (services/granskning.ts): the reason, to correct.
        ...(latest?.reviewStatus === 'returned' && latest.returnReason ? { returned: { version: latest.version, reason: latest.returnReason } } : {}),
      }),
    );
  };

  // The HTML form for coordinators who open the link in a browser.
  pub.get('/submit/:id', async (req, res) => {
    const o = await openObligation(req);
    if (o.status === 'withdrawn' || o.project.status === 'withdrawn') {
      return void res.status(409).type('html').send(closedPage(header(o), 'Insatsen är återkallad, så ingen rapport väntas. Kontakta förbundets kansli om du har frågor.'));
    }
    renderForm(res, o, 200, undefined, req.query.sparat === '1');
  });

  pub.post('/submit/:id', express.urlencoded({ extended: false, limit: '100kb' }), async (req, res) => {
    const o = await openObligation(req);
    // No body (or one of another type) leaves req.body undefined: treat it as an empty form.
    const raw = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const form: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') form[k] = v;
    const body = submissionFromForm(form, o.project.goals.length);
    const formKey = formKeyOf(form.formKey);
    // This form was sent before (a double click, a reload): its receipt again, whatever has happened since.
    const sentBefore = form.action !== 'draft' && formKey ? o.submissions.find((x) => x.formKey === formKey) : undefined;
    if (sentBefore) return receipt(res, o, again(sentBefore));
    const full = form.action !== 'draft' && o.submissions.length >= MAX_VERSIONS;
    if (o.lockedAt || o.status === 'withdrawn' || o.project.status === 'withdrawn' || full) {
      const why = o.lockedAt
        ? 'Rapporten är låst av förbundet och kan inte längre rättas. Ingenting har sparats.'
        : full
          ? `Rapporten är redan inlämnad i ${MAX_VERSIONS} versioner, det högsta antalet. Kontakta förbundets kansli om något behöver ändras. Ingenting har sparats.`
          : 'Insatsen är återkallad, så ingen rapport väntas. Ingenting har sparats.';
      return void res.status(409).type('html').send(closedPage(header(o), why));
    }
    if (form.action === 'draft') {
      const r = await saveDraft(o, body);
      if ('errors' in r) return renderForm(res, o, 400, { values: form, errors: r.errors! });
      // POST-redirect-GET: the form opens again, filled in from the draft.
      return void res.redirect(303, `/submit/${o.id}?token=${encodeURIComponent(String(req.query.token))}&sparat=1`);
    }
    const r = await submit(o, body, formKey);
    if ('errors' in r) return renderForm(res, o, 400, { values: form, errors: r.errors! });
    receipt(res, o, r);
  });

  /** The receipt of a submission: 201 when it was made now, 200 when the same form was sent again. */
  function receipt(res: Response, o: Opened, r: { s: Sent; late: boolean; version: number; replayed: boolean }) {
    res
      .status(r.replayed ? 200 : 201)
      .type('html')
      .send(
        receiptPage({
          header: header(o),
          version: r.version,
          submittedAt: toStockholmDate(r.s.submittedAt),
          late: r.late,
          figures: readFigures(r.s.figures),
          narrative: r.s.narrative,
          ...(r.s.submittedBy ? { submittedBy: r.s.submittedBy } : {}),
          formUrl: formUrl(o),
          canCorrect: r.version < MAX_VERSIONS,
        }),
      );
  }

  // The coordinator's calendar of the project's report due dates (the year letter links it).
  // Kept ready per förbund and data version, like the förbund's feeds.
  pub.get('/feeds/projects/:id/reports.ics', async (req, res) => {
    const id = String(req.params.id);
    const t = typeof req.query.token === 'string' ? req.query.token : '';
    const refuse = () => new HttpError(403, 'this feed address is not valid', [{ field: 'token', problem: 'missing or not valid for this feed' }]);
    if (!t) throw refuse();
    const p = await prisma.project.findUnique({ where: { id }, select: { forbundId: true } });
    // Only the current generation's address: a renewed feed's old address is refused as any other.
    if (!p || (await checkLink(prisma, deps.linkSecret, projectFeedPurpose(id), t)) !== 'current') throw refuse();
    sendReady(res, await deps.reads.get(p.forbundId, `project-feed ${id}`, async () => readyBody('text/calendar; charset=utf-8', await projectFeed(deps, id))));
  });

  // A renewed or expired link opened in a browser: its Swedish page (the JSON API answers in JSON).
  pub.use('/submit', (err: unknown, _req: Request, res: Response, next: (err?: unknown) => void) => {
    if (err instanceof LinkRefused) return void res.status(err.status).type('html').send(err.page);
    next(err);
  });

  return { forbund: r, public: pub };
}

/** A submission link refused for what it is (renewed, expired): the API's error, and the page a browser is shown. */
class LinkRefused extends HttpError {
  constructor(status: 403 | 410, message: string, problem: string, readonly page: string) {
    super(status, message, [{ field: 'token', problem }]);
  }
}

/** A project as GET projects/:key answers it (and POST/PATCH projects, api/projekt.ts). */
export function projectJson(
  x: { id: string; key: string; name: string; dnr: string | null; huvudman: string; purpose: string; startDate: Date; endDate: Date; grants: unknown; goals: string[]; status: string; coordinator: { name: string; email: string }; obligations: Parameters<typeof obligationJson>[0][]; startCondition?: string | null; conditionMetOn?: Date | null; conditionMetBy?: string | null },
  today: string,
  grantDecisions: GrantDecision[] = [],
) {
  return {
    id: x.id,
    key: x.key,
    name: x.name,
    dnr: x.dnr,
    huvudman: x.huvudman,
    // What the public reads on the project's page.
    purpose: x.purpose,
    coordinator: { name: x.coordinator.name, email: x.coordinator.email },
    period: { start: isoDay(x.startDate), end: isoDay(x.endDate) },
    grants: x.grants,
    // The board's decisions on the project's funding applications: "Beviljat 2027: 400 000 kr, beslut 2027-00012 § 5".
    grantDecisions,
    // A conditional start: no reports are planned until it is met (POST projects/:key/condition-met).
    startCondition: x.startCondition
      ? { condition: x.startCondition, metOn: x.conditionMetOn ? isoDay(x.conditionMetOn) : null, metBy: x.conditionMetBy ?? null, text: conditionalStartText({ condition: x.startCondition, metOn: x.conditionMetOn ? isoDay(x.conditionMetOn) : null }) }
      : null,
    goals: x.goals,
    status: x.status,
    obligations: x.obligations.map((o) => obligationJson(o, today)),
  };
}

/**
 * A förbund's obligations are asked for by its projects' ids: joined through the project instead,
 * PostgreSQL reads every obligation in the country (a hash join over all förbund) rather than
 * the förbund's own few through the index on projectId.
 */


/** Reminders that will be sent, from the same rules the workflow follows. */
export async function plannedReminders(deps: ApiDeps, forbundId: string, days: number) {
  const now = deps.now();
  const until = new Date(now.getTime() + days * 86_400_000);
  const forbund = await deps.prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } });
  const policy = policyOf(forbund);
  const official = await officialOf(deps.prisma, forbundId);
  const group = await bodyMembers(deps.prisma, forbundId, 'beredningsgrupp');
  // Only reports whose reminders can fall in the window: the earliest reminder is max(reminders)
  // days before the due date, the escalation escalateDaysAfter after it (plus a week of holidays).
  const margin = 7 * 86_400_000;
  const obligations = await deps.prisma.reportingObligation.findMany({
    where: {
      status: 'open',
      projectId: { in: await activeProjectIds(deps.prisma, forbundId) },
      dueDate: {
        gte: new Date(now.getTime() - policy.overdue.escalateDaysAfter * 86_400_000 - margin),
        lte: new Date(until.getTime() + Math.max(0, ...policy.reminders) * 86_400_000 + margin),
      },
    },
    include: { project: { include: { coordinator: true } } },
    orderBy: { dueDate: 'asc' },
  });
  const planned = obligations.flatMap((o) =>
    reminderPlan(policy, isoDay(o.dueDate))
      .filter((r) => r.at >= now && r.at <= until)
      .map((r) => ({ o, r, key: reminderKey(o.id, isoDay(o.dueDate), r.key) })),
  );
  const sent = await settledKeys(deps.prisma, planned.map((p) => p.key), forbundId);
  const coordinator = (o: (typeof obligations)[number]) => ({ name: o.project.coordinator.name, email: o.project.coordinator.email });
  const officialAddr = official ? [{ name: official.name, email: official.email }] : [];
  return planned
    .filter((p) => !sent.has(p.key))
    .sort((a, b) => a.r.at.getTime() - b.r.at.getTime())
    .map(({ o, r }) => ({
      at: r.at.toISOString(),
      kind: r.kind,
      to: r.kind === 'escalation' ? [...officialAddr, ...group.filter((g) => g.email !== official?.email).map(toAddress)] : [coordinator(o)],
      cc: r.kind === 'overdue' ? officialAddr : r.kind === 'escalation' ? [coordinator(o)] : [],
      project: { key: o.project.key, name: o.project.name },
      obligation: { id: o.id, kind: o.kind, dueDate: isoDay(o.dueDate) },
    }));
}

/**
 * The coordinator's calendar: each report of the project as an all-day event on its due date,
 * "Sista dag: kvartalsrapport 1 januari–31 mars 2027 – <projekt>", with the submission link in
 * the description and as URL. The UID is the obligation's (stable); SEQUENCE counts the times
 * the due date was moved (the audited re-datings) and rises once more when the report is
 * withdrawn, so a calendar replaces what it has. A withdrawn report stays in the feed as
 * CANCELLED (a client that has it removes or strikes it; one that never had it shows nothing
 * new). A submitted report stays, confirmed, titled "Inlämnad: …": the date was kept and the
 * coordinator sees it is done, without the event vanishing from the calendar as if moved.
 */
async function projectFeed(deps: ApiDeps, projectId: string): Promise<string> {
  const p = await deps.prisma.project.findUniqueOrThrow({ where: { id: projectId }, include: { forbund: true, obligations: { orderBy: [{ dueDate: 'asc' }, { kind: 'asc' }] } } });
  const moves = await deps.prisma.auditEvent.groupBy({ by: ['entityId'], where: { forbundId: p.forbundId, entityType: 'obligation', action: 'obligation.redated', entityId: { in: p.obligations.map((o) => o.id) } }, _count: { _all: true } });
  const moved = new Map(moves.map((m) => [m.entityId, m._count._all]));
  const generations = await generationsOf(deps.prisma, p.obligations.map((o) => submissionPurpose(o.id)));
  const events: IcsEvent[] = p.obligations.map((o) => {
    const due = isoDay(o.dueDate);
    const what = `${REPORT_NAMES[o.kind]} ${svPeriodText(isoDay(o.periodStart), isoDay(o.periodEnd))}`;
    const link = submissionLink(deps.publicBaseUrl, deps.linkSecret, o.id, generations.get(submissionPurpose(o.id)));
    const withdrawn = o.status === 'withdrawn';
    return {
      uid: `report-${o.id}@arscykel`,
      sequence: (moved.get(o.id) ?? 0) + (withdrawn ? 1 : 0),
      summary: `${o.status === 'submitted' ? 'Inlämnad: ' : 'Sista dag: '}${what} – ${p.name}`,
      start: o.dueDate,
      end: o.dueDate,
      allDay: true,
      startDate: due,
      endDate: due,
      description: withdrawn
        ? `Insatsen är återkallad; rapporten väntas inte längre. ${p.forbund.name}.`
        : `${what[0].toUpperCase()}${what.slice(1)} för ${p.name} ska lämnas senast ${svDate(due)}. Lämna eller rätta rapporten via länken: ${link}`,
      url: link,
      status: withdrawn ? ('CANCELLED' as const) : ('CONFIRMED' as const),
    };
  });
  return buildFeed({ name: `Rapporter – ${p.name}`, description: `Sista dagar för rapporterna från ${p.name} till ${p.forbund.name}`, events, dtstamp: deps.now() });
}
