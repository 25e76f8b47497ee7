// The projects (insatser) pages, as HTML from what api/admin/projekt.ts loads: the list (active
// first, then ended and withdrawn), one project (facts, goals, grants per year, its reports, and
// after a change what happened to them), and the form that creates or changes a project.
//
// As every admin page: Swedish, no scripts, each problem next to its field (aria-describedby,
// aria-invalid) with a summary at the top linking to the fields, what was typed kept.
import type { IsoDate } from '../../domain/dates.js';
import { date, e, svNumber } from './layout.js';
import { errorSummary, field, flash, page, type Chrome, type ErrorLink, type Flash } from './admin.js';

export interface ProjectRowView {
  href: string;
  name: string;
  periodText: string;
  coordinator: string;
  /** The next open report: its name and due date. */
  next?: { what: string; due: IsoDate };
  overdue: number;
  note?: string;
}

export function projectListPage(o: { chrome: Chrome; groups: { id: string; heading: string; rows: ProjectRowView[]; empty: string }[]; canCreate: boolean; flash?: Flash }): string {
  const row = (p: ProjectRowView) =>
    `<li><h3><a href="${e(p.href)}">${e(p.name)}</a></h3>` +
    `<dl class="facts"><dt>Period</dt><dd>${e(p.periodText)}${p.note ? ` <span class="muted">(${e(p.note)})</span>` : ''}</dd>` +
    `<dt>Samordnare</dt><dd>${e(p.coordinator)}</dd>` +
    `<dt>Nästa rapport</dt><dd>${p.next ? `${e(p.next.what)}, sista dag ${date(p.next.due)}` : 'Ingen rapport väntar'}</dd>` +
    `<dt>Försenade</dt><dd>${p.overdue ? `<strong class="tag late">${p.overdue} ${p.overdue === 1 ? 'rapport' : 'rapporter'}</strong>` : 'Inga'}</dd></dl></li>`;
  return page(
    'Insatser',
    `<h1>Insatser</h1>` +
      `<p class="lead">Förbundets insatser med samordnare och rapporter. Pågående och kommande står först.</p>` +
      flash(o.flash) +
      (o.canCreate ? `<p><a class="button" href="/admin/ny-insats">Ny insats</a></p>` : `<p class="muted">Tjänstepersonen lägger till och ändrar insatser.</p>`) +
      o.groups
        .map((g) => `<section aria-labelledby="${g.id}"><h2 id="${g.id}">${e(g.heading)}</h2>` + (g.rows.length ? `<ul class="cards">${g.rows.map(row).join('')}</ul>` : `<p>${e(g.empty)}</p>`) + `</section>`)
        .join(''),
    o.chrome,
  );
}

export interface ReportRowView {
  href: string;
  what: string;
  due: IsoDate;
  state: string;
  tag: '' | 'late' | 'done' | 'gone';
}

export interface ChangeView {
  heading: string;
  items: string[];
}

