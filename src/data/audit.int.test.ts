import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/db.js';
import { pgErrorCode, type Database } from './db.js';
import { appendAudit } from './repositories/audit.js';
import { auditLog } from './schema.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDb();
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
});
