/**
 * Benchmarks (numbers to report, never assertions):
 *  1. the caseload page against a bare Express + Nunjucks GOV.UK page, served by the same process, loopback only,
 *     bounded in time (autocannon): requests per second and p95 latency;
 *  2. loading the full demo county into a fresh embedded database;
 *  3. start-up time (to /ready) and memory of `openehcp serve` on PGlite, and on PostgreSQL when BENCH_DATABASE_URL
 *     names a server;
 *  4. the statutory clock for 640,000 synthetic cases on one core (bench/clock.ts; `npm run bench:clock` alone);
 *  5. the measures of a synthetic England (150 LAs, 640,000 plans) and their national total (bench/measures.ts);
 *  6. the measures dashboard and public page: server time one request at a time, and under load;
 *  7. on PostgreSQL, the pages again as the service runs there: `openehcp serve --processes N` in processes of its own
 *     (N as the service chooses, one per processor up to 4, or BENCH_PROCESSES), beside the bare page served by as
 *     many processes.
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
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type express from 'express';
import { pino } from 'pino';
import { DEFAULT_PROCESSES, loadConfig, poolSizeFor } from '../src/config.js';
import { openDb } from '../src/data/db.js';
import { generateDemoCounty } from '../src/demo/generate.js';
import { isDemoLoaded, loadDemoCounty } from '../src/demo/load.js';
import { systemClock } from '../src/services/clock.js';
import { createServices } from '../src/services/index.js';
import { createApp } from '../src/web/app.js';
import { clockBenchmark } from './clock.js';
import { bareApp } from './bare.js';
import { childrenOf, cpuShares, cpuSnapshot, type CpuSnapshot } from './cpu.js';
import { percentile, rssMb, settled } from './processes.js';
import { measuresBenchmark } from './measures.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Concurrent requests in each load run (the casework issue's target is set at 32). */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
/** Processes serving pages in the served runs: as `openehcp serve` chooses on PostgreSQL, unless set. */
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? DEFAULT_PROCESSES);
const root = path.resolve(import.meta.dirname, '..');
const benchData = path.join(root, '.data', 'bench-pglite');

/** Untimed load before each timed run, so that what is measured is the steady state of a running service (code
 * compiled by the JIT, PostgreSQL's prepared statements planned) rather than the first seconds after start. */
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 5);

/** Untimed, then timed load on `url`; processor use counts the main threads of `serverPids` (default: this process). */
async function load(url: string, headers: Record<string, string> = {}, serverPids?: number[]) {
  if (WARM_UP_SECONDS > 0) await loadRun(url, headers, WARM_UP_SECONDS);
  return loadRun(url, headers, SECONDS, serverPids);
}

interface LoadResult {
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  times: number[];
  threadStat: { start?: string; end?: string };
}

async function loadRun(url: string, headers: Record<string, string>, seconds: number, serverPids?: number[]) {
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
      if ('started' in message) before = cpuSnapshot(serverPids);
      else resolve(message);
    });
    worker.once('error', reject);
  });
  const after = cpuSnapshot(serverPids);
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
  // As many connections as `openehcp serve` gives its one process (DATABASE_POOL_SIZE when set).
  const database = await openDb({
    ...options,
    poolSize: poolSizeFor(loadConfig({ ...process.env, NODE_ENV: 'test' }), 1),
  });
  await database.migrate();
  if (!(await isDemoLoaded(database))) {
    process.stderr.write(`bench: loading the full demo county into the ${database.kind} database (once)\n`);
    // (A bench database loaded by an older version keeps that version's data: delete .data/bench-pglite to renew it.)
    await loadDemoCounty(database, generateDemoCounty({ asOf: systemClock.today() }), { seed: 20140901 });
  }
  return database;
}

