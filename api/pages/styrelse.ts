// A board meeting's page for the official and the secretary, as HTML from what
// api/admin/styrelse.ts loads: when and where, its stage, who is called and the quorum
// forecast, the föredragningslista with its matters and decisions, the matters headed for it,
// the kallelse as PDF; and the actions its stage allows, each a form (POST-redirect-GET) that
// says what happens and who gets mail. A form sent back with errors shows each problem next to
// its field (aria-describedby, aria-invalid) and keeps what was typed. No scripts.
import { errorSummary, field, flash, hidden, page, type Chrome, type ErrorLink, type Flash } from './admin.js';
import { e } from './layout.js';

export interface Option {
  value: string;
  text: string;
}

export interface SelectView {
  id: string;
  name: string;
  label: string;
  /** A first, empty choice ('Välj …'). */
  placeholder?: string;
  options?: Option[];
  groups?: { label: string; options: Option[] }[];
  value?: string;
  hint?: string;
  error?: string;
  required?: boolean;
}

/** A labelled <select> with its hint and error, both named by aria-describedby. */
export function select(s: SelectView): string {
  const described = [s.hint ? `${s.id}-hint` : '', s.error ? `${s.id}-fel` : ''].filter(Boolean).join(' ');
  const opt = (o: Option) => `<option value="${e(o.value)}"${o.value === (s.value ?? '') ? ' selected' : ''}>${e(o.text)}</option>`;
  return (
    `<label for="${e(s.id)}">${e(s.label)}</label>` +
    (s.hint ? `<span class="hint" id="${e(s.id)}-hint">${e(s.hint)}</span>` : '') +
    (s.error ? `<p class="error" id="${e(s.id)}-fel"><span class="vh">Fel: </span>${e(s.error)}</p>` : '') +
    `<select id="${e(s.id)}" name="${e(s.name)}"${s.required ? ' required' : ''}${described ? ` aria-describedby="${described}"` : ''}${s.error ? ' aria-invalid="true"' : ''}>` +
    (s.placeholder !== undefined ? opt({ value: '', text: s.placeholder }) : '') +
    (s.options ?? []).map(opt).join('') +
    (s.groups ?? []).filter((g) => g.options.length).map((g) => `<optgroup label="${e(g.label)}">${g.options.map(opt).join('')}</optgroup>`).join('') +
    `</select>`
  );
}

function textarea(o: { id: string; name: string; label: string; value?: string; hint?: string; error?: string; required?: boolean }): string {
  const described = [o.hint ? `${o.id}-hint` : '', o.error ? `${o.id}-fel` : ''].filter(Boolean).join(' ');
  return (
    `<label for="${e(o.id)}">${e(o.label)}</label>` +
    (o.hint ? `<span class="hint" id="${e(o.id)}-hint">${e(o.hint)}</span>` : '') +
    (o.error ? `<p class="error" id="${e(o.id)}-fel"><span class="vh">Fel: </span>${e(o.error)}</p>` : '') +
    `<textarea id="${e(o.id)}" name="${e(o.name)}" rows="4"${o.required ? ' required' : ''}${described ? ` aria-describedby="${described}"` : ''}${o.error ? ' aria-invalid="true"' : ''}>${e(o.value ?? '')}</textarea>`
  );
}

/** A form's values and errors as sent back (empty when shown fresh). */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
  open?: boolean;
}

export interface CalledView {
  name: string;
  /** 'ledamot, ordförande (Kumla kommun)' or 'ersättare för Olivia Ledamot'. */
  seat: string;
  declined: boolean;
}

export interface AgendaItemRow {
  id: string;
  anchor: string;
  heading: string;
  /** 'Dnr 2037-00001, berett' */
  matter?: string;
  documents: { title: string; url: string }[];
  decision?: string;
  followUp?: string;
  /** A matter item without a decision while decisions are being recorded. */
  missing?: boolean;
  flash?: Flash;
  form?: { action: string; state: FormState; actionBy: { options: Option[]; groups: { label: string; options: Option[] }[] } };
  /** Editing the föredragningslista (until the kallelse goes): a new title and removal for all but a matter's item, a move for every item. */
  edit?: AgendaItemEdit;
}

