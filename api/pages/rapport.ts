// The official's and the secretary's page of one report: its state, the submitted report (the
// latest version open, each earlier one in a <details>), the reminders sent, and what the
// official can do (a new due date, lock the report, withdraw the project). The figures are
// shown by the same function as on the coordinator's form and the public's page (figurer.ts),
// in full: small counts are hidden only on the public page.
import type { FigureRows } from '../../domain/rapportuppgifter.js';
import { actionHtml, errorSummary, flash, page, type ActionView, type Chrome, type ErrorLink, type Flash } from './admin.js';
import { figuresHtml, FIGURES_STYLE } from './figurer.js';
import { e } from './layout.js';
import { paragraphs } from './rapportera.js';

/** One warning of the review, as the page lists it: what was found, where, why. */
export interface ReviewWarningView {
  /** 'i beskrivningen' / 'i kommentaren till mål 2' */
  where: string;
  sv: string;
}

/**
 * The section "Granskning före publicering": the latest version's review. The official reviews a
 * pending version (warnings, the text to redact prefilled, approve, or send back with a reason);
 * the secretary reads. After an approval with redactions both texts are shown.
 */
export interface ReviewView {
  version: number;
  status: 'pending' | 'approved' | 'returned';
  /** The official, and the version waits for review. */
  canReview: boolean;
  warnings: ReviewWarningView[];
  goals: string[];
  /** The latest version's text as submitted: the narrative and each goal's comment. */
  submitted: { narrative: string; comments: (string | null)[] };
  /** What was typed, when the form comes back with errors. */
  typed?: { narrative?: string; comments?: string[]; reason?: string };
  /** Field id → its error. */
  errors?: Record<string, string>;
  /** The decision on the latest version, when made: "Godkänd 7 december 2026 av Olga Tjänsteman." */
  decided?: string;
  returnReason?: string | null;
  /** The version that is (or becomes) public, and from when. */
  published?: { version: number; from: string; publicNow: boolean; redacted?: { narrative: string; comments: (string | null)[] }; submitted: { narrative: string; comments: (string | null)[] } };
  /** Why the reader cannot review (the secretary). */
  readOnlyNote?: string;
}

export interface VersionView {
  version: number;
  /** '20 april 2026 kl. 10.00' */
  submittedText: string;
  late: boolean;
  submittedBy?: string | null;
  figures: FigureRows;
  narrative: string;
  /** The review before publication: 'väntar på granskning', 'godkänd för publicering', 'skickad tillbaka'. */
  review?: { text: string; done: boolean };
}

export interface ReportPageView {
  chrome: Chrome;
  /** The report obligation's id, for the review form's action. */
  reportId?: string;
  heading: string;
  project: string;
  facts: [string, string][];
  coordinator: { name: string; email: string };
  /** Newest first. */
  versions: VersionView[];
  locked?: string;
  reminders: string[];
  actions: ActionView[];
  note?: string;
  flash?: Flash;
  errors?: ErrorLink[];
  review?: ReviewView;
}

const versionLine = (v: VersionView) =>
  `Inlämnad ${e(v.submittedText)}${v.submittedBy ? ` av ${e(v.submittedBy)}` : ''}. ${v.late ? '<strong class="tag late">Försenad</strong>' : '<span class="tag done">I tid</span>'}` +
  (v.review ? ` <span class="tag${v.review.done ? '' : ' warn'}">${e(v.review.text)}</span>` : '');

function versionBody(v: VersionView, level: 3 | 4): string {
  const h = `h${level}`;
  const figures = figuresHtml(v.figures, { level, idPrefix: `version-${v.version}` });
  return (figures || '<p>Inga siffror angivna.</p>') + `<${h} id="version-${v.version}-beskrivning">Beskrivning</${h}>${paragraphs(v.narrative)}`;
}

