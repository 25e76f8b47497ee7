/**
 * A reader for outcome (utfall) exported as a simple CSV: one row per budget
 * line and month, for förbund whose bookkeeping cannot give a SIE file.
 *
 *   line;month;amount
 *   Medlemsavgifter;1;1 200 000
 *   Lokaler;2016-02;"24 000,50"
 *
 * The separator is ';' (what Swedish Excel writes), or ',' when the header has
 * no ';'. Fields may be in double quotes ("" for a quote). The header names the
 * columns in any order (line/rad, month/månad, amount/belopp/utfall; case and
 * spaces ignored; other columns are ignored). Amounts are kronor with a decimal
 * comma or point, spaces, no-break or thin spaces between thousands and a
 * leading - or −. Months are 1–12 or YYYY-MM (all rows of one year).
 *
 * One row per budget line and month: a line and month given again is refused,
 * naming both lines. An amount is at most MAX_AMOUNT_KR (domain/budget.ts)
 * either way.
 *
 * Any problem throws ActualsCsvError as `file:line: problem` (line 1-based);
 * readActualsCsvSteps gives every problem instead, and reads in slices (a
 * large file never holds its caller for long). Pure: no I/O.
 */
import { MAX_AMOUNT_KR } from './budget.js';
import { slicedLines } from './lines.js';

export interface ActualsCsvRow {
  line: string;
  /** 1–12 */
  month: number;
  /** Kronor, as written (up to 2 decimals). */
  amountKr: number;
}

export interface ActualsCsv {
  rows: ActualsCsvRow[];
  /** The year, when the months are written YYYY-MM. */
  year?: number;
}

/** Broken CSV input. message: `<file>:<line>: <problem>` (line 1-based). */
export class ActualsCsvError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'ActualsCsvError';
  }
}

const COLUMNS: Record<'line' | 'month' | 'amount', string[]> = {
  line: ['line', 'rad', 'budgetrad', 'budget line'],
  month: ['month', 'månad', 'manad', 'period'],
  amount: ['amount', 'belopp', 'utfall', 'amountkr', 'amount kr', 'belopp kr'],
};

/** Splits one CSV line; undefined when a quote is not closed. */
function splitCsvLine(line: string, sep: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let value = '';
    while (line[i] === ' ' || line[i] === '\t') i += 1;
    if (line[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += line[i];
        i += 1;
      }
      // anything between the closing quote and the separator is kept
      while (i < line.length && line[i] !== sep) value += line[i++];
    } else {
      while (i < line.length && line[i] !== sep) value += line[i++];
    }
    fields.push(value.trim());
    if (i >= line.length) return fields;
    i += 1; // the separator
  }
}

