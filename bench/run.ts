/**
 * Benchmarks (numbers to report, never assertions):
 *  1. the caseload page against a bare Express + Nunjucks GOV.UK page, served by the same process, loopback only,
 *     bounded in time (autocannon): requests per second and p95 latency;
 *  2. loading the full demo county into a fresh embedded database;
 *  3. start-up time (to /ready) and memory of `openehcp serve` on PGlite, and on PostgreSQL when BENCH_DATABASE_URL
 *     names a server;
 *  4. the statutory clock for 640,000 synthetic cases on one core (bench/clock.ts; `npm run bench:clock` alone);
 *  5. the measures of a synthetic England (150 LAs, 640,000 plans) and their national total (bench/measures.ts);
 *  6. the measures dashboard and public page: server time one request at a time, and under load.
 *
 * Each load run is preceded by BENCH_WARM_UP_SECONDS (5) of untimed load. Each reports its processor use (bench/cpu.ts):
 * the server's main thread and the load generator as shares of one core, the machine as a share of all cores.
 *
 *   npm run bench                      # all of it (about 5 minutes)
 *   BENCH_SECONDS=5 npm run bench      # shorter load runs
 *   BENCH_ONLY=pages BENCH_DATABASE_URL=postgres://... npm run bench   # the page loads on PostgreSQL alone
 */
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import nunjucks from 'nunjucks';
import { pino } from 'pino';
import { openDb } from '../src/data/db.js';
import { generateDemoCounty } from '../src/demo/generate.js';
import { isDemoLoaded, loadDemoCounty } from '../src/demo/load.js';
import { systemClock } from '../src/services/clock.js';
import { createServices } from '../src/services/index.js';
import { createApp } from '../src/web/app.js';
import { GOVUK_FRONTEND_ROOT } from '../src/web/nunjucks.js';
import { clockBenchmark } from './clock.js';
import { cpuShares, cpuSnapshot, type CpuSnapshot } from './cpu.js';
import { measuresBenchmark } from './measures.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Concurrent requests in each load run (the casework issue's target is set at 32). */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const root = path.resolve(import.meta.dirname, '..');
const benchData = path.join(root, '.data', 'bench-pglite');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Untimed load before each timed run, so that what is measured is the steady state of a running service (code
 * compiled by the JIT, PostgreSQL's prepared statements planned) rather than the first seconds after start. */
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 5);

async function load(url: string, headers: Record<string, string> = {}) {
  if (WARM_UP_SECONDS > 0) await loadRun(url, headers, WARM_UP_SECONDS);
  return loadRun(url, headers, SECONDS);
}

interface LoadResult {
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  times: number[];
  threadStat: { start?: string; end?: string };
}

async function loadRun(url: string, headers: Record<string, string>, seconds: number) {
  let before: CpuSnapshot | undefined;
  const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), {
    // As a browser asks: every load run accepts compressed responses.
    workerData: {
      url,
      connections: CONNECTIONS,
      duration: seconds,
      headers: { 'accept-encoding': 'gzip, deflate, br', ...headers },
    },
  });
  const result = await new Promise<LoadResult>((resolve, reject) => {
    // The first message says the load has begun (the worker takes a quarter of a second or so to load before that):
    // processor use is counted from then.
    worker.on('message', (message: { started: true } | LoadResult) => {
      if ('started' in message) before = cpuSnapshot();
      else resolve(message);
    });
    worker.once('error', reject);
  });
  const after = cpuSnapshot();
  await worker.terminate();
  const times = result.times.sort((a, b) => a - b);
  return {
    requestsPerSecond: Math.round(result.requestsPerSecond),
    p50ms: Number(percentile(times, 50).toFixed(1)),
    p95ms: Number(percentile(times, 95).toFixed(1)),
    non2xx: result.non2xx,
    errors: result.errors,
    cpu: before && after ? cpuShares(before, after, result.threadStat) : null,
  };
}

/**
 * Server time for one page: requests one at a time (nothing else running), so each time is the server's work for
 * that page and the loopback round trip. 20 untimed first, then 200 timed.
 */
