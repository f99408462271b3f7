/**
 * No casework use case bypasses the frame's permission check: every step that records something on a case refuses a
 * person who may read cases but not write them (a QA auditor: domain/access/roles.ts) with ForbiddenError, before
 * anything is read or written; the reads refuse a person who may not read cases; reassigning refuses a caseworker,
 * who may write but not reassign. The list below is checked against what the service exports, so a new use case
 * must be listed here (and so checked) before this test passes.
 */
import { recordRequestInput } from '../../../test/requests.js';
import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_NOW } from '../../../test/app.js';
import { openTestDb } from '../../../test/db.js';
import { seedFixture, type Fixture } from '../../../test/fixtures.js';
import type { Database } from '../../data/db.js';
import { assessmentRequests, auditLog, caseEvents } from '../../data/schema.js';
import type { Role } from '../../domain/access/roles.js';
import { emptyPlan } from '../../domain/casework/planContent.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { fixedClock } from '../clock.js';
import { ForbiddenError } from '../errors.js';
import { createServices } from '../index.js';
import type { CaseworkService, FormStamp } from './index.js';

const TODAY = '2025-04-01' as LocalDate;

let database: Database;
let fixture: Fixture;
let casework: CaseworkService;
/** Ben's request: open, deciding whether to assess (test/fixtures.ts). */
let ben: string;

beforeAll(async () => {
  database = await openTestDb();
  fixture = await seedFixture(database);
  casework = createServices(database, { clock: fixedClock(TEST_NOW) }).casework;
  ben = fixture.cases.ben!.requestId;
});
afterAll(async () => {
  await database.close();
});

function as(user: string, role: Role): RequestContext {
  return {
    actor: { userId: fixture.users[user]!.id, laCode: '999', roles: [role], childIds: [] },
    ip: '127.0.0.1',
    requestId: 'frame-test',
  };
}

/** Ben's case's version now, and a fresh submission key: a form that would be saved. */
async function stamp(): Promise<FormStamp> {
  const [row] = await database.db
    .select({ version: assessmentRequests.version })
    .from(assessmentRequests)
    .where(eq(assessmentRequests.id, ben));
  return { version: row!.version, submissionKey: randomUUID() };
}

/** What is recorded anywhere: the case's version, its timeline and the audit log. */
async function recorded() {
  const [events] = await database.db.select({ n: count() }).from(caseEvents);
  const [audit] = await database.db.select({ n: count() }).from(auditLog);
  return { version: (await stamp()).version, events: events!.n, audit: audit!.n };
}

type Call = (s: CaseworkService, ctx: RequestContext, stamp: FormStamp) => Promise<unknown>;

