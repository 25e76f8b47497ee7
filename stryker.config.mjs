// npm run mutation: Stryker mutates the rules in domain/ and runs the rule tests
// (vitest.mutation.config.ts) against each mutant; a mutant that survives is a rule no test checks.
// Incremental: a second run tests only the mutants of code or tests changed since the first
// (reports/stryker-incremental.json, kept out of git). Not part of CI (it takes too long for every
// stop); run it after changing a rule, and read reports/mutation/index.html.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    'domain/**/*.ts',
    // Data, not rules: the lists of given names and municipalities.
    '!domain/fornamn.ts',
    '!domain/kommuner.ts',
  ],
  // Not copied into Stryker's sandbox: the servers the integration tests use, data and output.
  ignorePatterns: ['.moto', '.temporal', 'data', 'test-output', 'bench-results', 'dist', 'reports'],
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['html', 'clear-text', 'progress', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 2,
  timeoutMS: 20_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
