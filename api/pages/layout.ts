// The look every page shares (the public's reports page and the official's and secretary's
// pages): the document shell, the style sheet and the Swedish ways of writing dates and numbers.
//
// Plain semantic HTML, Swedish (lang="sv"), no scripts, fonts or images: the CSP in
// api/guards.ts allows inline styles only. A skip link first, visible focus (3 px outline),
// text contrast above 7:1, controls at least 44 px high, readable at 320 px.
import type { IsoDate } from '../../domain/dates.js';
import { escapeHtml, svDate, svPeriod } from '../../domain/texts.js';

export const e = escapeHtml;
export const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** A date or period that breaks only after its dash: '1 januari 2026–' / '31 december 2027'. */
export const nb = (s: string) => s.replace(/ /g, '\u00a0');
export const date = (d: IsoDate) => nb(svDate(d));
export const period = (a: IsoDate, b: IsoDate) => nb(svPeriod(a, b));
/** 1210000 → '1 210 000', with no-break spaces so a number never wraps. */
export const svNumber = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');

export const STYLE = `
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

/** The pages of the official and the secretary: the same look, plus a menu, forms and buttons. */
export const ADMIN_STYLE = `
.wrap{max-width:60rem}
header.site{padding:.6rem 0}
header.site .bar{display:flex;flex-wrap:wrap;align-items:center;gap:.35rem 1.25rem}
header.site .brand{margin:0;font-weight:700;flex:1 1 auto}
header.site nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
header.site nav li{margin:0}
header.site a{color:#fff}
header.site a[aria-current="page"]{font-weight:700;text-decoration-thickness:3px}
header.site a:hover{color:#fff4d6}
header.site form{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .75rem;margin:0}
header.site .who{font-size:.95rem}
header.site button.link{color:#fff}
.vh{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
label,.label{display:block;font-weight:600;margin:.6rem 0 .2rem}
.hint{display:block;color:#4a4a4a;font-size:.95rem;margin:0 0 .25rem}
input[type=text],input[type=password],input[type=date],input[type=time],textarea{font:inherit;color:#1b1b1b;background:#fff;border:2px solid #5b6b7a;border-radius:4px;padding:.45rem .55rem;min-height:2.75rem;max-width:100%}
input[type=text],input[type=password],textarea{width:100%}
input[type=password]{max-width:32rem}
input[type=text].short{max-width:24rem}
textarea{min-height:6rem}
input[aria-invalid=true],textarea[aria-invalid=true]{border-color:#a4262c;border-width:3px}
input:focus-visible,textarea:focus-visible,button:focus-visible,summary:focus-visible{outline:3px solid #b45309;outline-offset:2px}
button{font:inherit;font-weight:600;cursor:pointer;min-height:2.75rem;padding:.5rem 1rem;border-radius:4px;border:2px solid #123b5c;background:#123b5c;color:#fff}
button:hover{background:#0c2a42}
button.secondary{background:#fff;color:#123b5c}
button.secondary:hover{background:#e8eef3}
button.danger{background:#a4262c;border-color:#a4262c}
button.danger:hover{background:#7f1d22}
button.link{background:none;border:none;padding:.25rem 0;min-height:0;color:#0a4f8a;text-decoration:underline;text-underline-offset:.15em;font-weight:400}
.fields{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:flex-start}
.fields>div{flex:0 1 auto;min-width:0}
.fields>div.grow{flex:1 1 14rem}
.row{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.75rem 0 .25rem}
.error{color:#a4262c;font-weight:600;margin:.2rem 0}
.error-summary{border:4px solid #a4262c;padding:.75rem 1rem;margin:1rem 0}
.error-summary:focus{outline:3px solid #b45309;outline-offset:2px}
.error-summary h2{margin:0 0 .5rem;border:none;padding:0;font-size:1.2rem}
.error-summary ul{margin:0;padding-left:1.25rem}
.flash{border-left:6px solid #1d6b38;background:#eef7f0;padding:.6rem .9rem;margin:1rem 0}
.flash.warn{border-left-color:#8a5a00;background:#fff6e0}
ol.steps,ul.cards,ul.milestones,ol.sends{list-style:none;margin:0;padding:0}
ol.steps>li,ul.cards>li{border:1px solid #c9d3dc;border-left:6px solid #5b6b7a;border-radius:6px;padding:.85rem 1rem;margin:0 0 1rem;overflow-wrap:anywhere}
ol.steps>li.late{border-left-color:#a4262c}
ul.cards>li.cancelled{border-left-color:#c9d3dc;background:#f6f7f8}
ul.cards article{border:none;padding:0;margin:0}
.status{margin:.25rem 0}
.tag{display:inline-block;font-size:.9rem;font-weight:700;padding:0 .45rem;border-radius:3px;border:2px solid #5b6b7a;margin-right:.1rem}
.tag.late{background:#a4262c;border-color:#a4262c;color:#fff}
.tag.done{background:#1d6b38;border-color:#1d6b38;color:#fff}
.tag.warn{border-color:#8a5a00;color:#5c3c00}
.actions{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:flex-start;margin:.6rem 0 0}
.actions form{margin:0}
.actions details{margin:0}
.actions details[open]{flex:1 1 100%}
.actions>a{padding:.35rem 0}
details{margin:.5rem 0}
details>summary{cursor:pointer;color:#0a4f8a;text-decoration:underline;text-underline-offset:.15em;padding:.35rem 0;min-height:2.75rem;display:list-item}
details[open]>summary{margin-bottom:.25rem}
details.past>summary{font-weight:600}
details.past>ul.cards{margin-top:.5rem}
details .panel{border-left:3px solid #c9d3dc;padding:.1rem 0 .5rem .9rem}
ol.sends>li{display:grid;grid-template-columns:13.5rem 1fr;gap:.1rem 1rem;padding:.55rem 0;border-top:1px solid #c9d3dc}
ol.sends .when{font-variant-numeric:tabular-nums;font-weight:600;white-space:nowrap}
ul.milestones>li{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;justify-content:space-between;padding:.6rem 0;border-top:1px solid #c9d3dc}
ul.milestones .what{flex:1 1 18rem}
ul.milestones .what p{margin:.1rem 0}
ol.agenda{margin:.25rem 0 .5rem;padding-left:1.75rem}
ul.plain{margin:.25rem 0 .5rem;padding-left:1.25rem}
nav.pager ul{display:flex;flex-wrap:wrap;gap:.5rem 2rem;list-style:none;padding:0;margin:.25rem 0}
nav.pager p{margin:.25rem 0}
nav.onpage ul{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;list-style:none;padding:0}
.years{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:.5rem 0}
.panel-box{border:1px solid #c9d3dc;border-radius:6px;padding:1rem;margin:1rem 0}
.panel-box>label:first-child{margin-top:0}
@media (max-width:30rem){
  ol.sends>li{grid-template-columns:1fr}
  ol.steps>li,ul.cards>li{padding:.75rem}
  dl.facts{grid-template-columns:1fr;gap:0}
  dl.facts dd{margin-bottom:.35rem}
}
@media print{header.site form,details,.actions{display:none}}
/* --- the board meeting's page (api/pages/styrelse.ts) --- */
select{font:inherit;color:#1b1b1b;background:#fff;border:2px solid #5b6b7a;border-radius:4px;padding:.45rem .55rem;min-height:2.75rem;width:100%;max-width:32rem}
select:focus-visible{outline:3px solid #b45309;outline-offset:2px}
select[aria-invalid=true]{border-color:#a4262c;border-width:3px}
ol.items,ul.called,ul.signers{list-style:none;margin:0;padding:0}
ol.items>li{border-top:1px solid #c9d3dc;padding:.75rem 0;overflow-wrap:anywhere}
ul.called>li,ul.signers>li{display:flex;align-items:center;flex-wrap:wrap;gap:.1rem .75rem;justify-content:space-between;padding:.35rem 0;border-top:1px solid #c9d3dc}
ul.called .end,ul.signers .end{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-left:auto}
.decision{border-left:4px solid #1d6b38;padding:.1rem 0 .1rem .75rem;margin:.5rem 0}
/* --- money and the audit log (api/pages/pengar.ts, api/pages/logg.ts) --- */
.table-scroll{overflow-x:auto;margin:.5rem 0 1rem}
.table-scroll:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.table-scroll>table{margin:0}
th.num{text-align:right}
td.text{text-align:left;white-space:normal;padding-left:.5rem}
table.money tr.group th{font-weight:700;padding-top:.9rem;border-top:2px solid #123b5c}
tr.sum th,tr.sum td{font-weight:700}
table.money tbody.sums tr:first-child th,table.money tbody.sums tr:first-child td{border-top:2px solid #123b5c}
table.log td,table.log th{white-space:normal;text-align:left;padding-left:.5rem}
table.log td.when{font-variant-numeric:tabular-nums;min-width:8.5rem}
input[type=text].amount{max-width:12rem}
input[type=file]{font:inherit;max-width:100%;padding:.35rem 0}
.filters .fields>div{flex:0 1 13rem}
/* --- projects (insatser) (api/pages/projekt.ts) --- */
a.button{display:inline-block;font-weight:600;min-height:2.75rem;padding:.5rem 1rem;border-radius:4px;border:2px solid #123b5c;background:#123b5c;color:#fff;text-decoration:none}
a.button:hover{background:#0c2a42;color:#fff}
input[type=email]{font:inherit;color:#1b1b1b;background:#fff;border:2px solid #5b6b7a;border-radius:4px;padding:.45rem .55rem;min-height:2.75rem;width:100%;max-width:100%}
input[type=email][aria-invalid=true]{border-color:#a4262c;border-width:3px}
input[type=email]:focus-visible,input[type=checkbox]:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.project-form fieldset{border:1px solid #c9d3dc;border-radius:6px;padding:.25rem 1rem 1rem;margin:1rem 0;min-width:0}
.project-form legend{font-weight:700;padding:0 .25rem}
.checks .check{display:flex;align-items:flex-start;gap:.6rem}
.checks input[type=checkbox]{width:1.5rem;height:1.5rem;margin:.6rem 0 0;flex:none}
.checks label{font-weight:400;margin:0;padding:.45rem 0;min-height:2.75rem}
.checks label .hint{display:inline}
table.grants-form,table.grants-table{width:auto}
table.grants-form th,table.grants-table th{font-weight:600}
table.grants-form td{text-align:left;white-space:normal;padding:.3rem .75rem .3rem 0}
table.grants-form input.year{width:5.5rem}
table.grants-form input.amount{width:10rem}
ul.reports{list-style:none;margin:0;padding:0}
ul.reports>li{display:flex;flex-wrap:wrap;gap:.2rem 1rem;align-items:baseline;padding:.55rem 0;border-top:1px solid #c9d3dc;overflow-wrap:anywhere}
ul.reports>li>a{flex:1 1 18rem}
.tag.gone{border-color:#c9d3dc;color:#4a4a4a}
#andringar>h2:first-child{margin-top:0}
`;

export interface ShellOptions {
  /** The site's name in the top bar (the public page). */
  site?: string;
  /** A whole top bar instead (the admin pages' menu). */
  header?: string;
  /** More style after the shared sheet. */
  style?: string;
}

/** The document: Swedish, a skip link to #innehall, the style inline (the CSP allows nothing else). */
export function shell(title: string, body: string, site?: string | ShellOptions): string {
  const o: ShellOptions = typeof site === 'string' ? { site } : (site ?? {});
  return (
    `<!doctype html><html lang="sv"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    // No icon: without this line every visit asks for /favicon.ico (a 404 in the log).
    `<link rel="icon" href="data:,">` +
    `<title>${e(title)}</title><style>${STYLE}${o.style ?? ''}</style></head><body>` +
    `<a class="skip" href="#innehall">Hoppa till innehållet</a>` +
    (o.header ?? (o.site ? `<header class="site"><div class="wrap"><p>${e(o.site)}</p></div></header>` : '')) +
    body +
    `</body></html>`
  );
}
