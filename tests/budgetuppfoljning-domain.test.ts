// The budget follow-up's rules as the board reads them (domain/budgetuppfoljning.ts): the month of
// outcome must be the forecast's, and on paper (read back with pdf.js) the texts below the table —
// the equity at year end and where the opening equity comes from, the material deviations with
// their sign and threshold, the lines without outcome — the heading with no outcome yet, the
// document's language and title, and which rows of the members' contributions are set in bold;
// and the table as it stands on the page: figures flush right in their columns, headings black over
// grey months, the rules, a too-wide figure set smaller, long names wrapped, where the members'
// table starts, and the centred footer.
import { describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { drawn, pdfLines, type Run } from './support/pdf.js';
import { memberContributions, type YearBudget } from '../domain/budget.js';
import { followUpCsv, followUpPdf, type FollowUpFacts } from '../domain/budgetuppfoljning.js';
import { forecast } from '../domain/prognos.js';

const budget: YearBudget = {
  year: 2014,
  lines: [
    { key: 'in', name: 'Medlemsbidrag', kind: 'income', group: 'members', amount: 1_200_000 },
    { key: 'ovr', name: 'Övriga intäkter', kind: 'income', group: 'other_income', amount: 100_000 },
    { key: 'adm', name: 'Administration', kind: 'cost', group: 'administration', amount: 120_000 },
    { key: 'lok', name: 'Lokaler', kind: 'cost', group: 'administration', amount: 60_000 },
  ],
};

/** Through March: the members' contributions and other income on pace, Administration far below, Lokaler with no outcome at all. */
const facts: FollowUpFacts = {
  forbundName: 'Samordningsförbundet Sydnärke',
  year: 2014,
  throughMonth: 3,
  forecast: forecast({
    budget,
    actuals: [
      { lineKey: 'in', month: 1, amount: 400_000 },
      { lineKey: 'ovr', month: 2, amount: 25_000 },
      ...[1, 2, 3].map((month) => ({ lineKey: 'adm', month, amount: 2000 })),
    ],
    throughMonth: 3,
    materiality: { percent: 1.5, minKr: 2000 },
  }),
};

const linesOf = async (f: FollowUpFacts) => (await pdfLines(await followUpPdf(f))).lines;

describe('the month of outcome', () => {
  it('must be a whole month from 0 to 12', () => {
    for (const m of [-1, 13, 2.5]) expect(() => followUpCsv({ ...facts, throughMonth: m })).toThrow(`throughMonth must be a whole number from 0 to 12, got ${m}`);
  });

  it("must be the forecast's", () => {
    expect(() => followUpCsv({ ...facts, throughMonth: 4 })).toThrow("throughMonth 4 is not the forecast's (3)");
  });
});

describe('the texts below the table', () => {
  it('the equity at year end, saying the opening equity comes from the bookkeeping or the plan', async () => {
    const sie = await linesOf({ ...facts, equityCarriedOver: 500_000, equityFrom: 'sie' });
    expect(sie).toContain('Resultat för 2014 enligt prognosen: 1 159 000 kr (budget 1 120 000 kr, avvikelse 39 000 kr).');
    expect(sie).toContain('Eget kapital vid årets slut enligt prognosen: 1 659 000 kr (ingående eget kapital 500 000 kr enligt bokföringens ingående balans, resultat 1 159 000 kr).');
    const plan = await linesOf({ ...facts, equityCarriedOver: 500_000, equityFrom: 'plan' });
    expect(plan).toContain('Eget kapital vid årets slut enligt prognosen: 1 659 000 kr (ingående eget kapital 500 000 kr enligt planen, resultat 1 159 000 kr).');
  });

  it('the material deviations with a plus when better than the budget, and the threshold with a decimal comma', async () => {
    const lines = await linesOf(facts);
    expect(lines).toContain('Administration 120 000 6 000 36 000 66 000 96 000 * 24 000');
    expect(lines).toContain('Väsentliga avvikelser (*), större än det största av 1,5 % av radens budget och 2 000 kr: Administration +24 000 kr, Lokaler +15 000 kr.');
  });

  it('names only the lines without outcome; without a known equity says nothing of it', async () => {
    const lines = await linesOf(facts);
    expect(lines.slice(lines.findIndex((l) => l.startsWith('Resultat för')))).toEqual([
      'Resultat för 2014 enligt prognosen: 1 159 000 kr (budget 1 120 000 kr, avvikelse 39 000 kr).',
      'Väsentliga avvikelser (*), större än det största av 1,5 % av radens budget och 2 000 kr: Administration +24 000 kr, Lokaler +15 000 kr.',
      'Rader utan utfall t.o.m. mars, där prognosen bara bygger på budgeten: Lokaler.',
      'Budgetuppföljning 2014, Samordningsförbundet Sydnärke – sida 1 av 1',
    ]);
  });

  it('a budget year with no lines still prints, its sums all zero', async () => {
    const lines = await linesOf({ forbundName: 'Samordningsförbundet Sydnärke', year: 2014, throughMonth: 0, forecast: forecast({ budget: { year: 2014, lines: [] }, actuals: [], throughMonth: 0 }) });
    expect(lines).toContain('Summa intäkter 0 0 0 0 0 0');
    expect(lines).toContain('Resultat 0 0 0 0 0 0');
    expect(lines.slice(lines.findIndex((l) => l.startsWith('Resultat för')))).toEqual([
      'Resultat för 2014 enligt prognosen: 0 kr (budget 0 kr, avvikelse 0 kr).',
      'Ingen rad avviker mer än väsentlighetsgränsen, det största av 1 % av radens budget och 5 000 kr.',
      'Budgetuppföljning 2014, Samordningsförbundet Sydnärke – sida 1 av 1',
    ]);
  });

  it('with no outcome yet: says so in the heading and the column, and that no line deviates', async () => {
    const f: FollowUpFacts = { forbundName: 'Samordningsförbundet Sydnärke', year: 2014, throughMonth: 0, forecast: forecast({ budget, actuals: [], throughMonth: 0 }) };
    const lines = await linesOf(f);
    expect(lines[2]).toBe('Inget utfall ännu för 2014: prognosen följer budgeten');
    expect(lines.join(' ')).toContain('Belopp i kronor. Prognoserna är ackumulerade från årets början. Avvikelse helår: prognosen mot budgeten som den påverkar resultatet');
    expect(lines).toContain('helår inget ännu t.o.m. mars t.o.m. juni t.o.m. december mot budget');
    expect(lines).toContain('Ingen rad avviker mer än väsentlighetsgränsen, det största av 1 % av radens budget och 5 000 kr.');
    // A forecast that has lines without outcome at month 0 names no month.
    const without = { ...f.forecast, withoutOutcome: ['lok'], perLine: f.forecast.perLine.map((l) => ({ ...l, noOutcome: l.name === 'Lokaler' })) };
    expect(await linesOf({ ...f, forecast: without })).toContain('Rader utan utfall, där prognosen bara bygger på budgeten: Lokaler.');
  });
});

describe('a follow-up running over pages', () => {
  it('repeats the headings on each page of the table, keeps the sums with the last line, and starts the texts below on a new page when they do not fit', async () => {
    const many: YearBudget = {
      year: 2014,
      lines: [
        { key: 'in', name: 'Medlemsbidrag', kind: 'income', group: 'members', amount: 4_400_000 },
        ...Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, name: `Insats ${i + 1}`, kind: 'cost' as const, group: 'project' as const, amount: 100_000 })),
      ],
    };
    const { pages, lines } = await pdfLines(await followUpPdf({ forbundName: 'Samordningsförbundet Sydnärke', year: 2014, throughMonth: 9, forecast: forecast({ budget: many, actuals: [], throughMonth: 9 }) }));
    if (process.env.SHOW_TEXTS) console.log(lines.join('\n'));
    // Two pages of table; the texts below it do not fit on the second, so they start the third.
    expect(pages).toBe(3);
    expect(lines.filter((l) => l === 'Rad Budget Utfall Prognos +3 mån Prognos helår Avvikelse helår')).toHaveLength(2);
    expect(lines[lines.indexOf('Budgetuppföljning 2014, Samordningsförbundet Sydnärke – sida 2 av 3') + 1]).toBe('Resultat för 2014 enligt prognosen: 400 000 kr (budget 400 000 kr, avvikelse 0 kr).');
    for (let i = 1; i <= 40; i++) expect(lines).toContain(`Insats ${i} 100 000 0 100 000 100 000 0`);
    const last = lines.indexOf('Insats 40 100 000 0 100 000 100 000 0');
    expect(lines.slice(last + 1, last + 4)).toEqual(['Summa intäkter 4 400 000 0 4 400 000 4 400 000 0', 'Summa kostnader 4 000 000 0 4 000 000 4 000 000 0', 'Resultat 400 000 0 400 000 400 000 0']);
    for (let p = 1; p <= pages; p++) expect(lines).toContain(`Budgetuppföljning 2014, Samordningsförbundet Sydnärke – sida ${p} av ${pages}`);
  });
});

