/**
 * The public page's open data is written through toCsv (services/csv.ts), so a hostile name cannot become a
 * spreadsheet formula (OWASP, "CSV Injection"), and figures given as numbers stay numbers.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { OPEN_DATA_COLUMNS, openDataCsv } from './routes.js';

describe('the open data CSV', () => {
  it('open data: a hostile LA name is text, a negative figure a number', () => {
    const csv = openDataCsv({
      laCode: '999',
      name: '=HYPERLINK("http://evil.example","Test")',
      rows: [
        {
          measure: 'plans_within_20_weeks_excl',
          month: '2025-03',
          dimension: 'all',
          category: 'all',
          numerator: 3,
          denominator: 10,
          value: -3,
          suppressed: null,
          hidden: { value: false, numerator: false, denominator: false },
        },
      ],
    });
    const table: string[][] = parse(csv);
    const [header, row] = table;
    expect(header).toEqual([...OPEN_DATA_COLUMNS]);
    const col = (name: string) => row![header!.indexOf(name)];
    expect(col('la_name')).toBe('\'=HYPERLINK("http://evil.example","Test")');
    expect(col('value')).toBe('-3');
    expect(col('numerator')).toBe('3');
  });
});
