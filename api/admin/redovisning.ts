// The year page's "Årsredovisning och ansvarsfrihet" (/admin/ar/:year#ansvarsfrihet): the
// årsredovisning of the year before (the board adopts it this year) and this year's delårsrapport,
// read as GET statutory-reports/:year reads them (services/redovisning.ts), with each member's
// decision on ansvarsfrihet. The official registers the revisionsberättelse and a member's decision
// here; both go to the chain's workflows exactly as the API's POST statutory-reports/:id/audit-report
// and PUT discharges/:id do (the notifier's update, its refusals through viaWorkflow), checked first
// with the same rules (domain/redovisning.ts), their Swedish texts next to the fields. The
// secretary reads the section.
import type { Request, Response, Router } from 'express';
import { toStockholmDate } from '../../domain/dates.js';
import { auditReportProblems, CHAIN_STAGE_SV, DISCHARGE_STATE_SV, dischargeProblems, REPORT_TITLES, type DischargeState, type FieldProblem } from '../../domain/redovisning.js';
import { svDate } from '../../domain/texts.js';
import { latestHandlingarOf } from '../../services/handlingar.js';
import { isoDay } from '../../services/rapportering.js';
import { dischargeWithReport, statutoryReportsOf, type StatutoryReportRow } from '../../services/redovisning.js';
import { recordDischarge, registerAuditReport } from '../../workflows/signals.js';
import { actor } from '../auth.js';
import { HttpError } from '../errors.js';
import type { ErrorLink } from '../pages/admin.js';
import { STATUTORY_SECTION, type MemberStateView, type StatutoryReportView, type StatutorySectionView } from '../pages/redovisning.js';
import { viaWorkflow } from '../styrelse.js';
import { byWhom, doneAt, doneMessages, flashOf, formOf, PageError, withDone, yearParam, type AdminKit } from './kit.js';

doneMessages({
  revisionsberattelse: 'Revisionsberättelsen är registrerad. Årsredovisningen, revisionsberättelsen och protokollet skickas nu till medlemmarna, som ombeds besluta om ansvarsfrihet.',
  ansvarsfrihet: 'Medlemmens beslut om ansvarsfrihet är registrerat.',
});

/** A form of the section sent back: which one, what was typed, each problem by field (Swedish). */
export interface StatutoryFormError {
  form: 'audit' | 'discharge';
  /** The report's id (audit) or the discharge's (discharge). */
  id: string;
  values: Record<string, string>;
  errors: Record<string, string>;
}

const TAG: Record<DischargeState, MemberStateView['tag']> = { waiting: '', late: 'late', beviljad: 'done', inte_beviljad: 'warn' };
const auditPrefix = (reportId: string) => `rb-${reportId}`;
const dischargePrefix = (dischargeId: string) => `af-${dischargeId}`;
/** The field ids the error summary links to. */
const AUDIT_FIELD: Record<string, string> = { auditReportOn: 'datum', documentId: 'handling' };
const DISCHARGE_FIELD: Record<string, string> = { outcome: 'utfall', decidedOn: 'datum', reference: 'referens' };

const day = (iso: string | null) => (iso ? svDate(toStockholmDate(new Date(iso))) : null);

