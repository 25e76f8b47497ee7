// The SIE 4 reader (domain/sie.ts) in its details: how the bytes are decoded (PC8, UTF-8, a
// Latin-1 file warned of), how a line splits into fields, the problems a broken file is refused
// with (file, line and the exact problem the official reads, in Swedish through services/pengar.ts),
// the warnings a doubtful one gives, the outcome per budget line and month, and the reconciliation
// of the file (whose books, which year, the equity at the start, #RES against the entries).
// tests/sie.test.ts reads the Sydnärke fixture as a whole; this file tests the rules one by one.
import { describe, expect, it } from 'vitest';
import { sieError } from './support/sie.js';
import {
  SIE_MAX_LINE,
  SIE_MAX_WARNINGS,
  actualsFromSie,
  decodeCp437,
  decodeSie,
  equityAtStart,
  formatOre,
  lineSignedOre,
  monthlyActualsFromSieSteps,
  orgNrDigits,
  oreToKr,
  parseSie,
  parseSieAmount,
  parseSieSteps,
  resDifferences,
  runSteps,
  sieIdentity,
  type AccountMapping,
  type SieFile,
} from '../domain/sie.js';

/** A SIE file from lines, CRLF, as UTF-8 (ASCII lines read the same as PC8). */
const sieOf = (...lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
const HEAD = ['#FLAGGA 0', '#FORMAT PC8', '#SIETYP 4', '#FNAMN "Test"', '#RAR 0 20160101 20161231'];
const parse = (...lines: string[]) => parseSie(sieOf(...lines), 't.se');

/** [line, problem] of the SieError for these lines after HEAD (line 6 is the first). */
const problemOf = (...lines: string[]) => {
  const e = sieError(sieOf(...HEAD, ...lines));
  return [e.line, e.problem];
};

/** Counts the slices a generator yields before it returns. */
function slices<T>(steps: Generator<void, T, void>): { value: T; yields: number } {
  let yields = 0;
  for (;;) {
    const r = steps.next();
    if (r.done) return { value: r.value, yields };
    yields += 1;
  }
}

const monthly = (sie: SieFile, mapping: AccountMapping[]) => runSteps(monthlyActualsFromSieSteps(sie, mapping));

// ---------------------------------------------------------------------------

describe('decoding: PC8 (codepage 437), UTF-8, and a Latin-1 file warned of', () => {
  it('the whole upper half of codepage 437, as the spec gives it', () => {
    const high = Uint8Array.from({ length: 128 }, (_, i) => 0x80 + i);
    expect(decodeCp437(high)).toBe(
      'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
        '└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0',
    );
    expect(decodeCp437(Uint8Array.from([0x23, 0x41, 0x7e, 0x0d, 0x0a]))).toBe('#A~\r\n');
  });

  it('a long PC8 text comes out whole, every character in its place', () => {
    const bytes = new Uint8Array(300_000).fill(0x41);
    for (const at of [0, 8_191, 8_192, 16_384, 262_143, 262_144, 299_999]) bytes[at] = 0x94; // ö
    const text = decodeCp437(bytes);
    expect(text).toHaveLength(300_000);
    const at: number[] = [];
    for (let i = text.indexOf('ö'); i >= 0; i = text.indexOf('ö', i + 1)) at.push(i);
    expect(at).toEqual([0, 8_191, 8_192, 16_384, 262_143, 262_144, 299_999]);
    expect(decodeSie(bytes)).toEqual({ text, encoding: 'cp437' });
  });

  it('UTF-8 when the bytes are valid UTF-8 with å ä ö, or start with a byte order mark (left out of the text)', () => {
    expect(decodeSie(Buffer.from('#FNAMN "Förbundet"', 'utf8'))).toEqual({ text: '#FNAMN "Förbundet"', encoding: 'utf-8' });
    expect(decodeSie(Buffer.from('\ufeff#FLAGGA 0', 'utf8'))).toEqual({ text: '#FLAGGA 0', encoding: 'utf-8' });
    expect(decodeSie(Buffer.from([0xef, 0xbb, 0xbf]))).toEqual({ text: '', encoding: 'utf-8' });
    // ASCII only reads the same either way: called PC8, as the spec says
    expect(decodeSie(Buffer.from('#FLAGGA 0', 'utf8'))).toEqual({ text: '#FLAGGA 0', encoding: 'cp437' });
    expect(decodeSie(new Uint8Array(0))).toEqual({ text: '', encoding: 'cp437' });
  });

  it('bytes that are not UTF-8, or a UTF-8 sequence cut off at the end, are PC8', () => {
    expect(decodeSie(Uint8Array.from([0x4c, 0x94, 0x6e, 0x65, 0x72]))).toEqual({ text: 'Löner', encoding: 'cp437' });
    // 'ä' in UTF-8 is C3 A4: C3 alone at the end is no character
    expect(decodeSie(Uint8Array.from([0x41, 0xc3]))).toEqual({ text: 'A├', encoding: 'cp437' });
    expect(decodeSie(Uint8Array.from([0xef, 0xbb]))).toEqual({ text: '∩╗', encoding: 'cp437' });
    // the first non-UTF-8 byte far into a large file
    const late = Buffer.concat([Buffer.from('å', 'utf8'), Buffer.alloc(600_000, 0x41), Buffer.from([0x94])]);
    const d = decodeSie(late);
    expect(d.encoding).toBe('cp437');
    expect(d.text.slice(0, 3)).toBe('├Ñ' + 'A');
    expect(d.text.slice(-2)).toBe('Aö');
    expect(d.text).toHaveLength(600_003);
    // a file of exactly a quarter megabyte whose last character is cut off
    const exact = Buffer.concat([Buffer.from('å', 'utf8'), Buffer.alloc(256 * 1024 - 3, 0x41), Buffer.from([0xc3])]);
    expect(exact).toHaveLength(256 * 1024);
    expect(decodeSie(exact).encoding).toBe('cp437');
    expect(decodeSie(exact).text.slice(-2)).toBe('A├');
  });

  it('a large UTF-8 file with å split across the quarter-megabyte slices reads right', () => {
    const before = 256 * 1024 - 1; // 'å' (C3 A5) straddles the first slice's end
    const bytes = Buffer.concat([Buffer.alloc(before, 0x41), Buffer.from('åäö', 'utf8'), Buffer.alloc(300_000, 0x42)]);
    const d = decodeSie(bytes);
    expect(d.encoding).toBe('utf-8');
    expect(d.text).toHaveLength(before + 3 + 300_000);
    expect(d.text.slice(before - 1, before + 4)).toBe('AåäöB');
    // a non-ASCII byte found only after the first slice of ASCII
    const lateUtf8 = Buffer.concat([Buffer.alloc(600_000, 0x41), Buffer.from('ö', 'utf8')]);
    expect(decodeSie(lateUtf8).encoding).toBe('utf-8');
    expect(decodeSie(lateUtf8).text.slice(-2)).toBe('Aö');
  });

  it('warns on the line of the first Latin-1 å ä ö é, when no PC8 letter appears anywhere', () => {
    const latin1 = (...lines: string[]) => parseSie(Buffer.from(lines.join('\n') + '\n', 'latin1'), 'latin1.se');
    const sie = latin1(...HEAD, '#KONTO 1930 "Bank"', '#KONTO 7010 "Löner"', '#KONTO 7610 "Utbildning är bra"');
    expect(sie.encoding).toBe('cp437');
    expect(sie.accounts.get('7010')?.name).toBe('L÷ner');
    expect(sie.warnings).toEqual([
      {
        line: 7,
        problem:
          'the file looks Latin-1 (ISO 8859-1) encoded rather than PC8 (codepage 437): read as PC8, å ä ö come out as σ Σ ÷ — export the file again as PC8 or UTF-8',
      },
    ]);
    for (const [letter, line] of [['å', 6], ['ä', 6], ['ö', 6], ['Å', 6], ['Ä', 6], ['Ö', 6], ['é', 6]] as const) {
      expect(latin1(`#FNAMN "${letter}"`).warnings.map((w) => w.line), letter).toEqual([1]);
      expect(latin1('#FLAGGA 0', '', '', '', '', `#FNAMN "${letter}"`).warnings.map((w) => w.line), letter).toEqual([line]);
    }
    // other bytes above 0x7F are no sign of Latin-1
    expect(latin1('#FNAMN "ü"').warnings).toEqual([]);
  });

  it('no Latin-1 warning when a PC8 å ä ö Å Ä Ö é is anywhere, before or after, or when the file is UTF-8', () => {
    const pc8Letters = [0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99, 0x82];
    for (const b of pc8Letters) {
      const after = Buffer.concat([Buffer.from('#FNAMN "\xe5"\n#KONTO 7010 "', 'latin1'), Buffer.from([b]), Buffer.from('"\n')]);
      expect(parseSie(after, 'x.se').warnings, b.toString(16)).toEqual([]);
      const before = Buffer.concat([Buffer.from('#KONTO 7010 "'), Buffer.from([b]), Buffer.from('"\n#FNAMN "\xe5"\n', 'latin1')]);
      expect(parseSie(before, 'x.se').warnings, b.toString(16)).toEqual([]);
    }
    expect(parseSie(Buffer.from('#FNAMN "Löner"\n', 'utf8'), 'x.se')).toMatchObject({ encoding: 'utf-8', warnings: [] });
    // š in UTF-8 is C5 A1, and C5 is Latin-1 Å: a UTF-8 file is not looked at
    expect(parseSie(Buffer.from('#FNAMN "Šťastný"\n', 'utf8'), 'x.se')).toMatchObject({ encoding: 'utf-8', company: { name: 'Šťastný' }, warnings: [] });
  });

});

// ---------------------------------------------------------------------------

describe('fields: quotes, escapes, tabs and object lists', () => {
  it('quoted fields with \\" and \\\\ escapes; a backslash before anything else is kept', () => {
    const sie = parse('#FNAMN "Kurs \\"MI\\" för \\\\alla\\\\ \\n"');
    expect(sie.company.name).toBe('Kurs "MI" för \\alla\\ \\n');
    // a text that ends in a backslash: the \\ is one backslash, the " closes the field
    expect(parse('#FNAMN "C:\\\\" "x"').company.name).toBe('C:\\');
  });

  it('tabs and runs of spaces between fields; labels in any case; an empty quoted field', () => {
    const sie = parse('\t#konto\t 7010  \t"Löner"  ', '#Ktyp 7010 k', '#KONTO 7011 ""');
    expect(sie.accounts.get('7010')).toEqual({ name: 'Löner', type: 'K' });
    expect(sie.accounts.get('7011')).toEqual({ name: '' });
    expect(parse('#FNAMN a}b{c').company.name).toBe('a}b{c');
  });

  it('object lists: pairs of dimension and object, quoted or bare, with or without spaces', () => {
    const sie = parse(...HEAD, '#PSALDO 0 201601 4010 {1 "Kumla" 6 SFS} 5.00', '#PSALDO 0 201601 4010 {6 "S F S"} 6.00', '#PSALDO 0 201601 4010 { } 7.00', '#PSALDO 0 201601 4010 {"6""x"} 8.00');
    expect(sie.periodBalances.map((p) => [p.objects, p.amountOre])).toEqual([
      [[{ dimension: '1', id: 'Kumla' }, { dimension: '6', id: 'SFS' }], 500],
      [[{ dimension: '6', id: 'S F S' }], 600],
      [[], 700],
      [[{ dimension: '6', id: 'x' }], 800],
    ]);
  });

  it('the problems of a broken field, with the column', () => {
    expect(problemOf('#FNAMN "Test')).toEqual([6, 'unterminated quoted field: the " in column 8 is not closed']);
    expect(problemOf('#FNAMN "Test\\"')).toEqual([6, 'unterminated quoted field: the " in column 8 is not closed']);
    expect(problemOf('#PSALDO 0 201601 3010 {1 "A" -5.00')).toEqual([6, 'object list: the { in column 23 is not closed with }']);
    expect(problemOf('#PSALDO 0 201601 3010 {1 "A')).toEqual([6, 'unterminated quoted field: the " in column 26 is not closed']);
    expect(problemOf('#PSALDO 0 201601 3010 {1 A 6} -5.00')).toEqual([6, '#PSALDO: object list {1 A 6} must hold pairs of dimension and object']);
    expect(problemOf('#KONTO {} "Löner"')).toEqual([6, '#KONTO: expected account number, found an object list {…}']);
  });
});

// ---------------------------------------------------------------------------

describe('amounts and dates', () => {
  it('amounts in öre, exact; at most two decimals that count', () => {
    expect(parseSieAmount('0.01')).toBe(1);
    expect(parseSieAmount('12')).toBe(1_200);
    expect(parseSieAmount('12.')).toBe(1_200);
    expect(parseSieAmount('-.05')).toBe(-5);
    expect(parseSieAmount('-12.3')).toBe(-1_230);
    expect(parseSieAmount('1.5000')).toBe(150);
    expect(parseSieAmount('1.999')).toBeUndefined();
    expect(parseSieAmount('1.0001')).toBeUndefined();
    expect(parseSieAmount('1.0010')).toBeUndefined();
    expect(parseSieAmount('+')).toBeUndefined();
    expect(parseSieAmount('+.')).toBeUndefined();
    expect(parseSieAmount('--1')).toBeUndefined();
    expect(parseSieAmount(' 1')).toBeUndefined();
    expect(parseSieAmount('1 ')).toBeUndefined();
    expect(parseSieAmount('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseSieAmount('-90071992547409.91')).toBe(-Number.MAX_SAFE_INTEGER);
    expect(parseSieAmount('90071992547409.92')).toBeUndefined();
  });

  it('formatOre: kronor and two decimals, minus for negatives, exact for bigint', () => {
    expect(formatOre(0)).toBe('0.00');
    expect(formatOre(5)).toBe('0.05');
    expect(formatOre(100)).toBe('1.00');
    expect(formatOre(-123_456)).toBe('-1234.56');
    expect(formatOre(-10_000_000_000_000_001n)).toBe('-100000000000000.01');
  });

  it('an amount refused says why, and how it should be written', () => {
    expect(problemOf('#RES 0 3010 1,50')).toEqual([6, `#RES: bad amount "1,50" (expected e.g. 1234.50 or -80: digits, '.' before at most 2 decimals)`]);
    expect(problemOf('#RES 0 3010 90071992547409.92')).toEqual([6, '#RES: amount "90071992547409.92" is too large to count exactly (at most 90071992547409.91 either way)']);
    // a long amount is cut at 40 characters in the message
    const long = '9'.repeat(41);
    expect(problemOf(`#RES 0 3010 ${long}`)).toEqual([6, `#RES: amount "${'9'.repeat(40)}…" is too large to count exactly (at most 90071992547409.91 either way)`]);
    const forty = '9'.repeat(40);
    expect(problemOf(`#RES 0 3010 ${forty}`)).toEqual([6, `#RES: amount "${forty}" is too large to count exactly (at most 90071992547409.91 either way)`]);
    expect(problemOf('#RES 0 3010')).toEqual([6, '#RES: missing amount']);
    expect(problemOf('#RES 0 3010 ""')).toEqual([6, '#RES: empty amount']);
  });

  it('dates are real dates written YYYYMMDD', () => {
    expect(parse('#GEN 20240229').generated).toBe('2024-02-29');
    expect(problemOf('#GEN 20230229')).toEqual([6, '#GEN: bad date "20230229" (expected a real date YYYYMMDD)']);
    expect(problemOf('#GEN 2016-01-01')).toEqual([6, '#GEN: bad date "2016-01-01" (expected a real date YYYYMMDD)']);
    expect(problemOf('#GEN 201601011')).toEqual([6, '#GEN: bad date "201601011" (expected a real date YYYYMMDD)']);
    expect(problemOf('#GEN x20160101')).toEqual([6, '#GEN: bad date "x20160101" (expected a real date YYYYMMDD)']);
    expect(problemOf('#GEN')).toEqual([6, '#GEN: missing date']);
    expect(problemOf('#VER A 1 20161301', '{', '}')).toEqual([6, '#VER: bad verification date "20161301" (expected a real date YYYYMMDD)']);
  });
});

// ---------------------------------------------------------------------------

describe('the labels read', () => {
  it('#PROGRAM with and without a version, #GEN, #FNAMN, #ORGNR, #FLAGGA, #SIETYP, #FORMAT', () => {
    const sie = parse('#FLAGGA 1', '#FORMAT PC8', '#SIETYP 2', '#PROGRAM "Fortnox" 3.1', '#GEN 20160705', '#FNAMN "Förbundet"', '#ORGNR 222000-2600');
    expect(sie).toMatchObject({ flag: 1, format: 'PC8', sieType: 2, program: 'Fortnox 3.1', generated: '2016-07-05', company: { name: 'Förbundet', orgNr: '222000-2600' } });
    expect(parse('#PROGRAM "Visma"').program).toBe('Visma');
    expect(parse('#PROGRAM Visma ""').program).toBe('Visma');
    expect(parse('#SIETYP -4').sieType).toBe(-4);
    expect(parse('#SIETYP 12').sieType).toBe(12);
  });

  it('header fields refused: empty, not a whole number', () => {
    expect(problemOf('#SIETYP 4b')).toEqual([6, '#SIETYP: bad SIE type "4b" (expected a whole number)']);
    expect(problemOf('#FLAGGA x1')).toEqual([6, '#FLAGGA: bad flag "x1" (expected a whole number)']);
    expect(problemOf('#FLAGGA 1.0')).toEqual([6, '#FLAGGA: bad flag "1.0" (expected a whole number)']);
    expect(problemOf('#FNAMN ""')).toEqual([6, '#FNAMN: empty company name']);
    expect(problemOf('#ORGNR')).toEqual([6, '#ORGNR: missing organisation number']);
    expect(problemOf('#FORMAT ""')).toEqual([6, '#FORMAT: empty format']);
    expect(problemOf('#PROGRAM ""')).toEqual([6, '#PROGRAM: empty program name']);
    expect(problemOf('#KTYP 7010')).toEqual([6, '#KTYP: missing account type']);
  });

  it('#RAR: a later #RAR of the same year index replaces the earlier; the end may not come before the start', () => {
    const sie = parse('#RAR 0 20150101 20151231', '#RAR -1 20140101 20141231', '#RAR 0 20160101 20161231');
    expect(sie.fiscalYears).toEqual([
      { index: -1, start: '2014-01-01', end: '2014-12-31' },
      { index: 0, start: '2016-01-01', end: '2016-12-31' },
    ]);
    expect(parse('#RAR 0 20160101 20160101').fiscalYears).toEqual([{ index: 0, start: '2016-01-01', end: '2016-01-01' }]);
    expect(problemOf('#RAR 0 20161231 20160101')).toEqual([6, '#RAR: the fiscal year ends (2016-01-01) before it starts (2016-12-31)']);
    expect(problemOf('#RAR 0 20160101')).toEqual([6, '#RAR: missing end date']);
  });

  it('year indexes: 0, -1 … -99 (and positive); nothing else', () => {
    const sie = parse('#RES 0 3010 1', '#RES -1 3010 2', '#RES -99 3010 3', '#RES 5 3010 4');
    expect(sie.results.map((r) => r.yearIndex)).toEqual([0, -1, -99, 5]);
    expect(Object.is(sie.results[0].yearIndex, 0)).toBe(true);
    for (const bad of ['01', '-0', '-100', '1x', '+1', '']) {
      const field = bad === '' ? '""' : bad;
      expect(problemOf(`#RES ${field} 3010 5.00`), bad).toEqual([
        6,
        `#RES: ${bad === '' ? 'empty year index' : `bad year index ${JSON.stringify(bad)} (expected 0 for the current year, -1 for the year before, …)`}`,
      ]);
    }
  });

  it('#KONTO and #KTYP in either order keep both the name and the type; a later #KONTO renames', () => {
    const sie = parse('#KTYP 3010 i', '#KONTO 3010 "Medlemsavgift"', '#KONTO 7010 "Löner"', '#KTYP 7010 K', '#KONTO 7010 "Löner och arvoden"', '#KONTO 1930 "Bank"');
    expect([...sie.accounts]).toEqual([
      ['3010', { name: 'Medlemsavgift', type: 'I' }],
      ['7010', { name: 'Löner och arvoden', type: 'K' }],
      ['1930', { name: 'Bank' }],
    ]);
    expect(parse('#KTYP 2440 S').accounts.get('2440')).toEqual({ name: '', type: 'S' });
  });

  it('account numbers are letters and digits', () => {
    expect(parse('#KONTO 30a "Konto"').accounts.has('30a')).toBe(true);
    expect(problemOf('#KONTO 70-10 "Löner"')).toEqual([6, '#KONTO: bad account number "70-10"']);
    expect(problemOf('#KONTO "7010 " "Löner"')).toEqual([6, '#KONTO: bad account number "7010 "']);
    expect(problemOf('#KONTO " 7010" "Löner"')).toEqual([6, '#KONTO: bad account number " 7010"']);
    expect(problemOf('#IB 0 "" 5')).toEqual([6, '#IB: empty account number']);
  });

  it('#IB, #UB and #RES (with its line), #PSALDO with and without objects', () => {
    const sie = parse(...HEAD, '#IB 0 1930 100.00', '#UB -1 1930 90.00', '#RES 0 3010 -5.00', '#PSALDO -1 201512 3010 -5.00', '#PSALDO 0 201601 4010 {6 SFS} 7.00 0');
    expect(sie.balances).toEqual([
      { kind: 'IB', yearIndex: 0, account: '1930', amountOre: 10_000 },
      { kind: 'UB', yearIndex: -1, account: '1930', amountOre: 9_000 },
    ]);
    expect(sie.results).toEqual([{ yearIndex: 0, account: '3010', amountOre: -500, line: 8 }]);
    expect(sie.periodBalances).toEqual([
      { yearIndex: -1, period: '2015-12', account: '3010', amountOre: -500, objects: [] },
      { yearIndex: 0, period: '2016-01', account: '4010', amountOre: 700, objects: [{ dimension: '6', id: 'SFS' }] },
    ]);
  });

  it('periods are YYYYMM with a month 01–12', () => {
    expect(parse('#PSALDO 0 201612 3010 1').periodBalances[0].period).toBe('2016-12');
    expect(problemOf('#PSALDO 0 "" 3010 1')).toEqual([6, '#PSALDO: empty period']);
    expect(problemOf('#PSALDO 0 201601 3010')).toEqual([6, '#PSALDO: missing amount']);
    for (const bad of ['201600', '201613', '2016011', '16-01', 'x20161']) {
      expect(problemOf(`#PSALDO 0 ${bad} 3010 {} 1`), bad).toEqual([6, `#PSALDO: bad period ${JSON.stringify(bad)} (expected YYYYMM)`]);
    }
  });

  it('other labels are counted, not read', () => {
    expect(parse('#DIM 6 "Projekt"', '#OBJEKT 6 SFS "Steg"', '#dim 1 "KS"').ignored).toEqual({ '#DIM': 2, '#OBJEKT': 1 });
  });
});

// ---------------------------------------------------------------------------

describe('verifications', () => {
  it('a #VER with its text, transactions with date, text and objects; blank lines and indentation are fine', () => {
    const sie = parse(
      ...HEAD,
      '#VER B 12 20160614 "Kurs" 20160615',
      '',
      '  {  ',
      '\t#TRANS 7610 {1 "Kumla"} 4500.00 20160613 "Kursavgift"',
      '',
      '\t#TRANS 1930 {} -4500.00 "" "Bank"',
      '\t#TRANS 2440 {} 0 20160614',
      '\t#TRANS 2441 0',
      ' } ',
    );
    expect(sie.verifications).toStrictEqual([
      {
        series: 'B',
        number: '12',
        date: '2016-06-14',
        text: 'Kurs',
        line: 6,
        transactions: [
          { account: '7610', amountOre: 450_000, date: '2016-06-13', text: 'Kursavgift', objects: [{ dimension: '1', id: 'Kumla' }] },
          { account: '1930', amountOre: -450_000, text: 'Bank', objects: [] },
          { account: '2440', amountOre: 0, date: '2016-06-14', objects: [] },
          { account: '2441', amountOre: 0, objects: [] },
        ],
      },
    ]);
    expect(sie.warnings).toEqual([]);
  });

  it('a #VER without text or transactions', () => {
    const v = parse('#VER "" "" 20160105', '{', '}').verifications[0];
    expect(v).toStrictEqual({ series: '', number: '', date: '2016-01-05', transactions: [], line: 1 });
    expect(problemOf('#VER A 1', '{', '}')).toEqual([6, '#VER: missing verification date']);
    expect(problemOf('#VER A', '{', '}')).toEqual([6, '#VER: missing verification number']);
    expect(problemOf('#VER', '{', '}')).toEqual([6, '#VER: missing series']);
    expect(problemOf('#VER {} 1 20160105', '{', '}')).toEqual([6, '#VER: expected series, found an object list {…}']);
  });

  it('a transaction date that is no date is refused; an object list where the date goes too', () => {
    expect(problemOf('#VER A 1 20160105', '{', '#TRANS 5010 {} 1.00 20160230', '}')).toEqual([8, '#TRANS: bad transaction date "20160230" (expected a real date YYYYMMDD)']);
    expect(problemOf('#VER A 1 20160105', '{', '#TRANS 5010 {} 1.00 {}', '}')).toEqual([8, '#TRANS: expected transaction date, found an object list {…}']);
    expect(problemOf('#VER A 1 20160105', '{', '#TRANS 5010 {} {}', '}')).toEqual([8, '#TRANS: expected amount, found an object list {…}']);
    expect(problemOf('#VER A 1 20160105', '{', '#TRANS {} 5', '}')).toEqual([8, '#TRANS: expected account number, found an object list {…}']);
    expect(problemOf('#VER A 1 20160105', '{', '#TRANS 5010', '}')).toEqual([8, '#TRANS: missing amount']);
  });

  it('the block problems, as the official reads them', () => {
    expect(problemOf('#VER A 7 20160105', '#TRANS 5010 {} 100.00')).toEqual([7, '#VER on line 6 must be followed by a line with {, found "#TRANS 5010 {} 100.00"']);
    expect(problemOf('#VER A 7 20160105', `#TRANS 5010 {} 100.00 20160105 "${'x'.repeat(40)}"`)).toEqual([
      7,
      '#VER on line 6 must be followed by a line with {, found "#TRANS 5010 {} 100.00 20160105 \\"xxxxxxxx"',
    ]);
    expect(problemOf('{')).toEqual([6, '{ without a #VER before it']);
    expect(problemOf('#VER A 7 20160105', '{', '{')).toEqual([8, '{ without a #VER before it']);
    expect(problemOf('}')).toEqual([6, '} without an open #VER block']);
    expect(problemOf('#VER A 7 20160105', '{', '#TRANS 5010 {} 1', '#KONTO 5010 "Hyra"')).toEqual([9, '#VER block opened on line 6 is not closed with } before #KONTO']);
    expect(problemOf('#TRANS 5010 {} 1')).toEqual([6, '#TRANS outside a #VER block']);
    expect(problemOf('#RTRANS 5010 {} 1')).toEqual([6, '#RTRANS outside a #VER block']);
    expect(problemOf('#BTRANS 5010 {} 1')).toEqual([6, '#BTRANS outside a #VER block']);
  });

  it('a block not closed at the end names the #VER by series and number, or by its date', () => {
    const end = (ver: string) => {
      const e = sieError(sieOf(...HEAD, '#KONTO 5010 "Hyra"', ver, '{', '#TRANS 5010 {} 1'));
      return [e.line, e.problem];
    };
    expect(end('#VER A 7 20160105')).toEqual([7, '#VER A 7 is not closed with } before the end of the file']);
    expect(end('#VER A "" 20160105')).toEqual([7, '#VER A is not closed with } before the end of the file']);
    expect(end('#VER "" 7 20160105')).toEqual([7, '#VER 7 is not closed with } before the end of the file']);
    expect(end('#VER "" "" 20160105')).toEqual([7, '#VER of 2016-01-05 is not closed with } before the end of the file']);
    // waiting for its { at the end is the same
    expect(sieError(sieOf(...HEAD, '#VER A 7 20160105')).problem).toBe('#VER A 7 is not closed with } before the end of the file');
  });

  it('a line without a #label is warned of and left out', () => {
    const sie = parse(...HEAD, 'KONTO 7010 "Löner"', '#KONTO 7011 "Arvoden"');
    expect(sie.warnings).toEqual([{ line: 6, problem: 'line without a #label ignored' }]);
    expect([...sie.accounts.keys()]).toEqual(['7011']);
  });

  it('an unbalanced verification is warned of on its #VER line, naming it and the block\'s end', () => {
    const sie = parse(...HEAD, '#VER "" "" 20160105', '{', '#TRANS 5010 0.10', '#TRANS 5010 0.20', '}', '#VER X 9 20160106', '{', '#TRANS 5010 -0.30', '#TRANS 1930 0.30', '}');
    expect(sie.warnings).toEqual([{ line: 6, problem: '#VER of 2016-01-05 does not balance: its transactions sum to 0.30 (block closed on line 10)' }]);
  });

  it('a sum along the way beyond 2^53 öre is counted again exactly', () => {
    const big = '90071992547409.91';
    const sie = parse(...HEAD, '#VER A 1 20160105', '{', `#TRANS 5010 ${big}`, `#TRANS 5010 ${big}`, `#TRANS 1930 -${big}`, `#TRANS 1930 -${big}`, '}', '#VER A 2 20160105', '{', `#TRANS 5010 ${big}`, `#TRANS 5010 ${big}`, `#TRANS 1930 -${big}`, '#TRANS 1930 -1.00', '}');
    expect(sie.warnings).toEqual([{ line: 13, problem: '#VER A 2 does not balance: its transactions sum to 90071992547408.91 (block closed on line 19)' }]);
    // 2^53 + 1 öre is no number: along the way the 0.01 would be lost
    const lost = parse('#VER A 3 20160105', '{', `#TRANS 5010 ${big}`, '#TRANS 5010 0.01', '#TRANS 5010 0.01', `#TRANS 1930 -${big}`, '}');
    expect(lost.warnings).toEqual([{ line: 1, problem: '#VER A 3 does not balance: its transactions sum to 0.02 (block closed on line 7)' }]);
  });

  it('#TRANS on an account no #KONTO lists: a warning per line, in the order of the lines, with the other warnings', () => {
    const sie = parse(
      ...HEAD,
      '#KONTO 1930 "Bank"',
      '#VER A 1 20160105',
      '{',
      '#TRANS 7690 10.00',
      '#TRANS 5010 5.00',
      '#TRANS 1930 -15.00',
      '}',
      'skräp',
      '#VER A 2 20160106',
      '{',
      '#TRANS 7690 1.00',
      '#TRANS 1930 -2.00',
      '}',
      '#KONTO 5010 "Hyra"',
    );
    expect(sie.warnings).toEqual([
      { line: 9, problem: '#TRANS on account 7690, which no #KONTO lists' },
      { line: 13, problem: 'line without a #label ignored' },
      { line: 14, problem: '#VER A 2 does not balance: its transactions sum to -1.00 (block closed on line 18)' },
      { line: 16, problem: '#TRANS on account 7690, which no #KONTO lists' },
    ]);
    expect(sie.warningsLeftOut).toBe(0);
  });

  it('at most 1 000 warnings are kept, the first ones; the rest are counted', () => {
    expect(SIE_MAX_WARNINGS).toBe(1_000);
    const noise = parse(...HEAD, ...Array.from({ length: 1_003 }, (_, i) => `rad ${i}`));
    expect(noise.warnings).toHaveLength(1_000);
    expect(noise.warnings[999]).toEqual({ line: 1_005, problem: 'line without a #label ignored' });
    expect(noise.warningsLeftOut).toBe(3);
    // exactly 1 000: none left out
    expect(parse(...Array.from({ length: 1_000 }, () => 'x')).warningsLeftOut).toBe(0);
  });

  it('over 1 000 #TRANS on an account no #KONTO lists: the first 1 000 warned of, the rest counted', () => {
    const trans = Array.from({ length: 1_002 }, () => '#TRANS 7690 0');
    const sie = parse('#KONTO 1930 "Bank"', '#VER A 1 20160105', '{', ...trans, '}');
    expect(sie.warnings).toHaveLength(1_000);
    expect(sie.warnings[0]).toEqual({ line: 4, problem: '#TRANS on account 7690, which no #KONTO lists' });
    expect(sie.warnings[999].line).toBe(1_003);
    expect(sie.warningsLeftOut).toBe(2);
    // two accounts, their lines interleaved: the first 1 000 lines are the ones kept
    const both = parse('#KONTO 1930 "Bank"', '#VER A 1 20160105', '{', ...Array.from({ length: 1_002 }, (_, i) => `#TRANS ${i % 2 ? 7691 : 7690} 0`), '}');
    expect(both.warnings).toHaveLength(1_000);
    expect(both.warnings.map((w) => w.line)).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 4));
    expect(both.warnings[999]).toEqual({ line: 1_003, problem: '#TRANS on account 7691, which no #KONTO lists' });
    expect(both.warningsLeftOut).toBe(2);
  });

  it('a line longer than a SIE line can be is refused, naming the line', () => {
    expect(SIE_MAX_LINE).toBe(10_000);
    const fits = `#FNAMN "${'x'.repeat(SIE_MAX_LINE - 9)}"`;
    expect(fits).toHaveLength(SIE_MAX_LINE);
    expect(parse(fits).company.name).toHaveLength(SIE_MAX_LINE - 9);
    expect(problemOf(`#FNAMN "${'x'.repeat(SIE_MAX_LINE - 8)}"`)).toEqual([6, 'the line is 10001 characters long; a SIE line has at most 10000 (is this a SIE file?)']);
  });

  it('SieError: file:line: problem', () => {
    const e = sieError(sieOf('#FLAGGA 0', '}'), 'bokföring.se');
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.file, e.line, e.problem, e.message]).toEqual(['SieError', 'bokföring.se', 2, '} without an open #VER block', 'bokföring.se:2: } without an open #VER block']);
  });
});

