// The budget follow-up's rules as the board reads them (domain/budgetuppfoljning.ts): the month of
// outcome must be the forecast's, and on paper (read back with pdf.js) the texts below the table —
// the equity at year end and where the opening equity comes from, the material deviations with
// their sign and threshold, the lines without outcome — the heading with no outcome yet, the
// document's language and title, and which rows of the members' contributions are set in bold.
import { describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { pdfLines } from './support/pdf.js';
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
