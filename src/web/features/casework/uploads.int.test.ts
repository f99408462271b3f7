/**
 * Uploads under attack and load (issue 23 items 5 and 9): every document passed to a real ClamAV daemon when one is
 * configured (refused when it finds a virus, and refused while it cannot be reached: fail closed, logged without
 * personal data), a hostile file refused by its structure, a good one stored byte for byte, and the expensive routes
 * limited per person with a GOV.UK 429 page saying when to try again.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLAMD_MISSING, EICAR, MARKER, startClamd, type Clamd } from '../../../../test/clamd.js';
import { csrfFrom, signedIn, testApp } from '../../../../test/app.js';
import { clearRequestLimits, setUpIntegration } from '../../../../test/integration.js';
import type { Fixture } from '../../../../test/fixtures.js';
import type { Database } from '../../../data/db.js';
import { adviceRequests, documents } from '../../../data/schema.js';
import { REFUSALS } from '../../../domain/documents/fileType.js';
import { SCANNER_UNAVAILABLE, VIRUS_FOUND } from '../../../services/documents.js';
import { clamdScanner, ScannerUnavailableError, type VirusScanner } from '../../../services/virusScan.js';
import { EXPENSIVE_LIMITS } from '../../middleware/expensive.js';

let database: Database;
let fixture: Fixture;

beforeAll(async () => {
  ({ database, fixture } = await setUpIntegration({ app: false }));
});
afterAll(async () => {
  await database.close();
});

const pdf = (body = '') => Buffer.from(`%PDF-1.7\n1 0 obj << >> endobj\n${body}trailer << >>\n%%EOF\n`);

/** A new advice request on Ada's case, and the address of the form that records it received. */
async function adviceForm(): Promise<string> {
  const ada = fixture.cases.ada!;
  const [advice] = await database.db
    .insert(adviceRequests)
    .values({
      laCode: '999',
      requestId: ada.requestId,
      adviceType: 'health',
      provider: 'Test Health Service',
      requestedDate: '2025-02-24',
    })
    .returning({ id: adviceRequests.id });
  return `/cases/${ada.requestId}/advice/${advice!.id}/received`;
}

type Agent = Awaited<ReturnType<typeof signedIn>>;

async function upload(agent: Agent, url: string, file: Buffer, name = 'advice.pdf') {
  const form = (await agent.get(url).expect(200)).text;
  const field = (n: string) => new RegExp(`name="${n}" value="([^"]*)"`).exec(form)?.[1] ?? '';
  return agent
    .post(url)
    .field('_csrf', csrfFrom(form))
    .field('version', field('version'))
    .field('submissionKey', field('submissionKey'))
    .field('receivedOn-day', '20')
    .field('receivedOn-month', '3')
    .field('receivedOn-year', '2025')
    .attach('document', file, name);
}

const documentCount = async () => (await database.db.select({ id: documents.id }).from(documents)).length;

/** A logger that keeps what it is told, to check what the service logs. */
function recordingLogger() {
  const lines: string[] = [];
  const record = (obj: unknown, msg?: string) => void lines.push(JSON.stringify({ ...(obj as object), msg }));
  return { lines, logger: { error: record, warn: record } };
}

describe.skipIf(CLAMD_MISSING !== null)(
  `uploads scanned by a real clamd${CLAMD_MISSING ? ` (skipped: ${CLAMD_MISSING})` : ''}`,
  () => {
    let clamd: Clamd;
    beforeAll(async () => {
      clamd = await startClamd();
    }, 60_000);
    afterAll(async () => {
      await clamd?.stop();
    });

    it('answers clean or names the virus, over TCP and over its Unix socket (INSTREAM)', async () => {
      for (const scanner of [
        clamdScanner({ host: '127.0.0.1', port: clamd.port }),
        clamdScanner({ socket: clamd.socket }),
      ]) {
        expect(await scanner.scan(pdf())).toEqual({ clean: true });
        expect(await scanner.scan(EICAR)).toEqual({ clean: false, threat: 'Eicar-Test-Signature.UNOFFICIAL' });
        // Larger than one INSTREAM chunk: the marker is found in the middle of 3 MB.
        const big = Buffer.concat([
          pdf(),
          Buffer.alloc(1_500_000, 32),
          Buffer.from(MARKER),
          Buffer.alloc(1_500_000, 32),
        ]);
        expect(await scanner.scan(big)).toMatchObject({ clean: false });
      }
    });

    it('refuses an advice document with a virus, saving nothing; a clean one is stored byte for byte', async () => {
      const { lines, logger } = recordingLogger();
      const { app } = testApp(database, {
        virusScanner: clamdScanner({ host: '127.0.0.1', port: clamd.port }, { logger }),
      });
      const agent = await signedIn(app, fixture.users.caseworker!.email);
      const url = await adviceForm();
      const before = await documentCount();

      const infected = await upload(agent, url, pdf(`(${MARKER}) Tj\n`), 'Ada Abbott EP advice.pdf');
      expect(infected.status).toBe(400);
      expect(infected.text).toContain('There is a problem');
      expect(infected.text).toContain(VIRUS_FOUND);
      expect(await documentCount()).toBe(before);
      // The log names the signature, never the file or the child.
      expect(lines.join('\n')).toContain('OpenEHCP.Test.Marker');
      expect(lines.join('\n')).not.toMatch(/Ada|Abbott|advice\.pdf/);

      const clean = pdf('(Ada needs a quiet space to work) Tj\n');
      const saved = await upload(agent, url, clean);
      expect(saved.status).toBe(303);
      const [row] = await database.db
        .select()
        .from(documents)
        .where(eq(documents.requestId, fixture.cases.ada!.requestId));
      expect(row!.sha256).toBe(createHash('sha256').update(clean).digest('hex'));
      expect(row!.sizeBytes).toBe(clean.length);
      const download = await agent.get(`/documents/${row!.id}`).expect(200);
      expect(Buffer.from(download.body as Buffer).equals(clean)).toBe(true);
    });
  },
);

