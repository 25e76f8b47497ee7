// Delegationsbeslut: the official records the decisions taken under the board's
// delegationsordning (the form), corrects or removes one not yet reported, and sees which board
// meeting each was reported to ("Anmälan av delegationsbeslut", fixed with the kallelse). The
// secretary reads the list. The same service functions as the API (services/delegation.ts).
import type { Request, Response, Router } from 'express';
import { DELEGATION_LIMITS, type DelegationInput } from '../../domain/delegation.js';
import { svDate } from '../../domain/texts.js';
import { correctDelegationDecision, delegationDecision, listDelegationDecisions, recordDelegationDecision, removeDelegationDecision, type DelegationView } from '../../services/delegation.js';
import { Refusal } from '../../services/refusal.js';
import { actor } from '../auth.js';
import { errorSummary, field, flash, hidden, page as pageHtml, type Chrome, type Flash } from '../pages/admin.js';
import { e } from '../pages/layout.js';
import { doneMessages, flashOf, formOf, html, PageError, withDone, type AdminKit } from './kit.js';

doneMessages({
  'delegationsbeslut-registrerat': 'Delegationsbeslutet är registrerat. Det anmäls till styrelsens nästa sammanträde.',
  'delegationsbeslut-rattat': 'Delegationsbeslutet är rättat.',
  'delegationsbeslut-borttaget': 'Delegationsbeslutet är borttaget.',
});

const PATH = '/admin/delegationsbeslut';
const FIELDS = ['decidedOn', 'delegationPoint', 'subject', 'decision'] as const;
type Field = (typeof FIELDS)[number];
const ID: Record<Field, string> = { decidedOn: 'beslutsdag', delegationPoint: 'delegationspunkt', subject: 'arende', decision: 'beslut' };
type Values = Record<Field, string>;
type Errors = Partial<Record<Field, string>>;

const whoOf = (d: DelegationView) => `${d.decider.name}${d.decider.title ? ` (${d.decider.title})` : ''}`;
const reportedText = (d: DelegationView) => (d.reported ? `Anmäld till ${d.reported.meetingTitle.toLowerCase()} ${svDate(d.reported.meetingDate)}, punkt ${d.reported.itemNumber}` : 'Inte anmäld än: anmäls till styrelsens nästa sammanträde');

function formHtml(o: { action: string; values: Values; errors: Errors; today: string; button: string; cancel?: string }): string {
  const v = o.values;
  const err = o.errors;
  const decisionId = ID.decision;
  const described = [`${decisionId}-hint`, err.decision ? `${decisionId}-fel` : ''].filter(Boolean).join(' ');
  return (
    `<form method="post" action="${e(o.action)}" novalidate>` +
    field({ id: ID.decidedOn, name: 'decidedOn', type: 'date', label: 'Beslutsdag', hint: 'Dagen då beslutet fattades, till exempel 2027-02-03. Inte senare än i dag.', value: v.decidedOn, max: o.today, error: err.decidedOn, required: true }) +
    field({ id: ID.delegationPoint, name: 'delegationPoint', type: 'text', label: 'Punkt i delegationsordningen', hint: `Till exempel 3.2. Högst ${DELEGATION_LIMITS.delegationPoint} tecken.`, value: v.delegationPoint, error: err.delegationPoint, required: true }) +
    field({ id: ID.subject, name: 'subject', type: 'text', label: 'Vad beslutet gäller', hint: `Till exempel Attest av fakturor. En rad, högst ${DELEGATION_LIMITS.subject} tecken.`, value: v.subject, error: err.subject, required: true }) +
    `<label for="${decisionId}">Beslut</label>` +
    `<span class="hint" id="${decisionId}-hint">Vad som beslutades, som styrelsen ska få veta det. Högst 5 000 tecken.</span>` +
    (err.decision ? `<p class="error" id="${decisionId}-fel"><span class="vh">Fel: </span>${e(err.decision)}</p>` : '') +
    `<textarea id="${decisionId}" name="decision" rows="5" required aria-describedby="${described}"${err.decision ? ' aria-invalid="true"' : ''}>${e(v.decision)}</textarea>` +
    `<div class="row"><button type="submit">${e(o.button)}</button>${o.cancel ? ` <a href="${e(o.cancel)}">Avbryt</a>` : ''}</div></form>`
  );
}

