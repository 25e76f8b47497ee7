// The budget follow-up (budgetuppföljning) for the board: per budget line the year's budget, the
// outcome so far, the forecast 3 and 6 months ahead and for the whole year, and the deviation at
// year end; then the sums and the result. Two forms of the same table: a CSV for the spreadsheet
// (Swedish Excel: ';' separators, UTF-8 with BOM) and a printable A4 PDF with the equity at year
// end and the members' contributions.
//
// The amounts are whole kronor. Each line's figures are rounded to whole kronor first and the sum
// rows add the rounded figures, so that the sums in the spreadsheet are the sums of its cells.
// The deviation (Avvikelse helår) is the forecast against the budget as it bears on the result:
// income forecast − budget, costs budget − forecast; positive is better than the budget, and the
// lines' deviations add up to the result's.
import PDFDocument from 'pdfkit';
import type { BudgetLineKind, MemberContribution } from './budget.js';
import { collectPdf, winAnsi } from './kallelse-pdf.js';
import type { ForecastResult } from './prognos.js';

export interface FollowUpFacts {
  forbundName: string;
  year: number;
  /** The last month with outcome, 0–12; must be the forecast's. */
  throughMonth: number;
  forecast: ForecastResult;
  /** The equity at the start of the year: with it the PDF shows the equity at year end by the forecast. */
  equityCarriedOver?: number;
  /** Where the equity at the start comes from: the bookkeeping's opening balance (SIE #IB) or the plan. */
  equityFrom?: 'sie' | 'plan';
  /** The members' contributions for the year: the PDF lists them per year and quarter. */
  contributions?: MemberContribution[];
}

const MONTHS_SV = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'] as const;

/**
 * The forecast's horizons worth a column, each named by its true distance from the last month of
 * outcome and the month it reaches: "+3 mån, t.o.m. september". Both horizons stop at December,
 * so from October on the one 6 months ahead is the one 3 months ahead (one column: "+2 mån, t.o.m.
 * december"), and with the whole year's outcome (through December) there is none.
 */
export function followUpHorizons(throughMonth: number, months: { at3Months: number; at6Months: number }): { pick: 'at3Months' | 'at6Months'; heading: string; month: string }[] {
  if (throughMonth >= 12) return [];
  const picks = (['at3Months', 'at6Months'] as const).filter((p, i) => i === 0 || months[p] !== months.at3Months);
  return picks.map((p) => ({ pick: p, heading: `Prognos +${months[p] - throughMonth} mån`, month: `t.o.m. ${MONTHS_SV[months[p] - 1]}` }));
}

/** One row of the follow-up table, whole kronor. */
interface Row {
  name: string;
  /** 'Intäkt', 'Kostnad', or 'Summa' for the sum rows (so that filtering on the type never counts a sum twice). */
  type: string;
  sum: boolean;
  budget: number;
  toDate: number;
  at3Months: number;
  at6Months: number;
  yearEnd: number;
  deviation: number;
}

type Amounts = Pick<Row, 'budget' | 'toDate' | 'at3Months' | 'at6Months' | 'yearEnd'>;
const AMOUNT_KEYS = ['budget', 'toDate', 'at3Months', 'at6Months', 'yearEnd'] as const;

function check(f: FollowUpFacts): void {
  if (!Number.isInteger(f.throughMonth) || f.throughMonth < 0 || f.throughMonth > 12) throw new RangeError(`throughMonth must be a whole number from 0 to 12, got ${f.throughMonth}`);
  if (f.forecast.throughMonth !== f.throughMonth) throw new RangeError(`throughMonth ${f.throughMonth} is not the forecast's (${f.forecast.throughMonth})`);
}