/** Every step that records something on a case, called as a caseworker would call it. */
const WRITES: Record<string, Call> = {
  recordRequest: (s, ctx) =>
    s.recordRequest(
      ctx,
      recordRequestInput({
        child: { dateOfBirth: '2017-02-03' as LocalDate },
        receivedDate: TODAY,
        confirmedNewChild: true,
      }),
    ),
  decideAssessment: (s, ctx, st) =>
    s.decideAssessment(ctx, ben, st, { outcome: 'assess', reasons: 'Evidence of need', notifiedOn: TODAY }),
  requestAdvice: (s, ctx, st) =>
    s.requestAdvice(ctx, ben, st, {
      requestedOn: TODAY,
      providers: [{ adviceType: 'health', provider: 'DCO', providerEmail: null, escalationEmail: null }],
    }),
  reuseAdvice: (s, ctx, st) => s.reuseAdvice(ctx, ben, st, { adviceId: randomUUID(), familyAgreedOn: TODAY }),
  recordAdvice: (s, ctx, st) => s.recordAdvice(ctx, ben, randomUUID(), st, { receivedOn: TODAY, document: null }),
  decideIssue: (s, ctx, st) =>
    s.decideIssue(ctx, ben, st, { outcome: 'issue', reasons: 'Needs a plan', decidedOn: TODAY }),
  serveDraft: (s, ctx, st) => s.serveDraft(ctx, ben, st, { sentOn: TODAY, method: 'email' }),
  issueFinalPlan: (s, ctx, st) =>
    s.issueFinalPlan(ctx, ben, st, {
      issuedOn: TODAY,
      sectionI: { settingName: 'Hill School', settingType: 'mainstream', settingUrn: null },
      familyResponded: true,
      primaryNeed: 'ASD',
    }),
  recordException: (s, ctx, st) =>
    s.recordException(ctx, ben, st, {
      duty: 'decide_whether_to_assess',
      reason: 'reg5_4_b',
      evidence: 'Away',
      from: TODAY,
      to: null,
      familyToldOn: TODAY,
    }),
  withdraw: (s, ctx, st) => s.withdraw(ctx, ben, st, { withdrawnOn: TODAY, reason: 'Moved away' }),
  recordMeeting: (s, ctx, st) => s.recordMeeting(ctx, ben, st, { meetingOn: TODAY }),
  reassign: (s, ctx, st) => s.reassign(ctx, ben, st, { caseworkerId: null }),
  saveDraft: (s, ctx, st) => s.saveDraft(ctx, ben, st, emptyPlan()),
  addAdviceToPlan: (s, ctx, st) => s.addAdviceToPlan(ctx, ben, st, { adviceId: randomUUID(), section: 'B' }),
  consultSetting: (s, ctx, st) =>
    s.consultSetting(ctx, ben, st, { settingName: 'Hill School', settingUrn: null, sentOn: TODAY }),
  recordConsultationReply: (s, ctx, st) =>
    s.recordConsultationReply(ctx, ben, randomUUID(), st, { respondedOn: TODAY, response: 'can_meet', note: '' }),
  recordRepresentations: (s, ctx, st) =>
    s.recordRepresentations(ctx, ben, st, {
      receivedOn: TODAY,
      representations: 'We agree',
      preferredSetting: 'Hill School',
      meetingRequested: false,
    }),
  // A read, but of what only someone recording advice is offered.
  reusableAdviceFor: (s, ctx) => s.reusableAdviceFor(ctx, ben, fixture.cases.ben!.childId),
};

/** The reads of a case's records. */
const READS: Record<string, Call> = {
  planForCase: (s, ctx) => s.planForCase(ctx, ben),
  consultations: (s, ctx) => s.consultations(ctx, ben),
  downloadDocument: (s, ctx) => s.downloadDocument(ctx, randomUUID()),
};

/** Run by the service itself when a bank holiday is added (services/index.ts): no person acts. */
const SYSTEM = ['reworkNextDuties'];

it('lists every use case the casework service exports', () => {
  expect(Object.keys(casework).sort()).toEqual([...Object.keys(WRITES), ...Object.keys(READS), ...SYSTEM].sort());
});

describe('a person without case:write (a QA auditor) is refused every step, and nothing is recorded', () => {
  it.each(Object.keys(WRITES))('%s', async (name) => {
    const before = await recorded();
    await expect(WRITES[name]!(casework, as('qa', 'qa_auditor'), await stamp())).rejects.toBeInstanceOf(ForbiddenError);
    expect(await recorded()).toEqual(before);
  });
});

describe('a person without case:read_any (an advice giver) is refused every read', () => {
  it.each(Object.keys(READS))('%s', async (name) => {
    const before = await recorded();
    await expect(READS[name]!(casework, as('advice', 'advice_giver'), await stamp())).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect(await recorded()).toEqual(before);
  });
});

it('a caseworker may not reassign a case (case:reassign is a manager’s)', async () => {
  await expect(WRITES.reassign!(casework, as('caseworker', 'caseworker'), await stamp())).rejects.toBeInstanceOf(
    ForbiddenError,
  );
});

it('the same decision the QA auditor was refused is saved for a caseworker, with its audit record', async () => {
  const before = await recorded();
  await expect(WRITES.decideAssessment!(casework, as('caseworker', 'caseworker'), await stamp())).resolves.toEqual({
    saved: true,
    requestId: ben,
  });
  expect(await recorded()).toEqual({ version: before.version + 1, events: before.events + 1, audit: before.audit + 1 });
});