// ---------------------------------------------------------------------------

describe('reading in slices, and summing the verifications as they are read', () => {
  it('parseSieSteps yields after every thousand lines and gives what parseSie gives', () => {
    const lines = Array.from({ length: 2_500 }, (_, i) => `#KONTO ${1000 + i} "K"`);
    const bytes = sieOf(...lines);
    const { value, yields } = slices(parseSieSteps(bytes, 'k.se'));
    expect(bytes.length).toBeLessThan(256 * 1024);
    expect(yields).toBe(2); // after lines 1 000 and 2 000; the bytes are one slice
    expect(value).toEqual(parseSie(bytes, 'k.se'));
    expect(value.accounts.size).toBe(2_500);
  });

  it('a large file is decoded and scanned a quarter megabyte at a time, and parsed 64 K characters at a time', () => {
    // 70 lines of 9 000 characters: some 630 000 bytes, three quarter megabytes
    const lines = Array.from({ length: 70 }, (_, i) => `#KONTO ${1000 + i} ${'x'.repeat(9_000)}`);
    const pc8 = Buffer.from([...lines, '#KONTO 7010 "L\xf6ner"'].join('\n') + '\n', 'latin1');
    expect(pc8.length).toBeGreaterThan(2 * 256 * 1024);
    expect(pc8.length).toBeLessThan(3 * 256 * 1024);
    // 2 looking for a non-ASCII byte (the ö in the last quarter), 3 reading as UTF-8 until the ö
    // shows it is not, 2 decoding as PC8, 2 looking for Latin-1 letters, and 8 parsing (a slice is
    // full after 8 lines of 9 000 characters)
    const read = slices(parseSieSteps(pc8, 'stor.se'));
    expect(read.yields).toBe(2 + 3 + 2 + 2 + 8);
    expect(read.value.accounts.size).toBe(71);
    // the Latin-1 ö far into the file is found on its line
    expect(read.value.warnings.map((w) => w.line)).toEqual([71]);
    // UTF-8 (the first line has an ä): 4 decoding (the last round makes sure no character is cut off), 8 parsing
    const utf8 = Buffer.from(['#FNAMN "Förbundet"', ...lines].join('\n') + '\n', 'utf8');
    const readUtf8 = slices(parseSieSteps(utf8, 'stor.se'));
    expect(readUtf8.value.encoding).toBe('utf-8');
    expect(readUtf8.yields).toBe(4 + 8);
  });

  it('sumVerifications: the verifications summed per date and account, none kept; a date without transactions is there too', () => {
    const bytes = sieOf(
      ...HEAD,
      '#VER A 1 20160105', '{', '#TRANS 5010 100.00', '#TRANS 1930 -100.00', '}',
      '#VER A 2 20160105', '{', '#TRANS 5010 0.50', '#TRANS 1930 -0.50', '}',
      '#VER A 3 20160201', '{', '}',
    );
    const sie = runSteps(parseSieSteps(bytes, 's.se', { sumVerifications: true }));
    expect(sie.verifications).toEqual([]);
    expect([...sie.verificationSums!].map(([d, m]) => [d, [...m]])).toEqual([
      ['2016-01-05', [['5010', 10_050n], ['1930', -10_050n]]],
      ['2016-02-01', []],
    ]);
    expect(sie.vouchers).toBeUndefined();
    expect(sie.vouchersLeftOut).toBeUndefined();
    // without the option: kept one by one, no sums
    const kept = parseSie(bytes, 's.se');
    expect(kept.verificationSums).toBeUndefined();
    expect(kept.verifications).toHaveLength(3);
    // keepVouchers alone does nothing: vouchers come with sums only
    expect(runSteps(parseSieSteps(bytes, 's.se', { keepVouchers: 5 })).vouchers).toBeUndefined();
  });

  it('keepVouchers: the transactions on result accounts, the first ones, with the text for the drill-down; the rest counted', () => {
    const bytes = sieOf(
      ...HEAD,
      '#VER A 1 20160105 "Hyra januari"', '{', '#TRANS 5010 100.00', '#TRANS 1930 -100.00', '#TRANS 3010 -1.00 "" "Avgift"', '#TRANS 2999 1.00', '}',
      '#VER B 2 20160106', '{', '#TRANS 8310 -2.00', '#TRANS 9999 2.00', '#TRANS 1930 2.00', '#TRANS 4010 -2.00', '}',
    );
    const sie = runSteps(parseSieSteps(bytes, 'v.se', { sumVerifications: true, keepVouchers: 3 }));
    expect(sie.vouchers).toEqual([
      { series: 'A', number: '1', date: '2016-01-05', text: 'Hyra januari', account: '5010', amountOre: 10_000 },
      { series: 'A', number: '1', date: '2016-01-05', text: 'Avgift', account: '3010', amountOre: -100 },
      { series: 'B', number: '2', date: '2016-01-06', account: '8310', amountOre: -200 },
    ]);
    expect(sie.vouchersLeftOut).toBe(1); // 4010; 9999 and the balance accounts are no outcome
    const none = runSteps(parseSieSteps(bytes, 'v.se', { sumVerifications: true, keepVouchers: 0 }));
    expect([none.vouchers, none.vouchersLeftOut]).toEqual([[], 4]);
    const all = runSteps(parseSieSteps(bytes, 'v.se', { sumVerifications: true, keepVouchers: 10 }));
    expect([all.vouchers!.length, all.vouchersLeftOut]).toEqual([4, 0]);
  });
});

