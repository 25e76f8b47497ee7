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
 * actualsFromSie() sums the fiscal year's outcome to date per budget line;
 * monthlyActualsFromSieSteps() gives it month by month in one pass, with each
 * account's outcome and line (for the drill-down from a budget line). Sums are
 * bigint öre, exact however many entries a file has.
 *
 * The file is reconciled before it counts: sieIdentity() checks that it is the
 * förbund's books (#ORGNR) for the budget year (#RAR 0), equityAtStart() reads
 * the equity at the year's start from the opening balances (#IB), and
 * resDifferences() compares #RES with the sum of each account's entries.
 *
 * A file of a million lines (20 MB) takes seconds to read, so the work comes
 * in slices: parseSieSteps() and monthlyActualsFromSieSteps() are generators
 * that yield after each slice (a thousand lines, or a quarter megabyte of
 * bytes), and whoever drives them decides what runs in between
 * (services/pengar.ts lets the event loop turn); parseSie() runs them at once.
 * A line longer than SIE_MAX_LINE is refused; at most SIE_MAX_WARNINGS
 * warnings are kept (the rest counted).
 *
 * Pure: no I/O, no clock. The caller reads the file into a Buffer.
 */
import { isIsoDate, type IsoDate } from './dates.js';
import { slicedLines } from './lines.js';

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

/** One transaction of a verification on one account, for the drill-down from a budget line. */
export interface SieVoucherRef {
  series: string;
  number: string;
  date: IsoDate;
  /** The transaction's text, else the verification's. */
  text?: string;
  account: string;
  /** As booked (debit positive). */
  amountOre: number;
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
  /** #RES: the year's result per account (`line`: the file's line of the #RES). */
  results: { yearIndex: number; account: string; amountOre: number; line?: number }[];
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
  /**
   * Read with `sumVerifications` (parseSieSteps): the verifications summed per verification date and
   * account, öre, instead of kept one by one in `verifications` (then empty). A date is here when a
   * verification has it, even one without transactions. What the outcome needs, in little memory:
   * a million lines kept as objects take some 150 MB, and the garbage collector's pauses with them.
   */
  verificationSums?: Map<IsoDate, Map<string, bigint>>;
  /**
   * Read with `keepVouchers` (parseSieSteps, with sumVerifications): each transaction on a result
   * account (BAS 3000–8999) as the drill-down from a budget line shows it, at most `keepVouchers`
   * of them (the first in the file); `vouchersLeftOut` counts the rest.
   */
  vouchers?: SieVoucherRef[];
  vouchersLeftOut?: number;
  /** Labels read but not used, with how many lines had them (e.g. '#DIM': 2). */
  ignored: Record<string, number>;
  /** In the order of the lines; at most SIE_MAX_WARNINGS (the first ones found). */
  warnings: SieWarning[];
  /** How many more warnings there were than `warnings` keeps. */
  warningsLeftOut: number;
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

/** The UTF-16 code unit of each byte in CP437. */
const CP437_CODES = (() => {
  const codes = new Uint16Array(256);
  for (let b = 0; b < 256; b += 1) codes[b] = b < 0x80 ? b : CP437_HIGH.charCodeAt(b - 0x80);
  return codes;
})();

/**
 * Bytes are decoded, scanned and parsed in slices: parseSieSteps yields after each, so that a
 * caller (services/pengar.ts) can let other work run between them and a large file never holds the
 * event loop for long. A slice is one chunk of bytes when decoding, and at most SLICE_LINES lines
 * or SLICE_CHARS characters when parsing.
 */
const SLICE_BYTES = 256 * 1024;
const SLICE_LINES = 1_000;
const SLICE_CHARS = 64 * 1024;
/** Characters per String.fromCharCode call: far below any engine's argument limit. */
const FROM_CHAR_CODES = 8_192;

/** One chunk of CP437 bytes as text. */
function cp437Chunk(bytes: Uint8Array): string {
  const codes = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 1) codes[i] = CP437_CODES[bytes[i]];
  const parts: string[] = [];
  for (let i = 0; i < codes.length; i += FROM_CHAR_CODES) {
    parts.push(String.fromCharCode.apply(null, codes.subarray(i, i + FROM_CHAR_CODES) as unknown as number[]));
  }
  return parts.join('');
}

