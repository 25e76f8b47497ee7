// The money page: a year's budget lines grouped (income, administration, projects) with the
// outcome to date and the forecast 3 and 6 months ahead (from the outcome's last month, each
// named by the month it reaches) and at year end, the result against the financing policy, the
// equity, the plan's warnings, the projects' reported costs against their ceilings, the members'
// contributions, the quarterly reviews, the follow-up for the board (PDF, CSV), and for the
// official: changing a line's amount and entering the outcome from the bookkeeping's file.
//
// Tables have a caption, row and column headers and right-aligned numbers; a wide table scrolls
// inside a labelled, focusable region rather than the page. Over or under is said in words and
// signs, never by colour alone.
import { errorSummary, flash, page, type Chrome, type ErrorLink, type Flash } from './admin.js';
import { e, svNumber } from './layout.js';
import { adoptionHtml, type AdoptionView } from './budgetsamrad.js';

/** Whole kronor with a real minus sign and no-break spaces: '−1 075 016 kr'. */
export const kr = (n: number) => `${n < 0 ? '−' : ''}${svNumber(Math.abs(Math.round(n)))}\u00a0kr`;
/** A deviation: '+55 000' or '−3 000' ('0' when none). */
const signed = (n: number) => (Math.round(n) === 0 ? '0' : `${n > 0 ? '+' : '−'}${svNumber(Math.abs(Math.round(n)))}`);
const num = (n: number) => `${n < 0 ? '−' : ''}${svNumber(Math.abs(Math.round(n)))}`;

export interface MoneyRow {
  key: string;
  name: string;
  budget: number;
  toDate: number | null;
  /** The forecast, cumulative from January, at each of the view's horizons (same order). */
  ahead: (number | null)[];
  yearEnd: number | null;
  /** The year end against the budget as it bears on the result: positive is better. */
  deviation: number | null;
  /** The line's drill-down to its accounts and verifications (none for the sum rows). */
  href?: string;
  /** The deviation goes beyond the materiality threshold (said in words next to it). */
  material?: boolean;
}

export interface MoneyGroup {
  id: string;
  heading: string;
  rows: MoneyRow[];
  total: MoneyRow;
}

export interface ReviewView {
  quarter: string;
  state: string;
  through: string;
  yearEnd: string;
  policy: string;
  matter?: { text: string; href?: string };
}

export interface LineFormView {
  action: string;
  lines: { group: string; options: { key: string; name: string; amount: number }[] }[];
  values: { line: string; amount: string };
  errors: { line?: string; amount?: string };
}

export interface ActualsFormView {
  action: string;
  /** The problems of the file sent, each its own item (per line of the file). */
  problems: string[];
  /** Where they belong: the file field or the pasted text. */
  on: 'fil' | 'text';
  text: string;
  lineKeys: string[];
  through: string;
}

export interface MoneyView {
  chrome: Chrome;
  year: number;
  flash?: Flash;
  errors?: ErrorLink[];
  /** No budget for the year: only this sentence and the way to other years. */
  none?: string;
  throughText: string;
  /**
   * The forecast's horizons shown as columns before the year end: 3 and 6 months after the last
   * month of outcome (e.g. { heading: 'Prognos om 3 månader', month: 't.o.m. september' }). None
   * without outcome or when the year's outcome is complete; then `aheadNote` says why.
   */
  horizons: { heading: string; month: string }[];
  aheadNote?: string;
  groups: MoneyGroup[];
  sums: MoneyRow[];
  result: { facts: [string, string][]; verdict?: { within: boolean; text: string }; note?: string };
  warnings: string[];
  projects: { name: string; ceiling: number; reported: string; over: string }[];
  /** Each name says how its share was arrived at when the file does not give it ("Staten via Försäkringskassan", "Kumla kommun (antaget: lika delar)"). */
  contributions: { name: string; percent: number; perYear: number; perQuarter: number[] }[];
  /** Why a split is an assumption. */
  contributionsNote?: string;
  /** Lines with a budget but no outcome through the last month of outcome: their forecast is the budget's alone. */
  withoutOutcome?: { intro: string; lines: string[] };
  /** The materiality threshold in words and the lines beyond it. */
  materiality?: { rule: string; lines: string[] };
  /** The latest SIE file's reconciliation: whose books, the equity at the start, #RES against the entries. */
  reconciliation?: { heading: string; facts: [string, string][]; warnings: string[] };
  /** The mapping from accounts to lines on one page. */
  mappingHref?: string;
  reviews: ReviewView[];
  downloads?: { pdf: string; csv: string };
  lineForm?: LineFormView;
  actualsForm?: ActualsFormView;
  /** Why there are no forms (the secretary reads only). */
  readOnly?: string;
  /** Whether the board has adopted the year's budget, and its revisions. */
  adoption?: AdoptionView;
  /** The section "Medlemssamråd om budget …" (api/pages/budgetsamrad.ts), shown also without a budget. */
  samrad?: string;
}