/** Signs in as the demo manager, and finds the pages to load: the caseload three ways and a case page. */
async function signInAndFindPages(serviceUrl: string) {
  // Sign in as the demo manager.
  const signInPage = await fetch(`${serviceUrl}/sign-in`);
  const cookie = (signInPage.headers.get('set-cookie') ?? '').split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await signInPage.text())![1]!;
  const signedIn = await fetch(`${serviceUrl}/sign-in`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email: 'manager@demo-county.example', password: 'demo-county-2026' }),
    redirect: 'manual',
  });
  const session = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
  if (signedIn.status !== 303 || !session) throw new Error(`bench: sign-in failed (${signedIn.status})`);

  // A case page: a request in the middle of its assessment, with advice and a timeline.
  const listing = await (
    await fetch(`${serviceUrl}/cases?view=all&stage=drafting_plan`, { headers: { cookie: session } })
  ).text();
  const caseId = /href="\/cases\/([0-9a-f-]{36})"/.exec(listing)?.[1];
  if (!caseId) throw new Error('bench: no open case to load');
  const pages = {
    caseloadByDeadline: `${serviceUrl}/cases?view=all&page=7`,
    caseloadByWeeks: `${serviceUrl}/cases?view=all&sort=weeks&direction=desc&page=7`,
    caseloadByChild: `${serviceUrl}/cases?view=all&sort=child&direction=asc&page=20`,
    casePage: `${serviceUrl}/cases/${caseId}`,
  };
  return { session, pages };
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

  const bareServer = await listen(bareApp());

  const { session, pages } = await signInAndFindPages(service.url);
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

/** Starts a server in processes of its own and waits for the line that says where it listens, then for it to settle. */
async function startServer(args: string[], env: Record<string, string>, listening: RegExp) {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' });
  let out = '';
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const match = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = listening.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bench: ${args.join(' ')} stopped (${code}): ${out}`)));
  });
  // The processes serving: those the first one started, or the first one itself when it serves alone.
  const started = childrenOf(child.pid!);
  const servers = started.length > 0 ? started : [child.pid!];
  await settled([...new Set([child.pid!, ...servers])]);
  return {
    match,
    servers,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The service as it runs on PostgreSQL: `openehcp serve --processes N`, in processes of its own, beside the bare page
 * served by as many processes. Processor use sums the main threads of the server's processes.
 */
async function servedPageBenchmark(databaseUrl: string, processes: number) {
  await (await demoDatabase({ databaseUrl })).close();
  const service = await startServer(
    [path.join(root, 'bin', 'openehcp.js'), 'serve', '--port', '0', '--processes', String(processes)],
    {
      DATABASE_URL: databaseUrl,
      NODE_ENV: 'production',
      SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
      BASE_URL: 'http://127.0.0.1',
      COOKIE_SECURE: 'false',
      LOG_LEVEL: 'silent',
    },
    /running at (http:\/\/\S+)/,
  );
  const bare = await startServer(
    ['--import', 'tsx', path.join(root, 'bench', 'bare.ts'), String(processes)],
    {},
    /listening (\d+)/,
  );
  try {
    const { session, pages } = await signInAndFindPages(service.match);
    if (WARM_UP_SECONDS > 0) {
      for (const url of Object.values(pages)) await loadRun(url, { cookie: session }, WARM_UP_SECONDS);
    }
    const run = (url: string) => load(url, { cookie: session }, service.servers);
    const bareResult = await load(`http://127.0.0.1:${bare.match}/`, {}, bare.servers);
    const results = {
      caseloadByDeadline: await run(pages.caseloadByDeadline),
      caseloadByWeeks: await run(pages.caseloadByWeeks),
      caseloadByChild: await run(pages.caseloadByChild),
      casePage: await run(pages.casePage),
    };
    return {
      processes,
      bareGovukPage: bareResult,
      ...results,
      throughputOfBarePage: Object.fromEntries(
        Object.entries(results).map(([page, r]) => [
          page,
          Number((r.requestsPerSecond / bareResult.requestsPerSecond).toFixed(2)),
        ]),
      ),
    };
  } finally {
    await service.stop();
    await bare.stop();
  }
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
    // On PostgreSQL the service may run as several processes: the memory is theirs and the first one's together.
    const processes = () => [child.pid!, ...childrenOf(child.pid!)];
    const rss = () => processes().reduce((sum, pid) => sum + rssMb(pid), 0);
    const idleRss = rss();
    for (let i = 0; i < 50; i++) await (await fetch(`http://127.0.0.1:${port}/sign-in`)).text();
    return {
      readySeconds: Number((readyMs / 1000).toFixed(2)),
      processes: Math.max(1, processes().length - 1),
      rssMbAtReady: idleRss,
      rssMbAfter50Pages: rss(),
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
    if (pgUrl) results.pagesServed = await servedPageBenchmark(pgUrl, PROCESSES);
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
    results.pagesPostgresServed = await servedPageBenchmark(pgUrl, PROCESSES);
    results.startupPostgres = await startupBenchmark({ DATABASE_URL: pgUrl });
  } else {
    results.pagesPostgres = results.startupPostgres = 'skipped: set BENCH_DATABASE_URL to a PostgreSQL database';
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

await main();
