// The official's and the secretary's pages, as HTML from what api/admin/ loads: signing
// in, the start page (pending steps, what goes out in the next 14 days), a report, the year
// (meetings by body, milestones, next year's calendar; a report's page is in rapport.ts) and the confirmations before cancelling
// a meeting, adopting a calendar or withdrawing a project.
//
// Swedish, server-rendered, no scripts (the CSP allows none): every action is a form that POSTs
// and is answered with a redirect (POST-redirect-GET); a form with errors comes back with each
// problem next to its field (aria-describedby, aria-invalid) and a summary at the top linking to
// the fields. Disclosures are <details>, which work with the keyboard and a screen reader.
// Every text from the database is escaped.
import type { IsoDate } from '../../domain/dates.js';
import type { Role } from '../../services/tokens.js';
import { capitalize, ADMIN_STYLE, date, e, nb, shell } from './layout.js';
import { STATUTORY_SECTION, statutorySectionHtml, type StatutorySectionView } from './redovisning.js';

export interface Chrome {
  forbundName: string;
  name: string;
  roleSv: string;
  role: Role;
  /** The menu item of the page shown ('other': none). */
  current: 'start' | 'year' | 'matters' | 'projects' | 'money' | 'audit' | 'sessions' | 'other';
  year: number;
}

/** The main menu: what each role may open (the audit log is the official's). */
function menu(c: Chrome): [Chrome['current'], string, string][] {
  return [
    ['start', '/admin', 'Att göra'],
    ['year', `/admin/ar/${c.year}`, `Året ${c.year}`],
    ['matters', '/admin/arenden', 'Ärenden'],
    ['projects', '/admin/insatser', 'Insatser'],
    ['money', `/admin/pengar/${c.year}`, 'Pengar'],
    ...(c.role === 'admin' ? ([['audit', '/admin/logg', 'Logg'], ['sessions', '/admin/inloggningar', 'Inloggningar']] as [Chrome['current'], string, string][]) : []),
  ];
}

const header = (c: Chrome) =>
  `<header class="site"><div class="wrap bar">` +
  `<p class="brand">${e(c.forbundName)}</p>` +
  `<nav aria-label="Huvudmeny"><ul>` +
  menu(c).map(([id, href, text]) => `<li><a href="${href}"${c.current === id ? ' aria-current="page"' : ''}>${e(text)}</a></li>`).join('') +
  `</ul></nav>` +
  `<form method="post" action="/admin/logga-ut"><span class="who">${e(c.name)}, ${e(c.roleSv)}</span><button type="submit" class="link">Logga ut</button></form>` +
  `</div></header>`;

const plainHeader = `<header class="site"><div class="wrap bar"><p class="brand">Årscykel</p></div></header>`;

/** A page of /admin: the menu when signed in, the title, the body inside <main>. */
export function page(title: string, body: string, chrome?: Chrome): string {
  return shell(`${title} – Årscykel`, `<main id="innehall" tabindex="-1"><div class="wrap">${body}</div></main>`, { header: chrome ? header(chrome) : plainHeader, style: ADMIN_STYLE });
}

// --- form pieces ----------------------------------------------------------------------------

export interface FieldView {
  id: string;
  name: string;
  label: string;
  type: 'text' | 'password' | 'date' | 'time';
  value?: string;
  hint?: string;
  error?: string;
  required?: boolean;
  autocomplete?: string;
  min?: string;
  max?: string;
  className?: string;
}

/** A labelled input with its hint and error, both named by aria-describedby. */
export function field(f: FieldView): string {
  const described = [f.hint ? `${f.id}-hint` : '', f.error ? `${f.id}-fel` : ''].filter(Boolean).join(' ');
  return (
    `<label for="${e(f.id)}">${e(f.label)}</label>` +
    (f.hint ? `<span class="hint" id="${e(f.id)}-hint">${e(f.hint)}</span>` : '') +
    (f.error ? `<p class="error" id="${e(f.id)}-fel"><span class="vh">Fel: </span>${e(f.error)}</p>` : '') +
    `<input type="${f.type}" id="${e(f.id)}" name="${e(f.name)}"` +
    (f.value !== undefined ? ` value="${e(f.value)}"` : '') +
    (f.className ? ` class="${f.className}"` : '') +
    (f.required ? ' required' : '') +
    (f.autocomplete ? ` autocomplete="${f.autocomplete}"` : '') +
    (f.min ? ` min="${e(f.min)}"` : '') +
    (f.max ? ` max="${e(f.max)}"` : '') +
    (described ? ` aria-describedby="${described}"` : '') +
    (f.error ? ' aria-invalid="true"' : '') +
    `>`
  );
}

export const hidden = (name: string, value: string) => `<input type="hidden" name="${e(name)}" value="${e(value)}">`;
const ctx = (context?: string) => (context ? `<span class="vh"> ${e(context)}</span>` : '');

export interface ErrorLink {
  href: string;
  text: string;
}

/** The errors of a form sent back, each a link to its field; focused first when the page opens. */
export function errorSummary(errors: ErrorLink[] | undefined): string {
  if (!errors?.length) return '';
  return (
    `<div class="error-summary" role="alert" aria-labelledby="felrubrik" tabindex="-1" autofocus>` +
    `<h2 id="felrubrik">Något behöver rättas</h2><ul>` +
    errors.map((x) => `<li><a href="${e(x.href)}">${e(x.text)}</a></li>`).join('') +
    `</ul></div>`
  );
}

