import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at a time even on 2 cores (vitest's default there is one): most of a file's time is
    // spent waiting on Temporal's servers, Chromium, SMTP and the database. 11.5 → 8.5 minutes.
    maxWorkers: 2,
  },
});
