// The diarium (Ärenden) and one matter's page, for the official and the secretary, as HTML from
// what api/admin/arenden.ts loads: every matter of the förbund with its Dnr, title, kind, owner
// (name and Swedish title), state and meeting, newest first, filtered by a GET form (state, kind,
// year, a text in the Dnr or title) and paged; registering a matter (the official's), which says
// the Dnr it got and warns, before anything is stored, of an open matter with the same title; and
// a matter's page: its facts, its meeting (prepared, or a coming meeting chosen), its handling.
// The registration form is shared with the board meeting's page (api/pages/styrelse.ts).
import { errorSummary, field, flash, hidden, page, type Chrome, type ErrorLink, type Flash } from './admin.js';
import { e } from './layout.js';
import { select, type FormState, type Option } from './styrelse.js';

/** A matter's state as a person reads it. */
export const MATTER_STATUS_SV: Record<string, string> = { registered: 'registrerat, inte berett', prepared: 'berett', on_agenda: 'på föredragningslistan', decided: 'beslutat', follow_up: 'återrapportering väntar', closed: 'avslutat' };

// --- registering a matter (here and on a board meeting's page) -------------------------------

/** An open matter with the same title as the one being registered: shown, and "Registrera ändå" sends the form again confirmed. */
export interface DuplicateView {
  dnr: string;
  href: string;
  title: string;
  status: string;
  /** The form to send again with `bekrafta=1`: its action and the values typed. */
  confirm: { action: string; values: Record<string, string> };
}

export interface RegisterFormView {
  action: string;
  state: FormState;
  kinds: Option[];
  owners: { label: string; options: Option[] }[];
  /** The board meetings to choose from (the diarium's form); absent on a meeting's own page. */
  meetings?: Option[];
  /** The projects a funding application may be for (the diarium's form). */
  projects?: Option[];
  hint: string;
  duplicate?: DuplicateView;
}

/** The field ids of the registration form, for the error summary. */
export const REGISTER_IDS: Record<string, string> = { title: 'arende-rubrik', kind: 'arende-slag', owner: 'arende-ansvarig', meeting: 'arende-mote', fundingProject: 'arende-insats', fundingYear: 'arende-ar', fundingAmount: 'arende-belopp' };

/** The warning of an open matter with the same title, and the button that registers the matter anyway. */
function duplicateHtml(d: DuplicateView): string {
  return (
    `<div class="flash warn" id="arende-dubblett" role="alert" tabindex="-1" autofocus>` +
    `<p><strong>Det finns redan ett öppet ärende med samma rubrik:</strong> Dnr <a href="${e(d.href)}">${e(d.dnr)}</a> ${e(d.title)} (${e(d.status)}).</p>` +
    `<p>Är det samma ärende behövs inget nytt; öppna det i stället. Är det ett annat ärende, registrera det ändå – eller ändra rubriken nedan så att ärendena går att skilja åt.</p>` +
    `<form method="post" action="${e(d.confirm.action)}">` +
    Object.entries(d.confirm.values).map(([k, v]) => hidden(k, v)).join('') +
    hidden('bekrafta', '1') +
    `<div class="row"><button type="submit">Registrera ändå</button></div></form>` +
    `</div>`
  );
}