/** '1 234,50' / '-1234.5' / '−80' → öre; or why not: not an amount, or beyond MAX_AMOUNT_KR either way. */
function parseKronorOre(text: string): number | 'not an amount' | 'too large' {
  const compact = text.replace(/[\s\u00a0\u2007\u2009\u202f]/g, '').replace(/^\u2212/, '-');
  const m = /^([+-])?(\d+)(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!m) return 'not an amount';
  const ore = Number(m[2] + (m[3] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(ore) || ore > MAX_AMOUNT_KR * 100) return 'too large';
  return m[1] === '-' && ore !== 0 ? -ore : ore;
}

/** 1000000000000 → '1 000 000 000 000' */
const spaced = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

/** The longest line read: far beyond any line;month;amount row. */
export const CSV_MAX_LINE = 10_000;
/** parseActualsCsv reads at most this many lines, or characters, between two yields of readActualsCsvSteps. */
const SLICE_LINES = 5_000;
const SLICE_CHARS = 256 * 1024;

export interface ActualsCsvRead extends ActualsCsv {
  /** The file's line (1-based) of each row, in the order of `rows`. */
  lineNumbers: number[];
  /** The problems, in the order of the lines: with `all` every one (at most `maxProblems`), else the first only. Empty: the file reads whole. */
  problems: ActualsCsvError[];
  /** How many more problems there were than `problems` keeps. */
  problemsLeftOut: number;
}

/** The most problems readActualsCsvSteps keeps by default with `all` (a broken file of a million lines has a million). */
export const CSV_MAX_PROBLEMS = 100;

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Reads the CSV as parseActualsCsv, in slices: the generator yields after every few thousand
 * lines, and returns the rows and the problems (with `all` every line's; else it stops at the
 * first) rather than throwing them. A problem in the header ends the reading.
 */
export function* readActualsCsvSteps(text: string, fileName: string, opts: { all?: boolean; maxProblems?: number } = {}): Generator<void, ActualsCsvRead, void> {
  const maxProblems = opts.all ? (opts.maxProblems ?? CSV_MAX_PROBLEMS) : 1;
  const problems: ActualsCsvError[] = [];
  let problemsLeftOut = 0;
  const rows: ActualsCsvRow[] = [];
  const lineNumbers: number[] = [];
  const done = (year?: number): ActualsCsvRead => ({ rows, lineNumbers, problems, problemsLeftOut, ...(year !== undefined ? { year } : {}) });
  const problem = (line: number, text: string) => {
    if (problems.length < maxProblems) problems.push(new ActualsCsvError(fileName, line, text));
    else problemsLeftOut += 1;
  };

  const lines = slicedLines(text, { lines: SLICE_LINES, chars: SLICE_CHARS });
  let lineNo = 0;
  const TOO_LONG = Symbol('too long');
  function* nextLine(): Generator<void, string | typeof TOO_LONG | undefined, void> {
    for (;;) {
      const r = lines.next();
      if (r.done) return undefined;
      if (!r.value) {
        yield;
        continue;
      }
      const { start, end, no } = r.value;
      lineNo = no;
      if (end - start > CSV_MAX_LINE) return TOO_LONG;
      return text.slice(start, end);
    }
  }
  const tooLong = (line: number) => problem(line, `the line is longer than ${CSV_MAX_LINE} characters (is this a CSV file of the outcome?)`);

  let headerLine: string | typeof TOO_LONG | undefined;
  while ((headerLine = yield* nextLine()) !== undefined && headerLine !== TOO_LONG && headerLine.trim() === '');
  if (headerLine === undefined) {
    problem(1, 'empty file: expected a header line;month;amount');
    return done();
  }
  const headerNo = lineNo;
  if (headerLine === TOO_LONG) {
    tooLong(headerNo);
    return done();
  }
  const sep = headerLine.includes(';') ? ';' : ',';
  const header = splitCsvLine(headerLine, sep);
  if (!header) {
    problem(headerNo, 'unterminated quoted field in the header');
    return done();
  }
  const names = header.map((h) => h.toLowerCase().replace(/\s+/g, ' '));
  const col = {} as Record<keyof typeof COLUMNS, number>;
  for (const key of Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]) {
    const at = names.findIndex((n) => COLUMNS[key].includes(n));
    if (at < 0) {
      problem(headerNo, `the header ${JSON.stringify(headerLine.trim())} has no ${key} column (expected a header like line${sep}month${sep}amount)`);
      return done();
    }
    col[key] = at;
  }
  const need = Math.max(col.line, col.month, col.amount) + 1;

  let year: { value: number; line: number } | undefined;
  /** The line of each budget line and month seen, to refuse the same twice. */
  const seen = new Map<string, number>();
  let line: string | typeof TOO_LONG | undefined;
  while ((line = yield* nextLine()) !== undefined) {
    if (!opts.all && problems.length) break;
    const lineNo_ = lineNo;
    const fail = (text: string) => problem(lineNo_, text);
    if (line === TOO_LONG) {
      tooLong(lineNo_);
      continue;
    }
    if (line.trim() === '') continue;
    const fields = splitCsvLine(line, sep);
    if (!fields) {
      fail('unterminated quoted field (a " is not closed)');
      continue;
    }
    if (fields.length < need || fields.slice(header.length).some((f) => f !== '')) {
      const hint = sep === ',' && fields.length > header.length ? ' (a decimal comma? quote the amount or separate with ;)' : '';
      fail(`expected ${header.length} fields separated by ${JSON.stringify(sep)}, found ${fields.length}${hint}`);
      continue;
    }

    const budgetLine = fields[col.line];
    if (budgetLine === '') {
      fail('empty budget line');
      continue;
    }

    const monthText = fields[col.month];
    let month: number;
    const ym = /^(\d{4})-(\d{1,2})$/.exec(monthText);
    if (ym) {
      month = Number(ym[2]);
      const y = Number(ym[1]);
      if (year && year.value !== y) {
        fail(`month ${monthText} is in ${y}, but line ${year.line} is in ${year.value}: one year per file`);
        continue;
      }
      year ??= { value: y, line: lineNo_ };
    } else if (/^\d{1,2}$/.test(monthText)) {
      month = Number(monthText);
    } else {
      fail(`bad month ${JSON.stringify(monthText)} (expected 1–12 or YYYY-MM)`);
      continue;
    }
    if (month < 1 || month > 12) {
      fail(`bad month ${JSON.stringify(monthText)} (expected 1–12 or YYYY-MM)`);
      continue;
    }

    const amountText = fields[col.amount];
    const ore = parseKronorOre(amountText);
    if (ore === 'too large') {
      fail(`amount ${JSON.stringify(amountText.length > 40 ? `${amountText.slice(0, 40)}…` : amountText)} is more than ${spaced(MAX_AMOUNT_KR)} kr, the most one figure may be`);
      continue;
    }
    if (ore === 'not an amount') {
      fail(`bad amount ${JSON.stringify(amountText)} (expected kronor like 1 234,50 or -80)`);
      continue;
    }

    const key = `${month}\u0000${budgetLine}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      fail(`budget line ${JSON.stringify(budgetLine)}, month ${month} (${MONTHS_EN[month - 1]}) is also on line ${earlier}: one row per line and month`);
      continue;
    }
    seen.set(key, lineNo_);
    rows.push({ line: budgetLine, month, amountKr: ore / 100 });
    lineNumbers.push(lineNo_);
  }
  if (!opts.all) problemsLeftOut = 0;
  return done(year?.value);
}

export function parseActualsCsv(text: string, fileName: string): ActualsCsv {
  const read = runSteps(readActualsCsvSteps(text, fileName));
  if (read.problems.length) throw read.problems[0];
  return read.year !== undefined ? { rows: read.rows, year: read.year } : { rows: read.rows };
}

function runSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
