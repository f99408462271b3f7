/**
 * Large files against a running service: `openehcp serve --demo` (PGlite, in a process of its own) is sent a 10 MB
 * advice document and a large SEN2 file to check (the demo county's 2026 return, its persons repeated to about
 * 60 MB), one after the other, while /health is asked every 20 ms. For each it reports the answer, how long it took,
 * the server's memory (RSS) before, at its highest and 2 s after, and /health's worst and 99th percentile latency:
 * a service that stays responsive answers /health in milliseconds however big the file.
 *
 *   npm run bench:uploads                  # DATA_DIR .data/bench-uploads (the demo county is loaded once)
 *   BENCH_PORT=3204 BENCH_SEN2_MB=60 npm run bench:uploads
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.BENCH_PORT ?? 3204);
const base = `http://127.0.0.1:${port}`;
const sen2Megabytes = Number(process.env.BENCH_SEN2_MB ?? 60);
const dataDir = process.env.BENCH_DATA_DIR ?? path.join(root, '.data', 'bench-uploads');

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One request on a connection of its own (a kept-alive one may be closed by the server just as it is reused, while
 * it is busy). A form is sent as the browser would encode it.
 */
async function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; form?: FormData | URLSearchParams } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  let body: Buffer | undefined;
  const headers = { ...options.headers };
  if (options.form) {
    const encoded = new Request(url, { method: 'POST', body: options.form });
    body = Buffer.from(await encoded.arrayBuffer());
    headers['content-type'] = encoded.headers.get('content-type')!;
    headers['content-length'] = String(body.length);
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? (body ? 'POST' : 'GET'), headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const cookieOf = (r: { headers: Record<string, string | string[] | undefined> }) =>
  String(r.headers['set-cookie'] ?? '').split(';')[0]!;

async function page(url: string, cookie: string): Promise<string> {
  return (await send(url, { headers: { cookie } })).text;
}

async function signIn(email: string): Promise<string> {
  const form = await send(`${base}/sign-in`);
  const cookie = cookieOf(form);
  const token = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
  const signedIn = await send(`${base}/sign-in`, {
    headers: { cookie },
    form: new URLSearchParams({ _csrf: token, email, password: 'demo-county-2026' }),
  });
  const session = cookieOf(signedIn);
  if (signedIn.status !== 303 || !session) throw new Error(`bench: sign-in as ${email} failed (${signedIn.status})`);
  return session;
}

/** A form's hidden fields (CSRF token, version, submission key). */
async function hiddenFields(url: string, cookie: string): Promise<Record<string, string>> {
  const html = await page(url, cookie);
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[m[1]!] = m[2]!;
  if (!fields._csrf) throw new Error(`bench: no form at ${url}`);
  return fields;
}

/** Runs `send` while asking /health every 20 ms and sampling the server's RSS every 100 ms. */
async function measure(label: string, pid: number, post: () => ReturnType<typeof send>) {
  global.gc?.();
  await sleep(2000);
  const before = rssMb(pid);
  let peak = before;
  let running = true;
  const latencies: number[] = [];
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
  const poll = (async () => {
    while (running) {
      const t = performance.now();
      await send(`${base}/health`);
      latencies.push(performance.now() - t);
      await sleep(20);
    }
  })();
  const started = performance.now();
  const response = await post();
  const body = response.text;
  const seconds = (performance.now() - started) / 1000;
  running = false;
  await poll;
  await sleep(2000);
  clearInterval(sampler);
  const after = rssMb(pid);
  latencies.sort((a, b) => a - b);
  const result = {
    label,
    status: response.status,
    seconds: Number(seconds.toFixed(2)),
    rssMb: { before, peak, after },
    health: {
      polls: latencies.length,
      worstMs: Math.round(latencies.at(-1) ?? NaN),
      p99Ms: Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? NaN),
    },
  };
  console.log(JSON.stringify(result));
  return { result, body };
}

async function main() {
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin', 'openehcp.js'), 'serve', '--demo', '--port', String(port)],
    {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'development' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  try {
    for (let i = 0; ; i++) {
      if (i > 3000) throw new Error('bench: the service did not become ready in 5 minutes');
      if (child.exitCode !== null) throw new Error(`bench: the service stopped (${child.exitCode})`);
      if (
        await send(`${base}/ready`).then(
          (r) => r.status === 200,
          () => false,
        )
      )
        break;
      await sleep(100);
    }
    // Settled: the work the service does as it starts (the measures, about 20 s) is over when /health answers
    // promptly five times running.
    for (let quick = 0; quick < 5;) {
      const t = performance.now();
      await send(`${base}/health`);
      quick = performance.now() - t < 50 ? quick + 1 : 0;
      await sleep(500);
    }
    const caseworker = await signIn('caseworker@demo-county.example');
    const dataOfficer = await signIn('data@demo-county.example');

    // 1. A 10 MB PDF (incompressible content) as the advice a case is waiting for.
    const listing = await page(`${base}/cases?view=all&stage=gathering_advice`, caseworker);
    let form: string | undefined;
    for (const [, id] of listing.matchAll(/href="\/cases\/([0-9a-f-]{36})"/g)) {
      const casePage = await page(`${base}/cases/${id}`, caseworker);
      const link = /href="(\/cases\/[0-9a-f-]{36}\/advice\/[0-9a-f-]{36}\/received)"/.exec(casePage)?.[1];
      if (link) {
        form = link;
        break;
      }
    }
    if (!form) throw new Error('bench: no case is waiting for advice');
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.7\n1 0 obj\n<< /Length 10485000 >>\nstream\n'),
      randomBytes(10_485_000),
      Buffer.from('\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n'),
    ]);
    const fields = await hiddenFields(`${base}${form}`, caseworker);
    const today = new Date();
    const upload = new FormData();
    for (const [k, v] of Object.entries(fields)) upload.append(k, v);
    upload.append('receivedOn-day', String(today.getUTCDate()));
    upload.append('receivedOn-month', String(today.getUTCMonth() + 1));
    upload.append('receivedOn-year', String(today.getUTCFullYear()));
    upload.append('document', new Blob([pdf], { type: 'application/pdf' }), 'advice.pdf');
    await measure(`advice upload, ${(pdf.length / 1048576).toFixed(1)} MiB PDF`, child.pid!, () =>
      send(`${base}${form}`, { headers: { cookie: caseworker }, form: upload }),
    );

    // 2. A large SEN2 file to check: the demo county's 2026 return with its persons repeated.
    const xml = await page(`${base}/sen2/SEN2_999_2026.xml`, dataOfficer);
    const open = xml.indexOf('<Persons>') + '<Persons>'.length;
    const close = xml.lastIndexOf('</Persons>');
    const persons = xml.slice(open, close);
    const copies = Math.max(1, Math.round((sen2Megabytes * 1e6) / Buffer.byteLength(persons)));
    const big = Buffer.from(`${xml.slice(0, open)}${persons.repeat(copies)}${xml.slice(close)}`);
    const sen2Fields = await hiddenFields(`${base}/sen2`, dataOfficer);
    const check = new FormData();
    check.append('_csrf', sen2Fields._csrf!);
    check.append('checkFile', new Blob([big], { type: 'application/xml' }), 'SEN2_999_2026.xml');
    const { body } = await measure(
      `SEN2 check, ${(big.length / 1e6).toFixed(1)} MB (${copies} copies of the demo return)`,
      child.pid!,
      () => send(`${base}/sen2/check`, { headers: { cookie: dataOfficer }, form: check }),
    );
    const summary = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(body)?.[1]?.replace(/\s+/g, ' ').trim();
    console.log(`  the check's page: ${summary}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

await main();
