/**
 * Plan quality assurance end to end on a database: a manager draws March 2025's sample and shares it between two
 * auditors with moderation; each auditor sees and audits only their own; a half-done audit cannot be submitted; the
 * grade is computed; the results show the share good or better and the auditors' agreement; a correction raised by
 * an audit is tracked on the case until a caseworker closes it; a rubric change that would move a grade is a new
 * version. "Today" is 1 April 2025 (test/app.ts).
 */
import { visibleWords } from '../../../../test/pages.js';
import { and, eq } from 'drizzle-orm';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { testApp } from '../../../../test/app.js';
import { csrfFrom, signedIn } from '../../../../test/app.js';
import { setUpIntegration } from '../../../../test/integration.js';
import { PASSWORD, type Fixture } from '../../../../test/fixtures.js';
import type { Database } from '../../../data/db.js';
import {
  assessmentRequests,
  auditLog,
  children,
  planVersions,
  plans,
  qaAudits,
  qaRubrics,
  roleAssignments,
  users,
} from '../../../data/schema.js';
import { hashPassword } from '../../../services/passwords.js';
import { DEFAULT_RUBRIC, type Answer } from '../../../domain/quality/rubric.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
let manager: TestAgent;
let qa: TestAgent;
let qa2: TestAgent;

beforeAll(async () => {
  ({ database, fixture, app } = await setUpIntegration());
  const { db } = database;
  // A second auditor, from health.
  const [second] = await db
    .insert(users)
    .values({ email: 'qa2@example.org', displayName: 'Qa two', passwordHash: await hashPassword(PASSWORD) })
    .returning({ id: users.id });
  await db.insert(roleAssignments).values({ userId: second!.id, laCode: '999', role: 'qa_auditor', team: 'Health' });
  // Four final plans issued in March 2025, in two teams.
  for (const [i, team] of ['North', 'North', 'South', 'South'].entries()) {
    const [child] = await db
      .insert(children)
      .values({
        laCode: '999',
        reference: `C-QA${i}`,
        givenName: `Q${i}`,
        familyName: 'Test',
        dateOfBirth: '2015-01-01',
        primaryNeed: 'ASD',
      })
      .returning({ id: children.id });
    const [request] = await db
      .insert(assessmentRequests)
      .values({
        laCode: '999',
        childId: child!.id,
        reference: `R-QA${i}`,
        receivedDate: '2024-11-01',
        stage: 'final_plan_issued',
        open: false,
        team,
      })
      .returning({ id: assessmentRequests.id });
    const [plan] = await db
      .insert(plans)
      .values({
        laCode: '999',
        requestId: request!.id,
        childId: child!.id,
        status: 'issued',
        firstIssuedDate: '2025-03-10',
      })
      .returning({ id: plans.id });
    await db.insert(planVersions).values({
      laCode: '999',
      planId: plan!.id,
      versionNo: 1,
      kind: 'final',
      issuedDate: `2025-03-1${i}`,
      content: {
        A: 'Sam wants to be a vet',
        B: [{ id: 'n1', text: 'Reading' }],
        F: [
          {
            id: 'f1',
            what: 'Access to a reading scheme',
            who: '',
            frequency: 'regular',
            duration: '',
            needId: 'n1',
            outcomeId: '',
          },
        ],
      },
    });
  }
  manager = await signedIn(app, fixture.users.manager!.email);
  qa = await signedIn(app, fixture.users.qa!.email);
  qa2 = await signedIn(app, 'qa2@example.org');
});
afterAll(async () => {
  await database.close();
});

async function post(agent: TestAgent, formPath: string, action: string, fields: Record<string, string | string[]>) {
  const page = await agent.get(formPath);
  return agent
    .post(action)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...fields });
}

const allAnswers = (answer: (id: string) => Answer) =>
  Object.fromEntries(DEFAULT_RUBRIC.sections.flatMap((s) => s.criteria.map((c) => [`c-${c.id}`, answer(c.id)])));

async function auditIdsOf(agent: TestAgent) {
  const page = await agent.get('/quality').expect(200);
  return [...page.text.matchAll(/href="\/quality\/audits\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
}

async function submitAudit(agent: TestAgent, id: string, answer: (criterion: string) => Answer) {
  const page = await agent.get(`/quality/audits/${id}`).expect(200);
  const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
  return agent
    .post(`/quality/audits/${id}`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), version, agency: 'education', submit: 'yes', ...allAnswers(answer) });
}