async function sequential(url: string, headers: Record<string, string>) {
  const times: number[] = [];
  for (let i = 0; i < 220; i++) {
    const started = performance.now();
    const res = await fetch(url, { headers: { 'accept-encoding': 'gzip', ...headers } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`bench: ${url} answered ${res.status}`);
    if (i >= 20) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    requests: times.length,
    p50ms: Number(percentile(times, 50).toFixed(1)),
    p95ms: Number(percentile(times, 95).toFixed(1)),
  };
}

function listen(app: express.Express): Promise<{ url: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

/** Opens a database holding the full demo county, loading it the first time. */
async function demoDatabase(options: { dataDir?: string; databaseUrl?: string }) {
  const database = await openDb(options);
  await database.migrate();
  if (!(await isDemoLoaded(database))) {
    process.stderr.write(`bench: loading the full demo county into the ${database.kind} database (once)\n`);
    // (A bench database loaded by an older version keeps that version's data: delete .data/bench-pglite to renew it.)
    await loadDemoCounty(database, generateDemoCounty({ asOf: systemClock.today() }), { seed: 20140901 });
  }
  return database;
}

async function pageBenchmark(options: { dataDir?: string; databaseUrl?: string }) {
  const database = await demoDatabase(options);
  const services = createServices(database);
  const app = createApp({
    services,
    logger: pino({ level: 'silent' }),
    config: {
      env: 'production',
      sessionSecret: 'bench-secret-bench-secret-bench-secret',
      sessionIdleMinutes: 30,
      sessionMaxHours: 12,
      cookieSecure: false,
      trustProxy: false,
    },
  });
  const service = await listen(app);

  // The bare page: the GOV.UK template through Nunjucks, nothing else.
  const bare = express();
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(path.join(GOVUK_FRONTEND_ROOT, 'dist')));
  bare.get('/', (_req, res) => {
    res.send(
      env.renderString(
        '{% extends "govuk/template.njk" %}{% block content %}<h1 class="govuk-heading-l">Hello</h1>{% endblock %}',
        {},
      ),
    );
  });
  const bareServer = await listen(bare);

  // Sign in as the demo manager.
  const signInPage = await fetch(`${service.url}/sign-in`);
  const cookie = (signInPage.headers.get('set-cookie') ?? '').split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await signInPage.text())![1]!;
  const signedIn = await fetch(`${service.url}/sign-in`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email: 'manager@demo-county.example', password: 'demo-county-2026' }),
    redirect: 'manual',
  });
  const session = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
  if (signedIn.status !== 303 || !session) throw new Error(`bench: sign-in failed (${signedIn.status})`);

  // A case page: a request in the middle of its assessment, with advice and a timeline.
  const listing = await (
    await fetch(`${service.url}/cases?view=all&stage=drafting_plan`, { headers: { cookie: session } })
  ).text();
  const caseId = /href="\/cases\/([0-9a-f-]{36})"/.exec(listing)?.[1];
  if (!caseId) throw new Error('bench: no open case to load');
  const pages = {
    caseloadByDeadline: `${service.url}/cases?view=all&page=7`,
    caseloadByWeeks: `${service.url}/cases?view=all&sort=weeks&direction=desc&page=7`,
    caseloadByChild: `${service.url}/cases?view=all&sort=child&direction=asc&page=20`,
    casePage: `${service.url}/cases/${caseId}`,
  };
  // A running service has served all its pages before anyone measures it: each in turn first, untimed. Without
  // this the first page measured came out up to a fifth slower than the same page measured later (V8 was still
  // compiling the shared code, templates and drivers, 20 seconds into load). BENCH_WARM_UP_SECONDS=0 skips it too.
  if (WARM_UP_SECONDS > 0) {
    for (const url of Object.values(pages)) await loadRun(url, { cookie: session }, WARM_UP_SECONDS);
  }
  const bareResult = await load(`${bareServer.url}/`);
  const caseloadByDeadline = await load(pages.caseloadByDeadline, { cookie: session });
  const caseload = await load(pages.caseloadByWeeks, { cookie: session });
  const caseloadByName = await load(pages.caseloadByChild, { cookie: session });
  const casePage = await load(pages.casePage, { cookie: session });
  // The measures dashboard and the public page: worked out first, as the hourly job does.
  await services.measures.refresh();
  const dashboardServerTime = await sequential(`${service.url}/measures`, { cookie: session });
  const publicPageServerTime = await sequential(`${service.url}/performance/999`, {});
  const dashboard = await load(`${service.url}/measures`, { cookie: session });
  // The improvement plan's board report and public page (a database loaded before the plan existed has none).
  const hasPlan = (await fetch(`${service.url}/performance/999/plan`)).ok;
  const boardReportServerTime = hasPlan
    ? await sequential(`${service.url}/improvement-plan/board-report`, { cookie: session })
    : null;
  const publicPlanServerTime = hasPlan ? await sequential(`${service.url}/performance/999/plan`, {}) : null;
  await service.close();
  await bareServer.close();
  await database.close();
  const ratio = (r: { requestsPerSecond: number }) =>
    Number((r.requestsPerSecond / bareResult.requestsPerSecond).toFixed(2));
  return {
    bareGovukPage: bareResult,
    caseloadByDeadline,
    caseloadByWeeks: caseload,
    caseloadByChild: caseloadByName,
    casePage,
    dashboard,
    dashboardServerTime,
    publicPageServerTime,
    boardReportServerTime,
    publicPlanServerTime,
    throughputOfBarePage: {
      caseloadByDeadline: ratio(caseloadByDeadline),
      caseloadByWeeks: ratio(caseload),
      caseloadByChild: ratio(caseloadByName),
      casePage: ratio(casePage),
      dashboard: ratio(dashboard),
    },
  };
}

