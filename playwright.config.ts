import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3100);
// Its own folder with its own port, so that two runs can go side by side.
const dataDir = process.env.E2E_DATA_DIR ?? '.data/e2e';

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  reporter: [['list'], ['json', { outputFile: 'reports/e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
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
  webServer: {
    // A fresh embedded database with a small demo county (5% of full size) for each run.
    command: `rm -rf ${dataDir} && node bin/openehcp.js serve --demo --demo-scale 0.05 --port ${port}`,
    url: `http://127.0.0.1:${port}/ready`,
    env: { DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
