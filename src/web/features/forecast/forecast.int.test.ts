/**
 * The forecast pages on the demo county (a tenth of its size), part way through a month: the warning that clearing
 * the backlog will first pull the 20-week measure down must name months the page charts. The first period of the
 * forecast is the rest of the current month, which the charts leave out (part of it has happened); a warning about it
 * pointed at a month no chart or table shows.
 */
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, signedIn, testApp } from '../../../../test/app.js';
import { openTestDb } from '../../../../test/db.js';
import type { Database } from '../../../data/db.js';
import { generateDemoCounty } from '../../../demo/generate.js';
import { loadDemoCounty } from '../../../demo/load.js';
import { localDate } from '../../../domain/dates/localDate.js';
import { fixedClock } from '../../../services/clock.js';
import type { Services } from '../../../services/index.js';

/** Sunday 6 December 2026: the forecast's first period is 6 to 31 December. */
const NOW = new Date('2026-12-06T10:00:00Z');

let database: Database;
let services: Services;
let board: TestAgent;

beforeAll(async () => {
  database = await openTestDb();
  await loadDemoCounty(database, generateDemoCounty({ asOf: localDate('2026-12-06'), scale: 0.1 }), { seed: 1 });
  const built = testApp(database, { clock: fixedClock(NOW) });
  services = built.services;
  await services.measures.refresh();
  await services.forecasts.refresh('999');
  board = await signedIn(built.app, 'board@demo-county.example', 'demo-county-2026');
}, 240_000);
afterAll(async () => {
  await database.close();
});

const words = (html: string) =>
  html
    .replace(/<svg[\s\S]*?<\/svg>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ');

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
      /will push the share of plans within 20 weeks down first \(([A-Z][a-z]+ 20\d\d)(?: to ([A-Z][a-z]+ 20\d\d))?; most in ([A-Z][a-z]+ 20\d\d)/g,
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
    const text = words(page.text);
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
    const dips = dipMonths(words(results.text));
    expect(dips.length).toBeGreaterThan(0);
    const charted = rowMonths(results.text);
    expect(charted).toContain('January 2027');
    expect(charted).not.toContain('December 2026');
    for (const dip of dips) {
      for (const month of [dip.from, dip.to, dip.worst]) expect(charted).toContain(month);
    }
  });
});