async function seedBenchmark() {
  const dir = mkdtempSync(path.join(tmpdir(), 'openehcp-seed-'));
  try {
    const started = performance.now();
    const database = await openDb({ dataDir: dir });
    await database.migrate();
    const county = generateDemoCounty({ asOf: systemClock.today() });
    const generated = performance.now();
    await loadDemoCounty(database, county, { seed: 20140901 });
    const loaded = performance.now();
    await database.close();
    return {
      rows:
        county.children.length +
        county.requests.length +
        county.advice.length +
        county.plans.length * 2 +
        county.events.length,
      generateSeconds: Number(((generated - started) / 1000).toFixed(1)),
      totalSeconds: Number(((loaded - started) / 1000).toFixed(1)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

async function startupBenchmark(env: Record<string, string>) {
  const port = 3900 + Math.floor(Math.random() * 90);
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'bin', 'openehcp.js'), 'serve', '--port', String(port)], {
    env: { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'development', ...env },
    stdio: 'ignore',
  });
  try {
    let readyMs = NaN;
    for (let i = 0; i < 600; i++) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/ready`);
        if (r.ok) {
          readyMs = performance.now() - started;
          break;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const idleRss = rssMb(child.pid!);
    for (let i = 0; i < 50; i++) await (await fetch(`http://127.0.0.1:${port}/sign-in`)).text();
    return {
      readySeconds: Number((readyMs / 1000).toFixed(2)),
      rssMbAtReady: idleRss,
      rssMbAfter50Pages: rssMb(child.pid!),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function main() {
  if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) throw new Error('build first: npm run build');
  const results: Record<string, unknown> = { node: process.version, seconds: SECONDS, connections: CONNECTIONS };
  // BENCH_ONLY=pages runs just the page loads (PostgreSQL when BENCH_DATABASE_URL is set, else PGlite).
  const only = process.env.BENCH_ONLY;
  const pgUrl = process.env.BENCH_DATABASE_URL;
  if (only === 'pages') {
    results.pages = await pageBenchmark(pgUrl ? { databaseUrl: pgUrl } : { dataDir: benchData });
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  results.statutoryClock = await clockBenchmark();
  results.nationalMeasures = measuresBenchmark();
  results.pagesPglite = await pageBenchmark({ dataDir: benchData });
  results.demoSeedPglite = await seedBenchmark();
  results.startupPglite = await startupBenchmark({ DATA_DIR: benchData });
  if (pgUrl) {
    results.pagesPostgres = await pageBenchmark({ databaseUrl: pgUrl });
    results.startupPostgres = await startupBenchmark({ DATABASE_URL: pgUrl });
  } else {
    results.pagesPostgres = results.startupPostgres = 'skipped: set BENCH_DATABASE_URL to a PostgreSQL database';
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

await main();
