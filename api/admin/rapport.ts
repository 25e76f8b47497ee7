// A report: its state, the submitted report and its earlier versions, the reminders sent, and
// what the official can do about it (a new due date, lock a submitted report, withdraw the project).
import type { Request, Response, Router } from 'express';
import { daysBetween, toStockholmDate, toStockholmTime } from '../../domain/dates.js';
import { type ReportKind } from '../../domain/rapportering.js';
import { readFigures } from '../../domain/rapportuppgifter.js';
import { REPORT_TEXT, svDate, svPeriod } from '../../domain/texts.js';
import { redateObligation } from '../../services/obligations.js';
import { isoDay, lockReport } from '../../services/rapportering.js';
import { renewSubmissionLink, submissionLinkFacts } from '../../services/lankar.js';
import { submissionLinkExpired } from '../../domain/lankar.js';
import { Refusal } from '../../services/refusal.js';
import { actor } from '../auth.js';
import { confirmPage, type ActionView } from '../pages/admin.js';
import { reportPage, reviewFieldId, type ReviewView } from '../pages/rapport.js';
import { commentsOf, reportReview, reviewReport } from '../../services/granskning.js';
import { readPublishedText } from '../../domain/publicering.js';
import { whereSv } from '../../domain/granskning.js';
import { backTo, capital, doneMessages, flashOf, formOf, html, PageError, withDone, type AdminKit } from './kit.js';
import type { FormError, RenderStart } from './start.js';

doneMessages({
  'ny-sista-dag': 'Rapporten har fått en ny sista dag. Påminnelserna till samordnaren börjar om från den.',
  last: 'Rapporten är låst. Samordnaren kan inte längre rätta den via sin länk.',
  'ny-lank': 'En ny länk till rapporten är skickad till samordnaren. Den tidigare länken fungerar inte längre.',
  godkand: 'Rapporten är godkänd för publicering. Den visas på förbundets webbplats tidigast dagen efter att perioden slutar.',
  'godkand-andrad': 'Rapporten är godkänd för publicering med din ändrade text. Den inlämnade texten finns kvar oförändrad.',
  'skickad-tillbaka': 'Rapporten är skickad tillbaka till samordnaren, som får ett mejl med din anledning och länken för att rätta den.',
  'ny-lank-ej-skickad': 'Länken är bytt, men e-postmeddelandet med den nya länken kunde inte skickas till samordnaren. Den tidigare länken fungerar inte längre; skicka en ny länk igen eller kontakta samordnaren.',
});

/** The review form sent back with errors: what was typed, each field's error by its id. */
interface ReviewFormError {
  typed: { narrative?: string; comments?: string[]; reason?: string };
  errors: Record<string, string>;
  summary: { href: string; text: string }[];
}