export interface Flash {
  text: string;
  warn?: boolean;
}

export const flash = (f: Flash | undefined) => (f ? `<p class="flash${f.warn ? ' warn' : ''}" role="status">${e(f.text)}</p>` : '');

export function messagePage(o: { title: string; paragraphs: string[]; links?: { href: string; text: string }[]; chrome?: Chrome }): string {
  return page(
    o.title,
    `<h1>${e(o.title)}</h1>` + o.paragraphs.map((p) => `<p>${e(p)}</p>`).join('') + (o.links?.length ? `<ul class="plain">${o.links.map((l) => `<li><a href="${e(l.href)}">${e(l.text)}</a></li>`).join('')}</ul>` : ''),
    o.chrome,
  );
}

// --- the start page -------------------------------------------------------------------------

export type ActionView =
  | { kind: 'link'; href: string; text: string; context?: string }
  | { kind: 'button'; action: string; text: string; back: string; context?: string; secondary?: boolean }
  | { kind: 'date' | 'text'; action: string; summary: string; label: string; name: string; button: string; back: string; id: string; hint?: string; error?: string; value?: string; min?: string; open?: boolean; context?: string };

export function actionHtml(a: ActionView): string {
  if (a.kind === 'link') return `<a href="${e(a.href)}">${e(a.text)}${ctx(a.context)}</a>`;
  if (a.kind === 'button') {
    return `<form method="post" action="${e(a.action)}">${hidden('tillbaka', a.back)}<button type="submit"${a.secondary ? ' class="secondary"' : ''}>${e(a.text)}${ctx(a.context)}</button></form>`;
  }
  const input =
    a.kind === 'date'
      ? field({ id: a.id, name: a.name, type: 'date', label: a.label, hint: a.hint, error: a.error, value: a.value, min: a.min, required: true })
      : `<label for="${e(a.id)}">${e(a.label)}</label>` +
        (a.hint ? `<span class="hint" id="${e(a.id)}-hint">${e(a.hint)}</span>` : '') +
        (a.error ? `<p class="error" id="${e(a.id)}-fel"><span class="vh">Fel: </span>${e(a.error)}</p>` : '') +
        `<textarea id="${e(a.id)}" name="${e(a.name)}" rows="4" required${a.hint || a.error ? ` aria-describedby="${[a.hint ? `${a.id}-hint` : '', a.error ? `${a.id}-fel` : ''].filter(Boolean).join(' ')}"` : ''}${a.error ? ' aria-invalid="true"' : ''}>${e(a.value ?? '')}</textarea>`;
  return (
    `<details${a.open ? ' open' : ''}><summary>${e(a.summary)}${ctx(a.context)}</summary><div class="panel">` +
    `<form method="post" action="${e(a.action)}" novalidate>${hidden('tillbaka', a.back)}${input}<div class="row"><button type="submit">${e(a.button)}${ctx(a.context)}</button></div></form>` +
    `</div></details>`
  );
}

export interface StepView {
  anchor: string;
  heading: string;
  late: boolean;
  daysOverdue: number;
  escalated: boolean;
  due: IsoDate;
  waitingOn: string;
  todo: string;
  actions: ActionView[];
  /** The message after an action on this step. */
  flash?: Flash;
  /** Whose it is: a failed delivery (at the very top), the signed-in person's own, or another's. */
  part?: StepPart;
  /** Open at go-live and kept open by the official ("Fortfarande önskat"): it waits, never overdue. */
  sinceBeforeStart?: boolean;
  /** A failed delivery its workflow can send again: correct the address and send. */
  resend?: ResendView;
}

export type StepPart = 'delivery' | 'mine' | 'others';

/** "Rätta adressen och skicka igen": the failed addresses, those of a person of the förbund correctable. */
export interface ResendView {
  action: string;
  back: string;
  /** Prefix of the form's ids. */
  id: string;
  context: string;
  recipients: { email: string; who: string | null }[];
  /** What was chosen and typed, sent back with an error. */
  chosen?: string;
  value?: string;
  errors?: { recipient?: string; email?: string };
  open?: boolean;
}

/** "Läget vid start": what was open at go-live, grouped by project and milestones; checkboxes for the official. */
export interface StartListView {
  goLiveText: string | null;
  /** The official settles; the secretary reads. */
  canSettle: boolean;
  groups: { id: string; heading: string; items: { id: string; value: string; title: string; dueText: string; checked?: boolean }[] }[];
  back: string;
  today: IsoDate;
  dueDate?: string;
  /** "Alla raderna" was checked (the form sent back with an error). */
  all?: boolean;
  errors?: { items?: string; dueDate?: string; action?: string };
}

/** The filters above the steps: by kind, and by board meeting for steps tied to one (GET, so a page link keeps them). */
export interface FilterView {
  kinds: { value: string; label: string; count: number }[];
  kind: string;
  meetings: { value: string; label: string }[];
  meeting: string;
  /** Steps shown with the filters, of all. */
  shown: number;
  total: number;
}

