// The statutory chain in the API: the year's årsredovisning and delårsrapport and each member's
// ansvarsfrihet (read), the revisionsberättelse registered by the official, a member's decision
// entered by the official or reported by the member's registrator through the personal link.
// Every action goes to the chain's workflow as an update (workflows/redovisning.ts), which checks
// the stage, and the activity checks again in its transaction.
import { Router, type Request, type Response } from 'express';
import { toStockholmDate } from '../domain/dates.js';
import { auditReportProblems, dischargeProblems, type DischargeInput } from '../domain/redovisning.js';
import { dischargeRecordedText } from '../domain/texts.js';
import { checkLink, dischargePurpose } from '../services/links.js';
import { dischargeWithReport, statutoryReport, statutoryReportsOf } from '../services/redovisning.js';
import { isoDay } from '../services/rapportering.js';
import { recordDischarge, registerAuditReport } from '../workflows/signals.js';
import { actor } from './auth.js';
import { declare, type JsonSchema } from './declare.js';
import type { ApiDeps } from './deps.js';
import { badRequest, HttpError, notFound } from './errors.js';
import * as pages from './pages/ansvarsfrihet.js';
import { viaWorkflow } from './styrelse.js';

const DISCHARGE_EXAMPLE = {
  id: '5b2e…',
  member: { key: 'kumla', name: 'Kumla kommun' },
  state: 'beviljad',
  outcome: 'beviljad',
  decidedOn: '2027-05-20',
  reference: 'KF § 45',
  recordedAt: '2027-05-21T08:12:00.000Z',
  remindersSent: 0,
  refusalMatter: null,
};

const REPORT_EXAMPLE = {
  id: '9c0f…',
  kind: 'arsredovisning',
  title: 'Årsredovisning 2026',
  year: 2026,
  stage: 'discharges',
  matter: { id: '41aa…', dnr: '2027-00004', title: 'Årsredovisning och bokslut' },
  adopted: { at: '2027-03-15T10:00:00.000Z', by: 'beslut 2027-00004 § 6' },
  sentToAuditorsAt: '2027-03-15T10:01:00.000Z',
  auditReport: { on: '2027-03-30', documentId: '77d1…', registeredAt: '2027-04-01T09:00:00.000Z', registeredBy: 'person:8d1f… Olga Tjänsteman (admin)' },
  sentToMembersAt: '2027-04-01T09:00:05.000Z',
  replyBy: '2027-06-30',
  discharges: [DISCHARGE_EXAMPLE],
};

const DISCHARGE_FIELDS: Record<string, JsonSchema> = {
  outcome: { type: 'string', enum: ['beviljad', 'inte_beviljad'], description: 'the member granted (beviljad) or refused (inte_beviljad) ansvarsfrihet' },
  decidedOn: { type: 'string', maxLength: 10, description: "the day of the member's decision, YYYY-MM-DD: not in the future nor before the papers were sent" },
  reference: { type: ['string', 'null'], maxLength: 200, description: "the member's reference (its Dnr or the § of its fullmäktige), one line" },
};

/** What both of the personal link's routes take and answer: the discharge by id, the token, a Swedish page. */
const LINK_PAGE = {
  params: { id: 'discharge id' },
  query: { token: { schema: { type: 'string' }, description: 'the secret token of the link' } },
  response: { contentType: 'text/html' },
} as const;

