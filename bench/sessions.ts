/**
 * Load: many signed-in people using the service at once, as `openehcp serve` runs in production, with the full demo
 * county (numbers to report, never assertions).
 *
 * Each of BENCH_SESSIONS (200) simulated people signs in once, properly (GET /sign-in for the form's CSRF token, POST
 * the demo password), then for BENCH_SECONDS (300) repeats: pick a task by their role's mix, do it, wait a think time
 * (uniform between half and one and a half times BENCH_THINK_MS, 2,000 ms), and again. The tasks:
 *   caseload     /cases in one of its views (own, team, all; by deadline, weeks or child; a page of many)
 *   case page    /cases/:id for one of the LA's cases
 *   new request  GET /requests/new, then POST the completed form with its CSRF token (303 to the new case), as a
 *                caseworker records a request: a real write (child, request, duties, case event and audit together)
 *   measures     /measures (the dashboard with its SPC charts)
 *   public page  /performance/999 (the LA's published figures, signed in or not)
 * Roles: caseworkers (40%: caseload, case pages, new requests, public page), SEND managers (40%: as caseworkers, plus
 * the measures) and quality auditors (20%: case pages, measures, public page); see MIXES.
 *
 * An error is any answer other than the one a person expects (2xx, or 303 after the form), or no answer. Reported:
 * errors, p50/p95/p99 over all requests and per task, throughput, and the service's resident memory (all its
 * processes) when settled before the load, at its end, and settled after it. The machine's load average before is
 * reported too: the machine has few cores, shared.
 *
 * Sign-in throttling: the service throttles failed sign-ins per account (5) and per address (30) and counts no
 * successful sign-in, so 200 correct sign-ins from 127.0.0.1 are not throttled and the bench needs nothing special:
 * no X-Forwarded-For (the service trusts no proxy by default), no weakened setting. A failed sign-in stops the bench.
 *
 *   npm run bench:sessions                                        # PostgreSQL at BENCH_DATABASE_URL or TEST_DATABASE_URL
 *   BENCH_DATABASE=pglite npm run bench:sessions                  # the embedded database
 *   BENCH_SECONDS=30 BENCH_SESSIONS=50 npm run bench:sessions     # a short smoke run
 *
 * On PostgreSQL the bench creates (and afterwards drops) its own database, openehcp_bench_sessions, on that server;
 * on PGlite it uses .data/bench-sessions (removed before and after). Each run loads the full demo county afresh with
 * `openehcp seed --demo`, since the new requests of a run change it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { childrenOf, cpuShares, cpuSnapshot } from './cpu.js';
import { percentile, rssMb, settled } from './processes.js';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 300);
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 2000);
const PORT = Number(process.env.BENCH_PORT ?? 0);
const KIND = process.env.BENCH_DATABASE === 'pglite' ? 'pglite' : 'postgres';
const PASSWORD = 'demo-county-2026';
const root = path.resolve(import.meta.dirname, '..');
const pgliteDir = path.join(root, '.data', 'bench-sessions');
const BENCH_DB = 'openehcp_bench_sessions';

type Task = 'caseload' | 'case page' | 'new request' | 'measures' | 'public page';
type Role = 'caseworker' | 'manager' | 'qa';
/** How often each role does each task (weights). */
const MIXES: Record<Role, [Task, number][]> = {
  caseworker: [
    ['caseload', 35],
    ['case page', 35],
    ['new request', 15],
    ['public page', 15],
  ],
  manager: [
    ['caseload', 25],
    ['case page', 25],
    ['new request', 10],
    ['measures', 25],
    ['public page', 15],
  ],
  qa: [
    ['case page', 40],
    ['measures', 40],
    ['public page', 20],
  ],
};
/** Of every five people: two caseworkers, two managers, one quality auditor. */
const ROLES: Role[] = ['caseworker', 'manager', 'caseworker', 'manager', 'qa'];
const EMAIL: Record<Role, string> = {
  caseworker: 'caseworker@demo-county.example',
  manager: 'manager@demo-county.example',
  qa: 'qa@demo-county.example',
};

interface Sample {
  /** The task, or the request within it ('new request: form', 'new request: save'). */
  label: string;
  ms: number;
  ok: boolean;
  /** The answer's status, or why there was none. */
  status: number | string;
  /** When it was answered, in seconds since the load began (set by the load loop). */
  at?: number;
}

class Session {
  cookie = '';
  constructor(
    readonly role: Role,
    readonly baseUrl: string,
  ) {}

