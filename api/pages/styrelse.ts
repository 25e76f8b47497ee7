// A board meeting's page for the official and the secretary, as HTML from what
// api/admin/styrelse.ts loads: when and where, its stage, who is called and the quorum
// forecast, the föredragningslista with its matters and decisions, the matters headed for it,
// the kallelse as PDF; and the actions its stage allows, each a form (POST-redirect-GET) that
// says what happens and who gets mail. A form sent back with errors shows each problem next to
// its field (aria-describedby, aria-invalid) and keeps what was typed. No scripts.
import { errorSummary, field, flash, hidden, page, type Chrome, type ErrorLink, type Flash } from './admin.js';
import { registeredHtml, registerFormHtml, type DuplicateView, type RegisteredView } from './arenden.js';
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
  released?: boolean;
  /** A new "can't come" link for this person (until the meeting begins; not for one released). */
  renew?: { action: string };
}

/** One who signs the protokoll, as the meeting page shows them while it is out for justering (and after). */
export interface SignerView {
  name: string;
  /** 'ordförande' or 'justerare'. */
  role: string;
  /** The day they signed, in Swedish. */
  signedAt?: string;
  /** A new justering link (while out for justering and not signed). */
  renew?: { action: string };
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
  /** The decision's form; state.values.version is the item's version it was shown with (sent back as a hidden field). */
  form?: {
    action: string;
    state: FormState;
    actionBy: { options: Option[]; groups: { label: string; options: Option[] }[] };
    /** Someone else saved the decision while this form was written: what is saved now (the form holds what this person wrote). */
    conflict?: { decision: string; followUp?: string };
  };
  /** What the protokoll says of the § besides its decision, as recorded (jäv and who served instead, reservationer, anteckningar, omröstning). */
  record?: string[];
  /** Recording it (while decisions may be recorded, once the närvaro is). */
  recordForm?: RecordFormView;
  /** Editing the föredragningslista (until the kallelse goes): a new title and removal for all but a matter's item, a move for every item. */
  edit?: AgendaItemEdit;
}

export interface AgendaItemEdit {
  /** Absent for a matter's item: it keeps the matter's title. */
  retitle?: { action: string; state: FormState };
  proposal?: { action: string; state: FormState };
  /** Where the item can go ('before' an item's id, or 'sist'), the current place chosen. */
  move: { action: string; state: FormState; options: Option[] };
  /** Absent for a matter's item (and for the only item on the list). */
  remove?: { action: string };
  note?: string;
  open?: boolean;
}

/** Present at the meeting, as the § form offers them: by person key. */
export interface PresentPerson {
  key: string;
  /** 'Karin Kommun (ledamot, Åby kommun)' */
  label: string;
}

/** One §'s jäv, reservationer, protokollsanteckningar and omröstning. Field names: jav:<key>, franvarande:<key>, res-person-<n>, res-text-<n>, ant-person-<n>, ant-text-<n>, rost:<key>, resultat. */
export interface RecordFormView {
  action: string;
  state: FormState;
  people: PresentPerson[];
  /** Those who may vote (beslutande and tjänstgörande), by key. */
  voters: PresentPerson[];
  /** Rows of reservationer and of protokollsanteckningar offered. */
  rows: { reservations: number; notes: number };
  /** Why there is no form yet (the närvaro first). */
  note?: string;
}

