import { defineConfig } from '@playwright/test';

/**
 * Two workers (CI has 2 cores), each with a service of its own: worker i uses the service on port E2E_PORT + i, with
 * its own embedded database in E2E_DATA_DIR/i holding the small demo county (e2e/fixtures.ts picks the port). What one
 * worker's journeys change (a case recorded, an account locked, the SEN2 checks a user sent this minute) is never seen
 * by the other's; within a worker the tests run one at a time, file by file, in order, as they did on one service.
 */
export const E2E_WORKERS = Number(process.env.E2E_WORKERS ?? 2);
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
// Its own folder and its own ports, so that two runs can go side by side.
const dataDir = process.env.E2E_DATA_DIR ?? '.data/e2e';
// This run, as the services' start script knows it (scripts/e2e-serve.sh loads the demo county once per run). The
// runner reads this file once and starts the services; the workers read it again and start none.
const run = `${process.pid}-${Date.now()}`;

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: E2E_WORKERS,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // A journey's time budget (not a check of speed). The two workers share CI's 2 cores, so a journey that took 35 s
  // alone (plan.spec.ts's first, on CI) may take up to twice that: 120 s rather than the 60 s a journey had alone.
  timeout: 120_000,
  reporter: [['list'], ['json', { outputFile: 'reports/e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    // A desk's screen, the size the layout tests use at a desk (e2e/pages/layout.ts DESK), so a page already checked
    // with axe at this size in another test is not checked again (e2e/fixtures.ts).
    viewport: { width: 1280, height: 800 },
    // A failed test keeps its trace (each action, the page's DOM before and after it, the network, the console), to
    // open with `npx playwright show-trace`; every test records one, and a passing test's is thrown away. Without the
    // screencast (a screenshot of the page stream, encoded as JPEG all through each test), which the DOM snapshots
    // make up for: casework.spec.ts's three tests used 58 s of processor time (the runner and the services) rather
    // than 67 s with it (55 s with no trace at all), on this 2-core machine. `--trace on` records everything.
    trace: { mode: 'retain-on-failure', screenshots: false },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  // A fresh embedded database with a small demo county (5% of full size) for each service, each run: the county is
  // loaded once per run and each service starts from a copy of it (scripts/e2e-serve.sh).
  webServer: Array.from({ length: E2E_WORKERS }, (_, i) => ({
    command: `bash scripts/e2e-serve.sh ${dataDir}/${i} ${E2E_PORT + i} ${run} 0.05`,
    url: `http://127.0.0.1:${E2E_PORT + i}/ready`,
    env: { DATA_DIR: `${dataDir}/${i}`, LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  })),
});
