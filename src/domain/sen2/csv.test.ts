import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvDate, readSen2Csv } from './csv.js';
import type { LocalDate } from '../dates/localDate.js';

describe('the SEN2 import CSV', () => {
  it('takes dates as YYYY-MM-DD or DD/MM/YYYY, and only real ones', () => {
    expect(csvDate('2025-02-28')).toBe('2025-02-28');
    expect(csvDate('3/2/2025')).toBe('2025-02-03');
    expect(csvDate('29/02/2024')).toBe('2024-02-29');
    expect(csvDate('29/02/2025')).toBeNull();
    expect(csvDate('2025-13-01')).toBeNull();
    expect(csvDate('02/03/25')).toBeNull();
  });

  it('reports unknown and missing columns on line 1, and a file that is not CSV', () => {
    const read = readSen2Csv('surname,forname,date_of_birth\nA,B,2015-01-01\n', 2026, '999');
    expect(read.problems.map((p) => [p.line, p.column, p.message])).toEqual([
      [1, null, '"forname" is not a column of the format'],
      [1, 'forename', 'this required column is missing'],
      [1, 'request_outcome', 'this required column is missing'],
    ]);
    expect(readSen2Csv('surname,forename\n"A,B\n', 2026, '999').problems[0]!.message).toMatch(/cannot be read/);
  });

  it('turns rows into persons and their records, one person per child', () => {
    const header = CSV_COLUMNS.map(([c]) => c).join(',');
    const row = (values: Record<string, string>) => CSV_COLUMNS.map(([c]) => values[c] ?? '').join(',');
    const child = {
      surname: 'Ngata',
      forename: 'Aroha',
      date_of_birth: '2015-03-02',
      sex: 'f',
      ethnicity: 'wbri',
      uln: '1234567890',
    };
    const read = readSen2Csv(
      [
        header,
        row({
          ...child,
          received_date: '2025-01-06',
          request_outcome: 'N',
          request_outcome_date: '2025-02-01',
          request_source: '1',
        }),
        row({ ...child, received_date: '2025-06-02', request_outcome: 'A', request_source: '2' }),
        row({
          ...child,
          request_outcome: 'H',
          assessment_outcome: 'H',
          plan_start_date: '2018-09-01',
          placement_sen_setting: 'neet',
          primary_need: 'ds',
        }),
      ].join('\r\n'),
      2026,
      '999',
    );
    expect(read.problems).toEqual([]);
    expect(read.lineOf).toEqual([[2, 3, 4]]);
    const person = read.ret.persons[0]!;
    expect([person.sex, person.ethnicity, person.uln]).toEqual(['F', 'WBRI', '1234567890']);
    expect(person.requests.map((r) => r.requestOutcome)).toEqual(['N', 'A', 'H']);
    expect(person.requests[2]!.activePlans).toEqual({
      placements: [{ senSetting: 'NEET', placementRank: '1' }],
      senNeeds: [{ senType: 'DS', senTypeRank: '1' }],
    });
  });

  it('names every problem of a line against its column, in the order of the columns, and imports none of it', () => {
    const header = CSV_COLUMNS.map(([c]) => c).join(',');
    const row = (values: Record<string, string>) => CSV_COLUMNS.map(([c]) => values[c] ?? '').join(',');
    const read = readSen2Csv(
      [
        header,
        row({
          surname: 'Ngata',
          forename: 'Aroha',
          date_of_birth: '2015-03-02',
          sex: 'f',
          ethnicity: 'wbri',
          request_outcome: 'A',
        }),
        row({
          forename: 'Tama',
          date_of_birth: '30/02/2016',
          sex: 'X',
          ethnicity: 'WBRI',
          uln: '0123456789',
          request_outcome: 'Y',
          request_outcome_date: '2026-07-01',
          // An assessment: its outcome date and Week20 flag are read...
          assessment_outcome: 'Y',
          week20: '2',
          primary_need: 'ASD',
        }),
        // ...and without one they are not (SEN2 guide: Week20 belongs to the assessment).
        row({
          surname: 'Ngata',
          forename: 'Hine',
          date_of_birth: '2017-01-01',
          sex: 'F',
          ethnicity: 'WBRI',
          request_outcome: 'A',
          week20: '2',
          last_review: '2025-01-01',
        }),
      ].join('\n'),
      2026,
      '999',
      '2026-06-01' as LocalDate,
    );
    expect(read.problems.map((p) => [p.line, p.column, p.message])).toEqual([
      [3, 'surname', 'the surname is required'],
      [3, 'date_of_birth', '"30/02/2016" is not a date (use YYYY-MM-DD or DD/MM/YYYY)'],
      [3, 'sex', '"X" is not a sex code (M, F)'],
      [3, 'uln', '"0123456789" is not a ULN (10 digits, not starting with 0)'],
      [3, 'request_outcome_date', '2026-07-01 is in the future'],
      [3, 'week20', '"2" is not a Week20 flag (0, 1)'],
      [
        3,
        'primary_need',
        'placement, needs and review belong to an active plan: give the plan’s start date (and no cease date)',
      ],
      [
        4,
        'last_review',
        'placement, needs and review belong to an active plan: give the plan’s start date (and no cease date)',
      ],
    ]);
    // Only the sound line is imported.
    expect(read.ret.persons.map((p) => p.forename)).toEqual(['Aroha']);
    expect(read.lineOf).toEqual([[2]]);
  });
});
