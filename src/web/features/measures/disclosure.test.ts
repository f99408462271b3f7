/**
 * The disclosure rule against the adversary of test/adversary.ts on small synthetic LAs, where most cells are small:
 * random case histories over a few months, their measures (domain/measures/monthly.ts), published (services/measures
 * publish) and written as the open-data CSV exactly as the public download is. No hidden count may be recovered and no
 * count of 1 to 4 published (suppress.ts R1-R7).
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attack } from '../../../../test/adversary.js';
import type { LocalDate } from '../../../domain/dates/localDate.js';
import { MEASURE_BY_ID, monthlyMeasures, type MeasureCase } from '../../../domain/measures/monthly.js';
import { publish } from '../../../services/measures.js';
import { openDataCsv } from './routes.js';
import { englandAndWales } from '../../../domain/dates/workingDays.js';

const START = Date.UTC(2024, 9, 1);
const day = (offset: number) => new Date(START + offset * 86_400_000).toISOString().slice(0, 10) as LocalDate;

/** A case: received on a day, perhaps decided, perhaps issued, with some advice. */
const arbitraryCase = fc
  .record({
    received: fc.integer({ min: 0, max: 150 }),
    decideAfter: fc.option(fc.integer({ min: 20, max: 70 }), { nil: null }),
    assess: fc.boolean(),
    issueAfter: fc.option(fc.integer({ min: 60, max: 200 }), { nil: null }),
    exception: fc.boolean(),
    need: fc.constantFrom('ASD', 'SEMH', 'SLCN', null),
    team: fc.constantFrom('North', 'South'),
    age: fc.integer({ min: 2, max: 19 }),
    advice: fc.array(
      fc.record({
        type: fc.constantFrom('educational_psychology', 'health', 'social_care'),
        provider: fc.constantFrom('EPS', 'Trust', 'Council', 'School'),
        after: fc.integer({ min: 10, max: 70 }),
      }),
      { maxLength: 3 },
    ),
  })
  .map((c): MeasureCase => {
    const decided = c.decideAfter === null ? null : c.received + c.decideAfter;
    const issued = decided !== null && c.assess && c.issueAfter !== null ? c.received + c.issueAfter : null;
    return {
      receivedDate: day(c.received),
      assessmentDecision: decided === null ? null : c.assess ? 'assess' : 'not_assess',
      assessmentDecisionDate: decided === null ? null : day(decided),
      issueDecision: issued === null ? null : 'issue',
      issueDecisionDate: issued === null ? null : day(issued - 10),
      finalIssuedDate: issued === null ? null : day(issued),
      withdrawnDate: null,
      exception: c.exception,
      primaryNeed: c.need,
      team: c.team,
      dateOfBirth: day(c.received - c.age * 366),
      caseworkerId: 'cw',
      advice: c.advice.map((a) => ({
        adviceType: a.type,
        provider: a.provider,
        requestedDate: day(c.received + 7),
        receivedDate: day(c.received + 7 + a.after),
      })),
    };
  });

describe('the disclosure rule against the adversary, on small synthetic LAs', () => {
  it('lets no hidden count be worked out from the open data, and publishes no count of 1 to 4', () => {
    let hiddenSeen = 0;
    fc.assert(
      fc.property(fc.array(arbitraryCase, { minLength: 5, maxLength: 60 }), (cases) => {
        const values = monthlyMeasures(cases, '2024-12', '2025-05', englandAndWales).filter(
          (v) => MEASURE_BY_ID.get(v.measure)!.kind !== 'ratio',
        );
        const csv = openDataCsv({ laCode: '999', name: 'Test', rows: publish(values) });
        const table: string[][] = parse(csv);
        const [header, ...rows] = table;
        const result = attack(rows, header!, values, { hiddenAtLeast: 1 });
        hiddenSeen += result.hidden;
        expect(result.smallPublished).toEqual([]);
        expect(result.recovered).toEqual([]);
      }),
      { numRuns: 60, seed: 20140901 },
    );
    // Not empty: the generated LAs are small enough that many figures are hidden.
    expect(hiddenSeen).toBeGreaterThan(1000);
  });
});