// ---------------------------------------------------------------------------

describe('the outcome per budget line', () => {
  const rent = (date: string, amount: string, account = '5010') => [`#VER A 1 ${date}`, '{', `#TRANS ${account} ${amount}`, '}'];

  it('through a month of a broken fiscal year that runs into the next calendar year', () => {
    const sie = parse('#RAR 0 20160501 20170430', ...rent('20160501', '1.00'), ...rent('20170115', '2.00'), ...rent('20170430', '4.00'), ...rent('20170501', '8.00'), ...rent('20160430', '16.00'));
    const map = [{ line: 'Lokaler', accounts: ['5010'] }];
    expect(actualsFromSie(sie, map, 8)).toEqual({ byLine: { Lokaler: 1 }, unmapped: [], months: 8, source: 'verifications', from: '2016-05-01', through: '2016-12-31' });
    expect(actualsFromSie(sie, map, 9)).toMatchObject({ byLine: { Lokaler: 3 }, through: '2017-01-31' });
    expect(actualsFromSie(sie, map, 12)).toMatchObject({ byLine: { Lokaler: 7 }, through: '2017-04-30' });
    expect(() => actualsFromSie(sie, map, 13)).toThrow("throughMonth must be a whole number from 1 to 12 (the fiscal year's months), got 13");
    expect(() => actualsFromSie(sie, map, 1.5)).toThrow(RangeError);
    expect(() => actualsFromSie(sie, map, 0)).toThrow(RangeError);
    expect(actualsFromSie(sie, map, 1).through).toBe('2016-05-31');
  });

  it('the last day of each month, February in a leap year, and a fiscal year that ends mid-month', () => {
    const sie = parse('#RAR 0 20160101 20161215');
    const through = (m: number) => actualsFromSie(sie, [], m).through;
    expect([1, 2, 3, 4, 6, 9, 11, 12].map(through)).toEqual(['2016-01-31', '2016-02-29', '2016-03-31', '2016-04-30', '2016-06-30', '2016-09-30', '2016-11-30', '2016-12-15']);
    expect(actualsFromSie(parse('#RAR 0 20170101 20171231'), [], 2).through).toBe('2017-02-28');
    // a long fiscal year (the first may be up to 18 months)
    const long = parse('#RAR 0 20160701 20171231', ...rent('20171231', '1.00'));
    expect(actualsFromSie(long, [{ line: 'L', accounts: ['5010'] }], 18)).toMatchObject({ byLine: { L: 1 }, through: '2017-12-31' });
    expect(() => actualsFromSie(long, [], 19)).toThrow('from 1 to 18');
  });

  it('whole kronor per line, halves away from zero; income turned positive, costs as booked', () => {
    const sie = parse(...HEAD, ...rent('20160105', '0.50'), ...rent('20160105', '-0.50', '5020'), ...rent('20160105', '0.49', '5030'), ...rent('20160105', '-0.49', '5040'), ...rent('20160105', '-1000.50', '3010'), ...rent('20160105', '12.50', '3020'), ...rent('20160105', '-7.00', '8310'));
    const one = (account: string) => ({ line: account, accounts: [account] });
    expect(actualsFromSie(sie, ['5010', '5020', '5030', '5040', '3010', '3020', '8310'].map(one), 1).byLine).toEqual({ '5010': 1, '5020': -1, '5030': 0, '5040': 0, '3010': 1_001, '3020': -13, '8310': -7 });
    expect(oreToKr(150n)).toBe(2n);
    expect(oreToKr(-150n)).toBe(-2n);
    expect(oreToKr(149n)).toBe(1n);
    expect(oreToKr(-149n)).toBe(-1n);
    expect(oreToKr(0n)).toBe(0n);
    expect(lineSignedOre('3010', -500n)).toBe(500n);
    expect(lineSignedOre('4010', 500n)).toBe(500n);
    expect(lineSignedOre('8310', -500n)).toBe(-500n);
  });

  it('account patterns: exact, ranges (same number of digits, spaces allowed), prefixes; the first line that matches wins', () => {
    const sie = parse(...HEAD, ...['3000', '3050', '3099', '3100', '30500', '4010', '4110', '5010', '6000', '7000'].flatMap((a) => rent('20160105', '1.00', a)));
    const mapping: AccountMapping[] = [
      { line: 'Avgifter', accounts: [' 3000 - 3099 '] },
      { line: 'Projekt', accounts: ['40*'] },
      { line: 'Insatser', accounts: ['4*', '5010'] },
      { line: 'Övrigt', accounts: [' 6000 '] },
    ];
    const a = actualsFromSie(sie, mapping, 12);
    expect(a.byLine).toEqual({ Avgifter: -3, Projekt: 1, Insatser: 2, Övrigt: 1 });
    expect(a.unmapped).toEqual([
      { account: '30500', amountKr: -1 },
      { account: '3100', amountKr: -1 },
      { account: '7000', amountKr: 1 },
    ]);
    expect(() => actualsFromSie(sie, [{ line: 'X', accounts: ['300-3099'] }], 1)).toThrow('budget line "X": bad account range "300-3099" (expected e.g. 3000-3099)');
    expect(() => actualsFromSie(sie, [{ line: 'X', accounts: ['3100-3000'] }], 1)).toThrow('budget line "X": bad account range "3100-3000" (expected e.g. 3000-3099)');
    expect(actualsFromSie(sie, [{ line: 'X', accounts: ['3050-3050'] }], 1).byLine).toEqual({ X: -1 });
    expect(actualsFromSie(sie, [{ line: 'X', accounts: ['3050-3099'] }], 1).byLine).toEqual({ X: -2 });
    expect(() => actualsFromSie(sie, [{ line: 'X', accounts: ['4**'] }], 1)).toThrow('budget line "X": bad account pattern "4**" (use 3010, 3000-3099 or 4*)');
    expect(() => actualsFromSie(sie, [{ line: 'X', accounts: ['x4*'] }], 1)).toThrow('bad account pattern "x4*"');
    expect(() => actualsFromSie(sie, [{ line: 'X', accounts: ['3000-3099x'] }], 1)).toThrow('bad account pattern "3000-3099x"');
    expect(() => actualsFromSie(sie, [{ line: 'X', accounts: ['a3000-3099'] }], 1)).toThrow('bad account pattern "a3000-3099"');
    expect(() => actualsFromSie(sie, [{ line: 'X', accounts: ['3010x'] }], 1)).toThrow('bad account pattern "3010x"');
    expect(() => actualsFromSie(sie, [{ line: 'X', accounts: ['x3010'] }], 1)).toThrow('bad account pattern "x3010"');
  });

  it('a range maps only account numbers of digits', () => {
    const sie = parse(...HEAD, '#KONTO 3A00 "Konto"', ...rent('20160105', '-1.00', '3A00'), ...rent('20160105', '-2.00', '3100'));
    expect(actualsFromSie(sie, [{ line: 'X', accounts: ['3000-4999'] }], 1)).toMatchObject({ byLine: { X: 2 }, unmapped: [{ account: '3A00', name: 'Konto', amountKr: 1 }] });
  });

  it('only result accounts 3000–8999 count; an unmapped account that nets to zero is not listed', () => {
    const sie = parse(...HEAD, '#KONTO 7010 "Löner"', ...['1930', '2440', '9010', '7010', '3010'].flatMap((a) => rent('20160105', '1.00', a)), ...rent('20160205', '-1.00', '7010'), ...rent('20160105', '0.40', '6000'));
    expect(actualsFromSie(sie, [{ line: 'Allt', accounts: ['*'] }], 12).byLine).toEqual({ Allt: -1 + 0 + 0 });
    expect(actualsFromSie(sie, [], 1).unmapped).toEqual([
      { account: '3010', amountKr: -1 },
      { account: '6000', amountKr: 0 },
      { account: '7010', name: 'Löner', amountKr: 1 },
    ]);
    expect(actualsFromSie(sie, [], 2).unmapped.map((u) => u.account)).toEqual(['3010', '6000']);
  });

  it('the fiscal year from #RAR 0 only; verifications on its first and last day count, outside it not', () => {
    const sie = parse('#RAR -1 20150101 20151231', '#RAR 0 20160101 20161231', ...rent('20151231', '1.00'), ...rent('20160101', '2.00'), ...rent('20161231', '4.00'), ...rent('20170101', '8.00'));
    expect(actualsFromSie(sie, [{ line: 'L', accounts: ['5010'] }], 12)).toMatchObject({ byLine: { L: 6 }, from: '2016-01-01', through: '2016-12-31' });
    expect(actualsFromSie(sie, [{ line: 'L', accounts: ['5010'] }], 11).byLine).toEqual({ L: 2 });
    expect(() => actualsFromSie(parse('#RAR -1 20150101 20151231'), [], 1)).toThrow('t.se: no #RAR 0 (the fiscal year), so the months to sum are unknown');
  });

  it('the #PSALDO totals of the year when no verification is in it: not other years, not per object, not outside the months', () => {
    const sie = parse(
      ...HEAD,
      ...rent('20150105', '1000.00'),
      '#PSALDO 0 201601 5010 1.00',
      '#PSALDO 0 201601 5010 {6 SFS} 1.00',
      '#PSALDO -1 201601 5010 2.00',
      '#PSALDO 0 201512 5010 4.00',
      '#PSALDO 0 201701 5010 8.00',
      '#PSALDO 0 201612 5010 16.00',
      '#PSALDO 0 201612 3010 -16.00',
    );
    const map = [{ line: 'L', accounts: ['5010'] }];
    expect(actualsFromSie(sie, map, 12)).toMatchObject({ byLine: { L: 17 }, source: 'periodBalances', unmapped: [{ account: '3010', amountKr: 16 }] });
    expect(actualsFromSie(sie, map, 11).byLine).toEqual({ L: 1 });
    // a verification in the year: the #PSALDO are not read
    const both = parse(...HEAD, '#PSALDO 0 201601 5010 1.00', ...rent('20160305', '5.00'));
    expect(actualsFromSie(both, map, 12)).toMatchObject({ byLine: { L: 5 }, source: 'verifications' });
  });

  it('summed verifications (sumVerifications) count only in the fiscal year', () => {
    const bytes = sieOf(...HEAD, ...rent('20151231', '1.00'), ...rent('20160101', '2.00'), ...rent('20161231', '4.00'), ...rent('20170101', '8.00'));
    const sie = runSteps(parseSieSteps(bytes, 's.se', { sumVerifications: true }));
    expect(actualsFromSie(sie, [{ line: 'L', accounts: ['5010'] }], 12)).toMatchObject({ byLine: { L: 6 }, source: 'verifications' });
    const outside = runSteps(parseSieSteps(sieOf(...HEAD, ...rent('20170101', '8.00'), '#PSALDO 0 201603 5010 3.00'), 's.se', { sumVerifications: true }));
    expect(actualsFromSie(outside, [{ line: 'L', accounts: ['5010'] }], 12)).toMatchObject({ byLine: { L: 3 }, source: 'periodBalances' });
    const none = runSteps(parseSieSteps(sieOf(...HEAD, ...rent('20170101', '8.00')), 's.se', { sumVerifications: true }));
    expect(actualsFromSie(none, [{ line: 'L', accounts: ['5010'] }], 12)).toMatchObject({ byLine: { L: 0 }, source: 'none' });
  });
});

