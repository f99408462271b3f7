/**
 * Mediation and appeals in the browser's terms (issue 28): a family's disagreement with what Ada's plan says taken
 * through mediation, its certificate and agreement, an appeal and a Tribunal order complied with, the council's
 * statutory dates and the family's stated after each step; the refusals (nothing half-saved); and who may see and
 * change a disagreement. "Today" is Tuesday 1 April 2025 (TEST_NOW).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateFields as date, formStamp } from '../../../../test/casework.js';
import type { testApp } from '../../../../test/app.js';
import { signedIn } from '../../../../test/app.js';
import { errorSummary } from '../../../../test/errorSummary.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { setUpIntegration } from '../../../../test/integration.js';
import { pageText, statedDates } from '../../../../test/pages.js';
import type { Database } from '../../../data/db.js';
import { auditLog, caseEvents, disagreements } from '../../../data/schema.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
type Agent = Awaited<ReturnType<typeof signedIn>>;
let caseworker: Agent;
let ada: string;
let id: string;

beforeAll(async () => {
  let signIn;
  ({ database, fixture, app, signIn } = await setUpIntegration());
  ada = fixture.cases.ada!.requestId;
  caseworker = await signIn('caseworker');
});
afterAll(async () => {
  await database.close();
});

async function post(agent: Agent, url: string, fields: Record<string, string>) {
  const page = await agent.get(url).expect(200);
  return agent
    .post(url)
    .type('form')
    .send({ ...formStamp(page.text), ...fields });
}
/** The disagreement page's council dates by duty, with each one's status, and its text. */
async function page() {
  const res = await caseworker.get(`/disagreements/${id}`).expect(200);
  const dates = Object.fromEntries(statedDates(res.text).map((s) => [s.duty, s.iso]));
  return { dates, text: pageText(res.text) };
}

describe('a disagreement taken through mediation and an appeal to a Tribunal order complied with', () => {
  it('is recorded on the case from the decision letter, with the family’s dates (reg 33; Tribunal rules)', async () => {
    const none = pageText((await caseworker.get(`/cases/${ada}/disagreements`).expect(200)).text);
    expect(none).toContain('No disagreement has been recorded on this case.');
    const started = await post(caseworker, `/cases/${ada}/disagreements/new`, {
      about: 'plan_content',
      ...date('decisionDate', '2025-02-03'),
    });
    expect(started.status).toBe(303);
    id = /\/disagreements\/([0-9a-f-]{36})$/.exec(started.headers.location!)![1]!;
    const { text } = await page();
    // Decision letter Mon 3 Feb 2025: the mediation adviser by Thu 3 Apr (2 calendar months, reg 33); the appeal by
    // the same day without a certificate.
    expect(text).toContain('Family to contact the mediation adviser by 3 April 2025 (reg 33)');
    expect(text).toContain('Family may appeal until 3 April 2025 (2 months after the decision letter)');
    expect(text).toContain('Wait for the family’s decision: they may appeal until 3 April 2025');
  });

  it('states the council’s dates after each step (row 22, regs 34-39, reg 42, reg 44(2)) and closes when complied with', async () => {
    const steps = `/disagreements/${id}`;
    // Told Mon 10 Feb 2025: mediation within 30 days, by Wed 12 Mar 2025 (P2).
    expect((await post(caseworker, `${steps}/mediation`, date('mediationToldDate', '2025-02-10'))).status).toBe(303);
    expect((await page()).dates).toEqual({ hold_mediation: '2025-03-12' });

    // Held Tue 4 Mar 2025 with an agreement: the certificate by the 3rd working day after, Fri 7 Mar (P6); the
    // agreement carried out within 2 weeks, by Tue 18 Mar (reg 42).
    const held = await post(caseworker, `${steps}/mediated`, {
      ...date('mediationHeldDate', '2025-03-04'),
      agreement: 'yes',
      agreementActions: 'A speech and language therapy assessment',
      agreementKind: 'other',
    });
    expect(held.status).toBe(303);
    expect((await page()).dates).toMatchObject({
      hold_mediation: '2025-03-12',
      issue_mediation_certificate: '2025-03-07',
      carry_out_mediation_agreement: '2025-03-18',
    });

    // Certificate Thu 6 Mar 2025: the appeal by the later of Thu 3 Apr and Sun 6 Apr 2025 (1 month after it).
    await post(caseworker, `${steps}/certificate`, date('certificateDate', '2025-03-06')).then((r) =>
      expect(r.status).toBe(303),
    );
    expect((await page()).text).toContain(
      'Family may appeal until 6 April 2025 (1 month after the mediation certificate)',
    );
    await post(caseworker, `${steps}/agreement_done`, date('agreementDoneDate', '2025-03-20')).then((r) =>
      expect(r.status).toBe(303),
    );
    await post(caseworker, `${steps}/appeal`, date('appealDate', '2025-03-14')).then((r) => expect(r.status).toBe(303));

    // Ordered Mon 24 Mar 2025 to name the school in section I only: within 2 weeks, by Mon 7 Apr 2025 (reg 44(2)).
    const ordered = await post(caseworker, `${steps}/outcome`, {
      outcome: 'order',
      order: 'section_i',
      ...date('outcomeDate', '2025-03-24'),
    });
    expect(ordered.status).toBe(303);
    const before = await page();
    expect(before.dates).toMatchObject({ 'tribunal:section_i': '2025-04-07' });
    expect(before.text).toContain(
      'Comply with the order: issue the plan with the school or setting named in section I, by 7 April 2025',
    );
    // The agreement was carried out two days late: the page says so.
    expect(before.text).toMatch(/Do what the council agreed at mediation 18 March 2025 20 March 2025 Missed/);

    await post(caseworker, `${steps}/complied`, { orderStep: 'section_i', ...date('compliedDate', '2025-03-31') }).then(
      (r) => expect(r.status).toBe(303),
    );
    const after = await page();
    expect(after.text).toContain('Nothing: this disagreement is closed.');
    expect(after.text).toMatch(
      /Issue the plan with the school or setting named in section I 7 April 2025 31 March 2025 Met/,
    );
    const [row] = await database.db.select().from(disagreements).where(eq(disagreements.id, id));
    expect(row).toMatchObject({ status: 'closed', nextDue: null, complied: { section_i: '2025-03-31' } });
    // Each step is on the child's timeline, on the case it came from.
    const events = await database.db
      .select({ type: caseEvents.type })
      .from(caseEvents)
      .where(and(eq(caseEvents.requestId, ada), eq(caseEvents.type, 'tribunal_order_step_done')));
    expect(events).toHaveLength(1);
    const list = pageText((await caseworker.get(`/cases/${ada}/disagreements`).expect(200)).text);
    expect(list).toContain(
      'What the plan says (sections B, F or I) 3 February 2025 Closed: the order was complied with',
    );
  });
});

