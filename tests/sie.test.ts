import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sieError } from './support/sie.js';
import {
  SIE_MAX_LINE,
  SIE_MAX_WARNINGS,
  actualsFromSie,
  decodeCp437,
  decodeSie,
  formatOre,
  monthlyActualsFromSieSteps,
  parseSie,
  parseSieAmount,
  parseSieSteps,
  runSteps,
  type AccountMapping,
  type SieFile,
} from '../domain/sie.js';
import { ActualsCsvError, CSV_MAX_LINE, parseActualsCsv, readActualsCsvSteps } from '../domain/utfall-csv.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/sie/${name}`, import.meta.url));
/** The CP437 (PC8) export, CRLF, as Visma writes it; the UTF-8 variant is the same text with LF. */
const PC8 = 'sydnarke-2016.se';
const UTF8 = 'sydnarke-2016-utf8.se';
const pc8Bytes = fixture(PC8);
const sydnarke = parseSie(pc8Bytes, PC8);

/** A SIE file from lines, as UTF-8 (ASCII lines read the same as CP437). */
const sieOf = (...lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');

const HEAD = ['#FLAGGA 0', '#FORMAT PC8', '#SIETYP 4', '#FNAMN "Test"', '#RAR 0 20160101 20161231'];


const MAPPING: AccountMapping[] = [
  { line: 'Medlemsavgifter', accounts: ['3010-3012'] },
  { line: 'Insatser', accounts: ['4*'] },
  { line: 'Lokaler', accounts: ['5010'] },
  { line: 'Revision', accounts: ['6420'] },
  { line: 'Bank', accounts: ['6570'] },
  { line: 'Personal', accounts: ['7010', '7510'] },
];

describe('SIE fixture on disk', () => {
  it('is really CP437: å ä ö Ö as the single bytes 0x86 0x84 0x94 0x99, no UTF-8', () => {
    for (const b of [0x86, 0x84, 0x94, 0x99]) expect(pc8Bytes.includes(b)).toBe(true);
    expect(pc8Bytes.includes(Buffer.from('ä', 'utf8'))).toBe(false);
    expect(pc8Bytes.includes(Buffer.from('Sydn\x84rke', 'latin1'))).toBe(true);
    expect(pc8Bytes.includes(Buffer.from('\r\n'))).toBe(true);
  });
});

describe('parseSie', () => {
  it('decodes PC8 (CP437) names with å ä ö', () => {
    expect(sydnarke.encoding).toBe('cp437');
    expect(sydnarke.company).toEqual({ name: 'Samordningsförbundet Sydnärke', orgNr: '222000-2600' });
    expect(sydnarke.accounts.get('3010')).toEqual({ name: 'Medlemsavgift Försäkringskassan', type: 'I' });
    expect(sydnarke.accounts.get('3011')?.name).toBe('Medlemsavgift Region Örebro län');
    expect(sydnarke.accounts.get('2731')?.name).toBe('Avräkning lagstadgade sociala avgifter');
    expect(sydnarke.accounts.get('4010')).toEqual({ name: 'Projektmedel Steg för steg', type: 'K' });
    expect(sydnarke.accounts.get('4020')?.name).toBe('Projektmedel Lärande i arbete');
    expect(sydnarke.accounts.get('7010')?.name).toBe('Löner');
    expect(sydnarke.accounts.get('8310')?.name).toBe('Ränteintäkter');
    expect(sydnarke.accounts.size).toBe(17);
  });

  it('reads the header labels and the fiscal years', () => {
    expect(sydnarke).toMatchObject({
      fileName: PC8,
      flag: 0,
      format: 'PC8',
      sieType: 4,
      program: 'Visma Administration 2000 2016.1',
      generated: '2016-07-05',
    });
    expect(sydnarke.fiscalYears).toEqual([
      { index: 0, start: '2016-01-01', end: '2016-12-31' },
      { index: -1, start: '2015-01-01', end: '2015-12-31' },
    ]);
    expect(sydnarke.ignored).toEqual({ '#ADRESS': 1, '#KPTYP': 1, '#VALUTA': 1, '#DIM': 1, '#OBJEKT': 1 });
    expect(sydnarke.warnings).toEqual([]);
  });

  it('reads the verifications with their transactions, quoted texts, escapes, dates and objects', () => {
    const vers = sydnarke.verifications;
    expect(vers).toHaveLength(25);
    expect(vers.filter((v) => v.series === 'A')).toHaveLength(19);
    expect(vers.filter((v) => v.date <= '2016-03-31')).toHaveLength(13);
    expect(vers[0]).toEqual({
      series: 'A',
      number: '1',
      date: '2016-01-04',
      text: 'Medlemsavgift Försäkringskassan kv 1',
      line: expect.any(Number),
      transactions: [
        { account: '1930', amountOre: 60_000_000, objects: [] },
        { account: '3010', amountOre: -60_000_000, objects: [] },
      ],
    });
    const kommunerna = vers.find((v) => v.text === 'Medlemsavgifter kommunerna kv 1')!;
    expect(kommunerna.transactions.map((t) => t.text)).toEqual([
      undefined,
      'Kumla kommun',
      'Hallsbergs kommun',
      'Askersunds kommun',
      'Laxå kommun',
      'Lekebergs kommun',
    ]);
    expect(kommunerna.transactions[4].date).toBeUndefined(); // "" = no transaction date
    const kurs = vers.find((v) => v.series === 'B' && v.number === '5')!;
    expect(kurs.text).toBe('Kurs "Motiverande samtal" för koordinatorer');
    expect(kurs.transactions[0]).toEqual({ account: '7610', amountOre: 450_000, date: '2016-06-14', objects: [] });
    const steg = vers.find((v) => v.series === 'B' && v.number === '1')!;
    expect(steg.transactions[0].objects).toEqual([{ dimension: '6', id: 'SFS' }]);
    // every verification balances
    for (const v of vers) expect(v.transactions.reduce((s, t) => s + t.amountOre, 0)).toBe(0);
  });

  it('keeps amounts exact in öre (1234.56 + 0.44, 0.10 + 0.20)', () => {
    const bank = sydnarke.verifications
      .flatMap((v) => v.transactions.map((t) => ({ ...t, vdate: v.date })))
      .filter((t) => t.account === '6570');
    expect(bank.map((t) => t.amountOre)).toEqual([123_456, 44, 10, 20]);
    expect(bank[0].amountOre + bank[1].amountOre).toBe(123_500);
    expect(bank.reduce((s, t) => s + t.amountOre, 0)).toBe(123_530);
    expect(0.1 + 0.2).not.toBe(0.3); // why öre: floats drift
    expect(sydnarke.results.find((r) => r.yearIndex === 0 && r.account === '6570')?.amountOre).toBe(123_530);
    expect(sydnarke.results.find((r) => r.yearIndex === -1 && r.account === '7510')?.amountOre).toBe(16_966_800);
  });

  it('reads balances, results and period balances (totals and per object)', () => {
    const bal = (kind: 'IB' | 'UB', yearIndex: number, account: string) =>
      sydnarke.balances.find((b) => b.kind === kind && b.yearIndex === yearIndex && b.account === account)?.amountOre;
    expect(bal('IB', -1, '1930')).toBe(152_340_025);
    expect(bal('IB', 0, '1930')).toBe(bal('UB', -1, '1930'));
    const bank1930 = sydnarke.verifications.flatMap((v) => v.transactions).filter((t) => t.account === '1930');
    expect(bal('UB', 0, '1930')).toBe(bal('IB', 0, '1930')! + bank1930.reduce((s, t) => s + t.amountOre, 0));

    expect(sydnarke.periodBalances.find((p) => p.period === '2015-12' && p.account === '3010')).toEqual({
      yearIndex: -1,
      period: '2015-12',
      account: '3010',
      amountOre: -60_000_000,
      objects: [],
    });
    const steg = sydnarke.periodBalances.filter((p) => p.account === '4010' && p.period === '2016-06');
    expect(steg.map((p) => p.objects)).toEqual([[], [{ dimension: '6', id: 'SFS' }]]);
    expect(steg.every((p) => p.amountOre === 12_500_050)).toBe(true);
  });

  it('detects a UTF-8 variant (LF line ends) and reads the same content', () => {
    const utf8 = parseSie(fixture(UTF8), UTF8);
    expect(utf8.encoding).toBe('utf-8');
    expect(utf8.company.name).toBe('Samordningsförbundet Sydnärke');
    const { encoding: _e, fileName: _f, ...rest } = utf8;
    const { encoding: _e2, fileName: _f2, ...expected } = sydnarke;
    expect(rest).toEqual(expected);
  });

  it('reads a UTF-8 file with a byte order mark, and ASCII-only files as CP437', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), sieOf(...HEAD)]);
    expect(parseSie(bom, 'bom.se')).toMatchObject({ encoding: 'utf-8', flag: 0, company: { name: 'Test' } });
    expect(parseSie(sieOf(...HEAD), 'ascii.se').encoding).toBe('cp437');
  });

  it('decodes CP437 bytes', () => {
    const bytes = Uint8Array.from([0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99, 0x82, 0x41]);
    expect(decodeCp437(bytes)).toBe('åäöÅÄÖéA');
    expect(decodeSie(bytes)).toEqual({ text: 'åäöÅÄÖéA', encoding: 'cp437' });
  });

  it('warns when the bytes look Latin-1 rather than PC8', () => {
    const latin1 = Buffer.from([...HEAD, '#KONTO 7010 "Löner"'].join('\r\n'), 'latin1');
    const sie = parseSie(latin1, 'latin1.se');
    expect(sie.encoding).toBe('cp437');
    expect(sie.warnings).toEqual([{ line: 6, problem: expect.stringMatching(/looks Latin-1/) }]);
  });

  it('warns (does not fail) on a #TRANS to an account no #KONTO lists, and on an unbalanced #VER', () => {
    const sie = parseSie(
      sieOf(
        ...HEAD,
        '#KONTO 1930 "Bank"',
        '#KONTO 6570 "Bankkostnader"',
        '#VER A 1 20160105 "Avgift"',
        '{',
        '#TRANS 6570 {} 10.00',
        '#TRANS 6571 {} 5.00',
        '#TRANS 1930 {} -15.01',
        '}',
      ),
      'warn.se',
    );
    expect(sie.warnings).toEqual([
      { line: 8, problem: '#VER A 1 does not balance: its transactions sum to -0.01 (block closed on line 13)' },
      { line: 11, problem: '#TRANS on account 6571, which no #KONTO lists' },
    ]);
    expect(sie.verifications[0].transactions).toHaveLength(3);
    // without any #KONTO there is nothing to check against
    const bare = parseSie(sieOf(...HEAD, '#VER "" "" 20160105', '{', '#TRANS 6571 500', '#TRANS 1930 -500', '}'), 'x.se');
    expect(bare.warnings).toEqual([]);
    expect(bare.verifications[0]).toMatchObject({ series: '', number: '', date: '2016-01-05' });
    expect(bare.verifications[0].transactions[0]).toEqual({ account: '6571', amountOre: 50_000, objects: [] });
  });

  it('counts #RTRANS/#BTRANS (SIE 4B repeats every #RTRANS as a #TRANS) and other unknown labels', () => {
    const sie = parseSie(
      sieOf(
        ...HEAD,
        '#KSUMMA',
        '#VER A 1 20160105',
        '{',
        '\t#BTRANS 6570 {} 10.00 20160104 "" 0 "EE"',
        '\t#RTRANS 6570 {} 20.00',
        '\t#TRANS 6570 {} 20.00',
        '\t#TRANS 1930 {} -20.00',
        '}',
        '#KSUMMA 1234567',
      ),
      'r.se',
    );
    expect(sie.ignored).toEqual({ '#KSUMMA': 2, '#BTRANS': 1, '#RTRANS': 1 });
    expect(sie.verifications[0].transactions.map((t) => t.amountOre)).toEqual([2000, -2000]);
  });

  describe('errors name the file, the line and the problem', () => {
    const cases: { name: string; lines: string[]; line: number; problem: RegExp }[] = [
      { name: 'unterminated quote', lines: [...HEAD, '#KONTO 7010 "Löner'], line: 6, problem: /unterminated quoted field/ },
      {
        name: '#VER block not closed at the end of the file',
        lines: [...HEAD, '#VER A 7 20160105 "Hyra"', '{', '#TRANS 5010 {} 100.00', '#TRANS 1930 {} -100.00'],
        line: 6,
        problem: /#VER A 7 is not closed with } before the end of the file/,
      },
      {
        name: '#VER block not closed before the next label',
        lines: [...HEAD, '#VER A 7 20160105', '{', '#TRANS 5010 {} 100.00', '#VER A 8 20160106', '{', '}'],
        line: 9,
        problem: /#VER block opened on line 6 is not closed with } before #VER/,
      },
      {
        name: '#VER without {',
        lines: [...HEAD, '#VER A 7 20160105', '#TRANS 5010 {} 100.00'],
        line: 7,
        problem: /#VER on line 6 must be followed by a line with \{/,
      },
      { name: 'bad date', lines: [...HEAD, '#VER A 7 20160231', '{', '}'], line: 6, problem: /#VER: bad verification date "20160231"/ },
      { name: 'bad #RAR date', lines: [...HEAD, '#RAR -1 2015-01-01 20151231'], line: 6, problem: /#RAR: bad start date/ },
      {
        name: 'bad transaction date',
        lines: [...HEAD, '#VER A 7 20160105', '{', '#TRANS 5010 {} 100.00 2016011'],
        line: 8,
        problem: /#TRANS: bad transaction date "2016011"/,
      },
      {
        name: 'bad amount (decimal comma)',
        lines: [...HEAD, '#VER A 7 20160105', '{', '#TRANS 5010 {} 100,50', '}'],
        line: 8,
        problem: /#TRANS: bad amount "100,50"/,
      },
      { name: 'bad amount (3 decimals)', lines: [...HEAD, '#RES 0 3010 -1.005'], line: 6, problem: /#RES: bad amount "-1.005"/ },
      { name: '#TRANS outside #VER', lines: [...HEAD, '#TRANS 5010 {} 100.00'], line: 6, problem: /#TRANS outside a #VER block/ },
      { name: '} without #VER', lines: [...HEAD, '}'], line: 6, problem: /\} without an open #VER block/ },
      { name: '{ without #VER', lines: [...HEAD, '{'], line: 6, problem: /\{ without a #VER/ },
      { name: 'bad period', lines: [...HEAD, '#PSALDO 0 201613 3010 {} -5.00'], line: 6, problem: /#PSALDO: bad period "201613"/ },
      { name: 'unclosed object list', lines: [...HEAD, '#PSALDO 0 201601 3010 {1 "A" -5.00'], line: 6, problem: /not closed with \}/ },
      { name: 'odd object list', lines: [...HEAD, '#PSALDO 0 201601 3010 {1} -5.00'], line: 6, problem: /pairs of dimension and object/ },
      { name: 'missing account name', lines: [...HEAD, '#KONTO 7010'], line: 6, problem: /#KONTO: missing account name/ },
      { name: 'bad year index', lines: [...HEAD, '#RES x 3010 5.00'], line: 6, problem: /#RES: bad year index "x"/ },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const e = sieError(sieOf(...c.lines), 'broken.se');
        expect(e.file).toBe('broken.se');
        expect(e.line).toBe(c.line);
        expect(e.problem).toMatch(c.problem);
        expect(e.message).toBe(`broken.se:${c.line}: ${e.problem}`);
        expect(e.name).toBe('SieError');
      });
    }
  });
});

describe('amounts', () => {
  it('parses SIE amounts to öre and formats them back', () => {
    expect(parseSieAmount('1234.56')).toBe(123_456);
    expect(parseSieAmount('-0.5')).toBe(-50);
    expect(parseSieAmount('.5')).toBe(50);
    expect(parseSieAmount('100')).toBe(10_000);
    expect(parseSieAmount('+7.10')).toBe(710);
    expect(parseSieAmount('1.500')).toBe(150);
    expect(parseSieAmount('-0.00')).toBe(0);
    expect(Object.is(parseSieAmount('-0.00'), -0)).toBe(false);
    for (const bad of ['', '-', '.', '1.005', '1,5', '1 000', '1e3', 'abc']) expect(parseSieAmount(bad)).toBeUndefined();
    expect(formatOre(123_456)).toBe('1234.56');
    expect(formatOre(-1)).toBe('-0.01');
  });
});

describe('actualsFromSie', () => {
  it('sums the fiscal year from the verifications through month 3 and month 6, ranges and wildcards mapped', () => {
    const q1 = actualsFromSie(sydnarke, MAPPING, 3);
    expect(q1).toEqual({
      byLine: {
        Medlemsavgifter: 1_200_000,
        Insatser: 250_000,
        Lokaler: 24_000,
        Revision: 0,
        Bank: 1_235, // 1234.56 + 0.44 + 0.10 + 0.20
        Personal: 177_417, // 3 × (45 000 + 14 139)
      },
      unmapped: [{ account: '7631', name: 'Personalrepresentation, avdragsgill', amountKr: 846 }], // 845.50
      months: 3,
      source: 'verifications',
      from: '2016-01-01',
      through: '2016-03-31',
    });

    const h1 = actualsFromSie(sydnarke, MAPPING, 6);
    expect(h1.byLine).toEqual({
      Medlemsavgifter: 2_400_000,
      Insatser: 375_001, // 375 000.50, halves away from zero
      Lokaler: 48_000,
      Revision: 18_750,
      Bank: 1_235,
      Personal: 354_834,
    });
    expect(h1.unmapped).toEqual([
      { account: '7610', name: 'Utbildning', amountKr: 4_500 },
      { account: '7631', name: 'Personalrepresentation, avdragsgill', amountKr: 846 },
      { account: '8310', name: 'Ränteintäkter', amountKr: -312 }, // financial income is not flipped
    ]);
    expect(h1).toMatchObject({ months: 6, through: '2016-06-30' });
    // balance-sheet accounts (1930, 2440, …) are never reported unmapped
    expect(actualsFromSie(sydnarke, [], 12).unmapped.map((u) => u.account)).toEqual([
      '3010', '3011', '3012', '4010', '5010', '6420', '6570', '7010', '7510', '7610', '7631', '8310',
    ]);
    expect(actualsFromSie(sydnarke, [], 12).unmapped[0].amountKr).toBe(1_200_000); // income comes out positive
  });

  it('gives an account to the first line that maps it', () => {
    const mapping: AccountMapping[] = [
      { line: 'Steg för steg', accounts: ['4010'] },
      { line: 'Övriga insatser', accounts: ['4*'] },
      { line: 'Allt annat', accounts: ['*'] },
    ];
    expect(actualsFromSie(sydnarke, mapping, 6).byLine).toEqual({
      'Steg för steg': 375_001,
      'Övriga insatser': 0,
      'Allt annat': 2_400_000 + 48_000 + 18_750 + 1_235 + 354_834 + 4_500 + 846 - 312,
    });
    expect(actualsFromSie(sydnarke, mapping, 6).unmapped).toEqual([]);
    // balance-sheet accounts are not outcome: '*' does not pull in the bank account 1930
    expect(actualsFromSie(sydnarke, [{ line: 'Bank', accounts: ['1930'] }], 6).byLine).toEqual({ Bank: 0 });
  });

  it('falls back to the #PSALDO totals (not the per-object ones) when the file has no verifications', () => {
    const withoutVer = Buffer.from(
      pc8Bytes
        .toString('latin1')
        .split('\r\n')
        .filter((l) => !/^(#VER|\{|\}|\s*#TRANS)/.test(l))
        .join('\r\n'),
      'latin1',
    );
    const sie = parseSie(withoutVer, 'sydnarke-2016-psaldo.se');
    expect(sie.verifications).toEqual([]);
    expect(sie.encoding).toBe('cp437');
    for (const month of [3, 6]) {
      const fromPsaldo = actualsFromSie(sie, MAPPING, month);
      const fromVer = actualsFromSie(sydnarke, MAPPING, month);
      expect(fromPsaldo.source).toBe('periodBalances');
      expect(fromPsaldo.byLine).toEqual(fromVer.byLine);
      expect(fromPsaldo.unmapped).toEqual(fromVer.unmapped);
    }
  });

  it('counts months from the start of a broken fiscal year, and by the verification date', () => {
    const sie = parseSie(
      sieOf(
        '#RAR 0 20160501 20170430',
        '#VER A 1 20160430 "före året"',
        '{',
        '#TRANS 5010 {} 999.00',
        '}',
        '#VER A 2 20160715 "juli"',
        '{',
        '#TRANS 5010 {} 100.00 20160801',
        '}',
        '#VER A 3 20160801 "augusti"',
        '{',
        '#TRANS 5010 {} 50.00',
        '}',
      ),
      'brutet.se',
    );
    expect(actualsFromSie(sie, [{ line: 'Lokaler', accounts: ['5000-5099'] }], 3)).toMatchObject({
      byLine: { Lokaler: 100 },
      from: '2016-05-01',
      through: '2016-07-31',
    });
    expect(actualsFromSie(sie, [{ line: 'Lokaler', accounts: ['50*'] }], 12).byLine).toEqual({ Lokaler: 150 });
  });

  it('reports nothing to sum as source none', () => {
    const sie = parseSie(sieOf(...HEAD), 'empty.se');
    expect(actualsFromSie(sie, MAPPING, 1)).toMatchObject({ source: 'none', unmapped: [], byLine: { Bank: 0 } });
  });

  it('rejects bad input', () => {
    expect(() => actualsFromSie(sydnarke, MAPPING, 0)).toThrow(/throughMonth must be a whole number from 1 to 12/);
    expect(() => actualsFromSie(sydnarke, MAPPING, 13)).toThrow(RangeError);
    expect(() => actualsFromSie(sydnarke, [{ line: 'X', accounts: ['30a0'] }], 3)).toThrow(
      /budget line "X": bad account pattern "30a0"/,
    );
    expect(() => actualsFromSie(sydnarke, [{ line: 'X', accounts: ['3099-3000'] }], 3)).toThrow(/bad account range/);
    const noYear: SieFile = { ...sydnarke, fiscalYears: [] };
    expect(() => actualsFromSie(noYear, MAPPING, 3)).toThrow(`${PC8}: no #RAR 0`);
  });
});

describe('parseActualsCsv', () => {
  it('reads a ;-separated export with Swedish amounts and YYYY-MM months', () => {
    const csv = parseActualsCsv(fixture('utfall-2016.csv').toString('utf8'), 'utfall-2016.csv');
    expect(csv).toEqual({
      year: 2016,
      rows: [
        { line: 'Medlemsavgifter', month: 1, amountKr: 1_200_000 }, // no-break spaces
        { line: 'Personal', month: 1, amountKr: 59_139 }, // quoted "59 139,00"
        { line: 'Bank', month: 1, amountKr: 1234.56 }, // narrow no-break space
        { line: 'Bank', month: 2, amountKr: 0.44 },
        { line: 'Lokaler', month: 1, amountKr: 24_000 },
        { line: 'Ränteintäkter', month: 6, amountKr: -312 }, // U+2212 minus
      ],
    });
  });

  it('accepts , as the separator when the header has no ;, and columns in any order', () => {
    const csv = parseActualsCsv('Belopp,Månad,Rad\n1234.50,3,Lokaler\n"1 234,50",03,"Bank, avgifter"\n', 'c.csv');
    expect(csv).toEqual({
      rows: [
        { line: 'Lokaler', month: 3, amountKr: 1234.5 },
        { line: 'Bank, avgifter', month: 3, amountKr: 1234.5 },
      ],
    });
  });

  it('names file, line and problem', () => {
    const cases: [string, number, RegExp][] = [
      ['', 1, /empty file/],
      ['rad;belopp\nA;1', 1, /has no month column/],
      ['line;month;amount\n\nA;13;5', 3, /bad month "13"/],
      ['line;month;amount\nA;mars;5', 2, /bad month "mars"/],
      ['line;month;amount\nA;1;12,345', 2, /bad amount "12,345"/],
      ['line;month;amount\nA;1;1.234,50', 2, /bad amount/],
      ['line;month;amount\nA;1', 2, /expected 3 fields separated by ";", found 2/],
      ['line,month,amount\nA,1,1234,50', 2, /found 4 \(a decimal comma\?/],
      ['line;month;amount\n;1;5', 2, /empty budget line/],
      ['line;month;amount\n"A;1;5', 2, /unterminated quoted field/],
      ['line;month;amount\nA;2016-01;5\nB;2017-02;5', 3, /one year per file/],
    ];
    for (const [text, line, problem] of cases) {
      let error: unknown;
      try {
        parseActualsCsv(text, 'u.csv');
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(ActualsCsvError);
      const e = error as ActualsCsvError;
      expect([e.file, e.line], text).toEqual(['u.csv', line]);
      expect(e.problem, text).toMatch(problem);
      expect(e.message).toBe(`u.csv:${line}: ${e.problem}`);
    }
    // trailing empty fields (Excel) are fine
    expect(parseActualsCsv('line;month;amount;\nA;1;5;\n', 'u.csv').rows).toEqual([{ line: 'A', month: 1, amountKr: 5 }]);
  });
});

// ---------------------------------------------------------------------------
// Large and hostile files (issue 19, "the hostile hour")
// ---------------------------------------------------------------------------

/** Runs a parser's steps to the end, counting the slices it yields between. */
function slices<T>(steps: Generator<void, T, void>): { value: T; yields: number } {
  let yields = 0;
  for (;;) {
    const r = steps.next();
    if (r.done) return { value: r.value, yields };
    yields += 1;
  }
}

/** A SIE file of about `lines` lines: verifications of rent (5010) paid from the bank (1930), in every month. */
function manyVerifications(lines: number): Buffer {
  const out = [...HEAD, '#KONTO 5010 "Lokalhyra"', '#KONTO 1930 "Bank"'];
  for (let n = 1; out.length + 5 <= lines; n += 1) {
    const d = `2016${String((n % 12) + 1).padStart(2, '0')}15`;
    out.push(`#VER A ${n} ${d} "Hyra ${n}"`, '{', `#TRANS 5010 {} 125.00 ${d}`, '#TRANS 1930 {} -125.00', '}');
  }
  return sieOf(...out);
}

// Files of a million lines: about the event loop and limits, too slow to run for every mutant of npm run mutation.
describe.skipIf(process.env.ARSCYKEL_MUTATION)('large and hostile SIE files', () => {
  it('reads in slices: parseSieSteps yields every few thousand lines and gives what parseSie gives', () => {
    const bytes = manyVerifications(100_000);
    const { value, yields } = slices(parseSieSteps(bytes, 'stor.se'));
    // 100 000 lines in slices of at most 1 000 lines (and 256 kB of bytes while decoding and scanning).
    expect(yields).toBeGreaterThanOrEqual(100);
    expect(value.verifications).toHaveLength(19_998);
    expect(value).toEqual(parseSie(bytes, 'stor.se'));
    const monthly = slices(monthlyActualsFromSieSteps(value, [{ line: 'Lokaler', accounts: ['5010'] }]));
    expect(monthly.yields).toBeGreaterThanOrEqual(2);
    expect(monthly.value.rows.reduce((s, r) => s + r.amountKr, 0n)).toBe(19_998n * 125n);
  });

  it('refuses a line longer than a SIE line can be, and an amount too large to count exactly, naming the line', () => {
    const long = sieError(sieOf(...HEAD, `#FNAMN "${'x'.repeat(SIE_MAX_LINE)}"`));
    expect([long.line, long.problem]).toEqual([6, `the line is ${SIE_MAX_LINE + 9} characters long; a SIE line has at most ${SIE_MAX_LINE} (is this a SIE file?)`]);
    // one 20 MB line without a line break
    expect(sieError(Buffer.alloc(20 * 1024 * 1024, 0x41)).line).toBe(1);
    const huge = sieError(sieOf(...HEAD, '#VER A 1 20160105', '{', '#TRANS 5010 {} 90071992547409.92', '#TRANS 1930 {} -1.00', '}'));
    expect([huge.line, huge.problem]).toEqual([8, '#TRANS: amount "90071992547409.92" is too large to count exactly (at most 90071992547409.91 either way)']);
    expect(parseSieAmount('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseSieAmount('90071992547409.92')).toBeUndefined();
  });

  it('sums in bigint: amounts whose sum passes 2^53 öre come out exact', () => {
    const sie = parseSie(
      sieOf(...HEAD, '#VER A 1 20160105', '{', '#TRANS 5010 {} 50000000000000.00', '#TRANS 5010 {} 50000000000000.01', '}', '#VER A 2 20160205', '{', '#TRANS 5010 {} 0.49', '}'),
      'stora.se',
    );
    // 10 000 000 000 000 001 öre: beyond 2^53, where numbers skip odd values
    expect(sie.warnings[0].problem).toBe('#VER A 1 does not balance: its transactions sum to 100000000000000.01 (block closed on line 10)');
    const { value } = slices(monthlyActualsFromSieSteps(sie, [{ line: 'Lokaler', accounts: ['5010'] }]));
    expect(value.rows).toEqual([
      { line: 'Lokaler', month: 1, amountKr: 100_000_000_000_000n },
      { line: 'Lokaler', month: 2, amountKr: 1n }, // 0.01 + 0.49 rounds the year to date up to …001 kr
    ]);
    expect(formatOre(10_000_000_000_000_001n)).toBe('100000000000000.01');
  });

  it('gives, month by month in one pass, what actualsFromSie gives through each month', () => {
    const { value } = slices(monthlyActualsFromSieSteps(sydnarke, MAPPING));
    expect(value.lastMonth).toBe(6);
    expect(value.source).toBe('verifications');
    for (let m = 1; m <= 6; m += 1) {
      const upTo = actualsFromSie(sydnarke, MAPPING, m).byLine;
      for (const line of Object.keys(upTo)) {
        const sum = value.rows.filter((r) => r.line === line && r.month <= m).reduce((s, r) => s + r.amountKr, 0n);
        expect(Number(sum), `${line} through ${m}`).toBe(upTo[line]);
      }
    }
    expect(value.unmapped).toEqual(actualsFromSie(sydnarke, MAPPING, 6).unmapped);
    // nothing in the fiscal year: no months
    expect(slices(monthlyActualsFromSieSteps(parseSie(sieOf(...HEAD), 'tom.se'), MAPPING)).value).toMatchObject({ lastMonth: 0, rows: [], source: 'none' });
  });

  it('summing the verifications as they are read (sumVerifications) gives the same outcome without keeping them', () => {
    const summed = runSteps(parseSieSteps(pc8Bytes, PC8, { sumVerifications: true }));
    expect(summed.verifications).toEqual([]);
    expect(summed.verificationSums!.get('2016-01-04')!.get('3010')).toBe(-60_000_000n);
    expect(summed.warnings).toEqual(sydnarke.warnings);
    for (const m of [1, 3, 6, 12]) expect(actualsFromSie(summed, MAPPING, m)).toEqual(actualsFromSie(sydnarke, MAPPING, m));
    expect(slices(monthlyActualsFromSieSteps(summed, MAPPING)).value).toEqual(slices(monthlyActualsFromSieSteps(sydnarke, MAPPING)).value);
  });

  it('keeps the first 1 000 warnings and counts the rest', () => {
    const sie = parseSie(sieOf(...HEAD, ...Array.from({ length: 1_500 }, (_, i) => `rad ${i}`)), 'brus.se');
    expect(sie.warnings).toHaveLength(SIE_MAX_WARNINGS);
    expect(sie.warnings[0]).toEqual({ line: 6, problem: 'line without a #label ignored' });
    expect(sie.warningsLeftOut).toBe(500);
  });
});

describe('CSV: one row per line and month, amounts that can be kept', () => {
  it('refuses a budget line and month given twice, naming both lines (1–12 and YYYY-MM are the same month)', () => {
    const text = 'line;month;amount\nLokaler;2016-02;100\nBank;2;5\nLokaler;2;200\n';
    let error: unknown;
    try {
      parseActualsCsv(text, 'u.csv');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ActualsCsvError);
    expect((error as ActualsCsvError).message).toBe('u.csv:4: budget line "Lokaler", month 2 (February) is also on line 2: one row per line and month');
  });

  it('readActualsCsvSteps gives every problem by its line, in slices', () => {
    const { value } = slices(readActualsCsvSteps('line;month;amount\nA;1;5\nA;13;5\nA;1;6\nB;1;x\nB;1;1 000 000 000 000,01\nB;1;1 000 000 000 000\n', 'u.csv', { all: true }));
    expect(value.problems.map((p) => [p.line, p.problem])).toEqual([
      [3, 'bad month "13" (expected 1–12 or YYYY-MM)'],
      [4, 'budget line "A", month 1 (January) is also on line 2: one row per line and month'],
      [5, 'bad amount "x" (expected kronor like 1 234,50 or -80)'],
      [6, 'amount "1 000 000 000 000,01" is more than 1 000 000 000 000 kr, the most one figure may be'],
    ]);
    expect(value.rows).toEqual([
      { line: 'A', month: 1, amountKr: 5 },
      { line: 'B', month: 1, amountKr: 1_000_000_000_000 },
    ]);
    expect(value.lineNumbers).toEqual([2, 7]);
    // without `all`, the first problem only
    expect(slices(readActualsCsvSteps('line;month;amount\nA;13;5\nA;14;5\n', 'u.csv')).value.problems.map((p) => p.line)).toEqual([2]);
    // a long file comes in slices
    const long = `line;month;amount\n${Array.from({ length: 20_000 }, (_, i) => `L${i};1;5`).join('\n')}\n`;
    const read = slices(readActualsCsvSteps(long, 'lang.csv', { all: true }));
    expect(read.yields).toBeGreaterThanOrEqual(4);
    expect(read.value.rows).toHaveLength(20_000);
    // a broken file of many lines: the first 100 problems kept, the rest counted
    const broken = slices(readActualsCsvSteps(`line;month;amount\n${'A;13;5\n'.repeat(1_000)}`, 'trasig.csv', { all: true })).value;
    expect([broken.problems.length, broken.problemsLeftOut, broken.problems[99].line]).toEqual([100, 900, 101]);
    expect(() => parseActualsCsv(`line;month;amount\nA;1;${'9'.repeat(20)}\n`, 'u.csv')).toThrow('u.csv:2: amount "99999999999999999999" is more than 1 000 000 000 000 kr');
    expect(() => parseActualsCsv(`line;month;amount\nA;1;"${'x'.repeat(CSV_MAX_LINE)}"\n`, 'u.csv')).toThrow('u.csv:2: the line is longer than 10000 characters');
  });
});

describe('CSV: fields, months and messages as a person writes them', () => {
  /** The problem of the first broken line, as `file:line: problem`. */
  const refusal = (text: string): string => {
    try {
      parseActualsCsv(text, 'u.csv');
    } catch (e) {
      expect(e).toBeInstanceOf(ActualsCsvError);
      expect((e as Error).name).toBe('ActualsCsvError');
      return (e as Error).message;
    }
    throw new Error('not refused');
  };

  it('reads spaces around fields, doubled quotes and text after a closing quote', () => {
    const csv = parseActualsCsv('line;month;amount\n Lokaler ; 2 ;\t"1 234,50"\n "Bank ""Nord""";3;5\n"Bank" Syd;4;6\n', 'u.csv');
    expect(csv.rows).toEqual([
      { line: 'Lokaler', month: 2, amountKr: 1234.5 },
      { line: 'Bank "Nord"', month: 3, amountKr: 5 },
      { line: 'Bank Syd', month: 4, amountKr: 6 },
    ]);
  });

  it('skips blank lines of spaces before the header and between rows, and accepts extra empty fields on a row', () => {
    const csv = parseActualsCsv('   \nBudget  line;Månad;Belopp  kr\nLokaler;1;5;;\n  \t\nBank;12;-0,00\n', 'u.csv');
    expect(csv.rows).toEqual([
      { line: 'Lokaler', month: 1, amountKr: 5 },
      { line: 'Bank', month: 12, amountKr: 0 },
    ]);
    expect(Object.is(csv.rows[1].amountKr, 0)).toBe(true); // "-0,00" is 0 kr, never shown as -0
  });

  it('refuses months that are not 1–12 or YYYY-MM', () => {
    for (const month of ['0', '2016-02-01', '22016-02', 'Q1', '3 mars']) {
      expect(refusal(`line;month;amount\nA;${month};5\n`), month).toBe(`u.csv:2: bad month ${JSON.stringify(month)} (expected 1–12 or YYYY-MM)`);
    }
  });

  it('says how many fields it expected, hinting at a decimal comma only for a ,-file with too many', () => {
    expect(refusal('line;month;amount\nA;1;5;6\n')).toBe('u.csv:2: expected 3 fields separated by ";", found 4');
    expect(refusal('line,month,amount\nA,1\n')).toBe('u.csv:2: expected 3 fields separated by ",", found 2');
    expect(refusal('line,month,amount\nA,1,1234,50\n')).toBe('u.csv:2: expected 3 fields separated by ",", found 4 (a decimal comma? quote the amount or separate with ;)');
  });

  it('quotes the header without its surrounding spaces when a column is missing, and names an unclosed quote in it', () => {
    expect(refusal('  rad;belopp  \nA;1\n')).toBe('u.csv:1: the header "rad;belopp" has no month column (expected a header like line;month;amount)');
    expect(refusal('"line;month;amount\nA;1;5\n')).toBe('u.csv:1: unterminated quoted field in the header');
  });

  it('shortens a very long too-large amount to its first 40 characters in the message', () => {
    const forty = '9'.repeat(40);
    expect(refusal(`line;month;amount\nA;1;${forty}\n`)).toBe(`u.csv:2: amount "${forty}" is more than 1 000 000 000 000 kr, the most one figure may be`);
    expect(refusal(`line;month;amount\nA;1;${forty}1\n`)).toBe(`u.csv:2: amount "${forty}…" is more than 1 000 000 000 000 kr, the most one figure may be`);
  });

  it('reads a line of exactly the longest length', () => {
    const name = 'L'.repeat(CSV_MAX_LINE - ';1;5'.length);
    expect(parseActualsCsv(`line;month;amount\n${name};1;5\n`, 'u.csv').rows).toEqual([{ line: name, month: 1, amountKr: 5 }]);
  });

  it('readActualsCsvSteps without `all` stops at the first problem and keeps no rows after it', () => {
    const { value } = slices(readActualsCsvSteps('line;month;amount\nA;1;5\nA;13;5\nB;1;5\n', 'u.csv'));
    expect(value.problems.map((p) => p.message)).toEqual(['u.csv:3: bad month "13" (expected 1–12 or YYYY-MM)']);
    expect(value.rows).toEqual([{ line: 'A', month: 1, amountKr: 5 }]);
    expect(value.problemsLeftOut).toBe(0);
  });
});
