/**
 * What the SEN2 return is made from, and what an import writes: children, their requests and plans, per LA. Every
 * call is scoped by LA.
 */
import { fillMissingReviewDates } from './reviews.js';
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { REQUEST_PROGRESS_COLUMNS, requestProgress } from './measures.js';
import {
  assessmentRequests,
  caseEvents,
  children,
  phaseTransfers,
  planMoves,
  planReviews,
  planVersions,
  plans,
  settings,
} from '../schema.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { Sen2ReviewFacts, Sen2TransferFacts } from '../../domain/sen2/activePlanReviews.js';
import type { Sen2Facts, Sen2SettingFacts } from '../../domain/sen2/fromCases.js';
import { childMatchKeys, type KnownChild } from '../../domain/sen2/importPlan.js';

const orNull = (v: string | null | undefined) => (v === undefined || v === null || v === '' ? null : v);

export async function loadSen2Facts(db: Db, laCode: string): Promise<Sen2Facts> {
  const [childRows, requestRows, planRows, sectionI, reviews, transfers] = await Promise.all([
    db
      .select({
        id: children.id,
        givenName: children.givenName,
        familyName: children.familyName,
        dateOfBirth: children.dateOfBirth,
        sex: children.sex,
        ethnicity: children.ethnicity,
        postcode: children.postcode,
        upn: children.upn,
        uln: children.uln,
        upnUnknown: children.upnUnknown,
        primaryNeed: children.primaryNeed,
        secondaryNeed: children.secondaryNeed,
        settingUrn: children.settingUrn,
        settingUkprn: children.settingUkprn,
        senSetting: children.senSetting,
        settingName: children.settingName,
      })
      .from(children)
      .where(eq(children.laCode, laCode)),
    db
      .select({
        ...REQUEST_PROGRESS_COLUMNS,
        childId: assessmentRequests.childId,
        requestSource: assessmentRequests.requestSource,
      })
      .from(assessmentRequests)
      .where(eq(assessmentRequests.laCode, laCode)),
    db
      .select({
        id: plans.id,
        childId: plans.childId,
        requestId: plans.requestId,
        firstIssuedDate: plans.firstIssuedDate,
        ceasedDate: plans.ceasedDate,
        ceasedReason: plans.ceasedReason,
        lastReviewDate: plans.lastReviewDate,
        // The new LA of a plan transferred out (SEN2 TransferLA).
        transferLa: planMoves.otherLaCode,
      })
      .from(plans)
      .leftJoin(
        planMoves,
        and(
          eq(planMoves.planId, plans.id),
          eq(planMoves.laCode, laCode),
          eq(planMoves.direction, 'out'),
          isNotNull(planMoves.transferDate),
        ),
      )
      .where(and(eq(plans.laCode, laCode), isNotNull(plans.firstIssuedDate))),
    // Section I of each plan's latest final version: the setting the plan names.
    db
      .selectDistinctOn([planVersions.planId], {
        planId: planVersions.planId,
        urn: sql<string | null>`${planVersions.content}->'I'->>'settingUrn'`,
        ukprn: sql<string | null>`${planVersions.content}->'I'->>'settingUkprn'`,
        senSetting: sql<string | null>`${planVersions.content}->'I'->>'senSetting'`,
      })
      .from(planVersions)
      .where(and(eq(planVersions.laCode, laCode), eq(planVersions.kind, 'final')))
      .orderBy(planVersions.planId, desc(planVersions.versionNo)),
    loadSen2Reviews(db, laCode),
    loadSen2Transfers(db, laCode),
  ]);
  const namedBy = new Map(sectionI.map((v) => [v.planId, v]));
  return {
    children: childRows.map((c) => ({
      id: c.id,
      givenName: c.givenName,
      familyName: c.familyName,
      dateOfBirth: c.dateOfBirth as LocalDate,
      sex: c.sex,
      ethnicity: c.ethnicity,
      postcode: c.postcode,
      upn: c.upn,
      uln: c.uln,
      upnUnknown: c.upnUnknown,
      primaryNeed: c.primaryNeed,
      secondaryNeed: c.secondaryNeed,
      setting: { urn: orNull(c.settingUrn), ukprn: orNull(c.settingUkprn), senSetting: orNull(c.senSetting) },
      settingName: c.settingName,
    })),
    requests: requestRows.map((r) => ({
      ...requestProgress(r),
      id: r.id,
      childId: r.childId,
      requestSource: r.requestSource,
      withdrawn: r.stage === 'withdrawn',
    })),
    plans: planRows.map((p) => {
      const i = namedBy.get(p.id);
      const named: Sen2SettingFacts = {
        urn: orNull(i?.urn),
        ukprn: orNull(i?.ukprn),
        senSetting: orNull(i?.senSetting),
      };
      return {
        id: p.id,
        childId: p.childId,
        requestId: p.requestId,
        firstIssuedDate: p.firstIssuedDate as LocalDate,
        ceasedDate: p.ceasedDate as LocalDate | null,
        ceasedReason: p.ceasedReason,
        lastReviewDate: p.lastReviewDate as LocalDate | null,
        transferLa: p.transferLa,
        named: named.urn || named.ukprn || named.senSetting ? named : null,
      };
    }),
    reviews,
    phaseTransfers: transfers,
  };
}