// ---------------------------------------------------------------------------

describe('the outcome month by month (monthlyActualsFromSieSteps)', () => {
  const ver = (date: string, ...trans: string[]) => [`#VER A 1 ${date}`, '{', ...trans.map((t) => `#TRANS ${t}`), '}'];

  it('each month the difference of the rounded outcome to date, through the last month with entries', () => {
    const sie = parse(
      ...HEAD,
      '#KONTO 5010 "Lokalhyra"',
      '#KONTO 3010 "Medlemsavgift"',
      '#KONTO 1930 "Bank"',
      ...ver('20160115', '5010 0.60', '3010 -100.00', '1930 99.40'),
      ...ver('20160315', '5010 0.60', '7690 3.00', '1930 -3.60'),
      ...ver('20160415', '4010 5.00', '4010 -5.00'),
    );
    const m = monthly(sie, [
      { line: 'Lokaler', accounts: ['5010'] },
      { line: 'Avgifter', accounts: ['3*'] },
      { line: 'Lokaler', accounts: ['50*'] },
      { line: 'Projekt', accounts: ['4*'] },
    ]);
    expect(m.lastMonth).toBe(4);
    expect(m.source).toBe('verifications');
    expect(m.fiscalYear).toEqual({ start: '2016-01-01', end: '2016-12-31' });
    expect(m.rows).toEqual([
      { line: 'Lokaler', month: 1, amountKr: 1n },
      { line: 'Avgifter', month: 1, amountKr: 100n },
      { line: 'Projekt', month: 1, amountKr: 0n },
      { line: 'Lokaler', month: 2, amountKr: 0n },
      { line: 'Avgifter', month: 2, amountKr: 0n },
      { line: 'Projekt', month: 2, amountKr: 0n },
      { line: 'Lokaler', month: 3, amountKr: 0n }, // 1.20 to date rounds to 1, as through February
      { line: 'Avgifter', month: 3, amountKr: 0n },
      { line: 'Projekt', month: 3, amountKr: 0n },
      { line: 'Lokaler', month: 4, amountKr: 0n },
      { line: 'Avgifter', month: 4, amountKr: 0n },
      { line: 'Projekt', month: 4, amountKr: 0n },
    ]);
    expect(m.unmapped).toEqual([{ account: '7690', amountKr: 3 }]);
    expect(m.accounts).toStrictEqual([
      { account: '1930', name: 'Bank', bookedOre: 9_580n },
      { account: '3010', name: 'Medlemsavgift', line: 'Avgifter', bookedOre: -10_000n },
      { account: '4010', line: 'Projekt', bookedOre: 0n },
      { account: '5010', name: 'Lokalhyra', line: 'Lokaler', bookedOre: 120n },
      { account: '7690', bookedOre: 300n },
    ]);
    // the months add up to actualsFromSie through each month
    for (const month of [1, 2, 3, 4]) {
      const to = actualsFromSie(sie, [{ line: 'Lokaler', accounts: ['5010'] }], month).byLine.Lokaler;
      expect(Number(m.rows.filter((r) => r.line === 'Lokaler' && r.month <= month).reduce((s, r) => s + r.amountKr, 0n))).toBe(to);
    }
  });

  it('a balance-sheet account is listed with what was booked on it, never with a line, even under a catch-all', () => {
    const sie = parse(...HEAD, ...ver('20160105', '5010 2.00', '1930 -2.00'));
    expect(monthly(sie, [{ line: 'Allt', accounts: ['*'] }]).accounts).toStrictEqual([
      { account: '1930', bookedOre: -200n },
      { account: '5010', line: 'Allt', bookedOre: 200n },
    ]);
  });

  it('rounding per month to date: three months of 0.50 give 1, 0, 1', () => {
    const sie = parse(...HEAD, ...ver('20160105', '5010 0.50'), ...ver('20160205', '5010 0.50'), ...ver('20160305', '5010 0.50'), ...ver('20160305', '6010 -0.50'));
    expect(monthly(sie, [{ line: 'L', accounts: ['5010'] }, { line: 'N', accounts: ['6010'] }]).rows.map((r) => [r.line, r.month, r.amountKr])).toEqual([
      ['L', 1, 1n], ['N', 1, 0n],
      ['L', 2, 0n], ['N', 2, 0n],
      ['L', 3, 1n], ['N', 3, -1n],
    ]);
  });

  it('an unmapped account with entries in the fiscal year\'s last month', () => {
    const sie = parse(...HEAD, ...ver('20161231', '7020 1.00'));
    expect(monthly(sie, [])).toMatchObject({ lastMonth: 12, unmapped: [{ account: '7020', amountKr: 1 }], rows: [] });
  });

  it('an unmapped account counts through the last month; one that nets to zero is left out', () => {
    const sie = parse(...HEAD, '#KONTO 7010 "Löner"', ...ver('20160105', '7010 10.00', '7020 1.00'), ...ver('20160205', '7010 -10.00', '3010 -0.40', '1930 5'));
    expect(monthly(sie, []).unmapped).toEqual([
      { account: '3010', amountKr: 0 },
      { account: '7020', amountKr: 1 },
    ]);
  });

  it('from the #PSALDO totals when no verification is in the year; nothing: no months', () => {
    const sie = parse(...HEAD, '#PSALDO 0 201602 5010 3.00', '#PSALDO 0 201602 5010 {6 P} 3.00');
    expect(monthly(sie, [{ line: 'L', accounts: ['5010'] }])).toMatchObject({
      lastMonth: 2,
      source: 'periodBalances',
      rows: [{ line: 'L', month: 1, amountKr: 0n }, { line: 'L', month: 2, amountKr: 3n }],
      accounts: [{ account: '5010', line: 'L', bookedOre: 300n }],
    });
    expect(monthly(parse(...HEAD), [{ line: 'L', accounts: ['5010'] }])).toEqual({
      lastMonth: 0,
      rows: [],
      unmapped: [],
      source: 'none',
      fiscalYear: { start: '2016-01-01', end: '2016-12-31' },
      accounts: [],
    });
    expect(() => monthly(parse('#FLAGGA 0'), [])).toThrow('t.se: no #RAR 0');
  });

  it('many entries are summed in slices', () => {
    const sie: SieFile = {
      ...parse(...HEAD),
      verifications: Array.from({ length: 10_000 }, (_, n) => ({ series: 'A', number: String(n), date: '2016-01-05', line: n, transactions: [{ account: '5010', amountOre: 100, objects: [] }] })),
    };
    const { value, yields } = slices(monthlyActualsFromSieSteps(sie, [{ line: 'L', accounts: ['5010'] }]));
    expect(value.rows).toEqual([{ line: 'L', month: 1, amountKr: 10_000n }]);
    expect(yields).toBe(1); // 20 000 entries (verifications and transactions): a slice
    const psaldo: SieFile = { ...parse(...HEAD), periodBalances: Array.from({ length: 20_000 }, () => ({ yearIndex: 0, period: '2016-01', account: '5010', amountOre: 100, objects: [] })) };
    const p = slices(monthlyActualsFromSieSteps(psaldo, [{ line: 'L', accounts: ['5010'] }]));
    expect(p.value.rows).toEqual([{ line: 'L', month: 1, amountKr: 20_000n }]);
    expect(p.yields).toBe(1);
  });
});

