import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/db.js';
import { setUpIntegration } from '../../test/integration.js';
import { queryRows, type Database } from '../data/db.js';
import { localDate } from '../domain/dates/localDate.js';
import { createServices } from '../services/index.js';
import type { RequestContext } from '../services/cases.js';
import { wholeLaSeries } from '../services/measures.js';
import { generateDemoCounty } from './generate.js';
import { DemoAlreadyLoadedError, loadDemoCounty } from './load.js';

let database: Database;
const county = generateDemoCounty({ asOf: localDate('2026-11-28'), scale: 0.03 });

beforeAll(async () => {
  ({ database } = await setUpIntegration({ app: false, fixture: false }));
  await loadDemoCounty(database, county, { seed: 1 });
});
afterAll(async () => {
  await database.close();
});

async function count(table: string): Promise<number> {
  const rows = await queryRows<{ n: number }>(database.db, sql.raw(`select count(*)::int as n from ${table}`));
  return rows[0]!.n;
}

describe('loading the demo county', () => {
  it('stores every generated row', async () => {
    expect(await count('children')).toBe(county.children.length);
    expect(await count('assessment_requests')).toBe(county.requests.length);
    expect(await count('case_events')).toBe(county.events.length);
    expect(await count('plans')).toBe(county.plans.length);
    expect(county.phaseTransfers.length).toBeGreaterThan(0);
    expect(await count('phase_transfers')).toBe(county.phaseTransfers.length);
    expect(await count('plan_reviews')).toBe(county.reviews.length);
    expect(await count('plan_versions')).toBe(county.planVersions.length);
    expect(await count('plan_reassessments')).toBe(county.reassessments.length);
    expect(county.disagreements.length).toBeGreaterThan(0);
    expect(await count('disagreements')).toBe(county.disagreements.length);
    expect(county.moves.length).toBeGreaterThan(0);
    expect(await count('plan_moves')).toBe(county.moves.length);
  });

  it('gives the county’s mediations and appeals to the disagreements list and the tribunal-orders measure (issue 28)', async () => {
    const services = createServices(database, {
      clock: { now: () => new Date('2026-11-28T09:00:00Z'), today: () => localDate('2026-11-28') },
    });
    const manager = county.users.find((u) => u.email === 'manager@demo-county.example')!;
    const ctx: RequestContext = {
      actor: { userId: manager.id, laCode: '999', roles: ['manager'], childIds: [] },
      ip: '127.0.0.1',
      requestId: 'demo-load-test',
    };
    const list = await services.disagreements.list(ctx, { page: 1 });
    expect(list.total).toBe(county.disagreements.filter((d) => d.status === 'open').length);
    expect(list.total).toBeGreaterThan(0);
    await services.measures.refresh();
    const orders = (await wholeLaSeries(database.db, '999', ['tribunal_orders_on_time'], false)).get(
      'tribunal_orders_on_time',
    )!;
    // Steps fell due in the last five years' months, and some were late.
    const judged = orders.filter((m) => (m.n ?? 0) > 0);
    expect(judged.length).toBeGreaterThan(12);
    expect(judged.some((m) => m.value! < 100)).toBe(true);
  });

  it('gives the moves list the county’s open moves between councils, by next deadline (issue 28)', async () => {
    const services = createServices(database, {
      clock: { now: () => new Date('2026-11-28T09:00:00Z'), today: () => localDate('2026-11-28') },
    });
    const ctx = {
      actor: { userId: county.users[0]!.id, laCode: '999', roles: ['manager' as const], childIds: [] },
      ip: '127.0.0.1',
      requestId: 'demo-moves',
    };
    const listed = await services.moves.list(ctx, 1);
    const open = county.moves.filter((m) => m.status === 'open');
    expect(listed.total).toBe(open.length);
    const dues = listed.items.map((i) => i.nextDue!);
    expect(dues).toEqual([...dues].sort());
  });

  it('gives the county’s reviews to the reviews list and the review measures (issue 28)', async () => {
    const services = createServices(database, {
      clock: { now: () => new Date('2026-11-28T09:00:00Z'), today: () => localDate('2026-11-28') },
    });
    await services.measures.refresh();
    const reviews = (await wholeLaSeries(database.db, '999', ['reviews_within_12_months'], false)).get(
      'reviews_within_12_months',
    )!;
    // Each of the last 12 months has reviews due, and many were late (the demo's shape: about half on time).
    const lastYear = reviews.slice(-12);
    expect(lastYear.every((m) => (m.n ?? 0) > 0)).toBe(true);
    const meanShare = lastYear.reduce((s, m) => s + m.value!, 0) / lastYear.length;
    expect(meanShare).toBeGreaterThan(30);
    expect(meanShare).toBeLessThan(75);
    // The plans' review dates were written by the generator, as the review service writes them: none left to fill.
    expect(await services.reviews.fillMissing('999')).toBe(0);
    const open = await queryRows<{ n: number }>(
      database.db,
      sql.raw(`select count(*)::int as n from plan_reviews r join plans p on p.id = r.plan_id
               where r.status = 'open' and p.status = 'active' and p.review_next_due is not null`),
    );
    expect(open[0]!.n).toBe(county.reviews.filter((r) => r.status === 'open').length);
  });

  it('gives the county a published improvement plan whose measurable commitments start from its own figures', async () => {
    const services = createServices(database, {
      clock: { now: () => new Date('2026-11-28T09:00:00Z'), today: () => localDate('2026-11-28') },
    });
    await services.measures.refresh();
    const plan = await services.plan.publicPlan('999');
    const published = plan.groups.flatMap((g) => g.commitments);
    // Drafts (the vague ones) are not published; the measurable ones all are.
    expect(published.map((c) => c.row.status)).toEqual(published.map(() => 'measurable'));
    expect(await count('commitments')).toBeGreaterThan(published.length);
    const timeliness = published.find((c) => c.row.measureId === 'plans_within_20_weeks_excl')!;
    const baselineMonth = timeliness.assurance!.months.indexOf(timeliness.row.baselinePeriod!);
    const whole = (await wholeLaSeries(database.db, '999', ['plans_within_20_weeks_excl'], false)).get(
      'plans_within_20_weeks_excl',
    )!;
    expect(whole.find((p) => p.month === timeliness.row.baselinePeriod)!.value).toBeCloseTo(
      timeliness.row.baselineValue!,
      1,
    );
    // Published, the month (and so the baseline) is shown unless the disclosure rule hides it.
    const shown = timeliness.assurance!.values[baselineMonth];
    if (timeliness.baselineHidden) expect(shown).toBeNull();
    else expect(shown).toBeCloseTo(timeliness.row.baselineValue!, 1);
    // One target's change is on the public record, with its reason.
    expect(published.some((c) => c.history.some((h) => h.changes.some((ch) => ch.from !== null)))).toBe(true);
  });

  it('gives the county six months of plan audits, getting better, with moderation and corrections', async () => {
    const months = await queryRows<{ month: string; done: number; good: number; open: number }>(
      database.db,
      sql.raw(`select sample_month as month,
                 count(*) filter (where status = 'completed')::int as done,
                 count(*) filter (where grade in ('good', 'outstanding'))::int as good,
                 count(*) filter (where status <> 'completed')::int as open
               from qa_audits where kind = 'first' group by sample_month order by sample_month`),
    );
    expect(months.map((m) => m.month)).toEqual(['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
    // Last month's sample is partly done: the auditor signing in has audits to do.
    expect(months.at(-1)!.open).toBeGreaterThan(0);
    const share = (m: { done: number; good: number }) => m.good / m.done;
    expect(share(months.at(-2)!)).toBeGreaterThan(share(months[0]!));
    expect(await count(`qa_audits where kind = 'moderation'`)).toBeGreaterThan(0);
    expect(await count(`qa_findings where status = 'open'`)).toBeGreaterThan(0);
  });

  it('refuses to load twice and changes nothing when it does', async () => {
    const before = await count('children');
    await expect(loadDemoCounty(database, county, { seed: 1 })).rejects.toBeInstanceOf(DemoAlreadyLoadedError);
    expect(await count('children')).toBe(before);
  });

  it('creates demo accounts that can sign in with the documented password', async () => {
    const services = createServices(database);
    const result = await services.auth.signIn('caseworker@demo-county.example', 'demo-county-2026', '127.0.0.1');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.user.roles).toEqual(['caseworker']);
    const parent = await services.auth.signIn('parent@demo-county.example', 'demo-county-2026', '127.0.0.1');
    expect(parent.ok && parent.user.childIds.length).toBe(1);
  });

  it('leaves nothing behind when loading fails part way', async () => {
    const other = await openTestDb();
    try {
      const broken = generateDemoCounty({ asOf: localDate('2026-11-28'), scale: 0.03 });
      // An event pointing at a child that does not exist breaks a foreign key near the end of the load.
      broken.events.push({ ...broken.events[0]!, childId: '00000000-0000-4000-8000-000000000000' });
      await expect(loadDemoCounty(other, broken, { seed: 1 })).rejects.toThrow();
      const rows = await queryRows(
        other.db,
        sql`select (select count(*) from children)::int as c, (select count(*) from local_authorities)::int as l`,
      );
      expect(rows).toEqual([{ c: 0, l: 0 }]);
    } finally {
      await other.close();
    }
  });
});
