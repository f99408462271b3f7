/**
 * The demo county (a tenth of its size) as its board and managers read it, part way through a month (6 December
 * 2026):
 * - the forecast's warning that clearing the backlog will first pull the 20-week measure down names months the page
 *   charts (the first period of the forecast is the rest of the current month, which the charts leave out; the warning
 *   pointed at it);
 * - the audited-plans commitment, on its trajectory while its process limits all lie below its target, says so in one
 *   status rather than "On track" beside "Fails the target consistently";
 * - the same commitment's figures, entered by hand, set beside the live measure of the same definition;
 * - decisions within 6 weeks, grouped as DfE groups them, by the year the request was received.
 */
import { visibleWords } from '../../test/pages.js';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom } from '../../test/app.js';
import { setUpIntegration } from '../../test/integration.js';
import type { Database } from '../data/db.js';
import { generateDemoCounty } from '../demo/generate.js';
import { loadDemoCounty } from '../demo/load.js';
import { localDate } from '../domain/dates/localDate.js';
import { fixedClock } from '../services/clock.js';
import type { Services } from '../services/index.js';

/** Sunday 6 December 2026: the forecast's first period is 6 to 31 December. */
const NOW = new Date('2026-12-06T10:00:00Z');
const DEMO_SEED = 20140901;

let database: Database;
let services: Services;
let board: TestAgent;
let manager: TestAgent;

beforeAll(async () => {
  const set = await setUpIntegration({ fixture: false, services: { clock: fixedClock(NOW) } });
  ({ database, services } = set);
  // The seed `openehcp serve --demo` uses: the figures entered by hand are those a visitor to the demo sees.
  await loadDemoCounty(database, generateDemoCounty({ seed: DEMO_SEED, asOf: localDate('2026-12-06'), scale: 0.1 }), {
    seed: DEMO_SEED,
  });
  await services.measures.refresh();
  await services.forecasts.refresh('999');
  board = await set.signIn('board@demo-county.example', 'demo-county-2026');
  manager = await set.signIn('manager@demo-county.example', 'demo-county-2026');
}, 240_000);
afterAll(async () => {
  await database.close();
});

const MONTH = /(January|February|March|April|May|June|July|August|September|October|November|December) (20\d\d)/;
const NAMES = 'January February March April May June July August September October November December'.split(' ');
const monthIndex = (name: string) => {
  const m = MONTH.exec(name)!;
  return Number(m[2]) * 12 + NAMES.indexOf(m[1]!);
};

/** The months a dip warning names: its first and last, and the worst. */
function dipMonths(text: string): { from: string; to: string; worst: string }[] {
  const found = [
    ...text.matchAll(
      /will hold the share of plans within 20 weeks down \(([A-Z][a-z]+ 20\d\d)(?: to ([A-Z][a-z]+ 20\d\d))?; most in ([A-Z][a-z]+ 20\d\d)/g,
    ),
  ];
  return found.map((m) => ({ from: m[1]!, to: m[2] ?? m[1]!, worst: m[3]! }));
}

/** The months of a table's rows (each row's header is its month). */
function rowMonths(html: string): string[] {
  return [...html.matchAll(/<th scope="row" class="govuk-table__header">([A-Z][a-z]+ 20\d\d)<\/th>/g)].map(
    (m) => m[1]!,
  );
}

describe('the dip warning on the forecast page', () => {
  it('names only months the fan charts and their table show', async () => {
    const page = await board.get('/forecast').expect(200);
    const text = visibleWords(page.text);
    const dips = dipMonths(text);
    // The demo county has requests over 20 weeks old: the warning is there.
    expect(dips).toHaveLength(1);
    // The forecast's table (23 whole months from January 2027) lists the months the charts draw.
    const charted = rowMonths(page.text.slice(0, page.text.indexOf('Open requests by how long')));
    expect(charted[0]).toBe('January 2027');
    expect(charted).toHaveLength(23);
    const first = monthIndex(charted[0]!);
    const last = monthIndex(charted.at(-1)!);
    for (const month of [dips[0]!.from, dips[0]!.to, dips[0]!.worst]) {
      expect(monthIndex(month)).toBeGreaterThanOrEqual(first);
      expect(monthIndex(month)).toBeLessThanOrEqual(last);
    }
  });
});

describe('the dip warning on the scenario results', () => {
  it('names only months each scenario’s chart shows', async () => {
    const form = await board.get('/forecast/scenarios').expect(200);
    const started = await board
      .post('/forecast/scenarios')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        'staff-educational_psychology': '28',
        'staff-casework': '20',
        demand: '0',
        reviews: 'as_now',
        'extra-educational_psychology': '',
        'extra-casework': '',
        'target-share': '60',
        'target-month': '12',
        'target-year': '2027',
        solve: 'no',
        chance: '80',
      });
    expect(started.status).toBe(303);
    await services.scenarios.settled();
    const results = await board.get(started.headers.location!).expect(200);
    const dips = dipMonths(visibleWords(results.text));
    expect(dips.length).toBeGreaterThan(0);
    const charted = rowMonths(results.text);
    expect(charted).toContain('January 2027');
    expect(charted).not.toContain('December 2026');
    for (const dip of dips) {
      for (const month of [dip.from, dip.to, dip.worst]) expect(charted).toContain(month);
    }
  });
});

/** The demo's commitment on audited plans: its page, as the board reads it. */
async function auditCommitment() {
  const report = await board.get('/improvement-plan/board-report').expect(200);
  const id = /href="\/improvement-plan\/commitments\/([0-9a-f-]{36})">C4\. 70% of EHC plans audited/.exec(
    report.text,
  )![1]!;
  const page = await board.get(`/improvement-plan/commitments/${id}`).expect(200);
  return { report: visibleWords(report.text), page: page.text, text: visibleWords(page.text), id };
}