/** The plans' annual reviews with a meeting held (SEN2 items 5.4a-d report the latest of them). */
async function loadSen2Reviews(db: Db, laCode: string): Promise<Sen2ReviewFacts[]> {
  const rows = await db
    .select({
      planId: planReviews.planId,
      meetingHeldDate: planReviews.meetingHeldDate,
      decision: planReviews.decision,
      decisionDate: planReviews.decisionDate,
    })
    .from(planReviews)
    .where(and(eq(planReviews.laCode, laCode), isNotNull(planReviews.meetingHeldDate)));
  return rows.map((r) => ({
    planId: r.planId,
    meetingHeldDate: r.meetingHeldDate as LocalDate | null,
    decision: r.decision === 'maintain' || r.decision === 'amend' || r.decision === 'cease' ? r.decision : null,
    decisionDate: r.decisionDate as LocalDate | null,
  }));
}

/** The phase transfers recorded as finalised (SEN2 items 5.6a/b). */
async function loadSen2Transfers(db: Db, laCode: string): Promise<Sen2TransferFacts[]> {
  const rows = await db
    .select({
      planId: phaseTransfers.planId,
      transferYear: phaseTransfers.transferYear,
      deadline: phaseTransfers.deadline,
      finalisedDate: phaseTransfers.finalisedDate,
    })
    .from(phaseTransfers)
    .where(eq(phaseTransfers.laCode, laCode));
  return rows.map((t) => ({
    ...t,
    deadline: t.deadline as LocalDate,
    finalisedDate: t.finalisedDate as LocalDate,
  }));
}

/** Plans maintained on a day, counted straight from the plans register (to check the return against). */
export async function plansMaintainedOn(db: Db, laCode: string, day: LocalDate): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(plans)
    .where(
      and(
        eq(plans.laCode, laCode),
        sql`${plans.firstIssuedDate} <= ${day}`,
        sql`(${plans.ceasedDate} is null or ${plans.ceasedDate} > ${day})`,
      ),
    );
  return rows[0]?.n ?? 0;
}

export interface Sen2Officers {
  dmo: 'Y' | 'N' | 'R' | null;
  dco: 'Y' | 'N' | 'R' | null;
  dsco: 'Y' | 'N' | 'R' | null;
}

const officersKey = (laCode: string) => `sen2_officers:${laCode}`;

/** The designated officers with the version of what is saved (0: never saved), for optimistic concurrency. */
export async function readOfficers(db: Db, laCode: string): Promise<Sen2Officers & { version: number }> {
  const rows = await db
    .select()
    .from(settings)
    .where(eq(settings.key, officersKey(laCode)));
  const v = (rows[0]?.value ?? {}) as Partial<Sen2Officers> & { version?: number };
  return {
    dmo: v.dmo ?? null,
    dco: v.dco ?? null,
    dsco: v.dsco ?? null,
    version: rows.length === 0 ? 0 : (v.version ?? 1),
  };
}

/**
 * Saves the officers only if what is saved is still at `version` (0: nothing saved yet): a conditional UPDATE (or an
 * INSERT that does nothing if a row is there), so of two saves at once the second changes nothing. Returns whether
 * it saved.
 */