export function statutoryRoutes(deps: ApiDeps): { forbund: Router; public: Router } {
  const { prisma, notifier } = deps;
  const r = Router({ mergeParams: true });
  const pub = Router();
  const route = declare('/api/v1/forbund/{forbund}').route;
  const publicRoute = declare('').route;
  const fid = (req: Request) => req.auth!.forbundId;
  const today = () => toStockholmDate(deps.now());

  route(
    r,
    {
      method: 'get',
      path: '/statutory-reports/:year',
      summary:
        "the year's årsredovisning (adopted the year after) and delårsrapport, as far as their chain has come: adopted by the board (when the protokoll is justerat), sent to the revisorer, the revisionsberättelse registered, sent to the members, and each member's decision on ansvarsfrihet (waiting, late, beviljad, inte_beviljad) with the board matter a refusal opened. Empty before the board has adopted either",
      roles: ['admin', 'secretary', 'economist', 'board_member'],
      params: { year: 'the year reported on, e.g. 2026' },
      response: { example: { data: [REPORT_EXAMPLE] } },
    },
    async (req, res) => {
      const year = Number(req.params.year);
      if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badRequest([{ field: 'year', problem: 'must be a year, e.g. 2026' }]);
      res.json({ data: await statutoryReportsOf(prisma, fid(req), year, today()) });
    },
  );

  route<{ auditReportOn: string; documentId: string }>(
    r,
    {
      method: 'post',
      path: '/statutory-reports/:id/audit-report',
      summary:
        "register the revisorer's revisionsberättelse of an adopted årsredovisning: its date and the handling (uploaded to the årsredovisning's matter first) that holds it (audited report.audit_registered). The chain then sends the årsredovisning, the revisionsberättelse and the justerat protokoll to every member's registrator, each with a personal link for its decision on ansvarsfrihet. 400 names the field; 409 before the board has adopted it, for a delårsrapport, or when already registered",
      roles: ['admin'],
      params: { id: 'statutory report id' },
      body: {
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['auditReportOn', 'documentId'],
          properties: { auditReportOn: { type: 'string', maxLength: 10, description: 'the date of the revisionsberättelse, YYYY-MM-DD, not in the future' }, documentId: { type: 'string', maxLength: 100, description: "the id of the handling on the årsredovisning's matter that is the revisionsberättelse" } },
        },
        example: { auditReportOn: '2027-03-30', documentId: '77d1…' },
      },
      response: { example: REPORT_EXAMPLE },
    },
    async (req, res) => {
      const id = String(req.params.id);
      const row = await prisma.statutoryReport.findFirst({ where: { id, forbundId: fid(req) } });
      if (!row) throw notFound('statutory report');
      const docs = row.matterId ? await prisma.document.findMany({ where: { matterId: row.matterId }, select: { id: true } }) : [];
      const problems = auditReportProblems(req.valid, { today: today(), adoptedOn: row.adoptedAt ? toStockholmDate(row.adoptedAt) : null, documentIds: docs.map((d) => d.id) });
      if (problems.length) throw badRequest(problems.map(({ field, problem }) => ({ field, problem })));
      await viaWorkflow(notifier.update({ reportId: id }, registerAuditReport, [{ actor: actor(req), ...req.valid }]));
      res.json(await statutoryReport(prisma, fid(req), id, today()));
    },
  );

  route<DischargeInput>(
    r,
    {
      method: 'put',
      path: '/discharges/:id',
      summary:
        "record a member's decision on ansvarsfrihet as the official received it (by letter or e-mail), through the member's workflow (audited discharge.recorded); the same the registrator reports through the personal link. Recorded once: 409 when already recorded (the same answer again is 200), or before the papers were sent. inte_beviljad opens a matter for the board",
      roles: ['admin'],
      params: { id: 'discharge id (one member, one årsredovisning)' },
      body: { schema: { type: 'object', additionalProperties: false, required: ['outcome', 'decidedOn'], properties: DISCHARGE_FIELDS }, example: { outcome: 'beviljad', decidedOn: '2027-05-20', reference: 'KF § 45' } },
      response: { example: DISCHARGE_EXAMPLE },
    },
    async (req, res) => {
      const id = String(req.params.id);
      const d = await dischargeWithReport(prisma, id);
      if (!d || d.report.forbundId !== fid(req)) throw notFound('discharge');
      const body = req.valid;
      const problems = dischargeProblems(body, { today: today(), sentOn: d.report.sentToMembersAt ? toStockholmDate(d.report.sentToMembersAt) : null });
      if (problems.length) throw badRequest(problems.map(({ field, problem }) => ({ field, problem })));
      const same = d.outcome === body.outcome && d.decidedOn && isoDay(d.decidedOn) === body.decidedOn && (d.reference ?? null) === (body.reference?.trim() || null);
      if (!same) {
        if (d.outcome) throw new HttpError(409, `${d.member.name}'s decision is already recorded`, [{ field: '(state)', problem: 'already recorded' }]);
        await viaWorkflow(notifier.update({ dischargeId: id }, recordDischarge, [{ actor: actor(req), outcome: body.outcome as 'beviljad', decidedOn: body.decidedOn, reference: body.reference ?? null }]));
      }
      const report = await statutoryReport(prisma, fid(req), d.reportId, today());
      res.json(report!.discharges.find((x) => x.id === id));
    },
  );

  // --- the registrator's personal link (public, by its token) ---

  async function linkTarget(req: Request) {
    const id = String(req.params.id);
    const token = String(req.query.token ?? '');
    if ((await checkLink(prisma, deps.linkSecret, dischargePurpose(id), token)) !== 'current') return null;
    const d = await dischargeWithReport(prisma, id);
    if (!d) return null;
    return { d, token };
  }
  const viewOf = (d: NonNullable<Awaited<ReturnType<typeof dischargeWithReport>>>, token: string): pages.DischargeLinkView => ({
    forbundName: d.report.forbund.name,
    forbundEmail: d.report.forbund.email,
    memberName: d.member.name,
    year: d.report.year,
    replyBy: d.report.replyBy ? isoDay(d.report.replyBy) : null,
    adoptedBy: d.report.adoptedBy,
    action: `/ansvarsfrihet/${encodeURIComponent(d.id)}?token=${encodeURIComponent(token)}`,
  });
  const recordedText = (d: NonNullable<Awaited<ReturnType<typeof dischargeWithReport>>>) =>
    dischargeRecordedText({ memberName: d.member.name, year: d.report.year, outcome: d.outcome as 'beviljad', decidedOn: isoDay(d.decidedOn!), reference: d.reference });
  const html = (res: Response, status: number, body: string) => void res.status(status).type('html').send(body);

  publicRoute(
    pub,
    {
      method: 'get',
      path: '/ansvarsfrihet/:id',
      summary: "a member's personal link for its decision on ansvarsfrihet (Swedish page): the form, or what was recorded; opening it changes nothing. 403 for a forged token",
      ...LINK_PAGE,
    },
    async (req, res) => {
      const t = await linkTarget(req);
      if (!t) return html(res, 403, pages.invalidPage());
      if (t.d.outcome) return html(res, 200, pages.recordedPage(viewOf(t.d, t.token), recordedText(t.d), false));
      html(res, 200, pages.askPage(viewOf(t.d, t.token)));
    },
  );

  publicRoute(
    pub,
    {
      method: 'post',
      path: '/ansvarsfrihet/:id',
      summary: "report the member's decision (HTML form: outcome beviljad | inte_beviljad, decidedOn YYYY-MM-DD, reference): recorded through the member's workflow, once. 400 shows the form again with the errors; the same answer twice shows what was recorded",
      ...LINK_PAGE,
    },
    async (req, res) => {
      const t = await linkTarget(req);
      if (!t) return html(res, 403, pages.invalidPage());
      const view = viewOf(t.d, t.token);
      if (t.d.outcome) return html(res, 200, pages.recordedPage(view, recordedText(t.d), false));
      const b = (req.body ?? {}) as Record<string, unknown>;
      const values = { outcome: String(b.outcome ?? ''), decidedOn: String(b.decidedOn ?? '').trim(), reference: String(b.reference ?? '').trim() };
      const problems = dischargeProblems(values, { today: today(), sentOn: t.d.report.sentToMembersAt ? toStockholmDate(t.d.report.sentToMembersAt) : null });
      if (problems.length) return html(res, 400, pages.askPage(view, { errors: Object.fromEntries(problems.map((p) => [p.field, p.sv])), values }));
      try {
        await viaWorkflow(notifier.update({ dischargeId: t.d.id }, recordDischarge, [{ actor: `discharge-link:${t.d.member.key}`, outcome: values.outcome as 'beviljad', decidedOn: values.decidedOn, reference: values.reference || null }]));
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        const fresh = await dischargeWithReport(prisma, t.d.id);
        if (fresh?.outcome) return html(res, 200, pages.recordedPage(view, recordedText(fresh), false));
        return html(res, err.status === 503 ? 503 : 409, pages.closedPage(view, err.status === 503 ? 'unavailable' : 'refused'));
      }
      const fresh = (await dischargeWithReport(prisma, t.d.id))!;
      html(res, 200, pages.recordedPage(view, recordedText(fresh), true));
    },
  );

  return { forbund: r, public: pub };
}