export function reportPage(o: ReportPageView): string {
  const [latest, ...older] = o.versions;
  const submitted = latest
    ? `<section aria-labelledby="rapporten"><h2 id="rapporten">Inlämnad rapport</h2>` +
      (o.locked ? `<p class="flash">${e(o.locked)}</p>` : '') +
      `<h3 id="version-${latest.version}">Version ${latest.version}${older.length ? ' (senaste)' : ''}</h3><p class="status">${versionLine(latest)}</p>` +
      versionBody(latest, 4) +
      (older.length
        ? `<h3 id="tidigare">Tidigare versioner</h3>` +
          older.map((v) => `<details><summary>Version ${v.version}, inlämnad ${e(v.submittedText)}</summary><div class="panel"><p class="status">${versionLine(v)}</p>${versionBody(v, 4)}</div></details>`).join('')
        : '') +
      `</section>`
    : '';
  return page(
    o.heading,
    errorSummary(o.errors) +
      `<p><a href="/admin">← Att göra</a></p>` +
      `<h1>${e(o.heading)}</h1><p class="lead">${e(o.project)}</p>` +
      flash(o.flash) +
      `<dl class="facts">${o.facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}` +
      `<dt>Samordnare</dt><dd>${e(o.coordinator.name)}, <a href="mailto:${e(o.coordinator.email)}">${e(o.coordinator.email)}</a></dd></dl>` +
      submitted +
      (o.review ? reviewHtml(o.review, `/admin/rapporter/${o.reportId ?? ''}/granska`) : '') +
      `<h2>Skickade påminnelser</h2>` +
      (o.reminders.length ? `<ul class="plain">${o.reminders.map((r) => `<li>${e(r)}</li>`).join('')}</ul>` : `<p>Inga påminnelser har skickats ännu.</p>`) +
      `<h2>Vad du kan göra</h2>` +
      (o.note ? `<p>${e(o.note)}</p>` : '') +
      (o.actions.length ? `<div class="actions">${o.actions.map(actionHtml).join('')}</div>` : ''),
    o.chrome,
  ).replace('</style>', `${FIGURES_STYLE}${REVIEW_STYLE}</style>`);
}

const REVIEW_STYLE = `
.warning-text{display:flex;gap:.75rem;align-items:flex-start;margin:1rem 0}
.warning-text .icon{flex:0 0 auto;display:inline-flex;align-items:center;justify-content:center;width:2.1rem;height:2.1rem;border-radius:50%;background:#1b1b1b;color:#fff;font-weight:700;font-size:1.4rem;line-height:1}
.warning-text strong{font-weight:600}
#granskning-avsnitt h3{margin-top:1.75rem}
ul.warnings{margin:.25rem 0 .75rem;padding-left:1.25rem}
ul.warnings li{margin:.3rem 0}
.texts{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.texts>section{border:1px solid #c9d3dc;border-radius:6px;padding:.25rem 1rem .75rem;min-width:0;overflow-wrap:anywhere}
.texts h4{margin-top:.5rem}
@media (max-width:40rem){.texts{grid-template-columns:1fr}}
`;

/** A text for a page: paragraphs, or "–" when none. */
const textHtml = (t: string | null | undefined) => (t && t.trim() ? paragraphs(t) : '<p class="muted">Ingen text.</p>');

/** The narrative and the goal comments of one text, under a heading. */
function textBlock(title: string, id: string, t: { narrative: string; comments: (string | null)[] }, goals: string[]): string {
  return (
    `<section aria-labelledby="${id}"><h4 id="${id}">${e(title)}</h4><p class="label">Beskrivning</p>${textHtml(t.narrative)}` +
    goals.map((g, i) => `<p class="label">Kommentar till mål ${i + 1}${g ? `: ${e(g)}` : ''}</p>${textHtml(t.comments[i])}`).join('') +
    `</section>`
  );
}

/** The field ids of the review form, for the error summary's links. */
export const reviewFieldId = (field: string) => (field === 'narrative' ? 'granska-beskrivning' : field === 'reason' ? 'granska-anledning' : /^comments\[(\d+)\]$/.test(field) ? `granska-mal-${Number(/\d+/.exec(field)![0]) + 1}` : 'granska-beskrivning');

const fieldError = (errors: Record<string, string> | undefined, id: string) => (errors?.[id] ? `<p class="error" id="${id}-fel"><span class="vh">Fel: </span>${e(errors[id])}</p>` : '');
const described = (errors: Record<string, string> | undefined, id: string, hint?: string) => {
  const ids = [hint ? `${id}-hint` : '', errors?.[id] ? `${id}-fel` : ''].filter(Boolean).join(' ');
  return (ids ? ` aria-describedby="${ids}"` : '') + (errors?.[id] ? ' aria-invalid="true"' : '');
};

