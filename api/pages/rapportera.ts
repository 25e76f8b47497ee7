// The coordinator's pages behind the submission link: the report's form (with the project's
// goals, participants by women and men, costs, the narrative and a name), the draft saved from
// it, the receipt after submitting, and what is shown of a locked report.
//
// Swedish, plain semantic HTML in the look of the other pages (layout.ts), WCAG 2.1 AA, readable
// at 320 px; no scripts (the CSP allows none). A form sent back with errors keeps what was typed,
// says each problem next to its field (aria-describedby, aria-invalid) and lists them in a summary
// at the top that links to the fields. Every text from the database is escaped.
import type { IsoDate } from '../../domain/dates.js';
import { GENDERS, goalField, participantField, PARTICIPANT_ROW_KEYS, PARTICIPANT_ROWS, type FigureRows, type Gender } from '../../domain/rapportuppgifter.js';
import { errorSummary, type ErrorLink } from './admin.js';
import { figuresHtml, FIGURES_STYLE } from './figurer.js';
import { ADMIN_STYLE, capitalize, date, e, period, shell } from './layout.js';
import { publicationSentence } from '../../domain/texts.js';

const FORM_STYLE = `
.wrap{max-width:48rem}
input.num{font:inherit;color:#1b1b1b;background:#fff;border:2px solid #5b6b7a;border-radius:4px;padding:.45rem .55rem;min-height:2.75rem;width:8rem;max-width:100%}
input.num[aria-invalid=true]{border-color:#a4262c;border-width:3px}
input.num:focus-visible{outline:3px solid #b45309;outline-offset:2px}
fieldset{border:1px solid #c9d3dc;border-radius:6px;padding:.5rem 1rem 1rem;margin:1rem 0;min-width:0}
legend{font-weight:600;padding:0 .25rem;max-width:100%;overflow-wrap:anywhere}
fieldset .fields>div{min-width:9rem}
.buttons{display:flex;flex-wrap:wrap;gap:.75rem 1rem;margin:1.5rem 0 .5rem}
`;

const GENDER_SV: Record<Gender, string> = { women: 'Kvinnor', men: 'Män' };

export interface ReportHeader {
  forbundName: string;
  projectName: string;
  /** 'kvartalsrapport' … */
  kindName: string;
  /** 'kvartalsrapporten', 'den ekonomiska redovisningen' */
  kindThe: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  dueDate: IsoDate;
}

/** 'Kvartalsrapport 1 januari–31 mars 2026' */
export const reportTitle = (h: ReportHeader) => `${capitalize(h.kindName)} ${period(h.periodStart, h.periodEnd)}`;

function frame(title: string, h: ReportHeader, body: string): string {
  return shell(
    `${title} – ${h.projectName}`,
    `<main id="innehall" tabindex="-1"><div class="wrap">${body}</div></main>` + `<footer><div class="wrap"><p>${e(h.forbundName)}. Frågor om rapporten? Svara på mejlet med länken, så når du förbundets kansli.</p></div></footer>`,
    { header: `<header class="site"><div class="wrap"><p>${e(h.forbundName)}</p></div></header>`, style: ADMIN_STYLE + FORM_STYLE + FIGURES_STYLE },
  );
}

const facts = (h: ReportHeader, state: string) =>
  `<dl class="facts"><dt>Förbund</dt><dd>${e(h.forbundName)}</dd><dt>Insats</dt><dd>${e(h.projectName)}</dd>` +
  `<dt>Rapport</dt><dd>${e(capitalize(h.kindName))}</dd><dt>Period</dt><dd>${period(h.periodStart, h.periodEnd)}</dd>` +
  `<dt>Sista dag</dt><dd>${date(h.dueDate)}</dd><dt>Läge</dt><dd>${e(state)}</dd></dl>`;

export interface FormView {
  header: ReportHeader;
  /** The project's goals today, in order. */
  goals: string[];
  /** The form's values: typed (after an error), the draft, or the latest version (to correct). */
  values: Record<string, string>;
  /** Problems by form field (its name). */
  errors: Record<string, string>;
  /** Each problem once, in the form's order, for the summary. */
  summary: ErrorLink[];
  /** Stockholm today: past the due date is late. */
  today: IsoDate;
  submitted?: { version: number; at: IsoDate };
  draft?: { savedAt: string };
  /** The draft was just saved (after the redirect). */
  draftSaved?: boolean;
  /** Versions left (0: the form is not shown). */
  versionsLeft: number;
  maxVersions: number;
  /** The form's one-time key (a hidden field): sent twice (a double click, a reload), it is the same report, not a correction. */
  formKey: string;
  /** The latest version was sent back by the förbundschef for correction, with this reason. */
  returned?: { version: number; reason: string };
}

