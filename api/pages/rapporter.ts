// The public's page of a förbund's reports (what the förbund links from its website): the
// reports the publication rule makes public (domain/publicering.ts), and nothing else.
//
// Swedish, plain semantic HTML (WCAG 2.1 AA): a skip link, one <main>, headings per section and
// project, the facts as <dl>, the figures as a table with row headers; visible focus, contrast
// above 7:1 for text, readable at 320 px. No scripts, fonts or images: the CSP in api/guards.ts
// allows inline styles only. Every text from the database is escaped.
import type { IsoDate } from '../../domain/dates.js';
import type { PublicProject, PublicReport } from '../../domain/publicering.js';
import { escapeHtml, svDate, svPeriod } from '../../domain/texts.js';

const e = escapeHtml;
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** A date or period that breaks only after its dash: '1 januari 2026–' / '31 december 2027'. */
const nb = (s: string) => s.replace(/ /g, '\u00a0');
const date = (d: IsoDate) => nb(svDate(d));
const period = (a: IsoDate, b: IsoDate) => nb(svPeriod(a, b));
/** 1210000 → '1 210 000', with no-break spaces so a number never wraps. */
const svNumber = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');

const STYLE = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans",Arial,sans-serif;font-size:1.0625rem;line-height:1.55;color:#1b1b1b;background:#fff}
.wrap{max-width:48rem;margin:0 auto;padding:0 1rem}
header.site{background:#123b5c;color:#fff;padding:.9rem 0}
header.site p{margin:0;font-weight:600;font-size:1.05rem}
main{display:block;padding:1.25rem 0 2.5rem}
main:focus{outline:none}
h1{font-size:1.75rem;line-height:1.25;margin:.25rem 0 .75rem}
h2{font-size:1.35rem;line-height:1.3;margin:2.25rem 0 .75rem;padding-bottom:.3rem;border-bottom:2px solid #123b5c}
h3{font-size:1.2rem;line-height:1.3;margin:0 0 .5rem}
h4{font-size:1.05rem;margin:1rem 0 .25rem}
p{margin:.5rem 0}
a{color:#0a4f8a;text-decoration:underline;text-underline-offset:.15em}
a:hover{color:#06365f}
a:focus-visible,main:focus-visible{outline:3px solid #b45309;outline-offset:2px;background:#fff4d6;color:#1b1b1b}
.skip{position:absolute;left:.5rem;top:-4rem;z-index:1;background:#fff;color:#0a4f8a;padding:.5rem .75rem;border:2px solid #0a4f8a}
.skip:focus{top:.5rem}
.lead{font-size:1.1rem}
.muted{color:#4a4a4a}
nav ul{padding-left:1.25rem;margin:.25rem 0}
nav li{margin:.2rem 0}
article{border:1px solid #c9d3dc;border-radius:6px;padding:1rem;margin:1rem 0;overflow-wrap:anywhere}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.25rem 0 .75rem}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
.report-title{margin-top:1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border-top:1px solid #c9d3dc;padding:.4rem .25rem;vertical-align:top}
th{text-align:left;font-weight:400}
td{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;padding-left:1rem}
.narrative p{margin:.6rem 0}
.notice{background:#f3f5f7;border-left:4px solid #5b6b7a;padding:.6rem .8rem;margin:.75rem 0}
footer{border-top:1px solid #c9d3dc;padding:1rem 0 2rem;font-size:.95rem}
@media (max-width:30rem){
  body{font-size:1rem}
  h1{font-size:1.45rem}
  article{padding:.75rem}
}
@media print{header.site{background:none;color:#000}.skip,nav{display:none}article{break-inside:avoid}}
`;

function shell(title: string, body: string, site?: string): string {
  return (
    `<!doctype html><html lang="sv"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    // No icon: without this line every visit asks for /favicon.ico (a 404 in the log).
    `<link rel="icon" href="data:,">` +
    `<title>${e(title)}</title><style>${STYLE}</style></head><body>` +
    `<a class="skip" href="#innehall">Hoppa till innehållet</a>` +
    (site ? `<header class="site"><div class="wrap"><p>${e(site)}</p></div></header>` : '') +
    body +
    `</body></html>`
  );
}

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

function reportHtml(r: PublicReport): string {
  const title = `${capitalize(r.kindName)} ${period(r.periodStart, r.periodEnd)}`;
  const dates = `Inlämnad ${date(r.submitted)}${r.corrected ? `, rättad ${date(r.corrected)}` : ''}.`;
  const figures = r.figures.length
    ? `<table><caption>Siffror för perioden</caption><tbody>` +
      r.figures.map((f) => `<tr><th scope="row">${e(capitalize(f.label))}</th><td>${svNumber(f.value)}</td></tr>`).join('') +
      `</tbody></table>`
    : '';
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
    (p.report ? reportHtml(p.report) : `<p class="notice">${NO_REPORT[p.noReport ?? 'none-submitted']}</p>`) +
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
    `<main id="innehall" tabindex="-1"><div class="wrap">` +
    `<h1>Rapporter från insatserna</h1>` +
    `<p class="lead">${e(v.forbund.name)} finansierar insatser tillsammans med sina medlemmar. Här finns insatsernas rapporter: för en pågående insats den senaste rapporten, för en avslutad insats bara slutrapporten.</p>` +
    `<p class="muted">Rapporterna innehåller bara sammanställda uppgifter, inga uppgifter om enskilda deltagare. Sidan visar läget den ${date(v.today)}.</p>` +
    toc +
    section('ongoing', 'Pågående insatser', 'pagaende', 'Förbundet har inga pågående insatser just nu.') +
    section('ended', 'Avslutade insatser', 'avslutade', 'Inga avslutade insatser finns på sidan.') +
    `</div></main>` +
    `<footer><div class="wrap"><p>${e(v.forbund.name)}. Samma uppgifter finns som <a href="/api/v1/public/forbund/${encodeURIComponent(v.forbund.slug)}/reports">öppna data (JSON)</a>.</p></div></footer>`;
  return shell(`Rapporter från insatserna – ${v.forbund.name}`, body, v.forbund.name);
}

export function notFoundPage(): string {
  return shell(
    'Sidan finns inte',
    `<main id="innehall" tabindex="-1"><div class="wrap"><h1>Sidan finns inte</h1>` +
      `<p>Det finns inget samordningsförbund på den här adressen. Kontrollera länken, eller gå till förbundets webbplats och följ länken till rapporterna därifrån.</p></div></main>`,
  );
}