/** Decodes IBM codepage 437 (SIE's PC8). */
export function decodeCp437(bytes: Uint8Array): string {
  return runSteps(decodeCp437Steps(bytes));
}

function* decodeCp437Steps(bytes: Uint8Array): Generator<void, string, void> {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += SLICE_BYTES) {
    if (i > 0) yield;
    parts.push(cp437Chunk(bytes.subarray(i, i + SLICE_BYTES)));
  }
  return parts.join('');
}

/**
 * The file's text and how it was decoded: UTF-8 when the bytes start with a
 * UTF-8 byte order mark or are valid UTF-8 with non-ASCII characters,
 * otherwise CP437 (ASCII-only files read the same either way).
 */
export function decodeSie(content: Uint8Array): { text: string; encoding: 'cp437' | 'utf-8' } {
  return runSteps(decodeSieSteps(content));
}

function* decodeSieSteps(content: Uint8Array): Generator<void, { text: string; encoding: 'cp437' | 'utf-8' }, void> {
  // A byte order mark (EF BB BF) is non-ASCII too: such a file is read as UTF-8 when it is UTF-8.
  let high = false;
  for (let i = 0; !high && i < content.length; i += 1) {
    if (content[i] >= 0x80) high = true;
    else if (i % SLICE_BYTES === SLICE_BYTES - 1) yield;
  }
  if (high) {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
    const parts: string[] = [];
    let utf8 = true;
    for (let i = 0; utf8 && i < content.length + SLICE_BYTES; i += SLICE_BYTES) {
      yield;
      try {
        // The last round flushes the decoder: a sequence cut off at the end is not UTF-8.
        parts.push(i < content.length ? decoder.decode(content.subarray(i, i + SLICE_BYTES), { stream: true }) : decoder.decode());
      } catch {
        utf8 = false; // not UTF-8: PC8 as the spec says
      }
    }
    if (utf8) return { text: parts.join(''), encoding: 'utf-8' };
  }
  return { text: yield* decodeCp437Steps(content), encoding: 'cp437' };
}

/** å ä ö Å Ä Ö é in Latin-1 (ISO 8859-1 / Windows-1252) and in CP437. */
const LATIN1_LETTERS = byteSet([0xe5, 0xe4, 0xf6, 0xc5, 0xc4, 0xd6, 0xe9]);
const CP437_LETTERS = byteSet([0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99, 0x82]);

function byteSet(bytes: number[]): Uint8Array {
  const set = new Uint8Array(256);
  for (const b of bytes) set[b] = 1;
  return set;
}

/** The first line with a Latin-1 å/ä/ö/é byte when no CP437 one appears anywhere, else undefined. */
function* latin1Suspect(content: Uint8Array): Generator<void, number | undefined, void> {
  let line = 1;
  let first: number | undefined;
  for (let i = 0; i < content.length; i += 1) {
    const b = content[i];
    if (b === 0x0a) line += 1;
    else if (CP437_LETTERS[b]) return undefined;
    else if (first === undefined && LATIN1_LETTERS[b]) first = line;
    if (i % SLICE_BYTES === SLICE_BYTES - 1) yield;
  }
  return first;
}

/** Runs steps to the end at once (the synchronous functions: small files, tests). */
export function runSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
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

  while (i < n && !isBlank(line[i])) i += 1;
  const label = line.slice(0, i).toUpperCase();

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

/** '1234.56' → 123456; '-0.5' → -50. undefined when not an amount with '.' decimals, or beyond what counts exactly in öre. */
export function parseSieAmount(text: string): number | undefined {
  const ore = readSieAmount(text);
  return typeof ore === 'number' ? ore : undefined;
}