export interface SendView {
  at: string;
  whenText: string;
  kind: string;
  what: string;
  to: string;
  href?: string;
}

const days = (n: number) => `${n} ${n === 1 ? 'dag' : 'dagar'}`;

const described = (...ids: (string | false | undefined)[]) => {
  const x = ids.filter(Boolean).join(' ');
  return x ? ` aria-describedby="${e(x)}"` : '';
};
/** A radio or checkbox as large as the checkboxes of the projects' form (layout.ts .checks). */
const BOX_STYLE = 'width:1.5rem;height:1.5rem;margin:.6rem 0 0;flex:none';

function resendHtml(r: ResendView): string {
  const correctable = r.recipients.filter((x) => x.who);
  const err = r.errors ?? {};
  let body = hidden('tillbaka', r.back);
  if (correctable.length > 1) {
    body +=
      `<fieldset id="${e(r.id)}-mottagare"${described(err.recipient && `${r.id}-mottagare-fel`)}><legend>Vilken adress var fel?</legend>` +
      (err.recipient ? `<p class="error" id="${e(r.id)}-mottagare-fel"><span class="vh">Fel: </span>${e(err.recipient)}</p>` : '') +
      `<div class="checks">` +
      correctable
        .map((x, i) => `<div class="check"><input type="radio" style="${BOX_STYLE}" id="${e(r.id)}-mottagare-${i}" name="recipient" value="${e(x.email)}"${r.chosen === x.email ? ' checked' : ''}><label for="${e(r.id)}-mottagare-${i}">${e(x.email)} <span class="hint">(${e(x.who!)})</span></label></div>`)
        .join('') +
      `</div></fieldset>`;
  } else if (correctable.length === 1) {
    body += hidden('recipient', correctable[0].email);
  }
  if (correctable.length) {
    const id = `${r.id}-adress`;
    const hint = correctable.length === 1 ? `Var ${correctable[0].email}. Adressen rättas för ${correctable[0].who} i förbundets uppgifter, och utskicket skickas igen.` : 'Adressen rättas för personen i förbundets uppgifter, och utskicket skickas igen.';
    body +=
      `<label for="${e(id)}">Rätt e-postadress</label><span class="hint" id="${e(id)}-hint">${e(hint)}</span>` +
      (err.email ? `<p class="error" id="${e(id)}-fel"><span class="vh">Fel: </span>${e(err.email)}</p>` : '') +
      `<input type="email" id="${e(id)}" name="email" value="${e(r.value ?? (correctable.length === 1 ? correctable[0].email : ''))}" autocomplete="off" spellcheck="false" required${described(`${id}-hint`, err.email && `${id}-fel`)}${err.email ? ' aria-invalid="true"' : ''}>` +
      `<div class="row"><button type="submit">Rätta adressen och skicka igen<span class="vh"> ${e(r.context)}</span></button></div>`;
  } else {
    body +=
      `<p class="hint">${e(r.recipients.map((x) => x.email).join(', ') || 'Adressen')} hör inte till någon person i förbundet och kan inte rättas här; rätta den i förbundsfilen om den är fel. Mottagarens server kan ha rättat felet själv; då räcker det att skicka igen.</p>` +
      `<div class="row"><button type="submit">Skicka igen<span class="vh"> ${e(r.context)}</span></button></div>`;
  }
  return `<details${r.open ? ' open' : ''}><summary>Rätta adressen och skicka igen<span class="vh"> ${e(r.context)}</span></summary><div class="panel"><form method="post" action="${e(r.action)}" novalidate>${body}</form></div></details>`;
}

function stepHtml(s: StepView): string {
  const state = s.late ? `<strong class="tag late">Försenad ${days(s.daysOverdue)}</strong> ` : `<span class="tag">Väntar</span> `;
  const since = s.sinceBeforeStart ? `<span class="tag">Väntas sedan före start</span> ` : '';
  const actions = [...(s.resend ? [resendHtml(s.resend)] : []), ...s.actions.map(actionHtml)];
  return (
    `<li id="${e(s.anchor)}" class="${s.late ? 'late' : ''}"><h3 id="${e(s.anchor)}-rubrik">${e(s.heading)}</h3>` +
    flash(s.flash) +
    `<p class="status">${state}${since}${s.escalated ? `<strong class="tag warn">Eskalerad</strong> ` : ''}Sista dag ${date(s.due)}${s.sinceBeforeStart ? ', före start' : ''}. Väntar på ${e(s.waitingOn)}.</p>` +
    `<p><strong>Att göra:</strong> ${e(s.todo)}</p>` +
    (actions.length ? `<div class="actions">${actions.join('')}</div>` : '') +
    `</li>`
  );
}

