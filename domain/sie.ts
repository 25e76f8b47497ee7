/**
 * A reader for SIE 4 files — the Swedish accounting export every Swedish
 * bookkeeping program writes — to bring a förbund's outcome (utfall) to date
 * into Årscykel.
 *
 * parseSie() decodes the bytes (PC8 = IBM codepage 437 by the spec; UTF-8 when
 * the bytes are valid UTF-8 with non-ASCII characters, as some programs write),
 * splits the lines into a #LABEL and fields (spaces/tabs between fields,
 * "quoted fields" with \" escapes, {object lists}) and reads the labels
 * Årscykel needs: the company, the fiscal years, the chart of accounts, the
 * balances and results, the period balances and the verifications with their
 * transactions. Other labels are counted in `ignored`. Amounts are kept exact
 * as öre integers. Broken input throws SieError as `file:line: problem`;
 * doubtful input (a #TRANS on an account no #KONTO lists, a verification that
 * does not balance, bytes that look Latin-1) becomes a warning.
 *
 * actualsFromSie() sums the fiscal year's outcome to date per budget line.
 *
 * Pure: no I/O, no clock. The caller reads the file into a Buffer.
 */
import { isIsoDate, type IsoDate } from './dates.js';

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

/** One entry of an object list: dimension (e.g. '1' kostnadsställe, '6' projekt) and object id. */
export interface SieObjectRef {
  dimension: string;
  id: string;
}

export interface SieTransaction {
  account: string;
  amountOre: number;
  /** The transaction date, when the #TRANS gives one. */
  date?: IsoDate;
  text?: string;
  /** Empty when the #TRANS has no objects. */
  objects: SieObjectRef[];
}

export interface SieVerification {
  /** May be '' (programs leave series and number empty on import files). */
  series: string;
  number: string;
  date: IsoDate;
  text?: string;
  transactions: SieTransaction[];
  /** The line of the #VER label. */
  line: number;
}

export interface SieWarning {
  line: number;
  problem: string;
}

export interface SieFile {
  /** The file name given to parseSie, for messages. */
  fileName: string;
  /** How the bytes were decoded. */
  encoding: 'cp437' | 'utf-8';
  /** #FORMAT as written (normally 'PC8'). */
  format?: string;
  /** #SIETYP (1–4). */
  sieType?: number;
  /** #FLAGGA (0 or 1). */
  flag?: number;
  /** #PROGRAM name and version. */
  program?: string;
  /** #GEN date. */
  generated?: IsoDate;
  company: { name?: string; orgNr?: string };
  /** #RAR: 0 = the current year, -1 = the year before, … */
  fiscalYears: { index: number; start: IsoDate; end: IsoDate }[];
  /** #KONTO names and #KTYP types (T tillgång, S skuld, K kostnad, I intäkt). */
  accounts: Map<string, { name: string; type?: string }>;
  /** #IB (opening) and #UB (closing) balances. */
  balances: { kind: 'IB' | 'UB'; yearIndex: number; account: string; amountOre: number }[];
  /** #RES: the year's result per account. */
  results: { yearIndex: number; account: string; amountOre: number }[];
  /**
   * #PSALDO: a month's change per account. Entries with objects are the same
   * amounts broken down by object; the account's total has `objects` empty.
   */
  periodBalances: {
    yearIndex: number;
    /** 'YYYY-MM' */
    period: string;
    account: string;
    amountOre: number;
    objects: SieObjectRef[];
  }[];
  verifications: SieVerification[];
  /** Labels read but not used, with how many lines had them (e.g. '#DIM': 2). */
  ignored: Record<string, number>;
  warnings: SieWarning[];
}

/** Broken SIE input. message: `<file>:<line>: <problem>` (line 1-based). */
export class SieError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'SieError';
  }
}

// ---------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------

/** IBM codepage 437, bytes 0x80–0xFF (bytes below 0x80 are ASCII). */
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅ' +
  'ÉæÆôöòûùÿÖÜ¢£¥₧ƒ' +
  'áíóúñÑªº¿⌐¬½¼¡«»' +
  '░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧' +
  '╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩' +
  '≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/** Decodes IBM codepage 437 (SIE's PC8). */
export function decodeCp437(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 1) {
    const b = bytes[i];
    out += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  }
  return out;
}

