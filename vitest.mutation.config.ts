// The tests `npm run mutation` (Stryker) runs against each mutant of the rules: the files that test
// pure functions only (no database, Temporal, HTTP or browser), so a mutant is judged in seconds.
// A rule that only an integration test checks shows up as surviving here: that is the point.
import { defineConfig } from 'vitest/config';

export const RULE_TESTS = [
  'tests/*-domain.test.ts',
  'tests/budget.test.ts',
  'tests/budgetuppfoljning.test.ts',
  'tests/dates.test.ts',
  'tests/forbund-file.test.ts',
  'tests/fritext.test.ts',
  'tests/ics.test.ts',
  'tests/invite-texts.test.ts',
  'tests/kallelse-pdf.test.ts',
  'tests/mail-links.test.ts',
  'tests/no-role-keys.test.ts',
  'tests/personnummer.test.ts',
  'tests/prognos.test.ts',
  'tests/publicering.test.ts',
  'tests/rapportlage.test.ts',
  'tests/sie.test.ts',
  'tests/styrelse-texts.test.ts',
  'tests/texts.test.ts',
  'tests/utdrag-pdf.test.ts',
];

/** Rule tests with a part on a real database: left to the full suite. */
const WITH_DATABASE = ['tests/no-role-keys.test.ts'];

export default defineConfig({
  test: {
    include: RULE_TESTS,
    exclude: WITH_DATABASE,
    env: { ARSCYKEL_MUTATION: '1' },
    testTimeout: 30_000,
    pool: 'forks',
  },
});
