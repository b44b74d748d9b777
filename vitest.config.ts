import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Browser tests (test/**/*.test.ts) belong to @web/test-runner; vitest runs the Node specs.
    include: ['test/**/*.spec.ts', 'server/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Three files at a time on CI's two cores (vitest's default is cores minus one): the suite
    // waits on argon2, PostgreSQL and Chromium more than it computes (about 4.5 min instead of 13).
    maxWorkers: 3,
  },
});