describe('the document', () => {
  it('is in Swedish, titled with the year and the förbund, by the förbund', async () => {
    const doc = await getDocument({ data: new Uint8Array(await followUpPdf(facts)), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
    const info = (await doc.getMetadata()).info as Record<string, unknown>;
    await doc.destroy();
    expect(info).toMatchObject({ Language: 'sv-SE', Title: 'Budgetuppföljning 2014 – Samordningsförbundet Sydnärke', Author: 'Samordningsförbundet Sydnärke' });
  });

  it("sets the members' rows plain and their sum bold", async () => {
    const contributions = memberContributions(1_200_000, [
      { key: 'fk', name: 'Försäkringskassan', kind: 'forsakringskassan' },
      { key: 'reg', name: 'Region Örebro län', kind: 'region' },
      { key: 'k', name: 'Kumla kommun', kind: 'municipality' },
    ]);
    const { lines, bold } = await pdfLines(await followUpPdf({ ...facts, contributions }));
    expect(lines).toContain('Staten via Försäkringskassan 50 % 600 000 150 000 150 000 150 000 150 000');
    expect(lines).toContain('Kumla kommun 25 % 300 000 75 000 75 000 75 000 75 000');
    expect(lines).toContain('Summa 100 % 1 200 000 300 000 300 000 300 000 300 000');
    for (const s of ['Summa', '1 200 000']) expect(bold, s).toContain(s);
    for (const s of ['Staten via Försäkringskassan', 'Kumla kommun', '600 000']) expect(bold, s).not.toContain(s);
  });
});


/** A4 landscape, margins of 57 pt: the table runs from 57 to 784.89; six figure columns of 88 pt, the last ending at the right margin. */
const TABLE = { left: 57, right: 841.89 - 57 };
const figureColumnEnds = [5, 4, 3, 2, 1, 0].map((j) => TABLE.right - 88 * j);
/** The glyphs of a run from the top of its capitals to the bottom of its descenders (Helvetica). */
const box = (r: Run) => ({ top: r.baseline - 0.718 * r.size, bottom: r.baseline + 0.207 * r.size });

describe('the table on paper', () => {
  it('the figures, their headings and the months beneath end flush, 3 pt inside the right edge of their 88 pt column; the names start 3 pt inside the left margin', async () => {
    const [{ runs }] = await drawn(await followUpPdf(facts));
    const table = runs.slice(runs.findIndex((r) => r.s === 'Rad'), runs.findIndex((r) => r.s.startsWith('Resultat för')));
    const names = table.filter((r) => r.x < TABLE.left + 100);
    expect(names.map((r) => r.s)).toEqual(['Rad', 'Medlemsbidrag', 'Övriga intäkter', 'Administration', 'Lokaler', 'Summa intäkter', 'Summa kostnader', 'Resultat']);
    for (const r of names) expect(r.x, r.s).toBeCloseTo(TABLE.left + 3, 1);
    const figures = table.filter((r) => r.x >= TABLE.left + 100);
    // Each column: its heading, the month beneath it and the figure of each of the 7 rows.
    expect(figures).toHaveLength(6 * 9);
    for (const r of figures) expect(figureColumnEnds.some((end) => Math.abs(r.right - (end - 3)) < 0.05), `${r.s} ends at ${r.right}`).toBe(true);
    for (const end of figureColumnEnds) expect(figures.filter((r) => Math.abs(r.right - (end - 3)) < 0.05)).toHaveLength(9);
    expect(figures.filter((r) => Math.abs(r.right - (TABLE.right - 3)) < 0.05).map((r) => r.s)).toEqual(['Avvikelse helår', 'mot budget', '0', '0', '* 24 000', '* 15 000', '0', '39 000', '39 000']);
  });

  it('the headings black in bold type, the month beneath each in smaller grey type one line down, the lines black', async () => {
    const [{ runs }] = await drawn(await followUpPdf(facts));
    const headings = runs.filter((r) => ['Rad', 'Budget', 'Utfall', 'Prognos +3 mån', 'Prognos +6 mån', 'Prognos helår', 'Avvikelse helår'].includes(r.s));
    const months = runs.filter((r) => ['helår', 't.o.m. mars', 't.o.m. juni', 't.o.m. september', 't.o.m. december', 'mot budget'].includes(r.s));
    expect(headings).toHaveLength(7);
    expect(months).toHaveLength(6);
    for (const r of headings) expect([r.s, r.color, r.size]).toEqual([r.s, '#000000', 9.5]);
    for (const r of months) expect([r.s, r.color, r.size]).toEqual([r.s, '#555555', 8.5]);
    // The months one line (about 10.6 pt) below their headings; the first line of the table one row (about 16.5 pt) below the months.
    for (const r of months) expect(r.baseline - headings[0].baseline, r.s).toBeCloseTo(10.59, 1);
    const first = runs.find((r) => r.s === 'Medlemsbidrag')!;
    expect(first.baseline - months[0].baseline).toBeCloseTo(16.54, 1);
    expect(first.color).toBe('#000000');
  });

  it('a rule across the table under the headings and above each sum, none between the lines, and no rule runs through a text', async () => {
    const [{ runs, rules }] = await drawn(await followUpPdf(facts));
    expect(rules).toHaveLength(4);
    for (const r of rules) expect([r.from, r.to]).toEqual([TABLE.left, expect.closeTo(TABLE.right, 2)]);
    const rowOf = (s: string) => runs.find((r) => r.s === s)!;
    // Each rule lies between the text above it and the text below it.
    const between = [
      ['t.o.m. mars', 'Medlemsbidrag'],
      ['Lokaler', 'Summa intäkter'],
      ['Summa intäkter', 'Summa kostnader'],
      ['Summa kostnader', 'Resultat'],
    ];
    rules.forEach((rule, i) => {
      const [above, below] = between[i].map(rowOf);
      expect(rule.y, between[i].join(' / ')).toBeGreaterThan(box(above).bottom);
      expect(rule.y, between[i].join(' / ')).toBeLessThan(box(below).top);
    });
    for (const rule of rules) for (const r of runs) expect(rule.y > box(r).top && rule.y < box(r).bottom, `${r.s} crossed at ${rule.y}`).toBe(false);
  });

  it('a figure too wide for its column (tens of trillions) is set smaller, just filling the column without spilling over', async () => {
    const big: YearBudget = { year: 2014, lines: [{ key: 'x', name: 'Insats', kind: 'cost', group: 'project', amount: 9_999_999_999_999 }] };
    const [{ runs }] = await drawn(await followUpPdf({ ...facts, throughMonth: 0, forecast: forecast({ budget: big, actuals: [], throughMonth: 0 }) }));
    // The result's budget: "-9 999 999 999 999" is some 82.4 pt at 9.5 pt; the Budget column has 88 − 2 × 3 pt.
    const budgetColumn = { from: TABLE.right - 6 * 88, to: TABLE.right - 5 * 88 };
    const wide = runs.filter((r) => r.s === '-9 999 999 999 999' && r.right < budgetColumn.to);
    expect(wide).toHaveLength(1);
    expect(wide[0].size).toBeLessThan(9.5);
    expect(wide[0].right).toBeCloseTo(budgetColumn.to - 3, 1);
    expect(wide[0].x).toBeCloseTo(budgetColumn.from + 3, 1);
    // The same figure one krona narrower in the line's own row keeps the full size.
    expect(runs.filter((r) => r.s === '9 999 999 999 999' && r.right < budgetColumn.to).map((r) => r.size)).toEqual([9.5, 9.5]);
  });

  it("a line's long name wraps within its column at full size, its figures on its first line", async () => {
    const long: YearBudget = { year: 2014, lines: [{ key: 'x', name: 'Samverkansteamet för unga vuxna i Hällefors, Lindesberg, Ljusnarsberg och Nora', kind: 'cost', group: 'project', amount: 120_000 }] };
    const pdf = await followUpPdf({ ...facts, forecast: forecast({ budget: long, actuals: [], throughMonth: 3 }) });
    const { lines } = await pdfLines(pdf);
    const at = lines.indexOf('Samverkansteamet för unga vuxna i 120 000 0 60 000 90 000 120 000 0');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe('Hällefors, Lindesberg, Ljusnarsberg och Nora');
    const [{ runs }] = await drawn(pdf);
    expect(runs.filter((r) => r.s.startsWith('Samverkansteamet för') || r.s.startsWith('Hällefors,')).map((r) => [r.s, r.size])).toEqual([
      ['Samverkansteamet för unga vuxna i', 9.5],
      ['Hällefors, Lindesberg, Ljusnarsberg och Nora', 9.5],
    ]);
  });
});

describe("where the members' table starts", () => {
  /**
   * Through March with `n` cost lines besides the members' contributions, and the equity below:
   * with 8 lines the texts below the follow-up end some 441.6 pt down page 1, with 9 lines 458.6 pt
   * (the page's text ends at 538.3 pt). Each row of the members' table is 17 pt, its heading too,
   * and its title 21 pt.
   */
  const followUp = (n: number, municipalities: number): FollowUpFacts => {
    const lines: YearBudget = {
      year: 2014,
      lines: [
        { key: 'in', name: 'Medlemsbidrag', kind: 'income', group: 'members', amount: 1_200_000 },
        ...Array.from({ length: n }, (_, i) => ({ key: `k${i}`, name: `Insats ${i + 1}`, kind: 'cost' as const, group: 'administration' as const, amount: 10_000 })),
      ],
    };
    const actuals = [{ lineKey: 'in', month: 1, amount: 100_000 }, ...Array.from({ length: n }, (_, i) => ({ lineKey: `k${i}`, month: 1, amount: 2_500 }))];
    return {
      forbundName: 'Samordningsförbundet Sydnärke',
      year: 2014,
      throughMonth: 3,
      forecast: forecast({ budget: lines, actuals, throughMonth: 3 }),
      equityCarriedOver: 500_000,
      contributions: memberContributions(1_200_000, [
        { key: 'fk', name: 'Försäkringskassan', kind: 'forsakringskassan' },
        { key: 'reg', name: 'Region Örebro län', kind: 'region' },
        ...Array.from({ length: municipalities }, (_, i) => ({ key: `m${i}`, name: `Kommun ${i + 1}`, kind: 'municipality' as const })),
      ]),
    };
  };
  const pageOf = (lines: string[], s: string) => lines.slice(0, lines.indexOf(s)).filter((l) => / – sida \d+ av \d+$/.test(l)).length + 1;
  const firstOnPage = (lines: string[], p: number) => (p === 1 ? lines[0] : lines[lines.findIndex((l) => l.endsWith(` – sida ${p - 1} av ${lines.filter((x) => / – sida \d+ av \d+$/.test(x)).length}`)) + 1]);

  it('a short table that would end just below the margin (title 21 pt, heading and 4 rows of 17 pt, from 441.6 pt: 547.6) moves whole to the next page, its title first', async () => {
    const { lines } = await pdfLines(await followUpPdf(followUp(8, 1)));
    expect(pageOf(lines, 'Eget kapital vid årets slut enligt prognosen: 1 620 000 kr (ingående eget kapital 500 000 kr, resultat 1 120 000 kr).')).toBe(1);
    expect(firstOnPage(lines, 2)).toBe('Medlemmarnas bidrag 2014');
    expect(lines.filter((l) => l === 'Medlem Andel Helår Kvartal 1 Kvartal 2 Kvartal 3 Kvartal 4')).toHaveLength(1);
    expect(lines.slice(-3)).toEqual(['Kommun 1 25 % 300 000 75 000 75 000 75 000 75 000', 'Summa 100 % 1 200 000 300 000 300 000 300 000 300 000', 'Budgetuppföljning 2014, Samordningsförbundet Sydnärke – sida 2 av 2']);
  });

  it('a table longer than a page (27 members) starts right below the texts when its title, heading and first three rows fit there, and goes on over the page with its heading repeated', async () => {
    const { lines } = await pdfLines(await followUpPdf(followUp(8, 25)));
    expect(pageOf(lines, 'Medlemmarnas bidrag 2014')).toBe(1);
    expect(pageOf(lines, 'Staten via Försäkringskassan 50 % 600 000 150 000 150 000 150 000 150 000')).toBe(1);
    expect(lines.filter((l) => l === 'Medlem Andel Helår Kvartal 1 Kvartal 2 Kvartal 3 Kvartal 4')).toHaveLength(2);
    expect(firstOnPage(lines, 2)).toBe('Medlem Andel Helår Kvartal 1 Kvartal 2 Kvartal 3 Kvartal 4');
  });

  it('a table longer than a page starts on a new page, its title first, when fewer than its first three rows fit below the texts', async () => {
    const { lines } = await pdfLines(await followUpPdf(followUp(9, 25)));
    expect(pageOf(lines, 'Eget kapital vid årets slut enligt prognosen: 1 610 000 kr (ingående eget kapital 500 000 kr, resultat 1 110 000 kr).')).toBe(1);
    expect(firstOnPage(lines, 2)).toBe('Medlemmarnas bidrag 2014');
  });

  it('its title stands a clear space above its heading', async () => {
    const pages = await drawn(await followUpPdf({ ...facts, contributions: memberContributions(1_200_000, [{ key: 'fk', name: 'Försäkringskassan', kind: 'forsakringskassan' }]) }));
    const runs = pages.flatMap((p) => p.runs);
    const title = runs.find((r) => r.s === 'Medlemmarnas bidrag 2014')!;
    const heading = runs.find((r) => r.s === 'Medlem')!;
    expect(box(heading).top - box(title).bottom).toBeGreaterThan(10);
  });
});

describe('the footer', () => {
  it('is centred at the foot of each page, in small grey type', async () => {
    const pages = await drawn(await followUpPdf(facts));
    const footer = pages[0].runs.find((r) => r.s === 'Budgetuppföljning 2014, Samordningsförbundet Sydnärke – sida 1 av 1')!;
    expect((footer.x + footer.right) / 2).toBeCloseTo(841.89 / 2, 1);
    expect([footer.baseline, footer.size, footer.color]).toEqual([expect.closeTo(595.28 - 36 + 0.718 * 8, 1), 8, '#555555']);
  });
});