/**
 * The file's text and how it was decoded: UTF-8 when the bytes start with a
 * UTF-8 byte order mark or are valid UTF-8 with non-ASCII characters,
 * otherwise CP437 (ASCII-only files read the same either way).
 */
export function decodeSie(content: Uint8Array): { text: string; encoding: 'cp437' | 'utf-8' } {
  const bom = content.length >= 3 && content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf;
  if (bom || content.some((b) => b >= 0x80)) {
    try {
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
      return { text, encoding: 'utf-8' };
    } catch {
      // not UTF-8: PC8 as the spec says
    }
  }
  return { text: decodeCp437(content), encoding: 'cp437' };
}

/** å ä ö Å Ä Ö é in Latin-1 (ISO 8859-1 / Windows-1252) and in CP437. */
const LATIN1_LETTERS = new Set([0xe5, 0xe4, 0xf6, 0xc5, 0xc4, 0xd6, 0xe9]);
const CP437_LETTERS = new Set([0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99, 0x82]);

/** The first line with a Latin-1 å/ä/ö/é byte when no CP437 one appears anywhere, else undefined. */
function latin1Suspect(content: Uint8Array): number | undefined {
  let line = 1;
  let first: number | undefined;
  for (const b of content) {
    if (b === 0x0a) line += 1;
    else if (CP437_LETTERS.has(b)) return undefined;
    else if (first === undefined && LATIN1_LETTERS.has(b)) first = line;
  }
  return first;
}

// ---------------------------------------------------------------------------
// Lines and fields
// ---------------------------------------------------------------------------

type Field = { kind: 'text'; value: string } | { kind: 'objects'; items: string[] };

interface LineRecord {
  label: string;
  fields: Field[];
}

const isBlank = (c: string) => c === ' ' || c === '\t';

/** Splits a line that starts with '#' into its label and fields. */
function splitLine(line: string, fail: (problem: string) => never): LineRecord {
  let i = 0;
  const n = line.length;

  const quoted = (): string => {
    const open = i;
    i += 1; // the opening quote
    let value = '';
    while (i < n) {
      const c = line[i];
      if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
        value += line[i + 1];
        i += 2;
      } else if (c === '"') {
        i += 1;
        return value;
      } else {
        value += c;
        i += 1;
      }
    }
    return fail(`unterminated quoted field: the " in column ${open + 1} is not closed`);
  };

  const bare = (stopAtBrace: boolean): string => {
    const start = i;
    while (i < n && !isBlank(line[i]) && !(stopAtBrace && line[i] === '}')) i += 1;
    return line.slice(start, i);
  };

  let label = '';
  const start = i;
  while (i < n && !isBlank(line[i])) i += 1;
  label = line.slice(start, i).toUpperCase();

  const fields: Field[] = [];
  for (;;) {
    while (i < n && isBlank(line[i])) i += 1;
    if (i >= n) break;
    if (line[i] === '"') {
      fields.push({ kind: 'text', value: quoted() });
    } else if (line[i] === '{') {
      const open = i;
      i += 1;
      const items: string[] = [];
      for (;;) {
        while (i < n && isBlank(line[i])) i += 1;
        if (i >= n) fail(`object list: the { in column ${open + 1} is not closed with }`);
        if (line[i] === '}') {
          i += 1;
          break;
        }
        items.push(line[i] === '"' ? quoted() : bare(true));
      }
      fields.push({ kind: 'objects', items });
    } else {
      fields.push({ kind: 'text', value: bare(false) });
    }
  }
  return { label, fields };
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

/** '1234.56' → 123456; '-0.5' → -50. undefined when not an amount with '.' decimals. */
export function parseSieAmount(text: string): number | undefined {
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const decimals = m[3] ?? '';
  if (decimals.length > 2 && !/^0+$/.test(decimals.slice(2))) return undefined;
  const ore = Number((m[2] || '0') + decimals.slice(0, 2).padEnd(2, '0'));
  if (!Number.isSafeInteger(ore)) return undefined;
  return m[1] === '-' && ore !== 0 ? -ore : ore;
}