function numberInput(id: string, label: string, v: FormView, hint?: string): string {
  const error = v.errors[id];
  const described = [hint ? `${id}-hint` : '', error ? `${id}-fel` : ''].filter(Boolean).join(' ');
  return (
    `<div><label for="${e(id)}">${e(label)}</label>` +
    (hint ? `<span class="hint" id="${e(id)}-hint">${e(hint)}</span>` : '') +
    (error ? `<p class="error" id="${e(id)}-fel"><span class="vh">Fel: </span>${e(error)}</p>` : '') +
    `<input class="num" type="text" inputmode="numeric" autocomplete="off" id="${e(id)}" name="${e(id)}" value="${e(v.values[id] ?? '')}"` +
    (described ? ` aria-describedby="${described}"` : '') +
    (error ? ' aria-invalid="true"' : '') +
    `></div>`
  );
}

function textArea(id: string, label: string, v: FormView, o: { hint?: string; rows: number }): string {
  const error = v.errors[id];
  const described = [o.hint ? `${id}-hint` : '', error ? `${id}-fel` : ''].filter(Boolean).join(' ');
  return (
    `<label for="${e(id)}">${e(label)}</label>` +
    (o.hint ? `<span class="hint" id="${e(id)}-hint">${e(o.hint)}</span>` : '') +
    (error ? `<p class="error" id="${e(id)}-fel"><span class="vh">Fel: </span>${e(error)}</p>` : '') +
    `<textarea id="${e(id)}" name="${e(id)}" rows="${o.rows}"${described ? ` aria-describedby="${described}"` : ''}${error ? ' aria-invalid="true"' : ''}>${e(v.values[id] ?? '')}</textarea>`
  );
}

