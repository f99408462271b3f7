/**
 * Password-reset links by email (issue 26): the outbox never holds a working link; through Notify the message does.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpIntegration } from '../../test/integration.js';
import type { Fixture } from '../../test/fixtures.js';
import { queryRows, type Database } from '../data/db.js';
import type { EmailSender, OutgoingEmail } from '../notify/sender.js';
import { LINK_REMOVED } from './accountEmails.js';
import { checkAccountLink } from './accountLinks.js';
import { createAccountService } from './accounts.js';
import { fixedClock } from './clock.js';

let database: Database;
let fixture: Fixture;
const now = new Date('2026-12-07T10:00:00Z');

beforeAll(async () => {
  ({ database, fixture } = await setUpIntegration({ app: false }));
});

afterAll(async () => {
  await database.close();
});

const tokenOf = (link: string) => link.split('/').pop()!;

describe('sending a password-reset link', () => {
  it('without Notify: gives the link back once and keeps the outbox copy without it', async () => {
    const user = fixture.users.caseworker!;
    const accounts = createAccountService(
      database,
      fixedClock(now),
      { name: 'outbox', send: () => Promise.reject(new Error('not called')) },
      'https://send.example.gov.uk',
    );
    const result = await accounts.sendPasswordReset({
      userId: user.id,
      laCode: '999',
      requestedBy: null,
      ip: '127.0.0.1',
    });
    expect(result).toMatchObject({ delivered: 'not_sent', reason: 'no_notify' });
    const link = result?.delivered === 'not_sent' ? result.link : '';
    expect(link).toMatch(/^https:\/\/send\.example\.gov\.uk\/account\/reset-password\/[A-Za-z0-9_-]{43}$/);
    expect((await checkAccountLink(database.db, tokenOf(link), 'reset_password', now)).state).toBe('usable');
    const outbox = await queryRows<{ body: string; to_email: string; kind: string }>(
      database.db,
      sql`select body, to_email, kind from notifications where kind = 'password_reset'`,
    );
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.to_email).toBe(user.email);
    expect(outbox[0]!.body).toContain(LINK_REMOVED);
    expect(outbox[0]!.body).not.toContain(tokenOf(link));
    expect(outbox[0]!.body).toContain('stops working after 1 hour');
    const audit = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from audit_log where action = 'password_reset_sent' and entity_id = ${user.id}`,
    );
    expect(audit[0]!.n).toBe(1);
  });

  it('through Notify: the message carries the link, the outbox copy does not', async () => {
    const user = fixture.users.manager!;
    const sent: OutgoingEmail[] = [];
    const notify: EmailSender = {
      name: 'notify',
      send: (email) => {
        sent.push(email);
        return Promise.resolve({ status: 'sent', notifyId: 'n-1' });
      },
    };
    const accounts = createAccountService(database, fixedClock(now), notify, 'https://send.example.gov.uk');
    const result = await accounts.sendPasswordReset({
      userId: user.id,
      laCode: '999',
      requestedBy: fixture.users.admin!.id,
      ip: '127.0.0.1',
    });
    expect(result).toEqual({ delivered: 'notify' });
    expect(sent).toHaveLength(1);
    const token = /reset-password\/([A-Za-z0-9_-]{43})/.exec(sent[0]!.body)![1]!;
    expect((await checkAccountLink(database.db, token, 'reset_password', now)).state).toBe('usable');
    const stored = await queryRows<{ body: string; status: string }>(
      database.db,
      sql`select body, status from notifications where to_email = ${user.email} and kind = 'password_reset'`,
    );
    expect(stored[0]!.status).toBe('sent');
    expect(stored[0]!.body).not.toContain(token);
  });

  it('makes nothing for a user with no role in the LA', async () => {
    const user = fixture.users.caseworker!;
    const accounts = createAccountService(
      database,
      fixedClock(now),
      { name: 'outbox', send: () => Promise.reject(new Error('not called')) },
      'https://x.example',
    );
    expect(
      await accounts.sendPasswordReset({ userId: user.id, laCode: '888', requestedBy: null, ip: '127.0.0.1' }),
    ).toBeUndefined();
  });
});
