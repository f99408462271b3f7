/**
 * References (the child's `999-000123`, the request's `EHC-2026-00045`) as caseworkers recording at once get them:
 * each once, in order, never reused, and without one save waiting for another's (data/repositories/casework.ts,
 * takeReferences).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordRequestInput } from '../../test/requests.js';
import { setUpIntegration } from '../../test/integration.js';
import type { Fixture } from '../../test/fixtures.js';
import type { Database } from '../data/db.js';
import { assessmentRequests, children, referenceCounters } from '../data/schema.js';
import type { LocalDate } from '../domain/dates/localDate.js';
import type { RequestContext } from './cases.js';
import type { RecordRequestInput } from './casework/index.js';
import { createServices } from './index.js';

let database: Database;
let fixture: Fixture;
let services: ReturnType<typeof createServices>;
let ctx: RequestContext;

const today = '2026-11-30' as LocalDate;

beforeAll(async () => {
  ({ database, fixture } = await setUpIntegration({ app: false }));
  services = createServices(database, { clock: { today: () => today, now: () => new Date('2026-11-30T10:00:00Z') } });
  ctx = {
    actor: { userId: fixture.users.caseworker!.id, laCode: '999', roles: ['caseworker'], childIds: [] },
    ip: '127.0.0.1',
    requestId: 'test',
  };
});

afterAll(async () => {
  await database.close();
});

let n = 0;
/** A request for a child each time new (the duplicate-child check finds none). */
function request(overrides: Parameters<typeof recordRequestInput>[0] = {}): RecordRequestInput {
  n += 1;
  return recordRequestInput({ child: { givenName: `Given${n}`, familyName: `Family${n}` }, ...overrides });
}

async function referencesOf(requestId: string) {
  const [row] = await database.db
    .select({ request: assessmentRequests.reference, child: children.reference })
    .from(assessmentRequests)
    .innerJoin(children, eq(children.id, assessmentRequests.childId))
    .where(eq(assessmentRequests.id, requestId));
  return row!;
}

/** The request's id, when the service recorded it (or had already). */
function savedId(result: Awaited<ReturnType<typeof services.casework.recordRequest>>): string {
  if (!('requestId' in result) || !result.requestId) throw new Error('not saved');
  return result.requestId;
}

async function record(input: RecordRequestInput, as = ctx) {
  return referencesOf(savedId(await services.casework.recordRequest(as, input)));
}

describe('references', () => {
  it('starts a series after the highest reference already written (the fixture’s C-… are not in the series)', async () => {
    await database.db.insert(children).values({
      laCode: '999',
      reference: '999-000041',
      givenName: 'Loaded',
      familyName: 'Earlier',
      dateOfBirth: '2015-01-01',
    });
    const first = await record(request());
    expect(first).toEqual({ child: '999-000042', request: 'EHC-2026-00001' });
  });

  it('gives twelve requests recorded at once twelve different references, one after another', async () => {
    const saved = await Promise.all(Array.from({ length: 12 }, () => record(request())));
    expect(saved.map((s) => s.request).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `EHC-2026-${String(i + 2).padStart(5, '0')}`),
    );
    expect(new Set(saved.map((s) => s.child)).size).toBe(12);
  });

  it('takes no number when it only warns of a possible duplicate child', async () => {
    const input = request();
    await record(input);
    const again = await services.casework.recordRequest(ctx, { ...request(), child: input.child });
    expect(again).toHaveProperty('possibleDuplicates');
    const next = await record(request());
    // 1, then 2 to 13, then 14 for the first of these two: the warning took none.
    expect(next.request).toBe('EHC-2026-00015');
  });

  it('the same form sent twice at once is saved once (the second may leave a gap, as a sequence does)', async () => {
    const input = request();
    const [a, b] = await Promise.all([
      services.casework.recordRequest(ctx, input),
      services.casework.recordRequest(ctx, input),
    ]);
    expect(savedId(a)).toBe(savedId(b));
    const saved = await database.db
      .select({ id: children.id })
      .from(children)
      .where(and(eq(children.laCode, '999'), eq(children.givenName, input.child.givenName)));
    expect(saved).toHaveLength(1);
    expect((await referencesOf(savedId(a))).request).toMatch(/^EHC-2026-0001[67]$/);
  });

  it('catches up when a reference was written without the counter, and saves the request once', async () => {
    await database.db.insert(children).values({
      laCode: '999',
      reference: '999-000100',
      givenName: 'Written',
      familyName: 'Aside',
      dateOfBirth: '2015-01-01',
    });
    await database.db
      .update(referenceCounters)
      .set({ last: 99 })
      .where(and(eq(referenceCounters.laCode, '999'), eq(referenceCounters.series, 'children')));
    const saved = await record(request());
    expect(saved.child).toBe('999-000101');
  });

  it('keeps each LA’s series and each year’s series apart', async () => {
    const otherYear = await record(request({ receivedDate: '2025-12-30' as LocalDate }));
    expect(otherYear.request).toBe('EHC-2025-00001');
    const other: RequestContext = {
      ...ctx,
      actor: { userId: fixture.users.othercaseworker!.id, laCode: '998', roles: ['caseworker'], childIds: [] },
    };
    expect(await record(request(), other)).toEqual({ child: '998-000001', request: 'EHC-2026-00001' });
  });
});