function startListHtml(s: StartListView): string {
  const err = s.errors ?? {};
  const lead =
    `<p>Det här var öppet när förbundet började använda Årscykel${s.goLiveText ? ` den ${e(nb(s.goLiveText))}` : ''}; inga påminnelser har skickats om det. ` +
    `Det räknas inte som försenat och står inte bland stegen nedan.</p>`;
  if (!s.canSettle) {
    return (
      `<section aria-labelledby="start-lage" id="start"><h2 id="start-lage">Läget vid start</h2>${lead}` +
      s.groups.map((g) => `<h3>${e(g.heading)}</h3><ul class="plain">${g.items.map((x) => `<li>${e(x.title)}, sista dag ${e(x.dueText)}</li>`).join('')}</ul>`).join('') +
      `<p class="muted">Tjänstepersonen avgör vad som gäller för raderna.</p></section>`
    );
  }
  const boxes = s.groups
    .map(
      (g) =>
        `<fieldset class="start-group"${described(err.items && 'start-rader-fel')}><legend>${e(g.heading)}</legend><div class="checks">` +
        g.items
          .map((x) => `<div class="check"><input type="checkbox" style="${BOX_STYLE}" id="${e(x.id)}" name="rad" value="${e(x.value)}"${x.checked ? ' checked' : ''}><label for="${e(x.id)}">${e(x.title)} <span class="hint">sista dag ${e(x.dueText)}</span></label></div>`)
          .join('') +
        `</div></fieldset>`,
    )
    .join('');
  return (
    `<section aria-labelledby="start-lage" id="start"><h2 id="start-lage">Läget vid start</h2>${lead}` +
    `<p>Markera raderna och välj vad som gäller för dem. Inget av det här påminns förrän du har valt.</p>` +
    `<form method="post" action="/admin/start/avgor" novalidate>${hidden('tillbaka', s.back)}` +
    (err.items ? `<p class="error" id="start-rader-fel"><span class="vh">Fel: </span>${e(err.items)}</p>` : '') +
    `<div id="start-rader">` +
    // Without scripts there is no "check all": this box stands for every row on the list.
    `<div class="checks"><div class="check"><input type="checkbox" style="${BOX_STYLE}" id="start-alla" name="alla" value="1"${s.all ? ' checked' : ''}><label for="start-alla">Alla rader i listan (${s.groups.reduce((n, g) => n + g.items.length, 0)}) <span class="hint">i stället för att markera dem en och en</span></label></div></div>` +
    `${boxes}</div>` +
    `<fieldset class="start-group"${described(err.action && 'start-atgard-fel')}><legend>Gör med de markerade</legend>` +
    (err.action ? `<p class="error" id="start-atgard-fel"><span class="vh">Fel: </span>${e(err.action)}</p>` : '') +
    field({ id: 'start-datum', name: 'dueDate', type: 'date', label: 'Ny sista dag', hint: 'Tidigast i dag; för en rapport inte före periodens slut. Påminnelserna börjar från den nya dagen.', error: err.dueDate, value: s.dueDate, min: s.today }) +
    `<div class="row"><button type="submit" name="atgard" value="redate">Ge ny sista dag</button></div>` +
    `<div class="row"><button type="submit" name="atgard" value="handled" class="secondary">Hanterat utanför Årscykel</button>` +
    `<button type="submit" name="atgard" value="wanted" class="secondary">Fortfarande önskat</button></div>` +
    `<p class="hint">Hanterat utanför Årscykel: rapporten eller momentet är klart eller behövs inte längre. Fortfarande önskat: det står kvar som ett väntande steg, utan påminnelser och utan att räknas som försenat.</p>` +
    `</fieldset></form></section>`
  );
}

function filterHtml(f: FilterView): string {
  const active = !!(f.kind || f.meeting);
  const option = (value: string, label: string, selected: boolean) => `<option value="${e(value)}"${selected ? ' selected' : ''}>${e(label)}</option>`;
  return (
    `<form method="get" action="/admin" class="filters" role="search" aria-label="Filtrera stegen">` +
    `<div class="fields">` +
    `<div><label for="filter-typ">Slag av steg</label><select id="filter-typ" name="typ">${option('', 'Alla slag', !f.kind)}${f.kinds.map((k) => option(k.value, `${k.label} (${k.count})`, f.kind === k.value)).join('')}</select></div>` +
    (f.meetings.length ? `<div><label for="filter-mote">Styrelsemöte</label><select id="filter-mote" name="mote">${option('', 'Alla möten', !f.meeting)}${f.meetings.map((m) => option(m.value, m.label, f.meeting === m.value)).join('')}</select></div>` : '') +
    `</div>` +
    `<div class="row"><button type="submit" class="secondary">Visa</button>${active ? `<a href="/admin#vantande">Visa alla steg</a>` : ''}</div>` +
    `</form>` +
    (active ? `<p role="status">Visar ${f.shown} av ${f.total} steg.</p>` : '')
  );
}

const PARTS: [StepPart, string, string][] = [
  ['delivery', 'utskick-fel', 'E-post som inte kom fram'],
  ['mine', 'ditt', 'Ditt att göra'],
  ['others', 'andras', 'Andras steg'],
];