/** The form that registers a matter (in a disclosure, open when sent back). */
export function registerFormHtml(reg: RegisterFormView, summary: string): string {
  const st = reg.state;
  return (
    `<details${st.open ? ' open' : ''}><summary>${e(summary)}</summary><div class="panel">` +
    (reg.duplicate ? duplicateHtml(reg.duplicate) : '') +
    `<form method="post" action="${e(reg.action)}" novalidate>` +
    `<p class="hint" id="arende-hint">${e(reg.hint)}</p>` +
    field({ id: REGISTER_IDS.title, name: 'title', type: 'text', label: 'Rubrik', value: st.values.title, error: st.errors.title, required: true }) +
    `<div class="fields"><div class="grow">` +
    select({ id: REGISTER_IDS.kind, name: 'kind', label: 'Slag av ärende', placeholder: 'Välj slag', options: reg.kinds, value: st.values.kind, error: st.errors.kind, required: true }) +
    `</div><div class="grow">` +
    select({ id: REGISTER_IDS.owner, name: 'owner', label: 'Ansvarig', placeholder: 'Välj ansvarig', groups: reg.owners, value: st.values.owner, error: st.errors.owner, required: true }) +
    `</div></div>` +
    (reg.meetings
      ? select({ id: REGISTER_IDS.meeting, name: 'meeting', label: 'Styrelsemöte', placeholder: 'Nästa möte med öppen föredragningslista', options: reg.meetings, value: st.values.meeting, error: st.errors.meeting, hint: 'Vilket sammanträde ärendet ska till. Utan val går det till det första mötet vars föredragningslista är öppen för ärenden.' })
      : '') +
    (reg.projects?.length
      ? `<fieldset class="fields"><legend>Ansökan om medel (bara för slaget Ansökan om medel)</legend>` +
        `<div class="grow">${select({ id: REGISTER_IDS.fundingProject, name: 'fundingProject', label: 'Insats', placeholder: 'Ingen', options: reg.projects, value: st.values.fundingProject, error: st.errors.fundingProject })}</div>` +
        `<div class="grow">${field({ id: REGISTER_IDS.fundingYear, name: 'fundingYear', type: 'text', label: 'År', value: st.values.fundingYear, error: st.errors.fundingYear, hint: 'Till exempel 2027' })}</div>` +
        `<div class="grow">${field({ id: REGISTER_IDS.fundingAmount, name: 'fundingAmount', type: 'text', label: 'Belopp i kronor', value: st.values.fundingAmount, error: st.errors.fundingAmount, hint: 'Hela kronor. Beviljas ansökan blir beloppet insatsens tak för året när protokollet är justerat.' })}</div>` +
        `</fieldset>`
      : '') +
    `<div class="row"><button type="submit">Registrera ärendet</button></div></form></div></details>`
  );
}

/** After registering: the Dnr the matter got, linked to its page. */
export interface RegisteredView {
  dnr: string;
  href: string;
  /** What happens next. */
  more: string;
}

export const registeredHtml = (r: RegisteredView) =>
  `<div class="flash" role="status" id="registrerat"><p>Ärendet är registrerat med Dnr <a href="${e(r.href)}">${e(r.dnr)}</a>.</p><p>${e(r.more)}</p></div>`;

// --- the diarium -----------------------------------------------------------------------------

export interface MatterRowView {
  dnr: string;
  href: string;
  title: string;
  kind: string;
  owner: string;
  status: string;
  meeting?: { text: string; href: string };
  /** Open, and no board meeting to take it. */
  noMeeting?: boolean;
}

export interface DiariumView {
  chrome: Chrome;
  /** The filter as asked (the form shows it again). */
  values: { lage: string; slag: string; ar: string; sok: string };
  errors: { lage?: string; slag?: string; ar?: string; sok?: string; sida?: string };
  statuses: Option[];
  kinds: Option[];
  years: Option[];
  filtered: boolean;
  rows: MatterRowView[];
  total: number;
  paging: { page: number; pages: number; from: number; to: number; prev?: string; next?: string };
  registered?: RegisteredView;
  flash?: Flash;
  register?: RegisterFormView;
  /** Errors of the registration form sent back. */
  formErrors?: ErrorLink[];
}