// ---------------------------------------------------------------------------

describe("reconciliation: the förbund's books for the year", () => {
  const year2016 = [{ index: 0, start: '2016-01-01' as const, end: '2016-12-31' as const }];

  it('organisation numbers: ten digits, however written', () => {
    expect(orgNrDigits('222000-2600')).toBe('2220002600');
    expect(orgNrDigits('2220002600')).toBe('2220002600');
    expect(orgNrDigits('16222000-2600')).toBe('2220002600');
    expect(orgNrDigits(' 222000 2600 ')).toBe('2220002600');
    expect(orgNrDigits('16 2220002600')).toBe('2220002600');
    expect(orgNrDigits(undefined)).toBeUndefined();
    for (const bad of ['x162220002600', '1622200026001', '222000-260', '22200026001', '17222000-2600', '162220002600x', 'x2220002600', 'ab0000-0000', '']) expect(orgNrDigits(bad), bad).toBeUndefined();
  });

  it("another organisation's books are refused, in Swedish for the official", () => {
    const r = sieIdentity({ fileName: 'kumla.se', company: { orgNr: '212000-1967' }, fiscalYears: year2016 }, { orgNr: '222000-2600', year: 2016 });
    expect(r).toEqual({
      problems: [
        {
          kind: 'orgNr',
          problem: "the organisation number in the file (212000-1967) is not the förbund's (222000-2600): these are another organisation's books",
          sv: 'kumla.se: organisationsnumret i filen (212000-1967) är inte förbundets (222000-2600). Filen är en annan organisations bokföring; inget är inläst.',
        },
      ],
      warnings: [],
    });
    // a number that is no organisation number is no match, unless written the same
    const kind = (fileNr: string, forbundNr: string) => sieIdentity({ fileName: 'x.se', company: { orgNr: fileNr }, fiscalYears: year2016 }, { orgNr: forbundNr, year: 2016 }).problems.map((p) => p.kind);
    expect(kind('556677-889', '222000-260')).toEqual(['orgNr']);
    expect(kind('222000-2600', '222000-260')).toEqual(['orgNr']);
    expect(kind('222000-260', '222000-2600')).toEqual(['orgNr']);
    expect(kind('222000-260', '222000-260')).toEqual([]);
    expect(kind('2220002600', '222000-2600')).toEqual([]);
  });

  it('without an organisation number on either side it cannot be checked: a warning, not a refusal', () => {
    expect(sieIdentity({ fileName: 'x.se', company: {}, fiscalYears: year2016 }, { year: 2016 })).toEqual({
      problems: [],
      warnings: ["x.se has no #ORGNR, so it could not be checked that it is the förbund's books"],
    });
    expect(sieIdentity({ fileName: 'x.se', company: { orgNr: '222000-2600' }, fiscalYears: year2016 }, { year: 2016 })).toEqual({
      problems: [],
      warnings: ["the förbund file gives no organisation number (forbund.organisationNumber), so the file's #ORGNR 222000-2600 could not be checked"],
    });
  });

  it('a file without #RAR 0, or of another year, is refused in Swedish', () => {
    expect(sieIdentity({ fileName: 'x.se', company: { orgNr: '222000-2600' }, fiscalYears: [{ index: -1, start: '2016-01-01', end: '2016-12-31' }] }, { orgNr: '2220002600', year: 2016 }).problems).toEqual([
      {
        kind: 'year',
        problem: "the file gives no fiscal year (#RAR 0), so it cannot be seen to be 2016's",
        sv: 'x.se: filen anger inget räkenskapsår (#RAR 0), så det går inte att se att den gäller 2016.',
      },
    ]);
    expect(sieIdentity({ fileName: 'x.se', company: {}, fiscalYears: [{ index: 0, start: '2015-07-01', end: '2016-06-30' }] }, { year: 2016 }).problems).toEqual([
      {
        kind: 'year',
        problem: "the file's fiscal year (#RAR 0) is 2015-07-01–2016-06-30, not 2016",
        sv: 'x.se: filens räkenskapsår (#RAR 0) är 2015-07-01–2016-06-30, inte budgetåret 2016.',
      },
    ]);
    // a broken fiscal year that starts in the budget year is that year's
    expect(sieIdentity({ fileName: 'x.se', company: {}, fiscalYears: [{ index: 0, start: '2016-07-01', end: '2017-06-30' }] }, { year: 2016 }).problems).toEqual([]);
  });

  it('both wrong: both problems', () => {
    const r = sieIdentity({ fileName: 'x.se', company: { orgNr: '212000-1967' }, fiscalYears: [] }, { orgNr: '222000-2600', year: 2016 });
    expect(r.problems.map((p) => p.kind)).toEqual(['orgNr', 'year']);
  });
});

