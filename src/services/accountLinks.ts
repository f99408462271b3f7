/**
 * One-time links: made with a random 256-bit token that appears only in the emailed address; the database keeps its
 * SHA-256 hash, so a copy of the database gives no working link. A link works once and until it expires
 * (domain/access/accountLinks.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../data/db.js';
import {
  cancelAccountLinks,
  findAccountLinkByHash,
  insertAccountLink,
  markAccountLinkUsed,
  type AccountLinkRecord,
} from '../data/repositories/accountLinks.js';
import { ACCOUNT_LINK_LIFETIME_MS, type AccountLinkPurpose } from '../domain/access/accountLinks.js';

export type { AccountLinkRecord };

/** What a token looks like in an address: 43 base64url characters. Anything else is not looked up. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface NewAccountLink {
  purpose: AccountLinkPurpose;
  userId: string | null;
  email: string;
  laCode: string | null;
  childId?: string | null;
  createdBy: string | null;
}

/**
 * Makes a link (inside the caller's transaction) and returns its token, to be put in the emailed address and never
 * stored. A user's earlier unused link of the same kind stops working.
 */
export async function createAccountLink(
  db: Db,
  link: NewAccountLink,
  now: Date,
): Promise<{ token: string; link: AccountLinkRecord }> {
  if (link.userId) await cancelAccountLinks(db, link.userId, link.purpose, now);
  const token = randomBytes(32).toString('base64url');
  const record = await insertAccountLink(db, {
    tokenHash: hashToken(token),
    purpose: link.purpose,
    userId: link.userId,
    email: link.email,
    laCode: link.laCode,
    childId: link.childId ?? null,
    createdBy: link.createdBy,
    expiresAt: new Date(now.getTime() + ACCOUNT_LINK_LIFETIME_MS[link.purpose]),
  });
  return { token, link: record };
}

export type LinkState =
  | { state: 'usable'; link: AccountLinkRecord }
  | { state: 'used' | 'expired'; link: AccountLinkRecord }
  | { state: 'unknown' };

/** What a link is now, to show the right page (without using it). */
export async function checkAccountLink(
  db: Db,
  token: string,
  purpose: AccountLinkPurpose,
  now: Date,
): Promise<LinkState> {
  if (!TOKEN_PATTERN.test(token)) return { state: 'unknown' };
  const link = await findAccountLinkByHash(db, hashToken(token));
  if (!link || link.purpose !== purpose) return { state: 'unknown' };
  if (link.usedAt) return { state: 'used', link };
  if (link.expiresAt.getTime() <= now.getTime()) return { state: 'expired', link };
  return { state: 'usable', link };
}

/**
 * Uses a link (inside the caller's transaction, with the change it allows): succeeds for one request only, and only
 * while the link is unexpired. Undefined when it cannot be used.
 */
export async function useAccountLink(
  db: Db,
  token: string,
  purpose: AccountLinkPurpose,
  now: Date,
): Promise<AccountLinkRecord | undefined> {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  return markAccountLinkUsed(db, hashToken(token), purpose, now);
}
