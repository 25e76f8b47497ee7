// The year page's section "Årsredovisning och ansvarsfrihet" (api/admin/redovisning.ts loads it):
// the årsredovisning of the year before (adopted this year) and this year's delårsrapport, each as
// a GOV.UK summary list of where its statutory chain stands, and each member's decision on
// ansvarsfrihet as a table. For the official: "Registrera revisionsberättelsen" (a date and a
// choice among the matter's handlingar) and, per member still waiting, "Registrera medlemmens
// beslut"; both are <details> disclosures with a form that POSTs (no scripts), opened again with
// the errors next to their fields (the page's error summary links to them). Every text from the
// database is escaped.
import { e } from './layout.js';
import { field, flash, hidden, type Flash } from './admin.js';

/** The id of the section (the year page's anchor, the links from Att göra). */
export const STATUTORY_SECTION = 'ansvarsfrihet';

export interface SummaryRowView {
  key: string;
  value: string;
  /** The value as a link (a handling, a matter). */
  href?: string;
  /** Text after the link. */
  after?: string;
}

export interface AuditFormView {
  action: string;
  back: string;
  /** The first field's id prefix: `${prefix}-datum`, `${prefix}-handling` (the first radio). */
  prefix: string;
  values: { auditReportOn: string; documentId: string };
  errors: { auditReportOn?: string; documentId?: string };
  options: { value: string; text: string }[];
  max: string;
  /** The matter's page, where the revisionsberättelse is uploaded first. */
  uploadHref: string;
  dnr: string;
  open: boolean;
}

export interface DischargeFormView {
  action: string;
  back: string;
  prefix: string;
  values: { outcome: string; decidedOn: string; reference: string };
  errors: { outcome?: string; decidedOn?: string; reference?: string };
  min?: string;
  max: string;
  open: boolean;
}

export interface MemberStateView {
  id: string;
  name: string;
  state: string;
  tag: '' | 'late' | 'done' | 'warn';
  decidedOn: string;
  reference: string;
  reminders: number;
  refusal?: { dnr: string; href: string };
  form?: DischargeFormView;
}

export interface StatutoryReportView {
  anchor: string;
  heading: string;
  rows: SummaryRowView[];
  /** The årsredovisning once sent to the members: each member's decision. */
  members?: MemberStateView[];
  membersNote?: string;
  auditForm?: AuditFormView;
}

export interface StatutorySectionView {
  /** Before the board has adopted the årsredovisning of the year before. */
  notAdopted?: string;
  reports: StatutoryReportView[];
  /** The secretary reads: who registers. */
  readOnlyNote?: string;
  flash?: Flash;
}

const BOX_STYLE = 'width:1.5rem;height:1.5rem;margin:.6rem 0 0;flex:none';

function summaryList(rows: SummaryRowView[]): string {
  return (
    `<dl class="summary-list" style="margin:.5rem 0 1rem">` +
    rows
      .map(
        (r) =>
          `<div style="display:flex;flex-wrap:wrap;gap:0 1.25rem;padding:.4rem 0;border-bottom:1px solid #c9d3dc">` +
          `<dt style="font-weight:600;flex:0 0 14rem">${e(r.key)}</dt>` +
          `<dd style="margin:0;flex:1 1 16rem">${r.href ? `<a href="${e(r.href)}">${e(r.value)}</a>` : e(r.value)}${r.after ? e(r.after) : ''}</dd>` +
          `</div>`,
      )
      .join('') +
    `</dl>`
  );
}

const errorOf = (id: string, error?: string) => (error ? `<p class="error" id="${e(id)}-fel"><span class="vh">Fel: </span>${e(error)}</p>` : '');

function radios(o: { prefix: string; name: string; legend: string; options: { value: string; text: string }[]; chosen: string; error?: string; hint?: string }): string {
  const first = `${o.prefix}`;
  return (
    `<fieldset${o.error ? ` aria-describedby="${e(first)}-fel"` : ''}><legend>${e(o.legend)}</legend>` +
    (o.hint ? `<span class="hint">${e(o.hint)}</span>` : '') +
    errorOf(first, o.error) +
    `<div class="checks">` +
    o.options
      .map((x, i) => {
        const id = i === 0 ? first : `${first}-${i + 1}`;
        return `<div class="check"><input type="radio" style="${BOX_STYLE}" id="${e(id)}" name="${e(o.name)}" value="${e(x.value)}"${o.chosen === x.value ? ' checked' : ''}${o.error ? ' aria-invalid="true"' : ''}><label for="${e(id)}">${e(x.text)}</label></div>`;
      })
      .join('') +
    `</div></fieldset>`
  );
}

