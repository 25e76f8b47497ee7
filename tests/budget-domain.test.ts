// The budget's money rules (domain/budget.ts): the materiality threshold of a deviation, the
// amounts Årscykel can store, the plan's own totals that do not add up, the exact split of kronor,
// the members' shares under Finsamlagen (the state half, the region a quarter, the municipalities a
// quarter), the financing policy, and the budget years and grant ceilings read from the förbund file.
import { describe, expect, it } from 'vitest';
import {
  MAX_AMOUNT_KR,
  budgetWarnings,
  formatKr,
  isMaterial,
  isStorableKr,
  judge,
  krOf,
  materialityThreshold,
  memberContributions,
  projectCeilingsFor,
  splitExactly,
  yearBudgetsOf,
  type BudgetLine,
  type YearBudget,
} from '../domain/budget.js';
import type { ForbundFile } from '../domain/forbund-file.js';

const line = (key: string, kind: BudgetLine['kind'], group: BudgetLine['group'], amount: number, extra: Partial<BudgetLine> = {}): BudgetLine => ({ key, name: key, kind, group, amount, ...extra });

describe('materiality of a deviation', () => {
  it('is the larger of the percent of the budget and the minimum kronor', () => {
    expect(materialityThreshold(1_000_000, { percent: 2, minKr: 5000 })).toBe(20_000);
    expect(materialityThreshold(-1_000_000, { percent: 2, minKr: 5000 })).toBe(20_000);
    expect(materialityThreshold(100_000)).toBe(5000);
  });

  it('counts a deviation only when it goes beyond the threshold, either way', () => {
    expect(isMaterial(5000, 400_000)).toBe(false);
    expect(isMaterial(5000.4, 400_000)).toBe(false);
    expect(isMaterial(5001, 400_000)).toBe(true);
    expect(isMaterial(-5001, 400_000)).toBe(true);
    expect(isMaterial(-4999, 400_000)).toBe(false);
  });
});

describe('amounts Årscykel stores', () => {
  it('takes whole kronor up to 10^12 either way', () => {
    expect(isStorableKr(MAX_AMOUNT_KR)).toBe(true);
    expect(isStorableKr(-MAX_AMOUNT_KR)).toBe(true);
    expect(isStorableKr(MAX_AMOUNT_KR + 1)).toBe(false);
    expect(isStorableKr(-MAX_AMOUNT_KR - 1)).toBe(false);
    expect(isStorableKr(12.5)).toBe(false);
    expect(isStorableKr(0)).toBe(true);
  });

  it('reads a stored bigint exactly, and refuses one beyond exact counting', () => {
    expect(krOf(4_556_000n)).toBe(4_556_000);
    expect(krOf(-1_075_016)).toBe(-1_075_016);
    expect(() => krOf(2n ** 60n)).toThrow('a stored amount of 1152921504606846976 kr is beyond what can be counted exactly');
  });

  it('formats kronor the Swedish way', () => {
    expect(formatKr(-1_075_016)).toBe('−1 075 016 kr');
    expect(formatKr(4_556_000)).toBe('4 556 000 kr');
  });
});

describe('budget warnings', () => {
  const year = (lines: BudgetLine[], stated: YearBudget['stated']): YearBudget => ({ year: 2037, lines, stated });

  it('warns when the stated administration total is not the sum of the administration lines, naming only those lines', () => {
    const y = year(
      [line('bidrag', 'income', 'members', 1_000_000), line('kansli', 'cost', 'administration', 300_000), line('revision', 'cost', 'administration', 50_000), line('p1', 'cost', 'project', 200_000, { projectKey: 'p1' })],
      { administrationTotal: 360_000 },
    );
    expect(budgetWarnings(y, [{ projectKey: 'p1', name: 'P1', amount: 200_000 }])).toEqual([
      {
        path: '/budget/years/2037/stated/administrationTotal',
        lines: ['kansli', 'revision'],
        message: '2037: the stated administration total 360 000 kr is 10 000 kr more than the sum of its lines, 350 000 kr; the lines: kansli 300 000 kr, revision 50 000 kr',
      },
    ]);
  });

  it('names "(none)" when a stated total has no lines', () => {
    const w = budgetWarnings(year([line('bidrag', 'income', 'members', 1000)], { administrationTotal: 10 }), []);
    expect(w.map((x) => x.message)).toEqual(['2037: the stated administration total 10 kr is 10 kr more than the sum of its lines, 0 kr; the lines: (none)']);
  });

  it('does not compare the project total with ceilings when no project has a ceiling that year', () => {
    const y = year([line('p1', 'cost', 'project', 0, { projectKey: 'p1' }), line('pool', 'cost', 'project', 100_000)], { projectTotal: 100_000 });
    expect(budgetWarnings(y, [])).toEqual([]);
  });

  it('says nothing of a project with no ceiling whose lines are zero, but warns when they are not', () => {
    expect(budgetWarnings(year([line('p1', 'cost', 'project', 0, { projectKey: 'p1' })], undefined), [])).toEqual([]);
    const w = budgetWarnings(year([line('p1', 'cost', 'project', 10, { projectKey: 'p1' })], undefined), []);
    expect(w.map((x) => x.message)).toEqual(['2037: the lines of project "p1" sum to 10 kr, but the project has no grant ceiling for the year; the lines: p1 10 kr']);
  });

  it('says nothing when the stated project total agrees with both its lines and the sum of the grant ceilings', () => {
    const y = year([line('p1', 'cost', 'project', 200_000, { projectKey: 'p1' }), line('pool', 'cost', 'project', 100_000)], { projectTotal: 300_000 });
    const ceilings = [
      { projectKey: 'p1', name: 'P1', amount: 200_000 },
      { projectKey: 'p2', name: 'P2', amount: 100_000 },
    ];
    expect(budgetWarnings(y, ceilings)).toEqual([]);
  });
});

