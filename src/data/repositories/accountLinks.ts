import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { accountLinks } from '../schema.js';
import type { AccountLinkPurpose } from '../../domain/access/accountLinks.js';

export interface AccountLinkRecord {
  id: string;
  purpose: AccountLinkPurpose;
  userId: string | null;
  email: string;
  laCode: string | null;
  childId: string | null;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

const linkColumns = {
  id: accountLinks.id,
  purpose: accountLinks.purpose,
  userId: accountLinks.userId,
  email: accountLinks.email,
  laCode: accountLinks.laCode,
  childId: accountLinks.childId,
  createdBy: accountLinks.createdBy,
  createdAt: accountLinks.createdAt,
  expiresAt: accountLinks.expiresAt,
  usedAt: accountLinks.usedAt,
};

export async function insertAccountLink(
  db: Db,
  link: Omit<AccountLinkRecord, 'id' | 'createdAt' | 'usedAt'> & { tokenHash: string },
): Promise<AccountLinkRecord> {
  const rows = await db.insert(accountLinks).values(link).returning(linkColumns);
  return rows[0]!;
}

/** The link with this token hash, used or not, expired or not (the caller says which it is). */
export async function findAccountLinkByHash(db: Db, tokenHash: string): Promise<AccountLinkRecord | undefined> {
  const rows = await db.select(linkColumns).from(accountLinks).where(eq(accountLinks.tokenHash, tokenHash)).limit(1);
  return rows[0];
}

/**
 * Marks a link used, in one statement that succeeds only for a link not yet used and not expired: two requests with
 * the same link at the same moment cannot both use it. Returns the link, or undefined when it could not be used.
 */
export async function markAccountLinkUsed(
  db: Db,
  tokenHash: string,
  purpose: AccountLinkPurpose,
  now: Date,
): Promise<AccountLinkRecord | undefined> {
  const rows = await db
    .update(accountLinks)
    .set({ usedAt: now })
    .where(
      and(
        eq(accountLinks.tokenHash, tokenHash),
        eq(accountLinks.purpose, purpose),
        isNull(accountLinks.usedAt),
        gt(accountLinks.expiresAt, now),
      ),
    )
    .returning(linkColumns);
  return rows[0];
}

/** Ends a user's unused links of a kind (a new invitation or reset replaces the last one). Returns how many. */
export async function cancelAccountLinks(
  db: Db,
  userId: string,
  purpose: AccountLinkPurpose,
  now: Date,
): Promise<number> {
  const rows = await db
    .update(accountLinks)
    .set({ usedAt: now })
    .where(and(eq(accountLinks.userId, userId), eq(accountLinks.purpose, purpose), isNull(accountLinks.usedAt)))
    .returning({ id: accountLinks.id });
  return rows.length;
}

/** Links past their time or used more than `keepDays` ago are removed (run with the session clean-up). */
export async function pruneAccountLinks(db: Db, before: Date): Promise<void> {
  await db.delete(accountLinks).where(sql`coalesce(${accountLinks.usedAt}, ${accountLinks.expiresAt}) < ${before}`);
}