/** '12,5 %' */
const percentSv = (p: number) => `${String(Math.round(p * 100) / 100).replace('.', ',')}\u00a0%`;
const cell = (n: number | null) => (n === null ? '<td>–</td>' : `<td>${num(n)}</td>`);

function rowHtml(r: MoneyRow, sum = false): string {
  const th = sum ? `<th scope="row"><strong>${e(r.name)}</strong></th>` : `<th scope="row">${e(r.name)}</th>`;
  const dev = r.deviation === null ? '<td>–</td>' : `<td>${signed(r.deviation)}${r.material === undefined ? '' : r.material ? ' <span class="tag warn">väsentlig</span>' : ''}</td>`;
  return `<tr${sum ? ' class="sum"' : ''}>${th}${cell(r.budget)}${cell(r.toDate)}${r.ahead.map(cell).join('')}${cell(r.yearEnd)}${dev}</tr>`;
}

/** A table that scrolls sideways inside its own labelled region on a narrow screen. */
const scroller = (captionId: string, table: string) => `<div class="table-scroll" role="region" aria-labelledby="${captionId}" tabindex="0">${table}</div>`;

function budgetTable(v: MoneyView): string {
  const ahead = v.horizons.map((h) => `<th scope="col" class="num">${e(h.heading)}, ${e(h.month)}</th>`).join('');
  const head = `<thead><tr><th scope="col">Rad</th><th scope="col" class="num">Budget</th><th scope="col" class="num">${e(v.throughText)}</th>${ahead}<th scope="col" class="num">Prognos helår</th><th scope="col" class="num">Avvikelse helår</th></tr></thead>`;
  const columns = 5 + v.horizons.length;
  const bodies = v.groups
    .map((g) => `<tbody id="${g.id}"><tr class="group"><th scope="colgroup" colspan="${columns}">${e(g.heading)}</th></tr>${g.rows.map((r) => rowHtml(r)).join('')}${rowHtml(g.total, true)}</tbody>`)
    .join('');
  const sums = `<tbody class="sums">${v.sums.map((r) => rowHtml(r, true)).join('')}</tbody>`;
  return scroller(
    'budget-tabell',
    `<table class="money"><caption id="budget-tabell">Budget, utfall och prognos ${v.year}, kronor</caption>${head}${bodies}${sums}</table>`,
  );
}

/** Each line to its accounts and verifications, and the mapping on one page. */
function traceHtml(v: MoneyView): string {
  const rows = v.groups.flatMap((g) => g.rows).filter((r) => r.href);
  if (!rows.length && !v.mappingHref) return '';
  return (
    `<details id="spara" class="panel-box"><summary>Konton och verifikationer bakom raderna</summary>` +
    (v.mappingHref ? `<p><a href="${e(v.mappingHref)}">Vilka konton som hör till vilken budgetrad</a>: förbundsfilens koppling och bokföringens konton på en sida.</p>` : '') +
    `<ul class="plain">${rows.map((r) => `<li><a href="${e(r.href!)}">${e(r.name)}</a></li>`).join('')}</ul></details>`
  );
}

