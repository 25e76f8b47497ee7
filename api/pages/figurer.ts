// A report's figures as HTML, the same on every page that shows them: the coordinator's form
// (what was received, the version to correct), the official's report page and the public's
// page. The rows come from domain/rapportering.ts (readFigures; publicFigures for the public,
// with small counts shown as "färre än 3"). Every text from the database is escaped.
import type { FigureRows, ShownCount, ShownFigures } from '../../domain/rapportuppgifter.js';
import { FEWER_THAN } from '../../domain/rapportuppgifter.js';
import { capitalize, e, svNumber } from './layout.js';

/**
 * Cells may wrap ("färre än 3") so the table fits a 320 px screen. On a phone the facts (a goal's
 * "Deltagare som nått målet", "Kommentar" …) stack, label above value, as on the admin pages: side
 * by side the label's column took the width and squeezed the values to a few letters a line
 * ("kvinn/or") on the public page, whose own style has no such rule.
 */
export const FIGURES_STYLE = `
table.figs td{white-space:normal;min-width:3.5rem}
table.figs th[scope=col]{font-weight:600;text-align:right}
table.figs th[scope=col]:first-child{text-align:left}
ol.goals{padding-left:1.5rem;margin:.25rem 0 1rem}
ol.goals>li{margin:.75rem 0}
ol.goals .goal-text{font-weight:600;margin:.25rem 0}
.figs-note{font-size:.95rem}
@media (max-width:30rem){
  dl.facts{grid-template-columns:1fr;gap:0}
  dl.facts dd{margin-bottom:.35rem}
}
`;

const FEW_TEXT = `färre än ${FEWER_THAN}`;
const cell = (n: ShownCount | undefined) => (n === undefined ? '<span aria-label="inte angivet">–</span>' : n === 'few' ? FEW_TEXT : n === 'hidden' ? '<span aria-label="visas inte">–</span>' : svNumber(n));
const plain = (n: ShownCount | undefined) => (n === undefined ? 'inte angivet' : n === 'few' ? FEW_TEXT : n === 'hidden' ? 'visas inte' : svNumber(n));
const kr = (n: number) => `${svNumber(n)}\u00a0kr`;

export interface FiguresHtmlOptions {
  /** Heading level of the sections' headings (Deltagare, Mål och utfall): 2 on a page of one report, 4 in the public's list. */
  level: 2 | 3 | 4 | 5;
  /** Prefix of the headings' ids (unique on the page). */
  idPrefix: string;
}

/** Participants (a table: women, men, total), the costs, and each goal with its outcome and comment. */
export function figuresHtml(f: FigureRows | ShownFigures, o: FiguresHtmlOptions): string {
  const h = `h${o.level}`;
  const split = f.participants.some((r) => r.women !== undefined || r.men !== undefined);
  const suppressed = [...f.participants, ...f.goals].some((r) => [r.women, r.men, r.total].some((v) => v === 'few' || v === 'hidden'));
  const participants = f.participants.length
    ? `<table class="figs"><caption>Deltagare under perioden</caption><thead><tr><th scope="col">Uppgift</th>${split ? '<th scope="col">Kvinnor</th><th scope="col">Män</th><th scope="col">Totalt</th>' : '<th scope="col">Antal</th>'}</tr></thead><tbody>` +
      f.participants.map((r) => `<tr><th scope="row">${e(capitalize(r.label))}</th>${split ? `<td>${cell(r.women)}</td><td>${cell(r.men)}</td>` : ''}<td>${cell(r.total)}</td></tr>`).join('') +
      `</tbody></table>`
    : '';
  const costs = f.costsToDate !== undefined ? `<dl class="facts"><dt>Upparbetade kostnader</dt><dd>${kr(f.costsToDate)}</dd></dl>` : '';
  const goals = f.goals.length
    ? `<${h} id="${e(o.idPrefix)}-mal">Mål och utfall</${h}><ol class="goals">` +
      f.goals
        .map((g) => {
          const reached = g.women !== undefined || g.men !== undefined ? `<dt>Deltagare som nått målet</dt><dd>kvinnor ${plain(g.women)}, män ${plain(g.men)}, totalt ${plain(g.total)}</dd>` : '';
          const value = g.value !== undefined ? `<dt>Utfall i antal</dt><dd>${svNumber(g.value)}</dd>` : '';
          const comment = g.comment ? `<dt>Kommentar</dt><dd>${e(g.comment).replace(/\r?\n/g, '<br>')}</dd>` : '';
          const facts = reached || value || comment ? `<dl class="facts">${reached}${value}${comment}</dl>` : '<p class="muted">Inget utfall angivet.</p>';
          return `<li><p class="goal-text">${e(g.goal || 'Mål utan text')}</p>${facts}</li>`;
        })
        .join('') +
      `</ol>`
    : '';
  const note = suppressed ? `<p class="muted figs-note">Antal under ${FEWER_THAN} visas som ”${FEW_TEXT}”, och då visas inte heller det andra könets antal på samma rad (–), så att ingen enskild deltagare kan pekas ut.</p>` : '';
  if (!participants && !costs && !goals) return '';
  return participants + costs + goals + note;
}
