// Playwright configuration for the CSV benchmark (scripts/bench-csv.sh), not a test suite:
// one spec that measures and writes its figures to $BENCH_OUT. The server is started by
// the script (scripts/e2e-server.sh on 127.0.0.1:3100); the browser and its launch
// arguments are the end-to-end suite's (Debian Chromium, never downloaded).
import { defineConfig } from '@playwright/test';
import suite from '../playwright.config';
import { BASE_URL } from '../tests/support/accounts';

export default defineConfig({
  testDir: '.',
  testMatch: '*.bench.ts',
  outputDir: '../test-results/bench',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: 'list',
  // Building the page and validating 100,000 rows several times takes a while.
  timeout: 300_000,
  expect: { timeout: 60_000 },
  use: {
    ...suite.use,
    baseURL: BASE_URL,
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  projects: [{ name: 'chromium' }],
});