describe('reconciliation: the equity at the start of the year', () => {
  const ib = (yearIndex: number, account: string, amountOre: number, kind: 'IB' | 'UB' = 'IB') => ({ kind, yearIndex, account, amountOre });

  it('minus the opening balances of the equity accounts (BAS 20xx), this year only', () => {
    expect(
      equityAtStart({
        balances: [ib(0, '2099', -50_000), ib(0, '2091', -150_000), ib(0, '2091', -1), ib(0, '1200', 3), ib(0, '1930', 999_999), ib(0, '2440', -5), ib(-1, '2091', -7), ib(0, '2010', -3, 'UB'), ib(0, '3010', -1)],
      }),
    ).toEqual({ ore: 200_001n, from: 'equity-accounts', accounts: ['2091', '2099'] });
  });

  it('without an equity account: the assets less the liabilities of the opening balance', () => {
    expect(equityAtStart({ balances: [ib(0, '2440', -31_250), ib(0, '1930', 1_850_000), ib(0, '1930', 1), ib(0, '3010', 77), ib(-1, '2091', -5), ib(0, '2210', 0)] })).toEqual({
      ore: 1_818_751n,
      from: 'net-assets',
      accounts: ['1930', '2210', '2440'],
    });
  });

  it('no opening balance of this year on a balance account: none', () => {
    expect(equityAtStart({ balances: [] })).toBeUndefined();
    expect(equityAtStart({ balances: [ib(-1, '1930', 5), ib(0, '1930', 5, 'UB'), ib(0, '3010', 5), ib(0, '9010', 5)] })).toBeUndefined();
  });
});

