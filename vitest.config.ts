import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Browser tests (test/**/*.test.ts) belong to @web/test-runner; vitest runs the Node specs.
    include: ['test/**/*.spec.ts', 'server/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker per core but one (so 1 on a 2-core machine): most of these
    // files wait on something else (a server process, Chromium, PostgreSQL, argon2 in libuv's
    // pool), so three at a time finish the suite in well under the time of one after another.
    maxWorkers: 3,
  },
});
