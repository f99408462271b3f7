/**
 * Phase transfers in the browser's terms (issue 28, SEND Regulations 2014 reg 18): the children moving phase next
 * September by transfer (from their dates of birth), each with their review, the setting named or "Not named yet",
 * and the counts against the 15 February and 31 March deadlines; recording a transfer's amended plan, with its
 * refusals (nothing half-saved); who may see and record. "Today" is Tuesday 1 April 2025 (TEST_NOW): the next
 * September move is 1 September 2025, the school year 2024/25's Year 6 were born 1 Sep 2013 to 31 Aug 2014, and
 * their plans were due by Friday 14 February 2025 (before 15 February; P10).
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateFields as date, formStamp } from '../../../../test/casework.js';
import type { testApp } from '../../../../test/app.js';
import { csrfFrom, signedIn } from '../../../../test/app.js';
import { errorSummary } from '../../../../test/errorSummary.js';
import { setUpIntegration } from '../../../../test/integration.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { pageText, statedDates } from '../../../../test/pages.js';
import type { Database } from '../../../data/db.js';
import { auditLog, caseEvents, children, phaseTransfers, planVersions, plans } from '../../../data/schema.js';
import { emptyPlan, readPlanContent } from '../../../domain/casework/planContent.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
type Agent = Awaited<ReturnType<typeof signedIn>>;
let caseworker: Agent;
const ids: Record<string, string> = {};
const childIds: Record<string, string> = {};

/** A child of LA 999 with a plan issued on 1 March 2020 (its first version naming the current setting). */
async function planFor(
  key: string,
  dateOfBirth: string,
  options: { settingName?: string; caseworker?: string; ceased?: string } = {},
) {
  const settingName = options.settingName ?? 'Oak Primary School';
  const [child] = await database.db
    .insert(children)
    .values({ laCode: '999', reference: `999-P${key}`, givenName: key, familyName: 'Phase', dateOfBirth, settingName })
    .returning({ id: children.id });
  const [plan] = await database.db
    .insert(plans)
    .values({
      laCode: '999',
      childId: child!.id,
      status: options.ceased ? 'ceased' : 'active',
      ceasedDate: options.ceased ?? null,
      firstIssuedDate: '2020-03-01',
      caseworkerId: options.caseworker ?? fixture.users.caseworker!.id,
    })
    .returning({ id: plans.id });
  await database.db.insert(planVersions).values({
    laCode: '999',
    planId: plan!.id,
    versionNo: 1,
    kind: 'final',
    issuedDate: '2020-03-01',
    content: { ...emptyPlan(), A: 'Likes music.', I: { settingName, settingType: 'mainstream', settingUrn: '117001' } },
  });
  ids[key] = plan!.id;
  childIds[key] = child!.id;
}

beforeAll(async () => {
  let signIn;
  ({ database, fixture, app, signIn } = await setUpIntegration());
  // Year 6 in 2024/25 (10 on 31 Aug 2024): Yas (31 Aug 2014, the youngest), Zed (1 Sep 2013, the oldest), Una.
  await planFor('Yas', '2014-08-31');
  await planFor('Zed', '2013-09-01', { caseworker: fixture.users.caseworker2!.id });
  await planFor('Una', '2014-01-10');
  // Year 5 (born 1 Sep 2014): moves nowhere in September 2025.
  await planFor('Ola', '2014-09-01');
  // Year 11 (15 on 31 Aug 2024): secondary to post-16, before 31 March.
  await planFor('Pip', '2009-03-03', { settingName: 'Hill Academy' });
  // Year 2 (6 on 31 Aug 2024): to junior school only from an infant school.
  await planFor('Ivy', '2018-02-28', { settingName: 'Mill Lane Infant School' });
  await planFor('Jo', '2018-02-28', { settingName: 'Mill Lane Primary School' });
  // Year 6 with a ceased plan: not listed, and no transfer can be recorded.
  await planFor('Cea', '2014-05-05', { ceased: '2025-01-10' });
  // Zed's transfer was finalised on Thu 20 Feb 2025: late.
  await database.db.insert(phaseTransfers).values({
    laCode: '999',
    planId: ids.Zed!,
    childId: childIds.Zed!,
    transferYear: 2025,
    kind: 'primary_to_secondary',
    deadline: '2025-02-14',
    nextSettingName: 'Hill Academy',
    nextSettingUrn: '117002',
    finalisedDate: '2025-02-20',
  });
  caseworker = await signIn('caseworker');
});
afterAll(async () => {
  await database.close();
});

/** The progress table's row for a transfer, as its cells' text. */
function progressRow(html: string, name: string): string[] {
  const table = /<table[^>]*id="progress"[\s\S]*?<\/table>/.exec(html)![0];
  const row = table.split('<tr').find((r) => r.includes(name))!;
  return [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].slice(1).map((m) => pageText(m[1]!).trim());
}
async function stored(key: string) {
  const transfers = await database.db.select().from(phaseTransfers).where(eq(phaseTransfers.planId, ids[key]!));
  const versions = await database.db.select().from(planVersions).where(eq(planVersions.planId, ids[key]!));
  return { transfers, versions };
}

