// CSV validation in the browser, measured (issue 3, deliverable 6). Run by
// scripts/bench-csv.sh, which builds the release, writes the input files, starts the
// server and prints the BENCH lines from the JSON this spec writes to $BENCH_OUT.
//
// (a) worker: the 100,000-row file validated by /csv-worker.js (the page's own worker and
//     WASM bundle) on a hydrated page; one warm-up, then the median of 3 runs of the time
//     the worker measures around `validate_csv`.
// (b) page: the demo manager selects the 50,000-row file on /beheer/gebruikers; the longest
//     main-thread task (Long Tasks API) from the selection until shortly after the summary
//     appears, and the time from selection to `[data-testid="csv-summary"]`.
//
// Environment: BENCH_CSV_100K, BENCH_CSV_50K (file paths), BENCH_OUT (result JSON),
// BENCH_PARTS ("a", "b" or "a,b"; default both), BENCH_CONTEXT (the validation context as
// JSON for (a); default: bench-csv's, 2026-01-01, EH4, any service, nobody present).
import * as fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_MANAGER } from '../tests/support/accounts';
import { gotoHydrated } from '../tests/support/app';
import { logIn } from '../tests/support/auth';

const WARM_UP_RUNS = 1;
const MEASURED_RUNS = 3;
/** After the summary appears: time for the task that rendered it (and any follow-up) to end. */
const SETTLE_MS = 1_500;