/** An amount in öre, or why it is none: not written as an amount, or too large to count exactly (beyond 2^53 öre). */
function readSieAmount(text: string): number | 'not an amount' | 'too large' {
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return 'not an amount';
  const decimals = m[3] ?? '';
  if (decimals.length > 2 && !/^0+$/.test(decimals.slice(2))) return 'not an amount';
  const ore = Number(m[2] + decimals.slice(0, 2).padEnd(2, '0'));
  if (!Number.isSafeInteger(ore)) return 'too large';
  return m[1] === '-' && ore !== 0 ? -ore : ore;
}

/** 123456 → '1234.56', -50 → '-0.50'. */
export function formatOre(ore: number | bigint): string {
  const big = BigInt(ore);
  const abs = big < 0n ? -big : big;
  return `${big < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
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

/** The longest line a SIE file may have: far beyond any label's (a #TRANS with a text is some 80 characters). */
export const SIE_MAX_LINE = 10_000;
/** The most warnings a SieFile keeps (a file of a million lines could give a million); the rest are counted. */
export const SIE_MAX_WARNINGS = 1_000;

/**
 * Reads a SIE file (types 1–4; the labels Årscykel needs). Throws SieError
 * naming file, line and problem for broken input.
 */
export function parseSie(content: Uint8Array, fileName: string): SieFile {
  return runSteps(parseSieSteps(content, fileName));
}

/**
 * parseSie in slices: the generator yields after each slice of the work (a chunk of bytes decoded
 * or scanned, a thousand lines read), and returns what parseSie returns. Whoever drives it decides
 * what runs in between (services/pengar.ts lets the event loop turn). With `sumVerifications` the
 * verifications are summed into `verificationSums` as they are read rather than kept.
 */
export function* parseSieSteps(content: Uint8Array, fileName: string, opts: { sumVerifications?: boolean; keepVouchers?: number } = {}): Generator<void, SieFile, void> {
  const { text, encoding } = yield* decodeSieSteps(content);
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
    warningsLeftOut: 0,
  };
  const sums = opts.sumVerifications ? (sie.verificationSums = new Map()) : undefined;
  const keep = sums && opts.keepVouchers !== undefined ? { max: opts.keepVouchers, refs: (sie.vouchers = [] as SieVoucherRef[]) } : undefined;
  if (keep) sie.vouchersLeftOut = 0;
  const warn = (w: SieWarning) => {
    if (sie.warnings.length < SIE_MAX_WARNINGS) sie.warnings.push(w);
    else sie.warningsLeftOut += 1;
  };
  if (encoding === 'cp437') {
    const suspect = yield* latin1Suspect(content);
    if (suspect !== undefined) {
      warn({
        line: suspect,
        problem:
          'the file looks Latin-1 (ISO 8859-1) encoded rather than PC8 (codepage 437): ' +
          'read as PC8, å ä ö come out as σ Σ ÷ — export the file again as PC8 or UTF-8',
      });
    }
  }
  /** The lines of the #TRANS on each account (at most SIE_MAX_WARNINGS each), to warn of those no #KONTO lists. */
  const transLines = new Map<string, { lines: number[]; more: number }>();

  let lineNo = 0;
  const fail = (problem: string, line = lineNo): never => {
    throw new SieError(fileName, line, problem);
  };
  const count = (label: string) => {
    sie.ignored[label] = (sie.ignored[label] ?? 0) + 1;
  };

  /** A #VER waiting for its '{' (open = false) or inside its block (open = true). */
  let ver: { v: SieVerification; open: boolean } | undefined;

  for (const l of slicedLines(text, { lines: SLICE_LINES, chars: SLICE_CHARS })) {
    if (!l) {
      yield;
      continue;
    }
    const { start, end } = l;
    lineNo = l.no;
    if (end - start > SIE_MAX_LINE) {
      fail(`the line is ${end - start} characters long; a SIE line has at most ${SIE_MAX_LINE} (is this a SIE file?)`);
    }
    const line = text.slice(start, end).trim();
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
      closeVerification(ver!.v, lineNo, warn);
      if (sums) addToSums(sums, ver!.v);
      else sie.verifications.push(ver!.v);
      if (keep) {
        const v = ver!.v;
        for (const t of v.transactions) {
          if (!isResultAccount(t.account)) continue;
          if (keep.refs.length >= keep.max) {
            sie.vouchersLeftOut! += 1;
            continue;
          }
          const text = t.text ?? v.text;
          keep.refs.push({ series: v.series, number: v.number, date: v.date, ...(text ? { text } : {}), account: t.account, amountOre: t.amountOre });
        }
      }
      ver = undefined;
      continue;
    }
    if (!line.startsWith('#')) {
      warn({ line: lineNo, problem: 'line without a #label ignored' });
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
      const seen = transLines.get(account) ?? transLines.set(account, { lines: [], more: 0 }).get(account)!;
      if (seen.lines.length < SIE_MAX_WARNINGS) seen.lines.push(lineNo);
      else seen.more += 1;
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
        sie.results.push({ yearIndex, account, amountOre: f.amount(2), line: lineNo });
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
    const unknown: SieWarning[] = [];
    for (const [account, seen] of transLines) {
      if (sie.accounts.has(account)) continue;
      for (const line of seen.lines) unknown.push({ line, problem: `#TRANS on account ${account}, which no #KONTO lists` });
      sie.warningsLeftOut += seen.more;
    }
    unknown.sort((a, b) => a.line - b.line);
    for (const w of unknown) warn(w);
  }
  sie.warnings.sort((a, b) => a.line - b.line);
  return sie;
}