/** 123456 → '1234.56', -50 → '-0.50'. */
export function formatOre(ore: number): string {
  const abs = Math.abs(ore);
  return `${ore < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Öre → whole kronor, halves away from zero. */
function roundKr(ore: number): number {
  return Math.sign(ore) * Math.round(Math.abs(ore) / 100) || 0;
}

function sieDate(text: string): IsoDate | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  return isIsoDate(iso) ? iso : undefined;
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

/** Labels that may appear inside a #VER block. #RTRANS/#BTRANS are counted, not read: SIE 4B has every #RTRANS followed by the same #TRANS. */
const IN_VER = new Set(['#TRANS', '#RTRANS', '#BTRANS']);

/**
 * Reads a SIE file (types 1–4; the labels Årscykel needs). Throws SieError
 * naming file, line and problem for broken input.
 */
export function parseSie(content: Uint8Array, fileName: string): SieFile {
  const { text, encoding } = decodeSie(content);
  const sie: SieFile = {
    fileName,
    encoding,
    company: {},
    fiscalYears: [],
    accounts: new Map(),
    balances: [],
    results: [],
    periodBalances: [],
    verifications: [],
    ignored: {},
    warnings: [],
  };
  if (encoding === 'cp437') {
    const suspect = latin1Suspect(content);
    if (suspect !== undefined) {
      sie.warnings.push({
        line: suspect,
        problem:
          'the file looks Latin-1 (ISO 8859-1) encoded rather than PC8 (codepage 437): ' +
          'read as PC8, å ä ö come out as σ Σ ÷ — export the file again as PC8 or UTF-8',
      });
    }
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const unknownAccountTrans: { line: number; account: string; label: string }[] = [];

  let lineNo = 0;
  const fail = (problem: string, line = lineNo): never => {
    throw new SieError(fileName, line, problem);
  };
  const count = (label: string) => {
    sie.ignored[label] = (sie.ignored[label] ?? 0) + 1;
  };

  /** A #VER waiting for its '{' (open = false) or inside its block (open = true). */
  let ver: { v: SieVerification; open: boolean } | undefined;

  for (let idx = 0; idx < lines.length; idx += 1) {
    lineNo = idx + 1;
    const line = lines[idx].trim();
    if (line === '') continue;

    if (ver && !ver.open) {
      if (line === '{') {
        ver.open = true;
        continue;
      }
      fail(`#VER on line ${ver.v.line} must be followed by a line with {, found ${JSON.stringify(line.slice(0, 40))}`);
    }
    if (line === '{') fail('{ without a #VER before it');
    if (line === '}') {
      if (!ver) fail('} without an open #VER block');
      closeVerification(sie, ver!.v, lineNo);
      ver = undefined;
      continue;
    }
    if (!line.startsWith('#')) {
      sie.warnings.push({ line: lineNo, problem: 'line without a #label ignored' });
      continue;
    }

    const rec = splitLine(line, (p) => fail(p));
    const f = new Fields(rec, (p) => fail(`${rec.label}: ${p}`));

    if (ver) {
      if (!IN_VER.has(rec.label)) {
        fail(`#VER block opened on line ${ver.v.line} is not closed with } before ${rec.label}`);
      }
      if (rec.label !== '#TRANS') {
        count(rec.label);
        continue;
      }
      const account = f.account(0);
      const hasObjects = f.isObjects(1);
      const at = hasObjects ? 2 : 1;
      const t: SieTransaction = {
        account,
        amountOre: f.amount(at),
        objects: hasObjects ? f.objects(1) : [],
      };
      const date = f.optionalDate(at + 1, 'transaction date');
      if (date) t.date = date;
      const tText = f.optionalText(at + 2);
      if (tText) t.text = tText;
      ver.v.transactions.push(t);
      unknownAccountTrans.push({ line: lineNo, account, label: rec.label });
      continue;
    }

    switch (rec.label) {
      case '#FLAGGA':
        sie.flag = f.integer(0, 'flag');
        break;
      case '#FORMAT':
        sie.format = f.text(0, 'format');
        break;
      case '#SIETYP':
        sie.sieType = f.integer(0, 'SIE type');
        break;
      case '#PROGRAM': {
        const name = f.text(0, 'program name');
        const version = f.optionalText(1);
        sie.program = version ? `${name} ${version}` : name;
        break;
      }
      case '#GEN':
        sie.generated = f.date(0, 'date');
        break;
      case '#FNAMN':
        sie.company.name = f.text(0, 'company name');
        break;
      case '#ORGNR':
        sie.company.orgNr = f.text(0, 'organisation number');
        break;
      case '#RAR': {
        const index = f.yearIndex(0);
        const start = f.date(1, 'start date');
        const end = f.date(2, 'end date');
        if (end < start) fail(`#RAR: the fiscal year ends (${end}) before it starts (${start})`);
        sie.fiscalYears = sie.fiscalYears.filter((y) => y.index !== index);
        sie.fiscalYears.push({ index, start, end });
        break;
      }
      case '#KONTO': {
        const account = f.account(0);
        const name = f.text(1, 'account name', true);
        const old = sie.accounts.get(account);
        sie.accounts.set(account, old?.type ? { name, type: old.type } : { name });
        break;
      }
      case '#KTYP': {
        const account = f.account(0);
        const type = f.text(1, 'account type').toUpperCase();
        sie.accounts.set(account, { name: sie.accounts.get(account)?.name ?? '', type });
        break;
      }
      case '#IB':
      case '#UB': {
        const yearIndex = f.yearIndex(0);
        const account = f.account(1);
        sie.balances.push({ kind: rec.label === '#IB' ? 'IB' : 'UB', yearIndex, account, amountOre: f.amount(2) });
        break;
      }
      case '#RES': {
        const yearIndex = f.yearIndex(0);
        const account = f.account(1);
        sie.results.push({ yearIndex, account, amountOre: f.amount(2) });
        break;
      }
      case '#PSALDO': {
        const yearIndex = f.yearIndex(0);
        const period = f.period(1);
        const account = f.account(2);
        const hasObjects = f.isObjects(3);
        const amountOre = f.amount(hasObjects ? 4 : 3);
        sie.periodBalances.push({ yearIndex, period, account, amountOre, objects: hasObjects ? f.objects(3) : [] });
        break;
      }
      case '#VER': {
        const series = f.text(0, 'series', true);
        const number = f.text(1, 'verification number', true);
        const date = f.date(2, 'verification date');
        const v: SieVerification = { series, number, date, transactions: [], line: lineNo };
        const vText = f.optionalText(3);
        if (vText) v.text = vText;
        ver = { v, open: false };
        break;
      }
      case '#TRANS':
      case '#RTRANS':
      case '#BTRANS':
        fail(`${rec.label} outside a #VER block`);
        break;
      default:
        count(rec.label);
    }
  }

  if (ver) {
    fail(
      `#VER ${describeVer(ver.v)} is not closed with } before the end of the file`,
      ver.v.line,
    );
  }

  if (sie.accounts.size > 0) {
    for (const u of unknownAccountTrans) {
      if (!sie.accounts.has(u.account)) {
        sie.warnings.push({ line: u.line, problem: `${u.label} on account ${u.account}, which no #KONTO lists` });
      }
    }
  }
  sie.warnings.sort((a, b) => a.line - b.line);
  return sie;
}

