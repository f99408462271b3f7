/**
 * The disclosure rule (src/domain/disclosure/suppress.ts) against an adversary (test/adversary.ts) who takes
 * everything the demo county publishes (its open-data CSV, fetched through the app, which holds every figure of the
 * public pages) and does the arithmetic: no hidden count of children may come back, and no count of 1 to 4 may be
 * published. The demo county here is at scale 0.05 (about 850 requests over 5 years), so most breakdown cells are
 * small: the hard case. The public page, the chart tables and the public plan must show the same figures as the CSV.
 */
import { pageText } from '../../../../test/pages.js';
import { parse } from 'csv-parse/sync';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { testApp } from '../../../../test/app.js';
import { signedIn } from '../../../../test/app.js';
import { attack } from '../../../../test/adversary.js';
import { setUpIntegration } from '../../../../test/integration.js';
import type { Database } from '../../../data/db.js';
import { readAllMeasureValues } from '../../../data/repositories/measures.js';
import { localDate } from '../../../domain/dates/localDate.js';
import { MEASURES } from '../../../domain/measures/monthly.js';
import { DEMO_PASSWORD } from '../../../demo/generate.js';
import type { Services } from '../../../services/index.js';

let database: Database;
let app: ReturnType<typeof testApp>['app'];
let services: Services;
let header: string[];
let rows: string[][];

beforeAll(async () => {
  // The run's demo county (5% of full size, as of 28 November 2026), loaded once into a template (test/db.ts).
  ({ database, app, services } = await setUpIntegration({
    demo: true,
    services: { clock: { now: () => new Date('2026-11-28T09:00:00Z'), today: () => localDate('2026-11-28') } },
  }));
  await services.measures.refresh('999');
  const csv = await supertest(app).get('/performance/999/data.csv').expect(200);
  const table: string[][] = parse(csv.text);
  const [first, ...rest] = table;
  header = first!;
  rows = rest;
}, 240_000);
afterAll(async () => {
  await database.close();
});

describe('the disclosure rule against an adversary, on the demo county', () => {
  it('lets no hidden count be worked out, and publishes no count of 1 to 4', async () => {
    const truth = await readAllMeasureValues(database.db, '999');
    const result = attack(rows, header, truth, { hiddenAtLeast: 1 });
    // The test is not empty: many figures are hidden and many published.
    expect(result.hidden).toBeGreaterThan(100);
    expect(result.published).toBeGreaterThan(1000);
    expect(result.smallPublished).toEqual([]);
    expect(result.recovered).toEqual([]);
  });

  it('shows on the public page and its chart tables the same figures as the CSV, hidden months as gaps', async () => {
    const page = await services.measures.publicPage('999');
    const html = (await supertest(app).get('/performance/999').expect(200)).text;
    const col = (name: string) => header.indexOf(name);
    let hiddenMonths = 0;
    for (const m of page.measures) {
      const csvAll = rows.filter((r) => r[col('measure')] === m.definition.id && r[col('breakdown')] === 'all');
      const byMonth = new Map(csvAll.map((r) => [r[col('month')], r]));
      m.points.forEach((p) => {
        const r = byMonth.get(p.month)!;
        const value = r[col('value')]!;
        if (value === 'c') {
          hiddenMonths++;
          expect(p.value, `${m.definition.id} ${p.month}`).toBeNull();
        } else if (value !== 'z') {
          // The CSV gives the figure rounded to 2 places: 53.125 is 53.13, exactly 0.005 away.
          expect(Math.abs(p.value! - Number(value))).toBeLessThanOrEqual(0.005 + 1e-9);
        }
        const n = r[col('denominator')]!;
        if (m.definition.kind !== 'count') expect(p.denominator).toEqual(n === 'c' || n === 'z' ? null : Number(n));
      });
      // The chart's table marks each hidden month "c".
      const table = html.slice(html.indexOf(`id="figures-${m.definition.id}"`));
      const tableEnd = table.indexOf('</table>');
      const marks = table.slice(0, tableEnd).match(/<td[^>]*>c<sup>\*<\/sup><\/td>/g)?.length ?? 0;
      const hiddenHere = csvAll.filter((r) => r[col('value')] === 'c').length;
      const nHiddenHere = csvAll.filter((r) => r[col('denominator')] === 'c').length;
      expect(marks).toBe(hiddenHere + (m.definition.kind === 'count' ? 0 : nHiddenHere));
      // "Latest" is the last month shown; when the last month is hidden the page says so beside it.
      const lastHidden = byMonth.get(m.points.at(-1)!.month)?.[col('value')] === 'c';
      const section = pageText(
        html.slice(html.indexOf(`id="${m.definition.id}"`), html.indexOf(`id="figures-${m.definition.id}"`)),
      );
      expect(section.includes('hidden to protect children’s privacy'), m.definition.id).toBe(lastHidden);
    }
    expect(hiddenMonths).toBeGreaterThan(0);
  });

  it('hides on the public plan what the CSV hides, baselines included', async () => {
    const plan = await services.plan.publicPlan('999');
    const col = (name: string) => header.indexOf(name);
    const hidden = new Set(
      rows
        .filter((r) => r[col('breakdown')] === 'all' && r[col('value')] === 'c')
        .map((r) => `${r[col('measure')]}|${r[col('month')]}`),
    );
    let live = 0;
    for (const c of plan.groups.flatMap((g) => g.commitments)) {
      if (!c.row.measureId || !c.assurance) continue;
      live++;
      c.assurance.months.forEach((month, i) => {
        if (hidden.has(`${c.row.measureId}|${month}`)) expect(c.assurance!.values[i]).toBeNull();
      });
      expect(c.baselineHidden).toBe(hidden.has(`${c.row.measureId}|${c.row.baselinePeriod}`));
    }
    expect(live).toBeGreaterThan(0);
    await supertest(app).get('/performance/999/plan').expect(200);
  });

  it("leaves the managers' figures whole (they are audited, not published)", async () => {
    const agent = await signedIn(app, 'manager@demo-county.example', DEMO_PASSWORD);
    const plans = MEASURES.find((m) => m.id === 'plans_issued')!;
    const res = await agent.get(`/measures/${plans.id}`).expect(200);
    expect(res.text).not.toContain('c<sup>*</sup>');
    const col = (name: string) => header.indexOf(name);
    expect(
      rows.some((r) => r[col('measure')] === plans.id && r[col('breakdown')] === 'all' && r[col('value')] === 'c'),
    ).toBe(true);
  });
});
