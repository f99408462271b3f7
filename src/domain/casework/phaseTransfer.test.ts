import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import { computeClock } from '../statutory/clock.js';
import {
  checkPhaseTransfer,
  cohortBirthDates,
  isInfantSchool,
  nextPhaseTransfer,
  nextTransferYear,
  phaseTransferDeadline,
  phaseTransferProgress,
  post16TransferDeadline,
  schoolYearStarting,
  yearGroup,
} from './phaseTransfer.js';

const d = (s: string) => s as LocalDate;

describe('year groups from the date of birth (Education Act 1996 s.579(1); School Admissions Code 2021 para 2.17)', () => {
  it('starts Reception the September after the fourth birthday and moves up each September', () => {
    // Born 15 Mar 2015: 4 on 15 Mar 2019, so Reception from September 2019 (school year 2019/20) and Year 6 in
    // 2025/26 (age 10 on 31 Aug 2025), Year 7 from September 2026.
    expect(yearGroup(d('2015-03-15'), 2019)).toBe(0);
    expect(yearGroup(d('2015-03-15'), 2025)).toBe(6);
    expect(yearGroup(d('2015-03-15'), 2026)).toBe(7);
  });

  it('puts a 31 August birthday as the youngest of its year and a 1 September birthday as the oldest of the next', () => {
    // Born 31 Aug 2015: 10 on 31 Aug 2025, Year 6 in 2025/26. Born 1 Sep 2015: 9 on 31 Aug 2025, Year 5.
    expect(yearGroup(d('2015-08-31'), 2025)).toBe(6);
    expect(yearGroup(d('2015-09-01'), 2025)).toBe(5);
    // Year 6 in 2025/26 is born 1 Sep 2014 to 31 Aug 2015.
    expect(cohortBirthDates(6, 2025)).toEqual({ from: '2014-09-01', to: '2015-08-31' });
    expect(yearGroup(d('2014-09-01'), 2025)).toBe(6);
  });

  it('places a 29 February birthday in the year group of its school year', () => {
    // Born 29 Feb 2016 (between 1 Sep 2015 and 31 Aug 2016): Year 6 in 2026/27, Year 11 in 2031/32.
    expect(yearGroup(d('2016-02-29'), 2026)).toBe(6);
    expect(yearGroup(d('2016-02-29'), 2031)).toBe(11);
    expect(cohortBirthDates(6, 2026)).toEqual({ from: '2015-09-01', to: '2016-08-31' });
  });

  it('knows the school year from a date: 31 August is the last day of one, 1 September the first of the next', () => {
    expect(schoolYearStarting(d('2026-08-31'))).toBe(2025);
    expect(schoolYearStarting(d('2026-09-01'))).toBe(2026);
    expect(nextTransferYear(d('2026-08-31'))).toBe(2026);
    expect(nextTransferYear(d('2026-09-01'))).toBe(2027);
    expect(nextTransferYear(d('2026-12-31'))).toBe(2027);
    expect(nextTransferYear(d('2027-01-01'))).toBe(2027);
  });
});

describe('the deadlines (reg 18(1); rule P10: "before" 15 February / 31 March)', () => {
  it('is 14 February for a school transfer and 30 March for secondary to post-16, in the calendar year of the move', () => {
    expect(phaseTransferDeadline('primary_to_secondary', 2027)).toBe('2027-02-14');
    expect(phaseTransferDeadline('early_years_to_school', 2028)).toBe('2028-02-14');
    expect(phaseTransferDeadline('infant_to_junior', 2027)).toBe('2027-02-14');
    expect(phaseTransferDeadline('secondary_to_post16', 2027)).toBe('2027-03-30');
  });

  it('gives the same dates as the statutory clock', () => {
    const school = computeClock(
      [{ type: 'phase_transfer', date: d('2026-09-01'), transferYear: 2027, route: 'school' }],
      d('2026-12-07'),
    ).deadlines.find((x) => x.id === 'finalise_phase_transfer')!;
    const post16 = computeClock(
      [{ type: 'phase_transfer', date: d('2026-09-01'), transferYear: 2028, route: 'post16' }],
      d('2026-12-07'),
    ).deadlines.find((x) => x.id === 'finalise_phase_transfer')!;
    expect(phaseTransferDeadline('primary_to_secondary', 2027)).toBe(school.due);
    expect(phaseTransferDeadline('secondary_to_post16', 2028)).toBe(post16.due);
  });

  it('asks for at least 5 months before a move between post-16 institutions (reg 18(1)(b))', () => {
    // Move on 1 Sep 2027: finalised by 1 Apr 2027 (1 Apr + 5 months = 1 Sep).
    expect(post16TransferDeadline(d('2027-09-01'))).toBe('2027-04-01');
    // Move on 31 Jul 2027: 28 Feb 2027 (1 Mar + 5 months is 1 Aug, after the move); 29 Feb in 2028, a leap year.
    expect(post16TransferDeadline(d('2027-07-31'))).toBe('2027-02-28');
    expect(post16TransferDeadline(d('2028-07-31'))).toBe('2028-02-29');
    // Across a year boundary: a move on 6 Jan 2028 needs the plan by 6 Aug 2027.
    expect(post16TransferDeadline(d('2028-01-06'))).toBe('2027-08-06');
  });
});

