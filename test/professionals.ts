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

/**
 * The professionals the advice and consultation pages are tested with, added to the test file's database: advice
 * givers for educational psychology in LA 999 (`ep`) and LA 998 (`otherep`), for health (`dco`), and one with no
 * service who is addressed by name (`named`); school users of Hill Primary (URN 123456, `hill`) and Dale Academy
 * (654321, `dale`) in LA 999, and of a school with Hill's URN in LA 998 (`otherhill`).
 */
export async function addProfessionals(database: Database): Promise<Record<string, Professional>> {
  return {
    ep: await addProfessional(database, 'ep', '999', 'advice_giver', { adviceService: 'educational_psychology' }),
    named: await addProfessional(database, 'named', '999', 'advice_giver'),
    health: await addProfessional(database, 'dco', '999', 'advice_giver', { adviceService: 'health' }),
    otherEp: await addProfessional(database, 'otherep', '998', 'advice_giver', {
      adviceService: 'educational_psychology',
    }),
    hill: await addProfessional(database, 'hill', '999', 'school', { settingUrn: '123456' }),
    dale: await addProfessional(database, 'dale', '999', 'school', { settingUrn: '654321' }),
    otherLa: await addProfessional(database, 'otherhill', '998', 'school', { settingUrn: '123456' }),
  };
}