const summaryOf = (errors: Errors) => errorSummary(FIELDS.flatMap((f) => (errors[f] ? [{ href: `#${ID[f]}`, text: errors[f]! }] : [])));

function decisionHtml(d: DelegationView, admin: boolean, open: boolean): string {
  const rows: [string, string][] = [
    ['Beslutsdag', svDate(d.decidedOn)],
    ['Punkt i delegationsordningen', d.delegationPoint],
    ['Beslutsfattare', whoOf(d)],
    ['Beslut', d.decision],
    ['Anmälan till styrelsen', reportedText(d)],
  ];
  const actions =
    admin && !d.reported
      ? `<div class="row"><a href="${PATH}/${e(d.id)}">Rätta<span class="vh"> ${e(d.subject)}</span></a>` +
        `<form method="post" action="${PATH}/${e(d.id)}/ta-bort" style="display:inline">${hidden('id', d.id)}<button type="submit" class="secondary">Ta bort<span class="vh"> ${e(d.subject)}</span></button></form></div>`
      : '';
  return (
    `<section id="beslut-${e(d.id)}"${open ? ' tabindex="-1"' : ''}><h3>${e(d.subject)}</h3>` +
    `<dl class="summary">${rows.map(([k, v]) => `<div><dt>${e(k)}</dt><dd style="white-space:pre-line">${e(v)}</dd></div>`).join('')}</dl>` +
    actions +
    `</section>`
  );
}

function listPage(o: { chrome: Chrome; flash?: Flash; admin: boolean; decisions: DelegationView[]; values: Values; errors: Errors; today: string }): string {
  const open = o.decisions.filter((d) => !d.reported);
  const reported = o.decisions.filter((d) => d.reported);
  const form = o.admin
    ? `<h2 id="registrera">Registrera ett delegationsbeslut</h2>` +
      `<p>Beslutet anmäls till styrelsens nästa sammanträde som punkten Anmälan av delegationsbeslut, när föredragningslistan stängs för ärenden. När kallelsen har skickats kan det inte längre ändras.</p>` +
      formHtml({ action: PATH, values: o.values, errors: o.errors, today: o.today, button: 'Registrera beslutet' })
    : `<p>Tjänstepersonen registrerar delegationsbesluten. De anmäls till styrelsens nästa sammanträde.</p>`;
  const body =
    `<h1>Delegationsbeslut</h1>` +
    summaryOf(o.errors) +
    flash(o.flash) +
    form +
    `<h2 id="ej-anmalda">Inte anmälda än (${open.length})</h2>` +
    (open.length ? open.map((d) => decisionHtml(d, o.admin, false)).join('') : '<p>Inga beslut väntar på att anmälas.</p>') +
    `<h2 id="anmalda">Anmälda till styrelsen (${reported.length})</h2>` +
    (reported.length ? reported.map((d) => decisionHtml(d, o.admin, false)).join('') : '<p>Inga beslut har anmälts än.</p>');
  return pageHtml('Delegationsbeslut', body, o.chrome);
}

const EMPTY: Values = { decidedOn: '', delegationPoint: '', subject: '', decision: '' };
const valuesOf = (req: Request): Values => {
  const f = formOf(req);
  return { decidedOn: (f.decidedOn ?? '').trim(), delegationPoint: f.delegationPoint ?? '', subject: f.subject ?? '', decision: f.decision ?? '' };
};
/** A refusal's problems next to their fields; undefined for another refusal. */
const errorsOf = (err: unknown): Errors | undefined => {
  if (!(err instanceof Refusal) || err.status !== 400) return undefined;
  const out: Errors = {};
  for (const p of err.problems) if ((FIELDS as readonly string[]).includes(p.field)) out[p.field as Field] ??= p.sv;
  return Object.keys(out).length ? out : undefined;
};
const refusedPage = (err: Refusal) => new PageError(err.status, err.status === 404 ? 'Beslutet finns inte' : 'Det går inte', [err.sv, 'Inget har ändrats.']);

