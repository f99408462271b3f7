/**
 * The service's scheduled work as it starts: the schedules are in pg-boss after start (retention only when the
 * council has set RETENTION_SCHEDULE), the measures job is followed by the forecasts job, and the nightly retention
 * job deletes the cases due, each with its audit record, as `openehcp retention run` does. PGlite and PostgreSQL.
 */
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpIntegration } from '../../test/integration.js';
import type { Database } from '../data/db.js';
import { assessmentRequests, auditLog, children, forecasts, measureRefreshes } from '../data/schema.js';
import { DEFAULT_RETENTION_SCHEDULE } from '../domain/retention/schedule.js';
import { createServices } from '../services/index.js';
import { SCHEDULES, startJobs } from './index.js';
import { MEASURES_JOB } from './measures.js';
import { RETENTION_JOB } from './retention.js';

let database: Database;
const logger = pino({ level: 'silent' });
const fast = { pollingIntervalSeconds: 0.5, superviseIntervalSeconds: 1, cronMonitorIntervalSeconds: 1 };

beforeAll(async () => {
  ({ database } = await setUpIntegration({ app: false }));
});
afterAll(async () => {
  await database.close();
});

async function until(check: () => Promise<boolean>, ms = 60_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the scheduled jobs', () => {
  it('are scheduled at start, retention only when the council has set a schedule', async () => {
    const services = createServices(database);
    const base = { logger, schedules: true, processes: 1, runAtStart: false, runner: fast };
    const without = await startJobs(database, services, { ...base, retention: null });
    try {
      expect((await without.runner.schedules()).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        { name: 'advice-chasers', cron: '0 * * * *', timezone: 'Europe/London' },
        { name: 'measures-refresh', cron: '10 * * * *', timezone: 'Europe/London' },
        { name: 'message-retries', cron: '*/5 * * * *', timezone: 'Europe/London' },
        { name: 'sessions-prune', cron: '*/15 * * * *', timezone: 'Europe/London' },
      ]);
    } finally {
      await without.stop();
    }
    const withRetention = await startJobs(database, services, { ...base, retention: DEFAULT_RETENTION_SCHEDULE });
    try {
      expect(await withRetention.runner.schedules()).toContainEqual({
        name: RETENTION_JOB,
        cron: SCHEDULES[RETENTION_JOB],
        timezone: 'Europe/London',
      });
    } finally {
      await withRetention.stop();
    }
    // Set again without: the nightly deletion stops.
    const again = await startJobs(database, services, { ...base, retention: null });
    try {
      expect((await again.runner.schedules()).map((s) => s.name)).not.toContain(RETENTION_JOB);
    } finally {
      await again.stop();
    }
  });

  it('works out the measures, then the forecasts', async () => {
    const services = createServices(database);
    const jobs = await startJobs(database, services, {
      logger,
      schedules: false,
      processes: 1,
      retention: null,
      runner: fast,
    });
    try {
      const id = (await jobs.runner.send(MEASURES_JOB))!;
      await until(async () => (await jobs.runner.state(MEASURES_JOB, id))?.state === 'completed');
      expect(await database.db.select().from(measureRefreshes).where(eq(measureRefreshes.laCode, '999'))).toHaveLength(
        1,
      );
      await until(
        async () => (await database.db.select().from(forecasts).where(eq(forecasts.laCode, '999'))).length > 0,
      );
    } finally {
      await jobs.stop(30_000);
    }
  }, 120_000);

  it('applies the retention schedule as the command does: the case due deleted and audited by reference', async () => {
    const { db } = database;
    // Born 1980, request withdrawn in 2005: 25 years from birth passed in 2005 (docs/retention.md). Due.
    const [child] = await db
      .insert(children)
      .values({
        laCode: '999',
        reference: 'C-old',
        givenName: 'Olive',
        familyName: 'Oldcase',
        dateOfBirth: '1980-01-01',
        postcode: 'ZZ9 9ZZ',
      })
      .returning({ id: children.id });
    await db.insert(assessmentRequests).values({
      laCode: '999',
      childId: child!.id,
      reference: 'R-old',
      receivedDate: '2004-01-05',
      stage: 'withdrawn',
      open: false,
      closedDate: '2005-03-01',
      contactName: 'Parent of Olive',
    });
    const services = createServices(database);
    const jobs = await startJobs(database, services, {
      logger,
      schedules: false,
      processes: 1,
      retention: DEFAULT_RETENTION_SCHEDULE,
      runner: fast,
    });
    try {
      const id = (await jobs.runner.send(RETENTION_JOB))!;
      await until(async () => (await jobs.runner.state(RETENTION_JOB, id))?.state === 'completed');
    } finally {
      await jobs.stop();
    }
    expect(await db.select().from(children).where(eq(children.id, child!.id))).toEqual([]);
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'retention_delete'), eq(auditLog.entityId, child!.id)));
    expect(audit).toMatchObject({ userId: null, laCode: '999', entityType: 'child' });
    expect(audit!.detail).toMatchObject({ reference: 'C-old', kind: 'case_without_plan' });
    expect(JSON.stringify(audit!.detail)).not.toMatch(/Olive|Oldcase|1980/);
  });
});