function describeVer(v: SieVerification): string {
  const id = [v.series, v.number].filter((s) => s !== '').join(' ');
  return id === '' ? `of ${v.date}` : id;
}

function addToSums(sums: Map<IsoDate, Map<string, bigint>>, v: SieVerification): void {
  let day = sums.get(v.date);
  if (!day) sums.set(v.date, (day = new Map()));
  for (const t of v.transactions) day.set(t.account, (day.get(t.account) ?? 0n) + BigInt(t.amountOre));
}

function closeVerification(v: SieVerification, closeLine: number, warn: (w: SieWarning) => void): void {
  let sum: number | bigint = 0;
  let exact = true;
  for (const t of v.transactions) exact = Number.isSafeInteger((sum += t.amountOre)) && exact;
  // The amounts are safe integers each, but a sum along the way need not be: then again in bigint.
  if (!exact) sum = v.transactions.reduce((s, t) => s + BigInt(t.amountOre), 0n);
  if (sum !== 0 && sum !== 0n) {
    warn({
      line: v.line,
      problem: `#VER ${describeVer(v)} does not balance: its transactions sum to ${formatOre(sum)} (block closed on line ${closeLine})`,
    });
  }
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
    const ore = readSieAmount(value);
    if (ore === 'too large') {
      this.fail(`amount ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)} is too large to count exactly (at most ${formatOre(Number.MAX_SAFE_INTEGER)} either way)`);
    }
    if (typeof ore !== 'number') {
      this.fail(
        `bad amount ${JSON.stringify(value)} (expected e.g. 1234.50 or -80: digits, '.' before at most 2 decimals)`,
      );
    }
    return ore as number;
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
const signedBig = (account: string, ore: bigint) => (account.startsWith('3') ? -ore : ore);

function addMonths(period: string, n: number): string {
  const total = Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`;
}

function lastDay(period: string): IsoDate {
  for (const d of ['31', '30', '29', '28']) if (isIsoDate(`${period}-${d}`)) return `${period}-${d}`;
  throw new Error(`bad period ${period}`);
}

/** Öre (bigint) → whole kronor, halves away from zero. */
function roundKrBig(ore: bigint): bigint {
  const abs = ore < 0n ? -ore : ore;
  const kr = (abs + 50n) / 100n;
  return ore < 0n ? -kr : kr;
}

/** The fiscal year (#RAR 0), its months, and each account's öre per month of it, from one of the two sources. */
interface OutcomeByMonth {
  fy: { start: IsoDate; end: IsoDate };
  startPeriod: string;
  endPeriod: string;
  monthsInYear: number;
  source: SieActuals['source'];
  /** Per account: öre per month of the fiscal year (index 0 = its first month); bigint, exact however many entries add up. */
  perAccount: Map<string, bigint[]>;
  /** The last month of the fiscal year (1 = the first) with an entry summed, 0 when none. */
  lastMonth: number;
}

/** Entries summed between two yields of outcomeByMonthSteps. */
const SLICE_ENTRIES = 20_000;

/** A month (YYYY-MM…) as a number that counts months: only differences of them are used. */
const periodNumber = (period: string) => Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7));

/**
 * Each account's outcome per month of the fiscal year (index 0), in one pass: from the
 * verifications in the fiscal year (by verification date) when there are any, else from the
 * #PSALDO account totals (entries without objects) of the year's months.
 */
function* outcomeByMonthSteps(sie: SieFile): Generator<void, OutcomeByMonth, void> {
  const fy = sie.fiscalYears.find((y) => y.index === 0);
  if (!fy) throw new Error(`${sie.fileName}: no #RAR 0 (the fiscal year), so the months to sum are unknown`);
  const startPeriod = fy.start.slice(0, 7);
  const endPeriod = fy.end.slice(0, 7);
  const first = periodNumber(startPeriod);
  const monthsInYear = periodNumber(endPeriod) - first + 1;

  const perAccount = new Map<string, bigint[]>();
  let lastMonth = 0;
  let entries = 0;
  const add = (account: string, index: number, ore: bigint) => {
    let months = perAccount.get(account);
    if (!months) perAccount.set(account, (months = new Array<bigint>(monthsInYear).fill(0n)));
    months[index] += ore;
    lastMonth = Math.max(lastMonth, index + 1);
  };

  let source: SieActuals['source'] = 'none';
  for (const v of sie.verifications) {
    if (v.date < fy.start || v.date > fy.end) continue;
    source = 'verifications';
    const index = periodNumber(v.date) - first;
    for (const t of v.transactions) add(t.account, index, BigInt(t.amountOre));
    entries += 1 + v.transactions.length;
    if (entries >= SLICE_ENTRIES) {
      entries = 0;
      yield;
    }
  }
  for (const [date, accounts] of sie.verificationSums ?? []) {
    if (date < fy.start || date > fy.end) continue;
    source = 'verifications';
    const index = periodNumber(date) - first;
    for (const [account, ore] of accounts) add(account, index, ore);
  }
  if (source === 'none') {
    for (const p of sie.periodBalances) {
      if (p.yearIndex !== 0 || p.objects.length !== 0 || p.period < startPeriod || p.period > endPeriod) continue;
      source = 'periodBalances';
      add(p.account, periodNumber(p.period) - first, BigInt(p.amountOre));
      if (++entries >= SLICE_ENTRIES) {
        entries = 0;
        yield;
      }
    }
  }
  return { fy, startPeriod, endPeriod, monthsInYear, source, perAccount, lastMonth };
}

/** Which line each account counts for (the first whose pattern matches it), and the result accounts no line maps. */
function lineOfAccount(mapping: AccountMapping[]): (account: string) => string | undefined {
  const matchers = mapping.map((m) => ({ line: m.line, match: m.accounts.map((p) => compilePattern(p, m.line)) }));
  return (account) => matchers.find((m) => m.match.some((match) => match(account)))?.line;
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
  const o = runSteps(outcomeByMonthSteps(sie));
  if (!Number.isInteger(throughMonth) || throughMonth < 1 || throughMonth > o.monthsInYear) {
    throw new RangeError(
      `throughMonth must be a whole number from 1 to ${o.monthsInYear} (the fiscal year's months), got ${throughMonth}`,
    );
  }
  const lastPeriod = addMonths(o.startPeriod, throughMonth - 1);
  const through = lastPeriod === o.endPeriod ? o.fy.end : lastDay(lastPeriod);
  const lineOf = lineOfAccount(mapping);

  const lineOre = new Map<string, bigint>(mapping.map((m) => [m.line, 0n]));
  const unmapped: SieActuals['unmapped'] = [];
  for (const account of [...o.perAccount.keys()].sort()) {
    if (!isResultAccount(account)) continue;
    let booked = 0n;
    const months = o.perAccount.get(account)!;
    for (let i = 0; i < throughMonth; i += 1) booked += months[i];
    const ore = signedBig(account, booked);
    const line = lineOf(account);
    if (line !== undefined) {
      lineOre.set(line, lineOre.get(line)! + ore);
    } else if (ore !== 0n) {
      const name = sie.accounts.get(account)?.name;
      const amountKr = Number(roundKrBig(ore));
      unmapped.push(name ? { account, name, amountKr } : { account, amountKr });
    }
  }

  const byLine: Record<string, number> = {};
  for (const [line, ore] of lineOre) byLine[line] = Number(roundKrBig(ore));
  return { byLine, unmapped, months: throughMonth, source: o.source, from: o.fy.start, through };
}

/** A budget line's outcome in one month of the fiscal year, whole kronor (bigint: checked by the caller before it is kept). */
export interface SieMonthRow {
  line: string;
  /** 1 = the fiscal year's first month. */
  month: number;
  amountKr: bigint;
}

export interface SieMonthlyActuals {
  /** The last month of the fiscal year with entries summed (0 when none): the rows run through it. */
  lastMonth: number;
  /**
   * Per month 1..lastMonth and line of the mapping (in mapping order): the month's outcome, as the
   * difference of the rounded outcome to date through it and through the month before, so that the
   * months add up to actualsFromSie's figure through each month.
   */
  rows: SieMonthRow[];
  /** As actualsFromSie's, through lastMonth. */
  unmapped: SieActuals['unmapped'];
  source: SieActuals['source'];
  /** The fiscal year summed (#RAR 0). */
  fiscalYear: { start: IsoDate; end: IsoDate };
  /**
   * Every account with entries in the fiscal year, by account: the öre booked over the year (debit
   * positive, as in the file) and, for a result account a line maps, the line. For the drill-down
   * and for checking #RES.
   */
  accounts: { account: string; name?: string; line?: string; bookedOre: bigint }[];
}

/**
 * The outcome per budget line and month, each month through the last with entries, as
 * actualsFromSie gives it month by month, in one pass over the file's entries (in slices, as
 * parseSieSteps). The sums are bigint and exact; the caller decides what it can keep.
 */
export function* monthlyActualsFromSieSteps(sie: SieFile, mapping: AccountMapping[]): Generator<void, SieMonthlyActuals, void> {
  const o = yield* outcomeByMonthSteps(sie);
  const lineOf = lineOfAccount(mapping);
  const lines = [...new Set(mapping.map((m) => m.line))];
  const perLine = new Map<string, bigint[]>(lines.map((l) => [l, new Array<bigint>(o.lastMonth).fill(0n)]));
  const unmapped: SieActuals['unmapped'] = [];
  for (const account of [...o.perAccount.keys()].sort()) {
    if (!isResultAccount(account)) continue;
    const months = o.perAccount.get(account)!;
    const line = lineOf(account);
    if (line !== undefined) {
      const sums = perLine.get(line)!;
      for (let i = 0; i < o.lastMonth; i += 1) sums[i] += signedBig(account, months[i]);
    } else {
      let ore = 0n;
      for (let i = 0; i < o.lastMonth; i += 1) ore += signedBig(account, months[i]);
      if (ore === 0n) continue;
      const name = sie.accounts.get(account)?.name;
      const amountKr = Number(roundKrBig(ore));
      unmapped.push(name ? { account, name, amountKr } : { account, amountKr });
    }
  }
  const accounts: SieMonthlyActuals['accounts'] = [];
  for (const account of [...o.perAccount.keys()].sort()) {
    const bookedOre = o.perAccount.get(account)!.reduce((a, b) => a + b, 0n);
    const name = sie.accounts.get(account)?.name;
    const line = isResultAccount(account) ? lineOf(account) : undefined;
    accounts.push({ account, ...(name ? { name } : {}), ...(line !== undefined ? { line } : {}), bookedOre });
  }
  const rows: SieMonthRow[] = [];
  const before = new Map<string, { ore: bigint; kr: bigint }>(lines.map((l) => [l, { ore: 0n, kr: 0n }]));
  for (let month = 1; month <= o.lastMonth; month += 1) {
    for (const line of lines) {
      const b = before.get(line)!;
      const ore = b.ore + perLine.get(line)![month - 1];
      const kr = roundKrBig(ore);
      rows.push({ line, month, amountKr: kr - b.kr });
      before.set(line, { ore, kr });
    }
  }
  return { lastMonth: o.lastMonth, rows, unmapped, source: o.source, fiscalYear: { start: o.fy.start, end: o.fy.end }, accounts };
}

// ---------------------------------------------------------------------------
// Reconciliation: whose books, which year, the equity at the start, #RES
// ---------------------------------------------------------------------------

/** An organisation number as its ten digits ('222000-2600', '2220002600' and '16222000-2600' are one); undefined when not one. */
export function orgNrDigits(orgNr: string | undefined): string | undefined {
  if (orgNr === undefined) return undefined;
  const digits = orgNr.replace(/[\s-]/g, '');
  if (/^16\d{10}$/.test(digits)) return digits.slice(2);
  return /^\d{10}$/.test(digits) ? digits : undefined;
}

/** Why a file is not the förbund's books for the year: another organisation number, or another fiscal year. */
export interface SieIdentityProblem {
  kind: 'orgNr' | 'year';
  problem: string;
  sv: string;
}

/**
 * Whether the file is the förbund's books for `year`: its #ORGNR must be the förbund's
 * organisation number (when both are given: a file or a förbund without one cannot be checked,
 * which `warnings` says), and its fiscal year (#RAR 0) must start in `year`.
 */
export function sieIdentity(sie: Pick<SieFile, 'fileName' | 'company' | 'fiscalYears'>, forbund: { orgNr?: string; year: number }): { problems: SieIdentityProblem[]; warnings: string[] } {
  const problems: SieIdentityProblem[] = [];
  const warnings: string[] = [];
  const name = sie.fileName;
  const fileNr = sie.company.orgNr;
  if (fileNr === undefined) warnings.push(`${name} has no #ORGNR, so it could not be checked that it is the förbund's books`);
  else if (forbund.orgNr === undefined) warnings.push(`the förbund file gives no organisation number (forbund.organisationNumber), so the file's #ORGNR ${fileNr} could not be checked`);
  // Two numbers that are not organisation numbers are compared as written: unreadable is not a match.
  else if ((orgNrDigits(fileNr) ?? fileNr) !== (orgNrDigits(forbund.orgNr) ?? forbund.orgNr)) {
    problems.push({
      kind: 'orgNr',
      problem: `the organisation number in the file (${fileNr}) is not the förbund's (${forbund.orgNr}): these are another organisation's books`,
      sv: `${name}: organisationsnumret i filen (${fileNr}) är inte förbundets (${forbund.orgNr}). Filen är en annan organisations bokföring; inget är inläst.`,
    });
  }
  const fy = sie.fiscalYears.find((f) => f.index === 0);
  if (!fy) {
    problems.push({ kind: 'year', problem: `the file gives no fiscal year (#RAR 0), so it cannot be seen to be ${forbund.year}'s`, sv: `${name}: filen anger inget räkenskapsår (#RAR 0), så det går inte att se att den gäller ${forbund.year}.` });
  } else if (Number(fy.start.slice(0, 4)) !== forbund.year) {
    problems.push({ kind: 'year', problem: `the file's fiscal year (#RAR 0) is ${fy.start}–${fy.end}, not ${forbund.year}`, sv: `${name}: filens räkenskapsår (#RAR 0) är ${fy.start}–${fy.end}, inte budgetåret ${forbund.year}.` });
  }
  return { problems, warnings };
}

/** BAS class 20: eget kapital. */
const isEquityAccount = (account: string) => /^20/.test(account);
const isBalanceAccount = (account: string) => /^[12]/.test(account);

export interface SieEquity {
  /** The equity at the fiscal year's start, öre (credit balances of class 20 turned positive). */
  ore: bigint;
  /**
   * `equity-accounts`: minus the #IB of the equity accounts (BAS 2010–2099); `net-assets`: the file
   * has no #IB on an equity account, so the assets less the liabilities (the #IB of the other
   * balance accounts, which is the same when the balance sheet balances).
   */
  from: 'equity-accounts' | 'net-assets';
  /** The accounts summed. */
  accounts: string[];
}

/** The equity at the start of the fiscal year from the opening balances (#IB 0); undefined without any. */
export function equityAtStart(sie: Pick<SieFile, 'balances'>): SieEquity | undefined {
  const ib = sie.balances.filter((b) => b.kind === 'IB' && b.yearIndex === 0 && isBalanceAccount(b.account));
  if (!ib.length) return undefined;
  const equity = ib.filter((b) => isEquityAccount(b.account));
  if (equity.length) return { ore: -equity.reduce((a, b) => a + BigInt(b.amountOre), 0n), from: 'equity-accounts', accounts: [...new Set(equity.map((b) => b.account))].sort() };
  return { ore: ib.reduce((a, b) => a + BigInt(b.amountOre), 0n), from: 'net-assets', accounts: [...new Set(ib.map((b) => b.account))].sort() };
}

/** An account whose #RES for the fiscal year is not the sum of its entries in the file. */
export interface SieResDifference {
  account: string;
  name?: string;
  /** The line of the account's #RES (none when the file gives no #RES for an account with entries). */
  line?: number;
  /** #RES 0, öre (0 when the file gives none for an account with entries). */
  resOre: bigint;
  /** The entries summed over the fiscal year (verifications, else #PSALDO), öre. */
  entriesOre: bigint;
}

/**
 * #RES 0 per result account against the sum of the account's entries over the fiscal year (from
 * the same source the outcome is read from): the accounts where they differ. Nothing when the file
 * has no #RES for the year (nothing to compare) or no entries.
 */
export function resDifferences(sie: Pick<SieFile, 'results' | 'accounts'>, booked: SieMonthlyActuals['accounts'], source: SieActuals['source']): SieResDifference[] {
  const res = new Map<string, bigint>();
  const lines = new Map<string, number>();
  for (const r of sie.results) {
    if (r.yearIndex !== 0 || !isResultAccount(r.account)) continue;
    res.set(r.account, (res.get(r.account) ?? 0n) + BigInt(r.amountOre));
    if (r.line !== undefined && !lines.has(r.account)) lines.set(r.account, r.line);
  }
  if (!res.size || source === 'none') return [];
  const entries = new Map(booked.filter((b) => isResultAccount(b.account)).map((b) => [b.account, b.bookedOre]));
  const out: SieResDifference[] = [];
  for (const account of [...new Set([...res.keys(), ...entries.keys()])].sort()) {
    const resOre = res.get(account) ?? 0n;
    const entriesOre = entries.get(account) ?? 0n;
    if (resOre === entriesOre) continue;
    const name = sie.accounts.get(account)?.name;
    const line = lines.get(account);
    out.push({ account, ...(name ? { name } : {}), ...(line !== undefined ? { line } : {}), resOre, entriesOre });
  }
  return out;
}

/** Öre (bigint) as whole kronor, halves away from zero. */
export const oreToKr = (ore: bigint): bigint => roundKrBig(ore);

/** Income (class 3) turned positive, as the budget lines count it; costs as booked. */
export const lineSignedOre = (account: string, ore: bigint): bigint => signedBig(account, ore);
