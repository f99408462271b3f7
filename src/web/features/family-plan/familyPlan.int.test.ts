/**
 * A family's draft and final plan (issue 27, part B): the draft served (never one not yet served), its 15-day deadline
 * from the clock (reg 13(1)(a), rule P3: served + 14), comments section by section kept as written and
 * version-checked, the setting and meeting, sending it as the representations on the case (the caseworker's case page
 * shows it by section at once), and the final plan as a page, a tagged PDF and a Word document with the appeal and
 * mediation dates (reg 33; Tribunal rules). Every route refuses staff (403) and another child's request (404, audited).
 */
import { inflateSync } from 'node:zlib';
import { and, eq } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import type supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom } from '../../../../test/app.js';
import { adaDrafted, caseStamp, caseworkerContext, postForm as post } from '../../../../test/casework.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { setUpIntegration, type Integration } from '../../../../test/integration.js';
import { pageText } from '../../../../test/pages.js';
import type { Database } from '../../../data/db.js';
import {
  assessmentRequests,
  auditLog,
  caseEvents,
  familyContributions,
  roleAssignments,
  users,
} from '../../../data/schema.js';
import { emptyPlan, type PlanContent } from '../../../domain/casework/planContent.js';
import type { LocalDate } from '../../../domain/dates/localDate.js';

let database: Database;
let fixture: Fixture;
let services: Integration['services'];
let signIn: Integration['signIn'];
let ada: string;
let parent: Awaited<ReturnType<Integration['signIn']>>;

const TODAY = '2025-04-01' as LocalDate;
const staff = () => caseworkerContext(fixture, 'family-plan-test');
const stamp = (requestId = ada) => caseStamp(database, requestId);
const plan = (a: string): PlanContent => ({
  ...emptyPlan(),
  A: `${a}\n\nLoves trains and swimming.`,
  B: [{ id: 'n1', text: 'Finds reading and writing hard' }],
  E: [{ id: 'o1', text: 'Reads a short book on her own', needIds: ['n1'], timeframe: 'By July 2026' }],
  F: [
    {
      id: 'p1',
      what: 'Phonics in a small group',
      who: 'Teaching assistant',
      frequency: 'Three times a week',
      duration: '30 minutes',
      needId: 'n1',
      outcomeId: 'o1',
    },
  ],
});

const binary = (req: supertest.Test) =>
  req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

/** The text a PDF's content streams draw (pdfkit writes standard-font text as hex strings). */
function pdfText(bytes: Buffer): string {
  const raw = bytes.toString('latin1');
  const out: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    for (const tj of content.matchAll(/\[([^\]]*)\] TJ/g)) {
      out.push(
        [...tj[1]!.matchAll(/<([0-9a-f]*)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''),
      );
    }
  }
  return out.join(' ').replace(/\s+/g, ' ');
}

beforeAll(async () => {
  const integration = await setUpIntegration();
  ({ database, fixture, services, signIn } = integration);
  ada = await adaDrafted(integration, plan('Ada wants to be a train driver.'), null);
  // Another child of the same LA with a draft served and a final plan issued: what the parent must never reach.
  const cal = fixture.cases.cal!.requestId;
  await services.casework.saveDraft(staff(), cal, await stamp(cal), plan('Cal’s own words.'));
  await services.casework.serveDraft(staff(), cal, await stamp(cal), {
    sentOn: '2025-03-10' as LocalDate,
    method: 'email',
  });
  await services.casework.issueFinalPlan(staff(), cal, await stamp(cal), {
    issuedOn: '2025-03-31' as LocalDate,
    sectionI: { settingName: 'Dale School', settingType: 'Special school', settingUrn: null },
    familyResponded: false,
    primaryNeed: 'SPLD',
  });
  parent = await signIn('parent');
});
afterAll(() => database.close());

const draftPath = () => `/my-child/${ada}/draft`;