export async function writeOfficers(db: Db, laCode: string, officers: Sen2Officers, version: number): Promise<boolean> {
  const value = { dmo: officers.dmo, dco: officers.dco, dsco: officers.dsco, version: version + 1 };
  const rows =
    version === 0
      ? await db
          .insert(settings)
          .values({ key: officersKey(laCode), value })
          .onConflictDoNothing()
          .returning({ key: settings.key })
      : await db
          .update(settings)
          .set({ value, updatedAt: new Date() })
          .where(
            and(
              eq(settings.key, officersKey(laCode)),
              sql`coalesce((${settings.value} ->> 'version')::int, 1) = ${version}`,
            ),
          )
          .returning({ key: settings.key });
  return rows.length > 0;
}

/** What an import must not create twice: the LA's children by identifier, and their requests and plans by date. */
export interface ExistingRecords {
  childByKey: Map<string, KnownChild>;
  requestKeys: Set<string>;
  planKeys: Set<string>;
}

export async function existingRecords(db: Db, laCode: string): Promise<ExistingRecords> {
  // One after another: this runs inside the import's transaction, on one connection.
  const kids = await db
    .select({
      id: children.id,
      upn: children.upn,
      uln: children.uln,
      familyName: children.familyName,
      givenName: children.givenName,
      dateOfBirth: children.dateOfBirth,
    })
    .from(children)
    .where(eq(children.laCode, laCode));
  const requests = await db
    .select({ childId: assessmentRequests.childId, receivedDate: assessmentRequests.receivedDate })
    .from(assessmentRequests)
    .where(eq(assessmentRequests.laCode, laCode));
  const planRows = await db
    .select({ childId: plans.childId, firstIssuedDate: plans.firstIssuedDate })
    .from(plans)
    .where(eq(plans.laCode, laCode));
  const childByKey = new Map<string, KnownChild>();
  for (const c of kids) {
    const known = { id: c.id, upn: c.upn, uln: c.uln };
    for (const key of childMatchKeys(c)) if (!childByKey.has(key)) childByKey.set(key, known);
  }
  return {
    childByKey,
    requestKeys: new Set(requests.map((r) => `${r.childId}|${r.receivedDate}`)),
    planKeys: new Set(planRows.filter((p) => p.firstIssuedDate).map((p) => `${p.childId}|${p.firstIssuedDate}`)),
  };
}

export interface ImportRows {
  children: (typeof children.$inferInsert & { id: string })[];
  requests: (typeof assessmentRequests.$inferInsert & { id: string })[];
  plans: (typeof plans.$inferInsert & { id: string })[];
  planVersions: (typeof planVersions.$inferInsert)[];
  events: (typeof caseEvents.$inferInsert)[];
  /** The plans transferred out to another LA (TransferLA), as moves already done. */
  moves?: (typeof planMoves.$inferInsert)[];
}

/** Writes an import's rows in batches (within the caller's transaction), reporting rows written. */
export async function insertImportRows(
  db: Db,
  rows: ImportRows,
  onProgress: (written: number, total: number) => void,
): Promise<void> {
  const total =
    rows.children.length + rows.requests.length + rows.plans.length + rows.planVersions.length + rows.events.length;
  let written = 0;
  const batches = async <T extends Record<string, unknown>>(
    insert: (part: T[]) => Promise<unknown>,
    list: T[],
    size: number,
  ) => {
    for (let i = 0; i < list.length; i += size) {
      const part = list.slice(i, i + size);
      await insert(part);
      written += part.length;
      onProgress(written, total);
    }
  };
  await batches((p) => db.insert(children).values(p), rows.children, 1000);
  await batches((p) => db.insert(assessmentRequests).values(p), rows.requests, 1000);
  await batches((p) => db.insert(plans).values(p), rows.plans, 2000);
  await batches((p) => db.insert(planVersions).values(p), rows.planVersions, 2000);
  await batches((p) => db.insert(caseEvents).values(p), rows.events, 3000);
  await batches((p) => db.insert(planMoves).values(p), rows.moves ?? [], 2000);
  // The imported plans' review due dates and next deadlines, for the reviews list.
  await fillMissingReviewDates(db);
}