export interface AgendaItemEdit {
  /** Absent for a matter's item: it keeps the matter's title. */
  retitle?: { action: string; state: FormState };
  /** Where the item can go ('before' an item's id, or 'sist'), the current place chosen. */
  move: { action: string; state: FormState; options: Option[] };
  /** Absent for a matter's item (and for the only item on the list). */
  remove?: { action: string };
  note?: string;
  open?: boolean;
}

/** A new item on the föredragningslista: its title and where it goes. */
export interface AgendaAdd {
  action: string;
  state: FormState;
  options: Option[];
  hint: string;
}

export interface BoardMeetingView {
  chrome: Chrome;
  heading: string;
  back: { href: string; text: string };
  lead: string;
  facts: [string, string][];
  flash?: Flash;
  /** The message after an action, shown in the section it was done in. */
  sectionFlash?: { at: 'kallelse' | 'kallade' | 'foredragningslista' | 'arenden' | 'protokoll'; flash: Flash };
  errors?: ErrorLink[];
  kallelse: { paragraphs: string[]; pdf: { href: string; text: string }; sendHref?: string };
  called: { rows: CalledView[]; quorum?: { text: string; ok: boolean }; note?: string; decline?: { action: string; state: FormState; options: Option[]; hint: string } };
  agenda: { note?: string; items: AgendaItemRow[]; add?: AgendaAdd };
  matters: { rows: { dnr: string; title: string; status: string; owner: string }[]; note?: string; register?: { action: string; state: FormState; kinds: Option[]; owners: { label: string; options: Option[] }[]; hint: string } };
  minutes: { paragraphs: string[]; missing?: string[]; send?: { action: string; state: FormState; options: Option[]; hint: string }; justering?: { action: string; hint: string } };
}

const onPage = [
  ['kallelse', 'Kallelse'],
  ['kallade', 'Kallade'],
  ['foredragningslista', 'Föredragningslista'],
  ['arenden', 'Ärenden'],
  ['protokoll', 'Protokoll och justering'],
] as const;

function itemHtml(i: AgendaItemRow): string {
  const f = i.form;
  const id = (x: string) => `${i.anchor}-${x}`;
  return (
    `<li id="${e(i.anchor)}"><h3 id="${e(i.anchor)}-rubrik">${e(i.heading)}</h3>` +
    flash(i.flash) +
    (i.matter ? `<p class="muted">${e(i.matter)}</p>` : '') +
    (i.documents.length ? `<ul class="plain">${i.documents.map((d) => `<li><a href="${e(d.url)}">${e(d.title)}</a></li>`).join('')}</ul>` : '') +
    (i.decision ? `<div class="decision"><p><strong>Beslut:</strong> ${e(i.decision)}</p>${i.followUp ? `<p>${e(i.followUp)}</p>` : ''}</div>` : i.missing ? `<p class="tag warn">Beslut saknas</p>` : '') +
    (f
      ? `<details${f.state.open ? ' open' : ''}><summary>${i.decision ? 'Ändra beslutet' : 'För in beslutet'}<span class="vh">: ${e(i.heading)}</span></summary><div class="panel">` +
        `<form method="post" action="${e(f.action)}" novalidate>` +
        textarea({ id: id('beslut'), name: 'decision', label: 'Beslut', value: f.state.values.decision, error: f.state.errors.decision, required: true, hint: 'Som det ska stå i protokollet. Inga personnummer.' }) +
        `<div class="fields"><div class="grow">` +
        select({ id: id('vem'), name: 'actionBy', label: 'Vem ska återrapportera? (om något)', placeholder: 'Ingen återrapportering', options: f.actionBy.options, groups: f.actionBy.groups, value: f.state.values.actionBy, error: f.state.errors.actionBy }) +
        `</div><div>` +
        field({ id: id('senast'), name: 'actionDue', type: 'date', label: 'Senast', value: f.state.values.actionDue, error: f.state.errors.actionDue }) +
        `</div></div>` +
        `<p class="hint">Med vem och senast när följs beslutet upp: den som ska återrapportera påminns per e-post en vecka före och när dagen har passerat.</p>` +
        `<div class="row"><button type="submit">Spara beslutet<span class="vh">: ${e(i.heading)}</span></button></div></form></div></details>`
      : '') +
    (i.edit ? editHtml(i, i.edit) : '') +
    `</li>`
  );
}

