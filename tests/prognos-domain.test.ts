// The forecast of a budget year and its quarterly review (domain/prognos.ts), case by case: what
// the forecast refuses and what it says it left out, how a line's budget falls over the months,
// the deviation of each line and when it is material, the lines without outcome the reader must
// be told of, the committed grants that hold a project's year end up, and the review's verdict.
import { describe, expect, it } from 'vitest';
import type { BudgetLine, YearBudget } from '../domain/budget.js';
import { forecast, review, type ActualEntry, type ForecastInput } from '../domain/prognos.js';

const line = (l: Partial<BudgetLine> & Pick<BudgetLine, 'key' | 'kind' | 'group' | 'amount'>): BudgetLine => ({ name: l.key, ...l });
const budgetOf = (...lines: BudgetLine[]): YearBudget => ({ year: 2030, lines });
const run = (lines: BudgetLine[], actuals: ActualEntry[], throughMonth: number, extra: Partial<ForecastInput> = {}) => forecast({ budget: budgetOf(...lines), actuals, throughMonth, ...extra });
const lineOf = (f: ReturnType<typeof forecast>, key: string) => f.perLine.find((l) => l.key === key)!;

const admin = line({ key: 'personal', kind: 'cost', group: 'administration', amount: 120000 });
const bidrag = line({ key: 'bidrag', kind: 'income', group: 'members', amount: 400000 });
const ranta = line({ key: 'ranta', kind: 'income', group: 'other_income', amount: 12000 });
const grant = (key: string, amount: number, projectKey: string | null = key) => line({ key, kind: 'cost', group: 'project', amount, ...(projectKey ? { projectKey } : {}) });

describe('what the forecast refuses', () => {
  it('a month before January as the last month with outcome', () => {
    expect(() => run([admin], [], -1)).toThrow('throughMonth must be a whole number from 0 to 12, got -1');
  });

  it('an outcome entry for a month after December', () => {
    expect(() => run([admin], [{ lineKey: 'personal', month: 13, amount: 100 }], 12)).toThrow('actual for "personal": month must be 1 to 12, got 13');
  });

  it('a timing with a negative, an infinite or a missing weight; zeros are fine', () => {
    const weights = (x: number) => [1, 1, 1, 1, 1, x, 1, 1, 1, 1, 1, 1];
    for (const bad of [-1, Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(() => run([admin], [], 3, { timing: { personal: weights(bad) } }), String(bad)).toThrow('timing of "personal" must be 12 weights, none negative');
    }
    // Three of the eleven weighted months.
    expect(run([admin], [], 3, { timing: { personal: weights(0) } }).perLine[0].budgetToDate).toBe(32727);
  });
});

describe('what it left out, in plain words', () => {
  it('a timing for a line the budget does not have is named; one for its own line is not', () => {
    const f = run([admin], [], 3, { timing: { personal: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], resor: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] } });
    expect(f.notes).toEqual(['a timing for "resor", which is no line of the 2030 budget, was left out']);
  });

  it('outcome for unknown lines, listed in alphabetical order', () => {
    const f = run([admin], [{ lineKey: 'zeta', month: 1, amount: 5 }, { lineKey: 'alfa', month: 1, amount: 5 }], 3);
    expect(f.notes).toEqual(['outcome for lines not in the 2030 budget was left out: alfa, zeta']);
  });

  it('several entries after the last month with outcome, in the plural', () => {
    const f = run([admin], [{ lineKey: 'personal', month: 4, amount: 10000 }, { lineKey: 'personal', month: 5, amount: 10000 }], 3);
    expect(f.notes).toEqual(['2 outcome entries after month 3 were left out']);
  });

  it('grants committed to several projects without a line, when no pool line can hold them', () => {
    const f = run([admin], [], 3, { committedGrants: { 'b-projekt': 1000, 'a-projekt': 2000 } });
    expect(f.notes).toEqual(['grants committed to projects with no line in the 2030 budget were left out (it has no project line without a project to hold them): a-projekt, b-projekt']);
  });
});