const parts = new Set((process.env.BENCH_PARTS ?? 'a,b').split(',').map((p) => p.trim()));
const out = process.env.BENCH_OUT;

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this through scripts/bench-csv.sh`);
  return value;
}

function record(figures: Record<string, number>): void {
  if (!out) return;
  const previous = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
  fs.writeFileSync(out, JSON.stringify({ ...previous, ...figures }, null, 2));
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The context server/src/bin/bench_csv.rs validates with, so both figures do the same work. */
function defaultContext(): unknown {
  return { today: '2026-01-01', max_level: 'EH4', known_services: null, present_emails: [] };
}

/** Serves `file` at a same-origin URL (the CSP allows only `connect-src 'self'`). */
async function serveFile(page: Page, urlPath: string, file: string): Promise<void> {
  await page.route(`**${urlPath}`, (route) =>
    route.fulfill({ path: file, contentType: 'text/csv; charset=utf-8' }),
  );
}

interface WorkerRun {
  ms: number;
  rows: number;
  invalid: number;
  fileError: string | null;
  /** Main-thread time from postMessage until the answer arrived (includes the worker's `ms`). */
  roundTripMs: number;
}

test('(a) worker: validate the 100,000-row file', async ({ page }) => {
  test.skip(!parts.has('a'), 'BENCH_PARTS excludes (a)');
  const file = requireEnv('BENCH_CSV_100K');
  const context = process.env.BENCH_CONTEXT ? JSON.parse(process.env.BENCH_CONTEXT) : defaultContext();
  await serveFile(page, '/__bench/100k.csv', file);
  await gotoHydrated(page, '/inloggen');

  const runs = await page.evaluate(
    async ({ context, total }) => {
      const worker = new Worker('/csv-worker.js', { type: 'module' });
      const source = await (await fetch('/__bench/100k.csv')).arrayBuffer();
      let nextId = 1;
      const validate = (bytes: ArrayBuffer) =>
        new Promise<WorkerRun>((resolve, reject) => {
          const id = nextId++;
          const posted = performance.now();
          worker.onerror = (event) => reject(new Error(`worker error: ${(event as ErrorEvent).message ?? 'load failed'}`));
          worker.onmessage = (event: MessageEvent) => {
            const answer = event.data;
            if (answer.id !== id) return;
            if (answer.error) return reject(new Error(answer.error));
            resolve({
              ms: answer.ms,
              rows: answer.summary.rows,
              invalid: answer.summary.invalid,
              fileError: answer.summary.file_error ?? null,
              roundTripMs: performance.now() - posted,
            });
          };
          worker.postMessage({ id, bytes, context, maxRows: 100_000 }, [bytes]);
        });
      const results: WorkerRun[] = [];
      for (let i = 0; i < total; i++) results.push(await validate(source.slice(0)));
      worker.terminate();
      return results;
    },
    { context, total: WARM_UP_RUNS + MEASURED_RUNS },
  );

  for (const run of runs) {
    expect(run.fileError, 'the 100k file is readable').toBeNull();
    expect(run.rows, 'every row was validated').toBe(100_000);
    expect(run.invalid, 'the generated file is valid').toBe(0);
  }
  const measured = runs.slice(WARM_UP_RUNS);
  const ms = median(measured.map((r) => r.ms));
  console.log(`worker runs (ms): ${runs.map((r) => r.ms.toFixed(1)).join(', ')}; round trips: ${runs.map((r) => r.roundTripMs.toFixed(1)).join(', ')}`);
  record({ csv_validate_wasm_ms: ms, csv_validate_wasm_round_trip_ms: median(measured.map((r) => r.roundTripMs)) });
});

test('(b) page: select the 50,000-row file on /beheer/gebruikers', async ({ page, request }) => {
  test.skip(!parts.has('b'), 'BENCH_PARTS excludes (b)');
  const file = requireEnv('BENCH_CSV_50K');
  await logIn(page, request, DEMO_MANAGER, '/beheer');
  await gotoHydrated(page, '/beheer/gebruikers');
  const input = page.getByLabel('CSV-bestand');
  await expect(input).toBeAttached();
  await expect(page.locator('[data-testid="csv-summary"]'), 'no summary before a file is chosen').toHaveCount(0);

  // Observers first: every long task and the moment the summary appears, in page time.
  // A deliberate 120 ms task before the selection proves the Long Tasks API reports here
  // (a 0 could otherwise mean "not supported"); it ends before the measured window.
  await page.evaluate(() =>
    new Promise<void>((resolve) =>
      setTimeout(() => {
        const until = performance.now() + 120;
        while (performance.now() < until) {
          /* busy */
        }
        resolve();
      }),
    ),
  );
  await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    const tasks: { start: number; duration: number }[] = [];
    w.__benchLongTasks = tasks;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
    const summaryShown = () => document.querySelector('[data-testid="csv-summary"]') !== null;
    new MutationObserver((_, observer) => {
      if (summaryShown()) {
        w.__benchSummaryAt = performance.now();
        observer.disconnect();
      }
    }).observe(document.body, { childList: true, subtree: true });
    w.__benchSelectedAt = performance.now();
  });

  await input.setInputFiles(file);
  await expect(page.locator('[data-testid="csv-summary"]')).toBeVisible({ timeout: 120_000 });
  await page.waitForTimeout(SETTLE_MS);

  const figures = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    const selectedAt = w.__benchSelectedAt as number;
    const tasks = w.__benchLongTasks as { start: number; duration: number }[];
    const after = tasks.filter((t) => t.start + t.duration >= selectedAt);
    const before = tasks.filter((t) => t.start + t.duration < selectedAt);
    return {
      longest: Math.max(0, ...after.map((t) => t.duration)),
      longestBefore: Math.max(0, ...before.map((t) => t.duration)),
      count: after.length,
      validateMs: (w.__benchSummaryAt as number) - selectedAt,
      summary: document.querySelector('[data-testid="csv-summary"]')?.textContent?.replace(/\s+/g, ' ').trim(),
    };
  });
  expect(figures.longestBefore, 'the Long Tasks API saw the 120 ms calibration task').toBeGreaterThanOrEqual(100);
  console.log(
    `page: ${figures.count} long task(s) after selection, longest ${figures.longest.toFixed(0)} ms ` +
      `(before selection, with the 120 ms calibration task: ${figures.longestBefore.toFixed(0)} ms); summary: ${figures.summary}`,
  );
  expect(Number.isFinite(figures.validateMs), 'the summary appeared after selection').toBe(true);
  record({ csv_page_longest_task_ms: figures.longest, csv_page_validate_50k_ms: figures.validateMs });
});