export function startPage(o: {
  chrome: Chrome;
  todayText: string;
  /** This page's steps, of `total` (`late` of them overdue; `mine` wait on the signed-in person). */
  steps: StepView[];
  total: number;
  late: number;
  mine?: number;
  paging: { page: number; pages: number; from: number; to: number };
  /** The filters' query ('typ=rapporter&mote=…'), kept by the page links. */
  query?: string;
  filters?: FilterView;
  start?: StartListView;
  sends: SendView[];
  untilText: string;
  flash?: Flash;
  errors?: ErrorLink[];
}): string {
  const late = o.late;
  const pg = o.paging;
  const q = o.query ?? '';
  const pageHref = (n: number) => `/admin${q || n > 1 ? `?${[q, n > 1 ? `sida=${n}` : ''].filter(Boolean).join('&')}` : ''}#vantande`;
  const pageLink = (n: number, text: string, rel: string) => `<a href="${e(pageHref(n))}" rel="${rel}">${text}</a>`;
  const shownTotal = o.filters ? o.filters.shown : o.total;
  const pager =
    pg.pages > 1
      ? `<nav aria-label="Sidor med väntande steg" class="pager"><p>Steg ${pg.from}–${pg.to} av ${shownTotal}.</p><ul>` +
        (pg.page > 1 ? `<li>${pageLink(pg.page - 1, '← Föregående sida', 'prev')}</li>` : '') +
        (pg.page < pg.pages ? `<li>${pageLink(pg.page + 1, 'Nästa sida →', 'next')}</li>` : '') +
        `</ul></nav>`
      : '';
  // The page's steps under their headings: failed deliveries first, then the person's own, then the others'.
  let n = pg.from;
  const groups = PARTS.map(([part, id, heading]) => {
    const steps = o.steps.filter((s) => (s.part ?? 'others') === part);
    if (!steps.length) {
      // Page 1 always says whether anything waits on the person.
      if (part !== 'mine' || pg.page !== 1 || !o.steps.length || o.mine === undefined) return '';
      return `<h2 id="${id}">${heading}</h2><p>${o.filters && (o.filters.kind || o.filters.meeting) ? 'Inget av det valda väntar på dig.' : 'Inget väntar på dig just nu.'}</p>`;
    }
    const html = `<h2 id="${id}">${heading}</h2><ol class="steps" start="${n}">${steps.map(stepHtml).join('')}</ol>`;
    n += steps.length;
    return html;
  }).join('');
  const stepsHtml = o.steps.length ? `${groups}${pager}` : `<p>${o.filters && (o.filters.kind || o.filters.meeting) ? 'Inget av det valda väntar just nu.' : 'Inget väntar just nu.'}</p>`;
  const sendsHtml = o.sends.length
    ? `<ol class="sends">` +
      o.sends
        .map(
          (s) =>
            `<li><span class="when">${s.at ? `<time datetime="${e(s.at)}">${e(s.whenText)}</time>` : e(s.whenText)}</span>` +
            `<span><strong>${e(s.kind)}:</strong> ${s.href ? `<a href="${e(s.href)}">${e(s.what)}</a>` : e(s.what)}. Till ${e(s.to)}.</span></li>`,
        )
        .join('') +
      `</ol>`
    : `<p>Inget planerat utskick de närmaste 14 dagarna.</p>`;
  const mine = o.mine ? ` ${o.mine} av stegen väntar på dig.` : '';
  return page(
    'Att göra',
    errorSummary(o.errors) +
      `<h1>Att göra</h1>` +
      `<p class="lead">Läget ${e(o.todayText)}. ${o.total ? `${o.total} steg väntar${late ? `, varav ${late} ${late === 1 ? 'är försenat' : 'är försenade'}` : ''}.${mine}` : ''}</p>` +
      flash(o.flash) +
      (o.start && o.start.groups.length ? startListHtml(o.start) : '') +
      `<section id="vantande" aria-label="Väntande steg">${o.filters && o.total ? filterHtml(o.filters) : ''}${stepsHtml}</section>` +
      `<section aria-labelledby="utskick"><h2 id="utskick">Det här går ut de närmaste 14 dagarna</h2>` +
      `<p class="muted">Påminnelser, kalenderinbjudningar och kallelser som Årscykel skickar till och med ${e(o.untilText)}. ”Snarast” går ut nästa gång arbetsflödet kör, normalt inom några minuter. Påminnelser, förseningar och eskaleringar till tjänstepersonen och sekreteraren kommer inte som egna mejl utan samlat i <i>Dagens läge</i>, ett mejl kl. 7.00 morgonen efter.</p>${sendsHtml}</section>`,
    o.chrome,
  );
}

// --- a report: api/pages/rapport.ts -------------------------------------------------------

// --- the year -------------------------------------------------------------------------------

export interface MoveForm {
  action: string;
  values: { date: string; start: string; end: string; location: string };
  errors: Partial<Record<'date' | 'start' | 'end' | 'location', string>>;
  open: boolean;
  allDay: boolean;
}

export interface MeetingView {
  id: string;
  anchor: string;
  heading: string;
  whenText: string;
  location: string | null;
  state: string;
  cancelled: boolean;
  prepares?: string;
  preparation?: string;
  /** Board meetings: the föredragningslista (empty: none yet) and the matters headed for it. */
  agenda?: { number: number; title: string; dnr: string | null; paragraph: number | null }[];
  /** Has been (no placeholders for an agenda that never came). */
  past?: boolean;
  matters?: { dnr: string; title: string; status: string }[];
  move?: MoveForm;
  cancelHref?: string;
  /** Board meetings: their own page (api/admin/styrelse.ts). */
  href?: string;
  flash?: Flash;
}