describe('how a budget falls over the months', () => {
  it('a running cost without a timing of its own falls evenly, the members\' contributions by quarter', () => {
    const f = run([admin, bidrag], [], 2);
    expect(lineOf(f, 'personal').budgetToDate).toBe(20000);
    expect(lineOf(f, 'bidrag').budgetToDate).toBe(100000);
  });

  it('a timing of only zeros is taken as even months', () => {
    const f = run([admin], [{ lineKey: 'personal', month: 6, amount: 60000 }], 6, { timing: { personal: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] } });
    expect(f.perLine[0]).toMatchObject({ budgetToDate: 60000, rate: 1, at3Months: 90000, yearEnd: 120000 });
  });

  it('an agreed grant whose timing has no months left: what is behind comes the next month', () => {
    const steg = grant('steg', 300000);
    const f = run([steg], [{ lineKey: 'steg', month: 2, amount: 100000 }], 3, { timing: { steg: [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0] } });
    expect(f.perLine[0]).toMatchObject({ budgetToDate: 300000, actualToDate: 100000, at3Months: 300000, at6Months: 300000, yearEnd: 300000 });
    expect(f.result.at3Months).toBe(-300000);
  });
});

describe('the rule of each line', () => {
  it('an agreed amount has no run rate; a running line has one', () => {
    const f = run([bidrag, admin], [{ lineKey: 'personal', month: 3, amount: 36000 }], 3);
    expect(lineOf(f, 'bidrag').rule).toBe('agreed');
    expect(lineOf(f, 'bidrag')).not.toHaveProperty('rate');
    expect(lineOf(f, 'personal')).toMatchObject({ rule: 'run-rate', rate: 1.2 });
  });
});

describe('the deviation of a line and when it is material', () => {
  it('income above its budget is a positive deviation, below it negative; a cost above its budget is negative', () => {
    const f = run([ranta, admin], [{ lineKey: 'ranta', month: 6, amount: 9000 }, { lineKey: 'personal', month: 3, amount: 72000 }], 6);
    expect(lineOf(f, 'ranta')).toMatchObject({ yearEnd: 15000, deviation: 3000 });
    expect(lineOf(f, 'personal')).toMatchObject({ yearEnd: 144000, deviation: -24000, material: true });
    const low = run([ranta], [{ lineKey: 'ranta', month: 6, amount: 3000 }], 6);
    expect(low.perLine[0]).toMatchObject({ yearEnd: 6000, deviation: -6000, threshold: 5000, material: true });
  });

  it('a deviation exactly at the threshold is not material; one krona beyond it is', () => {
    const paid = (amount: number) => run([bidrag], [{ lineKey: 'bidrag', month: 1, amount }], 1).perLine[0];
    expect(paid(405000)).toMatchObject({ yearEnd: 405000, deviation: 5000, threshold: 5000, material: false });
    expect(paid(405001)).toMatchObject({ deviation: 5001, material: true });
  });

  it('a deviation that rounds to nothing is 0, never −0 (which a number format prints as "−0")', () => {
    // An öresavrundning on an income line without a budget.
    const l = run([line({ key: 'ovrigt', kind: 'income', group: 'other_income', amount: 0 })], [{ lineKey: 'ovrigt', month: 1, amount: -0.4 }], 3).perLine[0];
    expect(l.deviation).toBe(0);
  });
});

describe('lines without outcome: the reader is told the forecast rests on the budget', () => {
  const resor = line({ key: 'resor', kind: 'cost', group: 'administration', amount: 0 });

  it('a line with a budget and only zero entries is without outcome; a line with outcome, or without a budget, is not', () => {
    const f = run([ranta, admin, resor], [{ lineKey: 'ranta', month: 1, amount: 0 }, { lineKey: 'personal', month: 2, amount: 25000 }], 3);
    expect(f.perLine.map((l) => [l.key, l.noOutcome])).toEqual([
      ['ranta', true],
      ['personal', false],
      ['resor', false],
    ]);
    expect(f.withoutOutcome).toEqual(['ranta']);
  });

  it('before the first month has outcome, no line is said to lack it', () => {
    const f = run([ranta, admin, resor], [], 0);
    expect(f.perLine.map((l) => l.noOutcome)).toEqual([false, false, false]);
    expect(f.withoutOutcome).toEqual([]);
  });
});