export function projectPage(o: {
  chrome: Chrome;
  name: string;
  lead: string;
  facts: [string, string][];
  coordinator: { name: string; email: string };
  goals: string[];
  grants: { year: string; amount: number }[];
  reports: ReportRowView[];
  changes?: { heading: string; lists: ChangeView[] };
  actions: { href: string; text: string }[];
  note?: string;
  flash?: Flash;
  /** A conditional start: "Villkorad start: … — väntar på beslut"; for the official, while unmet, the form recording it met. */
  condition?: { text: string; waiting: boolean; form?: { action: string; max: IsoDate; value?: string; note?: string; error?: string } };
  /** The board's decisions on the project's funding: "Beviljat 2027: 400 000 kr, beslut 2027-00012 § 5". */
  grantDecisions?: string[];
}): string {
  const total = o.grants.reduce((s, g) => s + g.amount, 0);
  const f = o.condition?.form;
  const condition = o.condition
    ? `<section id="villkor" aria-labelledby="villkor-rubrik" class="panel-box"><h2 id="villkor-rubrik">Villkorad start</h2><p${o.condition.waiting ? ' class="flash warn"' : ''}>${e(o.condition.text)}</p>` +
      (o.condition.waiting ? `<p>Inga rapporter planeras förrän villkoret är uppfyllt. Rapporterna planeras sedan från den dagen.</p>` : '') +
      (f
        ? `<form method="post" action="${e(f.action)}" novalidate>` +
          `<div class="field${f.error ? ' has-error' : ''}"><label for="villkor-datum">Dag då villkoret uppfylldes</label>` +
          `<span class="hint" id="villkor-datum-hint">Dagen för beslutet som insatsen väntade på, senast i dag.</span>` +
          (f.error ? `<p class="error" id="villkor-datum-fel"><span class="vh">Fel: </span>${e(f.error)}</p>` : '') +
          `<input type="date" id="villkor-datum" name="metOn" max="${e(f.max)}" value="${e(f.value ?? '')}" aria-describedby="villkor-datum-hint${f.error ? ' villkor-datum-fel' : ''}"${f.error ? ' aria-invalid="true"' : ''}></div>` +
          `<div class="field"><label for="villkor-anteckning">Anteckning (frivillig)</label><textarea id="villkor-anteckning" name="note" rows="2" maxlength="2000">${e(f.note ?? '')}</textarea></div>` +
          `<div class="row"><button type="submit">Villkoret är uppfyllt – planera rapporterna</button></div></form>`
        : '') +
      `</section>`
    : '';
  const decisions = o.grantDecisions?.length ? `<h3>Styrelsens beslut om medel</h3><ul class="plain">${o.grantDecisions.map((d) => `<li>${e(d)}</li>`).join('')}</ul>` : '';
  const changes = o.changes
    ? `<section id="andringar" aria-labelledby="andringar-rubrik" class="panel-box"><h2 id="andringar-rubrik">${e(o.changes.heading)}</h2>` +
      (o.changes.lists.length
        ? o.changes.lists.map((l) => `<h3>${e(l.heading)}</h3><ul class="plain">${l.items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`).join('')
        : `<p>Rapporterna blev som förut.</p>`) +
      `</section>`
    : '';
  return page(
    o.name,
    `<p><a href="/admin/insatser">← Insatser</a></p>` +
      `<h1>${e(o.name)}</h1><p class="lead">${e(o.lead)}</p>` +
      flash(o.flash) +
      changes +
      condition +
      `<dl class="facts">${o.facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}` +
      `<dt>Samordnare</dt><dd>${e(o.coordinator.name)}, <a href="mailto:${e(o.coordinator.email)}">${e(o.coordinator.email)}</a></dd></dl>` +
      (o.actions.length ? `<div class="actions">${o.actions.map((a) => `<a href="${e(a.href)}">${e(a.text)}</a>`).join('')}</div>` : '') +
      (o.note ? `<p class="muted">${e(o.note)}</p>` : '') +
      `<section aria-labelledby="mal"><h2 id="mal">Mål</h2>` +
      (o.goals.length ? `<ul class="plain">${o.goals.map((g) => `<li>${e(g)}</li>`).join('')}</ul>` : `<p>Inga mål angivna.</p>`) +
      `</section>` +
      `<section aria-labelledby="medel"><h2 id="medel">Beviljade medel</h2>` +
      (o.grants.length
        ? `<table class="grants-table"><caption class="vh">Beviljade medel per år, i kronor</caption><thead><tr><th scope="col">År</th><th scope="col">Högst, kronor</th></tr></thead><tbody>` +
          o.grants.map((g) => `<tr><th scope="row">${e(g.year)}</th><td>${svNumber(g.amount)}</td></tr>`).join('') +
          (o.grants.length > 1 ? `<tr><th scope="row">Totalt</th><td>${svNumber(total)}</td></tr>` : '') +
          `</tbody></table>`
        : `<p>Inga medel angivna.</p>`) +
      decisions +
      `</section>` +
      `<section aria-labelledby="rapporter"><h2 id="rapporter">Rapporter</h2>` +
      (o.reports.length
        ? `<ul class="reports">${o.reports.map((r) => `<li><a href="${e(r.href)}">${e(r.what)}</a> <span class="due">Sista dag ${date(r.due)}</span> <span class="tag ${r.tag}">${e(r.state)}</span></li>`).join('')}</ul>`
        : `<p>Insatsen har inga rapporter.</p>`) +
      `</section>`,
    o.chrome,
  );
}

// --- the form -------------------------------------------------------------------------------

export interface GrantRow {
  year: string;
  amount: string;
}

export interface ProjectFormValues {
  key: string;
  name: string;
  dnr: string;
  huvudman: string;
  start: string;
  end: string;
  goals: string;
  grants: GrantRow[];
  reports: string[];
  /** A person's key, 'ny' (a new person) or '' (none chosen). */
  coordinator: string;
  coordinatorName: string;
  coordinatorEmail: string;
}

/** The form's field ids, by what they hold; grant rows are `bidrag-ar-N` and `bidrag-belopp-N` (from 1). */
export const FIELD_IDS = { key: 'kortnamn', name: 'namn', dnr: 'dnr', huvudman: 'huvudman', start: 'start', end: 'slut', goals: 'mal', reports: 'rapporter', coordinator: 'samordnare', coordinatorName: 'samordnare-namn', coordinatorEmail: 'samordnare-epost' } as const;

