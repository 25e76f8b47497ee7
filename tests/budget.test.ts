import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  budgetWarnings,
  formatKr,
  judge,
  memberContributions,
  projectCeilingsFor,
  resultOf,
  splitExactly,
  totals,
  yearBudgetsOf,
  type ContributingMember,
  type YearBudget,
} from '../domain/budget.js';
import { parseForbundFile, type ForbundFile } from '../domain/forbund-file.js';

const load = (name: string) => parseForbundFile(readFileSync(`examples/${name}.yaml`, 'utf8'), `${name}.yaml`);
const sydnarke = load('sydnarke');
const sofint = load('sofint');
const yearOf = (file: ForbundFile, year: number) => yearBudgetsOf(file).find((y) => y.year === year)!;
const warningsOf = (file: ForbundFile, year: number) => budgetWarnings(yearOf(file, year), projectCeilingsFor(file, year));
const membersOf = (file: ForbundFile): ContributingMember[] => file.members.map((m) => ({ key: m.id, name: m.name, kind: m.kind, ...(m.share !== undefined ? { share: m.share } : {}) }));

describe('formatKr', () => {
  it('whole kronor, Swedish style', () => {
    expect(formatKr(4556000)).toBe('4 556 000 kr');
    expect(formatKr(-1075016)).toBe('−1 075 016 kr');
    expect(formatKr(800)).toBe('800 kr');
    expect(formatKr(0)).toBe('0 kr');
    expect(formatKr(-0)).toBe('0 kr');
    expect(formatKr(1234.6)).toBe('1 235 kr');
  });
});

describe('the seeds\' budgets from the example files', () => {
  it('Sofint 2013 (004 §6.1): income 2 700 000, costs 3 600 000, result −900 000; 2014 and 2015 balance', () => {
    const y = yearOf(sofint, 2013);
    expect(totals(y)).toEqual({ income: 2700000, costs: 3600000, result: -900000, members: 2700000, otherIncome: 0, administration: 602200, projects: 2997800 });
    expect(resultOf(y)).toBe(-900000);
    expect(yearBudgetsOf(sofint).map((b) => [b.year, resultOf(b)])).toEqual([
      [2013, -900000],
      [2014, 0],
      [2015, 0],
    ]);
    // Samverkansteamet's twelve lines are its 2 027 000 kr, within its grant.
    expect(y.lines.filter((l) => l.projectKey === 'samverkansteamet').reduce((a, l) => a + l.amount, 0)).toBe(2027000);
  });

  it('Sydnärke 2016–2018 (001 Budget 2016-2018): the table\'s lines give +213 912, +200 422, +186 672', () => {
    expect(yearBudgetsOf(sydnarke).map((b) => [b.year, totals(b).income, totals(b).costs, resultOf(b)])).toEqual([
      [2016, 5795388, 5581476, 213912],
      [2017, 5795388, 5594966, 200422],
      [2018, 5795388, 5608716, 186672],
    ]);
    const y = yearOf(sydnarke, 2016);
    expect(y.equityCarriedOver).toBe(2439354);
    expect(y.stated).toEqual({ totalIncome: 5795388, result: -1075016, projectTotal: 4556000 });
    // The administration lines without the financial costs: the plan's 1 024 476 kr ("Ledning och administration", 18 %).
    expect(totals(y).administration - 1000).toBe(1024476);
  });

  it('Sofint\'s figures add up in 2013 and 2015; its 2014 overview pays a project that ended in 2013', () => {
    expect(warningsOf(sofint, 2013)).toEqual([]);
    expect(warningsOf(sofint, 2015)).toEqual([]);
    expect(warningsOf(sofint, 2014)).toEqual([
      {
        path: '/budget/years/2014/costs/17',
        lines: ['samverkan-ljusnarsberg'],
        message: '2014: the lines of project "samverkan-ljusnarsberg" sum to 30 000 kr, but the project has no grant ceiling for the year; the lines: Projekt Samverkan Ljusnarsberg 30 000 kr',
      },
    ]);
  });
});