  /** Sends one request and reads the whole answer; an error on a reused connection is marked `reusedSocket`. */
  private send(
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string },
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        `${this.baseUrl}${path}`,
        {
          method: init.method ?? 'GET',
          agent: KEEP_ALIVE,
          headers: {
            'accept-encoding': 'gzip, deflate, br',
            ...(this.cookie ? { cookie: this.cookie } : {}),
            ...init.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
      req.end(init.body);
    });
  }

  /**
   * One request, timed from sending it to its last byte; keeps the session cookie the service sets (it rolls with each
   * request). The load generator shares the machine's cores with the service, so it does as little as a person's
   * browser would make it do here: plain HTTP over kept-alive connections, and the body decompressed and read only
   * when the bench needs something from it (`read`: a form's CSRF token, the case ids). With `fetch`, decompressing
   * and decoding every page took about a quarter of the machine's processor time at 95 requests a second.
   */
  async request(
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string; read?: boolean } = {},
  ): Promise<{ status: number; text: string; ms: number }> {
    const started = performance.now();
    const { status, headers, body } = await this.send(path, init).catch((err: unknown) => {
      // A kept-alive connection the service closed as idle just as a page was asked for on it: a browser asks again on
      // a new connection, and so does the bench (Node's documented pattern, request.reusedSocket). Never a form's post.
      if ((err as { reusedSocket?: boolean }).reusedSocket && (init.method ?? 'GET') === 'GET') {
        return this.send(path, init);
      }
      throw err;
    });
    const ms = performance.now() - started;
    const set = headers['set-cookie']?.[0];
    if (set) this.cookie = set.split(';')[0]!;
    const text =
      init.read || process.env.BENCH_DEBUG ? decoded(body, headers['content-encoding']).toString('utf8') : '';
    return { status, text, ms };
  }

  async signIn() {
    const form = await this.request('/sign-in', { read: true });
    const token = csrfToken(form.text);
    const res = await this.request('/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, email: EMAIL[this.role], password: PASSWORD }).toString(),
    });
    if (res.status !== 303) throw new Error(`bench: sign-in as ${EMAIL[this.role]} answered ${res.status}`);
  }
}

/** This thread's /proc stat line (the load generator's processor time), undefined off Linux. */
function threadStat(): string | undefined {
  try {
    return readFileSync('/proc/thread-self/stat', 'utf8');
  } catch {
    return undefined;
  }
}

/** Connections kept open between requests, as a browser keeps them. */
const KEEP_ALIVE = new Agent({ keepAlive: true });

/** A response body as the service sent it, decompressed. */
function decoded(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'br') return brotliDecompressSync(body);
  if (encoding === 'gzip') return gunzipSync(body);
  if (encoding === 'deflate') return inflateSync(body);
  return body;
}

function csrfToken(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('bench: no CSRF token on the form');
  return token;
}