const described = (id: string, hint: boolean, error: string | undefined) => {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-fel` : ''].filter(Boolean).join(' ');
  return (ids ? ` aria-describedby="${ids}"` : '') + (error ? ' aria-invalid="true"' : '');
};
const errorP = (id: string, error: string | undefined) => (error ? `<p class="error" id="${id}-fel"><span class="vh">Fel: </span>${e(error)}</p>` : '');
const hintP = (id: string, hint: string | undefined) => (hint ? `<span class="hint" id="${id}-hint">${e(hint)}</span>` : '');

export function projectFormPage(o: {
  chrome: Chrome;
  mode: 'create' | 'edit';
  /** The project's name and key when editing. */
  project?: { name: string; key: string };
  action: string;
  values: ProjectFormValues;
  errors: Record<string, string>;
  summary: ErrorLink[];
  people: { key: string; name: string; email: string; coordinator: boolean }[];
  kinds: { kind: string; label: string; hint: string }[];
}): string {
  const v = o.values;
  const err = o.errors;
  const title = o.mode === 'create' ? 'Ny insats' : `Ändra ${o.project!.name}`;
  const text = (key: keyof typeof FIELD_IDS, label: string, x: { hint?: string; required?: boolean; className?: string; type?: 'text' | 'date'; autocomplete?: string } = {}) =>
    `<div class="${x.className === 'short' ? '' : 'grow'}">` +
    field({ id: FIELD_IDS[key], name: key, type: x.type ?? 'text', label, value: String(v[key as keyof ProjectFormValues] ?? ''), hint: x.hint, error: err[FIELD_IDS[key]], required: x.required, className: x.className, autocomplete: x.autocomplete }) +
    `</div>`;

  const keyField =
    o.mode === 'create'
      ? `<div>${field({ id: FIELD_IDS.key, name: 'key', type: 'text', label: 'Kortnamn (valfritt)', value: v.key, hint: 'Används i adresser och i förbundsfilen: små bokstäver a–z, siffror och bindestreck, till exempel steg-framat. Tomt: görs av namnet. Kan inte ändras senare.', error: err[FIELD_IDS.key], className: 'short', autocomplete: 'off' })}</div>`
      : `<p><span class="label">Kortnamn</span>${e(o.project!.key)} <span class="muted">(kan inte ändras)</span></p>`;

  const goalsId = FIELD_IDS.goals;
  const goals =
    `<label for="${goalsId}">Mål</label>` +
    hintP(goalsId, 'Ett mål per rad.') +
    errorP(goalsId, err[goalsId]) +
    `<textarea id="${goalsId}" name="goals" rows="5"${described(goalsId, true, err[goalsId])}>${e(v.goals)}</textarea>`;

  const grantErrors = v.grants.map((_, i) => [err[`bidrag-ar-${i + 1}`], err[`bidrag-belopp-${i + 1}`]] as const);
  const grants =
    `<fieldset><legend>Beviljade medel per år</legend>` +
    `<span class="hint" id="medel-hint">Högsta belopp för varje budgetår, i hela kronor, till exempel 1 210 000. Tomma rader räknas inte. Inget år efter det år insatsen slutar.</span>` +
    `<table class="grants-form"><thead><tr><th scope="col" id="medel-ar">År</th><th scope="col" id="medel-belopp">Kronor</th></tr></thead><tbody>` +
    v.grants
      .map((g, i) => {
        const n = i + 1;
        const [ey, ea] = grantErrors[i];
        const yid = `bidrag-ar-${n}`;
        const aid = `bidrag-belopp-${n}`;
        return (
          `<tr><td>${errorP(yid, ey)}<label class="vh" for="${yid}">År, rad ${n}</label><input type="text" inputmode="numeric" id="${yid}" name="grantYear${n}" value="${e(g.year)}" class="year" autocomplete="off"${described(yid, false, ey)}></td>` +
          `<td>${errorP(aid, ea)}<label class="vh" for="${aid}">Kronor, rad ${n}</label><input type="text" inputmode="numeric" id="${aid}" name="grantAmount${n}" value="${e(g.amount)}" class="amount" autocomplete="off"${described(aid, false, ea)}></td></tr>`
        );
      })
      .join('') +
    `</tbody></table></fieldset>`;

  const rid = FIELD_IDS.reports;
  const reports =
    `<fieldset id="${rid}"${err[rid] ? ` aria-describedby="${rid}-fel"` : ''}><legend>Rapporter som insatsen ska lämna</legend>` +
    `<span class="hint">Förbundets rapportregler avgör när varje rapport ska vara inne.</span>` +
    errorP(rid, err[rid]) +
    `<div class="checks">` +
    o.kinds
      .map((k, i) => `<div class="check"><input type="checkbox" id="rapport-${e(k.kind)}" name="reports" value="${e(k.kind)}"${v.reports.includes(k.kind) ? ' checked' : ''}${i === 0 && err[rid] ? ' aria-invalid="true"' : ''}><label for="rapport-${e(k.kind)}">${e(k.label)} <span class="hint">${e(k.hint)}</span></label></div>`)
      .join('') +
    `</div></fieldset>`;

  const cid = FIELD_IDS.coordinator;
  const coordinator =
    `<fieldset><legend>Samordnare</legend>` +
    `<span class="hint">Samordnaren lämnar rapporterna och får påminnelserna.</span>` +
    `<label for="${cid}">Person i förbundet</label>` +
    errorP(cid, err[cid]) +
    `<select id="${cid}" name="coordinator"${described(cid, false, err[cid])}>` +
    `<option value=""${v.coordinator === '' ? ' selected' : ''}>Välj samordnare</option>` +
    [
      ['Samordnare', o.people.filter((p) => p.coordinator)],
      ['Andra i förbundet', o.people.filter((p) => !p.coordinator)],
    ]
      .filter(([, list]) => (list as unknown[]).length)
      .map(([label, list]) => `<optgroup label="${e(label as string)}">` + (list as typeof o.people).map((p) => `<option value="${e(p.key)}"${v.coordinator === p.key ? ' selected' : ''}>${e(p.name)} (${e(p.email)})</option>`).join('') + `</optgroup>`)
      .join('') +
    `<option value="ny"${v.coordinator === 'ny' ? ' selected' : ''}>Någon annan – en ny person, fyll i nedan</option>` +
    `</select>` +
    `<p class="hint">En ny person: välj ”Någon annan” och fyll i namn och e-post.</p>` +
    `<div class="fields">` +
    `<div class="grow">${field({ id: FIELD_IDS.coordinatorName, name: 'coordinatorName', type: 'text', label: 'Den nya samordnarens namn', value: v.coordinatorName, error: err[FIELD_IDS.coordinatorName], autocomplete: 'off' })}</div>` +
    `<div class="grow">${emailField(FIELD_IDS.coordinatorEmail, 'coordinatorEmail', 'Den nya samordnarens e-post', v.coordinatorEmail, err[FIELD_IDS.coordinatorEmail])}</div>` +
    `</div></fieldset>`;

  return page(
    title,
    errorSummary(o.summary) +
      `<p><a href="${o.mode === 'create' ? '/admin/insatser' : `/admin/insatser/${encodeURIComponent(o.project!.key)}`}">← ${o.mode === 'create' ? 'Insatser' : e(o.project!.name)}</a></p>` +
      `<h1>${e(title)}</h1>` +
      (o.mode === 'create'
        ? `<p class="lead">Rapporterna planeras efter förbundets rapportregler när insatsen sparas, och samordnaren får påminnelser inför varje rapport.</p>`
        : `<p class="lead">Rapporterna planeras om när ändringen sparas: flyttas slutdatum tidigare återkallas de rapporter som inte längre behövs. Inlämnade rapporter finns kvar.</p>`) +
      `<form method="post" action="${e(o.action)}" class="project-form" novalidate>` +
      `<div class="fields">` +
      text('name', 'Namn', { required: true }) +
      `</div><div class="fields">` +
      keyField +
      text('dnr', 'Diarienummer (valfritt)', { hint: 'Beslutets Dnr, till exempel 2026-00012.', className: 'short' }) +
      `</div>` +
      `<div class="fields">${text('huvudman', 'Huvudman (valfritt)', { hint: 'Den organisation som äger insatsen.' })}</div>` +
      `<fieldset><legend>Period</legend><div class="fields">` +
      `<div>${field({ id: FIELD_IDS.start, name: 'start', type: 'date', label: 'Startdatum', value: v.start, error: err[FIELD_IDS.start], required: true })}</div>` +
      `<div>${field({ id: FIELD_IDS.end, name: 'end', type: 'date', label: 'Slutdatum', value: v.end, error: err[FIELD_IDS.end], required: true, hint: 'Insatsens sista dag.' })}</div>` +
      `</div></fieldset>` +
      coordinator +
      reports +
      grants +
      goals +
      `<div class="row"><button type="submit">${o.mode === 'create' ? 'Spara insatsen' : 'Spara ändringarna'}</button>` +
      `<a href="${o.mode === 'create' ? '/admin/insatser' : `/admin/insatser/${encodeURIComponent(o.project!.key)}`}">Avbryt</a></div>` +
      `</form>`,
    o.chrome,
  );
}

function emailField(id: string, name: string, label: string, value: string, error: string | undefined): string {
  return `<label for="${id}">${e(label)}</label>` + errorP(id, error) + `<input type="email" id="${id}" name="${name}" value="${e(value)}" autocomplete="off"${described(id, false, error)}>`;
}