/** The närvaro: as recorded, and the form (field n:<key> per person of the roster; ovrig-namn-<n>, ovrig-titel-<n> for others present). */
export interface NarvaroView {
  recorded?: { label: string; names: string[] }[];
  note?: string;
  form?: { action: string; state: FormState; people: { key: string; label: string; options: Option[] }[]; others: number; hint: string };
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
  sectionFlash?: { at: 'kallelse' | 'kallade' | 'narvaro' | 'foredragningslista' | 'arenden' | 'protokoll'; flash: Flash };
  /** Närvaro, once the meeting has begun. */
  narvaro?: NarvaroView;
  errors?: ErrorLink[];
  kallelse: { paragraphs: string[]; pdf: { href: string; text: string }; sendHref?: string };
  called: { rows: CalledView[]; quorum?: { text: string; ok: boolean }; note?: string; decline?: { action: string; state: FormState; options: Option[]; hint: string } };
  agenda: { note?: string; items: AgendaItemRow[]; add?: AgendaAdd };
  matters: {
    /** Each matter headed for the meeting, linked to its page; one not yet prepared with the start page's button (until the kallelse). */
    rows: { dnr: string; href: string; title: string; status: string; owner: string; prepare?: { action: string; back: string } }[];
    note?: string;
    /** After registering: the Dnr the matter got. */
    registered?: RegisteredView;
    register?: { action: string; state: FormState; kinds: Option[]; owners: { label: string; options: Option[] }[]; hint: string; duplicate?: DuplicateView };
  };
  minutes: { paragraphs: string[]; signers?: SignerView[]; missing?: string[]; send?: { action: string; state: FormState; options: Option[]; hint: string }; justering?: { action: string; hint: string } };
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
        hidden('version', f.state.values.version ?? '') +
        (f.conflict
          ? `<div class="flash warn conflict" id="${e(id('andrat'))}"><p><strong>Beslutet har ändrats av någon annan medan du skrev.</strong> Inget har ändrats. Jämför texterna: spara igen om ditt beslut ska gälla i stället för det som är sparat nu.</p>` +
            `<p><strong>Sparat nu:</strong> ${f.conflict.decision ? e(f.conflict.decision) : 'inget beslut'}</p>${f.conflict.followUp ? `<p>${e(f.conflict.followUp)}</p>` : ''}` +
            `<p><strong>Det du skrev:</strong> ${e(f.state.values.decision ?? '')} <span class="muted">(står kvar i fältet nedan)</span></p></div>`
          : '') +
        textarea({ id: id('beslut'), name: 'decision', label: 'Beslut', value: f.state.values.decision, error: f.state.errors.decision, required: true, hint: 'Som det ska stå i protokollet. Inga personnummer.' }) +
        `<div class="fields"><div class="grow">` +
        select({ id: id('vem'), name: 'actionBy', label: 'Vem ska återrapportera? (om något)', placeholder: 'Ingen återrapportering', options: f.actionBy.options, groups: f.actionBy.groups, value: f.state.values.actionBy, error: f.state.errors.actionBy }) +
        `</div><div>` +
        field({ id: id('senast'), name: 'actionDue', type: 'date', label: 'Senast', value: f.state.values.actionDue, error: f.state.errors.actionDue }) +
        `</div></div>` +
        `<p class="hint">Med vem och senast när följs beslutet upp: den som ska återrapportera påminns per e-post en vecka före och när dagen har passerat.</p>` +
        `<div class="row"><button type="submit">Spara beslutet<span class="vh">: ${e(i.heading)}</span></button></div></form></div></details>`
      : '') +
    (i.record?.length ? `<ul class="plain record">${i.record.map((l) => `<li>${e(l)}</li>`).join('')}</ul>` : '') +
    (i.recordForm ? recordFormHtml(i, i.recordForm) : '') +
    (i.edit ? editHtml(i, i.edit) : '') +
    `</li>`
  );
}

/** The id of a form field: the form's prefix and the field's name, made safe for an id. */
export const fieldId = (prefix: string, name: string) => `${prefix}-${name.replace(/[^A-Za-z0-9-]/g, '-')}`;

/** Checkboxes in a fieldset, one per person. */
function checks(legend: string, hint: string, prefix: string, name: string, people: PresentPerson[], st: FormState): string {
  const err = people.map((p) => st.errors[`${name}:${p.key}`]).find(Boolean);
  return (
    `<fieldset><legend>${e(legend)}</legend><span class="hint">${e(hint)}</span>` +
    (err ? `<p class="error"><span class="vh">Fel: </span>${e(err)}</p>` : '') +
    `<div class="checks">` +
    people
      .map((p) => {
        const n = `${name}:${p.key}`;
        const id = fieldId(prefix, n);
        return `<div class="check"><input type="checkbox" id="${e(id)}" name="${e(n)}" value="1"${st.values[n] ? ' checked' : ''}${st.errors[n] ? ' aria-invalid="true"' : ''}><label for="${e(id)}">${e(p.label)}</label></div>`;
      })
      .join('') +
    `</div></fieldset>`
  );
}

