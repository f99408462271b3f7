/**
 * Small, explicit test data: two local authorities, staff in each role, a parent, and a few cases.
 */
import { like } from 'drizzle-orm';
import type { Database } from '../src/data/db.js';
import {
  adviceRequests,
  assessmentRequests,
  caseEvents,
  children,
  localAuthorities,
  roleAssignments,
  users,
} from '../src/data/schema.js';
import type { Role } from '../src/domain/access/roles.js';
import { hashPassword } from '../src/services/passwords.js';

export const PASSWORD = 'correct horse battery staple';

export interface Fixture {
  users: Record<string, { id: string; email: string }>;
  cases: Record<string, { requestId: string; childId: string; laCode: string }>;
}

let hashed: Promise<string> | undefined;

const FIXTURE_EMAIL = /^(.+)@example\.org$/;
const FIXTURE_REQUEST = /^R-(.+)$/;

/**
 * The fixture of a database that already holds it (a copy of the database globalSetup seeded, test/db.ts): the same
 * users and cases `seedFixture` returned there, read back by their e-mail addresses and references.
 */
export async function readFixture(database: Database): Promise<Fixture> {
  const { db } = database;
  const fixture: Fixture = { users: {}, cases: {} };
  for (const u of await db.select({ id: users.id, email: users.email }).from(users)) {
    const key = FIXTURE_EMAIL.exec(u.email)?.[1];
    if (key) fixture.users[key] = { id: u.id, email: u.email };
  }
  const requests = await db
    .select({
      requestId: assessmentRequests.id,
      childId: assessmentRequests.childId,
      laCode: assessmentRequests.laCode,
      reference: assessmentRequests.reference,
    })
    .from(assessmentRequests)
    .where(like(assessmentRequests.reference, 'R-%'));
  for (const r of requests) {
    const key = FIXTURE_REQUEST.exec(r.reference)![1]!;
    fixture.cases[key] = { requestId: r.requestId, childId: r.childId, laCode: r.laCode };
  }
  if (!fixture.users.parent || !fixture.cases.ada) throw new Error('this database does not hold the fixture');
  return fixture;
}

export async function seedFixture(database: Database): Promise<Fixture> {
  const { db } = database;
  const passwordHash = await (hashed ??= hashPassword(PASSWORD));
  await db.insert(localAuthorities).values([
    { laCode: '999', name: 'Demo County Council' },
    { laCode: '998', name: 'Other Borough Council' },
  ]);

  const fixture: Fixture = { users: {}, cases: {} };
  const addUser = async (key: string, laCode: string, role: Role, extra: { childId?: string } = {}) => {
    const email = `${key}@example.org`;
    const [row] = await db
      .insert(users)
      // Like the demo county's accounts, the fixture's sign in with a password alone (administrators and data officers
      // too): two-factor sign-in is tested with accounts set up for it (src/web/features/account).
      .values({ email, displayName: key.replace(/^./, (c) => c.toUpperCase()), passwordHash, isDemo: true })
      .returning({ id: users.id });
    await db.insert(roleAssignments).values({ userId: row!.id, laCode, role, childId: extra.childId ?? null });
    fixture.users[key] = { id: row!.id, email };
    return row!.id;
  };

  const caseworker = await addUser('caseworker', '999', 'caseworker');
  await addUser('caseworker2', '999', 'caseworker');
  await addUser('manager', '999', 'manager');
  await addUser('qa', '999', 'qa_auditor');
  await addUser('advice', '999', 'advice_giver');
  await addUser('board', '999', 'board_member');
  await addUser('admin', '999', 'admin');
  await addUser('data', '999', 'data_officer');
  // Used only by the throttling test, which locks it.
  await addUser('lockme', '999', 'board_member');
  const otherCaseworker = await addUser('othercaseworker', '998', 'caseworker');
  await addUser('otherdata', '998', 'data_officer');

  const addCase = async (
    key: string,
    laCode: string,
    child: { given: string; family: string },
    received: string,
    stage: string,
    caseworkerId: string | null,
    next?: { duty: string; due: string },
  ) => {
    const [c] = await db
      .insert(children)
      .values({
        laCode,
        reference: `C-${key}`,
        givenName: child.given,
        familyName: child.family,
        dateOfBirth: '2016-05-04',
      })
      .returning({ id: children.id });
    const [r] = await db
      .insert(assessmentRequests)
      .values({
        laCode,
        childId: c!.id,
        reference: `R-${key}`,
        receivedDate: received,
        stage,
        open: !['final_plan_issued', 'not_assessed', 'not_issued', 'withdrawn'].includes(stage),
        caseworkerId,
        nextDuty: next?.duty ?? null,
        nextDueDate: next?.due ?? null,
      })
      .returning({ id: assessmentRequests.id });
    await db.insert(caseEvents).values({
      laCode,
      childId: c!.id,
      requestId: r!.id,
      type: 'request_received',
      occurredOn: received,
      actorId: caseworkerId,
    });
    fixture.cases[key] = { requestId: r!.id, childId: c!.id, laCode };
  };

  // Ada: decided to assess; educational psychology advice asked for on 24 Feb 2025, due 7 Apr (reg 8(1)).
  await addCase('ada', '999', { given: 'Ada', family: 'Abbott' }, '2025-01-13', 'gathering_advice', caseworker, {
    duty: 'advice:educational_psychology',
    due: '2025-04-07',
  });
  const ada = fixture.cases.ada!;
  await db.insert(caseEvents).values({
    laCode: '999',
    childId: ada.childId,
    requestId: ada.requestId,
    type: 'assessment_decision',
    occurredOn: '2025-02-20',
    data: { outcome: 'assess' },
  });
  await db.insert(adviceRequests).values({
    laCode: '999',
    requestId: ada.requestId,
    adviceType: 'educational_psychology',
    provider: 'Test EP Service',
    requestedDate: '2025-02-24',
  });
  await addCase(
    'ben',
    '999',
    { given: 'Ben', family: 'Brown' },
    '2025-03-03',
    'deciding_whether_to_assess',
    caseworker,
    { duty: 'decide_whether_to_assess', due: '2025-04-14' },
  );
  await addCase('cal', '999', { given: 'Cal', family: 'Carter' }, '2024-11-04', 'drafting_plan', null, {
    duty: 'decide_whether_to_assess',
    due: '2024-12-16',
  });
  await addCase('dee', '999', { given: 'Dee', family: 'Davies' }, '2024-06-03', 'final_plan_issued', caseworker);
  await addCase('eve', '998', { given: 'Eve', family: 'Evans' }, '2025-02-03', 'gathering_advice', otherCaseworker);
  // 30 more open cases in LA 999 so the caseload has more than one page.
  for (let i = 0; i < 30; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    await addCase(
      `bulk${i}`,
      '999',
      { given: `Kid${i}`, family: `Zed${String(i).padStart(2, '0')}` },
      `2025-02-${day}`,
      'gathering_advice',
      null,
    );
  }
  await addUser('parent', '999', 'parent', { childId: fixture.cases.ada!.childId });
  return fixture;
}