describe('plan quality assurance', () => {
  it('a manager draws the month’s sample once, in proportion to the teams, shared between the auditors', async () => {
    const auditorIds = [
      fixture.users.qa!.id,
      (await database.db.select().from(users).where(eq(users.email, 'qa2@example.org')))[0]!.id,
    ];
    const drawn = await post(manager, '/quality/sample', '/quality/sample', {
      'month-month': '3',
      'month-year': '2025',
      percent: '50',
      moderation: '100',
      auditorIds,
    });
    expect(drawn.status).toBe(200);
    expect(visibleWords(drawn.text)).toContain('2 of 4 plans issued in March 2025');
    const audits = await database.db.select().from(qaAudits);
    expect(audits.filter((a) => a.kind === 'first')).toHaveLength(2);
    // Half of each team (North 1 of 2, South 1 of 2), each moderated by the other auditor.
    const teams = await database.db
      .select({ team: assessmentRequests.team })
      .from(qaAudits)
      .innerJoin(assessmentRequests, eq(assessmentRequests.id, qaAudits.requestId))
      .where(eq(qaAudits.kind, 'first'));
    expect(teams.map((t) => t.team).sort()).toEqual(['North', 'South']);
    for (const m of audits.filter((a) => a.kind === 'moderation')) {
      const first = audits.find((a) => a.id === m.firstAuditId)!;
      expect(m.auditorId).not.toBe(first.auditorId);
      expect(m.requestId).toBe(first.requestId);
    }
    const again = await post(manager, '/quality/sample', '/quality/sample', {
      'month-month': '3',
      'month-year': '2025',
      percent: '50',
      moderation: '0',
      auditorIds,
    });
    expect(again.status).toBe(400);
    expect(visibleWords(again.text)).toContain('The sample for this month has already been drawn');
    expect(await database.db.select().from(qaAudits)).toHaveLength(4);
  });

  it('each auditor sees only their own audits; caseworkers and families see none', async () => {
    const mine = await auditIdsOf(qa);
    const theirs = await auditIdsOf(qa2);
    expect(mine).toHaveLength(2);
    expect(theirs).toHaveLength(2);
    expect(mine.filter((id) => theirs.includes(id))).toEqual([]);
    await qa.get(`/quality/audits/${theirs[0]!}`).expect(404);
    expect(await auditIdsOf(manager)).toHaveLength(4);
    const caseworker = await signedIn(app, fixture.users.caseworker!.email);
    await caseworker.get('/quality').expect(403);
    await caseworker.get(`/quality/audits/${mine[0]!}`).expect(403);
    const parent = await signedIn(app, fixture.users.parent!.email);
    await parent.get('/quality').expect(403);
    await parent.get(`/quality/audits/${mine[0]!}`).expect(403);
  });

  /** The auditor's audit of a kind (who audits what is shared at random, so it is looked up). */
  const auditOf = async (auditorId: string, kind: 'first' | 'moderation') =>
    (
      await database.db
        .select()
        .from(qaAudits)
        .where(and(eq(qaAudits.auditorId, auditorId), eq(qaAudits.kind, kind)))
    )[0]!.id;

  it('an audit cannot be submitted half done; a draft keeps what was answered; the grade is computed', async () => {
    const id = await auditOf(fixture.users.qa!.id, 'first');
    const page = await qa.get(`/quality/audits/${id}`).expect(200);
    expect(visibleWords(page.text)).toContain('Provision 1 (what) uses vague wording (“access to”)');
    const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
    const half = await qa
      .post(`/quality/audits/${id}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version, submit: 'yes', 'c-A1': 'met', 'c-A2': 'not_met' });
    expect(half.status).toBe(400);
    expect(visibleWords(half.text)).toContain('Select whom you audit for');
    expect(visibleWords(half.text)).toContain(
      'Answer every criterion before submitting, or save as a draft: 19 not answered',
    );
    expect(half.text).toContain('href="#c-A3"');
    // What was typed is still there, and nothing was saved.
    expect(half.text).toMatch(/id="c-A2-2"[^>]*value="not_met"[^>]*checked/);
    expect((await database.db.select().from(qaAudits).where(eq(qaAudits.id, id)))[0]!.status).toBe('assigned');

    await qa
      .post(`/quality/audits/${id}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version, submit: 'no', 'c-A1': 'met' })
      .expect(303);
    expect((await database.db.select().from(qaAudits).where(eq(qaAudits.id, id)))[0]).toMatchObject({
      status: 'draft',
      answers: { A1: 'met' },
    });

    // Every criterion met except the four in F: F scores 0 (limiting), so at best Requires improvement.
    const done = await submitAudit(qa, id, (c) => (c.startsWith('F') ? 'not_met' : 'met'));
    expect(done.status).toBe(303);
    const graded = visibleWords((await qa.get(`/quality/audits/${id}`).expect(200)).text);
    expect(graded).toContain('Requires improvement');
    expect(graded).toContain('capped at Requires improvement');
    // Submitted: the form is gone, and a post made anyway is refused.
    const submitted = await qa.get(`/quality/audits/${id}`).expect(200);
    expect(submitted.text).not.toContain('Submit the audit');
    const late = await qa
      .post(`/quality/audits/${id}`)
      .type('form')
      .send({
        _csrf: csrfFrom(submitted.text),
        version: '3',
        agency: 'health',
        submit: 'yes',
        ...allAnswers(() => 'met'),
      });
    expect(late.status).toBe(400);
    expect(visibleWords(late.text)).toContain('This audit has been submitted: it cannot be changed');
  });

  it('refuses an audit saved from a stale window, showing what the other save changed, and keeps the first', async () => {
    const id = await auditOf(fixture.users.qa!.id, 'moderation');
    const one = await qa.get(`/quality/audits/${id}`).expect(200);
    const two = await qa.get(`/quality/audits/${id}`).expect(200);
    const opened = (page: { text: string }) => ({
      _csrf: csrfFrom(page.text),
      version: /name="version" value="(\d+)"/.exec(page.text)![1]!,
    });
    await qa
      .post(`/quality/audits/${id}`)
      .type('form')
      .send({ ...opened(one), submit: 'no', agency: 'education', 'c-A1': 'met' })
      .expect(303);
    const stale = await qa
      .post(`/quality/audits/${id}`)
      .type('form')
      .send({ ...opened(two), submit: 'no', agency: 'education', 'c-A1': 'not_met' });
    expect(stale.status).toBe(409);
    expect(visibleWords(stale.text)).toContain(
      'Someone else changed this audit while you had this page open, so yours was not saved',
    );
    const table = visibleWords(/<table[^>]*id="stale-changes"[\s\S]*?<\/table>/.exec(stale.text)![0]);
    expect(table).toContain('What Qa saved at');
    expect(table).toContain(`A1. ${DEFAULT_RUBRIC.sections[0]!.criteria[0]!.text} Met Not met`);
    // What was typed is still in the form; nothing of it saved.
    expect(stale.text).toMatch(/id="c-A1-2"[^>]*value="not_met"[^>]*checked/);
    expect((await database.db.select().from(qaAudits).where(eq(qaAudits.id, id)))[0]).toMatchObject({
      answers: { A1: 'met' },
      version: Number(opened(one).version) + 1,
    });
  });

  it('shows the share good or better and how far the auditors agree on the moderated plans', async () => {
    // The rest all met: qa's moderation of qa2's first audit agrees with it; qa2's moderation of qa's first does not.
    const second = await auditOf(fixture.users.qa!.id, 'moderation');
    expect((await submitAudit(qa, second, () => 'met')).status).toBe(303);
    for (const id of await auditIdsOf(qa2)) expect((await submitAudit(qa2, id, () => 'met')).status).toBe(303);
    const results = visibleWords((await manager.get('/quality/results').expect(200)).text);
    expect(results).toContain('Rated good or better: 50% (1 of 2) of the plans audited');
    expect(results).toContain('Plans audited by two people 2');
    expect(results).toContain('Same grade 50%');
    await qa.get('/quality/results').expect(403);
  });

  it('tracks a correction raised by an audit on the case until a caseworker closes it', async () => {
    const id = await auditOf(fixture.users.qa!.id, 'first');
    const refused = await post(qa, `/quality/audits/${id}`, `/quality/audits/${id}/findings`, {
      section: 'F',
      text: '',
    });
    expect(refused.status).toBe(400);
    expect(visibleWords(refused.text)).toContain('Enter what needs correcting');
    await post(qa, `/quality/audits/${id}`, `/quality/audits/${id}/findings`, {
      section: 'F',
      text: 'Say how often the reading scheme is delivered and by whom',
    }).then((r) => expect(r.status).toBe(303));
    const audit = (await database.db.select().from(qaAudits).where(eq(qaAudits.id, id)))[0]!;
    // The audit lists what it raised; no other audit and no other case shows it.
    const raised = 'Say how often the reading scheme is delivered and by whom';
    expect(visibleWords((await qa.get(`/quality/audits/${id}`).expect(200)).text)).toContain(raised);
    const otherAudit = await auditOf(fixture.users.qa!.id, 'moderation');
    expect(visibleWords((await qa.get(`/quality/audits/${otherAudit}`).expect(200)).text)).not.toContain(raised);
    const caseworker = await signedIn(app, fixture.users.caseworker!.email);
    const casePage = await caseworker.get(`/cases/${audit.requestId}`).expect(200);
    expect(visibleWords(casePage.text)).toContain('Corrections from quality audits');
    expect(visibleWords(casePage.text)).toContain('Say how often the reading scheme is delivered and by whom');
    const findingId = /findings\/([0-9a-f-]{36})\/close/.exec(casePage.text)![1]!;
    const noNote = await caseworker
      .post(`/cases/${audit.requestId}/findings/${findingId}/close`)
      .type('form')
      .send({ _csrf: csrfFrom(casePage.text), version: '1', note: '' })
      .expect(303);
    expect(visibleWords((await caseworker.get(noNote.headers.location!).expect(200)).text)).toContain(
      'Say how the plan was corrected',
    );
    await caseworker
      .post(`/cases/${audit.requestId}/findings/${findingId}/close`)
      .type('form')
      .send({ _csrf: csrfFrom(casePage.text), version: '1', note: 'Amended: 3 x 30 minutes a week by the TA' })
      .expect(303);
    const after = visibleWords((await caseworker.get(`/cases/${audit.requestId}`).expect(200)).text);
    expect(after).toContain('Corrected (Amended: 3 x 30 minutes a week by the TA)');
  });

  it('makes a new rubric version for a change that would move a submitted grade, and corrects in place otherwise', async () => {
    const form = await manager.get('/quality/rubric/edit').expect(200);
    const unescape = (v: string) =>
      v
        .replace(/&#39;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&');
    const fields: Record<string, string> = {};
    for (const tag of form.text.matchAll(/<input[^>]*>/g)) {
      const name = /name="([^"]+)"/.exec(tag[0])?.[1];
      if (name && !/type="checkbox"/.test(tag[0])) fields[name] = unescape(/value="([^"]*)"/.exec(tag[0])?.[1] ?? '');
    }
    for (const m of form.text.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) {
      fields[m[1]!] = unescape(m[2]!.replace(/^\n/, ''));
    }
    const limiting = Object.fromEntries(
      DEFAULT_RUBRIC.sections.flatMap((s, i) => (s.limiting ? [[`section-${i}-limiting`, 'yes']] : [])),
    );
    // A new name for section A: no grade moves.
    const renamed = await manager
      .post('/quality/rubric/edit')
      .type('form')
      .send({ ...fields, ...limiting, 'section-0-name': 'Section A: the child’s voice' });
    expect(renamed.status).toBe(303);
    expect((await database.db.select().from(qaRubrics)).map((r) => r.version)).toEqual([1]);
    // The same form sent again, after the change made in place: refused, nothing overwritten.
    const stale = await manager
      .post('/quality/rubric/edit')
      .type('form')
      .send({ ...fields, ...limiting, 'section-0-name': 'Section A: views' });
    expect(stale.status).toBe(409);
    expect(visibleWords(stale.text)).toContain('Someone else changed the rubric while you had this page open');
    expect(visibleWords(/<table[^>]*id="stale-changes"[\s\S]*?<\/table>/.exec(stale.text)![0])).toContain(
      'Section 1: name Section A: the child’s voice Section A: views',
    );
    expect((await database.db.select().from(qaRubrics)).map((r) => r.version)).toEqual([1]);
    expect(
      ((await database.db.select().from(qaRubrics))[0]!.content as { sections: { name: string }[] }).sections[0]!.name,
    ).toBe('Section A: the child’s voice');
    const fresh = await manager.get('/quality/rubric/edit').expect(200);
    fields.stamp = /name="stamp" value="([^"]+)"/.exec(fresh.text)![1]!;
    // Outstanding from 101: refused, named.
    const bad = await manager
      .post('/quality/rubric/edit')
      .type('form')
      .send({ ...fields, ...limiting, outstanding: '101' });
    expect(bad.status).toBe(400);
    expect(visibleWords(bad.text)).toContain('The Outstanding boundary must be between 1 and 100');
    // Requires improvement from 99: the audit scored 80 (Requires improvement) would become Inadequate: a new
    // version; the audits keep version 1.
    const moved = await manager
      .post('/quality/rubric/edit')
      .type('form')
      .send({ ...fields, ...limiting, outstanding: '100', good: '99.5', requiresImprovement: '99' });
    expect(moved.status).toBe(303);
    const versions = await database.db.select().from(qaRubrics);
    expect(versions.map((r) => r.version).sort()).toEqual([1, 2]);
    const v1 = versions.find((r) => r.version === 1)!;
    expect((v1.content as { sections: { name: string }[] }).sections[0]!.name).toBe('Section A: the child’s voice');
    expect(new Set((await database.db.select().from(qaAudits)).map((a) => a.rubricId))).toEqual(new Set([v1.id]));
  });

  it('audits every read and write', async () => {
    const kinds = await database.db
      .select({ action: auditLog.action, entityType: auditLog.entityType })
      .from(auditLog)
      .where(and(eq(auditLog.laCode, '999')));
    const seen = new Set(kinds.map((k) => `${k.action} ${k.entityType}`));
    for (const k of [
      'create qa_sample',
      'read qa_audits',
      'read qa_audit',
      'update qa_audit',
      'submit qa_audit',
      'create qa_finding',
      'update qa_finding',
      'read qa_results',
      'update qa_rubric',
      'create qa_rubric',
    ]) {
      expect(seen, k).toContain(k);
    }
  });
});