function describeVer(v: SieVerification): string {
  const id = [v.series, v.number].filter((s) => s !== '').join(' ');
  return id === '' ? `of ${v.date}` : id;
}

function closeVerification(sie: SieFile, v: SieVerification, closeLine: number): void {
  const sum = v.transactions.reduce((s, t) => s + t.amountOre, 0);
  if (sum !== 0) {
    sie.warnings.push({
      line: v.line,
      problem: `#VER ${describeVer(v)} does not balance: its transactions sum to ${formatOre(sum)} (block closed on line ${closeLine})`,
    });
  }
  sie.verifications.push(v);
}

/** Typed access to a record's fields; every problem goes to fail. */
class Fields {
  constructor(
    private readonly rec: LineRecord,
    private readonly fail: (problem: string) => never,
  ) {}

  private raw(i: number, what: string, required: boolean): string | undefined {
    const field = this.rec.fields[i];
    if (field === undefined) return required ? this.fail(`missing ${what}`) : undefined;
    if (field.kind !== 'text') return this.fail(`expected ${what}, found an object list {…}`);
    return field.value;
  }

  isObjects(i: number): boolean {
    return this.rec.fields[i]?.kind === 'objects';
  }

  text(i: number, what: string, emptyAllowed = false): string {
    const value = this.raw(i, what, true)!;
    if (!emptyAllowed && value === '') this.fail(`empty ${what}`);
    return value;
  }

  optionalText(i: number): string | undefined {
    const value = this.rec.fields[i];
    return value?.kind === 'text' && value.value !== '' ? value.value : undefined;
  }