describe('the draft plan for a family', () => {
  it('is not shown before it is served (a draft being written is the council’s)', async () => {
    await parent.get(draftPath()).expect(404);
  });

  it('shows the served version only, with the date to comment by from the clock (served 28 Mar 2025 + 14 = 11 Apr)', async () => {
    await services.casework.serveDraft(staff(), ada, await stamp(), {
      sentOn: '2025-03-28' as LocalDate,
      method: 'email',
    });
    // The caseworker goes on editing: that version has not been served and the family must not see it.
    await services.casework.saveDraft(staff(), ada, await stamp(), plan('UNSERVED WORDING'));
    const page = await parent.get(draftPath()).expect(200);
    const text = pageText(page.text);
    expect(text).toContain('Ada wants to be a train driver.');
    expect(text).not.toContain('UNSERVED WORDING');
    expect(text).toContain('Send your comments by 11 April 2025');
    expect(text).toContain('It can issue the final plan from 12 April 2025');
    expect(text).toContain('section 38 of the Children and Families Act 2014');
    expect(text).toContain('How often: Three times a week');
    expect(text).not.toMatch(/reg(ulation)? \d/i);
    // Plain typography, no tables that scroll sideways on a phone.
    expect(page.text).not.toContain('<table');
    const [read] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'draft_plan'), eq(auditLog.action, 'read')));
    expect(read?.childId).toBe(fixture.cases.ada!.childId);
  });

  it('keeps a comment per section as it is written, and refuses a stale one from a second device (409) without overwriting', async () => {
    const first = await parent.get(`${draftPath()}/sections/B`).expect(200);
    const csrf = csrfFrom(first.text);
    await parent
      .post(`${draftPath()}/sections/B`)
      .type('form')
      .send({ _csrf: csrf, version: '0', comment: 'Ada also finds maths hard.' })
      .expect(303);
    // The second device opened the page at version 0 too.
    const stale = await parent
      .post(`${draftPath()}/sections/B`)
      .type('form')
      .send({ _csrf: csrf, version: '0', comment: 'Something else' })
      .expect(409);
    expect(pageText(stale.text)).toContain('Ada also finds maths hard.');
    expect(stale.text).toContain('govuk-error-summary');
    const rows = await database.db.select().from(familyContributions).where(eq(familyContributions.requestId, ada));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.content).toMatchObject({ comments: { B: 'Ada also finds maths hard.' } });
    await post(parent, `${draftPath()}/sections/F`, {
      comment: 'She needs help every day, not three times a week.',
    }).then((r) => expect(r.status).toBe(303));
  });

  it('checks the URN and the meeting answer (400 with the error summary, nothing saved)', async () => {
    const bad = await post(parent, `${draftPath()}/setting`, { preferredSetting: 'Hill Primary', settingUrn: '12ab' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('govuk-error-summary');
    expect(pageText(bad.text)).toContain('Enter the URN as 6 numbers');
    await post(parent, `${draftPath()}/setting`, { preferredSetting: 'Hill Primary', settingUrn: '117000' }).then((r) =>
      expect(r.status).toBe(303),
    );
    const noTopics = await post(parent, `${draftPath()}/meeting`, { meetingRequested: 'yes', meetingTopics: '' });
    expect(noTopics.status).toBe(400);
    await post(parent, `${draftPath()}/meeting`, {
      meetingRequested: 'yes',
      meetingTopics: 'The help in section F',
    }).then((r) => expect(r.status).toBe(303));
    const [row] = await database.db.select().from(familyContributions).where(eq(familyContributions.requestId, ada));
    expect(row!.content).toMatchObject({
      preferredSetting: 'Hill Primary',
      settingUrn: '117000',
      meetingRequested: true,
    });
  });

  it('sends the response as the representations on the case, by the family, received today; the case page shows it by section', async () => {
    const check = await parent.get(`${draftPath()}/check`).expect(200);
    expect(pageText(check.text)).toContain('Hill Primary (URN 117000)');
    const sent = await post(parent, `${draftPath()}/check`, {});
    expect(sent.status).toBe(303);
    const [event] = await database.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.requestId, ada), eq(caseEvents.type, 'family_representations')));
    expect(event).toMatchObject({ occurredOn: TODAY, actorId: fixture.users.parent!.id });
    expect(event!.data).toMatchObject({
      source: 'family_online',
      sections: { B: 'Ada also finds maths hard.', F: 'She needs help every day, not three times a week.' },
      preferredSetting: 'Hill Primary',
      settingUrn: '117000',
      meetingRequested: true,
      late: false,
    });
    // Read-only afterwards: what was sent and when; nothing more can be changed.
    const after = pageText((await parent.get(draftPath()).expect(200)).text);
    expect(after).toContain('You sent your response on 1 April 2025');
    const again = await post(parent, `${draftPath()}/sections/A`, { comment: 'More' });
    expect(again.status).toBe(400);
    // The caseworker sees it at once, section by section.
    const caseworker = await signIn('caseworker');
    const casePage = pageText((await caseworker.get(`/cases/${ada}`).expect(200)).text);
    expect(casePage).toContain('Section B: special educational needs Ada also finds maths hard.');
    expect(casePage).toContain('Hill Primary');
    expect(casePage).toContain('The help in section F');
    // The plan editor shows the family's comment beside the section it is about.
    const editor = pageText((await caseworker.get(`/cases/${ada}/plan/edit`).expect(200)).text);
    expect(editor).toMatch(
      /Section F: special educational provision The family’s comment on this section \(1 April 2025\) She needs help every day/,
    );
  });
});

