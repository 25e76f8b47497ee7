// Routes for funded projects and their reports: projects with obligations, moving a due date,
// withdrawing a project, the official's pending steps and planned reminders, and the
// coordinator's submission link.
import express, { Router, type Request } from 'express';
import { reminderPlan, REPORT_NAMES, validateSubmission, FIGURE_FIELDS } from '../domain/rapportering.js';

/** Versions a coordinator may submit of one report (the first and its corrections). */
export const MAX_VERSIONS = 5;
import { toStockholmDate } from '../domain/dates.js';
import { pendingStep, sortPending, type PendingStep } from '../domain/pending.js';
import { sendKept } from './kept.js';
import { escapeHtml, svDate } from '../domain/texts.js';
import { audit } from '../services/audit.js';
import { submissionPurpose, tokenMatches } from '../services/links.js';
import { bodyMembers, officialOf, toAddress } from '../services/people.js';
import { isoDay, policyOf, reminderKey, settledKeys } from '../services/rapportering.js';
import { actor, allow } from './auth.js';
import { redateObligation, withdrawProject } from '../services/obligations.js';
import { asHttp } from './refusal.js';
import type { ApiDeps } from './deps.js';
import { badRequest, HttpError, notFound, objectBody, page, pageResponse, paginated, requireDate } from './errors.js';