  account(i: number): string {
    const value = this.text(i, 'account number');
    if (!/^[0-9A-Za-z]+$/.test(value)) this.fail(`bad account number ${JSON.stringify(value)}`);
    return value;
  }

  integer(i: number, what: string): number {
    const value = this.text(i, what);
    if (!/^-?\d+$/.test(value)) this.fail(`bad ${what} ${JSON.stringify(value)} (expected a whole number)`);
    return Number(value);
  }

  yearIndex(i: number): number {
    const value = this.text(i, 'year index');
    if (!/^(0|-?[1-9]\d?)$/.test(value)) {
      this.fail(`bad year index ${JSON.stringify(value)} (expected 0 for the current year, -1 for the year before, …)`);
    }
    return Number(value) || 0;
  }

  amount(i: number): number {
    const value = this.text(i, 'amount');
    const ore = parseSieAmount(value);
    if (ore === undefined) {
      this.fail(
        `bad amount ${JSON.stringify(value)} (expected e.g. 1234.50 or -80: digits, '.' before at most 2 decimals)`,
      );
    }
    return ore!;
  }

  date(i: number, what: string): IsoDate {
    const value = this.text(i, what);
    const date = sieDate(value);
    if (!date) this.fail(`bad ${what} ${JSON.stringify(value)} (expected a real date YYYYMMDD)`);
    return date!;
  }

  optionalDate(i: number, what: string): IsoDate | undefined {
    const value = this.raw(i, what, false);
    if (value === undefined || value === '') return undefined;
    const date = sieDate(value);
    if (!date) this.fail(`bad ${what} ${JSON.stringify(value)} (expected a real date YYYYMMDD)`);
    return date;
  }

  period(i: number): string {
    const value = this.text(i, 'period');
    const m = /^(\d{4})(\d{2})$/.exec(value);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) this.fail(`bad period ${JSON.stringify(value)} (expected YYYYMM)`);
    return `${m![1]}-${m![2]}`;
  }

  objects(i: number): SieObjectRef[] {
    const field = this.rec.fields[i];
    if (field?.kind !== 'objects') return this.fail('expected an object list {…}');
    if (field.items.length % 2 !== 0) {
      this.fail(`object list {${field.items.join(' ')}} must hold pairs of dimension and object`);
    }
    const refs: SieObjectRef[] = [];
    for (let k = 0; k < field.items.length; k += 2) refs.push({ dimension: field.items[k], id: field.items[k + 1] });
    return refs;
  }
}

// ---------------------------------------------------------------------------
// Outcome to date
// ---------------------------------------------------------------------------

/** A budget line and the accounts it sums: '3010' (exact), '3000-3099' (range, same number of digits), '4*' (prefix). */
export interface AccountMapping {
  line: string;
  accounts: string[];
}

export interface SieActuals {
  /** Whole kronor per budget line, every line of the mapping (0 when nothing was booked). */
  byLine: Record<string, number>;
  /** Result accounts (3000–8999) with a non-zero outcome that no line maps, by account, same sign rule. */
  unmapped: { account: string; name?: string; amountKr: number }[];
  /** Months summed (= throughMonth). */
  months: number;
  /** What the sums come from: the verifications, the #PSALDO totals, or nothing in the fiscal year. */
  source: 'verifications' | 'periodBalances' | 'none';
  /** First and last day summed. */
  from: IsoDate;
  through: IsoDate;
}

type Matcher = (account: string) => boolean;

function compilePattern(pattern: string, line: string): Matcher {
  const p = pattern.trim();
  if (/^\d+$/.test(p)) return (a) => a === p;
  const range = /^(\d+)\s*-\s*(\d+)$/.exec(p);
  if (range) {
    const [, lo, hi] = range;
    if (lo.length !== hi.length || lo > hi) {
      throw new Error(`budget line ${JSON.stringify(line)}: bad account range ${JSON.stringify(pattern)} (expected e.g. 3000-3099)`);
    }
    return (a) => a.length === lo.length && /^\d+$/.test(a) && a >= lo && a <= hi;
  }
  const prefix = /^(\d*)\*$/.exec(p);
  if (prefix) return (a) => a.startsWith(prefix[1]);
  throw new Error(
    `budget line ${JSON.stringify(line)}: bad account pattern ${JSON.stringify(pattern)} (use 3010, 3000-3099 or 4*)`,
  );
}

