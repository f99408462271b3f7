import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, testDemoCounty } from '../../test/db.js';
import { setUpIntegration } from '../../test/integration.js';
import { queryRows, type Database } from '../data/db.js';
import { addLocalAuthority } from '../data/repositories/localAuthorities.js';
import { localDate } from '../domain/dates/localDate.js';
import { createServices } from './index.js';
import type { RequestContext } from './cases.js';
import { callerFrom, type Sen2Caller } from './sen2.js';
import { ForbiddenError } from './errors.js';

const clock = { now: () => new Date('2026-11-28T09:30:00Z'), today: () => localDate('2026-11-28') };
// The run's demo county (5% of full size, as of 28 November 2026), loaded once into a template (test/db.ts).
const county = testDemoCounty();
const system = (laCode = '999'): Sen2Caller => ({ laCode, userId: null, ip: null, requestId: null, via: 'cli' });
const bytes = (s: string) => new TextEncoder().encode(s);

let demo: Database;
let empty: Database;

beforeAll(async () => {
  const bare = { app: false, fixture: false } as const;
  [{ database: demo }, { database: empty }] = await Promise.all([
    setUpIntegration({ ...bare, demo: true }),
    setUpIntegration(bare),
  ]);
  await addLocalAuthority(empty.db, '999', 'Demo County Council');
});
afterAll(async () => {
  await Promise.all([demo.close(), empty.close()]);
});

async function count(database: Database, table: string): Promise<number> {
  const rows = await queryRows<{ n: number }>(database.db, sql.raw(`select count(*)::int as n from ${table}`));
  return rows[0]!.n;
}

async function tableCounts(database: Database) {
  return {
    children: await count(database, 'children'),
    requests: await count(database, 'assessment_requests'),
    plans: await count(database, 'plans'),
    events: await count(database, 'case_events'),
  };
}

