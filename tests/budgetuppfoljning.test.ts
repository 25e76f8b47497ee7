// The budget follow-up for the board, as a spreadsheet (CSV) and on paper (PDF, read back with
// pdf.js): a Sofint-like year, income 2 700 000 and costs 3 600 000, with outcome through March.
import { describe, expect, it } from 'vitest';
import { pdfLines } from './support/pdf.js';
import { memberContributions, type YearBudget } from '../domain/budget.js';
import { followUpCsv, followUpPdf, type FollowUpFacts } from '../domain/budgetuppfoljning.js';
import { forecast, type ActualEntry } from '../domain/prognos.js';


const budget: YearBudget = {
  year: 2013,
  equityCarriedOver: 1250000,
  lines: [
    { key: 'bidrag', name: 'Bidrag från medlemmarna', kind: 'income', group: 'members', amount: 2700000 },
    { key: 'personal', name: 'Personal', kind: 'cost', group: 'administration', amount: 400000 },
    { key: 'lokaler', name: 'Lokaler och kontor', kind: 'cost', group: 'administration', amount: 120000 },
    { key: 'revision', name: 'Revision', kind: 'cost', group: 'administration', amount: 60000 },
    { key: 'styrelse', name: 'Styrelsearvoden', kind: 'cost', group: 'administration', amount: 20000 },
    { key: 'samverkansteamet', name: 'Samverkansteamet; Hällefors & Nora "steg 2"', kind: 'cost', group: 'project', amount: 3000000, projectKey: 'samverkansteamet' },
  ],
};

/** Through March: the members' first quarter paid; Lokaler 20 % ahead; Styrelsearvoden and the project behind. */
const actuals: ActualEntry[] = [
  { lineKey: 'bidrag', month: 1, amount: 675000 },
  ...[1, 2, 3].flatMap((month): ActualEntry[] => [
    { lineKey: 'personal', month, amount: 100000 / 3 },
    { lineKey: 'lokaler', month, amount: 12000 },
    { lineKey: 'revision', month, amount: 5000 },
    { lineKey: 'samverkansteamet', month, amount: 200000 },
  ]),
  { lineKey: 'styrelse', month: 2, amount: 2000 },
];

const facts: FollowUpFacts = {
  forbundName: 'Samordningsförbundet i norra Örebro län',
  year: 2013,
  throughMonth: 3,
  forecast: forecast({ budget, actuals, throughMonth: 3 }),
};

describe('the budget follow-up as CSV', () => {
  it('UTF-8 with BOM, the header, one row per line with its numbers, the sums and the result', () => {
    const csv = followUpCsv(facts);
    expect(csv.startsWith('\ufeff')).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = csv.slice(1).split('\r\n');
    expect(rows.pop()).toBe(''); // ends with a line break
    expect(rows).toEqual([
      'Rad;Typ;Budget;Utfall t.o.m. mars;Prognos +3 mån (t.o.m. juni);Prognos +6 mån (t.o.m. september);Prognos helår;Avvikelse helår',
      'Bidrag från medlemmarna;Intäkt;2700000;675000;1350000;2025000;2700000;0',
      'Personal;Kostnad;400000;100000;200000;300000;400000;0',
      // 20 % ahead of its timing: keeps that pace, 24 000 over the budget.
      'Lokaler och kontor;Kostnad;120000;36000;72000;108000;144000;-24000',
      'Revision;Kostnad;60000;15000;30000;45000;60000;0',
      // Behind: taken as late invoices, the rest at the budget's pace.
      'Styrelsearvoden;Kostnad;20000;2000;7000;12000;17000;3000',
      // A grant: what is behind comes the next month, the year ends at the budget. Quoted for its ';' and '"'.
      '"Samverkansteamet; Hällefors & Nora ""steg 2""";Kostnad;3000000;600000;1500000;2250000;3000000;0',
      'Summa intäkter;Summa;2700000;675000;1350000;2025000;2700000;0',
      'Summa kostnader;Summa;3600000;753000;1809000;2715000;3621000;-21000',
      'Resultat;Summa;-900000;-78000;-459000;-690000;-921000;-21000',
    ]);
    // The result row agrees with the forecast's own.
    expect(facts.forecast.result).toMatchObject({ budget: -900000, at3Months: -459000, at6Months: -690000, yearEnd: -921000 });
  });

  it('every cell after the first two is a plain integer, so a spreadsheet reads it as a number', () => {
    for (const row of followUpCsv(facts).slice(1).trim().split('\r\n').slice(1)) {
      const cells = row.startsWith('"') ? row.replace(/^"(?:[^"]|"")*"/, 'x').split(';') : row.split(';');
      expect(cells).toHaveLength(8);
      for (const c of cells.slice(2)) expect(c).toMatch(/^-?\d+$/);
    }
  });

  it('a text that Excel would take for a formula gets an apostrophe; no outcome yet is headed "Utfall"', () => {
    const b: YearBudget = { year: 2014, lines: [{ key: 'x', name: '=SUM(A1:A9)', kind: 'cost', group: 'administration', amount: 1200 }] };
    const csv = followUpCsv({ forbundName: 'X', year: 2014, throughMonth: 0, forecast: forecast({ budget: b, actuals: [], throughMonth: 0 }) });
    expect(csv.split('\r\n').slice(0, 2)).toEqual([
      '\ufeffRad;Typ;Budget;Utfall;Prognos +3 mån (t.o.m. mars);Prognos +6 mån (t.o.m. juni);Prognos helår;Avvikelse helår',
      "'=SUM(A1:A9);Kostnad;1200;0;300;600;1200;0",
    ]);
  });

  it('the month must be the forecast\'s', () => {
    expect(() => followUpCsv({ ...facts, throughMonth: 6 })).toThrow(RangeError);
  });
});