describe('a commitment on its trajectory whose process will not meet the target', () => {
  it('states one status that says both, with each figure labelled for what it judges', async () => {
    const { text, report } = await auditCommitment();
    const status = 'On trajectory this month, but the process as it runs will not reach the target';
    expect(text).toContain(status);
    expect(text).toMatch(
      /Latest month, against the trajectory [\d.]+% \(November 2026\): meets the trajectory of [\d.]+%/,
    );
    expect(text).toContain('Assurance: the process as it runs, against the target F Fails the target consistently');
    expect(text).not.toMatch(/On track/);
    // The board report says the same.
    const row = report.slice(report.indexOf('C4. 70% of EHC plans audited'), report.indexOf('C5.'));
    expect(row).toContain(status);
    expect(row).toContain('Fails the target consistently');
    expect(row).not.toContain('On track');
  });
});

describe('figures entered by hand beside the live measure of the same definition', () => {
  it('shows both month by month with their difference, and warns where they differ by more than 1 point', async () => {
    const { page, text } = await auditCommitment();
    expect(text).toContain('Beside the live measure: Audited EHC plans rated good or better');
    expect(text).toContain('Same as the live measure Audited EHC plans rated good or better');
    const table = page.slice(page.indexOf('Entered by hand and live, month by month'));
    const rows = [
      ...table.matchAll(
        /<th scope="row" class="govuk-table__header">([A-Z][a-z]+ 20\d\d)<\/th>\s*<td[^>]*>([^<]*)<\/td>\s*<td[^>]*>([^<]*)<\/td>\s*<td[^>]*>([^<]*)(<strong[^>]*>\s*Differs\s*<\/strong>)?/g,
      ),
    ].map((m) => ({ month: m[1]!, manual: m[2]!, live: m[3]!, difference: m[4]!.trim(), differs: Boolean(m[5]) }));
    // The audits in the service began in May 2026; the figures by hand go back 14 months.
    expect(rows[0]!.month).toBe('November 2026');
    expect(rows.some((r) => r.live === 'No figure')).toBe(true);
    const both = rows.filter((r) => r.manual !== 'No figure' && r.live !== 'No figure');
    expect(both.length).toBeGreaterThan(0);
    for (const r of both) {
      const diff = parseFloat(r.manual) - parseFloat(r.live);
      expect(Number(r.difference.replace('−', '-'))).toBeCloseTo(diff, 1);
      expect(r.differs).toBe(Math.abs(diff) > 1);
    }
    const differing = both.filter((r) => r.differs).length;
    expect(differing).toBeGreaterThan(0);
    expect(text).toContain(
      `The figures entered by hand differ from the live measure (Audited EHC plans rated good or better) by more than 1 percentage point in ${differing} of the ${both.length} months that have both`,
    );
  });

  it('is declared on the commitment form, and a series of counts cannot be set beside a percentage', async () => {
    const { id } = await auditCommitment();
    const form = await board.get(`/improvement-plan/commitments/${id}/edit`).expect(200);
    expect(form.text).toMatch(/<option value="plans_good_or_better" selected>Audited EHC plans rated good or better/);
    const version = /name="version" value="(\d+)"/.exec(form.text)![1]!;
    const refused = await board
      .post(`/improvement-plan/commitments/${id}`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        version,
        measurable: 'yes',
        intent: 'save',
        statement: '70% of EHC plans audited each month rated good or better within 18 months',
        measureId: 'manual',
        seriesName: 'EHC plans rated good or better in the monthly audit',
        seriesUnit: '',
        liveMeasureId: 'plans_good_or_better',
      });
    expect(refused.status).toBe(400);
    expect(visibleWords(refused.text)).toContain(
      'Audited EHC plans rated good or better is a percentage: a series that measures the same thing must be percentages too',
    );
    expect(refused.text).toContain('href="#liveMeasureId"');
    // Nothing was saved: the page still compares the two.
    expect((await auditCommitment()).text).toContain('Beside the live measure');
  });
});

describe('decisions within 6 weeks by the year the request was received', () => {
  it('shows the last 4 years beside England’s, the current one provisional, and says which grouping each uses', async () => {
    const page = await manager.get('/measures/decided_within_6_weeks').expect(200);
    const text = visibleWords(page.text);
    expect(text).toContain('count decisions in the calendar month the decision was made');
    expect(text).toContain('By the year the request was received, as DfE counts them');
    const table = page.text.slice(page.text.indexOf('by the calendar year the request was received'));
    const years = [
      ...table.matchAll(/<th scope="row" class="govuk-table__header">(20\d\d)<\/th>([\s\S]*?)<\/tr>/g),
    ].map((m) => ({ year: m[1]!, cells: visibleWords(m[2]!).trim() }));
    expect(years.map((y) => y.year)).toEqual(['2026', '2025', '2024', '2023']);
    expect(years[0]!.cells).toMatch(/Provisional$/);
    expect(years[1]!.cells).toMatch(/Final$/);
    // England's published figure for 2024 requests (DfE 2025 release, requests.csv: 84.8%).
    expect(years[2]!.cells).toContain('84.8%');
    expect(years[0]!.cells).toContain('Not published');
    const definition = visibleWords(
      (await manager.get('/performance/measures/decided_within_6_weeks').expect(200)).text,
    );
    expect(definition).toContain('Grouped by');
    expect(definition).toContain('count requests by the calendar year they were received');
  });
});