describe('the horizons at the year\'s end', () => {
  it('a horizon reaching December is the year end, commitments included', () => {
    const steg = grant('steg', 300000);
    const f = run([steg], [{ lineKey: 'steg', month: 9, amount: 225000 }], 9, { committedGrants: { steg: 340000 } });
    expect(f.months).toEqual({ at3Months: 12, at6Months: 12 });
    expect(f.perLine[0]).toMatchObject({ at3Months: 340000, at6Months: 340000, yearEnd: 340000 });
    // Through July: the three-month horizon (October) is before the raise, the six-month one is the year end.
    const jul = run([steg], [{ lineKey: 'steg', month: 7, amount: 175000 }], 7, { committedGrants: { steg: 340000 } });
    expect(jul.months).toEqual({ at3Months: 10, at6Months: 12 });
    expect(jul.perLine[0]).toMatchObject({ at3Months: 250000, at6Months: 340000, yearEnd: 340000 });
  });
});

describe('committed grants hold a project\'s year end up', () => {
  it('only the project\'s cost lines count; an income line of the project is not raised and does not cover it', () => {
    const aterbetalning = line({ key: 'steg-aterbetalning', kind: 'income', group: 'project', amount: 500000, projectKey: 'steg' });
    const f = run([aterbetalning, grant('steg', 300000)], [], 0, { committedGrants: { steg: 340000 } });
    expect(f.perLine.map((l) => [l.key, l.yearEnd])).toEqual([
      ['steg-aterbetalning', 500000],
      ['steg', 340000],
    ]);
    expect(f.notes).toEqual(['project "steg": committed 340 000 kr, more than the 300 000 kr forecast otherwise; the year end of "steg" is raised by 40 000 kr']);
  });

  it('a commitment equal to the forecast changes nothing and says nothing', () => {
    const f = run([grant('steg', 300000)], [], 0, { committedGrants: { steg: 300000 } });
    expect(f.perLine[0].yearEnd).toBe(300000);
    expect(f.notes).toEqual([]);
  });

  it('the shortfall goes onto the project\'s line with the largest budget; of equal ones, the first', () => {
    const f = run([grant('steg-af', 100000, 'steg'), grant('steg-fk', 200000, 'steg'), grant('steg-kommun', 50000, 'steg')], [], 0, { committedGrants: { steg: 400000 } });
    expect(f.perLine.map((l) => l.yearEnd)).toEqual([100000, 250000, 50000]);
    expect(f.notes).toEqual(['project "steg": committed 400 000 kr, more than the 350 000 kr forecast otherwise; the year end of "steg-fk" is raised by 50 000 kr']);
    const tie = run([grant('steg-af', 100000, 'steg'), grant('steg-fk', 100000, 'steg')], [], 0, { committedGrants: { steg: 250000 } });
    expect(tie.perLine.map((l) => l.yearEnd)).toEqual([150000, 100000]);
  });

  it('each project against its own lines, the notes in alphabetical order of project', () => {
    const f = run([grant('zeta', 300000), grant('alfa', 100000)], [], 0, { committedGrants: { zeta: 340000, alfa: 150000 } });
    expect(f.perLine.map((l) => l.yearEnd)).toEqual([340000, 150000]);
    expect(f.notes).toEqual([
      'project "alfa": committed 150 000 kr, more than the 100 000 kr forecast otherwise; the year end of "alfa" is raised by 50 000 kr',
      'project "zeta": committed 340 000 kr, more than the 300 000 kr forecast otherwise; the year end of "zeta" is raised by 40 000 kr',
    ]);
  });

  it('a commitment for a project without a line is held against the pool alone, not the lines of other projects', () => {
    const f = run([grant('steg', 300000), grant('ovriga', 100000, null)], [], 0, { committedGrants: { annat: 150000 } });
    expect(f.perLine.map((l) => [l.key, l.yearEnd])).toEqual([
      ['steg', 300000],
      ['ovriga', 150000],
    ]);
    expect(f.notes).toEqual(['projects without a line of their own (annat): committed 150 000 kr, more than the 100 000 kr forecast otherwise; the year end of "ovriga" is raised by 50 000 kr']);
  });
});

describe('the quarterly review', () => {
  it('with the equity carried over unknown, it names no equity at year end', () => {
    const f = run([bidrag, line({ key: 'personal', kind: 'cost', group: 'administration', amount: 300000 })], [], 0);
    expect(review(f, undefined, { maxPlannedDeficit: 0, minEquity: 0 }, 100000)).toStrictEqual({
      escalate: false,
      deficit: 0,
      worseThanPlanned: 0,
      why: 'No escalation: the forecast result at year end, from the outcome through month 0, is 100 000 kr, not worse than the planned 100 000 kr. Within the financing policy: the result 100 000 kr is not a deficit; the equity carried over is not known, so the lowest equity allowed is not checked.',
    });
  });
});
