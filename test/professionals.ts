/**
 * Professionals outside the council for the tests of their pages: advice givers in a service or addressed by name,
 * schools by their URN, in the fixture's LA (999) and in the other LA (998), each signing in with the fixture's
 * password. Added to a test file's own database (the fixture itself is shared by every file).
 */
import type { Database } from '../src/data/db.js';
import { roleAssignments, users } from '../src/data/schema.js';
import { hashPassword } from '../src/services/passwords.js';
import { PASSWORD } from './fixtures.js';

export interface Professional {
  id: string;
  email: string;
}

export async function addProfessional(
  database: Database,
  key: string,
  laCode: string,
  role: 'advice_giver' | 'school',
  scope: { adviceService?: string | null; settingUrn?: string | null } = {},
): Promise<Professional> {
  const email = `${key}@professionals.example`;
  const [row] = await database.db
    .insert(users)
    .values({ email, displayName: `Pro ${key}`, passwordHash: await hashPassword(PASSWORD), isDemo: true })
    .returning({ id: users.id });
  await database.db.insert(roleAssignments).values({
    userId: row!.id,
    laCode,
    role,
    adviceService: scope.adviceService ?? null,
    settingUrn: scope.settingUrn ?? null,
  });
  return { id: row!.id, email };
}