/** The section's view for the year page, and its form's errors as links for the page's error summary. */
export async function statutorySection(k: AdminKit, req: Request, year: number, sent?: StatutoryFormError): Promise<{ view: StatutorySectionView; errors: ErrorLink[] }> {
  const { prisma, fid, today, isAdmin } = k;
  const forbundId = fid(req);
  const t = today();
  const [before, current] = await Promise.all([statutoryReportsOf(prisma, forbundId, year - 1, t), statutoryReportsOf(prisma, forbundId, year, t)]);
  const annual = before.find((r) => r.kind === 'arsredovisning' && r.adopted);
  const interim = current.find((r) => r.kind === 'delarsrapport' && r.adopted);
  const reports = [annual, interim].filter((r): r is StatutoryReportRow => !!r);
  const admin = isAdmin(req);
  const back = `/admin/ar/${year}#${STATUTORY_SECTION}`;
  const handlingar = await latestHandlingarOf(prisma, reports.flatMap((r) => (r.matter ? [r.matter.id] : [])));
  const auditDocs = await prisma.document.findMany({ where: { forbundId, id: { in: reports.flatMap((r) => (r.auditReport?.documentId ? [r.auditReport.documentId] : [])) } }, select: { id: true, title: true, version: true } });
  const errors: ErrorLink[] = [];

  const views: StatutoryReportView[] = reports.map((r) => {
    const heading = `${REPORT_TITLES[r.kind]} ${r.year}`;
    const rows: StatutoryReportView['rows'] = [{ key: 'Läge', value: CHAIN_STAGE_SV[r.stage] }];
    if (r.adopted) rows.push({ key: 'Antagen av styrelsen', value: `${day(r.adopted.at)}, ${r.adopted.by}` });
    if (r.matter) rows.push({ key: 'Ärende', value: `${r.matter.dnr} ${r.matter.title}`, href: `/admin/arenden/${r.matter.dnr}` });
    rows.push({ key: 'Skickad till revisorerna', value: day(r.sentToAuditorsAt) ?? 'Inte än' });
    if (r.kind === 'arsredovisning') {
      const a = r.auditReport;
      const doc = a?.documentId ? auditDocs.find((d) => d.id === a.documentId) : undefined;
      rows.push(
        a
          ? doc
            ? { key: 'Revisionsberättelse', value: `${svDate(a.on)}: ${doc.title}`, href: `/admin/handlingar/${doc.id}`, after: `. Registrerad ${day(a.registeredAt)}${byWhom(a.registeredBy)}.` }
            : { key: 'Revisionsberättelse', value: `${svDate(a.on)}, registrerad ${day(a.registeredAt)}${byWhom(a.registeredBy)}` }
          : { key: 'Revisionsberättelse', value: 'Inte registrerad än' },
      );
    }
    rows.push({ key: 'Skickad till medlemmarna', value: day(r.sentToMembersAt) ?? 'Inte än' });
    if (r.kind === 'arsredovisning') rows.push({ key: 'Medlemmarnas beslut senast', value: r.replyBy ? svDate(r.replyBy) : 'Bestäms när handlingarna skickas' });
    const v: StatutoryReportView = { anchor: `${r.kind}-${r.year}`, heading, rows };

    if (r.kind === 'arsredovisning' && !r.auditReport && admin && r.matter) {
      const mine = sent?.form === 'audit' && sent.id === r.id ? sent : undefined;
      const prefix = auditPrefix(r.id);
      v.auditForm = {
        action: `/admin/ar/${year}/redovisning/${r.id}/revisionsberattelse`,
        back,
        prefix,
        values: { auditReportOn: mine?.values.auditReportOn ?? '', documentId: mine?.values.documentId ?? '' },
        errors: mine?.errors ?? {},
        options: (handlingar.get(r.matter.id) ?? []).map((h) => ({ value: h.id, text: `${h.title}${h.version > 1 ? ` (version ${h.version})` : ''}, ${h.fileName}` })),
        max: t,
        uploadHref: `/admin/arenden/${r.matter.dnr}#handlingar`,
        dnr: r.matter.dnr,
        open: !!mine,
      };
      if (mine) for (const [f, text] of Object.entries(mine.errors)) errors.push({ href: `#${prefix}-${AUDIT_FIELD[f] ?? 'datum'}`, text });
    }
    if (r.kind === 'arsredovisning') {
      if (!r.sentToMembersAt) v.membersNote = 'Medlemmarna ombeds besluta om ansvarsfrihet när revisionsberättelsen är registrerad och handlingarna har skickats till dem.';
      else {
        const sentOn = toStockholmDate(new Date(r.sentToMembersAt));
        v.members = r.discharges.map((d) => {
          const m: MemberStateView = {
            id: d.id,
            name: d.member.name,
            state: DISCHARGE_STATE_SV[d.state],
            tag: TAG[d.state],
            decidedOn: d.decidedOn ? svDate(d.decidedOn) : '',
            reference: d.reference ?? '',
            reminders: d.remindersSent,
            ...(d.refusalMatter ? { refusal: { dnr: d.refusalMatter.dnr, href: `/admin/arenden/${d.refusalMatter.dnr}` } } : {}),
          };
          if (!d.outcome && admin) {
            const mine = sent?.form === 'discharge' && sent.id === d.id ? sent : undefined;
            const prefix = dischargePrefix(d.id);
            m.form = {
              action: `/admin/ar/${year}/ansvarsfrihet/${d.id}`,
              back,
              prefix,
              values: { outcome: mine?.values.outcome ?? '', decidedOn: mine?.values.decidedOn ?? '', reference: mine?.values.reference ?? '' },
              errors: mine?.errors ?? {},
              min: sentOn,
              max: t,
              open: !!mine,
            };
            if (mine) for (const [f, text] of Object.entries(mine.errors)) errors.push({ href: `#${prefix}-${DISCHARGE_FIELD[f] ?? 'utfall'}`, text });
          }
          return m;
        });
      }
    }
    return v;
  });

  const flash = doneAt(req) === STATUTORY_SECTION ? flashOf(req) : undefined;
  const view: StatutorySectionView = {
    ...(annual ? {} : { notAdopted: `Styrelsen har inte antagit årsredovisningen för ${year - 1} ännu.` }),
    reports: views,
    ...(!admin && reports.some((r) => r.kind === 'arsredovisning' && (!r.auditReport || r.discharges.some((d) => !d.outcome))) ? { readOnlyNote: 'Tjänstepersonen registrerar revisionsberättelsen och medlemmarnas beslut.' } : {}),
    ...(flash ? { flash } : {}),
  };
  return { view, errors };
}