/** The table: the income lines, the cost lines, then "Summa intäkter", "Summa kostnader", "Resultat". */
function rowsOf(forecast: ForecastResult): Row[] {
  const round = (n: number) => Math.round(n) + 0; // + 0: no −0
  const lineRow = (kind: BudgetLineKind) =>
    forecast.perLine
      .filter((l) => l.kind === kind)
      .map((l): Row => {
        const a: Amounts = { budget: round(l.budget), toDate: round(l.actualToDate), at3Months: round(l.at3Months), at6Months: round(l.at6Months), yearEnd: round(l.yearEnd) };
        return { name: l.name, type: kind === 'income' ? 'Intäkt' : 'Kostnad', sum: false, ...a, deviation: deviation(kind, a) };
      });
  const income = lineRow('income');
  const costs = lineRow('cost');
  const total = (rows: Row[]): Amounts => Object.fromEntries(AMOUNT_KEYS.map((k) => [k, rows.reduce((s, r) => s + r[k], 0)])) as unknown as Amounts;
  const inc = total(income);
  const cost = total(costs);
  const result = Object.fromEntries(AMOUNT_KEYS.map((k) => [k, inc[k] - cost[k]])) as unknown as Amounts;
  return [
    ...income,
    ...costs,
    { name: 'Summa intäkter', type: 'Summa', sum: true, ...inc, deviation: deviation('income', inc) },
    { name: 'Summa kostnader', type: 'Summa', sum: true, ...cost, deviation: deviation('cost', cost) },
    { name: 'Resultat', type: 'Summa', sum: true, ...result, deviation: result.yearEnd - result.budget },
  ];
}

/** The year-end forecast against the budget as it bears on the result: positive is better. */
function deviation(kind: BudgetLineKind, a: Amounts): number {
  return (kind === 'income' ? a.yearEnd - a.budget : a.budget - a.yearEnd) + 0;
}

// ---------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------