/** An item's changes before the kallelse: a new title, a move, removal; each its own form. */
function editHtml(i: AgendaItemRow, x: AgendaItemEdit): string {
  const id = (k: string) => `${i.anchor}-${k}`;
  const ctx = `<span class="vh">: ${e(i.heading)}</span>`;
  return (
    `<details${x.open ? ' open' : ''}><summary>Ändra eller flytta punkten${ctx}</summary><div class="panel">` +
    (x.note ? `<p class="hint">${e(x.note)}</p>` : '') +
    (x.retitle
      ? `<form method="post" action="${e(x.retitle.action)}" novalidate>` +
        field({ id: id('ny-rubrik'), name: 'title', type: 'text', label: 'Rubrik', value: x.retitle.state.values.title, error: x.retitle.state.errors.title, required: true }) +
        `<div class="row"><button type="submit">Spara rubriken${ctx}</button></div></form>`
      : '') +
    `<form method="post" action="${e(x.move.action)}" novalidate>` +
    select({ id: id('placering'), name: 'before', label: 'Flytta till', options: x.move.options, value: x.move.state.values.before, error: x.move.state.errors.before, required: true }) +
    `<div class="row"><button type="submit" class="secondary">Flytta punkten${ctx}</button></div></form>` +
    (x.remove
      ? `<form method="post" action="${e(x.remove.action)}">${hidden('bort', '1')}` +
        `<p class="hint">Punkten tas bort från föredragningslistan, och punkterna efter den flyttas upp ett steg.</p>` +
        `<div class="row"><button type="submit" class="secondary">Ta bort punkten${ctx}</button></div></form>`
      : '') +
    `</div></details>`
  );
}