/** The report's form: goals first, then participants, costs, the narrative and the name. */
export function reportFormPage(v: FormView): string {
  const h = v.header;
  const late = v.today > h.dueDate;
  const state = v.submitted
    ? `Inlämnad, version ${v.submitted.version} (${date(v.submitted.at).replace(/\u00a0/g, ' ')})`
    : late
      ? 'Inte inlämnad – sista dagen har passerat'
      : 'Inte inlämnad';
  const notices =
    (v.draftSaved ? `<p class="flash" role="status">Utkastet är sparat. Du kan stänga sidan och fortsätta senare via samma länk; rapporten är inte inlämnad förrän du väljer ”Lämna rapporten”.</p>` : '') +
    (v.submitted
      ? `<p class="notice"><strong>Rapporten är redan inlämnad</strong> (version ${v.submitted.version}). ${v.versionsLeft > 0 ? `Du kan rätta den nedan – de senast inlämnade uppgifterna är ifyllda. En rättelse sparas som en ny version (version ${v.submitted.version + 1}), och de tidigare versionerna finns kvar hos förbundet.` : `Den är inlämnad i ${v.maxVersions} versioner, det högsta antalet. Kontakta förbundets kansli om något behöver ändras.`}</p>`
      : late
        ? `<p class="notice">Sista dagen var ${date(h.dueDate)}. Du kan fortfarande lämna rapporten; den markeras som försenad.</p>`
        : '') +
    (v.draft && !v.draftSaved ? `<p class="notice">Du har ett sparat utkast från ${e(v.draft.savedAt)}. Det är ifyllt nedan.</p>` : '') +
    (v.returned && v.versionsLeft > 0
      ? `<div class="notice" role="status"><p><strong>Förbundschefen har skickat tillbaka rapporten för rättelse</strong> (version ${v.returned.version}). Det här behöver rättas:</p>${paragraphs(v.returned.reason)}<p>Rätta uppgifterna nedan och lämna rättelsen; den granskas igen innan något publiceras.</p></div>`
      : '');
  const goals = v.goals.length
    ? v.goals
        .map(
          (goal, i) =>
            `<fieldset><legend>Mål ${i + 1}: ${e(goal)}</legend>` +
            `<div class="fields">${numberInput(goalField(i, 'women'), 'Kvinnor som nått målet', v)}${numberInput(goalField(i, 'men'), 'Män som nått målet', v)}${numberInput(goalField(i, 'value'), 'Utfall i antal', v, 'Om målet mäts på annat sätt')}</div>` +
            textArea(goalField(i, 'comment'), 'Kommentar om målet', v, { rows: 3, hint: 'Kort: hur det går och varför. Kommentaren publiceras med rapporten (se Beskrivning nedan).' }) +
            `</fieldset>`,
        )
        .join('')
    : `<p>Insatsen har inga mål registrerade hos förbundet. Beskriv arbetet under perioden längre ner.</p>`;
  const participants = PARTICIPANT_ROW_KEYS.map(
    (row) => `<fieldset><legend>${e(capitalize(PARTICIPANT_ROWS[row]))}</legend><div class="fields">${GENDERS.map((g) => numberInput(participantField(row, g), GENDER_SV[g], v)).join('')}</div></fieldset>`,
  ).join('');
  const form =
    v.versionsLeft > 0
      ? `<form method="post" novalidate>` +
        `<input type="hidden" name="formKey" value="${e(v.formKey)}">` +
        `<h2 id="mal">Insatsens mål</h2><p>Ange för varje mål hur många deltagare som har nått det under perioden, kvinnor och män, och/eller utfallet i antal. Skriv en kort kommentar.</p>${goals}` +
        `<h2 id="deltagare">Deltagare</h2><p>Antal deltagare under perioden, kvinnor och män. Skriv 0 om det inte finns några; totalen räknas ut.</p>${participants}` +
        `<h2 id="kostnader">Kostnader</h2><div class="fields">${numberInput('costsToDate', 'Upparbetade kostnader (kr)', v, 'Hittills under projektet, i hela kronor.')}</div>` +
        `<h2 id="beskrivning">Beskrivning</h2>` +
        `<div class="notice" id="publicering"><p><strong>Det här blir offentligt.</strong> ${e(publicationSentence(h.periodEnd))}</p><p>Skriv därför så att ingen deltagare kan kännas igen: inga namn, åldrar eller orter för enskilda, och skriv ”färre än tre” i stället för ett eller två.</p></div>` +
        `${textArea('narrative', 'Beskrivning av arbetet under perioden', v, { rows: 10, hint: 'Vad har gjorts, vad har fungerat och vad har varit svårt? Beskrivningen och kommentarerna om målen publiceras på förbundets webbplats efter granskning. Skriv inga namn eller andra uppgifter om enskilda deltagare.' })}` +
        `<h2 id="uppgiftslamnare">Uppgiftslämnare</h2><div class="fields"><div class="grow"><label for="submittedBy">Ditt namn</label>${v.errors.submittedBy ? `<p class="error" id="submittedBy-fel"><span class="vh">Fel: </span>${e(v.errors.submittedBy)}</p>` : ''}<input type="text" class="short" id="submittedBy" name="submittedBy" autocomplete="name" value="${e(v.values.submittedBy ?? '')}"${v.errors.submittedBy ? ' aria-invalid="true" aria-describedby="submittedBy-fel"' : ''}></div></div>` +
        `<div class="buttons"><button type="submit" name="action" value="submit">${v.submitted ? 'Lämna rättelsen' : 'Lämna rapporten'}</button><button type="submit" name="action" value="draft" class="secondary">Spara utkast</button></div>` +
        `<p class="muted">”Spara utkast” sparar det du har skrivit utan att lämna rapporten; öppna samma länk för att fortsätta.</p>` +
        `</form>`
      : '';
  return frame(
    reportTitle(h),
    h,
    errorSummary(v.summary) +
      `<h1>${e(reportTitle(h))}</h1><p class="lead">${e(h.projectName)}</p>` +
      facts(h, state) +
      notices +
      `<p>Rapporten får bara innehålla sammanställda uppgifter (antal och belopp) – inga uppgifter om enskilda deltagare, inga namn och inga personnummer.</p>` +
      form,
  );
}

/** A locked report: it cannot be corrected; its latest version is shown. */
export function lockedPage(o: { header: ReportHeader; version: number; submittedAt: IsoDate; figures: FigureRows; narrative: string }): string {
  const h = o.header;
  return frame(
    reportTitle(h),
    h,
    `<h1>${e(reportTitle(h))}</h1><p class="lead">${e(h.projectName)}</p>` +
      facts(h, `Inlämnad och låst, version ${o.version}`) +
      `<p class="notice"><strong>Rapporten är låst</strong> av förbundet och kan inte längre rättas. Kontakta förbundets kansli om något behöver ändras.</p>` +
      `<h2 id="inlamnat">Det här är inlämnat</h2><p>Version ${o.version}, inlämnad ${date(o.submittedAt)}.</p>` +
      figuresHtml(o.figures, { level: 3, idPrefix: 'inlamnat' }) +
      `<h3>Beskrivning</h3>${paragraphs(o.narrative)}`,
  );
}