describe('refusals', () => {
  it('refuses a date in the future, an order without what it asks for and a step out of order; nothing is saved', async () => {
    const started = await post(caseworker, `/cases/${ada}/disagreements/new`, {
      about: 'not_amend',
      ...date('decisionDate', '2025-03-03'),
    });
    const other = /\/disagreements\/([0-9a-f-]{36})$/.exec(started.headers.location!)![1]!;
    const future = await post(caseworker, `/disagreements/${other}/mediation`, date('mediationToldDate', '2025-04-02'));
    expect(future.status).toBe(400);
    expect(errorSummary(future.text)).toEqual([
      { text: 'The date the council was told must be today or in the past', href: '#mediationToldDate-day' },
    ]);
    await post(caseworker, `/disagreements/${other}/appeal`, date('appealDate', '2025-03-20')).then((r) =>
      expect(r.status).toBe(303),
    );
    const noOrder = await post(caseworker, `/disagreements/${other}/outcome`, {
      outcome: 'unopposed',
      order: '',
      ...date('outcomeDate', '2025-03-25'),
    });
    expect(noOrder.status).toBe(400);
    expect(errorSummary(noOrder.text)).toEqual([{ text: 'Select what the council must do', href: '#order' }]);
    // Mediation cannot be recorded once an appeal has been made (its form is not open).
    await caseworker.get(`/disagreements/${other}/mediation`).expect(404);
    const [row] = await database.db.select().from(disagreements).where(eq(disagreements.id, other));
    expect(row).toMatchObject({ mediationToldDate: null, outcome: null, version: 2 });
  });

  it('a second submission of the same form saves nothing more', async () => {
    const url = `/cases/${ada}/disagreements/new`;
    const form = await caseworker.get(url).expect(200);
    const fields = { ...formStamp(form.text), about: 'cease', ...date('decisionDate', '2025-03-10') };
    await caseworker.post(url).type('form').send(fields).expect(303);
    await caseworker.post(url).type('form').send(fields).expect(303);
    const rows = await database.db.select().from(disagreements).where(eq(disagreements.about, 'cease'));
    expect(rows).toHaveLength(1);
  });
});

describe('who may see and change a disagreement', () => {
  it('lists the LA’s open ones by their next deadline for caseworkers', async () => {
    const html = (await caseworker.get('/disagreements').expect(200)).text;
    const text = pageText(html);
    expect(text).toContain('2 open disagreements');
    // Two disagreements of one child: each link says what it is about, so a list of links tells them apart.
    const links = [
      ...html.matchAll(/<a class="govuk-link" href="\/disagreements\/[0-9a-f-]{36}">([\s\S]*?)<\/a>/g),
    ].map((m) => pageText(m[1]!).trim());
    expect(links).toHaveLength(2);
    expect(new Set(links).size).toBe(2);
    expect(links.some((l) => l.endsWith(': the decision to cease the plan'))).toBe(true);
    expect(text).toMatch(/The decision to cease the plan The family’s last day to appeal, 10 May 2025/);
  });

  it('another LA’s caseworker gets "Page not found" and changes nothing; a family is refused', async () => {
    const other = await signedIn(app, fixture.users.othercaseworker!.email);
    await other.get(`/disagreements/${id}`).expect(404);
    await other.get(`/cases/${ada}/disagreements`).expect(404);
    const attempt = await other.get(`/disagreements/${id}/close`);
    expect(attempt.status).toBe(404);
    expect(pageText((await other.get('/disagreements').expect(200)).text)).toContain(
      'There are no open disagreements.',
    );
    const parent = await signedIn(app, fixture.users.parent!.email);
    await parent.get('/disagreements').expect(403);
    await parent.get(`/disagreements/${id}`).expect(403);
    await parent.get(`/cases/${ada}/disagreements/new`).expect(403);
  });

  it('every read of a disagreement is audited against the child', async () => {
    await caseworker.get(`/disagreements/${id}`).expect(200);
    const rows = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'disagreement'), eq(auditLog.childId, fixture.cases.ada!.childId)));
    expect(rows.some((r) => r.action === 'read')).toBe(true);
    expect(rows.some((r) => r.action === 'write')).toBe(true);
  });
});