/** A CSV field: in double quotes (doubled inside) when it holds ';', '"' or a line break. */
function csvField(s: string): string {
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A text cell: a leading '=', '+', '-' or '@' would make Excel read it as a formula (CSV
 * injection), so such a text gets a leading apostrophe.
 */
function csvText(s: string): string {
  return csvField(/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
}

/**
 * The budget follow-up for the board as a spreadsheet: CSV with ';' separators, Swedish number
 * format (no thousands separator in cells, so spreadsheets read them as numbers; integers in
 * kronor, a leading '-' when negative), UTF-8 with BOM so Excel shows å ä ö, lines ending CRLF.
 * Columns: Rad;Typ;Budget;Utfall t.o.m. <månad>;Prognos +3 mån (t.o.m. <månad>);Prognos +6 mån (t.o.m.
 * <månad>);Prognos helår;Avvikelse helår, the horizons as followUpHorizons names them (one of them
 * from October on, none with the whole year's outcome).
 * One row per line (income, then costs; Typ "Intäkt" or "Kostnad"), then sum rows "Summa
 * intäkter", "Summa kostnader", "Resultat" (Typ "Summa"). Fields with ';' or '"' quoted.
 * Avvikelse helår: income forecast − budget, costs budget − forecast (positive = better than the
 * budget). With no outcome yet (throughMonth 0) the outcome column is headed "Utfall".
 */
export function followUpCsv(f: FollowUpFacts): string {
  check(f);
  const horizons = followUpHorizons(f.throughMonth, f.forecast.months);
  const header = ['Rad', 'Typ', 'Budget', outcomeHeading(f.throughMonth), ...horizons.map((h) => `${h.heading} (${h.month})`), 'Prognos helår', 'Avvikelse helår'];
  const lines = [header.map(csvText).join(';')];
  for (const r of rowsOf(f.forecast)) {
    lines.push([csvText(r.name), csvText(r.type), ...[r.budget, r.toDate, ...horizons.map((h) => r[h.pick]), r.yearEnd, r.deviation].map(String)].join(';'));
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

function outcomeHeading(throughMonth: number): string {
  return throughMonth === 0 ? 'Utfall' : `Utfall t.o.m. ${MONTHS_SV[throughMonth - 1]}`;
}

// ---------------------------------------------------------------------------
// PDF
// ---------------------------------------------------------------------------

/** Whole kronor as printed: "1 234 567", "-900 000" (a hyphen-minus: Helvetica has no minus sign). */
function kronor(amount: number): string {
  const n = Math.round(amount) + 0;
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${n < 0 ? '-' : ''}${digits}`;
}

/** A percent the Swedish way: "12,5 %" (at most two decimals). */
function percent(p: number): string {
  return `${String(Math.round(p * 100) / 100).replace('.', ',')} %`;
}

/**
 * A member's name as the contributions say it, with how its share was arrived at: "Staten via
 * Försäkringskassan" (the state's half), "Kumla kommun (antaget: lika delar)" (the municipalities'
 * quarter split equally, an assumption: the file gives no municipality's share), "Arbetsförmedlingen
 * (ingår i statens del)"; a share the file gives, or a party's whole part, as the name alone.
 */
export function contributionNameSv(c: Pick<MemberContribution, 'name' | 'basis'>): string {
  if (c.basis === 'state') return `Staten via ${c.name}`;
  if (c.basis === 'assumed-equal') return `${c.name} (antaget: lika delar)`;
  if (c.basis === 'none') return `${c.name} (ingår i statens del)`;
  return c.name;
}

/** The material deviations in one sentence: the threshold and the lines beyond it ("* " in the table). */
function materialText(f: FollowUpFacts): string {
  const m = f.forecast.materiality;
  const lines = f.forecast.perLine.filter((l) => l.material);
  const rule = `det största av ${String(m.percent).replace('.', ',')} % av radens budget och ${kronor(m.minKr)} kr`;
  return lines.length
    ? `Väsentliga avvikelser (*), större än ${rule}: ${lines.map((l) => `${l.name} ${l.deviation > 0 ? '+' : ''}${kronor(l.deviation)} kr`).join(', ')}.`
    : `Ingen rad avviker mer än väsentlighetsgränsen, ${rule}.`;
}

const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const GREY = '#555555';
const RULE = '#999999';
/** A4 landscape in points, margins of 20 mm. */
const MARGIN = { top: 57, bottom: 57, left: 57, right: 57 };
const FONT_SIZE = 9.5;
const PAD = 3;

interface Column {
  heading: string;
  /** A second heading line, grey (e.g. the month a horizon ends). */
  sub?: string;
  width: number;
  align: 'left' | 'right';
}

/**
 * The same as a printable A4 PDF (landscape): heading "Budgetuppföljning <year>", the förbund's
 * name, "Utfall till och med <månad> <year>", the table with right-aligned kronor formatted
 * "1 234 567" (spaces as thousands separators, "-" for minus), the sum rows bold, the result and
 * (when given) the equity at year end by the forecast, then the members' contributions per year and
 * quarter when given; footer "Budgetuppföljning <year> – sida N av M". A table running over a page
 * repeats its headings.
 */
export async function followUpPdf(f: FollowUpFacts): Promise<Buffer> {
  check(f);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: MARGIN,
    bufferPages: true,
    lang: 'sv-SE',
    info: { Title: winAnsi(`Budgetuppföljning ${f.year} – ${f.forbundName}`), Author: winAnsi(f.forbundName) },
  });
  const done = collectPdf(doc);

  const left = MARGIN.left;
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  const bottom = () => doc.page.height - MARGIN.bottom;
  const text = (s: string, opts: PDFKit.Mixins.TextOptions = {}, x?: number, y?: number) => doc.text(winAnsi(s), x, y, opts);
  const rule = (y: number, w = width, weight = 0.5) => doc.moveTo(left, y).lineTo(left + w, y).lineWidth(weight).strokeColor(RULE).stroke();

  // Heading.
  doc.font(BOLD).fontSize(18);
  text(`Budgetuppföljning ${f.year}`, { width });
  doc.moveDown(0.2);
  doc.font(REGULAR).fontSize(13);
  text(f.forbundName, { width });
  doc.moveDown(0.2);
  doc.fontSize(11);
  text(f.throughMonth === 0 ? `Inget utfall ännu för ${f.year}: prognosen följer budgeten` : `Utfall till och med ${MONTHS_SV[f.throughMonth - 1]} ${f.year}`, { width });
  doc.fontSize(9).fillColor(GREY);
  text('Belopp i kronor. Prognoserna är ackumulerade från årets början. Avvikelse helår: prognosen mot budgeten som den påverkar resultatet (intäkter prognos − budget, kostnader budget − prognos; positiv är bättre än budget).', { width });
  doc.fillColor('black');
  doc.moveDown(0.8);

  type TableRow = { cells: string[]; bold: boolean };
  /**
   * A table: the headings, then the rows (bold ones with a rule above), breaking pages and repeating
   * the headings. Each row's first cell may wrap; the others are one line. A table that fits on a
   * page is not split (it starts on a new page instead, with `title` when given); a longer one keeps
   * its last plain row together with the bold rows after it (the sums).
   */
  const table = (columns: Column[], rows: TableRow[], title?: string) => {
    const tableWidth = columns.reduce((a, c) => a + c.width, 0);
    const xs = columns.map((_, i) => left + columns.slice(0, i).reduce((a, c) => a + c.width, 0));
    const cellOpts = (c: Column): PDFKit.Mixins.TextOptions => ({ width: c.width - 2 * PAD, align: c.align });
    doc.font(BOLD).fontSize(FONT_SIZE);
    const highest = (heights: number[]) => heights.reduce((a, h) => (h > a ? h : a), 0);
    const headingText = highest(columns.map((c) => doc.heightOfString(winAnsi(c.heading), cellOpts(c))));
    doc.font(REGULAR).fontSize(FONT_SIZE - 1);
    const subText = highest(columns.map((c) => (c.sub ? doc.heightOfString(winAnsi(c.sub), cellOpts(c)) : 0)));
    const headingHeight = headingText + subText + 2 * PAD;
    const heights = rows.map((r) => {
      doc.font(r.bold ? BOLD : REGULAR).fontSize(FONT_SIZE);
      return doc.heightOfString(winAnsi(r.cells[0]), cellOpts(columns[0])) + 2 * PAD;
    });
    doc.font(BOLD).fontSize(13);
    const titleHeight = title ? doc.heightOfString(winAnsi(title), { width }) + 6 : 0;
    const whole = titleHeight + headingHeight + heights.reduce((a, b) => a + b, 0);
    const first = titleHeight + headingHeight + heights.slice(0, 3).reduce((a, b) => a + b, 0);
    if (doc.y + (whole <= bottom() - MARGIN.top ? whole : first) > bottom()) doc.addPage();
    if (title) {
      doc.font(BOLD).fontSize(13).fillColor('black');
      text(title, { width }, left);
      doc.y += 6;
    }
    /** The rows from here on that are all bold: kept with the plain row before them. */
    let trailing = rows.length;
    while (trailing > 0 && rows[trailing - 1].bold) trailing--;

    const headings = () => {
      const y = doc.y;
      columns.forEach((c, i) => {
        doc.font(BOLD).fontSize(FONT_SIZE).fillColor('black');
        text(c.heading, cellOpts(c), xs[i] + PAD, y + PAD);
        if (c.sub) {
          doc.font(REGULAR).fontSize(FONT_SIZE - 1).fillColor(GREY);
          text(c.sub, cellOpts(c), xs[i] + PAD, y + PAD + headingText);
        }
      });
      doc.fillColor('black');
      rule(y + headingHeight, tableWidth, 0.8);
      doc.y = y + headingHeight;
    };
    headings();
    rows.forEach((r, i) => {
      const needed = i === trailing - 1 ? heights.slice(i).reduce((a, b) => a + b, 0) : heights[i];
      if (doc.y + needed > bottom()) {
        doc.addPage();
        headings();
      }
      const y = doc.y;
      if (r.bold) rule(y, tableWidth);
      doc.font(r.bold ? BOLD : REGULAR).fontSize(FONT_SIZE).fillColor('black');
      r.cells.forEach((s, k) => {
        // A figure wider than its column (tens of billions) is set smaller rather than spill into the next.
        const room = columns[k].width - 2 * PAD;
        const wide = k === 0 ? 0 : doc.fontSize(FONT_SIZE).widthOfString(winAnsi(s));
        doc.fontSize(wide > room ? Math.max(4, (FONT_SIZE * room) / wide) : FONT_SIZE);
        text(s, { ...cellOpts(columns[k]), ...(k === 0 ? {} : { lineBreak: false }) }, xs[k] + PAD, y + PAD);
      });
      doc.fontSize(FONT_SIZE);
      doc.y = y + heights[i];
    });
    doc.x = left;
  };

  // The follow-up.
  const m = (month: number) => `t.o.m. ${MONTHS_SV[month - 1]}`;
  const num = (heading: string, sub?: string): Column => ({ heading, ...(sub ? { sub } : {}), width: 88, align: 'right' });
  const horizons = followUpHorizons(f.throughMonth, f.forecast.months);
  const numbers: Column[] = [
    num('Budget', 'helår'),
    num('Utfall', f.throughMonth === 0 ? 'inget ännu' : m(f.throughMonth)),
    ...horizons.map((h) => num(h.heading, h.month)),
    num('Prognos helår', m(12)),
    num('Avvikelse helår', 'mot budget'),
  ];
  const nameWidth = width - numbers.reduce((a, c) => a + c.width, 0);
  const rows = rowsOf(f.forecast);
  const material = new Set(f.forecast.perLine.filter((l) => l.material).map((l) => l.name));
  table(
    [{ heading: 'Rad', width: nameWidth, align: 'left' }, ...numbers],
    rows.map((r) => ({ cells: [r.name, ...[r.budget, r.toDate, ...horizons.map((h) => r[h.pick]), r.yearEnd].map(kronor), `${material.has(r.name) && !r.sum ? '* ' : ''}${kronor(r.deviation)}`], bold: r.sum })),
  );

  // The result and the equity.
  const result = rows[rows.length - 1];
  const summary = [
    `Resultat för ${f.year} enligt prognosen: ${kronor(result.yearEnd)} kr (budget ${kronor(result.budget)} kr, avvikelse ${kronor(result.deviation)} kr).`,
    ...(f.equityCarriedOver !== undefined
      ? [`Eget kapital vid årets slut enligt prognosen: ${kronor(f.equityCarriedOver + result.yearEnd)} kr (ingående eget kapital ${kronor(f.equityCarriedOver)} kr${f.equityFrom === 'sie' ? ' enligt bokföringens ingående balans' : f.equityFrom === 'plan' ? ' enligt planen' : ''}, resultat ${kronor(result.yearEnd)} kr).`]
      : []),
    materialText(f),
    ...(f.forecast.withoutOutcome.length
      ? [`Rader utan utfall${f.throughMonth ? ` t.o.m. ${MONTHS_SV[f.throughMonth - 1]}` : ''}, där prognosen bara bygger på budgeten: ${f.forecast.perLine.filter((l) => l.noOutcome).map((l) => l.name).join(', ')}.`]
      : []),
  ];
  doc.moveDown(1);
  doc.font(REGULAR).fontSize(10.5);
  if (doc.y + summary.length * 24 > bottom()) doc.addPage();
  for (const s of summary) {
    text(s, { width }, left);
    doc.moveDown(0.2);
  }

  // The members' contributions.
  if (f.contributions && f.contributions.length) {
    doc.moveDown(1);
    const c = f.contributions;
    const q = (i: 0 | 1 | 2 | 3) => c.reduce((a, x) => a + x.perQuarter[i], 0);
    const cols: Column[] = [
      { heading: 'Medlem', width: width - 70 - 5 * 88, align: 'left' },
      { heading: 'Andel', width: 70, align: 'right' },
      { heading: 'Helår', width: 88, align: 'right' },
      ...[1, 2, 3, 4].map((k): Column => ({ heading: `Kvartal ${k}`, width: 88, align: 'right' })),
    ];
    table(
      cols,
      [
        ...c.map((x) => ({ cells: [contributionNameSv(x), percent(x.percent), kronor(x.perYear), ...x.perQuarter.map(kronor)], bold: false })),
        { cells: ['Summa', percent(c.reduce((a, x) => a + x.percent, 0)), kronor(c.reduce((a, x) => a + x.perYear, 0)), kronor(q(0)), kronor(q(1)), kronor(q(2)), kronor(q(3))], bold: true },
      ],
      `Medlemmarnas bidrag ${f.year}`,
    );
  }

  // Footer on every page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const keep = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing in the margin would otherwise start a new page
    doc.font(REGULAR).fontSize(8).fillColor(GREY);
    text(`Budgetuppföljning ${f.year}, ${f.forbundName} – sida ${i + 1} av ${range.count}`, { width, align: 'center', lineBreak: false }, left, doc.page.height - 36);
    doc.page.margins.bottom = keep;
  }
  doc.fillColor('black');
  doc.end();
  return done;
}
