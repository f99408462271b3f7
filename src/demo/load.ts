/**
 * Loads a generated demo county into the database in one transaction: it is all there, or none of it is.
 */
import { fillMissingReviewDates } from '../data/repositories/reviews.js';
import { planCeasings, planMoves, planReassessments } from '../data/schema.js';
import { eq, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database, Db } from '../data/db.js';
import { readOfficers, writeOfficers } from '../data/repositories/sen2.js';
import { appendAudit } from '../data/repositories/audit.js';
import {
  adviceRequests,
  assessmentRequests,
  caseEvents,
  children,
  localAuthorities,
  phaseTransfers,
  planReviews,
  disagreements,
  planVersions,
  plans,
  roleAssignments,
  measureTargetHistory,
  measureTargets,
  settingConsultations,
  settings,
  users,
} from '../data/schema.js';
import { UserFacingError } from '../errors.js';
import { hashPassword } from '../services/passwords.js';
import { DEMO_LA, DEMO_PASSWORD, type DemoCounty } from './generate.js';
import { seedDemoImprovementPlan } from './improvementPlan.js';
import { seedDemoQuality } from './quality.js';

export class DemoAlreadyLoadedError extends UserFacingError {}

export interface LoadProgress {
  (done: number, total: number): void;
}

async function insertChunks<T extends Record<string, unknown>>(
  db: Db,
  table: PgTable,
  rows: T[],
  chunk: number,
  onRows: (n: number) => void,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    await db.insert(table).values(part);
    onRows(part.length);
  }
}

export async function isDemoLoaded(database: Database): Promise<boolean> {
  const rows = await database.db
    .select({ laCode: localAuthorities.laCode })
    .from(localAuthorities)
    .where(eq(localAuthorities.laCode, DEMO_LA.laCode));
  return rows.length > 0;
}

export async function loadDemoCounty(
  database: Database,
  county: DemoCounty,
  options: { seed: number; onProgress?: LoadProgress } = { seed: 0 },
): Promise<void> {
  if (await isDemoLoaded(database)) {
    throw new DemoAlreadyLoadedError(`the database already holds LA ${DEMO_LA.laCode} (${DEMO_LA.name})`);
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const total =
    county.users.length +
    county.roleAssignments.length +
    county.children.length +
    county.requests.length +
    county.advice.length +
    county.plans.length +
    county.planVersions.length +
    county.events.length +
    county.consultations.length +
    county.phaseTransfers.length +
    county.ceasings.length +
    county.reassessments.length +
    county.moves.length +
    county.reviews.length +
    county.disagreements.length;
  let done = 0;
  const progress = (n: number) => {
    done += n;
    options.onProgress?.(done, total);
  };
  options.onProgress?.(0, total);
  await database.db.transaction(async (tx) => {
    await tx.insert(localAuthorities).values({ laCode: DEMO_LA.laCode, name: DEMO_LA.name });
    const demoUsers = county.users.map((u) => ({
      ...u,
      passwordHash: u.passwordHash === 'DEMO' ? passwordHash : null,
    }));
    await insertChunks(tx, users, demoUsers, 500, progress);
    await insertChunks(tx, children, county.children, 2000, progress);
    await insertChunks(tx, roleAssignments, county.roleAssignments, 500, progress);
    await insertChunks(tx, assessmentRequests, county.requests, 2000, progress);
    await insertChunks(tx, adviceRequests, county.advice, 3000, progress);
    await insertChunks(tx, plans, county.plans, 3000, progress);
    await insertChunks(tx, planVersions, county.planVersions, 3000, progress);
    await insertChunks(tx, planCeasings, county.ceasings, 3000, progress);
    await insertChunks(tx, planMoves, county.moves, 3000, progress);
    await insertChunks(tx, settingConsultations, county.consultations, 3000, progress);
    await insertChunks(tx, planReviews, county.reviews, 3000, progress);
    await insertChunks(tx, planReassessments, county.reassessments, 3000, progress);
    await insertChunks(tx, disagreements, county.disagreements, 2000, progress);
    await insertChunks(tx, caseEvents, county.events, 4000, progress);
    await insertChunks(tx, phaseTransfers, county.phaseTransfers, 4000, progress);
    // Each active plan's review due date and next deadline, for the reviews list.
    await fillMissingReviewDates(tx, DEMO_LA.laCode);
    // The improvement plan's timeliness milestone, as Hertfordshire's priority action plan set it: 60% of new plans
    // within 20 weeks (excluding exceptions), set by the SEND manager.
    const manager = county.users.find((u) => u.email === 'manager@demo-county.example');
    const setAt = new Date(`${county.asOf}T09:00:00Z`);
    await tx.insert(measureTargets).values({
      laCode: DEMO_LA.laCode,
      measure: 'plans_within_20_weeks_excl',
      target: 60,
      setBy: manager?.id ?? null,
      setAt,
    });
    await tx.insert(measureTargetHistory).values({
      laCode: DEMO_LA.laCode,
      measure: 'plans_within_20_weeks_excl',
      at: setAt,
      changedBy: manager?.id ?? null,
      fromTarget: null,
      toTarget: 60,
      reason: 'The priority action plan’s first milestone for timeliness',
    });
    await seedDemoImprovementPlan(tx, county, options.seed);
    await seedDemoQuality(tx, county, options.seed);
    // The SEN2 header's designated officers: medical and clinical in post, the social care officer being recruited.
    await writeOfficers(
      tx,
      DEMO_LA.laCode,
      { dmo: 'Y', dco: 'Y', dsco: 'R' },
      (await readOfficers(tx, DEMO_LA.laCode)).version,
    );
    await tx
      .insert(settings)
      .values({ key: 'demo', value: { laCode: DEMO_LA.laCode, seed: options.seed, asOf: county.asOf } })
      .onConflictDoUpdate({
        target: settings.key,
        set: { value: { laCode: DEMO_LA.laCode, seed: options.seed, asOf: county.asOf } },
      });
    await appendAudit(tx, {
      userId: null,
      laCode: DEMO_LA.laCode,
      action: 'seed_demo',
      entityType: 'local_authority',
      entityId: DEMO_LA.laCode,
      detail: {
        seed: options.seed,
        asOf: county.asOf,
        children: county.children.length,
        requests: county.requests.length,
        plans: county.plans.length,
      },
    });
  });
  // Fresh statistics for the planner: PGlite has no autovacuum, and a bulk load leaves PostgreSQL's stale too.
  await database.db.execute(sql`analyze`);
}
