import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Browser tests (test/**/*.test.ts) belong to @web/test-runner; vitest runs the Node specs.
    include: ['test/**/*.spec.ts', 'server/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