describe('the SEN2 return made from the demo county', () => {
  it('has no errors, and its headline counts equal the dashboard’s figures for the same year', async () => {
    const services = createServices(demo, { clock });
    await services.measures.refresh();
    const result = await services.sen2.exportReturn(system(), 2026);
    expect(result.lines.filter((l) => l.startsWith('ERROR'))).toEqual([]);
    const c = result.counts;
    // Calendar year 2025 and the census of 15 January 2026.
    expect(result.dashboard).toEqual({
      requestsReceived: c.requestsReceived,
      decisionsToAssess: c.decisionsToAssess,
      plansIssued: c.plansIssued,
      plansWithin20Weeks: c.plansWithin20Weeks,
      plansIssuedExcl: c.plansIssuedExcl,
      plansWithin20WeeksExcl: c.plansWithin20WeeksExcl,
      activePlans: c.activePlans,
      // Plans ceased through casework (or loaded ceased) carry their CeaseDate and CeaseReason into the return.
      plansCeased: c.ceasedPlans,
    });
    expect(c.ceasedPlans).toBeGreaterThan(0);
    // And the counts are the demo's own: requests received in 2025, plans issued in 2025.
    expect(c.requestsReceived).toBe(county.requests.filter((r) => r.receivedDate.startsWith('2025')).length);
    expect(c.plansIssued).toBe(county.requests.filter((r) => r.finalIssuedDate?.startsWith('2025')).length);
    expect(c.plansIssued).toBeGreaterThan(50);
    expect(c.activePlans).toBeGreaterThan(300);
    // Exceptions make the two 20-week figures differ.
    expect(c.plansIssuedExcl).toBeLessThan(c.plansIssued);
    // The review decisions: the return's (each active plan's latest review) and those it leaves out add up to the
    // dashboard's measure of decisions within 4 weeks of the meeting (reg 20(10)), summed over 2025.
    const f = result.reviews;
    expect(f.dashboard).not.toBeNull();
    expect(f.inReturn.decisions).toBeGreaterThan(100);
    expect(f.inReturn.decisions + f.planEnded.decisions + f.reviewedAgain.decisions).toBe(f.dashboard!.decisions);
    expect(f.inReturn.within4Weeks + f.planEnded.within4Weeks + f.reviewedAgain.within4Weeks).toBe(
      f.dashboard!.within4Weeks,
    );
    // The casework's review and phase-transfer items are in the records (and the schema above accepts them).
    for (const item of [
      'ReviewMeeting',
      'ReviewOutcome',
      'LastReview',
      'ReviewDraft',
      'PhaseTransferDueDate',
      'PhaseTransferFinalDate',
    ]) {
      expect(result.xml).toContain(`<${item}>`);
    }
  });

  it('round trips: export, import into an empty database, export again gives the same file', async () => {
    const first = await createServices(demo, { clock }).sen2.exportReturn(system(), 2026);
    const services = createServices(empty, { clock });
    const report = await services.sen2.importFile(system(), bytes(first.xml), {
      format: 'xml',
      dryRun: false,
      name: 'demo-2026.xml',
    });
    expect(report.lines.filter((l) => l.startsWith('ERROR'))).toEqual([]);
    expect(report.ok).toBe(true);
    // The review meeting, its outcome and draft, and the phase transfer's finalised date come from the review and
    // phase-transfer casework, which an import cannot make: the import says it does not keep them, and the file made
    // again is the same without them.
    const notKept = ['ReviewMeeting', 'ReviewOutcome', 'ReviewDraft', 'PhaseTransferFinalDate'];
    expect(report.plan!.notKept.map((n) => n.item)).toEqual(expect.arrayContaining(notKept));
    const without = (xml: string) => xml.replace(new RegExp(`\\s*<(${notKept.join('|')})>[^<]*</\\1>`, 'g'), '');
    const again = await services.sen2.exportReturn(system(), 2026);
    expect(without(again.xml)).toBe(without(first.xml));
  });

  it('imports nothing new the second time', async () => {
    const services = createServices(empty, { clock });
    const before = await tableCounts(empty);
    const xml = (await services.sen2.exportReturn(system(), 2026)).xml;
    const report = await services.sen2.importFile(system(), bytes(xml), { format: 'xml', dryRun: false, name: 'x' });
    expect(report.ok).toBe(true);
    expect(report.created).toEqual({ children: 0, requests: 0, plans: 0 });
    expect(report.existing.children).toBe(report.persons);
    expect(await tableCounts(empty)).toEqual(before);
  });
});