/** A §'s jäv, reservationer, anteckningar and omröstning: one form. */
function recordFormHtml(i: AgendaItemRow, f: RecordFormView): string {
  const prefix = i.anchor;
  const st = f.state;
  const ctx = `<span class="vh">: ${e(i.heading)}</span>`;
  const id = (n: string) => fieldId(prefix, n);
  const people: Option[] = f.people.map((p) => ({ value: p.key, text: p.label }));
  const rows = (n: number, what: 'res' | 'ant', label: string, textLabel: string) =>
    Array.from({ length: n }, (_, k) =>
      `<div class="fields"><div class="grow">` +
      select({ id: id(`${what}-person-${k}`), name: `${what}-person-${k}`, label: `${label} ${k + 1}`, placeholder: 'Ingen', options: people, value: st.values[`${what}-person-${k}`], error: st.errors[`${what}-person-${k}`] }) +
      `</div><div class="grow">` +
      field({ id: id(`${what}-text-${k}`), name: `${what}-text-${k}`, type: 'text', label: textLabel, value: st.values[`${what}-text-${k}`], error: st.errors[`${what}-text-${k}`] }) +
      `</div></div>`,
    ).join('');
  const voteChoices: Option[] = [
    { value: 'ja', text: 'Ja' },
    { value: 'nej', text: 'Nej' },
    { value: 'avstar', text: 'Avstår' },
  ];
  return (
    `<details${st.open ? ' open' : ''}><summary>Jäv, reservationer, anteckningar och omröstning${ctx}</summary><div class="panel">` +
    (f.note
      ? `<p>${e(f.note)}</p>`
      : `<form method="post" action="${e(f.action)}" class="project-form" novalidate>` +
        (st.errors.form ? `<p class="error" id="${e(id('form'))}"><span class="vh">Fel: </span>${e(st.errors.form)}</p>` : '') +
        checks('Jäv', 'Den som är jävig deltar inte i handläggningen; en närvarande ersättare för samma medlem tjänstgör i hens ställe.', prefix, 'jav', f.people, st) +
        checks('Frånvarande vid paragrafen', 'Den som inte var med när ärendet avgjordes (kom senare, gick tidigare).', prefix, 'franvarande', f.people, st) +
        `<fieldset><legend>Reservationer</legend><span class="hint">Bara den som deltog i beslutet kan reservera sig. Motiveringen är frivillig.</span>${rows(f.rows.reservations, 'res', 'Reservation', 'Motivering')}</fieldset>` +
        `<fieldset><legend>Protokollsanteckningar</legend>${rows(f.rows.notes, 'ant', 'Anteckning', 'Text')}</fieldset>` +
        `<fieldset><legend>Omröstning</legend><span class="hint">Bara om styrelsen röstade. De beslutande i paragrafen röstar; lämna tomt för den som inte röstade.</span>` +
        f.voters.map((p) => select({ id: id(`rost:${p.key}`), name: `rost:${p.key}`, label: p.label, placeholder: 'Röstade inte', options: voteChoices, value: st.values[`rost:${p.key}`], error: st.errors[`rost:${p.key}`] })).join('') +
        field({ id: id('resultat'), name: 'resultat', type: 'text', label: 'Resultat, som ordföranden förklarade det', value: st.values.resultat, error: st.errors.resultat }) +
        `</fieldset>` +
        `<div class="row"><button type="submit">Spara i protokollet${ctx}</button></div></form>`) +
    `</div></details>`
  );
}