describe('the phase-transfers page', () => {
  it('lists each Year 6 child moving to secondary school, by name, with their review and setting', async () => {
    const res = await caseworker.get('/phase-transfers').expect(200);
    const text = pageText(res.text);
    expect(text).toMatch(/Phase, Una[\s\S]*Not named yet[\s\S]*Overdue/);
    expect(text).toMatch(/Phase, Yas[\s\S]*Not named yet[\s\S]*Overdue/);
    expect(text).toMatch(
      /Phase, Zed[\s\S]*Hill Academy \(URN 117002\)[\s\S]*Finalised 20 February 2025[\s\S]*Finalised late/,
    );
    expect(text).not.toContain('Phase, Ola');
    expect(text).not.toContain('Phase, Cea');
    expect(text).not.toContain('Phase, Pip');
    expect(res.text).toContain(`href="/reviews/${ids.Una}"`);
    // The deadline the page states: before 15 February 2025 (reg 18(1)(a); P10).
    expect(
      statedDates(res.text)
        .filter((d) => d.duty === 'finalise_phase_transfer')
        .map((d) => d.iso),
    ).toContain('2025-02-14');
  });

  it('counts every transfer against its deadline: 14 February for schools, 30 March for post-16', async () => {
    const res = await caseworker.get('/phase-transfers').expect(200);
    // Children, finalised on time, late, not yet, overdue.
    expect(progressRow(res.text, 'Primary to secondary')).toEqual(['14 February 2025', '3', '0', '1', '0', '2']);
    expect(progressRow(res.text, 'Secondary school to post-16')).toEqual(['30 March 2025', '1', '0', '0', '0', '1']);
    expect(progressRow(res.text, 'Infant to junior')).toEqual(['14 February 2025', '1', '0', '0', '0', '1']);
    const post16 = pageText((await caseworker.get('/phase-transfers?transfer=secondary_to_post16').expect(200)).text);
    expect(post16).toContain('Phase, Pip');
    const junior = pageText((await caseworker.get('/phase-transfers?transfer=infant_to_junior').expect(200)).text);
    expect(junior).toContain('Phase, Ivy');
    expect(junior).not.toContain('Phase, Jo');
  });

  it('filters by caseworker, and refuses a transfer or page it cannot read (400)', async () => {
    const res = await caseworker.get(`/phase-transfers?caseworker=${fixture.users.caseworker2!.id}`).expect(200);
    expect(pageText(res.text)).toContain('Phase, Zed');
    expect(pageText(res.text)).not.toContain('Phase, Yas');
    expect(progressRow(res.text, 'Primary to secondary')).toEqual(['14 February 2025', '1', '0', '1', '0', '0']);
    await caseworker.get('/phase-transfers?transfer=middle_to_upper').expect(400);
    await caseworker.get('/phase-transfers?page=0').expect(400);
  });
});

