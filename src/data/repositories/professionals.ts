/**
 * What professionals outside the council read and write: advice requests addressed to an advice giver or their
 * service, and consultations with a school or setting. Every query is scoped by the LA code, and by the person's own
 * scope (their user id, their service, their setting's URN) where it lists; a single record is read by id and LA and
 * its scope checked by the service.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db.js';
import {
  adviceRequests,
  assessmentRequests,
  children,
  planVersions,
  plans,
  roleAssignments,
  settingConsultations,
  users,
} from '../schema.js';
import { updateAtVersion } from './versioned.js';

/**
 * Sets a person's scope as a professional in an LA: the advice service on their advice giver's role, the setting's
 * URN on their school role (each null to clear it; a role they do not hold is left alone).
 */
export async function setProfessionalScope(
  db: Db,
  userId: string,
  laCode: string,
  scope: { adviceService: string | null; settingUrn: string | null },
): Promise<void> {
  const mine = and(eq(roleAssignments.userId, userId), eq(roleAssignments.laCode, laCode));
  await db
    .update(roleAssignments)
    .set({ adviceService: scope.adviceService })
    .where(and(mine, eq(roleAssignments.role, 'advice_giver')));
  await db
    .update(roleAssignments)
    .set({ settingUrn: scope.settingUrn })
    .where(and(mine, eq(roleAssignments.role, 'school')));
}

/** A person's scope as a professional in an LA: the advice services they answer for and their settings' URNs. */
export async function professionalScope(db: Db, laCode: string, userId: string) {
  const rows = await db
    .select({ role: roleAssignments.role, service: roleAssignments.adviceService, urn: roleAssignments.settingUrn })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.userId, userId), eq(roleAssignments.laCode, laCode)));
  return {
    adviceServices: rows.filter((r) => r.role === 'advice_giver' && r.service).map((r) => r.service!),
    settingUrns: rows.filter((r) => r.role === 'school' && r.urn).map((r) => r.urn!),
  };
}

/** The service and URN an administrator sets on a person's roles (one each; null where none). */
export async function scopeOnRoles(db: Db, laCode: string, userId: string) {
  const scope = await professionalScope(db, laCode, userId);
  return { adviceService: scope.adviceServices[0] ?? null, settingUrn: scope.settingUrns[0] ?? null };
}

const adviceColumns = {
  id: adviceRequests.id,
  requestId: adviceRequests.requestId,
  adviceType: adviceRequests.adviceType,
  provider: adviceRequests.provider,
  providerUserId: adviceRequests.providerUserId,
  requestedDate: adviceRequests.requestedDate,
  receivedDate: adviceRequests.receivedDate,
  submittedAt: adviceRequests.submittedAt,
  familyAgreedDate: adviceRequests.familyAgreedDate,
  version: adviceRequests.version,
  childId: children.id,
  givenName: children.givenName,
  dateOfBirth: children.dateOfBirth,
  requestReference: assessmentRequests.reference,
};

/** The work list's two tabs: still to give (not received), and given online by the professional or their service. */
export type WorkListShow = 'outstanding' | 'given';

/**
 * Which advice is on a tab. Advice the council recorded by hand from a document (received, but never submitted
 * online) is on neither: there is nothing for the professional to give, and nothing they gave online to read.
 */
const onTab = (show: WorkListShow) =>
  show === 'outstanding'
    ? isNull(adviceRequests.receivedDate)
    : and(isNotNull(adviceRequests.receivedDate), isNotNull(adviceRequests.submittedAt));

/** Advice requests addressed to `userId` by name or to one of `services`, in the LA. */
function addressedTo(laCode: string, userId: string, services: readonly string[]) {
  const mine: SQL[] = [eq(adviceRequests.providerUserId, userId)];
  if (services.length) mine.push(inArray(adviceRequests.adviceType, [...services]));
  return and(eq(adviceRequests.laCode, laCode), or(...mine));
}

/**
 * One page of the work list's tab, read in the query (LIMIT/OFFSET on a stable order): outstanding requests by the
 * date they were asked for, earliest first, which is late first and then by due date (every due date is the same
 * 6 weeks after its request); given advice latest first.
 */