describe('which transfer a child faces next September', () => {
  const today = d('2026-12-07');
  it('moves Year 6 to Year 7 in September 2027, by 14 February 2027', () => {
    // Born 31 Aug 2016: 10 on 31 Aug 2026, so the youngest of Year 6 in 2026/27.
    expect(nextPhaseTransfer({ dateOfBirth: d('2016-08-31'), settingName: 'Oak Primary School' }, today)).toEqual({
      kind: 'primary_to_secondary',
      transferYear: 2027,
      fromYearGroup: 6,
      moveDate: '2027-09-01',
      deadline: '2027-02-14',
    });
    // Born 1 Sep 2016 is in Year 5: no transfer next September.
    expect(nextPhaseTransfer({ dateOfBirth: d('2016-09-01'), settingName: 'Oak Primary School' }, today)).toBeNull();
    // Born 1 Sep 2015 is the oldest of Year 6.
    expect(nextPhaseTransfer({ dateOfBirth: d('2015-09-01'), settingName: null }, today)?.kind).toBe(
      'primary_to_secondary',
    );
  });

  it('moves Year 11 to post-16 by 30 March, the nursery year into Reception by 14 February', () => {
    // Year 11 in 2026/27: 15 on 31 Aug 2026, born 1 Sep 2010 to 31 Aug 2011.
    const y11 = nextPhaseTransfer({ dateOfBirth: d('2011-02-28'), settingName: 'Hill Academy' }, today);
    expect(y11).toMatchObject({ kind: 'secondary_to_post16', deadline: '2027-03-30', fromYearGroup: 11 });
    // 3 on 31 Aug 2026 (born 1 Sep 2022 to 31 Aug 2023): Reception from September 2027.
    const ey = nextPhaseTransfer({ dateOfBirth: d('2023-08-31'), settingName: 'Little Steps Nursery' }, today);
    expect(ey).toMatchObject({ kind: 'early_years_to_school', deadline: '2027-02-14', fromYearGroup: -1 });
  });

  it('moves Year 2 to a junior school only from an infant school (a stated assumption)', () => {
    // Year 2 in 2026/27: 6 on 31 Aug 2026, born 1 Sep 2019 to 31 Aug 2020.
    const infant = { dateOfBirth: d('2020-02-29'), settingName: 'Mill Lane Infant School' };
    expect(nextPhaseTransfer(infant, today)).toMatchObject({ kind: 'infant_to_junior', deadline: '2027-02-14' });
    expect(nextPhaseTransfer({ ...infant, settingName: 'Mill Lane Primary School' }, today)).toBeNull();
    expect(isInfantSchool("St Mary's Infants' School")).toBe(true);
    expect(isInfantSchool('Mill Lane Infant and Junior School')).toBe(false);
  });

  it('after 31 August looks at the September a year on, across the year boundary', () => {
    // On 31 Aug 2027 the Year 6 of 2026/27 move tomorrow; on 1 Sep 2027 the next Year 6 (born 2016/17) face 2028.
    expect(nextPhaseTransfer({ dateOfBirth: d('2016-08-31'), settingName: null }, d('2027-08-31'))?.transferYear).toBe(
      2027,
    );
    expect(nextPhaseTransfer({ dateOfBirth: d('2016-08-31'), settingName: null }, d('2027-09-01'))).toBeNull();
    expect(nextPhaseTransfer({ dateOfBirth: d('2017-08-31'), settingName: null }, d('2027-09-01'))).toMatchObject({
      kind: 'primary_to_secondary',
      transferYear: 2028,
      deadline: '2028-02-14',
    });
  });
});

describe('progress against the deadline', () => {
  it('counts 14 February as on time and 15 February as late; unfinalised is overdue from 15 February', () => {
    const deadline = d('2027-02-14');
    expect(phaseTransferProgress(deadline, d('2027-02-14'), d('2027-03-01'))).toBe('on_time');
    expect(phaseTransferProgress(deadline, d('2027-02-15'), d('2027-03-01'))).toBe('late');
    expect(phaseTransferProgress(deadline, null, d('2027-02-14'))).toBe('not_yet');
    expect(phaseTransferProgress(deadline, null, d('2027-02-15'))).toBe('overdue');
  });
});

describe('the refusals of recording a transfer', () => {
  const plan = { status: 'active', firstIssuedDate: d('2020-05-01'), ceasedDate: null };
  const input = { nextSettingName: 'Hill Academy', nextSettingUrn: '117000', finalisedDate: d('2027-01-20') };
  it('accepts a finalised date today or in the past', () => {
    expect(checkPhaseTransfer(plan, null, input, d('2027-01-20'))).toEqual([]);
  });
  it('refuses a date in the future, or before the plan was issued', () => {
    expect(checkPhaseTransfer(plan, null, input, d('2027-01-19'))).toEqual([
      { field: 'finalisedDate', text: 'The date the amended plan was finalised must be today or in the past' },
    ]);
    expect(
      checkPhaseTransfer(plan, null, { ...input, finalisedDate: d('2020-04-30') }, d('2027-01-20'))[0]?.field,
    ).toBe('finalisedDate');
  });
  it('refuses a ceased plan, and a transfer already recorded', () => {
    const ceased = { ...plan, status: 'ceased', ceasedDate: d('2026-11-01') };
    expect(checkPhaseTransfer(ceased, null, input, d('2027-01-20'))[0]?.text).toMatch(/ceased/);
    expect(checkPhaseTransfer(plan, d('2027-01-10'), input, d('2027-01-20'))[0]?.text).toMatch(/already/);
  });
});