/** A fixed-seed generator (mulberry32), so that runs pick the same tasks in the same order. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CASELOAD_VIEWS = [
  '/cases',
  '/cases?view=team',
  '/cases?view=all',
  '/cases?view=all&sort=weeks&direction=desc',
  '/cases?view=all&sort=child&direction=asc',
];

async function task(session: Session, name: Task, rnd: () => number, caseIds: string[], n: number): Promise<Sample[]> {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const get = async (label: string, url: string) => {
    const res = await session.request(url);
    return { label, ms: res.ms, ok: res.status >= 200 && res.status < 300, status: res.status };
  };
  switch (name) {
    case 'caseload': {
      const view = pick(CASELOAD_VIEWS);
      const page = view.includes('view=all') ? `&page=${1 + Math.floor(rnd() * 20)}` : '';
      return [await get(name, `${view}${page}`)];
    }
    case 'case page':
      return [await get(name, `/cases/${pick(caseIds)}`)];
    case 'measures':
      return [await get(name, '/measures')];
    case 'public page':
      return [await get(name, '/performance/999')];
    case 'new request': {
      const form = await session.request('/requests/new', { read: true });
      const samples: Sample[] = [
        { label: 'new request: form', ms: form.ms, ok: form.status === 200, status: form.status },
      ];
      if (form.status !== 200) return samples;
      const submissionKey = /name="submissionKey"[^>]*value="([0-9a-f-]{36})"/.exec(form.text)?.[1] ?? '';
      const received = new Date(Date.now() - (1 + Math.floor(rnd() * 20)) * 86_400_000);
      const body = new URLSearchParams({
        _csrf: csrfToken(form.text),
        submissionKey,
        givenName: `Bench${n}`,
        familyName: `Load${Math.floor(rnd() * 1e9)}`,
        'dateOfBirth-day': String(1 + Math.floor(rnd() * 28)),
        'dateOfBirth-month': String(1 + Math.floor(rnd() * 12)),
        'dateOfBirth-year': String(2008 + Math.floor(rnd() * 14)),
        sex: pick(['F', 'M']),
        upnUnknown: 'UN8',
        contactName: 'Alex Bench',
        contactRelationship: 'parent',
        contactEmail: `bench${n}@example.com`,
        contactPreference: 'email',
        requestSource: '1',
        'receivedDate-day': String(received.getUTCDate()),
        'receivedDate-month': String(received.getUTCMonth() + 1),
        'receivedDate-year': String(received.getUTCFullYear()),
      });
      const saved = await session.request('/requests/new', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      });
      samples.push({ label: 'new request: save', ms: saved.ms, ok: saved.status === 303, status: saved.status });
      if (saved.status !== 303 && process.env.BENCH_DEBUG) process.stderr.write(`${saved.status} ${saved.text}\n`);
      return samples;
    }
  }
}

function choose(mix: [Task, number][], rnd: () => number): Task {
  const total = mix.reduce((s, [, w]) => s + w, 0);
  let x = rnd() * total;
  for (const [t, w] of mix) {
    x -= w;
    if (x < 0) return t;
  }
  return mix[mix.length - 1]![0];
}

function run(command: string, args: string[], env: Record<string, string>) {
  const started = performance.now();
  const res = spawnSync(process.execPath, [path.join(root, 'bin', 'openehcp.js'), command, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (res.status !== 0) throw new Error(`bench: openehcp ${command} failed (${res.status})`);
  return Number(((performance.now() - started) / 1000).toFixed(1));
}

async function startService(env: Record<string, string>) {
  // To profile the service under this load: BENCH_SERVICE_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const serve = [...nodeArgs, path.join(root, 'bin', 'openehcp.js'), 'serve', '--port', String(PORT)];
  const child = spawn(process.execPath, serve, {
    env: {
      PATH: process.env.PATH ?? '',
      // As in production; the embedded database refuses production, so on PGlite the service runs as development
      // (which differs only in the cache lifetime of static files, which the bench does not fetch).
      NODE_ENV: KIND === 'pglite' ? 'development' : 'production',
      SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
      BASE_URL: `http://127.0.0.1:${PORT}`,
      COOKIE_SECURE: 'false',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  // The service's log at warn and above: counted, with each distinct message (pino's msg and the error's code only,
  // never the rest of a line, which could hold what a request carried).
  let logLines = 0;
  const logMessages = new Map<string, number>();
  let partial = '';
  child.stderr.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      logLines += 1;
      let what = 'not JSON';
      try {
        const entry = JSON.parse(line) as { msg?: string; err?: { code?: string; type?: string } };
        what = [entry.msg, entry.err?.type, entry.err?.code].filter(Boolean).join(' ');
      } catch {
        // counted as not JSON
      }
      logMessages.set(what, (logMessages.get(what) ?? 0) + 1);
    }
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bench: openehcp serve stopped (${code}): ${out}`)));
  });
  const pids = () => [child.pid!, ...childrenOf(child.pid!)];
  await settled(pids());
  return {
    url,
    /** Resident memory of the service's processes together, in MB. */
    rss: () => pids().reduce((sum, pid) => sum + rssMb(pid), 0),
    pids,
    log: () => ({ lines: logLines, messages: Object.fromEntries(logMessages) }),
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The LA's case ids, from the caseload's "all cases" view (as a person finds a case). */
async function findCases(session: Session): Promise<string[]> {
  const ids = new Set<string>();
  for (let page = 1; page <= 10; page++) {
    const res = await session.request(`/cases?view=all&page=${page}`, { read: true });
    for (const m of res.text.matchAll(/href="\/cases\/([0-9a-f-]{36})"/g)) ids.add(m[1]!);
  }
  if (ids.size === 0) throw new Error('bench: no cases found');
  return [...ids];
}

function summary(samples: Sample[]) {
  // Times of the requests answered (an error answered counts: a person waited for it).
  const times = samples
    .map((s) => s.ms)
    .filter((ms) => Number.isFinite(ms))
    .sort((a, b) => a - b);
  const errorsBy: Record<string, number> = {};
  for (const s of samples) if (!s.ok) errorsBy[s.status] = (errorsBy[s.status] ?? 0) + 1;
  const round = (x: number) => Number(x.toFixed(1));
  return {
    requests: samples.length,
    errors: samples.filter((s) => !s.ok).length,
    errorsBy,
    p50ms: round(percentile(times, 50)),
    p95ms: round(percentile(times, 95)),
    p99ms: round(percentile(times, 99)),
    maxMs: round(times[times.length - 1] ?? NaN),
  };
}