/** After submitting: what was received, whether it came late, and the way back to correct it. */
export function receiptPage(o: { header: ReportHeader; version: number; submittedAt: IsoDate; late: boolean; figures: FigureRows; narrative: string; submittedBy?: string; formUrl: string; canCorrect: boolean }): string {
  const h = o.header;
  return frame(
    'Tack – rapporten är mottagen',
    h,
    `<h1>Tack – rapporten är mottagen</h1>` +
      `<p class="lead">Vi har tagit emot ${o.version > 1 ? `version ${o.version} (en rättelse) av ` : ''}${e(h.kindThe)} för ${e(h.projectName)}, ${period(h.periodStart, h.periodEnd)}, den ${date(o.submittedAt)}.</p>` +
      (o.late ? `<p class="notice">Rapporten kom in efter sista dag, ${date(h.dueDate)}, och är markerad som försenad.</p>` : `<p>Rapporten kom in i tid (sista dag ${date(h.dueDate)}).</p>`) +
      `<p>${e(publicationSentence(h.periodEnd))}</p>` +
      (o.canCorrect
        ? `<p>Har något blivit fel? <a href="${e(o.formUrl)}">Rätta rapporten</a> – det blir en ny version och den här sparas.</p>`
        : `<p>Rapporten kan inte rättas fler gånger via länken. Kontakta förbundets kansli om något behöver ändras.</p>`) +
      `<h2 id="mottaget">Det här tog vi emot</h2>` +
      figuresHtml(o.figures, { level: 3, idPrefix: 'mottaget' }) +
      `<h3>Beskrivning</h3>${paragraphs(o.narrative)}` +
      (o.submittedBy ? `<p class="muted">Lämnad av ${e(o.submittedBy)}.</p>` : ''),
  );
}

/** Paragraphs at blank lines, line breaks kept. */
export function paragraphs(text: string): string {
  return (
    `<div class="narrative">` +
    text
      .replace(/\r\n?/g, '\n')
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => `<p>${e(p).replace(/\n/g, '<br>')}</p>`)
      .join('') +
    `</div>`
  );
}

/** A report the link no longer takes (withdrawn project, locked report). */
export function closedPage(h: ReportHeader, text: string): string {
  return frame(reportTitle(h), h, `<h1>${e(reportTitle(h))}</h1><p class="lead">${e(h.projectName)}</p><p class="notice">${e(text)}</p>`);
}

const GOAL_FIELD_SV: Record<string, string> = { women: 'kvinnor som nått målet', men: 'män som nått målet', value: 'utfall i antal', comment: 'kommentar' };

/** The Swedish name of a form field, for the error summary. */
export function fieldLabel(field: string, goals: readonly string[]): string {
  let m = /^p-(\w+)-(women|men)$/.exec(field);
  if (m && m[1] in PARTICIPANT_ROWS) return `${capitalize(PARTICIPANT_ROWS[m[1] as keyof typeof PARTICIPANT_ROWS])}, ${GENDER_SV[m[2] as Gender].toLowerCase()}`;
  m = /^goal-(\d+)-(\w+)$/.exec(field);
  if (m) return `Mål ${Number(m[1]) + 1}${goals[Number(m[1])] ? ` (${goals[Number(m[1])].length > 40 ? `${goals[Number(m[1])].slice(0, 40)}…` : goals[Number(m[1])]})` : ''}, ${GOAL_FIELD_SV[m[2]] ?? m[2]}`;
  return ({ costsToDate: 'Upparbetade kostnader', narrative: 'Beskrivning', submittedBy: 'Ditt namn' } as Record<string, string>)[field] ?? field;
}

/** The form's fields in the order they appear. */
export function formFieldOrder(goalCount: number): string[] {
  return [
    ...Array.from({ length: goalCount }, (_, i) => (['women', 'men', 'value', 'comment'] as const).map((k) => goalField(i, k))).flat(),
    ...PARTICIPANT_ROW_KEYS.flatMap((row) => GENDERS.map((g) => participantField(row, g))),
    'costsToDate',
    'narrative',
    'submittedBy',
  ];
}
