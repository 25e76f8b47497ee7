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

export interface VersionView {
  version: number;
  /** '20 april 2026 kl. 10.00' */
  submittedText: string;
  late: boolean;
  submittedBy?: string | null;
  figures: FigureRows;
  narrative: string;
}

export interface ReportPageView {
  chrome: Chrome;
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
}

const versionLine = (v: VersionView) =>
  `Inlämnad ${e(v.submittedText)}${v.submittedBy ? ` av ${e(v.submittedBy)}` : ''}. ${v.late ? '<strong class="tag late">Försenad</strong>' : '<span class="tag done">I tid</span>'}`;

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
      `<h2>Skickade påminnelser</h2>` +
      (o.reminders.length ? `<ul class="plain">${o.reminders.map((r) => `<li>${e(r)}</li>`).join('')}</ul>` : `<p>Inga påminnelser har skickats ännu.</p>`) +
      `<h2>Vad du kan göra</h2>` +
      (o.note ? `<p>${e(o.note)}</p>` : '') +
      (o.actions.length ? `<div class="actions">${o.actions.map(actionHtml).join('')}</div>` : ''),
    o.chrome,
  ).replace('</style>', `${FIGURES_STYLE}</style>`);
}