export function diariumPage(v: DiariumView): string {
  const filterErrors: ErrorLink[] = [
    ...(v.errors.sok ? [{ href: '#sok', text: v.errors.sok }] : []),
    ...(v.errors.lage ? [{ href: '#lage', text: v.errors.lage }] : []),
    ...(v.errors.slag ? [{ href: '#slag', text: v.errors.slag }] : []),
    ...(v.errors.ar ? [{ href: '#ar', text: v.errors.ar }] : []),
    ...(v.errors.sida ? [{ href: '#lista', text: v.errors.sida }] : []),
  ];
  const errors = [...filterErrors, ...(v.formErrors ?? [])];
  const form =
    `<form method="get" action="/admin/arenden" class="panel-box filters" role="search" aria-label="Filtrera ärendena" novalidate>` +
    `<div class="fields">` +
    `<div>${field({ id: 'sok', name: 'sok', type: 'text', label: 'Sök på Dnr eller rubrik', value: v.values.sok, error: v.errors.sok })}</div>` +
    `<div>${select({ id: 'lage', name: 'lage', label: 'Läge', placeholder: 'Alla lägen', options: v.statuses, value: v.values.lage, error: v.errors.lage })}</div>` +
    `<div>${select({ id: 'slag', name: 'slag', label: 'Slag', placeholder: 'Alla slag', options: v.kinds, value: v.values.slag, error: v.errors.slag })}</div>` +
    `<div>${select({ id: 'ar', name: 'ar', label: 'År', placeholder: 'Alla år', options: v.years, value: v.values.ar, error: v.errors.ar })}</div>` +
    `</div>` +
    `<p class="hint">Hela eller en del av diarienumret eller rubriken, till exempel 00012 eller bokslut; stora och små bokstäver räknas lika.</p>` +
    `<div class="row"><button type="submit">Visa ärenden</button>${v.filtered ? '<a href="/admin/arenden">Visa alla ärenden</a>' : ''}</div></form>`;
  const pg = v.paging;
  const pager =
    pg.pages > 1
      ? `<nav aria-label="Sidor med ärenden" class="pager"><p>Ärende ${pg.from}–${pg.to} av ${v.total}.</p><ul>` +
        (pg.prev ? `<li><a href="${e(pg.prev)}" rel="prev">← Föregående sida</a></li>` : '') +
        (pg.next ? `<li><a href="${e(pg.next)}" rel="next">Nästa sida →</a></li>` : '') +
        `</ul></nav>`
      : '';
  const table = v.rows.length
    ? `<div class="table-scroll" role="region" aria-labelledby="arenden-tabell" tabindex="0"><table class="log"><caption id="arenden-tabell">Ärenden, nyast först${v.filtered ? ' (filtrerat)' : ''}</caption>` +
      `<thead><tr><th scope="col">Dnr</th><th scope="col">Rubrik</th><th scope="col">Slag</th><th scope="col">Ansvarig</th><th scope="col">Läge</th><th scope="col">Styrelsemöte</th></tr></thead><tbody>` +
      v.rows
        .map(
          (r) =>
            `<tr><td style="white-space:nowrap"><a href="${e(r.href)}">${e(r.dnr)}<span class="vh"> ${e(r.title)}</span></a></td><td>${e(r.title)}</td><td>${e(r.kind)}</td><td>${e(r.owner)}</td><td>${e(r.status)}</td>` +
            `<td>${r.meeting ? `<a href="${e(r.meeting.href)}">${e(r.meeting.text)}</a>` : r.noMeeting ? '<strong class="tag warn">Inget möte</strong>' : '–'}</td></tr>`,
        )
        .join('') +
      `</tbody></table></div>`
    : `<p>${filterErrors.length ? 'Rätta filtret för att se ärendena.' : v.filtered ? 'Inga ärenden med det filtret.' : 'Inga ärenden är registrerade ännu.'}</p>`;
  const count = filterErrors.length ? '' : `<p>${v.total === 1 ? '1 ärende' : `${v.total} ärenden`}${v.filtered ? ' med filtret' : ''}.</p>`;
  return page(
    'Ärenden',
    errorSummary(errors.length ? errors : undefined) +
      `<h1>Ärenden</h1>` +
      `<p class="lead">Förbundets diarium: varje ärende med diarienummer, vem som är ansvarig, var det står och vilket styrelsemöte det ska till.</p>` +
      `<p>Beslut som förbundschefen fattar på delegation anmäls till styrelsen: <a href="/admin/delegationsbeslut">Delegationsbeslut</a>.</p>` +
      (v.registered ? registeredHtml(v.registered) : '') +
      flash(v.flash) +
      (v.register ? registerFormHtml(v.register, 'Registrera ett ärende') : '') +
      form +
      `<section aria-labelledby="lista"><h2 id="lista">Diariet</h2>${count}${table}${pager}</section>`,
    v.chrome,
  );
}

// --- one matter ------------------------------------------------------------------------------