describe('recording a transfer', () => {
  it('refuses no setting named and a date in the future, and saves nothing', async () => {
    const url = `/phase-transfers/${ids.Yas}`;
    const page = await caseworker.get(url).expect(200);
    const res = await caseworker
      .post(url)
      .type('form')
      .send({
        ...formStamp(page.text),
        nextSettingName: '',
        nextSettingUrn: '12',
        ...date('finalisedDate', '2025-02-10'),
      });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text).map((e) => e.text)).toEqual([
      'Enter the name of the school or setting the plan names',
      'Enter the setting’s URN: 6 digits, like 117000',
      'Select the kind of school or setting',
    ]);
    const future = await caseworker
      .post(url)
      .type('form')
      .send({
        ...formStamp(page.text),
        nextSettingName: 'Hill Academy',
        nextSettingUrn: '117002',
        nextSettingType: 'mainstream',
        ...date('finalisedDate', '2025-04-02'),
      });
    expect(future.status).toBe(400);
    expect(errorSummary(future.text).map((e) => e.text)).toEqual([
      'The date the amended plan was finalised must be today or in the past',
    ]);
    const after = await stored('Yas');
    expect(after.transfers).toEqual([]);
    expect(after.versions).toHaveLength(1);
  });

  it('records the amended plan naming the next setting, finalised on 14 February: on time', async () => {
    const url = `/phase-transfers/${ids.Yas}`;
    const page = await caseworker.get(url).expect(200);
    expect(statedDates(page.text)).toContainEqual({
      duty: 'finalise_phase_transfer',
      iso: '2025-02-14',
      text: '14 February 2025',
    });
    const fields = {
      ...formStamp(page.text),
      nextSettingName: 'Hill Academy',
      nextSettingUrn: '117002',
      nextSettingType: 'mainstream',
      ...date('finalisedDate', '2025-02-14'),
    };
    await caseworker.post(url).type('form').send(fields).expect(303);
    // The same form sent twice saves once.
    await caseworker.post(url).type('form').send(fields).expect(303);
    const after = await stored('Yas');
    expect(after.transfers).toHaveLength(1);
    expect(after.transfers[0]).toMatchObject({
      finalisedDate: '2025-02-14',
      deadline: '2025-02-14',
      transferYear: 2025,
    });
    const newest = after.versions.sort((a, b) => b.versionNo - a.versionNo)[0]!;
    expect(newest).toMatchObject({ versionNo: 2, kind: 'final', issuedDate: '2025-02-14' });
    expect(readPlanContent(newest.content).I).toEqual({
      settingName: 'Hill Academy',
      settingType: 'mainstream',
      settingUrn: '117002',
    });
    expect(readPlanContent(newest.content).A).toBe('Likes music.');
    const events = await database.db.select().from(caseEvents).where(eq(caseEvents.childId, childIds.Yas!));
    expect(events.map((e) => e.type)).toEqual(['phase_transfer_plan_finalised']);
    const done = pageText((await caseworker.get(`${url}?done=1`).expect(200)).text);
    expect(done).toContain('Hill Academy (URN 117002)');
    // Until the move the child is still at the school the plan named before the transfer.
    expect(done).toContain('Setting until the move Oak Primary School');
    const list = await caseworker.get('/phase-transfers').expect(200);
    expect(pageText(list.text)).toMatch(/Phase, Yas[\s\S]*Hill Academy \(URN 117002\)[\s\S]*Finalised on time/);
    expect(progressRow(list.text, 'Primary to secondary')).toEqual(['14 February 2025', '3', '1', '1', '0', '1']);
  });

  it('refuses a transfer on a ceased plan', async () => {
    const url = `/phase-transfers/${ids.Cea}`;
    const page = await caseworker.get(url).expect(200);
    expect(pageText(page.text)).not.toContain('Record the amended plan');
    const res = await caseworker
      .post(url)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        version: '1',
        submissionKey: randomUUID(),
        nextSettingName: 'Hill Academy',
        nextSettingUrn: '117002',
        nextSettingType: 'mainstream',
        ...date('finalisedDate', '2025-02-01'),
      });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)[0]!.text).toBe(
      'The plan has been ceased: a transfer cannot be recorded on a plan no longer maintained',
    );
    expect((await stored('Cea')).transfers).toEqual([]);
  });
});

describe('the measure on the dashboard: phase transfers finalised by the deadline, by September move', () => {
  it('counts each year’s children with a plan on the deadline, finalised on time, late and not yet', async () => {
    const manager = await signedIn(app, fixture.users.manager!.email);
    const res = await manager.get('/measures').expect(200);
    const table = /<table[^>]*id="table-phase_transfers_on_time"[\s\S]*?<\/table>/.exec(res.text)![0];
    const rows = table
      .split('<tr')
      .slice(2)
      .map((r) => [...r.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => pageText(m[1]!).trim()));
    // September 2025: Yas (on time, 14 Feb), Zed (late, 20 Feb), Una, Pip (Year 11, 30 March) and Ivy (infant
    // school) not finalised; Cea's plan was ceased before the deadline. 1 of 5 = 20%.
    expect(rows).toContainEqual(['September 2025', '5', '1', '1', '3', '20%']);
    // September 2022: Ivy and Jo into Reception (3 on 31 Aug 2021), neither recorded.
    expect(rows).toContainEqual(['September 2022', '2', '0', '0', '2', '0%']);
    expect(rows).toContainEqual(['September 2021', '0', '0', '0', '0', 'None due']);
    expect(res.text).toContain('<title id="chart-phase_transfers_on_time-title">');
  });
});

describe('who may see and record a transfer', () => {
  it('a manager sees the page; another LA gets "Page not found"; a family is refused', async () => {
    const manager = await signedIn(app, fixture.users.manager!.email);
    expect(pageText((await manager.get('/phase-transfers').expect(200)).text)).toContain('Phase, Una');
    const other = await signedIn(app, fixture.users.othercaseworker!.email);
    await other.get(`/phase-transfers/${ids.Una}`).expect(404);
    expect(pageText((await other.get('/phase-transfers').expect(200)).text)).not.toContain('Phase, Una');
    const parent = await signedIn(app, fixture.users.parent!.email);
    await parent.get('/phase-transfers').expect(403);
    await parent.get(`/phase-transfers/${ids.Una}`).expect(403);
    expect((await stored('Una')).transfers).toEqual([]);
  });

  it('every list and read is audited, with the children listed', async () => {
    await caseworker.get(`/phase-transfers/${ids.Una}`).expect(200);
    const reads = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'phase_transfer'), eq(auditLog.childId, childIds.Una!)));
    expect(reads.some((r) => r.action === 'read')).toBe(true);
    const lists = await database.db.select().from(auditLog).where(eq(auditLog.entityType, 'phase_transfers'));
    expect(lists.some((r) => JSON.stringify(r.detail).includes(childIds.Una!))).toBe(true);
  });
});
