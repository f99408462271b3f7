/**
 * Casework set-up shared by the integration tests of what happens once a plan is drafted: a caseworker's context,
 * a case's form stamp, a page's form posted as a browser posts it, and the fixture's Ada taken from her advice to a
 * draft plan (served or not).
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../src/data/db.js';
import { adviceRequests, assessmentRequests } from '../src/data/schema.js';
import type { PlanContent } from '../src/domain/casework/planContent.js';
import type { LocalDate } from '../src/domain/dates/localDate.js';
import type { RequestContext } from '../src/services/cases.js';
import { csrfFrom } from './app.js';
import type { Fixture } from './fixtures.js';
import type { Integration } from './integration.js';

type Agent = Awaited<ReturnType<Integration['signIn']>>;

/** The fixture's caseworker of LA 999, acting in a test named `requestId`. */
export function caseworkerContext(fixture: Fixture, requestId: string): RequestContext {
  return {
    actor: { userId: fixture.users.caseworker!.id, laCode: '999', roles: ['caseworker'], childIds: [] },
    ip: '127.0.0.1',
    requestId,
  };
}

/** The case's version now, and a fresh submission key: a form that would be saved. */
export async function caseStamp(database: Database, requestId: string) {
  const [r] = await database.db
    .select({ version: assessmentRequests.version })
    .from(assessmentRequests)
    .where(eq(assessmentRequests.id, requestId));
  return { version: r!.version, submissionKey: randomUUID() };
}

/** The page's form posted with its CSRF token and hidden fields (version, submission key), and `fields`. */
export async function postForm(agent: Agent, path: string, fields: Record<string, string>) {
  const page = await agent.get(path);
  const version = /name="version" value="(\d+)"/.exec(page.text)?.[1] ?? '0';
  const key = /name="submissionKey" value="([^"]+)"/.exec(page.text)?.[1];
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), version, ...(key ? { submissionKey: key } : {}), ...fields });
}

/**
 * The fixture's Ada (awaiting her advice) taken on: the advice received on 20 March 2025, the decision to issue a
 * plan on 21 March, the draft saved, and, when `servedOn` is given, served by email that day.
 */
export async function adaDrafted(
  { database, fixture, services }: Pick<Integration, 'database' | 'fixture' | 'services'>,
  draft: PlanContent,
  servedOn: LocalDate | null,
): Promise<string> {
  const ada = fixture.cases.ada!.requestId;
  const staff = caseworkerContext(fixture, 'ada-drafted');
  const stamp = () => caseStamp(database, ada);
  const [advice] = await database.db.select().from(adviceRequests).where(eq(adviceRequests.requestId, ada));
  await services.casework.recordAdvice(staff, ada, advice!.id, await stamp(), {
    receivedOn: '2025-03-20' as LocalDate,
    document: null,
  });
  await services.casework.decideIssue(staff, ada, await stamp(), {
    outcome: 'issue',
    reasons: 'Needs a plan',
    decidedOn: '2025-03-21' as LocalDate,
  });
  await services.casework.saveDraft(staff, ada, await stamp(), draft);
  if (servedOn) await services.casework.serveDraft(staff, ada, await stamp(), { sentOn: servedOn, method: 'email' });
  return ada;
}

/** A GOV.UK date input's three fields for `iso` (YYYY-MM-DD), as a browser sends them. */
export function dateFields(name: string, iso: string): Record<string, string> {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
}

/** A rendered form's hidden fields: its CSRF token, the version it was opened at and its submission key. */
export function formStamp(html: string) {
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
  return { _csrf: csrfFrom(html), version: field('version'), submissionKey: field('submissionKey') };
}