const obligationJson = (o: { id: string; kind: string; periodStart: Date; periodEnd: Date; dueDate: Date; status: string; submissions?: { id: string; submittedAt: Date; late: boolean }[] }, today: string) => ({
  id: o.id,
  kind: o.kind,
  periodStart: isoDay(o.periodStart),
  periodEnd: isoDay(o.periodEnd),
  dueDate: isoDay(o.dueDate),
  status: o.status,
  overdue: o.status === 'open' && isoDay(o.dueDate) < today,
  submissions: o.submissions?.map((s) => ({ id: s.id, submittedAt: s.submittedAt.toISOString(), late: s.late })) ?? [],
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
          include: { coordinator: true, obligations: { orderBy: { dueDate: 'asc' }, include: { submissions: { select: { id: true, submittedAt: true, late: true } } } } },
        }),
      ]);
      return pageResponse(req, projects.map((x) => projectJson(x, today())), total, p);
    });
  });

  r.get('/projects/:key', allow('admin', 'secretary', 'board_member'), async (req, res) => {
    const x = await prisma.project.findUnique({
      where: { forbundId_key: { forbundId: forbundOf(req), key: String(req.params.key) } },
      include: { coordinator: true, obligations: { orderBy: { dueDate: 'asc' }, include: { submissions: { select: { id: true, submittedAt: true, late: true } } } } },
    });
    if (!x) throw notFound(`project "${req.params.key}"`);
    res.json(projectJson(x, today()));
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
      data: o.submissions.map((x) => ({ id: x.id, version: x.version, submittedAt: x.submittedAt.toISOString(), late: x.late, figures: x.figures, narrative: x.narrative, submittedBy: x.submittedBy })),
    });
  });

  r.post('/obligations/:id/lock', allow('admin'), async (req, res) => {
    const forbundId = forbundOf(req);
    const o = await prisma.reportingObligation.findFirst({ where: { id: String(req.params.id), project: { forbundId } } });
    if (!o) throw notFound(`obligation "${req.params.id}"`);
    if (o.status !== 'submitted') throw new HttpError(409, `only a submitted report can be locked; this one is ${o.status}`, [{ field: '(report)', problem: `the report is ${o.status}` }]);
    const locked = o.lockedAt
      ? o
      : await prisma.$transaction(async (tx) => {
          const u = await tx.reportingObligation.update({ where: { id: o.id }, data: { lockedAt: deps.now() } });
          await audit(tx, { forbundId, actor: actor(req), action: 'report.locked', entityType: 'obligation', entityId: o.id });
          return u;
        });
    res.json({ ...obligationJson(locked, today()), locked: true });
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
    if (!t || !tokenMatches(deps.linkSecret, submissionPurpose(id), t)) {
      throw new HttpError(403, 'this link does not open this report', [{ field: 'token', problem: 'missing or not valid for this report' }]);
    }
    const o = await prisma.reportingObligation.findUnique({ where: { id }, include: { project: { include: { forbund: true } }, submissions: { select: { id: true, submittedAt: true, late: true } } } });
    if (!o) throw notFound('report');
    return o;
  };

  pub.get('/api/v1/submissions/:id', async (req, res) => {
    const o = await openObligation(req);
    res.json({ forbund: o.project.forbund.name, project: { key: o.project.key, name: o.project.name }, obligation: obligationJson(o, today()), figures: FIGURE_FIELDS });
  });

  const submit = async (req: Request, body: unknown) => {
    const o = await openObligation(req);
    if (o.status === 'withdrawn' || o.project.status === 'withdrawn') throw new HttpError(409, 'the project is withdrawn; no report is expected', [{ field: '(report)', problem: 'project withdrawn' }]);
    if (o.lockedAt) throw new HttpError(409, 'the report is locked by the official and can no longer be corrected', [{ field: '(report)', problem: 'locked' }]);
    const v = validateSubmission(body);
    if (!v.ok) throw badRequest(v.errors);
    const version = o.submissions.length + 1;
    if (version > MAX_VERSIONS) throw new HttpError(409, `the report has ${MAX_VERSIONS} versions; ask the official to correct it`, [{ field: '(report)', problem: `at most ${MAX_VERSIONS} versions` }]);
    const now = deps.now();
    const late = toStockholmDate(now) > isoDay(o.dueDate);
    let s;
    try {
      s = await prisma.$transaction(async (tx) => {
        const created = await tx.submission.create({
          data: { obligationId: o.id, version, submittedAt: now, late, figures: v.value.figures, narrative: v.value.narrative, submittedBy: v.value.submittedBy },
        });
        await tx.reportingObligation.update({ where: { id: o.id }, data: { status: 'submitted' } });
        await tx.escalation.updateMany({ where: { forbundId: o.project.forbundId, subjectType: 'obligation', subjectId: o.id, resolvedAt: null }, data: { resolvedAt: now } });
        await audit(tx, { forbundId: o.project.forbundId, actor: `coordinator-link:${o.id}`, action: version === 1 ? 'report.submitted' : 'report.corrected', entityType: 'obligation', entityId: o.id, data: { submissionId: created.id, version, late } });
        return created;
      });
    } catch (err) {
      // Two submissions of one version at once: the first wins, the second is told.
      if ((err as { code?: string }).code === 'P2002') throw new HttpError(409, 'the report was just submitted by someone else; reload and correct it if needed', [{ field: '(report)', problem: 'submitted concurrently' }]);
      throw err;
    }
    const workflowNotified = version === 1 ? await notifier.reportingChanged(o.projectId, 'report submitted') : true;
    return { o, s, late, version, workflowNotified };
  };

  pub.post('/api/v1/submissions/:id', async (req, res) => {
    const { s, late, version, workflowNotified } = await submit(req, req.body);
    res.status(201).json({ id: s.id, obligationId: s.obligationId, version, submittedAt: s.submittedAt.toISOString(), late, workflowNotified });
  });

  // A plain HTML form for coordinators who open the link in a browser.
  pub.get('/submit/:id', async (req, res) => {
    const o = await openObligation(req);
    const title = `${REPORT_NAMES[o.kind]} ${svDate(isoDay(o.periodStart))}–${svDate(isoDay(o.periodEnd))}`;
    if (o.lockedAt) {
      return void res.type('html').send(`<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(o.project.name)}</h1><h2>${escapeHtml(title)}</h2><p>Rapporten är inlämnad och låst; den kan inte längre rättas. Kontakta kansliet om något behöver ändras.</p></body></html>`);
    }
    const done =
      o.submissions.length >= MAX_VERSIONS
        ? `<p><strong>Rapporten är inlämnad i ${MAX_VERSIONS} versioner</strong>, det högsta antalet. Kontakta kansliet om något behöver ändras.</p>`
        : o.status === 'submitted'
          ? `<p><strong>Rapporten är redan inlämnad</strong> (version ${o.submissions.length}). Du kan rätta den nedan: det blir en ny version och den tidigare sparas.</p>`
          : '';
    res.type('html').send(
      `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>` +
        `<h1>${escapeHtml(o.project.name)}</h1><h2>${escapeHtml(title)}</h2><p>Ska lämnas senast ${svDate(isoDay(o.dueDate))}. Ange bara sammanställda uppgifter – inga uppgifter om enskilda deltagare.</p>${done}` +
        `<form method="post">` +
        Object.entries(FIGURE_FIELDS).map(([k, label]) => `<p><label>${escapeHtml(label)} <input type="number" min="0" step="1" name="${k}"></label></p>`).join('') +
        `<p><label>Beskrivning av arbetet under perioden<br><textarea name="narrative" rows="10" cols="80" required></textarea></label></p>` +
        `<p><label>Ditt namn <input name="submittedBy"></label></p><p><button type="submit">Lämna rapport</button></p></form></body></html>`,
    );
  });

  pub.post('/submit/:id', express.urlencoded({ extended: false, limit: '100kb' }), async (req, res) => {
    // No body (or one of another type) leaves req.body undefined: treat it as an empty form.
    const form = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const figures: Record<string, unknown> = {};
    for (const k of Object.keys(FIGURE_FIELDS)) {
      const v = form[k];
      if (v !== undefined && v !== '') figures[k] = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    }
    const { late, version } = await submit(req, { figures, narrative: form.narrative ?? '', ...(form.submittedBy !== undefined && form.submittedBy !== '' ? { submittedBy: form.submittedBy } : {}) });
    res.status(201).type('html').send(`<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Tack</title></head><body><p>Tack! Rapporten är mottagen${version > 1 ? ` som version ${version}` : ''}${late ? ' (efter sista dag)' : ''}.</p></body></html>`);
  });

  return { forbund: r, public: pub };
}