function lineFormHtml(f: LineFormView): string {
  const described = (id: string, hint: boolean, err?: string) => {
    const ids = [hint ? `${id}-hint` : '', err ? `${id}-fel` : ''].filter(Boolean).join(' ');
    return (ids ? ` aria-describedby="${ids}"` : '') + (err ? ' aria-invalid="true"' : '');
  };
  const error = (id: string, text?: string) => (text ? `<p class="error" id="${id}-fel"><span class="vh">Fel: </span>${e(text)}</p>` : '');
  const options = f.lines
    .map((g) => `<optgroup label="${e(g.group)}">${g.options.map((o) => `<option value="${e(o.key)}"${o.key === f.values.line ? ' selected' : ''}>${e(o.name)} (nu ${e(kr(o.amount))})</option>`).join('')}</optgroup>`)
    .join('');
  return (
    `<form method="post" action="${e(f.action)}" class="panel-box" novalidate>` +
    `<div class="fields"><div class="grow">` +
    `<label for="budgetrad">Budgetrad</label>${error('budgetrad', f.errors.line)}` +
    `<select id="budgetrad" name="line"${described('budgetrad', false, f.errors.line)}><option value="">Välj rad</option>${options}</select></div>` +
    `<div><label for="belopp">Nytt belopp, kronor</label><span class="hint" id="belopp-hint">Hela kronor, till exempel 1 210 000.</span>${error('belopp', f.errors.amount)}` +
    `<input type="text" id="belopp" name="amount" inputmode="numeric" autocomplete="off" class="amount" value="${e(f.values.amount)}"${described('belopp', true, f.errors.amount)}></div></div>` +
    `<div class="row"><button type="submit">Spara beloppet</button></div></form>`
  );
}

function actualsFormHtml(f: ActualsFormView): string {
  const problems = f.problems.length
    ? `<div class="error" id="utfall-fel"><p><span class="vh">Fel: </span>Inget är sparat. ${f.problems.length === 1 ? 'Det här behöver rättas' : `De här ${f.problems.length} sakerna behöver rättas`}:</p><ul>${f.problems.map((p) => `<li>${e(p)}</li>`).join('')}</ul></div>`
    : '';
  const at = (where: ActualsFormView['on']) => (f.problems.length && f.on === where ? problems : '');
  const invalid = (where: ActualsFormView['on']) => (f.problems.length && f.on === where ? ' aria-invalid="true"' : '');
  const described = (where: ActualsFormView['on'], hint: string) => ` aria-describedby="${hint}${f.problems.length && f.on === where ? ' utfall-fel' : ''}"`;
  return (
    `<form method="post" action="${e(f.action)}" enctype="multipart/form-data" class="panel-box" novalidate>` +
    `<label for="utfallsfil">Fil från bokföringen</label>` +
    `<span class="hint" id="utfallsfil-hint">En SIE 4-fil (.se) med årets verifikationer, eller en CSV-fil med kolumnerna line;month;amount. Utfallet ersätter det som finns för samma rader och månader.</span>` +
    at('fil') +
    `<input type="file" id="utfallsfil" name="fil" accept=".se,.si,.sie,.csv,.txt,text/csv"${described('fil', 'utfallsfil-hint')}${invalid('fil')}>` +
    `<label for="utfallstext">Eller klistra in CSV</label>` +
    `<span class="hint" id="utfallstext-hint">En rad per budgetrad och månad, till exempel <code>revisionstjanster;7;27 500</code>, under rubrikraden <code>line;month;amount</code>.</span>` +
    at('text') +
    `<textarea id="utfallstext" name="csv" rows="5" spellcheck="false"${described('text', 'utfallstext-hint')}${invalid('text')}>${e(f.text)}</textarea>` +
    `<details><summary>Budgetradernas namn i filen</summary><p class="muted">${f.lineKeys.map((k) => `<code>${e(k)}</code>`).join(', ')}</p></details>` +
    `<div class="row"><button type="submit">Läs in utfallet</button></div>` +
    `<p class="muted">${e(f.through)}</p></form>`
  );
}

