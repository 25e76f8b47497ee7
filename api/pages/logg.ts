// The audit log page (the official's): every recorded change, newest first, 50 to a page with
// links to the newer and older pages, filtered by kind of action and by date range (a GET form),
// each row when, who, what and about what (a link to its page where there is one).
import { errorSummary, page, type Chrome, type ErrorLink } from './admin.js';
import { e } from './layout.js';

export interface LogRow {
  at: string;
  whenText: string;
  who: string;
  what: string;
  about?: { text: string; href?: string };
}

export interface LogView {
  chrome: Chrome;
  /** The filter as asked (the form shows it again). */
  values: { kind: string; from: string; to: string };
  errors: { kind?: string; from?: string; to?: string; page?: string };
  kinds: { group: string; value: string; all: string; options: { value: string; label: string }[] }[];
  rows: LogRow[];
  filtered: boolean;
  newer?: string;
  older?: string;
}

function select(v: LogView): string {
  const err = v.errors.kind;
  const opts = v.kinds
    .map(
      (g) =>
        `<optgroup label="${e(g.group)}"><option value="${e(g.value)}"${v.values.kind === g.value ? ' selected' : ''}>${e(g.all)}</option>` +
        g.options.map((o) => `<option value="${e(o.value)}"${v.values.kind === o.value ? ' selected' : ''}>${e(o.label)}</option>`).join('') +
        `</optgroup>`,
    )
    .join('');
  return (
    `<label for="handelse">Slags händelse</label>` +
    (err ? `<p class="error" id="handelse-fel"><span class="vh">Fel: </span>${e(err)}</p>` : '') +
    `<select id="handelse" name="handelse"${err ? ' aria-describedby="handelse-fel" aria-invalid="true"' : ''}><option value=""${v.values.kind ? '' : ' selected'}>Alla händelser</option>${opts}</select>`
  );
}

function dateField(id: string, name: string, label: string, value: string, err?: string): string {
  return (
    `<label for="${id}">${e(label)}</label>` +
    (err ? `<p class="error" id="${id}-fel"><span class="vh">Fel: </span>${e(err)}</p>` : '') +
    `<input type="date" id="${id}" name="${name}" value="${e(value)}"${err ? ` aria-describedby="${id}-fel" aria-invalid="true"` : ''}>`
  );
}

export function logPage(v: LogView): string {
  const errors: ErrorLink[] = [
    ...(v.errors.kind ? [{ href: '#handelse', text: v.errors.kind }] : []),
    ...(v.errors.from ? [{ href: '#fran', text: v.errors.from }] : []),
    ...(v.errors.to ? [{ href: '#till', text: v.errors.to }] : []),
    ...(v.errors.page ? [{ href: '#handelser', text: v.errors.page }] : []),
  ];
  const form =
    `<form method="get" action="/admin/logg" class="panel-box filters" role="search" aria-label="Filtrera loggen" novalidate>` +
    `<div class="fields"><div class="grow">${select(v)}</div>` +
    `<div>${dateField('fran', 'fran', 'Från och med', v.values.from, v.errors.from)}</div>` +
    `<div>${dateField('till', 'till', 'Till och med', v.values.to, v.errors.to)}</div></div>` +
    `<div class="row"><button type="submit">Visa</button>${v.filtered ? '<a href="/admin/logg">Visa allt</a>' : ''}</div></form>`;
  const pager =
    v.newer || v.older
      ? `<nav aria-label="Sidor i loggen" class="pager"><ul>` +
        (v.newer ? `<li><a href="${e(v.newer)}" rel="prev">← Nyare händelser</a></li>` : '') +
        (v.older ? `<li><a href="${e(v.older)}" rel="next">Äldre händelser →</a></li>` : '') +
        `</ul></nav>`
      : '';
  const table = v.rows.length
    ? `<div class="table-scroll" role="region" aria-labelledby="logg-tabell" tabindex="0"><table class="log"><caption id="logg-tabell">Händelser, nyast först${v.filtered ? ' (filtrerat)' : ''}</caption>` +
      `<thead><tr><th scope="col">När</th><th scope="col">Vem</th><th scope="col">Vad</th><th scope="col">Gäller</th></tr></thead><tbody>` +
      v.rows
        .map(
          (r) =>
            `<tr><td class="when"><time datetime="${e(r.at)}">${e(r.whenText)}</time></td><td>${e(r.who)}</td><td>${e(r.what)}</td>` +
            `<td>${r.about ? (r.about.href ? `<a href="${e(r.about.href)}">${e(r.about.text)}</a>` : e(r.about.text)) : '–'}</td></tr>`,
        )
        .join('') +
      `</tbody></table></div>`
    : `<p>${errors.length ? 'Rätta filtret för att se händelser.' : v.filtered ? 'Inga händelser med det filtret.' : 'Inga händelser ännu.'}</p>`;
  return page(
    'Logg',
    errorSummary(errors.length ? errors : undefined) +
      `<h1>Logg</h1>` +
      `<p class="lead">Allt som har ändrats i förbundet, vem som gjorde det och när. Loggen kan inte ändras.</p>` +
      form +
      `<section aria-labelledby="handelser"><h2 id="handelser">Händelser</h2>${table}${pager}</section>`,
    v.chrome,
  );
}