/** BAS result accounts: classes 3 (income) to 8 (financial items, tax, result). */
const isResultAccount = (account: string) => /^[3-8]/.test(account);
/** Income (class 3) is credited, so negative in SIE: flipped to come out positive. */
const signed = (account: string, ore: number) => (account.startsWith('3') ? -ore : ore);

function addMonths(period: string, n: number): string {
  const total = Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`;
}

function lastDay(period: string): IsoDate {
  for (const d of ['31', '30', '29', '28']) if (isIsoDate(`${period}-${d}`)) return `${period}-${d}`;
  throw new Error(`bad period ${period}`);
}

/**
 * Outcome to date per budget line: the sum over the fiscal year (index 0) of
 * the accounts each line maps, from the fiscal year's first month through its
 * month `throughMonth` (1 = the first month; March for a calendar year when 3),
 * from the verifications (by verification date) when the file has any in the
 * fiscal year, else from the #PSALDO account totals (entries without objects).
 *
 * Only result accounts (BAS classes 3–8, 3000–8999) are outcome and summed;
 * balance-sheet accounts (1xxx, 2xxx) are never counted, even when mapped.
 * Each account counts for the first line (in mapping order) whose pattern
 * matches it, so a specific line listed before a catch-all ('4*') wins.
 * Costs (4000–8999) come out as booked (debit positive); income (3000–3999)
 * is flipped to come out positive. Financial income in 8xxx thus comes out
 * negative. Sums are exact in öre, then rounded to whole kronor per line
 * (halves away from zero).
 */
export function actualsFromSie(sie: SieFile, mapping: AccountMapping[], throughMonth: number): SieActuals {
  const fy = sie.fiscalYears.find((y) => y.index === 0);
  if (!fy) throw new Error(`${sie.fileName}: no #RAR 0 (the fiscal year), so the months to sum are unknown`);
  const startPeriod = fy.start.slice(0, 7);
  const endPeriod = fy.end.slice(0, 7);
  let monthsInYear = 1;
  while (addMonths(startPeriod, monthsInYear - 1) < endPeriod) monthsInYear += 1;
  if (!Number.isInteger(throughMonth) || throughMonth < 1 || throughMonth > monthsInYear) {
    throw new RangeError(
      `throughMonth must be a whole number from 1 to ${monthsInYear} (the fiscal year's months), got ${throughMonth}`,
    );
  }
  const lastPeriod = addMonths(startPeriod, throughMonth - 1);
  const through = lastPeriod === endPeriod ? fy.end : lastDay(lastPeriod);

  const matchers = mapping.map((m) => ({ line: m.line, match: m.accounts.map((p) => compilePattern(p, m.line)) }));

  const perAccount = new Map<string, number>();
  const add = (account: string, ore: number) => perAccount.set(account, (perAccount.get(account) ?? 0) + ore);

  const inYear = sie.verifications.filter((v) => v.date >= fy.start && v.date <= fy.end);
  let source: SieActuals['source'];
  if (inYear.length > 0) {
    source = 'verifications';
    for (const v of inYear) {
      if (v.date > through) continue;
      for (const t of v.transactions) add(t.account, t.amountOre);
    }
  } else {
    const totals = sie.periodBalances.filter((p) => p.yearIndex === 0 && p.objects.length === 0);
    source = totals.length > 0 ? 'periodBalances' : 'none';
    for (const p of totals) {
      if (p.period >= startPeriod && p.period <= lastPeriod) add(p.account, p.amountOre);
    }
  }

  const lineOre = new Map<string, number>(mapping.map((m) => [m.line, 0]));
  const unmapped: SieActuals['unmapped'] = [];
  for (const account of [...perAccount.keys()].sort()) {
    if (!isResultAccount(account)) continue;
    const ore = signed(account, perAccount.get(account)!);
    const hit = matchers.find((m) => m.match.some((match) => match(account)));
    if (hit) {
      lineOre.set(hit.line, lineOre.get(hit.line)! + ore);
    } else if (ore !== 0) {
      const name = sie.accounts.get(account)?.name;
      unmapped.push(name ? { account, name, amountKr: roundKr(ore) } : { account, amountKr: roundKr(ore) });
    }
  }

  const byLine: Record<string, number> = {};
  for (const [line, ore] of lineOre) byLine[line] = roundKr(ore);
  return { byLine, unmapped, months: throughMonth, source, from: fy.start, through };
}