export function moneyPage(v: MoneyView): string {
  const years = `<p class="years"><a href="/admin/pengar/${v.year - 1}">← Pengar ${v.year - 1}</a><a href="/admin/pengar/${v.year + 1}">Pengar ${v.year + 1} →</a></p>`;
  if (v.none) return page(`Pengar ${v.year}`, `${errorSummary(v.errors)}<h1>Pengar ${v.year}</h1>${flash(v.flash)}<p>${e(v.none)}</p>${v.samrad ?? ''}${years}`, v.chrome);
  const onPage = [
    ['#resultat', 'Resultat och policy'],
    ['#budget', 'Budget, utfall och prognos'],
    ...(v.samrad ? [['#samrad', 'Medlemssamråd om budgeten']] : []),
    ...(v.reconciliation ? [['#avstamning', 'Avstämning av bokföringen']] : []),
    ...(v.warnings.length ? [['#varningar', 'Planens motsägelser']] : []),
    ['#granskningar', 'Kvartalens granskningar'],
    ...(v.lineForm ? [['#andra-budget', 'Ändra en budgetrad']] : []),
    ...(v.actualsForm ? [['#utfall', 'Lägg in utfall']] : []),
  ];
  const verdict = v.result.verdict
    ? `<p class="verdict ${v.result.verdict.within ? 'ok' : 'over'}"><strong class="tag ${v.result.verdict.within ? 'done' : 'late'}">${v.result.verdict.within ? 'Inom finansieringspolicyn' : 'Utanför finansieringspolicyn'}</strong> ${e(v.result.verdict.text)}</p>`
    : '';
  const facts = `<dl class="facts">${v.result.facts.map(([k, x]) => `<dt>${e(k)}</dt><dd>${e(x)}</dd>`).join('')}</dl>`;
  const reviews = v.reviews.length
    ? scroller(
        'granskningar-tabell',
        `<table><caption id="granskningar-tabell">Kvartalens granskningar ${v.year}</caption><thead><tr><th scope="col">Kvartal</th><th scope="col">Läge</th><th scope="col">Utfall t.o.m.</th><th scope="col" class="num">Prognos helår</th><th scope="col">Policyn</th><th scope="col">Till styrelsen</th></tr></thead><tbody>` +
          v.reviews
            .map(
              (r) =>
                `<tr><th scope="row">${e(r.quarter)}</th><td class="text">${e(r.state)}</td><td class="text">${e(r.through)}</td><td>${e(r.yearEnd)}</td><td class="text">${e(r.policy)}</td>` +
                `<td class="text">${r.matter ? (r.matter.href ? `<a href="${e(r.matter.href)}">${e(r.matter.text)}</a>` : e(r.matter.text)) : 'Nej'}</td></tr>`,
            )
            .join('') +
          `</tbody></table>`,
      )
    : `<p>Ingen kvartalsgranskning ${v.year} ännu. Varje kvartal görs en prognos; visar den ett underskott utöver policyn går ärendet ”Prognostiserat underskott” till styrelsen.</p>`;
  const projects = v.projects.length
    ? scroller(
        'insatser-tabell',
        `<table><caption id="insatser-tabell">Insatsernas rapporterade kostnader mot beviljat belopp ${v.year}</caption><thead><tr><th scope="col">Insats</th><th scope="col" class="num">Beviljat</th><th scope="col">Rapporterat hittills</th><th scope="col">Över beviljat?</th></tr></thead><tbody>` +
          v.projects.map((p) => `<tr><th scope="row">${e(p.name)}</th><td>${num(p.ceiling)}</td><td class="text">${e(p.reported)}</td><td class="text">${e(p.over)}</td></tr>`).join('') +
          `</tbody></table>`,
      )
    : '';
  const contributions = v.contributions.length
    ? scroller(
        'bidrag-tabell',
        `<table><caption id="bidrag-tabell">Medlemmarnas bidrag ${v.year}, kronor</caption><thead><tr><th scope="col">Medlem</th><th scope="col" class="num">Andel</th><th scope="col" class="num">Helår</th>${[1, 2, 3, 4].map((q) => `<th scope="col" class="num">Kvartal ${q}</th>`).join('')}</tr></thead><tbody>` +
          v.contributions.map((c) => `<tr><th scope="row">${e(c.name)}</th><td>${e(percentSv(c.percent))}</td><td>${num(c.perYear)}</td>${c.perQuarter.map((x) => `<td>${num(x)}</td>`).join('')}</tr>`).join('') +
          `</tbody></table>`,
      ) + (v.contributionsNote ? `<p class="muted">${e(v.contributionsNote)}</p>` : '')
    : '';
  return page(
    `Pengar ${v.year}`,
    errorSummary(v.errors) +
      `<h1>Pengar ${v.year}</h1>` +
      flash(v.flash) +
      years +
      `<nav class="onpage" aria-label="På sidan"><ul>${onPage.map(([h, t]) => `<li><a href="${h}">${e(t)}</a></li>`).join('')}</ul></nav>` +
      `<section aria-labelledby="resultat"><h2 id="resultat">Resultat och finansieringspolicy</h2>${v.adoption ? adoptionHtml(v.adoption) : ''}${verdict}${facts}` +
      (v.result.note ? `<p class="muted">${e(v.result.note)}</p>` : '') +
      (v.downloads ? `<p>Budgetuppföljning för styrelsen: <a href="${e(v.downloads.pdf)}">PDF<span class="vh"> ${v.year}</span></a> · <a href="${e(v.downloads.csv)}">kalkylblad (CSV)<span class="vh"> ${v.year}</span></a></p>` : '') +
      `</section>` +
      `<section aria-labelledby="budget"><h2 id="budget">Budget, utfall och prognos</h2>` +
      `<p class="muted">${v.horizons.length ? 'Prognoserna framåt är räknade från januari: det samlade utfallet till och med den månad kolumnen anger, inte bara månaderna efter utfallet. ' : ''}Avvikelse helår är prognosen mot budgeten så som den påverkar resultatet: plus är bättre än budgeten, minus sämre.${v.aheadNote ? ` ${e(v.aheadNote)}` : ''}</p>` +
      budgetTable(v) +
      (v.materiality ? `<p>Väsentlighetsgräns: ${e(v.materiality.rule)}. ${v.materiality.lines.length ? `Väsentliga avvikelser: ${e(v.materiality.lines.join('; '))}.` : 'Ingen rad avviker mer än så.'}</p>` : '') +
      (v.withoutOutcome ? `<div class="panel-box" id="utan-utfall"><h3>Rader utan utfall</h3><p>${e(v.withoutOutcome.intro)}</p><ul class="plain">${v.withoutOutcome.lines.map((l) => `<li>${e(l)}</li>`).join('')}</ul></div>` : '') +
      traceHtml(v) +
      projects +
      contributions +
      `</section>` +
      (v.samrad ?? '') +
      (v.reconciliation
        ? `<section aria-labelledby="avstamning"><h2 id="avstamning">${e(v.reconciliation.heading)}</h2><dl class="facts">${v.reconciliation.facts.map(([k, x]) => `<dt>${e(k)}</dt><dd>${e(x)}</dd>`).join('')}</dl>` +
          (v.reconciliation.warnings.length ? `<p><strong class="tag warn">Varning</strong> Stäm av mot bokföringen:</p><ul class="plain">${v.reconciliation.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul>` : '') +
          `</section>`
        : '') +
      (v.warnings.length
        ? `<section aria-labelledby="varningar"><h2 id="varningar">Planens motsägelser</h2><p>Planens egna siffror stämmer inte överens. Inget är rättat; styrelsen bör få veta.</p><ul class="plain">${v.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul></section>`
        : '') +
      `<section aria-labelledby="granskningar"><h2 id="granskningar">Kvartalens granskningar</h2>${reviews}</section>` +
      (v.lineForm ? `<section aria-labelledby="andra-budget"><h2 id="andra-budget">Ändra en budgetrad</h2><p>Planens varningar och prognosen räknas om direkt.</p>${lineFormHtml(v.lineForm)}</section>` : '') +
      (v.actualsForm ? `<section aria-labelledby="utfall"><h2 id="utfall">Lägg in utfall</h2>${actualsFormHtml(v.actualsForm)}</section>` : '') +
      (v.readOnly ? `<p class="muted">${e(v.readOnly)}</p>` : ''),
    v.chrome,
  );
}