describe('uploads when the virus scanner cannot be reached', () => {
  it('refuses the upload (fails closed), saves nothing and logs why, without personal data', async () => {
    const { lines, logger } = recordingLogger();
    // A port nobody listens on: clamd is down.
    const { app } = testApp(database, { virusScanner: clamdScanner({ host: '127.0.0.1', port: 1 }, { logger }) });
    const agent = await signedIn(app, fixture.users.caseworker!.email);
    const before = await documentCount();
    const res = await upload(agent, await adviceForm(), pdf(), 'Ada Abbott EP advice.pdf');
    expect(res.status).toBe(400);
    expect(res.text).toContain(SCANNER_UNAVAILABLE);
    expect(await documentCount()).toBe(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('virus scanner unreachable');
    expect(lines[0]).toContain('clamd at 127.0.0.1:1');
    expect(lines[0]).not.toMatch(/Ada|Abbott|advice\.pdf/);
    await expect(clamdScanner({ socket: '/nonexistent/clamd.sock' }).scan(pdf())).rejects.toThrow(
      ScannerUnavailableError,
    );
  });
});

describe('uploads checked by their structure', () => {
  it('refuses a PDF carrying a Windows program (a PDF/EXE polyglot) over HTTP, saving nothing', async () => {
    const { app } = testApp(database);
    const agent = await signedIn(app, fixture.users.caseworker!.email);
    const url = await adviceForm();
    const before = await documentCount();
    const exe = Buffer.alloc(256);
    exe.write('MZ', 0);
    exe.writeUInt32LE(0x80, 0x3c);
    exe.write('PE\0\0', 0x80);
    const polyglot = await upload(agent, url, Buffer.concat([pdf(), exe, Buffer.from('%%EOF\n')]));
    expect(polyglot.status).toBe(400);
    expect(polyglot.text).toContain(REFUSALS.program);
    expect(await documentCount()).toBe(before);
  });
});

describe('limits on the expensive routes', () => {
  // Each test starts with no counts (the counts are in the database, so earlier tests' uploads would count).
  beforeEach(() => clearRequestLimits(database));

  it('answers the 11th upload in a minute with a GOV.UK 429 page saying the limit and when to try again', async () => {
    // Two processes of one deployment (two apps on one database): the person gets one limit between them, not two.
    const { app } = testApp(database);
    const { app: otherProcess } = testApp(database);
    const agent = await signedIn(app, fixture.users.caseworker!.email);
    const sameOnOther = await signedIn(otherProcess, fixture.users.caseworker!.email);
    const url = await adviceForm();
    const form = (await agent.get(url).expect(200)).text;
    const otherForm = (await sameOnOther.get(url).expect(200)).text;
    const { perMinute } = EXPENSIVE_LIMITS.upload;
    // Each sent without a date: refused (400), but each counts, half of them through each process.
    for (let i = 0; i < perMinute; i++) {
      const [through, token] = i % 2 === 0 ? [agent, csrfFrom(form)] : [sameOnOther, csrfFrom(otherForm)];
      await through.post(url).field('_csrf', token).attach('document', pdf(), 'a.pdf').expect(400);
    }
    const refused = await agent.post(url).field('_csrf', csrfFrom(form)).attach('document', pdf(), 'a.pdf');
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(refused.text).toContain('govuk-heading-l');
    expect(refused.text).toContain('Sorry, you have sent too many requests');
    expect(refused.text).toContain(`You can upload up to ${perMinute} documents a minute.`);
    expect(refused.text).toMatch(new RegExp(`Try again in ${wait} seconds? \\(at \\d{1,2}:\\d{2}:\\d{2}[ap]m\\)`));
    expect(refused.text).toContain(`href="${url}"`);

    // Someone else is not held back by it.
    const other = await signedIn(app, fixture.users.caseworker2!.email);
    const theirs = (await other.get(url).expect(200)).text;
    await other.post(url).field('_csrf', csrfFrom(theirs)).attach('document', pdf(), 'a.pdf').expect(400);
  });

  it('checks or imports at most 5 SEN2 files a minute per person', async () => {
    const { app } = testApp(database);
    const agent = await signedIn(app, fixture.users.data!.email);
    const token = csrfFrom((await agent.get('/sen2').expect(200)).text);
    const { perMinute } = EXPENSIVE_LIMITS.sen2;
    for (let i = 0; i < perMinute; i++) await agent.post('/sen2/check').field('_csrf', token).expect(400);
    const refused = await agent.post('/sen2/import').field('_csrf', token).expect(429);
    expect(refused.text).toContain(`You can check or import up to ${perMinute} SEN2 files a minute.`);
    expect(refused.text).toContain('href="/sen2"');
  });

  it('refuses a second expensive request while the person’s first is still being worked on', async () => {
    let release: () => void = () => {};
    let started: () => void = () => {};
    const scanning = new Promise<void>((r) => (started = r));
    // A scanner that holds the first upload until the test lets it go.
    const slow: VirusScanner = {
      name: 'held',
      scan: () =>
        new Promise((resolve) => {
          started();
          release = () => resolve({ clean: true });
        }),
    };
    const { app } = testApp(database, { virusScanner: slow });
    const { app: otherProcess } = testApp(database);
    const agent = await signedIn(app, fixture.users.caseworker!.email);
    const sameOnOther = await signedIn(otherProcess, fixture.users.caseworker!.email);
    const url = await adviceForm();
    const first = upload(agent, url, pdf()).then((r) => r);
    await scanning;
    // Sent to another process of the same deployment: it knows the first is still being worked on.
    const second = await sameOnOther.post('/sen2/check').field('_csrf', 'x');
    // The caseworker may not check SEN2 files at all, but the busy answer comes first, before anything is read.
    expect(second.status).toBe(429);
    expect(second.text).toContain('Your last file or forecast is still being worked on: wait for it to finish.');
    expect(second.headers['retry-after']).toBe('10');
    release();
    expect((await first).status).toBe(303);
  });
});

describe('an upload’s temporary file', () => {
  it('is removed once the answer has gone: after success, after a refusal and after an error', async () => {
    // Uploads are streamed to the system's temporary folder (multer's disk storage asks os.tmpdir() for each file):
    // one of this test's own, so that only its files are counted.
    const folder = await mkdtemp(path.join(tmpdir(), 'openehcp-uploads-'));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = folder;
    try {
      let fail = false;
      // A scanner that fails with an unexpected error when told to: the service answers 500.
      const scanner: VirusScanner = {
        name: 'test',
        scan: () => (fail ? Promise.reject(new Error('the disk failed')) : Promise.resolve({ clean: true })),
      };
      const { app } = testApp(database, { virusScanner: scanner });
      const agent = await signedIn(app, fixture.users.caseworker!.email);
      // Removed as the response closes (a moment after the client has it): waited for, a second at most.
      const gone = () => expect.poll(async () => (await readdir(folder)).length, { timeout: 1_000 }).toBe(0);
      // A refusal: the document is a program.
      const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(254)]);
      expect((await upload(agent, await adviceForm(), exe, 'advice.exe')).status).toBe(400);
      await gone();
      // An error part way.
      fail = true;
      expect((await upload(agent, await adviceForm(), pdf())).status).toBe(500);
      await gone();
      // Success.
      fail = false;
      expect((await upload(agent, await adviceForm(), pdf())).status).toBe(303);
      await gone();
      // And a file sent in a field the form does not have: bad input, nothing kept.
      const url = await adviceForm();
      const form = (await agent.get(url).expect(200)).text;
      const stray = await agent.post(url).field('_csrf', csrfFrom(form)).attach('other', pdf(), 'a.pdf');
      expect(stray.status).toBe(400);
      expect(stray.text).toContain('govuk-error-summary');
      await gone();
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
      await rm(folder, { recursive: true, force: true });
    }
  });
});