export interface MilestoneView {
  id: string;
  title: string;
  due: IsoDate;
  owner: string;
  state: 'done' | 'open' | 'late';
  stateText: string;
  meetingText?: string;
  doneAction?: { action: string; back: string };
  link?: { href: string; text: string };
  note?: string;
}

/** "I Årscykel sedan": the förbund's go-live, with the official's "Ändra" form. */
export interface GoLiveView {
  date: IsoDate;
  change?: { action: string; value: string; max: IsoDate; error?: string; open: boolean };
}

export interface YearView {
  chrome: Chrome;
  year: number;
  calendar: { adopted: true; text: string } | { adopted: false; adoptHref?: string };
  goLive?: GoLiveView;
  /** Per body: the meetings ahead (and those whose process is still running), and those that have been. */
  groups: { id: string; heading: string; meetings: MeetingView[]; past: MeetingView[] }[];
  milestones: MilestoneView[];
  /** "Årsredovisning och ansvarsfrihet": last year's årsredovisning and this year's delårsrapport (api/pages/redovisning.ts). */
  statutory?: StatutorySectionView;
  next: { year: number; adopted: boolean; text: string; adoptHref?: string };
  /** The förbund's calendar feeds (secret addresses to subscribe to), each with "Byt länk" for the official. */
  feeds?: { items: FeedView[]; flash?: Flash };
  flash?: Flash;
  errors?: ErrorLink[];
}

export interface FeedView {
  /** 'Styrelsen' */
  name: string;
  url: string;
  renew?: { action: string; back: string };
}

function feedsHtml(f: NonNullable<YearView['feeds']>): string {
  return (
    `<section aria-labelledby="kalenderfloden"><h2 id="kalenderfloden">Kalenderflöden</h2>` +
    flash(f.flash) +
    `<p>Prenumerera på ett flöde i Outlook, Google eller Apple Kalender med dess adress. Adressen är hemlig: den som har den kan läsa mötena.</p>` +
    (f.items.some((x) => x.renew) ? `<p class="hint">Har en adress hamnat fel kan du byta länk. Kalendrar som prenumererar på den gamla adressen slutar då att uppdateras och behöver den nya.</p>` : '') +
    `<ul class="plain">${f.items
      .map(
        (x) =>
          `<li><p><strong>${e(x.name)}</strong><br><span style="overflow-wrap:anywhere;word-break:break-all">${e(x.url)}</span></p>` +
          (x.renew ? `<form method="post" action="${e(x.renew.action)}">${hidden('tillbaka', x.renew.back)}<button type="submit" class="secondary">Byt länk<span class="vh"> för ${e(x.name.toLowerCase())}</span></button></form>` : '') +
          `</li>`,
      )
      .join('')}</ul></section>`
  );
}

function moveFormHtml(m: MeetingView, f: MoveForm): string {
  const id = (x: string) => `${m.anchor}-${x}`;
  return (
    `<details${f.open ? ' open' : ''}><summary>Flytta mötet<span class="vh"> ${e(m.heading)}</span></summary><div class="panel">` +
    `<form method="post" action="${e(f.action)}" novalidate>` +
    `<div class="fields">` +
    `<div>${field({ id: id('datum'), name: 'date', type: 'date', label: 'Datum', value: f.values.date, error: f.errors.date, required: true })}</div>` +
    `<div>${field({ id: id('start'), name: 'start', type: 'time', label: 'Börjar', value: f.values.start, error: f.errors.start, required: !f.allDay, hint: f.allDay ? 'Tomt: hela dagen' : undefined })}</div>` +
    `<div>${field({ id: id('slut'), name: 'end', type: 'time', label: 'Slutar', value: f.values.end, error: f.errors.end, required: !f.allDay, hint: f.allDay ? 'Tomt: hela dagen' : undefined })}</div>` +
    `<div class="grow">${field({ id: id('plats'), name: 'location', type: 'text', label: 'Plats', value: f.values.location, error: f.errors.location, hint: 'Tomt: ingen plats' })}</div>` +
    `</div>` +
    `<p class="hint">Deltagarna får en ändrad kalenderinbjudan.</p>` +
    `<div class="row"><button type="submit">Spara ny tid<span class="vh"> för ${e(m.heading)}</span></button></div></form>` +
    `</div></details>`
  );
}

