import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpIntegration } from '../../test/integration.js';
import { pgErrorCode, type Database } from './db.js';
import { appendAudit } from './repositories/audit.js';
import { auditLog } from './schema.js';

let database: Database;
beforeAll(async () => {
  ({ database } = await setUpIntegration({ app: false, fixture: false }));
  await appendAudit(database.db, { userId: null, laCode: null, action: 'read', entityType: 'test', entityId: 'x' });
});
afterAll(async () => {
  await database.close();
});

describe('audit log is append-only in the database itself', () => {
  it('accepts new entries', async () => {
    const rows = await database.db.select().from(auditLog).where(eq(auditLog.entityId, 'x'));
    expect(rows).toHaveLength(1);
  });

  it.each([
    ['UPDATE', sql`update audit_log set action = 'edited'`],
    ['DELETE', sql`delete from audit_log`],
    ['TRUNCATE', sql`truncate audit_log`],
  ])('refuses %s with an error, leaving the entry as it was', async (_op, statement) => {
    let code: string | undefined;
    try {
      await database.db.execute(statement);
    } catch (err) {
      code = pgErrorCode(err);
    }
    expect(code).toBe('42501'); // insufficient_privilege, raised by the trigger
    const rows = await database.db.select().from(auditLog).where(eq(auditLog.entityId, 'x'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.action).toBe('read');
  });

  it('rolls back an audit entry together with the change it records', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await appendAudit(tx, {
          userId: null,
          laCode: null,
          action: 'update',
          entityType: 'test',
          entityId: 'rolled-back',
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const rows = await database.db.select().from(auditLog).where(eq(auditLog.entityId, 'rolled-back'));
    expect(rows).toHaveLength(0);
  });

  it('stores every field of an entry, one at a time or several together, in a transaction or not', async () => {
    const detail = {
      view: 'all',
      page: 7,
      childIds: ['5f0c4f58-9a43-4a8e-9a53-3c1b0e0a7d11'],
      note: 'O\'Brien & "Jo"',
    };
    const full = {
      userId: null,
      laCode: null,
      action: 'list',
      entityType: 'test-fields',
      entityId: 'one',
      childId: '5f0c4f58-9a43-4a8e-9a53-3c1b0e0a7d11',
      requestId: 'req-1',
      ip: '127.0.0.1',
      detail,
    };
    await appendAudit(database.db, full);
    // Optional fields left out are stored as nulls and an empty detail.
    await appendAudit(database.db, {
      userId: null,
      laCode: null,
      action: 'read',
      entityType: 'test-fields',
      entityId: 'bare',
    });
    await database.db.transaction(async (tx) => {
      await appendAudit(tx, { ...full, entityId: 'in-transaction' });
    });
    await appendAudit(database.db, [
      { ...full, entityId: 'first of two' },
      { ...full, entityId: 'second of two', detail: { n: 2 } },
    ]);
    const rows = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityType, 'test-fields'))
      .orderBy(auditLog.id);
    expect(rows.map((r) => r.entityId)).toEqual(['one', 'bare', 'in-transaction', 'first of two', 'second of two']);
    // The chain's fields are the database's (services/auditChain.int.test.ts checks them).
    const { id: _id, at: _at, chainSeq: _seq, prevHash: _prev, rowHash: _hash, ...stored } = rows[0]!;
    expect(stored).toEqual(full);
    expect(rows[1]).toMatchObject({ childId: null, requestId: null, ip: null, detail: {} });
    expect(rows[2]!.detail).toEqual(detail);
    expect(rows[4]!.detail).toEqual({ n: 2 });
  });
});