// --- a budget line's accounts and verifications; the mapping on one page ---

/** Öre as kronor with two decimals: '45 000,00', '−312,00'. */
export const ore = (n: number | bigint) => {
  const big = BigInt(n);
  const abs = big < 0n ? -big : big;
  return `${big < 0n ? '−' : ''}${svNumber(Number(abs / 100n))},${String(abs % 100n).padStart(2, '0')}`;
};

export interface MoneyLineView {
  chrome: Chrome;
  year: number;
  name: string;
  back: string;
  mappingHref: string;
  /** Budget, stored outcome and what the accounts are: in words. */
  facts: [string, string][];
  /** Why there is nothing from the bookkeeping to show, or that the file's figure is not the one stored. */
  notes: string[];
  accounts: { account: string; name: string; amount: string; vouchers: { ver: string; date: string; text: string; amount: string }[] }[];
}

export function moneyLinePage(v: MoneyLineView): string {
  const facts = `<dl class="facts">${v.facts.map(([k, x]) => `<dt>${e(k)}</dt><dd>${e(x)}</dd>`).join('')}</dl>`;
  const notes = v.notes.map((n) => `<p>${e(n)}</p>`).join('');
  const accounts = v.accounts
    .map((a, i) => {
      const id = `konto-${i}`;
      const rows = a.vouchers.length
        ? scroller(
            `${id}-tabell`,
            `<table><caption id="${id}-tabell">Verifikationer på konto ${e(a.account)}, kronor</caption><thead><tr><th scope="col">Verifikation</th><th scope="col">Datum</th><th scope="col">Text</th><th scope="col" class="num">Belopp</th></tr></thead><tbody>` +
              a.vouchers.map((x) => `<tr><th scope="row">${e(x.ver)}</th><td class="text">${e(x.date)}</td><td class="text">${e(x.text)}</td><td>${e(x.amount)}</td></tr>`).join('') +
              `</tbody></table>`,
          )
        : '<p class="muted">Inga verifikationer i filen på kontot (utfallet kommer från periodsaldon, #PSALDO).</p>';
      return `<section aria-labelledby="${id}"><h2 id="${id}">${e(a.account)} ${e(a.name)}: ${e(a.amount)} kr</h2>${rows}</section>`;
    })
    .join('');
  return page(
    `${v.name} – Pengar ${v.year}`,
    `<p><a href="${e(v.back)}">← Pengar ${v.year}</a></p><h1>${e(v.name)} ${v.year}</h1>${facts}${notes}${accounts}<p><a href="${e(v.mappingHref)}">Alla budgetrader och deras konton</a></p>`,
    v.chrome,
  );
}

