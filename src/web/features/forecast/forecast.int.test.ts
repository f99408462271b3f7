/**
 * The forecast page on the run's demo county (5% of full size, as of 28 November 2026; test/db.ts): the back-test
 * over 12 origins (issue 25) as a small table and one plain sentence, whose figures are what happened in the cases;
 * and the Monte Carlo error of the headline figures under the fan chart.
 */
import { visibleWords } from '../../../../test/pages.js';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { setUpIntegration } from '../../../../test/integration.js';
import { queryRows, type Database } from '../../../data/db.js';
import { loadMeasureCases } from '../../../data/repositories/measures.js';
import { DEMO_PASSWORD } from '../../../demo/generate.js';
import { addMonths } from '../../../domain/dates/months.js';
import { localDate, type LocalDate } from '../../../domain/dates/localDate.js';
import { openByAgeAt } from '../../../domain/forecast/backTest.js';
import { issuedBetween, type CaseHistory } from '../../../domain/forecast/calibrate.js';
import { historyOf, type StoredForecast } from '../../../services/forecasts.js';
import type { Services } from '../../../services/index.js';

let database: Database;
let services: Services;
let board: TestAgent;
let stored: StoredForecast;
let cases: CaseHistory[];

beforeAll(async () => {
  const set = await setUpIntegration({
    demo: true,
    services: { clock: { now: () => new Date('2026-11-28T09:00:00Z'), today: () => localDate('2026-11-28') } },
  });
  ({ database, services } = set);
  await services.forecasts.refresh('999');
  stored = (await services.forecasts.latest('999'))!;
  cases = (await loadMeasureCases(database.db, '999')).map(historyOf);
  board = await set.signIn('board@demo-county.example', DEMO_PASSWORD);
}, 240_000);
afterAll(async () => {
  await database.close();
});

/** A table's body rows as cell texts, the table found by its caption. */
function tableRows(html: string, caption: string): string[][] {
  const table = new RegExp(`<table[^>]*>\\s*<caption[^>]*>\\s*${caption}[\\s\\S]*?</table>`).exec(html)![0];
  const body = /<tbody[\s\S]*?<\/tbody>/.exec(table)![0];
  return [...body.matchAll(/<tr[\s\S]*?<\/tr>/g)].map((row) =>
    [...row[0].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => visibleWords(cell[1]!).trim()),
  );
}

describe('the back-test on the forecast page', () => {
  it('is worked out from the cases: what happened in each month-point is what the case records say', () => {
    const test = stored.backTest!;
    expect(test.origins).toHaveLength(12);
    expect(test.origins[0]).toBe('2025-11-01');
    for (const m of test.measures) {
      for (const p of m.points) {
        const start = `${p.month}-01` as LocalDate;
        const end = addMonths(start, 1);
        const { issued, within } = issuedBetween(cases, start, end);
        const actual =
          m.id === 'issued'
            ? issued
            : m.id === 'share'
              ? within / issued
              : openByAgeAt(cases, end, test.ageBands)[m.band!];
        expect(p.actual).toBe(actual);
      }
    }
    expect(test.measures.find((m) => m.id === 'issued')!.points).toHaveLength(57);
  });

  it('shows each measure’s months inside the 80% range and mean errors, and says in one line whether it meets the goal', async () => {
    const page = (await board.get('/forecast').expect(200)).text;
    const rows = tableRows(page, 'Back-test over 12 starting months');
    const test = stored.backTest!;
    const names = [
      'Plans issued in the month',
      'Plans issued within 20 weeks (share)',
      'Requests open under 6 weeks at the month’s end',
      'Requests open 6 to 20 weeks at the month’s end',
      'Requests open 20 to 52 weeks at the month’s end',
      'Requests open 52 weeks or more at the month’s end',
    ];
    expect(rows.map((r) => r[0])).toEqual(names);
    const sentence = visibleWords(/<p class="govuk-body" id="back-test-summary">([\s\S]*?)<\/p>/.exec(page)![1]!);
    test.measures.forEach((m, i) => {
      const n = m.points.length;
      const inside = m.points.filter((p) => p.inside).length;
      const percent = Math.round((100 * inside) / n);
      const unit = m.id === 'share' ? 100 : 1;
      const error = (e: number) => `${(Math.round(e * unit * 10) / 10).toFixed(1).replace(/\.0$/, '')}`;
      const mean = (f: (p: (typeof m.points)[number]) => number) => m.points.reduce((s, p) => s + f(p), 0) / n;
      const forecastError = mean((p) => Math.abs(p.forecast.p50! - p.actual));
      const naiveError = mean((p) => Math.abs(p.naive - p.actual));
      const unitText = (text: string) =>
        m.id !== 'share' ? '' : text === '1' ? ' percentage point' : ' percentage points';
      const insideRaw = m.points.filter((p) => p.insideRaw).length;
      expect(rows[i]![1]).toBe(`${inside} of ${n} (${percent}%)`);
      expect(rows[i]![2]).toBe(`${error(forecastError)}${unitText(error(forecastError))}`);
      expect(rows[i]![3]).toBe(`${error(naiveError)}${unitText(error(naiveError))}`);
      // And the months inside the simulation's own range, before the correction by the method's past errors.
      expect(rows[i]![4]).toBe(`${insideRaw} of ${n} (${Math.round((100 * insideRaw) / n)}%)`);
    });
    // The sentence: how many measures meet the goal (70% to 90% of months inside), and which; how many beat the naive.
    const within = test.measures.filter((m) => {
      const share = m.points.filter((p) => p.inside).length / m.points.length;
      return share >= 0.7 && share <= 0.9;
    }).length;
    expect(sentence).toMatch(
      within === 6
        ? /^For all 6 measures, the forecast’s 80% range held what happened in 70% to 90% of months/
        : within === 0
          ? /^The forecast’s 80% range did not hold what happened in 70% to 90% of months, as it should, for any of the 6/
          : new RegExp(
              `^The forecast’s 80% range held what happened in 70% to 90% of months, as it should, for ${within} of 6 measures \\(`,
            ),
    );
    expect(sentence).toContain('than the average of the 3 months before');
    // The month-by-month detail: a row for each of the 57 month-points of plans issued.
    expect(tableRows(page, 'Forecast range \\(10th to 90th percentile\\) and what happened')).toHaveLength(57);
  });

  it('states the Monte Carlo error of the headline figures under the fan chart', async () => {
    const page = visibleWords((await board.get('/forecast').expect(200)).text);
    const mc = stored.monteCarlo!;
    expect(mc.issued.replications).toBe(200);
    expect(mc.months).toBe(23);
    expect(page).toMatch(
      /With 200 futures, the 10th and 90th percentiles of the plans issued over the next 23 months are within ±[\d.,]+ plans of where many more futures would put them \(one Monte Carlo standard error\)/,
    );
  });
});

