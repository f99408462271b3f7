/**
 * One-time links (issue 26: "invitation and reset links single-use, short-lived, stored hashed").
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpIntegration } from '../../test/integration.js';
import type { Fixture } from '../../test/fixtures.js';
import { queryRows, type Database } from '../data/db.js';
import { ACCOUNT_LINK_LIFETIME_MS, lifetimeText } from '../domain/access/accountLinks.js';
import { checkAccountLink, createAccountLink, hashToken, useAccountLink } from './accountLinks.js';

let database: Database;
let fixture: Fixture;

beforeAll(async () => {
  ({ database, fixture } = await setUpIntegration({ app: false }));
});

afterAll(async () => {
  await database.close();
});

const now = new Date('2026-12-07T10:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);

describe('one-time links', () => {
  it('keeps only a hash of the token, never the token itself', async () => {
    const user = fixture.users.caseworker!;
    const { token } = await createAccountLink(
      database.db,
      { purpose: 'reset_password', userId: user.id, email: user.email, laCode: '999', createdBy: null },
      now,
    );
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await queryRows<{ token_hash: string }>(
      database.db,
      sql`select token_hash from account_links where user_id = ${user.id}`,
    );
    expect(stored.map((r) => r.token_hash)).toContain(hashToken(token));
    const dump = JSON.stringify(await queryRows(database.db, sql`select * from account_links`));
    expect(dump).not.toContain(token);
  });

  it('works once: two uses at the same moment give one success', async () => {
    const user = fixture.users.manager!;
    const { token } = await createAccountLink(
      database.db,
      { purpose: 'set_up', userId: user.id, email: user.email, laCode: '999', createdBy: null },
      now,
    );
    expect((await checkAccountLink(database.db, token, 'set_up', now)).state).toBe('usable');
    const results = await Promise.all([1, 2, 3].map(() => useAccountLink(database.db, token, 'set_up', now)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await checkAccountLink(database.db, token, 'set_up', now)).state).toBe('used');
  });

  it('stops working when its time is up (a reset link after 1 hour)', async () => {
    const user = fixture.users.caseworker!;
    const { token } = await createAccountLink(
      database.db,
      { purpose: 'reset_password', userId: user.id, email: user.email, laCode: '999', createdBy: null },
      now,
    );
    const lifetime = ACCOUNT_LINK_LIFETIME_MS.reset_password;
    expect(lifetimeText('reset_password')).toBe('1 hour');
    expect((await checkAccountLink(database.db, token, 'reset_password', later(lifetime - 1))).state).toBe('usable');
    expect((await checkAccountLink(database.db, token, 'reset_password', later(lifetime))).state).toBe('expired');
    expect(await useAccountLink(database.db, token, 'reset_password', later(lifetime))).toBeUndefined();
    expect(await useAccountLink(database.db, token, 'reset_password', later(lifetime - 1))).toBeDefined();
  });

  it('is only for what it was made for, and a newer link replaces an unused older one', async () => {
    const user = fixture.users.caseworker!;
    const first = await createAccountLink(
      database.db,
      { purpose: 'reset_password', userId: user.id, email: user.email, laCode: '999', createdBy: null },
      now,
    );
    expect((await checkAccountLink(database.db, first.token, 'set_up', now)).state).toBe('unknown');
    expect(await useAccountLink(database.db, first.token, 'set_up', now)).toBeUndefined();
    await createAccountLink(
      database.db,
      { purpose: 'reset_password', userId: user.id, email: user.email, laCode: '999', createdBy: null },
      now,
    );
    expect((await checkAccountLink(database.db, first.token, 'reset_password', now)).state).toBe('used');
    expect((await checkAccountLink(database.db, 'not-a-token', 'reset_password', now)).state).toBe('unknown');
    expect(lifetimeText('set_up')).toBe('3 days');
  });
});