export async function adviceWorkList(
  db: Db,
  laCode: string,
  userId: string,
  services: readonly string[],
  show: WorkListShow,
  page: { limit: number; offset: number },
) {
  return db
    .select(adviceColumns)
    .from(adviceRequests)
    .innerJoin(
      assessmentRequests,
      and(eq(assessmentRequests.id, adviceRequests.requestId), eq(assessmentRequests.laCode, laCode)),
    )
    .innerJoin(children, and(eq(children.id, assessmentRequests.childId), eq(children.laCode, laCode)))
    .where(and(addressedTo(laCode, userId, services), onTab(show)))
    .orderBy(
      ...(show === 'outstanding'
        ? [asc(adviceRequests.requestedDate), asc(adviceRequests.id)]
        : [desc(adviceRequests.receivedDate), asc(adviceRequests.id)]),
    )
    .limit(page.limit)
    .offset(page.offset);
}

/**
 * How many requests are on each tab of the work list, and how many outstanding are late: asked for before
 * `lateIfRequestedBefore` (the day whose advice fell due yesterday), counted in one query.
 */
export async function adviceWorkCounts(
  db: Db,
  laCode: string,
  userId: string,
  services: readonly string[],
  lateIfRequestedBefore: string,
) {
  const [row] = await db
    .select({
      outstanding: sql<number>`count(*) filter (where ${onTab('outstanding')})::int`,
      given: sql<number>`count(*) filter (where ${onTab('given')})::int`,
      late: sql<number>`count(*) filter (where ${onTab('outstanding')} and ${lt(adviceRequests.requestedDate, lateIfRequestedBefore)})::int`,
    })
    .from(adviceRequests)
    .where(addressedTo(laCode, userId, services));
  return { outstanding: Number(row?.outstanding ?? 0), given: Number(row?.given ?? 0), late: Number(row?.late ?? 0) };
}

/** One advice request of the LA with what the professional needs to know about it, or undefined. */
export async function adviceForProfessional(db: Db, laCode: string, adviceId: string) {
  const caseworker = sql<
    string | null
  >`(select ${users.displayName} from ${users} where ${users.id} = ${assessmentRequests.caseworkerId})`;
  const caseworkerEmail = sql<
    string | null
  >`(select ${users.email} from ${users} where ${users.id} = ${assessmentRequests.caseworkerId})`;
  const rows = await db
    .select({
      ...adviceColumns,
      laCode: adviceRequests.laCode,
      content: adviceRequests.content,
      documentId: adviceRequests.documentId,
      familyName: children.familyName,
      settingName: children.settingName,
      requestOpen: assessmentRequests.open,
      caseworkerName: caseworker,
      caseworkerEmail,
    })
    .from(adviceRequests)
    .innerJoin(
      assessmentRequests,
      and(eq(assessmentRequests.id, adviceRequests.requestId), eq(assessmentRequests.laCode, laCode)),
    )
    .innerJoin(children, and(eq(children.id, assessmentRequests.childId), eq(children.laCode, laCode)))
    .where(and(eq(adviceRequests.laCode, laCode), eq(adviceRequests.id, adviceId)))
    .limit(1);
  return rows[0];
}

/**
 * Saves the professional's advice as they write it, if the request is still at `version` and not yet given; returns
 * the new version, or undefined when someone else saved since (or it was given).
 */
export async function saveAdviceDraft(
  db: Db,
  laCode: string,
  adviceId: string,
  version: number,
  content: Record<string, unknown>,
): Promise<number | undefined> {
  return updateAtVersion(
    db,
    adviceRequests,
    and(eq(adviceRequests.laCode, laCode), eq(adviceRequests.id, adviceId), isNull(adviceRequests.receivedDate)),
    version,
    { content },
  );
}

/** The advice request locked for its submission (the request row is locked first, by the casework frame). */
export async function lockAdvice(db: Db, laCode: string, adviceId: string) {
  const rows = await db
    .select({
      id: adviceRequests.id,
      adviceType: adviceRequests.adviceType,
      providerUserId: adviceRequests.providerUserId,
      version: adviceRequests.version,
      content: adviceRequests.content,
    })
    .from(adviceRequests)
    .where(and(eq(adviceRequests.laCode, laCode), eq(adviceRequests.id, adviceId)))
    .for('update')
    .limit(1);
  return rows[0];
}

/** Records who gave the advice online and what (after markAdviceReceived). */
export async function markAdviceSubmitted(
  db: Db,
  laCode: string,
  adviceId: string,
  submission: { content: Record<string, unknown>; submittedBy: string; submittedAt: Date },
): Promise<void> {
  await db
    .update(adviceRequests)
    .set(submission)
    .where(and(eq(adviceRequests.laCode, laCode), eq(adviceRequests.id, adviceId)));
}

