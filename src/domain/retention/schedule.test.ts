import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import {
  DEFAULT_RETENTION_SCHEDULE,
  describeRule,
  parseRetentionSchedule,
  retentionDue,
  type RetentionSchedule,
} from './schedule.js';

const d = (s: string) => s as LocalDate;

describe('when a closed case falls due for deletion', () => {
  it('by default, 25 years from the date of birth (the IRMS toolkit: date of birth + 25 years)', () => {
    const due = retentionDue(
      { dateOfBirth: d('2000-03-14'), closedOn: d('2024-06-30'), hadPlan: true },
      DEFAULT_RETENTION_SCHEDULE,
    );
    expect(due).toEqual({ kind: 'case_with_plan', rule: { from: 'date_of_birth', years: 25 }, dueOn: '2025-03-14' });
  });

  it('a child born on 29 February: the 28th in a year that has no 29 February', () => {
    expect(
      retentionDue(
        { dateOfBirth: d('2000-02-29'), closedOn: d('2010-01-01'), hadPlan: false },
        DEFAULT_RETENTION_SCHEDULE,
      ).dueOn,
    ).toBe('2025-02-28');
  });

  it('never before the 2 months to appeal the last decision have run (#24), whatever the rule says', () => {
    // A young person of 25 whose plan ceased last week: the rule's date has passed, the appeal window has not.
    expect(
      retentionDue(
        { dateOfBirth: d('2000-01-10'), closedOn: d('2026-11-30'), hadPlan: true },
        DEFAULT_RETENTION_SCHEDULE,
      ).dueOn,
    ).toBe('2027-01-30');
  });

  it('a rule can count from the day the case closed, and each kind has its own', () => {
    const schedule: RetentionSchedule = {
      ...DEFAULT_RETENTION_SCHEDULE,
      case_without_plan: { from: 'closed', years: 6 },
    };
    expect(
      retentionDue({ dateOfBirth: d('2015-05-01'), closedOn: d('2019-09-12'), hadPlan: false }, schedule),
    ).toMatchObject({ kind: 'case_without_plan', dueOn: '2025-09-12' });
    expect(
      retentionDue({ dateOfBirth: d('2015-05-01'), closedOn: d('2019-09-12'), hadPlan: true }, schedule),
    ).toMatchObject({ kind: 'case_with_plan', dueOn: '2040-05-01' });
    expect(describeRule('case_without_plan', schedule.case_without_plan)).toBe(
      'case_without_plan: 6 years from the case closed',
    );
  });
});

describe('the schedule as configured (RETENTION_SCHEDULE)', () => {
  it('overrides the kinds it names and keeps the default for the others', () => {
    expect(parseRetentionSchedule('{"case_without_plan":{"from":"closed","years":6}}')).toEqual({
      schedule: {
        case_with_plan: { from: 'date_of_birth', years: 25 },
        case_without_plan: { from: 'closed', years: 6 },
      },
    });
  });

  it.each([
    ['nonsense', 'is not JSON'],
    ['[]', 'must be a JSON object of rules by kind'],
    ['{"cases":{"from":"closed","years":6}}', 'cases: not a kind of record (case_with_plan, case_without_plan)'],
    ['{"case_with_plan":{"from":"birth","years":6}}', 'case_with_plan.from: must be date_of_birth or closed'],
    [
      '{"case_with_plan":{"from":"closed","years":0}}',
      'case_with_plan.years: must be a whole number of years, at least 1',
    ],
    [
      '{"case_with_plan":{"from":"closed","years":2.5}}',
      'case_with_plan.years: must be a whole number of years, at least 1',
    ],
    ['{"case_with_plan":{"from":"closed","years":250}}', 'case_with_plan.years: at most 120'],
    ['{"case_with_plan":null}', 'case_with_plan: must be {"from": ..., "years": ...}'],
  ])('refuses %s, naming the field', (text, error) => {
    expect(parseRetentionSchedule(text)).toEqual({ error });
  });
});