describe('the budget follow-up as PDF', () => {
  const members = [
    { key: 'hallefors-kommun', name: 'Hällefors kommun', kind: 'municipality' as const },
    { key: 'lindesbergs-kommun', name: 'Lindesbergs kommun', kind: 'municipality' as const },
    { key: 'ljusnarsbergs-kommun', name: 'Ljusnarsbergs kommun', kind: 'municipality' as const },
    { key: 'nora-kommun', name: 'Nora kommun', kind: 'municipality' as const },
    { key: 'orebro-lans-landsting', name: 'Örebro läns landsting', kind: 'region' as const },
    { key: 'arbetsformedlingen', name: 'Arbetsförmedlingen', kind: 'arbetsformedlingen' as const },
    { key: 'forsakringskassan', name: 'Försäkringskassan', kind: 'forsakringskassan' as const },
  ];

  it('A4: the heading, the förbund, the month, each line with its kronor, the sums bold, the result and equity, the contributions', async () => {
    const pdf = await followUpPdf({ ...facts, equityCarriedOver: budget.equityCarriedOver, contributions: memberContributions(2700000, members) });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 841\.89 595\.28\]/); // A4 landscape
    const { pages, lines, bold } = await pdfLines(pdf);
    if (process.env.SHOW_TEXTS) console.log(lines.join('\n'));
    expect(pages).toBe(2);
    expect(lines[0]).toBe('Budgetuppföljning 2013');
    expect(lines[1]).toBe('Samordningsförbundet i norra Örebro län');
    expect(lines[2]).toBe('Utfall till och med mars 2013');
    expect(lines).toContain('Rad Budget Utfall Prognos +3 mån Prognos +6 mån Prognos helår Avvikelse helår');
    expect(lines).toContain('helår t.o.m. mars t.o.m. juni t.o.m. september t.o.m. december mot budget');
    expect(lines).toContain('Bidrag från medlemmarna 2 700 000 675 000 1 350 000 2 025 000 2 700 000 0');
    expect(lines).toContain('Personal 400 000 100 000 200 000 300 000 400 000 0');
    // 24 000 over: beyond the threshold (the larger of 1 % of 120 000 and 5 000 kr), so marked material.
    expect(lines).toContain('Lokaler och kontor 120 000 36 000 72 000 108 000 144 000 * -24 000');
    expect(lines).toContain('Revision 60 000 15 000 30 000 45 000 60 000 0');
    expect(lines).toContain('Styrelsearvoden 20 000 2 000 7 000 12 000 17 000 3 000');
    expect(lines).toContain('Samverkansteamet; Hällefors & Nora "steg 2" 3 000 000 600 000 1 500 000 2 250 000 3 000 000 0');
    expect(lines).toContain('Summa intäkter 2 700 000 675 000 1 350 000 2 025 000 2 700 000 0');
    expect(lines).toContain('Summa kostnader 3 600 000 753 000 1 809 000 2 715 000 3 621 000 -21 000');
    expect(lines).toContain('Resultat -900 000 -78 000 -459 000 -690 000 -921 000 -21 000');
    for (const s of ['Summa intäkter', 'Summa kostnader', 'Resultat', '-921 000', '-900 000']) expect(bold, s).toContain(s);
    for (const s of ['Personal', '400 000']) expect(bold, s).not.toContain(s);
    expect(lines).toContain('Resultat för 2013 enligt prognosen: -921 000 kr (budget -900 000 kr, avvikelse -21 000 kr).');
    expect(lines).toContain('Eget kapital vid årets slut enligt prognosen: 329 000 kr (ingående eget kapital 1 250 000 kr, resultat -921 000 kr).');
    expect(lines.join(' ')).toContain('Väsentliga avvikelser (*), större än det största av 1 % av radens budget och 5 000 kr: Lokaler och kontor -24 000 kr.');
    // The contributions: the state half through Försäkringskassan, the region a quarter, the municipalities a quarter.
    // The contributions do not fit below the follow-up: the whole table goes to the next page, with its heading.
    const page2 = lines.indexOf('Budgetuppföljning 2013, Samordningsförbundet i norra Örebro län – sida 1 av 2') + 1;
    expect(page2).toBeGreaterThan(0);
    expect(lines[page2]).toBe('Medlemmarnas bidrag 2013');
    expect(lines).toContain('Medlem Andel Helår Kvartal 1 Kvartal 2 Kvartal 3 Kvartal 4');
    expect(lines).toContain('Hällefors kommun (antaget: lika delar) 6,25 % 168 750 42 188 42 188 42 187 42 187');
    expect(lines).toContain('Örebro läns landsting 25 % 675 000 168 750 168 750 168 750 168 750');
    expect(lines).toContain('Arbetsförmedlingen (ingår i statens del) 0 % 0 0 0 0 0');
    expect(lines).toContain('Staten via Försäkringskassan 50 % 1 350 000 337 500 337 500 337 500 337 500');
    // Each member's year is split into quarters to the krona (the first quarters take a leftover krona), so the quarters' sums differ a little.
    expect(lines).toContain('Summa 100 % 2 700 000 675 002 675 002 674 998 674 998');
    expect(lines.at(-1)).toBe('Budgetuppföljning 2013, Samordningsförbundet i norra Örebro län – sida 2 av 2');
  });

  it('without equity or contributions neither is shown; a long budget runs over pages, the headings repeated, each page numbered', async () => {
    const many: YearBudget = {
      year: 2016,
      lines: [
        { key: 'in', name: 'Medlemsbidrag', kind: 'income', group: 'members', amount: 4400000 },
        ...Array.from({ length: 45 }, (_, i) => ({ key: `k${i}`, name: `Insats ${i + 1} för unga i Åsbro och Örebro`, kind: 'cost' as const, group: 'project' as const, amount: 100000 })),
      ],
    };
    const pdf = await followUpPdf({ forbundName: 'Samordningsförbundet Sydnärke', year: 2016, throughMonth: 9, forecast: forecast({ budget: many, actuals: [], throughMonth: 9 }) });
    const { pages, lines } = await pdfLines(pdf);
    if (process.env.SHOW_TEXTS) console.log(lines.join('\n'));
    expect(pages).toBeGreaterThan(1);
    expect(lines).toContain('Utfall till och med september 2016');
    for (let i = 1; i <= 45; i++) expect(lines).toContain(`Insats ${i} för unga i Åsbro och Örebro 100 000 0 100 000 100 000 0`);
    expect(lines.filter((l) => l.startsWith('Rad Budget Utfall'))).toHaveLength(pages);
    // Through September the horizons both end in December: one column, 3 months ahead.
    expect(lines.filter((l) => l.startsWith('Rad Budget Utfall'))[0]).toBe('Rad Budget Utfall Prognos +3 mån Prognos helår Avvikelse helår');
    expect(lines).toContain('helår t.o.m. september t.o.m. december t.o.m. december mot budget');
    expect(lines).toContain('Resultat -100 000 0 -100 000 -100 000 0');
    // Every line is without outcome: said, not passed over.
    expect(lines.join(' ')).toContain('Rader utan utfall t.o.m. september, där prognosen bara bygger på budgeten: Medlemsbidrag, Insats 1 för unga');
    // The sums stay with the last line: never alone on a page.
    const last = lines.indexOf('Insats 45 för unga i Åsbro och Örebro 100 000 0 100 000 100 000 0');
    expect(lines.slice(last + 1, last + 4).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['Summa intäkter', 'Summa kostnader', 'Resultat -100']);
    for (let p = 1; p <= pages; p++) expect(lines).toContain(`Budgetuppföljning 2016, Samordningsförbundet Sydnärke – sida ${p} av ${pages}`);
    expect(lines.some((l) => l.startsWith('Eget kapital'))).toBe(false);
    expect(lines).not.toContain('Medlemmarnas bidrag 2016');
  });
});

