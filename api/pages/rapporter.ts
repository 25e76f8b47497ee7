// The public's page of a förbund's reports (what the förbund links from its website): the
// reports the publication rule makes public (domain/publicering.ts), and nothing else.
//
// Swedish, plain semantic HTML (WCAG 2.1 AA): a skip link, one <main>, headings per section and
// project, the facts as <dl>, the figures as a table with row headers; visible focus, contrast
// above 7:1 for text, readable at 320 px. No scripts, fonts or images: the CSP in api/guards.ts
// allows inline styles only. Every text from the database is escaped.
import type { IsoDate } from '../../domain/dates.js';
import type { PublicProject, PublicReport } from '../../domain/publicering.js';
import { escapeHtml } from '../../domain/texts.js';
import { figuresHtml, FIGURES_STYLE } from './figurer.js';
import { PUBLIC_NAV_STYLE, publicHeader } from './offentligt.js';
import { capitalize, date, period, shell } from './layout.js';

const e = escapeHtml;
/** An id for the project's heading: only letters, digits and dashes from its key. */
const anchor = (p: PublicProject, i: number) => {
  const k = p.key.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return `insats-${k || i + 1}`;
};

/** Paragraphs at blank lines, line breaks kept; text only (no links: a report's text is not ours to link). */
function narrative(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${e(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** The report the rule publishes: its figures with small counts suppressed (domain publicFigures), and its text. */
export function reportHtml(r: PublicReport, id: string): string {
  const title = `${capitalize(r.kindName)} ${period(r.periodStart, r.periodEnd)}`;
  const dates = `Inlämnad ${date(r.submitted)}${r.corrected ? `, rättad ${date(r.corrected)}` : ''}. Publicerad ${date(r.published)} efter granskning.`;
  const figures = figuresHtml(r.shown, { level: 5, idPrefix: id });
  return `<h4 class="report-title">${e(title)}</h4><p class="muted">${dates}</p>${figures}<div class="narrative">${narrative(r.narrative)}</div>`;
}

const NO_REPORT: Record<NonNullable<PublicProject['noReport']>, string> = {
  'none-submitted': 'Ingen rapport har lämnats in ännu.',
  'none-owed': 'Insatsen lämnar inga rapporter som publiceras här.',
  'final-not-submitted': 'Slutrapport inte inlämnad.',
  'no-final-owed': 'Insatsen lämnar ingen slutrapport.',
};

function projectHtml(p: PublicProject, id: string): string {
  return (
    `<article aria-labelledby="${id}"><h3 id="${id}">${e(p.name)}</h3>` +
    `<dl class="facts"><dt>Period</dt><dd>${period(p.start, p.end)}</dd>${p.huvudman.trim() ? `<dt>Huvudman</dt><dd>${e(p.huvudman)}</dd>` : ''}</dl>` +
    (p.report ? reportHtml(p.report, id) : `<p class="notice">${NO_REPORT[p.noReport ?? 'none-submitted']}</p>`) +
    `</article>`
  );
}

export interface PublicReportsView {
  forbund: { slug: string; name: string };
  today: IsoDate;
  projects: PublicProject[];
}

export function publicReportsPage(v: PublicReportsView): string {
  const ids = v.projects.map((p, i) => anchor(p, i));
  const seen = new Map<string, number>();
  const unique = ids.map((id) => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}-${n}`;
  });
  const section = (stage: PublicProject['stage'], heading: string, id: string, empty: string) => {
    const items = v.projects.map((p, i) => ({ p, id: unique[i] })).filter((x) => x.p.stage === stage);
    return `<section aria-labelledby="${id}"><h2 id="${id}">${heading}</h2>` + (items.length ? items.map((x) => projectHtml(x.p, x.id)).join('') : `<p>${empty}</p>`) + `</section>`;
  };
  const toc = v.projects.length
    ? `<nav aria-labelledby="pa-sidan"><h2 id="pa-sidan">Insatser på sidan</h2><ul>` + v.projects.map((p, i) => `<li><a href="#${unique[i]}">${e(p.name)}</a></li>`).join('') + `</ul></nav>`
    : '';
  const body =
    publicHeader(v.forbund, 'rapporter') +
    `<main id="innehall" tabindex="-1"><div class="wrap">` +
    `<h1>Rapporter från insatserna</h1>` +
    `<p class="lead">${e(v.forbund.name)} finansierar insatser tillsammans med sina medlemmar. Här finns insatsernas rapporter: för en pågående insats den senaste rapporten, för en avslutad insats bara slutrapporten.</p>` +
    `<p class="muted">Rapporterna innehåller bara sammanställda uppgifter, inga uppgifter om enskilda deltagare. Sidan visar läget den ${date(v.today)}.</p>` +
    toc +
    section('ongoing', 'Pågående insatser', 'pagaende', 'Förbundet har inga pågående insatser just nu.') +
    section('ended', 'Avslutade insatser', 'avslutade', 'Inga avslutade insatser finns på sidan.') +
    `</div></main>` +
    `<footer><div class="wrap"><p>${e(v.forbund.name)}. Samma uppgifter finns som <a href="/api/v1/public/forbund/${encodeURIComponent(v.forbund.slug)}/reports">öppna data (JSON)</a>.</p></div></footer>`;
  return shell(`Rapporter från insatserna – ${v.forbund.name}`, body, { style: PUBLIC_NAV_STYLE + FIGURES_STYLE });
}

export function notFoundPage(): string {
  return shell(
    'Sidan finns inte',
    `<main id="innehall" tabindex="-1"><div class="wrap"><h1>Sidan finns inte</h1>` +
      `<p>Det finns inget samordningsförbund på den här adressen. Kontrollera länken, eller gå till förbundets webbplats och följ länken till rapporterna därifrån.</p></div></main>`,
  );
}