describe('the final plan for a family', () => {
  it('is a page, a tagged PDF and a Word document with the same words, and the appeal and mediation dates (1 Apr 2025 + 2 months = 1 Jun 2025)', async () => {
    await parent.get(`/my-child/${ada}/plan`).expect(404);
    await services.casework.issueFinalPlan(staff(), ada, await stamp(), {
      issuedOn: TODAY,
      sectionI: { settingName: 'Hill Primary', settingType: 'Mainstream primary school', settingUrn: '117000' },
      familyResponded: true,
      primaryNeed: 'SPLD',
    });
    const html = pageText((await parent.get(`/my-child/${ada}/plan`).expect(200)).text);
    expect(html).toContain('Contact the mediation adviser by 1 June 2025');
    expect(html).toContain('Appeal by 1 June 2025');
    expect(html).toContain('Hill Primary');

    const pdf = (await binary(parent.get(`/my-child/${ada}/plan.pdf`)).expect(200)).body as Buffer;
    const raw = pdf.toString('latin1');
    expect(raw).toContain('/StructTreeRoot');
    expect(raw).toContain('/Lang (en-GB)');
    for (const tag of ['/H1', '/H2', '/H3', '/P']) expect(raw).toContain(`/S ${tag}`);
    const pdfWords = pdfText(pdf);
    for (const words of [
      'Education, health and care plan for Ada Abbott',
      'If you disagree with the plan',
      'Mediation',
    ]) {
      expect(pdfWords).toContain(words);
    }

    const docx = (await binary(parent.get(`/my-child/${ada}/plan.docx`)).expect(200)).body as Buffer;
    const files = unzipSync(new Uint8Array(docx));
    const xml = strFromU8(files['word/document.xml']!);
    expect(xml).toContain('w:val="Heading1"');
    expect(xml).toContain('w:val="Heading2"');
    const docText = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(' ');
    expect(docText).toContain('Contact the mediation adviser by 1 June 2025');
    expect(docText).toContain('Appeal by 1 June 2025');
    expect(strFromU8(files['docProps/core.xml']!)).toContain('Education, health and care plan for Ada Abbott');

    const reads = await database.db
      .select({ detail: auditLog.detail })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'final_plan'), eq(auditLog.action, 'read')));
    expect(reads.map((r) => (r.detail as { format: string }).format).sort()).toEqual(['docx', 'html', 'pdf']);
  });
});