export type RenderYearWith = (req: Request, res: Response, year: number, status: number, sent: StatutoryFormError) => Promise<void>;

const svErrors = (problems: FieldProblem[]) => Object.fromEntries(problems.map((p) => [p.field, p.sv]));

/** A refusal by the workflow, as the page says it: the field errors of a 400, a page for 409 (and 404, 503 as they are). */
function refusedAs(err: unknown, what: string, fields: Record<string, string>): Record<string, string> {
  if (!(err instanceof HttpError)) throw err;
  if (err.status === 400) {
    const out: Record<string, string> = {};
    for (const f of err.fields ?? []) if (fields[f.field]) out[f.field] = fields[f.field];
    if (Object.keys(out).length) return out;
  }
  if (err.status === 409 || err.status === 400) throw new PageError(409, `${what} kunde inte registreras`, ['Årsredovisningens process har redan passerat det steget, eller är inte där än. Inget har ändrats.']);
  throw err;
}

/** The official's forms of the section. */
export function statutoryPages(k: AdminKit, r: Router, render: RenderYearWith): void {
  const { deps, prisma, page, today, fid, onlyOfficial } = k;
  const yearOf = (req: Request) => yearParam(req, '/admin/ar/2027');

  page(
    r,
    {
      method: 'post',
      path: '/ar/:year/redovisning/:id/revisionsberattelse',
      summary:
        "register the revisorer's revisionsberättelse of an adopted årsredovisning (form fields auditReportOn, documentId: one of the matter's handlingar), as POST statutory-reports/:id/audit-report, through the chain's workflow; the official only; errors are shown next to the fields and nothing is changed; a refusal by the workflow (409) as a page (HTML form POST from this site; answers with a redirect to the year page's section)",
      params: { year: 'calendar year of the page, four digits', id: 'statutory report id' },
      response: { contentType: 'text/html' },
    },
    async (req, res) => {
      const year = yearOf(req);
      onlyOfficial(req, 'registrera revisionsberättelsen');
      const id = String(req.params.id);
      const row = /^[0-9a-f-]{36}$/i.test(id) ? await prisma.statutoryReport.findFirst({ where: { id, forbundId: fid(req) } }) : null;
      if (!row) throw new PageError(404, 'Årsredovisningen finns inte', ['Det finns ingen sådan årsredovisning i förbundet.']);
      if (row.kind !== 'arsredovisning' || !row.adoptedAt) throw new PageError(409, 'Revisionsberättelsen kunde inte registreras', ['En revisionsberättelse registreras för en årsredovisning som styrelsen har antagit. Inget har ändrats.']);
      if (row.auditRegisteredAt) throw new PageError(409, 'Revisionsberättelsen är redan registrerad', [`Revisionsberättelsen för årsredovisningen ${row.year} registrerades ${svDate(toStockholmDate(row.auditRegisteredAt))}${byWhom(row.auditRegisteredBy)}. Den kan inte ändras här. Inget har ändrats.`]);
      const form = formOf(req);
      const values = { auditReportOn: (form.auditReportOn ?? '').trim(), documentId: (form.documentId ?? '').trim() };
      const docs = row.matterId ? await prisma.document.findMany({ where: { matterId: row.matterId }, select: { id: true } }) : [];
      const problems = auditReportProblems(values, { today: today(), adoptedOn: row.adoptedAt ? toStockholmDate(row.adoptedAt) : null, documentIds: docs.map((d) => d.id) });
      if (problems.length) return render(req, res, year, 400, { form: 'audit', id, values, errors: svErrors(problems) });
      try {
        await viaWorkflow(deps.notifier.update({ reportId: id }, registerAuditReport, [{ actor: actor(req), ...values }]));
      } catch (err) {
        const errors = refusedAs(err, 'Revisionsberättelsen', { auditReportOn: 'Kontrollera revisionsberättelsens datum.', documentId: 'Välj revisionsberättelsen bland ärendets handlingar.' });
        return render(req, res, year, 400, { form: 'audit', id, values, errors });
      }
      res.redirect(303, withDone(`/admin/ar/${year}#${STATUTORY_SECTION}`, 'revisionsberattelse'));
    },
  );

  page(
    r,
    {
      method: 'post',
      path: '/ar/:year/ansvarsfrihet/:id',
      summary:
        "record a member's decision on ansvarsfrihet as the official received it (form fields outcome beviljad | inte_beviljad, decidedOn, reference), as PUT discharges/:id, through the member's workflow; the official only; errors are shown next to the fields and nothing is changed; already recorded (409) as a page (HTML form POST from this site; answers with a redirect to the year page's section)",
      params: { year: 'calendar year of the page, four digits', id: 'discharge id' },
      response: { contentType: 'text/html' },
    },
    async (req, res) => {
      const year = yearOf(req);
      onlyOfficial(req, 'registrera en medlems beslut om ansvarsfrihet');
      const id = String(req.params.id);
      const d = /^[0-9a-f-]{36}$/i.test(id) ? await dischargeWithReport(prisma, id) : null;
      if (!d || d.report.forbundId !== fid(req)) throw new PageError(404, 'Beslutet finns inte', ['Det finns ingen sådan medlem att registrera ett beslut om ansvarsfrihet för i förbundet.']);
      const form = formOf(req);
      const values = { outcome: (form.outcome ?? '').trim(), decidedOn: (form.decidedOn ?? '').trim(), reference: (form.reference ?? '').trim() };
      if (d.outcome) throw new PageError(409, 'Beslutet är redan registrerat', [`${d.member.name}s beslut om ansvarsfrihet registrerades ${d.decidedOn ? `med beslutsdag ${svDate(isoDay(d.decidedOn))}` : 'tidigare'}. Det kan inte ändras här. Inget har ändrats.`]);
      if (!d.report.sentToMembersAt) throw new PageError(409, 'Beslutet kunde inte registreras', ['Årsredovisningen har inte skickats till medlemmarna än, så det finns inget beslut om ansvarsfrihet att registrera. Inget har ändrats.']);
      const problems = dischargeProblems(values, { today: today(), sentOn: d.report.sentToMembersAt ? toStockholmDate(d.report.sentToMembersAt) : null });
      if (problems.length) return render(req, res, year, 400, { form: 'discharge', id, values, errors: svErrors(problems) });
      try {
        await viaWorkflow(deps.notifier.update({ dischargeId: id }, recordDischarge, [{ actor: actor(req), outcome: values.outcome as 'beviljad', decidedOn: values.decidedOn, reference: values.reference || null }]));
      } catch (err) {
        const errors = refusedAs(err, 'Beslutet', { outcome: 'Välj om ansvarsfrihet beviljades eller inte.', decidedOn: 'Kontrollera beslutsdagen.', reference: 'Kontrollera referensen.' });
        return render(req, res, year, 400, { form: 'discharge', id, values, errors });
      }
      res.redirect(303, withDone(`/admin/ar/${year}#${STATUTORY_SECTION}`, 'ansvarsfrihet'));
    },
  );
}