function auditFormHtml(f: AuditFormView, heading: string): string {
  if (!f.options.length) {
    return `<p>Revisionsberättelsen registreras när revisorerna har lämnat den. Ladda först upp den som handling på ärendet <a href="${e(f.uploadHref)}">${e(f.dnr)}</a>; sedan väljer du den här.</p>`;
  }
  return (
    `<details${f.open ? ' open' : ''}><summary>Registrera revisionsberättelsen<span class="vh"> för ${e(heading.toLowerCase())}</span></summary><div class="panel">` +
    `<form method="post" action="${e(f.action)}" novalidate>${hidden('tillbaka', f.back)}` +
    field({ id: `${f.prefix}-datum`, name: 'auditReportOn', type: 'date', label: 'Revisionsberättelsens datum', hint: 'Dagen revisorerna skrev under den, till exempel 2027-03-30.', value: f.values.auditReportOn, error: f.errors.auditReportOn, max: f.max, required: true }) +
    radios({ prefix: `${f.prefix}-handling`, name: 'documentId', legend: 'Vilken handling är revisionsberättelsen?', hint: `Handlingarna på ärendet ${f.dnr}. Saknas den, ladda upp den på ärendet först.`, options: f.options, chosen: f.values.documentId, error: f.errors.documentId }) +
    `<p class="hint">Årsredovisningen, revisionsberättelsen och det justerade protokollet skickas sedan till varje medlem, som ombeds besluta om ansvarsfrihet.</p>` +
    `<div class="row"><button type="submit">Registrera revisionsberättelsen</button></div></form>` +
    `</div></details>`
  );
}

function dischargeFormHtml(m: MemberStateView, f: DischargeFormView): string {
  return (
    `<details${f.open ? ' open' : ''}><summary>Registrera medlemmens beslut: ${e(m.name)}</summary><div class="panel">` +
    `<form method="post" action="${e(f.action)}" novalidate>${hidden('tillbaka', f.back)}` +
    radios({
      prefix: `${f.prefix}-utfall`,
      name: 'outcome',
      legend: `Vad beslutade ${m.name}?`,
      options: [
        { value: 'beviljad', text: 'Ansvarsfrihet beviljas' },
        { value: 'inte_beviljad', text: 'Ansvarsfrihet beviljas inte' },
      ],
      chosen: f.values.outcome,
      error: f.errors.outcome,
    }) +
    field({ id: `${f.prefix}-datum`, name: 'decidedOn', type: 'date', label: 'Beslutsdag', hint: 'Dagen medlemmen beslutade, till exempel 2027-05-20.', value: f.values.decidedOn, error: f.errors.decidedOn, min: f.min, max: f.max, required: true }) +
    field({ id: `${f.prefix}-referens`, name: 'reference', type: 'text', label: 'Medlemmens referens (valfri)', hint: 'Diarienummer eller paragraf, till exempel KF § 45.', value: f.values.reference, error: f.errors.reference }) +
    `<p class="hint">Beslutet registreras en gång. Beviljas inte ansvarsfrihet registreras ett ärende till styrelsen.</p>` +
    `<div class="row"><button type="submit">Registrera beslutet<span class="vh"> från ${e(m.name)}</span></button></div></form>` +
    `</div></details>`
  );
}

function membersHtml(r: StatutoryReportView): string {
  if (!r.members) return r.membersNote ? `<p>${e(r.membersNote)}</p>` : '';
  if (!r.members.length) return `<p>Förbundet har inga medlemmar registrerade.</p>`;
  const id = `${r.anchor}-medlemmar`;
  return (
    `<h4 id="${e(id)}">Medlemmarnas beslut om ansvarsfrihet</h4>` +
    `<div class="table-scroll" role="region" aria-labelledby="${e(id)}" tabindex="0"><table class="log"><caption class="vh">Varje medlems beslut om ansvarsfrihet för ${e(r.heading.toLowerCase())}</caption>` +
    `<thead><tr><th scope="col">Medlem</th><th scope="col">Läge</th><th scope="col">Beslutsdag</th><th scope="col">Referens</th><th scope="col">Påminnelser</th></tr></thead><tbody>` +
    r.members
      .map(
        (m) =>
          `<tr id="medlem-${e(m.id)}"><th scope="row">${e(m.name)}</th>` +
          `<td><span class="tag${m.tag ? ` ${m.tag}` : ''}">${e(m.state)}</span>${m.refusal ? `<br>Ärende till styrelsen: <a href="${e(m.refusal.href)}">${e(m.refusal.dnr)}</a>` : ''}</td>` +
          `<td style="white-space:nowrap">${e(m.decidedOn || '–')}</td><td>${e(m.reference || '–')}</td>` +
          `<td>${m.reminders}</td></tr>`,
      )
      .join('') +
    `</tbody></table></div>` +
    (r.members.some((m) => m.form) ? `<ul class="plain">${r.members.filter((m) => m.form).map((m) => `<li>${dischargeFormHtml(m, m.form!)}</li>`).join('')}</ul>` : '')
  );
}

export function statutorySectionHtml(v: StatutorySectionView): string {
  return (
    `<section aria-labelledby="${STATUTORY_SECTION}"><h2 id="${STATUTORY_SECTION}">Årsredovisning och ansvarsfrihet</h2>` +
    flash(v.flash) +
    (v.notAdopted ? `<p>${e(v.notAdopted)}</p>` : '') +
    v.reports
      .map(
        (r) =>
          `<article id="${e(r.anchor)}" aria-labelledby="${e(r.anchor)}-rubrik"><h3 id="${e(r.anchor)}-rubrik">${e(r.heading)}</h3>` +
          summaryList(r.rows) +
          (r.auditForm ? auditFormHtml(r.auditForm, r.heading) : '') +
          membersHtml(r) +
          `</article>`,
      )
      .join('') +
    (v.readOnlyNote ? `<p class="muted">${e(v.readOnlyNote)}</p>` : '') +
    `</section>`
  );
}