describe('splitting kronor exactly', () => {
  it('gives the leftover kronor to the largest remainders, the earliest first on a tie', () => {
    expect(splitExactly(7, [2, 3, 5])).toEqual([1, 2, 4]);
    expect(splitExactly(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(splitExactly(11, [1, 1, 1])).toEqual([4, 4, 3]);
    expect(splitExactly(-7, [2, 3, 5])).toEqual([-1, -2, -4]);
  });

  it('counts a negative weight as zero, and splits equally when no weight is positive', () => {
    expect(splitExactly(100, [-5, 1])).toEqual([0, 100]);
    expect(splitExactly(100, [0, 0])).toEqual([50, 50]);
  });

  it('has nothing to split among no weights, and refuses part kronor', () => {
    expect(splitExactly(100, [])).toEqual([]);
    expect(() => splitExactly(1.5, [1])).toThrow('total must be whole kronor, got 1.5');
  });
});

describe("the members' contributions", () => {
  type Member = Parameters<typeof memberContributions>[1][number];
  /** Each member's [key, kronor a year, percent, basis] of a million. */
  const ofAMillion = (...members: Member[]) => memberContributions(1_000_000, members).map((x) => [x.memberKey, x.perYear, x.percent, x.basis]);

  it('gives a single municipality the municipal quarter as its party, not as an assumption', () => {
    const c = memberContributions(1_000_000, [
      { key: 'fk', name: 'Försäkringskassan', kind: 'forsakringskassan' },
      { key: 'af', name: 'Arbetsförmedlingen', kind: 'arbetsformedlingen' },
      { key: 'reg', name: 'Region Örebro län', kind: 'region' },
      { key: 'k', name: 'Kumla kommun', kind: 'municipality' },
    ]);
    expect(c.map((x) => [x.memberKey, x.perYear, x.percent, x.basis])).toEqual([
      ['fk', 500_000, 50, 'state'],
      ['af', 0, 0, 'none'],
      ['reg', 250_000, 25, 'party'],
      ['k', 250_000, 25, 'party'],
    ]);
    expect(c[3].perQuarter).toEqual([62_500, 62_500, 62_500, 62_500]);
  });

  it("gives Arbetsförmedlingen what the state's half leaves when Försäkringskassan has a share", () => {
    const c = memberContributions(1_000_000, [
      { key: 'fk', name: 'Försäkringskassan', kind: 'forsakringskassan', share: 30 },
      { key: 'af', name: 'Arbetsförmedlingen', kind: 'arbetsformedlingen' },
      { key: 'reg', name: 'Region', kind: 'region' },
      { key: 'a', name: 'A kommun', kind: 'municipality' },
      { key: 'b', name: 'B kommun', kind: 'municipality' },
    ]);
    expect(c.map((x) => [x.memberKey, x.perYear, x.basis])).toEqual([
      ['fk', 300_000, 'given'],
      ['af', 200_000, 'state'],
      ['reg', 250_000, 'party'],
      ['a', 125_000, 'assumed-equal'],
      ['b', 125_000, 'assumed-equal'],
    ]);
  });

  it("puts the state's half on the first Försäkringskassan listed when the file lists two without a share", () => {
    expect(
      ofAMillion(
        { key: 'fk1', name: 'Försäkringskassan', kind: 'forsakringskassan' },
        { key: 'fk2', name: 'Försäkringskassan Örebro', kind: 'forsakringskassan' },
        { key: 'reg', name: 'Region', kind: 'region' },
        { key: 'k', name: 'Kumla kommun', kind: 'municipality' },
      ),
    ).toEqual([
      ['fk1', 500_000, 50, 'state'],
      ['fk2', 0, 0, 'none'],
      ['reg', 250_000, 25, 'party'],
      ['k', 250_000, 25, 'party'],
    ]);
  });

  it("puts what the state's half leaves on the first Arbetsförmedlingen listed when there are two and Försäkringskassan has a share", () => {
    expect(
      ofAMillion(
        { key: 'fk', name: 'Försäkringskassan', kind: 'forsakringskassan', share: 30 },
        { key: 'af1', name: 'Arbetsförmedlingen', kind: 'arbetsformedlingen' },
        { key: 'af2', name: 'Arbetsförmedlingen Bergslagen', kind: 'arbetsformedlingen' },
        { key: 'reg', name: 'Region', kind: 'region' },
        { key: 'k', name: 'Kumla kommun', kind: 'municipality' },
      ),
    ).toEqual([
      ['fk', 300_000, 30, 'given'],
      ['af1', 200_000, 20, 'state'],
      ['af2', 0, 0, 'none'],
      ['reg', 250_000, 25, 'party'],
      ['k', 250_000, 25, 'party'],
    ]);
  });
});

describe('the financing policy', () => {
  const policy = { maxPlannedDeficit: 100_000, minEquity: 500_000 };

  it('calls a result of zero no deficit, and gives no equity at year end when the start is not known', () => {
    expect('equityEnd' in judge(0, undefined, policy)).toBe(false);
    expect(judge(0, undefined, policy).reason).toBe(
      'Within the financing policy: the result 0 kr is not a deficit; the equity carried over is not known, so the lowest equity allowed is not checked.',
    );
  });

  it('allows the equity to end exactly at the lowest allowed', () => {
    expect(judge(-100_000, 600_000, policy)).toEqual({
      withinPolicy: true,
      equityEnd: 500_000,
      reason:
        'Within the financing policy: the result −100 000 kr is a deficit the policy allows (at most 100 000 kr below zero); the equity goes from 600 000 kr to 500 000 kr, not below the lowest allowed, 500 000 kr.',
    });
    expect(judge(-100_001, 600_000, policy)).toEqual({
      withinPolicy: false,
      equityEnd: 499_999,
      reason:
        'Outside the financing policy: the result −100 001 kr is 1 kr below what the policy allows (a result down to −100 000 kr, i.e. at most 100 000 kr below zero); the equity would fall from 600 000 kr to 499 999 kr, 1 kr below the lowest allowed, 500 000 kr.',
    });
  });
});

describe('reading the budget from the förbund file', () => {
  const file = {
    budget: {
      years: {
        '2038': { income: [], costs: [] },
        '2010': { income: [], costs: [] },
        '2037': {
          income: [
            { id: 'fk', name: 'Försäkringskassan', group: 'members', amount: 500, member: 'fk' },
            { id: 'ovr', name: 'Övrigt', group: 'other_income', amount: 10 },
          ],
          costs: [
            { id: 'p1', name: 'Projekt 1', group: 'project', amount: 200, project: 'p1' },
            { id: 'pool', name: 'Pool', group: 'project', amount: 50 },
          ],
          equityCarriedOver: 900,
          stated: { result: 260 },
        },
      },
    },
  } as unknown as Pick<ForbundFile, 'budget'>;

  it('gives the years in order, with lines, members, projects, equity and stated totals', () => {
    const ys = yearBudgetsOf(file);
    expect(ys.map((y) => y.year)).toEqual([2010, 2037, 2038]);
    // Strict: a line without a member or project, and a year without equity or stated totals, has no such key at all.
    expect(ys[0]).toStrictEqual({ year: 2010, lines: [] });
    expect(ys[1]).toStrictEqual({
      year: 2037,
      lines: [
        { key: 'fk', name: 'Försäkringskassan', kind: 'income', group: 'members', amount: 500, memberKey: 'fk' },
        { key: 'ovr', name: 'Övrigt', kind: 'income', group: 'other_income', amount: 10 },
        { key: 'p1', name: 'Projekt 1', kind: 'cost', group: 'project', amount: 200, projectKey: 'p1' },
        { key: 'pool', name: 'Pool', kind: 'cost', group: 'project', amount: 50 },
      ],
      equityCarriedOver: 900,
      stated: { result: 260 },
    });
    expect(yearBudgetsOf({} as Pick<ForbundFile, 'budget'>)).toEqual([]);
  });

  it("gives the grant ceilings for a year, not a withdrawn project's", () => {
    const projects = [
      { id: 'a', name: 'A', status: 'ongoing', grants: { '2037': 100 } },
      { id: 'b', name: 'B', status: 'withdrawn', grants: { '2037': 200 } },
      { id: 'c', name: 'C', status: 'ongoing', grants: { '2038': 300 } },
    ] as unknown as ForbundFile['projects'];
    expect(projectCeilingsFor({ projects }, 2037)).toEqual([{ projectKey: 'a', name: 'A', amount: 100 }]);
  });
});