export interface MatterPageView {
  chrome: Chrome;
  dnr: string;
  title: string;
  facts: [string, string][];
  description?: string;
  documents: { title: string; url: string }[];
  /** The matter's uploaded handlingar and the form that uploads one. */
  handlingar: HandlingarView;
  flash?: Flash;
  registered?: RegisteredView;
  errors?: ErrorLink[];
  meeting: {
    /** Where the matter stands with its meeting. */
    text: string;
    link?: { href: string; text: string };
    warn?: boolean;
    prepare?: { action: string; back: string };
    choose?: { action: string; state: FormState; options: Option[]; button: string; hint: string };
    note?: string;
  };
  handling: string[];
}

export function matterPage(v: MatterPageView): string {
  const m = v.meeting;
  const ch = m.choose;
  return page(
    `${v.dnr} ${v.title}`,
    errorSummary(v.errors) +
      `<p><a href="/admin/arenden">← Alla ärenden</a></p>` +
      `<h1><span class="muted">Dnr ${e(v.dnr)}</span><br> ${e(v.title)}</h1>` +
      (v.registered ? registeredHtml(v.registered) : '') +
      flash(v.flash) +
      `<dl class="facts">${v.facts.map(([k, x]) => `<dt>${e(k)}</dt><dd>${e(x)}</dd>`).join('')}</dl>` +
      (v.description ? `<p>${e(v.description)}</p>` : '') +
      handlingarHtml(v.handlingar, v.documents) +
      `<section aria-labelledby="mote"><h2 id="mote">Styrelsemöte</h2>` +
      `<p${m.warn ? ' class="flash warn"' : ''}>${e(m.text)}${m.link ? ` <a href="${e(m.link.href)}">${e(m.link.text)}</a>.` : ''}</p>` +
      (m.note ? `<p class="muted">${e(m.note)}</p>` : '') +
      (m.prepare ? `<div class="actions"><form method="post" action="${e(m.prepare.action)}">${hidden('tillbaka', m.prepare.back)}<button type="submit">Markera som berett</button></form></div>` : '') +
      (ch
        ? `<form method="post" action="${e(ch.action)}" class="panel-box" novalidate>` +
          select({ id: 'mote-val', name: 'meeting', label: 'Styrelsemöte', placeholder: 'Välj möte', options: ch.options, value: ch.state.values.meeting, error: ch.state.errors.meeting, required: true, hint: ch.hint }) +
          `<div class="row"><button type="submit"${m.prepare ? ' class="secondary"' : ''}>${e(ch.button)}</button></div></form>`
        : '') +
      `</section>` +
      `<section aria-labelledby="behandling"><h2 id="behandling">Behandling i styrelsen</h2>` +
      (v.handling.length ? `<ul class="plain">${v.handling.map((h) => `<li>${e(h)}</li>`).join('')}</ul>` : `<p class="muted">Styrelsen har inte behandlat ärendet än.</p>`) +
      `</section>`,
    v.chrome,
  );
}

// --- a matter's handlingar -------------------------------------------------------------------

/** One version of a handling as the page lists it. */
export interface HandlingVersionView {
  version: number;
  /** 'PDF, 1,2 MB' */
  typeSize: string;
  /** '12 januari 2037 kl. 9.30' */
  uploaded: string;
  by: string;
  fileName: string;
  href: string;
}

export interface HandlingarView {
  items: { title: string; secret: boolean; versions: HandlingVersionView[] }[];
  upload: {
    action: string;
    state: FormState;
    /** The handlingar a new version may be of (key → title). */
    versionOf: Option[];
    /** '20 MB' */
    limit: string;
  };
}

/** The upload form's field ids, for the error summary. */
export const HANDLING_IDS: Record<string, string> = { title: 'handling-titel', file: 'handling-fil', secret: 'handling-sekretess', key: 'handling-version' };