describe('the horizons are named by the months they reach', () => {
  const b: YearBudget = { year: 2016, lines: [{ key: 'in', name: 'Medlemsbidrag', kind: 'income', group: 'members', amount: 1200000 }, { key: 'adm', name: 'Administration', kind: 'cost', group: 'administration', amount: 120000 }] };
  const at = (through: number): FollowUpFacts => ({
    forbundName: 'Samordningsförbundet Sydnärke',
    year: 2016,
    throughMonth: through,
    forecast: forecast({ budget: b, actuals: Array.from({ length: through }, (_, i) => ({ lineKey: 'adm', month: i + 1, amount: 10000 })), throughMonth: through }),
  });

  it('through October: one horizon, 2 months ahead to December, never two columns both "t.o.m. december"', async () => {
    const { lines } = await pdfLines(await followUpPdf(at(10)));
    expect(lines).toContain('Rad Budget Utfall Prognos +2 mån Prognos helår Avvikelse helår');
    expect(lines).toContain('helår t.o.m. oktober t.o.m. december t.o.m. december mot budget');
    expect(lines.filter((l) => /t\.o\.m\. december t\.o\.m\. december t\.o\.m\. december/.test(l))).toEqual([]);
    expect(followUpCsv(at(10)).split('\r\n')[0]).toBe('\ufeffRad;Typ;Budget;Utfall t.o.m. oktober;Prognos +2 mån (t.o.m. december);Prognos helår;Avvikelse helår');
  });

  it('through July: 3 months ahead to October, 5 to December; through December none', async () => {
    const july = await pdfLines(await followUpPdf(at(7)));
    expect(july.lines).toContain('Rad Budget Utfall Prognos +3 mån Prognos +5 mån Prognos helår Avvikelse helår');
    expect(july.lines).toContain('helår t.o.m. juli t.o.m. oktober t.o.m. december t.o.m. december mot budget');
    const december = await pdfLines(await followUpPdf(at(12)));
    expect(december.lines).toContain('Rad Budget Utfall Prognos helår Avvikelse helår');
  });
});