function projectJson(
  x: { id: string; key: string; name: string; dnr: string | null; huvudman: string; startDate: Date; endDate: Date; grants: unknown; goals: string[]; status: string; coordinator: { name: string; email: string }; obligations: Parameters<typeof obligationJson>[0][] },
  today: string,
) {
  return {
    id: x.id,
    key: x.key,
    name: x.name,
    dnr: x.dnr,
    huvudman: x.huvudman,
    coordinator: { name: x.coordinator.name, email: x.coordinator.email },
    period: { start: isoDay(x.startDate), end: isoDay(x.endDate) },
    grants: x.grants,
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
async function activeProjectIds(prisma: ApiDeps['prisma'], forbundId: string): Promise<string[]> {
  return (await prisma.project.findMany({ where: { forbundId, status: 'active' }, select: { id: true } })).map((p) => p.id);
}

/** Open reports whose period has ended or that fall due within 30 days. */
export async function reportPendingSteps(deps: ApiDeps, forbund: { id: string; slug: string }, today: string): Promise<PendingStep[]> {
  const forbundId = forbund.id;
  const horizon = new Date(`${today}T00:00:00Z`);
  horizon.setUTCDate(horizon.getUTCDate() + 30);
  const [obligations, escalations] = await Promise.all([
    deps.prisma.reportingObligation.findMany({
      where: { status: 'open', projectId: { in: await activeProjectIds(deps.prisma, forbundId) }, OR: [{ periodEnd: { lt: new Date(`${today}T00:00:00Z`) } }, { dueDate: { lte: horizon } }] },
      include: { project: { include: { coordinator: true } } },
    }),
    deps.prisma.escalation.findMany({ where: { forbundId, subjectType: 'obligation', resolvedAt: null }, select: { subjectId: true } }),
  ]);
  const escalated = new Set(escalations.map((e) => e.subjectId));
  return obligations.map((o) =>
    pendingStep(
      {
        type: 'report',
        id: o.id,
        title: `${REPORT_NAMES[o.kind]} ${isoDay(o.periodStart)}–${isoDay(o.periodEnd)}: ${o.project.name}`,
        waitingOn: { role: 'coordinator', name: o.project.coordinator.name, email: o.project.coordinator.email },
        dueDate: isoDay(o.dueDate),
        escalated: escalated.has(o.id),
        links: { project: `/api/v1/forbund/${forbund.slug}/projects/${o.project.key}` },
      },
      today,
    ),
  );
}

/** The day's pending steps, overdue first, kept ready per data version (the API's pages and the start page cut from them). */
export function sortedPendingSteps(deps: ApiDeps, forbundId: string, today: string): Promise<PendingStep[]> {
  return deps.reads.get(forbundId, `pending-steps ${today}`, async () => sortPending(await pendingSteps(deps, forbundId, today)));
}

export async function pendingSteps(deps: ApiDeps, forbundId: string, today: string): Promise<PendingStep[]> {
  const forbund = await deps.prisma.forbund.findUniqueOrThrow({ where: { id: forbundId }, select: { id: true, slug: true } });
  const parts = await Promise.all(deps.pendingSources.map((src) => src(deps, forbund, today)));
  return parts.flat();
}

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