function handlingarHtml(h: HandlingarView, links: { title: string; url: string }[]): string {
  const u = h.upload;
  const st = u.state;
  const err = (name: string) => (st.errors[name] ? `<p class="error" id="${HANDLING_IDS[name]}-fel"><span class="vh">Fel: </span>${e(st.errors[name])}</p>` : '');
  const describedBy = (name: string, hint: boolean) => {
    const ids = [hint ? `${HANDLING_IDS[name]}-hint` : '', st.errors[name] ? `${HANDLING_IDS[name]}-fel` : ''].filter(Boolean).join(' ');
    return (ids ? ` aria-describedby="${ids}"` : '') + (st.errors[name] ? ' aria-invalid="true"' : '');
  };
  const list = h.items.length
    ? h.items
        .map(
          (x, i) =>
            `<h3 id="handling-${i + 1}">${e(x.title)}${x.secret ? ' <strong class="tag warn">Sekretess</strong>' : ''}</h3>` +
            (x.secret ? `<p class="muted">Sekretess enligt offentlighets- och sekretesslagen: handlingen läses bara inloggad och länkas inte i kallelsen.</p>` : '') +
            `<div class="table-scroll" role="region" aria-labelledby="handling-${i + 1}" tabindex="0"><table class="log"><caption class="vh">Versioner av ${e(x.title)}, nyast först</caption>` +
            `<thead><tr><th scope="col">Version</th><th scope="col">Fil</th><th scope="col">Typ och storlek</th><th scope="col">Uppladdad</th><th scope="col">Hämta</th></tr></thead><tbody>` +
            x.versions
              .map(
                (v, n) =>
                  `<tr><td>${v.version}${n === 0 ? ' <span class="tag">Senaste</span>' : ''}</td><td>${e(v.fileName)}</td><td>${e(v.typeSize)}</td><td>${e(v.uploaded)}${v.by ? `<br><span class="muted">${e(v.by)}</span>` : ''}</td>` +
                  `<td><a href="${e(v.href)}">Ladda ned<span class="vh"> ${e(x.title)}, version ${v.version}</span></a></td></tr>`,
              )
              .join('') +
            `</tbody></table></div>`,
        )
        .join('')
    : `<p class="muted">Inga handlingar är uppladdade till ärendet än.</p>`;
  const form =
    `<details${st.open ? ' open' : ''}><summary>Ladda upp en handling</summary><div class="panel">` +
    `<form method="post" action="${e(u.action)}" enctype="multipart/form-data" novalidate>` +
    `<label for="${HANDLING_IDS.file}">Fil</label>` +
    `<span class="hint" id="${HANDLING_IDS.file}-hint">Pdf, Word (.docx, .doc) eller Excel (.xlsx, .xls), högst ${e(u.limit)}. Årscykel läser vad filen innehåller, inte vad den heter.</span>` +
    err('file') +
    `<input type="file" id="${HANDLING_IDS.file}" name="file" accept=".pdf,.docx,.doc,.xlsx,.xls,application/pdf"${describedBy('file', true)}>` +
    field({ id: HANDLING_IDS.title, name: 'title', type: 'text', label: 'Titel', value: st.values.title, error: st.errors.title, hint: 'En rad, till exempel Tjänsteskrivelse. Inga personnummer. För en ny version kan titeln lämnas tom; då behålls handlingens titel.' }) +
    (u.versionOf.length
      ? select({ id: HANDLING_IDS.key, name: 'key', label: 'Ny version av', placeholder: 'Ingen – det är en ny handling', options: u.versionOf, value: st.values.key, error: st.errors.key, hint: 'Välj handlingen om filen ersätter en som redan är uppladdad. De tidigare versionerna finns kvar.' })
      : '') +
    `<div class="checks"><div class="check">` +
    `<input type="checkbox" id="${HANDLING_IDS.secret}" name="secret" value="ja"${st.values.secret === 'ja' ? ' checked' : ''}${describedBy('secret', true)}>` +
    `<label for="${HANDLING_IDS.secret}">Sekretess enligt offentlighets- och sekretesslagen (OSL) <span class="hint" id="${HANDLING_IDS.secret}-hint">Handlingen läses då bara inloggad: kallelsen säger att den finns men länkar den inte, och den visas aldrig på en offentlig sida. En ny version av en sekretessbelagd handling är också sekretessbelagd.</span></label>` +
    `</div></div>` +
    err('secret') +
    `<div class="row"><button type="submit">Ladda upp handlingen</button></div></form></div></details>`;
  const linked = links.length ? `<h3>Länkar</h3><ul class="plain">${links.map((d) => `<li><a href="${e(d.url)}">${e(d.title)}</a></li>`).join('')}</ul>` : '';
  return `<section aria-labelledby="handlingar"><h2 id="handlingar">Handlingar</h2>${list}${linked}${form}</section>`;
}