export function reportPages(k: AdminKit, r: Router, renderStart: RenderStart): void {
  const { deps, prisma, page, today, fid, isAdmin, onlyOfficial, chrome } = k;

  /** The section "Granskning före publicering" of the report's page (services/granskning.ts). */
  async function reviewViewOf(req: Request, id: string, typed?: ReviewFormError): Promise<ReviewView | undefined> {
    const rv = await reportReview(prisma, { forbundId: fid(req), obligationId: id, today: today() });
    if (!rv.latest) return undefined;
    const l = rv.latest;
    const at = (d: Date | null) => (d ? svDate(toStockholmDate(d)) : '');
    const decided =
      l.status === 'approved' ? `Version ${l.version} godkändes för publicering ${at(l.reviewedAt)}${l.reviewedBy ? ` av ${l.reviewedBy}` : ''}.`
      : l.status === 'returned' ? `Version ${l.version} skickades tillbaka till samordnaren för rättelse ${at(l.reviewedAt)}${l.reviewedBy ? ` av ${l.reviewedBy}` : ''}. Rättelsen blir en ny version som granskas igen.`
      : undefined;
    let published: ReviewView['published'];
    if (rv.approved) {
      const row = await prisma.submission.findFirst({ where: { obligationId: id, version: rv.approved.version }, select: { narrative: true, figures: true, publishedText: true } });
      const t = readPublishedText(row?.publishedText);
      published = {
        version: rv.approved.version,
        from: svDate(rv.approved.publishedOn),
        publicNow: rv.approved.publicNow,
        submitted: { narrative: row?.narrative ?? '', comments: commentsOf(row?.figures, rv.goals.length) },
        ...(t ? { redacted: { narrative: t.narrative, comments: rv.goals.map((_, i) => (t.comments[i] ?? commentsOf(row?.figures, rv.goals.length)[i])) } } : {}),
      };
    }
    return {
      version: l.version,
      status: l.status,
      canReview: isAdmin(req) && rv.reviewable,
      warnings: rv.warnings.map((w) => ({ where: whereSv(w.where), sv: w.sv })),
      goals: rv.goals,
      submitted: { narrative: l.narrative, comments: l.comments },
      ...(typed ? { typed: typed.typed, errors: typed.errors } : {}),
      ...(decided ? { decided } : {}),
      returnReason: l.returnReason,
      ...(published ? { published } : {}),
      ...(!isAdmin(req) && rv.reviewable ? { readOnlyNote: 'Förbundschefen granskar rapporten.' } : {}),
    };
  }

  async function renderReport(req: Request, res: Response, id: string, status = 200, formError?: FormError, reviewError?: ReviewFormError) {
    const o = await prisma.reportingObligation.findFirst({ where: { id, project: { forbundId: fid(req) } }, include: { project: { include: { coordinator: true } }, submissions: { orderBy: { version: 'desc' } } } });
    if (!o) throw new PageError(404, 'Rapporten finns inte', ['Det finns ingen sådan rapport i förbundet.']);
    const c = await chrome(req, res, 'other');
    const due = isoDay(o.dueDate);
    const late = o.status === 'open' && due < today() ? daysBetween(due, today()) : 0;
    const escalated = await prisma.escalation.count({ where: { forbundId: fid(req), subjectType: 'obligation', subjectId: o.id, resolvedAt: null } });
    const state =
      o.status === 'submitted'
        ? `Inlämnad (${o.submissions.length} ${o.submissions.length === 1 ? 'version' : 'versioner'})${o.lockedAt ? ', låst' : ''}`
        : o.status === 'withdrawn'
          ? 'Återkallad: insatsen är återkallad'
          : late
            ? `Försenad ${late} ${late === 1 ? 'dag' : 'dagar'}${escalated ? ', anmäld till beredningsgruppen' : ''}`
            : 'Väntar på samordnaren';
    const sent = await prisma.notification.findMany({ where: { forbundId: fid(req), key: { startsWith: `report:${o.id}:` }, status: 'sent' }, orderBy: { sentAt: 'asc' } });
    const STEP: Record<string, string> = { overdue: 'påminnelse efter sista dag, med kopia till tjänstepersonen', escalation: 'eskalering till tjänstepersonen och beredningsgruppen' };
    const reminders = sent.map((n) => {
      const step = n.key.split(':').pop() ?? '';
      const what = STEP[step] ?? (step.startsWith('reminder-') ? (step === 'reminder-0' ? 'påminnelse på sista dagen' : `påminnelse ${step.slice(9)} dagar före sista dag`) : 'påminnelse');
      return `${svDate(toStockholmDate(n.sentAt ?? n.claimedAt))}: ${what} (sista dag ${svDate(n.key.split(':')[2] ?? due)})`;
    });
    const heading = `${capital(REPORT_TEXT[o.kind as ReportKind].name)} ${svPeriod(isoDay(o.periodStart), isoDay(o.periodEnd))}`;
    const actions: ActionView[] = [];
    let note: string | undefined;
    if (o.status === 'open' && o.project.status === 'active') {
      if (isAdmin(req)) {
        const action = `/admin/rapporter/${o.id}/ny-sista-dag`;
        actions.push({ kind: 'date', action, summary: 'Ge ny sista dag', label: 'Ny sista dag', name: 'dueDate', button: 'Spara ny sista dag', back: `/admin/rapporter/${o.id}`, id: 'ny-sista-dag', min: isoDay(o.periodEnd), hint: `Tidigast ${svDate(isoDay(o.periodEnd))}, när perioden slutar. Påminnelserna börjar om från den nya dagen.`, open: true, ...(formError?.action === action ? { error: formError.message, value: formError.value } : {}) });
        actions.push({ kind: 'link', href: `/admin/insatser/${encodeURIComponent(o.project.key)}/aterkalla`, text: 'Återkalla insatsen…' });
      } else {
        note = 'Tjänstepersonen kan ge rapporten en ny sista dag eller återkalla insatsen.';
      }
      actions.push({ kind: 'link', href: `mailto:${o.project.coordinator.email}`, text: `Mejla ${o.project.coordinator.name}` });
    } else if (o.status === 'submitted' && !o.lockedAt) {
      if (isAdmin(req)) {
        actions.push({ kind: 'button', action: `/admin/rapporter/${o.id}/las`, text: 'Lås rapporten', back: `/admin/rapporter/${o.id}`, secondary: true });
        note = 'Rapporten är inlämnad. Samordnaren kan rätta den via sin länk (varje rättelse blir en ny version) tills du låser den.';
      } else {
        note = 'Rapporten är inlämnad. Tjänstepersonen kan låsa den så att den inte längre kan rättas.';
      }
      actions.push({ kind: 'link', href: `mailto:${o.project.coordinator.email}`, text: `Mejla ${o.project.coordinator.name}` });
    } else {
      note = 'Rapporten väntar inte på något; inget behöver göras.';
    }
    // A new submission link (the old one may have reached someone else), while the link still acts.
    const linkFacts = submissionLinkFacts(o);
    if (isAdmin(req) && !linkFacts.withdrawn && !submissionLinkExpired(linkFacts, today())) {
      actions.push({ kind: 'link', href: `/admin/rapporter/${o.id}/ny-lank`, text: 'Skicka ny länk till samordnaren…' });
    }
    const when = (d: Date) => `${svDate(toStockholmDate(d))} kl. ${toStockholmTime(d).replace(/^0/, '').replace(':', '.')}`;
    const REVIEW_TAG = { pending: { text: 'Väntar på granskning', done: false }, approved: { text: 'Godkänd för publicering', done: true }, returned: { text: 'Skickad tillbaka för rättelse', done: true } } as const;
    // Only the latest version is reviewed: an earlier one never reviewed was replaced by a correction.
    const versions = o.submissions.map((v, i) => ({ version: v.version, submittedText: when(v.submittedAt), late: v.late, submittedBy: v.submittedBy, figures: readFigures(v.figures), narrative: v.narrative, ...(i === 0 || v.reviewStatus !== 'pending' ? { review: REVIEW_TAG[v.reviewStatus] } : {}) }));
    html(
      res,
      status,
      reportPage({
        chrome: c,
        heading,
        project: o.project.name,
        facts: [
          ['Insats', o.project.name],
          ['Huvudman', o.project.huvudman || '–'],
          ['Period', svPeriod(isoDay(o.periodStart), isoDay(o.periodEnd))],
          ['Sista dag', svDate(due)],
          ['Läge', state],
        ],
        coordinator: { name: o.project.coordinator.name, email: o.project.coordinator.email },
        versions,
        ...(o.lockedAt ? { locked: `Låst ${when(o.lockedAt)}: rapporten kan inte längre rättas av samordnaren.` } : {}),
        reminders,
        actions,
        note,
        flash: flashOf(req),
        errors: formError ? [{ href: '#ny-sista-dag', text: formError.message }] : reviewError?.summary,
        reportId: o.id,
        review: await reviewViewOf(req, o.id, reviewError),
      }),
    );
  }

  page(r, { method: 'get', path: '/rapporter/:id', summary: 'one report: its state, the reminders sent, a new due date or withdrawing the project (the official) (Swedish HTML page; signed in with a session cookie as admin or secretary)', params: { id: 'report obligation id' }, response: { contentType: 'text/html' } }, async (req, res) => renderReport(req, res, String(req.params.id)));

  page(r, { method: 'post', path: '/rapporter/:id/ny-sista-dag', summary: 'give an open report a new due date (form field dueDate), as PATCH obligations/:id; the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { id: 'report obligation id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'ge en rapport ny sista dag');
    const id = String(req.params.id);
    const form = formOf(req);
    const back = backTo(form, `/admin/rapporter/${id}`);
    const action = `/admin/rapporter/${id}/ny-sista-dag`;
    const again = (message: string) => {
      const fe = { action, message, value: form.dueDate ?? '' };
      return back.startsWith('/admin/rapporter/') ? renderReport(req, res, id, 400, fe) : renderStart(req, res, 400, fe);
    };
    if (!form.dueDate) return again('Ange den nya sista dagen.');
    try {
      const r = await redateObligation(deps, { forbundId: fid(req), id, dueDate: form.dueDate, actor: actor(req) });
      res.redirect(303, withDone(back, 'ny-sista-dag', { later: !r.workflowNotified }));
    } catch (err) {
      if (err instanceof Refusal && err.status === 400) return again(err.problems.map((p) => p.sv).join(' '));
      throw err;
    }
  });

  page(r, { method: 'post', path: '/rapporter/:id/granska', summary: "review the latest version of a report before it is published, as POST obligations/:id/review: approve it (form fields version, beslut=godkann, narrative and comment-N as published) or send it back to the coordinator (beslut=tillbaka, reason); the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect, the page with its errors, or a 409 page when the report changed)", params: { id: 'report obligation id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'granska en rapport före publicering');
    const id = String(req.params.id);
    const form = formOf(req);
    const version = /^\d{1,4}$/.test(form.version ?? '') ? Number(form.version) : 0;
    const decision = form.beslut === 'tillbaka' ? 'return' : 'approve';
    const comments = Object.keys(form).filter((k) => /^comment-\d{1,3}$/.test(k)).sort((a, b) => Number(a.slice(8)) - Number(b.slice(8))).map((k) => form[k]);
    // What was typed in the form that was sent (the other form keeps the submitted text).
    const typed = decision === 'approve' ? { narrative: form.narrative ?? '', comments } : { reason: form.reason ?? '' };
    try {
      const x = await reviewReport(deps, {
        forbundId: fid(req),
        obligationId: id,
        version,
        decision,
        ...(decision === 'approve' ? { narrative: form.narrative ?? '', comments: comments.map((c) => c ?? '') } : { reason: form.reason ?? '' }),
        actor: actor(req),
        reviewerName: req.auth!.name,
      });
      const redacted = decision === 'approve' && !!(await prisma.submission.findUnique({ where: { id: x.submissionId }, select: { publishedText: true } }))?.publishedText;
      res.redirect(303, withDone(`/admin/rapporter/${id}`, decision === 'return' ? 'skickad-tillbaka' : redacted ? 'godkand-andrad' : 'godkand', { later: x.workflowNotified === false }));
    } catch (err) {
      if (err instanceof Refusal && err.status === 400) {
        const errors: Record<string, string> = {};
        const summary: { href: string; text: string }[] = [];
        for (const p of err.problems) {
          const fieldId = reviewFieldId(p.field);
          if (errors[fieldId]) continue;
          errors[fieldId] = p.sv;
          summary.push({ href: `#${fieldId}`, text: p.sv });
        }
        return renderReport(req, res, id, 400, undefined, { typed, errors, summary });
      }
      if (err instanceof Refusal && err.status === 409) throw new PageError(409, 'Rapporten har ändrats sedan du läste den', [err.sv, 'Öppna rapporten igen och granska den version som gäller nu.']);
      if (err instanceof Refusal) throw new PageError(err.status, 'Rapporten kan inte granskas', [err.sv]);
      throw err;
    }
  });

  page(r, { method: 'get', path: '/rapporter/:id/ny-lank', summary: "confirm sending the coordinator a new submission link for one report (the earlier link stops working); the official only (Swedish HTML page; signed in with a session cookie as admin or secretary)", params: { id: 'report obligation id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'skicka en ny länk till samordnaren');
    const id = String(req.params.id);
    const o = await prisma.reportingObligation.findFirst({ where: { id, project: { forbundId: fid(req) } }, include: { project: { include: { coordinator: true } } } });
    if (!o) throw new PageError(404, 'Rapporten finns inte', ['Det finns ingen sådan rapport i förbundet.']);
    const heading = `${capital(REPORT_TEXT[o.kind as ReportKind].name)} ${svPeriod(isoDay(o.periodStart), isoDay(o.periodEnd))}`;
    html(
      res,
      200,
      confirmPage({
        chrome: await chrome(req, res, 'other'),
        title: 'Skicka ny länk till samordnaren?',
        lead: `${o.project.coordinator.name} får ett e-postmeddelande med en ny personlig länk till rapporten.`,
        facts: [['Rapport', heading], ['Insats', o.project.name], ['Samordnare', `${o.project.coordinator.name}, ${o.project.coordinator.email}`]],
        warning: 'Den tidigare länken slutar fungera direkt, även i mejl och kalendrar som samordnaren redan har. Ett sparat utkast finns kvar.',
        action: `/admin/rapporter/${o.id}/ny-lank`,
        button: 'Skicka ny länk till samordnaren',
        back: { href: `/admin/rapporter/${o.id}`, text: 'Avbryt' },
      }),
    );
  });

  page(r, { method: 'post', path: '/rapporter/:id/ny-lank', summary: "send the coordinator a new submission link for one report, as POST obligations/:id/link/renew: the earlier link stops working; the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)", params: { id: 'report obligation id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'skicka en ny länk till samordnaren');
    const id = String(req.params.id);
    let mailed;
    try {
      mailed = (await renewSubmissionLink(deps, { forbundId: fid(req), obligationId: id, by: actor(req) })).mailed;
    } catch (err) {
      if (err instanceof Refusal) throw new PageError(err.status, 'Länken kunde inte bytas', [err.sv]);
      throw err;
    }
    res.redirect(303, withDone(`/admin/rapporter/${id}`, mailed === 'failed' || mailed === 'not-sent' ? 'ny-lank-ej-skickad' : 'ny-lank'));
  });

  page(r, { method: 'post', path: '/rapporter/:id/las', summary: 'lock a submitted report so its coordinator can no longer correct it, as POST obligations/:id/lock; the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { id: 'report obligation id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'låsa en rapport');
    const id = String(req.params.id);
    const back = backTo(formOf(req), `/admin/rapporter/${id}`);
    try {
      await lockReport(deps, { forbundId: fid(req), id, actor: actor(req) });
    } catch (err) {
      if (err instanceof Refusal) throw new PageError(err.status, 'Rapporten kan inte låsas', [err.sv]);
      throw err;
    }
    res.redirect(303, withDone(back, 'last'));
  });
}