function reviewHtml(v: ReviewView, action: string): string {
  const warnings = v.warnings.length
    ? `<div class="warning-text"><span class="icon" aria-hidden="true">!</span><div><strong><span class="vh">Varning: </span>Texten kan peka ut en deltagare. Kontrollera ${v.warnings.length === 1 ? 'det här' : `de här ${v.warnings.length} ställena`} innan du godkänner:</strong>` +
      `<ul class="warnings">${v.warnings.map((w) => `<li>${e(capitalFirst(w.where))}: ${e(w.sv)}</li>`).join('')}</ul>` +
      `<p>Varningarna är hjälp, inte regler: du avgör vad som publiceras.</p></div></div>`
    : `<p>Inga namn, orter, åldrar, små antal eller personnummer hittades i texten. Läs den ändå innan du godkänner.</p>`;
  let body = '';
  if (v.canReview) {
    const typed = v.typed;
    const narrative = typed?.narrative ?? v.submitted.narrative;
    const reasonId = 'granska-anledning';
    body +=
      `<p>Version ${v.version} väntar på din granskning. Inget från den publiceras förrän du har godkänt den, och aldrig före dagen efter att rapportperioden slutar.</p>` +
      warnings +
      `<h3 id="godkann">Godkänn för publicering</h3>` +
      `<form method="post" action="${e(action)}" novalidate><input type="hidden" name="version" value="${v.version}"><input type="hidden" name="beslut" value="godkann">` +
      `<p>Texten i rutorna är den som publiceras. Stryk eller skriv om det som kan peka ut en deltagare; den inlämnade texten sparas oförändrad.</p>` +
      `<label for="granska-beskrivning">Beskrivning att publicera</label><span class="hint" id="granska-beskrivning-hint">Den inlämnade beskrivningen, att ändra vid behov.</span>${fieldError(v.errors, 'granska-beskrivning')}` +
      `<textarea id="granska-beskrivning" name="narrative" rows="8"${described(v.errors, 'granska-beskrivning', 'granska')}>${e(narrative)}</textarea>` +
      v.goals
        .map((g, i) => {
          const id = `granska-mal-${i + 1}`;
          const value = typed?.comments?.[i] ?? v.submitted.comments[i] ?? '';
          return `<label for="${id}">Kommentar till mål ${i + 1} att publicera</label><span class="hint" id="${id}-hint">Målet: ”${e(g || 'utan text')}”. Lämna tomt för att inte publicera någon kommentar.</span>${fieldError(v.errors, id)}<textarea id="${id}" name="comment-${i}" rows="3"${described(v.errors, id, 'x')}>${e(value)}</textarea>`;
        })
        .join('') +
      `<div class="row"><button type="submit">Godkänn för publicering</button></div></form>` +
      `<h3 id="skicka-tillbaka">Skicka tillbaka till samordnaren</h3>` +
      `<form method="post" action="${e(action)}" novalidate><input type="hidden" name="version" value="${v.version}"><input type="hidden" name="beslut" value="tillbaka">` +
      `<label for="${reasonId}">Vad ska samordnaren rätta?</label><span class="hint" id="${reasonId}-hint">Samordnaren får texten i ett mejl med länken till rapporten. Rättelsen blir en ny version som du granskar igen.</span>${fieldError(v.errors, reasonId)}` +
      `<textarea id="${reasonId}" name="reason" rows="4" required${described(v.errors, reasonId, 'x')}>${e(typed?.reason ?? '')}</textarea>` +
      `<div class="row"><button type="submit" class="secondary">Skicka tillbaka till samordnaren</button></div></form>`;
  } else {
    if (v.decided) body += `<p class="status">${e(v.decided)}</p>`;
    if (v.status === 'returned' && v.returnReason) body += `<p class="label">Anledning som samordnaren fick</p>${paragraphs(v.returnReason)}`;
    if (v.status === 'pending') body += `<p>Version ${v.version} väntar på förbundschefens granskning. Inget från den publiceras förrän den är godkänd.</p>` + warnings;
    if (v.readOnlyNote) body += `<p>${e(v.readOnlyNote)}</p>`;
  }
  if (v.published) {
    const p = v.published;
    body +=
      `<h3 id="publicerad">Det här är publicerat</h3>` +
      `<p>Version ${p.version} är godkänd för publicering och ${p.publicNow ? `visas på förbundets webbplats sedan ${e(p.from)}` : `visas på förbundets webbplats från ${e(p.from)}, dagen efter att perioden slutar`} (om den är insatsens senaste rapport, eller slutrapporten för en avslutad insats).</p>` +
      (p.redacted
        ? `<p>Texten publiceras med ändringar. Den inlämnade texten finns kvar oförändrad.</p><div class="texts">${textBlock('Inlämnad text', 'inlamnad-text', p.submitted, v.goals)}${textBlock('Publicerad text', 'publicerad-text', p.redacted, v.goals)}</div>`
        : `<p>Texten publiceras som den lämnades in.</p>`);
  } else if (!v.canReview) {
    body += `<p>Ingen version av rapporten är godkänd för publicering, så inget av den visas på förbundets webbplats.</p>`;
  }
  return `<section aria-labelledby="granskning" id="granskning-avsnitt"><h2 id="granskning">Granskning före publicering</h2>${body}</section>`;
}

const capitalFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