describe('figures of tens of billions', () => {
  it('are exact in the CSV and in the PDF', async () => {
    const big: YearBudget = {
      year: 2013,
      lines: [
        { key: 'bidrag', name: 'Bidrag från medlemmarna', kind: 'income', group: 'members', amount: 900_000_000_000 },
        { key: 'insats', name: 'Insats', kind: 'cost', group: 'project', amount: 30_000_000 },
      ],
    };
    // Outcome to date past 2^31 kronor in one month (and so past 2^31 öre many times over).
    const f: FollowUpFacts = { forbundName: 'Stort förbund', year: 2013, throughMonth: 1, forecast: forecast({ budget: big, actuals: [{ lineKey: 'bidrag', month: 1, amount: 999_999_999_999 }, { lineKey: 'insats', month: 1, amount: 2_500_000_000 }], throughMonth: 1 }) };
    const csv = followUpCsv(f);
    expect(csv).toContain('\r\nBidrag från medlemmarna;Intäkt;900000000000;999999999999;999999999999;999999999999;999999999999;99999999999\r\n');
    expect(csv).toContain('\r\nInsats;Kostnad;30000000;2500000000;2500000000;2500000000;2500000000;-2470000000\r\n');
    expect(csv).toContain('\r\nResultat;Summa;899970000000;997499999999;');
    const { lines } = await pdfLines(await followUpPdf(f));
    expect(lines).toContain('Bidrag från medlemmarna 900 000 000 000 999 999 999 999 999 999 999 999 999 999 999 999 999 999 999 999 * 99 999 999 999');
    expect(lines).toContain('Insats 30 000 000 2 500 000 000 2 500 000 000 2 500 000 000 2 500 000 000 * -2 470 000 000');
  });
});