/** The närvaro: as recorded, and the form to record it. */
function narvaroHtml(v: NarvaroView, sflash: string): string {
  const f = v.form;
  return (
    `<section aria-labelledby="narvaro"><h2 id="narvaro">Närvaro</h2>` +
    sflash +
    (v.note ? `<p>${e(v.note)}</p>` : '') +
    (v.recorded?.length ? `<dl class="facts">${v.recorded.map((g) => `<dt>${e(g.label)}</dt><dd>${g.names.map(e).join('<br>')}</dd>`).join('')}</dl>` : '') +
    (f
      ? `<details${f.state.open ? ' open' : ''}><summary>${v.recorded ? 'Ändra närvaron' : 'För in närvaron'}</summary><div class="panel">` +
        `<form method="post" action="${e(f.action)}" class="project-form" novalidate>` +
        `<p class="hint">${e(f.hint)}</p>` +
        `<fieldset><legend>Styrelsens ledamöter och ersättare</legend>` +
        f.people.map((p) => select({ id: fieldId('narvaro', `n:${p.key}`), name: `n:${p.key}`, label: p.label, options: p.options, value: f.state.values[`n:${p.key}`], error: f.state.errors[`n:${p.key}`], required: true })).join('') +
        `</fieldset>` +
        `<fieldset><legend>Övriga närvarande</legend><span class="hint">Tjänstepersoner, sekreterare och inbjudna: namn och titel, som de ska stå i protokollet. Lämna tomt det som inte behövs.</span>` +
        Array.from({ length: f.others }, (_, k) =>
          `<div class="fields"><div class="grow">` +
          field({ id: fieldId('narvaro', `ovrig-namn-${k}`), name: `ovrig-namn-${k}`, type: 'text', label: `Namn ${k + 1}`, value: f.state.values[`ovrig-namn-${k}`], error: f.state.errors[`ovrig-namn-${k}`] }) +
          `</div><div class="grow">` +
          field({ id: fieldId('narvaro', `ovrig-titel-${k}`), name: `ovrig-titel-${k}`, type: 'text', label: `Titel ${k + 1}`, value: f.state.values[`ovrig-titel-${k}`], error: f.state.errors[`ovrig-titel-${k}`] }) +
          `</div></div>`,
        ).join('') +
        `</fieldset>` +
        `<div class="row"><button type="submit">Spara närvaron</button></div></form></div></details>`
      : '') +
    `</section>`
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
    (x.proposal
      ? `<form method="post" action="${e(x.proposal.action)}" novalidate>` +
        textarea({ id: id('forslag'), name: 'proposal', label: 'Förslag till beslut', value: x.proposal.state.values.proposal, error: x.proposal.state.errors.proposal, hint: 'Står i kallelsen under punkten. Lämna tomt för inget förslag.' }) +
        `<div class="row"><button type="submit">Spara förslaget${ctx}</button></div></form>`
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
      `<nav class="onpage" aria-label="På sidan"><ul>${onPage.flatMap(([id, text]): [string, string][] => (id === 'foredragningslista' && v.narvaro ? [['narvaro', 'Närvaro'], [id, text]] : [[id, text]])).map(([id, text]) => `<li><a href="#${id}">${e(text)}</a></li>`).join('')}</ul></nav>` +
      // --- the kallelse
      `<section aria-labelledby="kallelse"><h2 id="kallelse">Kallelse</h2>` +
      sflash('kallelse') +
      v.kallelse.paragraphs.map((p) => `<p>${e(p)}</p>`).join('') +
      `<div class="actions"><a href="${e(v.kallelse.pdf.href)}">${e(v.kallelse.pdf.text)}</a>` +
      `<a href="${e(v.kallelse.pdf.href.replace(/kallelse\.pdf$/, 'motespaket.pdf'))}">Mötespaketet som PDF (kallelsen och handlingarna)</a>` +
      (v.kallelse.sendHref ? `<a href="${e(v.kallelse.sendHref)}">Skicka kallelsen nu…</a>` : '') +
      `</div></section>` +
      // --- who is called
      `<section aria-labelledby="kallade"><h2 id="kallade">Kallade</h2>` +
      sflash('kallade') +
      (c.quorum ? `<p class="flash${c.quorum.ok ? '' : ' warn'}">${e(c.quorum.text)}</p>` : '') +
      (c.note ? `<p>${e(c.note)}</p>` : '') +
      (c.rows.length
        ? `<ul class="called">${c.rows
            .map(
              (r) =>
                `<li><span>${e(r.name)}, ${e(r.seat)}</span> <div class="end">${r.declined ? '<span class="tag warn">Förhinder</span>' : r.released ? '<span class="tag">Behövs inte (ledamoten kommer)</span>' : '<span class="tag">Kallad</span>'}` +
                (r.renew ? ` <form method="post" action="${e(r.renew.action)}"><button type="submit" class="secondary">Skicka ny länk<span class="vh"> för förhinder till ${e(r.name)}</span></button></form>` : '') +
                `</div></li>`,
            )
            .join('')}</ul>`
        : '') +
      (d
        ? `<details${d.state.open ? ' open' : ''}><summary>Anmäl förhinder för en ledamot</summary><div class="panel">` +
          `<form method="post" action="${e(d.action)}" novalidate>` +
          select({ id: 'forhinder-person', name: 'person', label: 'Vem kan inte komma?', placeholder: 'Välj person', options: d.options, value: d.state.values.person, error: d.state.errors.person, required: true, hint: d.hint }) +
          `<div class="row"><button type="submit">Anmäl förhinder</button></div></form></div></details>`
        : '') +
      `</section>` +
      // --- the närvaro
      (v.narvaro ? narvaroHtml(v.narvaro, sflash('narvaro')) : '') +
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
      (v.matters.registered ? registeredHtml(v.matters.registered) : '') +
      sflash('arenden') +
      (v.matters.rows.length
        ? `<ul class="milestones">${v.matters.rows
            .map(
              (x) =>
                `<li><div class="what"><p><a href="${e(x.href)}">${e(x.dnr)}</a> ${e(x.title)} <span class="muted">(${e(x.status)}; ansvarig: ${e(x.owner)})</span></p></div>` +
                (x.prepare ? `<form method="post" action="${e(x.prepare.action)}">${hidden('tillbaka', x.prepare.back)}<button type="submit" class="secondary">Markera som berett<span class="vh">: ${e(x.dnr)} ${e(x.title)}</span></button></form>` : '') +
                `</li>`,
            )
            .join('')}</ul>`
        : `<p class="muted">Inga ärenden är registrerade till mötet.</p>`) +
      (v.matters.note ? `<p>${e(v.matters.note)}</p>` : '') +
      (reg ? registerFormHtml(reg, 'Registrera ett ärende till mötet') : '') +
      `</section>` +
      // --- minutes and justering
      `<section aria-labelledby="protokoll"><h2 id="protokoll">Protokoll och justering</h2>` +
      sflash('protokoll') +
      v.minutes.paragraphs.map((p) => `<p>${e(p)}</p>`).join('') +
      (v.minutes.signers?.length
        ? `<ul class="signers">${v.minutes.signers
            .map(
              (x) =>
                `<li><span>${e(x.name)}, ${e(x.role)}</span> <div class="end">${x.signedAt ? `<span class="tag">Har justerat ${e(x.signedAt)}</span>` : '<span class="tag warn">Har inte justerat</span>'}` +
                (x.renew ? ` <form method="post" action="${e(x.renew.action)}"><button type="submit" class="secondary">Skicka ny länk<span class="vh"> för justering till ${e(x.name)}</span></button></form>` : '') +
                `</div></li>`,
            )
            .join('')}</ul>`
        : '') +
      (v.minutes.missing?.length ? `<p class="flash warn">Beslut saknas för: ${e(v.minutes.missing.join(', '))}. Protokollet kan skickas när alla ärenden har ett beslut.</p>` : '') +
      (ms
        ? `<form method="post" action="${e(ms.action)}" class="panel-box" novalidate>` +
          select({ id: 'protokoll-justerare', name: 'justerare', label: 'Justerare', placeholder: 'Välj justerare', options: ms.options, value: ms.state.values.justerare, error: ms.state.errors.justerare, required: true, hint: ms.hint }) +
          select({ id: 'protokoll-justerare2', name: 'justerare2', label: 'Andra justerare (om förbundet justerar med två)', placeholder: 'Ingen', options: ms.options, value: ms.state.values.justerare2 ?? '', error: ms.state.errors.justerare2 }) +
          field({ type: 'text', id: 'protokoll-plats', name: 'plats', label: 'Plats för justeringen (valfritt)', value: ms.state.values.plats ?? '', error: ms.state.errors.plats, hint: 'Skrivs ut i protokollet, till exempel Förbundets kansli.' }) +
          (ms.state.errors.items ? `<p class="error" id="protokoll-beslut-fel"><span class="vh">Fel: </span>${e(ms.state.errors.items)}</p>` : '') +
          `<div class="row"><button type="submit">Skicka protokollet för justering</button></div></form>`
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