describe('who may use the family’s plan pages', () => {
  const paths = (id: string) => [
    `/my-child/${id}/draft`,
    `/my-child/${id}/draft/sections/A`,
    `/my-child/${id}/draft/setting`,
    `/my-child/${id}/draft/meeting`,
    `/my-child/${id}/draft/check`,
    `/my-child/${id}/plan`,
    `/my-child/${id}/plan.pdf`,
    `/my-child/${id}/plan.docx`,
  ];

  it('gives the parent "not found" for another child’s and another LA’s request, GET and POST, audited as denied', async () => {
    const page = await parent.get(draftPath());
    const csrf = csrfFrom(page.text);
    for (const other of [fixture.cases.cal!.requestId, fixture.cases.dee!.requestId, fixture.cases.eve!.requestId]) {
      for (const path of paths(other)) {
        expect((await parent.get(path)).status, path).toBe(404);
        if (!path.includes('plan')) {
          const res = await parent.post(path).type('form').send({ _csrf: csrf, version: '0', comment: 'x' });
          expect(res.status, `POST ${path}`).toBe(404);
        }
      }
      const denied = await database.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(and(eq(auditLog.entityId, other), eq(auditLog.userId, fixture.users.parent!.id)));
      expect(new Set(denied.map((d) => d.action))).toEqual(new Set(['read_denied', 'write_denied']));
    }
    const written = await database.db
      .select()
      .from(familyContributions)
      .where(eq(familyContributions.requestId, fixture.cases.cal!.requestId));
    expect(written).toHaveLength(0);
  });

  it('refuses staff (403): they read the case pages', async () => {
    const caseworker = await signIn('caseworker');
    for (const path of paths(ada)) expect((await caseworker.get(path)).status, path).toBe(403);
    const csrf = csrfFrom((await caseworker.get('/cases')).text);
    const res = await caseworker
      .post(`/my-child/${ada}/draft/setting`)
      .type('form')
      .send({ _csrf: csrf, version: '0' });
    expect(res.status).toBe(403);
  });
});

describe('a young person (16 or over) on their own request', () => {
  let sam: Awaited<ReturnType<Integration['signIn']>>;
  let own: string;

  beforeAll(async () => {
    // Their own request, with the draft served on them, and an account linked as the young person.
    own = fixture.cases.bulk0!.requestId;
    await database.db
      .update(assessmentRequests)
      .set({ stage: 'deciding_whether_to_issue' })
      .where(eq(assessmentRequests.id, own));
    await services.casework.decideIssue(staff(), own, await stamp(own), {
      outcome: 'issue',
      reasons: 'Needs a plan',
      decidedOn: '2025-03-21' as LocalDate,
    });
    await services.casework.saveDraft(staff(), own, await stamp(own), plan('I want to be a train driver.'));
    await services.casework.serveDraft(staff(), own, await stamp(own), {
      sentOn: '2025-03-28' as LocalDate,
      method: 'email',
    });
    const [pw] = await database.db
      .select({ passwordHash: users.passwordHash })
      .from(users)
      .where(eq(users.id, fixture.users.parent!.id));
    const [row] = await database.db
      .insert(users)
      .values({ email: 'kid0@home.example', displayName: 'Kid0', passwordHash: pw!.passwordHash, isDemo: true })
      .returning({ id: users.id });
    await database.db.insert(roleAssignments).values({
      userId: row!.id,
      laCode: '999',
      role: 'parent',
      childId: fixture.cases.bulk0!.childId,
      relationship: 'young_person',
    });
    sam = await signIn('kid0@home.example');
  });

  it('reads "your" on every draft page (the draft, each section, the setting, the meeting, the check), never "your child"', async () => {
    const base = `/my-child/${own}/draft`;
    const draft = pageText((await sam.get(base).expect(200)).text);
    expect(draft).toContain('Your draft plan');
    expect(draft).toContain('Section A: your views, interests and hopes');
    expect(draft).toContain('Section E: outcomes (what you should achieve)');
    expect(draft).toContain('not suitable for your age, ability or special educational needs, or you being there');
    const setting = pageText((await sam.get(`${base}/setting`).expect(200)).text);
    expect(setting).toContain('unless it is not suitable for you, or you being there');
    const pages = [draft, setting];
    for (const path of ['sections/A', 'sections/E', 'meeting', 'check']) {
      const text = pageText((await sam.get(`${base}/${path}`).expect(200)).text);
      expect(text, path).toContain('Your draft plan');
      pages.push(text);
    }
    for (const text of pages) expect(text).not.toMatch(/your child|Draft plan for Kid0|parent or carer/i);
  });

  it('reads "your" on the final plan page', async () => {
    await services.casework.issueFinalPlan(staff(), own, await stamp(own), {
      issuedOn: '2025-04-01' as LocalDate,
      sectionI: { settingName: 'Dale School', settingType: 'Special school', settingUrn: null },
      familyResponded: true,
      primaryNeed: 'SPLD',
    });
    const text = pageText((await sam.get(`/my-child/${own}/plan`).expect(200)).text);
    expect(text).toContain('Section A: your views, interests and hopes');
    expect(text).not.toMatch(/your child/i);
  });
});