/** The advice given online on a request: each with its structured content (for the case page and the plan editor). */
export async function adviceGivenOnline(db: Db, laCode: string, requestId: string) {
  return db
    .select({
      id: adviceRequests.id,
      adviceType: adviceRequests.adviceType,
      provider: adviceRequests.provider,
      receivedDate: adviceRequests.receivedDate,
      content: adviceRequests.content,
      submittedBy: sql<
        string | null
      >`(select ${users.displayName} from ${users} where ${users.id} = ${adviceRequests.submittedBy})`,
    })
    .from(adviceRequests)
    .where(
      and(
        eq(adviceRequests.laCode, laCode),
        eq(adviceRequests.requestId, requestId),
        isNotNull(adviceRequests.submittedAt),
      ),
    )
    .orderBy(asc(adviceRequests.receivedDate), asc(adviceRequests.id));
}

/** The LA's advice givers, to address a request to one of them by name. */
export async function adviceGivers(db: Db, laCode: string) {
  return db
    .selectDistinct({ id: users.id, name: users.displayName, service: roleAssignments.adviceService })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(roleAssignments.laCode, laCode), eq(roleAssignments.role, 'advice_giver'), eq(users.disabled, false)))
    .orderBy(asc(users.displayName), asc(users.id));
}

const consultationColumns = {
  id: settingConsultations.id,
  requestId: settingConsultations.requestId,
  settingName: settingConsultations.settingName,
  settingUrn: settingConsultations.settingUrn,
  sentDate: settingConsultations.sentDate,
  respondedDate: settingConsultations.respondedDate,
  response: settingConsultations.response,
  responseNote: settingConsultations.responseNote,
  version: settingConsultations.version,
  childId: children.id,
  givenName: children.givenName,
  requestReference: assessmentRequests.reference,
};

/** The consultations sent to the settings with these URNs, in the LA, newest first. */
export async function consultationsForSettings(db: Db, laCode: string, urns: readonly string[]) {
  if (urns.length === 0) return [];
  return db
    .select(consultationColumns)
    .from(settingConsultations)
    .innerJoin(
      assessmentRequests,
      and(eq(assessmentRequests.id, settingConsultations.requestId), eq(assessmentRequests.laCode, laCode)),
    )
    .innerJoin(children, and(eq(children.id, assessmentRequests.childId), eq(children.laCode, laCode)))
    .where(and(eq(settingConsultations.laCode, laCode), inArray(settingConsultations.settingUrn, [...urns])))
    .orderBy(desc(settingConsultations.sentDate), asc(settingConsultations.id));
}

/** One consultation of the LA, with the child and the draft plan the setting was sent (when recorded). */
export async function consultationForSetting(db: Db, laCode: string, consultationId: string) {
  const rows = await db
    .select({
      ...consultationColumns,
      familyName: children.familyName,
      dateOfBirth: children.dateOfBirth,
      requestOpen: assessmentRequests.open,
      planVersionNo: planVersions.versionNo,
      planContent: planVersions.content,
      caseworkerName: sql<
        string | null
      >`(select ${users.displayName} from ${users} where ${users.id} = ${assessmentRequests.caseworkerId})`,
      caseworkerEmail: sql<
        string | null
      >`(select ${users.email} from ${users} where ${users.id} = ${assessmentRequests.caseworkerId})`,
    })
    .from(settingConsultations)
    .innerJoin(
      assessmentRequests,
      and(eq(assessmentRequests.id, settingConsultations.requestId), eq(assessmentRequests.laCode, laCode)),
    )
    .innerJoin(children, and(eq(children.id, assessmentRequests.childId), eq(children.laCode, laCode)))
    .leftJoin(
      planVersions,
      and(eq(planVersions.id, settingConsultations.planVersionId), eq(planVersions.laCode, laCode)),
    )
    .where(and(eq(settingConsultations.laCode, laCode), eq(settingConsultations.id, consultationId)))
    .limit(1);
  return rows[0];
}

/** The latest draft version of the request's plan (the draft a consulted setting is sent), or null. */
export async function latestDraftVersionId(db: Db, laCode: string, requestId: string): Promise<string | null> {
  const rows = await db
    .select({ id: planVersions.id })
    .from(planVersions)
    .innerJoin(plans, eq(plans.id, planVersions.planId))
    .where(
      and(
        eq(plans.laCode, laCode),
        eq(planVersions.laCode, laCode),
        eq(plans.requestId, requestId),
        eq(planVersions.kind, 'draft'),
      ),
    )
    .orderBy(desc(planVersions.versionNo))
    .limit(1);
  return rows[0]?.id ?? null;
}