describe('reconciliation: #RES against the entries', () => {
  const accounts = new Map([['7631', { name: 'Styrelsearvoden' }], ['3010', { name: '' }]]);
  const res = (account: string, amountOre: number, line?: number, yearIndex = 0) => ({ yearIndex, account, amountOre, ...(line !== undefined ? { line } : {}) });
  const booked = (account: string, bookedOre: bigint) => ({ account, bookedOre });

  it('the accounts where they differ, by account, with the #RES line and name', () => {
    const d = resDifferences(
      { accounts, results: [res('7631', 11_000_000, 40), res('7631', 0, 41), res('5010', 100, 42), res('3010', -500, 43), res('4010', 7, 44, -1), res('1930', 9, 45)] },
      [booked('7631', 10_385_800n), booked('5010', 100n), booked('3010', -400n), booked('6000', 3n), booked('1930', 1n), booked('4010', 7n)],
      'verifications',
    );
    expect(d).toStrictEqual([
      { account: '3010', line: 43, resOre: -500n, entriesOre: -400n },
      { account: '4010', resOre: 0n, entriesOre: 7n },
      { account: '6000', resOre: 0n, entriesOre: 3n },
      { account: '7631', name: 'Styrelsearvoden', line: 40, resOre: 11_000_000n, entriesOre: 10_385_800n },
    ]);
  });

  it('a #RES without entries is a difference; several #RES of one account add up, the first line named', () => {
    expect(resDifferences({ accounts, results: [res('7631', 100), res('7631', 200, 9), res('7631', 1, 10)] }, [], 'periodBalances')).toEqual([
      { account: '7631', name: 'Styrelsearvoden', line: 9, resOre: 301n, entriesOre: 0n },
    ]);
  });

  it('nothing to compare: no #RES for the year, or no entries', () => {
    expect(resDifferences({ accounts, results: [res('7631', 100, 1, -1), res('1930', 5, 2)] }, [booked('7631', 1n)], 'verifications')).toEqual([]);
    expect(resDifferences({ accounts, results: [res('7631', 100, 1)] }, [], 'none')).toEqual([]);
    expect(resDifferences({ accounts, results: [res('7631', 100, 1)] }, [booked('7631', 100n)], 'verifications')).toEqual([]);
  });

  it('from a parsed file, as the upload reconciles it', () => {
    const sie = parse(...HEAD, '#KONTO 7631 "Styrelsearvoden"', '#RES 0 7631 1100.00', '#RES -1 7631 5.00', '#VER A 1 20160105', '{', '#TRANS 7631 1038.58', '#TRANS 1930 -1038.58', '}');
    const m = monthly(sie, []);
    expect(resDifferences(sie, m.accounts, m.source)).toEqual([{ account: '7631', name: 'Styrelsearvoden', line: 7, resOre: 110_000n, entriesOre: 103_858n }]);
  });
});