describe('budgetWarnings: the plan\'s contradictions are reported, naming the lines', () => {
  it('Sydnärke 2016: the result budget against the table, the project money against the ceilings', () => {
    const warnings = warningsOf(sydnarke, 2016);
    expect(warnings.map((w) => w.path)).toEqual(['/budget/years/2016/stated/projectTotal', '/budget/years/2016/stated/result']);
    const [ceilings, result] = warnings;
    expect(ceilings.lines).toEqual(['utbetalda-projektpengar']);
    expect(ceilings.message).toMatch(/^2016: the stated project total 4 556 000 kr is 55 000 kr less than the sum of the projects' grant ceilings for the year, 4 611 000 kr \(På väg 1 210 000 kr, Mottagningsteamet 700 000 kr, /);
    expect(ceilings.message).toContain('Rehabiliteringsmässan 30 000 kr); the project lines: Utbetalda projektpengar 4 556 000 kr');
    // Drop-outs is financed from 2015's budget: not a ceiling of 2016.
    expect(ceilings.message).not.toContain('Drop-outs');
    expect(result.lines).toHaveLength(14);
    expect(result.lines).toContain('driftbidrag');
    expect(result.lines).toContain('finansiella-kostnader');
    expect(result.message).toMatch(
      /^2016: the stated result −1 075 016 kr is 1 288 928 kr less than the result of the lines, 213 912 kr \(income 5 795 388 kr − costs 5 581 476 kr\); the income lines: Driftbidrag 5 795 388 kr, Övrigt 0 kr, Finansiella intäkter 0 kr; the cost lines: Utbetalda projektpengar 4 556 000 kr, /,
    );
    // The plan years after: the table adds up, and no project has a ceiling yet.
    expect(warningsOf(sydnarke, 2017)).toEqual([]);
    expect(warningsOf(sydnarke, 2018)).toEqual([]);
  });

  const small: YearBudget = {
    year: 2030,
    lines: [
      { key: 'bidrag', name: 'Bidrag', kind: 'income', group: 'members', amount: 1000000 },
      { key: 'ranta', name: 'Ränta', kind: 'income', group: 'other_income', amount: 5000 },
      { key: 'personal', name: 'Personal', kind: 'cost', group: 'administration', amount: 300000 },
      { key: 'steg-a', name: 'Steg A del 1', kind: 'cost', group: 'project', amount: 200000, projectKey: 'steg' },
      { key: 'steg-b', name: 'Steg A del 2', kind: 'cost', group: 'project', amount: 150000, projectKey: 'steg' },
      { key: 'pott', name: 'Pott', kind: 'cost', group: 'project', amount: 100000 },
    ],
  };

  it('every stated total against the sum of its lines, in both directions', () => {
    // (Lines naming no project here: project ceilings are the next test's.)
    const pools = { ...small, lines: small.lines.map(({ projectKey: _, ...l }) => l) };
    const y: YearBudget = { ...pools, stated: { totalIncome: 1000000, totalCosts: 760000, administrationTotal: 300000, projectTotal: 440000, result: 255000 } };
    const w = budgetWarnings(y, []);
    expect(w.map((x) => [x.path, x.lines])).toEqual([
      ['/budget/years/2030/stated/totalIncome', ['bidrag', 'ranta']],
      ['/budget/years/2030/stated/totalCosts', ['personal', 'steg-a', 'steg-b', 'pott']],
      ['/budget/years/2030/stated/projectTotal', ['steg-a', 'steg-b', 'pott']],
    ]);
    expect(w[0].message).toBe('2030: the stated total income 1 000 000 kr is 5 000 kr less than the sum of its lines, 1 005 000 kr; the lines: Bidrag 1 000 000 kr, Ränta 5 000 kr');
    expect(w[1].message).toBe(
      '2030: the stated total costs 760 000 kr is 10 000 kr more than the sum of its lines, 750 000 kr; the lines: Personal 300 000 kr, Steg A del 1 200 000 kr, Steg A del 2 150 000 kr, Pott 100 000 kr',
    );
    expect(w[2].message).toMatch(/^2030: the stated project total 440 000 kr is 10 000 kr less than the sum of its lines, 450 000 kr/);
    // All agreeing: nothing.
    expect(budgetWarnings({ ...pools, stated: { totalIncome: 1005000, totalCosts: 750000, administrationTotal: 300000, projectTotal: 450000, result: 255000 } }, [])).toEqual([]);
  });

  it('a project\'s lines above its ceiling, or with none for the year; a pool is not checked', () => {
    const w = budgetWarnings(small, [{ projectKey: 'steg', name: 'Steg A', amount: 300000 }]);
    expect(w).toEqual([
      {
        path: '/budget/years/2030/costs/1',
        lines: ['steg-a', 'steg-b'],
        message: '2030: the lines of project "Steg A" sum to 350 000 kr, 50 000 kr above its grant ceiling for the year, 300 000 kr; the lines: Steg A del 1 200 000 kr, Steg A del 2 150 000 kr',
      },
    ]);
    expect(budgetWarnings(small, [{ projectKey: 'steg', name: 'Steg A', amount: 350000 }])).toEqual([]);
    expect(budgetWarnings(small, []).map((x) => x.message)).toEqual([expect.stringContaining('the project has no grant ceiling for the year')]);
  });

  it('the project total against the ceilings only when the year has any', () => {
    const y: YearBudget = { ...small, stated: { projectTotal: 450000 } };
    expect(budgetWarnings(y, [{ projectKey: 'steg', name: 'Steg A', amount: 350000 }]).map((x) => x.message)).toEqual([
      "2030: the stated project total 450 000 kr is 100 000 kr more than the sum of the projects' grant ceilings for the year, 350 000 kr (Steg A 350 000 kr); the project lines: Steg A del 1 200 000 kr, Steg A del 2 150 000 kr, Pott 100 000 kr",
    ]);
  });
});

describe('memberContributions: the state half through FK, the region\'s quarter, the municipalities\' quarter', () => {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  it('Sydnärke 2016: 5 795 388 kr split 50/25/25, the four municipalities summing exactly to their quarter', () => {
    const c = memberContributions(5795388, membersOf(sydnarke));
    const by = Object.fromEntries(c.map((x) => [x.memberKey, x]));
    expect(by.forsakringskassan.perYear).toBe(2897694);
    expect(by.arbetsformedlingen.perYear).toBe(0);
    expect(by['region-orebro-lan'].perYear).toBe(1448847);
    // The file's contribution of the region ("25 % of 5 795 388 kr") is the same.
    expect(sydnarke.members.find((m) => m.id === 'region-orebro-lan')!.contribution).toBe(1448847);
    const municipalities = c.filter((x) => sydnarke.members.find((m) => m.id === x.memberKey)!.kind === 'municipality');
    expect(municipalities.map((x) => [x.memberKey, x.perYear])).toEqual([
      ['askersunds-kommun', 362212],
      ['hallsbergs-kommun', 362212],
      ['kumla-kommun', 362212],
      ['laxa-kommun', 362211],
    ]);
    expect(sum(municipalities.map((x) => x.perYear))).toBe(1448847);
    expect(sum(c.map((x) => x.perYear))).toBe(5795388);
    for (const x of c) expect(sum(x.perQuarter)).toBe(x.perYear);
    expect(by.forsakringskassan.perQuarter).toEqual([724424, 724424, 724423, 724423]);
    expect(by['laxa-kommun'].perQuarter).toEqual([90553, 90553, 90553, 90552]);
    expect(by.forsakringskassan.percent).toBe(50);
    expect(by['kumla-kommun'].percent).toBe(6.25);
  });

  it('Sofint 2013: 2 700 000 kr with no shares in the file', () => {
    const c = memberContributions(2700000, membersOf(sofint));
    expect(c.map((x) => [x.memberKey, x.perYear])).toEqual([
      ['hallefors-kommun', 168750],
      ['lindesbergs-kommun', 168750],
      ['ljusnarsbergs-kommun', 168750],
      ['nora-kommun', 168750],
      ['orebro-lans-landsting', 675000],
      ['arbetsformedlingen', 0],
      ['forsakringskassan', 1350000],
    ]);
  });

  it('the municipalities\' agreed key splits their quarter; AF pays when the file gives it a share', () => {
    const members: ContributingMember[] = [
      { key: 'fk', name: 'FK', kind: 'forsakringskassan', share: 30 },
      { key: 'af', name: 'AF', kind: 'arbetsformedlingen', share: 20 },
      { key: 'region', name: 'Region', kind: 'region' },
      { key: 'stor', name: 'Stor kommun', kind: 'municipality', share: 15 },
      { key: 'mellan', name: 'Mellan kommun', kind: 'municipality', share: 7.5 },
      { key: 'liten', name: 'Liten kommun', kind: 'municipality', share: 2.5 },
    ];
    expect(memberContributions(1000000, members).map((x) => x.perYear)).toEqual([300000, 200000, 250000, 150000, 75000, 25000]);
    // AF alone with a share: FK carries the rest of the state's half.
    const afOnly = memberContributions(1000000, [{ key: 'fk', name: 'FK', kind: 'forsakringskassan' }, { key: 'af', name: 'AF', kind: 'arbetsformedlingen', share: 10 }, ...members.slice(2)]);
    expect(afOnly.map((x) => x.perYear)).toEqual([400000, 100000, 250000, 150000, 75000, 25000]);
    // Only one municipality with a key: the rest of the quarter split equally among the others.
    const partial = memberContributions(1000000, [members[0], members[1], members[2], { ...members[3], share: 10 }, { ...members[4], share: undefined }, { ...members[5], share: undefined }]);
    expect(partial.map((x) => x.perYear)).toEqual([300000, 200000, 250000, 100000, 75000, 75000]);
  });

  it('the parts always sum to the whole, in whole kronor, quarters to the year', () => {
    for (const total of [0, 1, 7, 99999, 100001, 2700001, 5795388, 12345679]) {
      const c = memberContributions(total, membersOf(sydnarke));
      expect(sum(c.map((x) => x.perYear)), String(total)).toBe(total);
      for (const x of c) {
        expect(Number.isInteger(x.perYear)).toBe(true);
        expect(sum(x.perQuarter)).toBe(x.perYear);
      }
    }
    expect(splitExactly(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(splitExactly(-10, [1, 1, 1])).toEqual([-4, -3, -3]);
    expect(splitExactly(5, [0, 0])).toEqual([3, 2]);
  });
});

describe('judge: the result against the financing policy', () => {
  const sydnarkePolicy = sydnarke.budget!.policy!;

  it('Sydnärke 2016, the policy as written (no deficit): the adopted budget table\'s +213 912 is within it, the result budget\'s −1 075 016 is not', () => {
    expect(sydnarkePolicy).toEqual({ maxPlannedDeficit: 0, minEquity: 0 });
    const adopted = judge(resultOf(yearOf(sydnarke, 2016)), yearOf(sydnarke, 2016).equityCarriedOver, sydnarkePolicy);
    expect(adopted).toMatchObject({ withinPolicy: true, equityEnd: 2439354 + 213912 });
    expect(adopted.reason).toBe('Within the financing policy: the result 213 912 kr is not a deficit; the equity goes from 2 439 354 kr to 2 653 266 kr, not below the lowest allowed, 0 kr.');
    // The plan's result budget contradicts its own table and its policy: a deficit "ska i princip inte kunna uppstå".
    const resultBudget = judge(-1075016, yearOf(sydnarke, 2016).equityCarriedOver, sydnarkePolicy);
    expect(resultBudget.withinPolicy).toBe(false);
    expect(resultBudget.reason).toContain('the result −1 075 016 kr is 1 075 016 kr below what the policy allows');
  });

  it('a policy allowing a planned deficit: a krona more is outside it; so is a deficit the equity cannot carry (the text\'s "cirka 600 000 kr")', () => {
    const allowing = { maxPlannedDeficit: 1075016, minEquity: 0 };
    const within = judge(-1075016, 2439354, allowing);
    expect(within).toMatchObject({ withinPolicy: true, equityEnd: 1364338 });
    expect(within.reason).toBe(
      'Within the financing policy: the result −1 075 016 kr is a deficit the policy allows (at most 1 075 016 kr below zero); the equity goes from 2 439 354 kr to 1 364 338 kr, not below the lowest allowed, 0 kr.',
    );
    const more = judge(-1075017, 2439354, allowing);
    expect(more.withinPolicy).toBe(false);
    expect(more.reason).toContain('the result −1 075 017 kr is 1 kr below what the policy allows');
    const thin = judge(-1075016, 600000, allowing);
    expect(thin).toMatchObject({ withinPolicy: false, equityEnd: -475016 });
    expect(thin.reason).toBe('Outside the financing policy: the equity would fall from 600 000 kr to −475 016 kr, 475 016 kr below the lowest allowed, 0 kr.');
  });

  it('Sofint 2013: −900 000 under a policy allowing no deficit, the equity unknown', () => {
    const j = judge(-900000, yearOf(sofint, 2013).equityCarriedOver, sofint.budget!.policy!);
    expect(j.withinPolicy).toBe(false);
    expect(j.equityEnd).toBeUndefined();
    expect(j.reason).toBe(
      'Outside the financing policy: the result −900 000 kr is 900 000 kr below what the policy allows (a result down to 0 kr, i.e. at most 0 kr below zero).',
    );
    expect(judge(0, undefined, { maxPlannedDeficit: 0, minEquity: 0 }).reason).toContain('the equity carried over is not known');
  });
});