export function delegationPages(k: AdminKit, r: Router): void {
  const { deps, prisma, page, today, fid, isAdmin, onlyOfficial, chrome } = k;

  async function renderList(req: Request, res: Response, status = 200, form?: { values: Values; errors: Errors }) {
    const decisions = await listDelegationDecisions(prisma, fid(req));
    html(res, status, listPage({ chrome: await chrome(req, res, 'matters'), flash: flashOf(req), admin: isAdmin(req), decisions, values: form?.values ?? { ...EMPTY, decidedOn: today() }, errors: form?.errors ?? {}, today: today() }));
  }

  async function renderEdit(req: Request, res: Response, d: DelegationView, status = 200, form?: { values: Values; errors: Errors }) {
    const values = form?.values ?? { decidedOn: d.decidedOn, delegationPoint: d.delegationPoint, subject: d.subject, decision: d.decision };
    const body =
      `<p><a href="${PATH}">Tillbaka till delegationsbesluten</a></p><h1>Rätta delegationsbeslutet</h1>` +
      summaryOf(form?.errors ?? {}) +
      `<p>Beslutet är inte anmält till styrelsen än och kan därför rättas. Beslutsfattare: ${e(whoOf(d))}.</p>` +
      formHtml({ action: `${PATH}/${d.id}`, values, errors: form?.errors ?? {}, today: today(), button: 'Spara rättelsen', cancel: PATH });
    html(res, status, pageHtml('Rätta delegationsbeslutet', body, await chrome(req, res, 'matters')));
  }

  const one = async (req: Request) => {
    try {
      return await delegationDecision(prisma, fid(req), String(req.params.id));
    } catch (err) {
      throw err instanceof Refusal ? refusedPage(err) : err;
    }
  };

  page(r, { method: 'get', path: '/delegationsbeslut', summary: 'the delegation decisions: the form to record one (the official) and the list, each with the board meeting that was told of it (signed in as admin or secretary)', response: { contentType: 'text/html' } }, async (req, res) => {
    await renderList(req, res);
  });

  page(r, { method: 'post', path: '/delegationsbeslut', summary: 'record a delegation decision (form fields decidedOn, delegationPoint, subject, decision), as POST delegation-decisions; the official only; errors are shown next to the fields and nothing is stored (HTML form POST from this site; answers with a redirect)', response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'registrera delegationsbeslut');
    const values = valuesOf(req);
    try {
      const d = await recordDelegationDecision(deps, { forbundId: fid(req), personId: req.auth!.personId, actor: actor(req), input: values as DelegationInput });
      res.redirect(303, withDone(`${PATH}#beslut-${d.id}`, 'delegationsbeslut-registrerat'));
    } catch (err) {
      const errors = errorsOf(err);
      if (errors) return renderList(req, res, 400, { values, errors });
      throw err instanceof Refusal ? refusedPage(err) : err;
    }
  });

  page(r, { method: 'get', path: '/delegationsbeslut/:id', summary: 'the form to correct a delegation decision not yet reported to the board (the official)', params: { id: 'delegation decision id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'rätta delegationsbeslut');
    const d = await one(req);
    if (d.reported) throw new PageError(409, 'Beslutet kan inte rättas', [`${reportedText(d)}. Ett anmält beslut kan inte längre ändras.`]);
    await renderEdit(req, res, d);
  });

  page(r, { method: 'post', path: '/delegationsbeslut/:id', summary: 'correct a delegation decision not yet reported (form fields decidedOn, delegationPoint, subject, decision), as PATCH delegation-decisions/:id; the official only; a reported one is refused (409) (HTML form POST from this site; answers with a redirect)', params: { id: 'delegation decision id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'rätta delegationsbeslut');
    const d = await one(req);
    const values = valuesOf(req);
    try {
      await correctDelegationDecision(deps, { forbundId: fid(req), id: d.id, actor: actor(req), input: values as DelegationInput });
      res.redirect(303, withDone(`${PATH}#beslut-${d.id}`, 'delegationsbeslut-rattat'));
    } catch (err) {
      const errors = errorsOf(err);
      if (errors) return renderEdit(req, res, d, 400, { values, errors });
      throw err instanceof Refusal ? refusedPage(err) : err;
    }
  });

  page(r, { method: 'post', path: '/delegationsbeslut/:id/ta-bort', summary: 'remove a delegation decision not yet reported (recorded by mistake), as DELETE delegation-decisions/:id; the official only; a reported one is refused (409) (HTML form POST from this site; answers with a redirect)', params: { id: 'delegation decision id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'ta bort delegationsbeslut');
    const d = await one(req);
    try {
      await removeDelegationDecision(deps, { forbundId: fid(req), id: d.id, actor: actor(req) });
    } catch (err) {
      throw err instanceof Refusal ? refusedPage(err) : err;
    }
    res.redirect(303, withDone(PATH, 'delegationsbeslut-borttaget'));
  });
}