export interface MoneyAccountsView {
  chrome: Chrome;
  year: number;
  back: string;
  intro: string;
  lines: { name: string; href: string; patterns: string; seen: string }[];
  unmapped: string[];
  unmappedNote: string;
}

export function moneyAccountsPage(v: MoneyAccountsView): string {
  const table = scroller(
    'konton-tabell',
    `<table class="log"><caption id="konton-tabell">Budgetraderna ${v.year} och deras konton</caption><thead><tr><th scope="col">Budgetrad</th><th scope="col">Konton enligt förbundsfilen</th><th scope="col">Konton i bokföringen som hamnade här</th></tr></thead><tbody>` +
      v.lines.map((l) => `<tr><th scope="row"><a href="${e(l.href)}">${e(l.name)}</a></th><td>${e(l.patterns)}</td><td>${e(l.seen)}</td></tr>`).join('') +
      `</tbody></table>`,
  );
  const unmapped = v.unmapped.length ? `<h2 id="utan-rad">Konton utan budgetrad</h2><p>${e(v.unmappedNote)}</p><ul class="plain">${v.unmapped.map((u) => `<li>${e(u)}</li>`).join('')}</ul>` : '';
  return page(`Konton och budgetrader ${v.year}`, `<p><a href="${e(v.back)}">← Pengar ${v.year}</a></p><h1>Konton och budgetrader ${v.year}</h1><p>${e(v.intro)}</p>${table}${unmapped}`, v.chrome);
}