function meetingHtml(m: MeetingView): string {
  const facts: [string, string][] = [
    ['Tid', m.whenText],
    ['Plats', m.location ?? 'Ingen plats angiven'],
    ['Läge', m.state],
    ...(m.prepares ? ([['Förbereder', m.prepares]] as [string, string][]) : []),
    ...(m.preparation ? ([['Förberedelser', m.preparation]] as [string, string][]) : []),
  ];
  const agenda =
    m.agenda === undefined || (m.past && !m.agenda.length && !m.matters?.length)
      ? ''
      : !m.agenda.length && !m.matters?.length
        ? `<p class="muted">Inga ärenden ännu. Föredragningslistan görs när inbjudan till mötet går ut.</p>`
        : `<h4>Föredragningslista</h4>` +
        (m.agenda.length
          ? `<ol class="agenda">${m.agenda.map((i) => `<li value="${i.number}">${i.paragraph !== null ? `§ ${i.paragraph} ` : ''}${e(i.title)}${i.dnr ? ` <span class="muted">(Dnr ${e(i.dnr)})</span>` : ''}</li>`).join('')}</ol>`
          : `<p class="muted">${m.past ? 'Ingen föredragningslista sparad.' : 'Föredragningslistan görs när inbjudan till mötet går ut.'}</p>`) +
        `<h4>Ärenden till mötet</h4>` +
        (m.matters?.length
          ? `<ul class="plain">${m.matters.map((x) => `<li>${e(x.dnr)} ${e(x.title)} <span class="muted">(${e(x.status)})</span></li>`).join('')}</ul>`
          : `<p class="muted">Inga ärenden ännu.</p>`);
  return (
    `<li id="${e(m.anchor)}" class="${m.cancelled ? 'cancelled' : ''}"><article aria-labelledby="${e(m.anchor)}-rubrik">` +
    `<h3 id="${e(m.anchor)}-rubrik">${e(m.heading)}</h3>` +
    flash(m.flash) +
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>` +
    (m.href ? `<p><a href="${e(m.href)}">Öppna mötet<span class="vh"> ${e(m.heading)}</span></a></p>` : '') +
    agenda +
    (m.move || m.cancelHref
      ? `<div class="actions">${m.move ? moveFormHtml(m, m.move) : ''}${m.cancelHref ? `<a href="${e(m.cancelHref)}">Ställ in mötet<span class="vh"> ${e(m.heading)}</span>…</a>` : ''}</div>`
      : '') +
    `</article></li>`
  );
}

function milestoneHtml(x: MilestoneView): string {
  const tag = x.state === 'done' ? 'done' : x.state === 'late' ? 'late' : '';
  return (
    `<li><div class="what"><p><strong>${e(x.title)}</strong></p>` +
    `<p><span class="tag ${tag}">${e(x.stateText)}</span> Sista dag ${date(x.due)}. Ansvarig: ${e(x.owner)}.${x.meetingText ? ` ${e(x.meetingText)}.` : ''}</p>` +
    (x.note ? `<p class="muted">${e(x.note)}</p>` : '') +
    `</div>` +
    (x.doneAction ? `<form method="post" action="${e(x.doneAction.action)}">${hidden('tillbaka', x.doneAction.back)}<button type="submit" class="secondary">Markera som klart<span class="vh">: ${e(x.title)}</span></button></form>` : '') +
    (x.link ? `<a href="${e(x.link.href)}">${e(x.link.text)}</a>` : '') +
    `</li>`
  );
}

/** The id of the go-live form's date field (the error summary links to it). */
export const GO_LIVE_FIELD = 'i-arscykel-sedan';

/** A summary-list row (GOV.UK pattern): the key, the value, and for the official an "Ändra" disclosure with the form. */
function goLiveHtml(g: GoLiveView): string {
  const c = g.change;
  const form = c
    ? `<dd style="margin:0 0 0 auto;flex:0 1 auto"><details${c.open ? ' open' : ''}><summary>Ändra<span class="vh"> datum då förbundet började i Årscykel</span></summary><div class="panel">` +
      `<form method="post" action="${e(c.action)}" novalidate>` +
      field({ id: GO_LIVE_FIELD, name: 'date', type: 'date', label: 'Datum då förbundet började i Årscykel', hint: 'Inget som skulle ha gjorts före det datumet påminns om, eskaleras eller registreras som ärende. Datumet får inte vara senare än i dag.', value: c.value, max: c.max, error: c.error, required: true }) +
      `<div class="row"><button type="submit">Spara datumet</button></div></form></div></details></dd>`
    : '';
  return (
    `<dl class="summary" id="${GO_LIVE_FIELD}-rad" style="margin:.5rem 0 1rem;border-bottom:1px solid #c9d3dc">` +
    `<div style="display:flex;flex-wrap:wrap;gap:0 1.25rem;align-items:baseline;padding:.35rem 0">` +
    `<dt style="font-weight:600;flex:0 0 auto">I Årscykel sedan</dt><dd style="margin:0;flex:0 1 auto">${date(g.date)}</dd>${form}` +
    `</div></dl>`
  );
}

export function yearPage(v: YearView): string {
  const onPage = [...v.groups.map((g) => ({ href: `#${g.id}`, text: g.heading })), { href: '#moment', text: 'Moment under året' }, ...(v.statutory ? [{ href: `#${STATUTORY_SECTION}`, text: 'Årsredovisning och ansvarsfrihet' }] : []), { href: '#nasta-ar', text: `Sammanträdesplan för ${v.next.year}` }, ...(v.feeds ? [{ href: '#kalenderfloden', text: 'Kalenderflöden' }] : [])];
  const calendar = v.calendar.adopted
    ? `<p>${e(v.calendar.text)}</p>`
    : `<p class="flash warn">Sammanträdesplanen för ${v.year} är inte fastställd.${v.calendar.adoptHref ? ` <a href="${e(v.calendar.adoptHref)}">Granska och fastställ planen för ${v.year}</a>.` : ''}</p>`;
  return page(
    `Året ${v.year}`,
    errorSummary(v.errors) +
      `<h1>Året ${v.year}</h1>` +
      flash(v.flash) +
      calendar +
      (v.goLive ? goLiveHtml(v.goLive) : '') +
      `<p class="years"><a href="/admin/ar/${v.year - 1}">← Året ${v.year - 1}</a><a href="/admin/ar/${v.year + 1}">Året ${v.year + 1} →</a></p>` +
      `<nav class="onpage" aria-label="På sidan"><ul>${onPage.map((l) => `<li><a href="${l.href}">${e(l.text)}</a></li>`).join('')}</ul></nav>` +
      v.groups
        .map(
          (g) =>
            `<section aria-labelledby="${g.id}"><h2 id="${g.id}">${e(g.heading)}</h2>` +
            (g.past.length ? `<details class="past"><summary>${g.past.length} ${g.past.length === 1 ? 'möte som har varit' : 'möten som har varit'}<span class="vh">: ${e(g.heading.toLowerCase())}</span></summary><ul class="cards">${g.past.map(meetingHtml).join('')}</ul></details>` : '') +
            (g.meetings.length ? `<ul class="cards">${g.meetings.map(meetingHtml).join('')}</ul>` : `<p>${g.past.length ? 'Inga fler möten' : 'Inga möten'} ${v.year}.</p>`) +
            `</section>`,
        )
        .join('') +
      `<section aria-labelledby="moment"><h2 id="moment">Moment under året</h2>` +
      (v.milestones.length ? `<ul class="milestones">${v.milestones.map(milestoneHtml).join('')}</ul>` : `<p>Inga moment ${v.year}.</p>`) +
      `</section>` +
      (v.statutory ? statutorySectionHtml(v.statutory) : '') +
      `<section aria-labelledby="nasta-ar"><h2 id="nasta-ar">Sammanträdesplan för ${v.next.year}</h2><p>${e(v.next.text)}</p>` +
      (v.next.adoptHref ? `<p><a href="${e(v.next.adoptHref)}">Granska förslaget och fastställ planen för ${v.next.year}</a></p>` : `<p><a href="/admin/ar/${v.next.year}">Visa året ${v.next.year}</a></p>`) +
      `</section>` +
      (v.feeds ? feedsHtml(v.feeds) : ''),
    v.chrome,
  );
}

// --- confirmations --------------------------------------------------------------------------

export function confirmPage(o: { chrome: Chrome; title: string; lead: string; facts?: [string, string][]; body?: string; warning: string; action: string; button: string; back: { href: string; text: string }; danger?: boolean; errors?: ErrorLink[] }): string {
  return page(
    o.title,
    errorSummary(o.errors) +
      `<h1>${e(o.title)}</h1><p class="lead">${e(o.lead)}</p>` +
      (o.facts?.length ? `<dl class="facts">${o.facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>` : '') +
      (o.body ?? '') +
      `<p class="flash warn">${e(o.warning)}</p>` +
      `<form method="post" action="${e(o.action)}"><div class="row"><button type="submit"${o.danger ? ' class="danger"' : ''}>${e(o.button)}</button><a href="${e(o.back.href)}">${e(o.back.text)}</a></div></form>`,
    o.chrome,
  );
}

/**
 * Before a move with consequences is made: the meeting now and where it would go, a warning (GOV.UK
 * warning text) and what will happen, then "Flytta ändå" (the same form again, confirmed) or "Avbryt".
 * Nothing is stored or sent until the person confirms.
 */
export function moveConfirmPage(o: { chrome: Chrome; title: string; facts: [string, string][]; consequences: string[]; action: string; values: Record<string, string>; back: string }): string {
  return page(
    o.title,
    `<h1>${e(o.title)}</h1>` +
      `<p class="lead">Flytten får följder. Inget är ändrat och inget har skickats ännu.</p>` +
      `<dl class="facts">${o.facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>` +
      `<div class="warning-text" style="display:flex;align-items:center;gap:.9rem;margin:1.25rem 0;font-size:1.1rem">` +
      `<span aria-hidden="true" style="flex:none;display:inline-flex;align-items:center;justify-content:center;width:2.25rem;height:2.25rem;border-radius:50%;background:#1b1b1b;color:#fff;font-weight:700;font-size:1.5rem">!</span>` +
      `<strong><span class="vh">Varning: </span>Om du flyttar mötet händer det här.</strong></div>` +
      `<h2 id="foljder">Det här händer om du flyttar mötet</h2>` +
      `<ul>${o.consequences.map((c) => `<li>${e(c)}</li>`).join('')}</ul>` +
      `<form method="post" action="${e(o.action)}">${Object.entries(o.values).map(([k, v]) => hidden(k, v)).join('')}${hidden('bekrafta', 'ja')}` +
      `<div class="row"><button type="submit">Flytta ändå</button><a href="${e(o.back)}">Avbryt</a></div></form>`,
    o.chrome,
  );
}

/** The proposed calendar, by body, for the adoption's confirmation. */
export function proposalHtml(groups: { heading: string; items: string[] }[]): string {
  return groups
    .filter((g) => g.items.length)
    .map((g) => `<h2>${e(g.heading)}</h2><ul class="plain">${g.items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`)
    .join('');
}

export { capitalize, nb };