describe('the annual reviews on the forecast page (issue 28)', () => {
  it('states the reviews concluded a month, those overdue, and their share of caseworkers’ time, from the register', async () => {
    const page = visibleWords((await board.get('/forecast').expect(200)).text);
    const one = async (query: string) => (await queryRows<{ n: number }>(database.db, sql.raw(query)))[0]!.n;
    const overdue = await one(
      `select count(*)::int as n from plans where la_code = '999' and status = 'active' and review_due_date < '2026-11-28'`,
    );
    const concluded = await one(
      `select count(*)::int as n from plan_reviews where la_code = '999' and decision_date > '2025-11-28' and decision_date <= '2026-11-28'`,
    );
    expect(overdue).toBeGreaterThan(0);
    expect(concluded).toBeGreaterThan(0);
    // A month's reviews: the last 12 months' a week (over 365.25 / 7 weeks a year) times weeks a year over 12.
    const perMonth = Math.round(concluded / 12);
    expect(page).toContain(
      `In the last 12 months about ${perMonth.toLocaleString('en-GB')} annual reviews a month were concluded, and ${overdue.toLocaleString('en-GB')} are overdue today. Reviews take about`,
    );
    expect(page).toMatch(
      /Reviews take about [\d.]+% of caseworkers’ time; the rest goes to requests\. The forecast above assumes the reviews go on as they have\./,
    );
  });
});

describe('the stages the forecast was calibrated with', () => {
  it('says of a stage with servers but no queue that its capacity was never reached, not that it has no limit', async () => {
    const page = (await board.get('/forecast').expect(200)).text;
    const rows = tableRows(page, 'Time each stage took');
    const stages = stored.calibration.stages;
    expect(rows).toHaveLength(stages.length);
    stages.forEach((s, i) => {
      const cell = rows[i]![4]!;
      if (s.capacityPerWeek !== null && s.capacityPerWeek !== undefined)
        expect(cell).toMatch(/ a week \(\d+ in hand at once\)$/);
      else if (s.servers !== null && s.servers !== undefined)
        expect(cell).toBe(
          `Never reached in the last 6 months (no queue): modelled as up to ${s.servers} in hand at once`,
        );
      else expect(cell).toBe('No limit modelled (a delay)');
    });
    // The decision whether to assess is a delay; the advice and the drafting are queues (calibrate.ts QUEUED_STAGES).
    expect(stages.map((s) => s.servers === null)).toEqual([true, false, false, true]);
  });
});
