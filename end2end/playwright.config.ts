// Playwright configuration for the Beheermodule end-to-end suite.
//
// The browser is Debian's Chromium (/usr/bin/chromium); Playwright never downloads one
// (install with PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 and never run `playwright install`).
// The server is the release binary, started by ../scripts/e2e-server.sh on a fresh
// SQLite database with the demo data; build it first with `cargo leptos build --release`.
import * as path from 'node:path';
import { defineConfig } from '@playwright/test';
import { BASE_URL } from './tests/support/accounts';

const repoRoot = path.resolve(__dirname, '..');

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  // The demo manager's phone number is shared by most tests: with two workers, two logins
  // could read each other's SMS code from the dev inbox. One worker keeps that race out.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    viewport: { width: 1280, height: 800 },
    navigationTimeout: 15_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: {
    command: 'bash scripts/e2e-server.sh',
    cwd: repoRoot,
    url: `${BASE_URL}/health`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    // The script forwards SIGTERM to the server and then removes its temp directory;
    // without this Playwright would SIGKILL the process group and leave the directory.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
