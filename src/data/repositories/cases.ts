import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { prepared, type Db } from '../db.js';
import { listAdvice, type AdviceRow } from './casework.js';
import { OPEN_STAGES } from '../../domain/casework/stages.js';
import { assessmentRequests, caseEvents, children, plans, roleAssignments, users } from '../schema.js';

export type CaseloadSort = 'due' | 'child' | 'stage' | 'weeks' | 'caseworker';

export interface CaseloadQuery {
  laCode: string;
  caseworkerId?: string | undefined;
  /** A team's cases; null for a user with no team (who then sees none, rather than everyone's). */
  team?: string | null | undefined;
  stage?: string | undefined;
  primaryNeed?: string | undefined;
  /** Today, for the counts of overdue duties and duties due in the next 7 days. */
  today: string;
  sort: CaseloadSort;
  direction: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface CaseloadRow {
  requestId: string;
  requestReference: string;
  childId: string;
  childReference: string;
  givenName: string;
  familyName: string;
  stage: string;
  receivedDate: string;
  caseworkerName: string | null;
  exceptionReason: string | null;
  nextDuty: string | null;
  nextDueDate: string | null;
}

/** The columns of a caseload row. */
const caseloadColumns = {
  requestId: assessmentRequests.id,
  requestReference: assessmentRequests.reference,
  childId: children.id,
  childReference: children.reference,
  givenName: children.givenName,
  familyName: children.familyName,
  stage: assessmentRequests.stage,
  receivedDate: assessmentRequests.receivedDate,
  caseworkerName: users.displayName,
  exceptionReason: assessmentRequests.exceptionReason,
  nextDuty: assessmentRequests.nextDuty,
  nextDueDate: assessmentRequests.nextDueDate,
};

/**
 * Stage order for sorting: the order a case moves through, which is the order of the domain's open stages. They are
 * written into the SQL as literals (fixed identifiers, never input), as the list typed out here used to be.
 */
const stageOrder = sql`array_position(array[${sql.raw(OPEN_STAGES.map((s) => `'${s}'`).join(','))}]::text[], ${assessmentRequests.stage})`;

export interface CaseloadCounts {
  total: number;
  overdue: number;
  dueThisWeek: number;
}

const placeholder = (name: keyof CaseloadQuery) => sql.placeholder(name);

/**
 * Builds the caseload's two prepared queries for one shape of question (which filters are set, the sort and its
 * direction); the values are placeholders. The page is chosen from the requests table alone (by index where it can
 * be) and only its 25 rows are joined to the child and caseworker, so a late page costs no more joins than the first.
 */
function caseloadQueries(db: Db, q: CaseloadQuery, name: string) {
  const conditions: SQL[] = [
    eq(assessmentRequests.laCode, placeholder('laCode')),
    // The column itself rather than "= true" sent as a value, for the same reason as the page size below.
    sql`${assessmentRequests.open}`,
  ];
  if (q.caseworkerId) conditions.push(eq(assessmentRequests.caseworkerId, placeholder('caseworkerId')));
  if (q.team !== undefined) {
    conditions.push(q.team === null ? sql`false` : eq(assessmentRequests.team, placeholder('team')));
  }
  if (q.stage) conditions.push(eq(assessmentRequests.stage, placeholder('stage')));
  if (q.primaryNeed) {
    conditions.push(
      sql`exists (select 1 from ${children} c where c.id = ${assessmentRequests.childId} and c.la_code = ${placeholder('laCode')} and c.primary_need = ${placeholder('primaryNeed')})`,
    );
  }
  const where = and(...conditions);
  const dir = q.direction === 'asc' ? asc : desc;
  const order: SQL[] = [
    ...{
      // Soonest deadline first, so overdue duties lead; requests with nothing due go last.
      due: [
        q.direction === 'asc'
          ? sql`${assessmentRequests.nextDueDate} asc nulls last`
          : sql`${assessmentRequests.nextDueDate} desc nulls last`,
        asc(assessmentRequests.receivedDate),
      ],
      child: [dir(assessmentRequests.childFamilyName), dir(assessmentRequests.childGivenName)],
      stage: [dir(stageOrder), asc(assessmentRequests.receivedDate)],
      // Most weeks since the request means the earliest received date.
      weeks: [q.direction === 'asc' ? desc(assessmentRequests.receivedDate) : asc(assessmentRequests.receivedDate)],
      caseworker: [dir(users.displayName), asc(assessmentRequests.receivedDate)],
    }[q.sort],
    asc(assessmentRequests.id),
  ];
  // Only the sort by caseworker needs a join to choose the page (the child's names are copied onto each request by
  // the database for the sort by child, and read from an index in that order).
  // The page size is written into the SQL rather than sent as a value, so that PostgreSQL's reusable plan knows it is
  // choosing 25 rows (with a value it guesses a tenth of the table and plans a scan of all of it).
  const pageJoin =
    q.sort === 'caseworker' ? sql` left join ${users} on ${users.id} = ${assessmentRequests.caseworkerId}` : sql``;
  const pageIds = sql`select ${assessmentRequests.id} from ${assessmentRequests}${pageJoin} where ${where} order by ${sql.join(order, sql`, `)} limit ${sql.raw(String(Math.trunc(q.limit)))} offset ${placeholder('offset')}`;
  return {
    rows: db
      .select(caseloadColumns)
      .from(assessmentRequests)
      .innerJoin(children, and(eq(children.id, assessmentRequests.childId), eq(children.laCode, placeholder('laCode'))))
      .leftJoin(users, eq(users.id, assessmentRequests.caseworkerId))
      .where(sql`${assessmentRequests.id} in (${pageIds})`)
      .orderBy(...order)
      .prepare(`${name}_rows`),
    counts: db
      .select({
        total: sql<number>`count(*)::int`,
        overdue: sql<number>`(count(*) filter (where ${assessmentRequests.nextDueDate} < ${placeholder('today')}::date))::int`,
        dueThisWeek: sql<number>`(count(*) filter (where ${assessmentRequests.nextDueDate} between ${placeholder('today')}::date and ${placeholder('today')}::date + 6))::int`,
      })
      .from(assessmentRequests)
      .where(where)
      .prepare(`${name}_counts`),
  };
}

export async function listOpenRequests(
  db: Db,
  q: CaseloadQuery,
): Promise<{ rows: CaseloadRow[]; counts: CaseloadCounts }> {
  // One pair of prepared queries for each shape of question.
  const name = [
    'caseload',
    q.sort,
    q.direction,
    q.caseworkerId ? 'cw' : '',
    q.team === undefined ? '' : q.team === null ? 'noteam' : 'team',
    q.stage ? 'stage' : '',
    q.primaryNeed ? 'need' : '',
    Math.trunc(q.limit),
  ].join('_');
  const queries = prepared(db, name, () => caseloadQueries(db, q, name));
  const values = { ...q, team: q.team ?? undefined };
  // The page and the counts side by side (called outside a transaction, so on two pool connections).
  const [rows, count] = await Promise.all([queries.rows.execute(values), queries.counts.execute(values)]);
  return { rows, counts: count[0] ?? { total: 0, overdue: 0, dueThisWeek: 0 } };
}

export interface CaseRecord {
  request: {
    id: string;
    reference: string;
    receivedDate: string;
    requestSource: string | null;
    stage: string;
    open: boolean;
    team: string | null;
    caseworkerName: string | null;
    assessmentDecision: string | null;
    assessmentDecisionDate: string | null;
    issueDecision: string | null;
    issueDecisionDate: string | null;
    draftServedDate: string | null;
    finalIssuedDate: string | null;
    exceptionReason: string | null;
    closedDate: string | null;
    /** Moves on with every change: a form carries it to detect an edit made since it was opened. */
    version: number;
  };
  child: {
    id: string;
    reference: string;
    givenName: string;
    familyName: string;
    dateOfBirth: string;
    sex: string | null;
    upn: string | null;
    postcode: string | null;
    primaryNeed: string | null;
    settingName: string | null;
    settingType: string | null;
    uln: string | null;
    upnUnknown: string | null;
    ethnicity: string | null;
    settingUrn: string | null;
  };
  /** Who the council contacts about the request (all null for requests recorded before it was asked, or imported). */
  contact: {
    name: string | null;
    relationship: string | null;
    email: string | null;
    phone: string | null;
    address: string | null;
    preference: string | null;
  };
  advice: AdviceRow[];
  plan: {
    id: string;
    status: string;
    firstIssuedDate: string | null;
    lastReviewDate: string | null;
    versions: number;
  } | null;
  events: { id: number; type: string; occurredOn: string; actorName: string | null; data: unknown }[];
}

/** One request with its child, advice, plan and timeline, or undefined when it is not in this LA. */
export async function getCase(db: Db, laCode: string, requestId: string): Promise<CaseRecord | undefined> {
  const caseworker = alias(users, 'caseworker');
  // The case page's queries are prepared (see `prepared`): it is the page caseworkers open most after the caseload.
  const head = await prepared(db, 'case_head', () =>
    db
      .select({
        request: {
          id: assessmentRequests.id,
          reference: assessmentRequests.reference,
          receivedDate: assessmentRequests.receivedDate,
          requestSource: assessmentRequests.requestSource,
          stage: assessmentRequests.stage,
          open: assessmentRequests.open,
          team: assessmentRequests.team,
          caseworkerName: caseworker.displayName,
          assessmentDecision: assessmentRequests.assessmentDecision,
          assessmentDecisionDate: assessmentRequests.assessmentDecisionDate,
          issueDecision: assessmentRequests.issueDecision,
          issueDecisionDate: assessmentRequests.issueDecisionDate,
          draftServedDate: assessmentRequests.draftServedDate,
          finalIssuedDate: assessmentRequests.finalIssuedDate,
          exceptionReason: assessmentRequests.exceptionReason,
          closedDate: assessmentRequests.closedDate,
          version: assessmentRequests.version,
        },
        contact: {
          name: assessmentRequests.contactName,
          relationship: assessmentRequests.contactRelationship,
          email: assessmentRequests.contactEmail,
          phone: assessmentRequests.contactPhone,
          address: assessmentRequests.contactAddress,
          preference: assessmentRequests.contactPreference,
        },
        child: {
          id: children.id,
          reference: children.reference,
          givenName: children.givenName,
          familyName: children.familyName,
          dateOfBirth: children.dateOfBirth,
          sex: children.sex,
          upn: children.upn,
          postcode: children.postcode,
          primaryNeed: children.primaryNeed,
          settingName: children.settingName,
          settingType: children.settingType,
          uln: children.uln,
          upnUnknown: children.upnUnknown,
          ethnicity: children.ethnicity,
          settingUrn: children.settingUrn,
        },
      })
      .from(assessmentRequests)
      .innerJoin(
        children,
        and(eq(children.id, assessmentRequests.childId), eq(children.laCode, sql.placeholder('laCode'))),
      )
      .leftJoin(caseworker, eq(caseworker.id, assessmentRequests.caseworkerId))
      .where(
        and(
          eq(assessmentRequests.laCode, sql.placeholder('laCode')),
          eq(assessmentRequests.id, sql.placeholder('requestId')),
        ),
      )
      .prepare('case_head'),
  ).execute({ laCode, requestId });
  const found = head[0];
  if (!found) return undefined;

  // Called outside a transaction: the three run side by side on the pool.
  const [advice, planRows, events] = await Promise.all([
    listAdvice(db, laCode, requestId),
    prepared(db, 'case_plan', () =>
      db
        .select({
          id: plans.id,
          status: plans.status,
          firstIssuedDate: plans.firstIssuedDate,
          lastReviewDate: plans.lastReviewDate,
          // Qualified by hand: in a one-table select drizzle writes plans.id as a bare "id", which inside the
          // subquery would mean plan_versions.id (and count nothing).
          versions: sql<number>`(select count(*)::int from plan_versions pv where pv.plan_id = "plans"."id" and pv.la_code = ${sql.placeholder('laCode')})`,
        })
        .from(plans)
        .where(and(eq(plans.laCode, sql.placeholder('laCode')), eq(plans.requestId, sql.placeholder('requestId'))))
        .limit(1)
        .prepare('case_plan'),
    ).execute({ laCode, requestId }),
    prepared(db, 'case_events', () =>
      db
        .select({
          id: caseEvents.id,
          type: caseEvents.type,
          occurredOn: caseEvents.occurredOn,
          actorName: users.displayName,
          data: caseEvents.data,
        })
        .from(caseEvents)
        .leftJoin(users, eq(users.id, caseEvents.actorId))
        .where(
          and(eq(caseEvents.laCode, sql.placeholder('laCode')), eq(caseEvents.requestId, sql.placeholder('requestId'))),
        )
        .orderBy(desc(caseEvents.occurredOn), desc(caseEvents.id))
        .prepare('case_events'),
    ).execute({ laCode, requestId }),
  ]);
  return { ...found, advice, plan: planRows[0] ?? null, events };
}

/** The requests for the given children (a parent's view), newest first. */
export async function listRequestsForChildren(
  db: Db,
  laCode: string,
  childIds: readonly string[],
): Promise<CaseloadRow[]> {
  if (childIds.length === 0) return [];
  return db
    .select(caseloadColumns)
    .from(assessmentRequests)
    .innerJoin(children, and(eq(children.id, assessmentRequests.childId), eq(children.laCode, laCode)))
    .leftJoin(users, eq(users.id, assessmentRequests.caseworkerId))
    .where(
      and(
        eq(assessmentRequests.laCode, laCode),
        sql`${assessmentRequests.childId} in (${sql.join(
          childIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      ),
    )
    .orderBy(desc(assessmentRequests.receivedDate));
}

export interface CaseworkerWorkload {
  userId: string;
  displayName: string;
  team: string | null;
  openByStage: Record<string, number>;
  overdue: number;
}

/** The LA's caseworkers who can sign in, by name. */
export async function listCaseworkers(db: Db, laCode: string) {
  return peopleWithRole(db, laCode, 'caseworker');
}

/** The LA's active people holding a role (each once, with their team), by name. */
export async function peopleWithRole(db: Db, laCode: string, role: string) {
  const people = await db
    .selectDistinctOn([users.id], { userId: users.id, displayName: users.displayName, team: roleAssignments.team })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(roleAssignments.laCode, laCode), eq(roleAssignments.role, role), eq(users.disabled, false)))
    .orderBy(users.id);
  return people.sort((a, b) => a.displayName.localeCompare(b.displayName, 'en-GB'));
}

/** The LA's caseworkers with their open requests by stage and overdue count. */
export async function caseworkerWorkloads(db: Db, laCode: string, today: string): Promise<CaseworkerWorkload[]> {
  const people = await listCaseworkers(db, laCode);
  const counts = await db
    .select({
      caseworkerId: assessmentRequests.caseworkerId,
      stage: assessmentRequests.stage,
      n: sql<number>`count(*)::int`,
      overdue: sql<number>`(count(*) filter (where ${assessmentRequests.nextDueDate} < ${today}::date))::int`,
    })
    .from(assessmentRequests)
    .where(and(eq(assessmentRequests.laCode, laCode), eq(assessmentRequests.open, true)))
    .groupBy(assessmentRequests.caseworkerId, assessmentRequests.stage);
  return people.map((p) => {
    const mine = counts.filter((c) => c.caseworkerId === p.userId);
    return {
      ...p,
      openByStage: Object.fromEntries(mine.map((c) => [c.stage, c.n])),
      overdue: mine.reduce((sum, c) => sum + c.overdue, 0),
    };
  });
}