async function database(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (KIND === 'pglite') {
    rmSync(pgliteDir, { recursive: true, force: true });
    return {
      env: { DATA_DIR: pgliteDir },
      drop: () => Promise.resolve(rmSync(pgliteDir, { recursive: true, force: true })),
    };
  }
  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('bench: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server');
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${BENCH_DB}`);
  const url = new URL(adminUrl);
  url.pathname = `/${BENCH_DB}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: () => admin(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`),
  };
}

async function main() {
  if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) throw new Error('build first: npm run build');
  const machineLoadBefore = loadavg().map((x) => Number(x.toFixed(2)));
  const db = await database();
  try {
    process.stderr.write(`bench: loading the full demo county into ${KIND}\n`);
    const seedSeconds = run('seed', ['--demo'], db.env);
    const service = await startService(db.env);
    try {
      const rssSettledBeforeMb = service.rss();
      process.stderr.write(`bench: signing in ${SESSIONS} sessions\n`);
      const sessions = Array.from({ length: SESSIONS }, (_, i) => new Session(ROLES[i % ROLES.length]!, service.url));
      const signInStarted = performance.now();
      // Four at a time, as people arriving at work do (each sign-in is a deliberately slow password hash).
      for (let i = 0; i < sessions.length; i += 4) await Promise.all(sessions.slice(i, i + 4).map((s) => s.signIn()));
      const signInSeconds = Number(((performance.now() - signInStarted) / 1000).toFixed(1));
      const caseIds = await findCases(sessions.find((s) => s.role === 'manager') ?? sessions[0]!);
      const rssSignedInMb = service.rss();

      process.stderr.write(`bench: ${SESSIONS} sessions for ${SECONDS} s\n`);
      const samples: Sample[] = [];
      const started = performance.now();
      const end = started + SECONDS * 1000;
      let n = 0;
      let peakRssMb = rssSignedInMb;
      const cpuBefore = cpuSnapshot(service.pids());
      const generatorStart = threadStat();
      const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, service.rss())), 1000);
      await Promise.all(
        sessions.map(async (session, i) => {
          const rnd = random(20140901 + i);
          // Spread the first requests over one think time, as people do not all click at the same instant.
          await new Promise((r) => setTimeout(r, rnd() * THINK_MS));
          while (performance.now() < end) {
            const name = choose(MIXES[session.role], rnd);
            try {
              const at = (performance.now() - started) / 1000;
              samples.push(...(await task(session, name, rnd, caseIds, n++)).map((x) => ({ ...x, at })));
            } catch (err) {
              // No answer (the connection closed, or reset): no time to count, but an error.
              const cause = (err as Error & { cause?: Error & { code?: string } }).cause;
              samples.push({ label: name, ms: NaN, ok: false, status: cause?.code ?? cause?.message ?? String(err) });
            }
            await new Promise((r) => setTimeout(r, THINK_MS * (0.5 + rnd())));
          }
        }),
      );
      clearInterval(sampler);
      const elapsed = (performance.now() - started) / 1000;
      const cpuAfter = cpuSnapshot(service.pids());
      const cpu =
        cpuBefore && cpuAfter ? cpuShares(cpuBefore, cpuAfter, { start: generatorStart, end: threadStat() }) : null;
      const rssAtEndMb = service.rss();
      await settled(service.pids()); // ten seconds or more, till the service is quiet
      const rssSettledAfterMb = service.rss();
      const labels = [...new Set(samples.map((s) => s.label))].sort();
      const result = {
        database: KIND,
        node: process.version,
        sessions: SESSIONS,
        seconds: SECONDS,
        thinkMs: `${THINK_MS * 0.5}-${THINK_MS * 1.5}`,
        machine: { cores: availableParallelism(), loadAverageBefore: machineLoadBefore },
        serviceProcesses: service.pids().length,
        seedSeconds,
        signInSeconds,
        requestsPerSecond: Number((samples.length / elapsed).toFixed(1)),
        all: summary(samples),
        byTask: Object.fromEntries(labels.map((l) => [l, summary(samples.filter((s) => s.label === l))])),
        // p95 of each minute's answers: whether the slow ones are spread out or bunched (a job running, a pause).
        p95ByMinute: Array.from({ length: Math.ceil(SECONDS / 60) }, (_, m) =>
          percentile(
            samples
              .filter((x) => x.at !== undefined && x.at >= m * 60 && x.at < (m + 1) * 60 && Number.isFinite(x.ms))
              .map((x) => x.ms)
              .sort((a, b) => a - b),
            95,
          ),
        ),
        cpu,
        serviceLogAtWarnOrAbove: service.log(),
        memoryMb: {
          settledBefore: rssSettledBeforeMb,
          after200SignIns: rssSignedInMb,
          peak: peakRssMb,
          atEnd: rssAtEndMb,
          settledAfter: rssSettledAfterMb,
        },
        machineLoadAfter: loadavg().map((x) => Number(x.toFixed(2))),
      };
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } finally {
      await service.stop();
    }
  } finally {
    await db.drop();
  }
}

await main();
