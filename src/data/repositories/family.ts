/**
 * A family's part in their child's request: how the signed-in person is related to the child (a parent or the young
 * person), the caseworker's contact, the family's views (family_contributions, kind 'views'), the documents they sent,
 * and their choice of text messages. Every query is scoped by the LA.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { assessmentRequests, caseEvents, documents, familyContributions, roleAssignments, users } from '../schema.js';
import { updateAtVersion } from './versioned.js';

/** The signed-in person's relationship to the child ('parent' or 'young_person'), from their role assignment. */
export async function familyRelationship(
  db: Db,
  laCode: string,
  userId: string,
  childId: string,
): Promise<string | null> {
  const rows = await db
    .select({ relationship: roleAssignments.relationship })
    .from(roleAssignments)
    .where(
      and(
        eq(roleAssignments.laCode, laCode),
        eq(roleAssignments.userId, userId),
        eq(roleAssignments.childId, childId),
        eq(roleAssignments.role, 'parent'),
      ),
    )
    .limit(1);
  return rows[0]?.relationship ?? null;
}

/** The request's caseworker's name and email, or undefined when none is given. */
export async function caseworkerContact(db: Db, laCode: string, requestId: string) {
  const rows = await db
    .select({ name: users.displayName, email: users.email })
    .from(assessmentRequests)
    .innerJoin(users, eq(users.id, assessmentRequests.caseworkerId))
    .where(and(eq(assessmentRequests.laCode, laCode), eq(assessmentRequests.id, requestId)))
    .limit(1);
  return rows[0];
}

export interface ContributionRow {
  id: string;
  content: unknown;
  version: number;
  updatedAt: Date;
  updatedByName: string | null;
}

/** The family's contribution of one kind on a request (their views), or undefined when they have given none. */
export async function getContribution(
  db: Db,
  laCode: string,
  requestId: string,
  kind: 'views' | 'draft_response',
): Promise<ContributionRow | undefined> {
  const rows = await db
    .select({
      id: familyContributions.id,
      content: familyContributions.content,
      version: familyContributions.version,
      updatedAt: familyContributions.updatedAt,
      updatedByName: users.displayName,
    })
    .from(familyContributions)
    .leftJoin(users, eq(users.id, familyContributions.updatedBy))
    .where(
      and(
        eq(familyContributions.laCode, laCode),
        eq(familyContributions.requestId, requestId),
        eq(familyContributions.kind, kind),
      ),
    )
    .orderBy(asc(familyContributions.createdAt))
    .limit(1);
  return rows[0];
}

export async function insertContribution(
  db: Db,
  row: {
    laCode: string;
    childId: string;
    requestId: string;
    kind: 'views';
    content: unknown;
    updatedBy: string;
    updatedAt: Date;
  },
): Promise<void> {
  await db.insert(familyContributions).values(row);
}

/** Saves new content over version `version`; false when someone saved since (the row's version moved on). */
export async function updateContribution(
  db: Db,
  laCode: string,
  id: string,
  version: number,
  content: unknown,
  updatedBy: string,
  updatedAt: Date,
): Promise<boolean> {
  const saved = await updateAtVersion(
    db,
    familyContributions,
    and(eq(familyContributions.laCode, laCode), eq(familyContributions.id, id)),
    version,
    { content, updatedBy, updatedAt },
  );
  return saved !== undefined;
}

/** A timeline event of the family's own (their views, a document): not a caseworker's step, so no request version. */
export async function insertFamilyEvent(
  db: Db,
  e: {
    laCode: string;
    childId: string;
    requestId: string;
    actorId: string;
    type: string;
    occurredOn: string;
    data: Record<string, unknown>;
  },
): Promise<void> {
  await db.insert(caseEvents).values({ ...e, requestVersion: null, submissionKey: null });
}

/** The documents the family gave on a request, newest first (without their content). */
export async function listFamilyDocuments(db: Db, laCode: string, requestId: string) {
  return db
    .select({
      id: documents.id,
      filename: documents.filename,
      mediaType: documents.mediaType,
      sizeBytes: documents.sizeBytes,
      uploadedBy: documents.uploadedBy,
      uploadedByName: users.displayName,
      createdAt: documents.createdAt,
    })
    .from(documents)
    .leftJoin(users, eq(users.id, documents.uploadedBy))
    .where(and(eq(documents.laCode, laCode), eq(documents.requestId, requestId), eq(documents.source, 'family')))
    .orderBy(desc(documents.createdAt), desc(documents.id));
}

/** A person's mobile number and whether they want text messages. */
export async function getContactChoice(db: Db, userId: string) {
  const rows = await db
    .select({ email: users.email, phone: users.phone, smsOptIn: users.smsOptIn })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return rows[0];
}

export async function setContactChoice(db: Db, userId: string, choice: { phone: string | null; smsOptIn: boolean }) {
  await db.update(users).set(choice).where(eq(users.id, userId));
}

/** The family members linked to a child in the LA, with how to reach them (for messages at each step). */
export async function familyRecipients(db: Db, laCode: string, childId: string) {
  return db
    .select({
      userId: users.id,
      email: users.email,
      phone: users.phone,
      smsOptIn: users.smsOptIn,
      relationship: roleAssignments.relationship,
    })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(
      and(
        eq(roleAssignments.laCode, laCode),
        eq(roleAssignments.childId, childId),
        eq(roleAssignments.role, 'parent'),
        eq(users.disabled, false),
      ),
    );
}

/**
 * The family accounts linked to a request's child (not disabled), with their name and how to reach them, and the day
 * each last sent a response to a draft online (null when they have not): for the staff case page's "Who to contact".
 */
export async function familyAccountsForRequest(db: Db, laCode: string, requestId: string) {
  const rows = await db
    .select({
      userId: users.id,
      name: users.displayName,
      email: users.email,
      phone: users.phone,
      smsOptIn: users.smsOptIn,
      relationship: roleAssignments.relationship,
      sentOn: sql<string | null>`(
        select max(${caseEvents.occurredOn})::text from ${caseEvents}
        where ${caseEvents.laCode} = ${laCode} and ${caseEvents.requestId} = ${requestId}
          and ${caseEvents.type} = 'family_representations' and ${caseEvents.actorId} = ${users.id}
          and ${caseEvents.data}->>'source' = 'family_online')`,
    })
    .from(assessmentRequests)
    .innerJoin(
      roleAssignments,
      and(
        eq(roleAssignments.laCode, assessmentRequests.laCode),
        eq(roleAssignments.childId, assessmentRequests.childId),
        eq(roleAssignments.role, 'parent'),
      ),
    )
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(assessmentRequests.laCode, laCode), eq(assessmentRequests.id, requestId), eq(users.disabled, false)))
    .orderBy(asc(users.displayName), asc(users.id));
  return rows;
}
