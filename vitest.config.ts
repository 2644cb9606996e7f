import { defineConfig } from 'vitest/config';

// Four suites: pure unit tests, the hub end to end in embedded mode (aedes + PGlite, no
// services needed), and the same behaviour against this machine's Mosquitto and PostgreSQL,
// and the dashboard in a browser.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'embedded',
          include: ['test/embedded/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'services',
          include: ['test/services/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        // The dashboard in Debian's chromium against an embedded hub (npm run test:e2e builds
        // dashboards/dist first).
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