describe('importing', () => {
  const otherLa = '998';

  it('refuses hostile and broken XML with a message, writing nothing', async () => {
    const services = createServices(demo, { clock });
    const before = await tableCounts(demo);
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>' +
      '<Message>&lol2;</Message>';
    const external =
      '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><Message>&x;</Message>';
    const good = (await services.sen2.exportReturn(system(), 2026)).xml;
    const cases: [Uint8Array, RegExp][] = [
      [bytes(laughs), /document type declaration/],
      [bytes(external), /document type declaration/],
      [bytes(good.slice(0, Math.floor(good.length / 2))), /not well formed at line \d+/],
      [new Uint8Array([0xff, 0xfe, ...bytes('<Message/>')]), /UTF-16/],
      [bytes(good.replace('<Surname>', '<Surname>\u0000')), /not well formed|invalid|character/i],
      [new Uint8Array([...bytes(good.slice(0, 400)), 0xe9, ...bytes(good.slice(400))]), /not valid UTF-8/],
    ];
    for (const [file, message] of cases) {
      const report = await services.sen2.importFile(system(), file, { format: 'xml', dryRun: false, name: 'bad' });
      expect(report.ok).toBe(false);
      expect(report.lines[0]).toMatch(/^ERROR /);
      expect(report.lines.join('\n')).toMatch(message);
    }
    expect(await tableCounts(demo)).toEqual(before);
  });

  it('refuses another LA’s return, and a return with errors, whole', async () => {
    const services = createServices(demo, { clock });
    const xml = (await services.sen2.exportReturn(system(), 2026)).xml;
    const wrongLa = await services.sen2.importFile(system(otherLa), bytes(xml), {
      format: 'xml',
      dryRun: true,
      name: 'x',
    });
    expect(wrongLa.ok).toBe(false);
    expect(wrongLa.lines[0]).toBe('ERROR /Message/Header/Source/LEA: the file is LA 999’s return, not LA 998’s');
    const broken = xml.replace(/<Ethnicity>\w+<\/Ethnicity>/, '');
    const report = await services.sen2.importFile(system(), bytes(broken), { format: 'xml', dryRun: true, name: 'x' });
    expect(report.ok).toBe(false);
    expect(report.lines).toContain(
      'ERROR /Message/Persons/Person[1]/Ethnicity: the ethnicity is required (a CBDS code, or REFU or NOBT)',
    );
  });

  it('leaves the database as it was when the import fails part way', async () => {
    const source = await createServices(demo, { clock }).sen2.exportReturn(system(), 2026);
    const target = await openTestDb();
    try {
      await addLocalAuthority(target.db, '999', 'Demo County Council');
      const services = createServices(target, { clock });
      const before = await tableCounts(target);
      let batches = 0;
      await expect(
        services.sen2.importFile(system(), bytes(source.xml), {
          format: 'xml',
          dryRun: false,
          name: 'x',
          onProgress: () => {
            batches += 1;
            if (batches === 2) throw new Error('the disk filled up');
          },
        }),
      ).rejects.toThrow('the disk filled up');
      expect(await tableCounts(target)).toEqual(before);
    } finally {
      await target.close();
    }
  });

  it('reads the CSV format: bad codes reported by line and column, a dry run writes nothing, then it imports', async () => {
    const services = createServices(demo, { clock });
    const header =
      'surname,forename,date_of_birth,sex,ethnicity,upn,upn_unknown,received_date,request_source,request_outcome,request_outcome_date,assessment_outcome,assessment_outcome_date,week20,plan_start_date,plan_urn,placement_urn,primary_need,last_review';
    const bad = [
      header,
      'Ngata,Aroha,2015-03-02,F,WBRI,,UN8,2025-02-03,1,Y,2025-03-10,Y,2025-06-20,0,2025-06-20,990001,990001,ASD,',
      'Ngata,Tama,31/02/2016,X,WHIT,,UN8,2025-02-03,9,Q,,,,,,,,,',
    ].join('\n');
    const refused = await services.sen2.importFile(system(), bytes(bad), {
      format: 'csv',
      dryRun: true,
      csvYear: 2026,
      name: 'cases.csv',
    });
    expect(refused.ok).toBe(false);
    expect(refused.lines).toEqual([
      'ERROR line 3, column date_of_birth: "31/02/2016" is not a date (use YYYY-MM-DD or DD/MM/YYYY)',
      'ERROR line 3, column sex: "X" is not a sex code (M, F)',
      expect.stringMatching(/^ERROR line 3, column ethnicity: "WHIT" is not an ethnicity code \(WBRI, /),
      'ERROR line 3, column request_outcome: "Q" is not a request outcome (Y, N, A, W, H)',
      'ERROR line 3, column request_source: "9" is not a request source (1, 2, 3, 4, 5)',
    ]);

    // A CSV saved from a spreadsheet in Windows-1252 (an é in a name) is refused, saying how to save it.
    const latin1 = new Uint8Array([...bytes(`${header}\nRen`), 0xe9, ...bytes(',Aroha,2015-03-02\n')]);
    const wrongEncoding = await services.sen2.importFile(system(), latin1, {
      format: 'csv',
      dryRun: true,
      csvYear: 2026,
      name: 'cases.csv',
    });
    expect(wrongEncoding.lines).toEqual([
      'ERROR file: the file is not valid UTF-8 (line 2): it may have been saved as Windows-1252 or Latin-1; save it as UTF-8',
    ]);

    const good = [
      header,
      'Ngata,Aroha,2015-03-02,F,WBRI,,UN8,2025-02-03,1,Y,2025-03-10,Y,2025-06-20,0,2025-06-20,990001,990001,ASD,2025-12-01',
      'Ngata,Aroha,02/03/2015,F,WBRI,,UN8,2024-01-05,2,N,2024-02-01,,,,,,,,',
      'Ngata,Tama,2016-02-28,M,MWBA,,UN8,2025-09-01,2,A,,,,,,,,,',
    ].join('\n');
    const before = await tableCounts(demo);
    const dry = await services.sen2.importFile(system(), bytes(good), {
      format: 'csv',
      dryRun: true,
      csvYear: 2026,
      name: 'cases.csv',
    });
    expect(dry.ok).toBe(true);
    expect(dry.rows).toEqual([
      { where: 'lines 2, 3', child: 'new', requests: 2, plans: 1, alreadyHere: 0 },
      { where: 'line 4', child: 'new', requests: 1, plans: 0, alreadyHere: 0 },
    ]);
    expect(await tableCounts(demo)).toEqual(before);

    const done = await services.sen2.importFile(system(), bytes(good), {
      format: 'csv',
      dryRun: false,
      csvYear: 2026,
      name: 'cases.csv',
    });
    expect(done.created).toEqual({ children: 2, requests: 3, plans: 1 });
    const after = await tableCounts(demo);
    expect(after.children).toBe(before.children + 2);
    // Aroha's plan shows in the next return, with the placement and need from the CSV.
    const ret = (await services.sen2.exportReturn(system(), 2026)).ret;
    const aroha = ret.persons.find((p) => p.forename === 'Aroha' && p.surname === 'Ngata')!;
    expect(aroha.requests.map((r) => r.requestOutcome)).toEqual(['Y']);
    expect(aroha.requests[0]!.activePlans).toEqual({
      placements: [{ urn: '990001', placementRank: '1' }],
      senNeeds: [{ senType: 'ASD', senTypeRank: '1' }],
      lastReview: '2025-12-01',
    });
    // The open request is on the caseload with its next duty worked out.
    const open = await queryRows<{ stage: string; next_duty: string | null }>(
      demo.db,
      sql`select r.stage, r.next_duty from assessment_requests r join children c on c.id = r.child_id
          where c.given_name = 'Tama' and c.family_name = 'Ngata'`,
    );
    expect(open).toEqual([{ stage: 'deciding_whether_to_assess', next_duty: 'decide_whether_to_assess' }]);
    // Twice: nothing more.
    const twice = await services.sen2.importFile(system(), bytes(good), {
      format: 'csv',
      dryRun: false,
      csvYear: 2026,
      name: 'cases.csv',
    });
    expect(twice.created).toEqual({ children: 0, requests: 0, plans: 0 });
  });
});

describe('who may use the SEN2 return', () => {
  const ctx = (roles: RequestContext['actor']['roles']): RequestContext => ({
    actor: { userId: '00000000-0000-4000-8000-000000000001', laCode: '999', roles, childIds: [] },
    ip: '127.0.0.1',
    requestId: 'r1',
  });

  it('is data officers and managers only, and every export and import is audited', async () => {
    expect(() => callerFrom(ctx(['caseworker']))).toThrow(ForbiddenError);
    expect(() => callerFrom(ctx(['parent']))).toThrow(ForbiddenError);
    expect(callerFrom(ctx(['data_officer'])).laCode).toBe('999');
    const actions = await queryRows<{ action: string; n: number }>(
      demo.db,
      sql`select action, count(*)::int as n from audit_log where entity_type = 'sen2_return' group by action order by action`,
    );
    expect(actions.map((a) => a.action)).toEqual(['sen2.export', 'sen2.import', 'sen2.import_dry_run']);
  });
});
