import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db.js';
import { localAuthorities } from '../schema.js';

export async function listLocalAuthorities(db: Db): Promise<{ laCode: string; name: string }[]> {
  return db
    .select({ laCode: localAuthorities.laCode, name: localAuthorities.name })
    .from(localAuthorities)
    .orderBy(asc(localAuthorities.name));
}

export async function localAuthorityName(db: Db, laCode: string): Promise<string | null> {
  const rows = await db
    .select({ name: localAuthorities.name })
    .from(localAuthorities)
    .where(eq(localAuthorities.laCode, laCode));
  return rows[0]?.name ?? null;
}

/** Adds an LA (for an import into a deployment that does not hold it yet); nothing happens if it is there. */
export async function addLocalAuthority(db: Db, laCode: string, name: string): Promise<void> {
  await db.insert(localAuthorities).values({ laCode, name }).onConflictDoNothing();
}