export function boardMeetingPage(v: BoardMeetingView): string {
  const c = v.called;
  const d = c.decline;
  const reg = v.matters.register;
  const ms = v.minutes.send;
  const add = v.agenda.add;
  const sflash = (at: string) => (v.sectionFlash?.at === at ? flash(v.sectionFlash.flash) : '');
  return page(
    v.heading,
    errorSummary(v.errors) +
      `<p><a href="${e(v.back.href)}">← ${e(v.back.text)}</a></p>` +
      `<h1>${e(v.heading)}</h1><p class="lead">${e(v.lead)}</p>` +
      flash(v.flash) +
      `<dl class="facts">${v.facts.map(([k, x]) => `<dt>${e(k)}</dt><dd>${e(x)}</dd>`).join('')}</dl>` +
      `<nav class="onpage" aria-label="På sidan"><ul>${onPage.map(([id, text]) => `<li><a href="#${id}">${e(text)}</a></li>`).join('')}</ul></nav>` +
      // --- the kallelse
      `<section aria-labelledby="kallelse"><h2 id="kallelse">Kallelse</h2>` +
      sflash('kallelse') +
      v.kallelse.paragraphs.map((p) => `<p>${e(p)}</p>`).join('') +
      `<div class="actions"><a href="${e(v.kallelse.pdf.href)}">${e(v.kallelse.pdf.text)}</a>` +
      (v.kallelse.sendHref ? `<a href="${e(v.kallelse.sendHref)}">Skicka kallelsen nu…</a>` : '') +
      `</div></section>` +
      // --- who is called
      `<section aria-labelledby="kallade"><h2 id="kallade">Kallade</h2>` +
      sflash('kallade') +
      (c.quorum ? `<p class="flash${c.quorum.ok ? '' : ' warn'}">${e(c.quorum.text)}</p>` : '') +
      (c.note ? `<p>${e(c.note)}</p>` : '') +
      (c.rows.length ? `<ul class="called">${c.rows.map((r) => `<li><span>${e(r.name)}, ${e(r.seat)}</span> ${r.declined ? '<span class="tag warn">Förhinder</span>' : '<span class="tag">Kallad</span>'}</li>`).join('')}</ul>` : '') +
      (d
        ? `<details${d.state.open ? ' open' : ''}><summary>Anmäl förhinder för en ledamot</summary><div class="panel">` +
          `<form method="post" action="${e(d.action)}" novalidate>` +
          select({ id: 'forhinder-person', name: 'person', label: 'Vem kan inte komma?', placeholder: 'Välj person', options: d.options, value: d.state.values.person, error: d.state.errors.person, required: true, hint: d.hint }) +
          `<div class="row"><button type="submit">Anmäl förhinder</button></div></form></div></details>`
        : '') +
      `</section>` +
      // --- the agenda
      `<section aria-labelledby="foredragningslista"><h2 id="foredragningslista">Föredragningslista</h2>` +
      sflash('foredragningslista') +
      (v.agenda.note ? `<p>${e(v.agenda.note)}</p>` : '') +
      (v.agenda.items.length ? `<ol class="items">${v.agenda.items.map(itemHtml).join('')}</ol>` : '') +
      (add
        ? `<details${add.state.open ? ' open' : ''}><summary>Lägg till en punkt på föredragningslistan</summary><div class="panel">` +
          `<form method="post" action="${e(add.action)}" class="project-form" novalidate>` +
          `<p class="hint">${e(add.hint)}</p>` +
          `<fieldset><legend>Ny punkt</legend>` +
          field({ id: 'punkt-ny-rubrik', name: 'title', type: 'text', label: 'Rubrik', value: add.state.values.title, error: add.state.errors.title, required: true }) +
          select({ id: 'punkt-ny-placering', name: 'before', label: 'Var på listan?', options: add.options, value: add.state.values.before, error: add.state.errors.before, required: true }) +
          `</fieldset>` +
          `<div class="row"><button type="submit">Lägg till punkten</button></div></form></div></details>`
        : '') +
      `</section>` +
      // --- the matters
      `<section aria-labelledby="arenden"><h2 id="arenden">Ärenden till mötet</h2>` +
      sflash('arenden') +
      (v.matters.rows.length
        ? `<ul class="plain">${v.matters.rows.map((x) => `<li>${e(x.dnr)} ${e(x.title)} <span class="muted">(${e(x.status)}; ansvarig: ${e(x.owner)})</span></li>`).join('')}</ul>`
        : `<p class="muted">Inga ärenden är registrerade till mötet.</p>`) +
      (v.matters.note ? `<p>${e(v.matters.note)}</p>` : '') +
      (reg
        ? `<details${reg.state.open ? ' open' : ''}><summary>Registrera ett ärende till mötet</summary><div class="panel">` +
          `<form method="post" action="${e(reg.action)}" novalidate>` +
          `<p class="hint" id="arende-hint">${e(reg.hint)}</p>` +
          field({ id: 'arende-rubrik', name: 'title', type: 'text', label: 'Rubrik', value: reg.state.values.title, error: reg.state.errors.title, required: true }) +
          `<div class="fields"><div class="grow">` +
          select({ id: 'arende-slag', name: 'kind', label: 'Slag av ärende', placeholder: 'Välj slag', options: reg.kinds, value: reg.state.values.kind, error: reg.state.errors.kind, required: true }) +
          `</div><div class="grow">` +
          select({ id: 'arende-ansvarig', name: 'owner', label: 'Ansvarig', placeholder: 'Välj ansvarig', groups: reg.owners, value: reg.state.values.owner, error: reg.state.errors.owner, required: true }) +
          `</div></div>` +
          `<div class="row"><button type="submit">Registrera ärendet</button></div></form></div></details>`
        : '') +
      `</section>` +
      // --- minutes and justering
      `<section aria-labelledby="protokoll"><h2 id="protokoll">Protokoll och justering</h2>` +
      sflash('protokoll') +
      v.minutes.paragraphs.map((p) => `<p>${e(p)}</p>`).join('') +
      (v.minutes.missing?.length ? `<p class="flash warn">Beslut saknas för: ${e(v.minutes.missing.join(', '))}. Protokollet kan skickas när alla ärenden har ett beslut.</p>` : '') +
      (ms
        ? `<form method="post" action="${e(ms.action)}" class="panel-box" novalidate>` +
          select({ id: 'protokoll-justerare', name: 'justerare', label: 'Justerare', placeholder: 'Välj justerare', options: ms.options, value: ms.state.values.justerare, error: ms.state.errors.justerare, required: true, hint: ms.hint }) +
          (ms.state.errors.items ? `<p class="error" id="protokoll-beslut-fel"><span class="vh">Fel: </span>${e(ms.state.errors.items)}</p>` : '') +
          `<div class="row"><button type="submit">Skicka protokollet till justeraren</button></div></form>`
        : '') +
      (v.minutes.justering
        ? `<form method="post" action="${e(v.minutes.justering.action)}" class="panel-box">${hidden('justerat', '1')}` +
          `<p>${e(v.minutes.justering.hint)}</p>` +
          `<div class="row"><button type="submit">Registrera justeringen</button></div></form>`
        : '') +
      `</section>`,
    v.chrome,
  );
}
