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
 * Any problem throws ActualsCsvError as `file:line: problem` (line 1-based).
 * Pure: no I/O.
 */

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

/** '1 234,50' / '-1234.5' / '−80' → öre; undefined when not an amount. */
function parseKronorOre(text: string): number | undefined {
  const compact = text.replace(/[\s\u00a0\u2007\u2009\u202f]/g, '').replace(/^\u2212/, '-');
  const m = /^([+-])?(\d+)(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!m) return undefined;
  const ore = Number(m[2] + (m[3] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(ore)) return undefined;
  return m[1] === '-' && ore !== 0 ? -ore : ore;
}

export function parseActualsCsv(text: string, fileName: string): ActualsCsv {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const fail = (line: number, problem: string): never => {
    throw new ActualsCsvError(fileName, line, problem);
  };

  const headerIdx = lines.findIndex((l) => l.trim() !== '');
  if (headerIdx < 0) fail(1, 'empty file: expected a header line;month;amount');
  const headerLine = lines[headerIdx];
  const sep = headerLine.includes(';') ? ';' : ',';
  const header = splitCsvLine(headerLine, sep);
  if (!header) return fail(headerIdx + 1, 'unterminated quoted field in the header');
  const names = header.map((h) => h.toLowerCase().replace(/\s+/g, ' '));
  const col = {} as Record<keyof typeof COLUMNS, number>;
  for (const key of Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]) {
    const at = names.findIndex((n) => COLUMNS[key].includes(n));
    if (at < 0) {
      fail(
        headerIdx + 1,
        `the header ${JSON.stringify(headerLine.trim())} has no ${key} column (expected a header like line${sep}month${sep}amount)`,
      );
    }
    col[key] = at;
  }

  const rows: ActualsCsvRow[] = [];
  let year: { value: number; line: number } | undefined;
  for (let idx = headerIdx + 1; idx < lines.length; idx += 1) {
    const lineNo = idx + 1;
    if (lines[idx].trim() === '') continue;
    const fields = splitCsvLine(lines[idx], sep);
    if (!fields) return fail(lineNo, 'unterminated quoted field (a " is not closed)');
    const need = Math.max(col.line, col.month, col.amount) + 1;
    if (fields.length < need || fields.slice(header.length).some((f) => f !== '')) {
      const hint = sep === ',' && fields.length > header.length ? ' (a decimal comma? quote the amount or separate with ;)' : '';
      fail(lineNo, `expected ${header.length} fields separated by ${JSON.stringify(sep)}, found ${fields.length}${hint}`);
    }

    const line = fields[col.line];
    if (line === '') fail(lineNo, 'empty budget line');

    const monthText = fields[col.month];
    let month: number;
    const ym = /^(\d{4})-(\d{1,2})$/.exec(monthText);
    if (ym) {
      month = Number(ym[2]);
      const y = Number(ym[1]);
      if (year && year.value !== y) {
        fail(lineNo, `month ${monthText} is in ${y}, but line ${year.line} is in ${year.value}: one year per file`);
      }
      year ??= { value: y, line: lineNo };
    } else if (/^\d{1,2}$/.test(monthText)) {
      month = Number(monthText);
    } else {
      return fail(lineNo, `bad month ${JSON.stringify(monthText)} (expected 1–12 or YYYY-MM)`);
    }
    if (month < 1 || month > 12) fail(lineNo, `bad month ${JSON.stringify(monthText)} (expected 1–12 or YYYY-MM)`);

    const amountText = fields[col.amount];
    const ore = parseKronorOre(amountText);
    if (ore === undefined) fail(lineNo, `bad amount ${JSON.stringify(amountText)} (expected kronor like 1 234,50 or -80)`);
    rows.push({ line, month, amountKr: ore! / 100 });
  }
  return year ? { rows, year: year.value } : { rows };
}
