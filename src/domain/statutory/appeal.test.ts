import { describe, expect, it } from 'vitest';
import { localDate } from '../dates/localDate.js';
import { englandAndWales } from '../dates/workingDays.js';
import { appealBy, mediationContactBy, tribunalHolidayRule } from './appeal.js';

const d = localDate;

describe('mediation and appeal dates after a final plan (statutory-timescales.md rows 20, 24, example E)', () => {
  it('reg 33: the mediation adviser is contacted within 2 calendar months of the decision letter (example E)', () => {
    // Decision letter Wed 1 Oct 2025: the parent must contact the adviser by Mon 1 Dec.
    expect(mediationContactBy(d('2025-10-01'))).toBe('2025-12-01');
    // A calendar month with no corresponding day ends on the month's last day (Interpretation Act 1978 Sch 1).
    expect(mediationContactBy(d('2025-12-31'))).toBe('2026-02-28');
  });

  it('example E, no mediation: certificate Mon 17 Nov 2025, appeal by the later of 1 Dec and 17 Dec = 17 Dec', () => {
    expect(appealBy(d('2025-10-01'), d('2025-11-17'), englandAndWales)).toEqual({
      date: '2025-12-17',
      movedFrom: null,
      moved: null,
      from: 'certificate',
    });
  });

  it('example E, mediation: certificate Tue 16 Dec 2025, appeal by Fri 16 Jan 2026', () => {
    expect(appealBy(d('2025-10-01'), d('2025-12-16'), englandAndWales).date).toBe('2026-01-16');
  });

  it('without a certificate, 2 months from the decision letter (1 Oct 2025 -> 1 Dec 2025)', () => {
    expect(appealBy(d('2025-10-01'), null, englandAndWales)).toMatchObject({ date: '2025-12-01', from: 'decision' });
    // A certificate whose month ends earlier than the decision's 2 months does not shorten the time.
    expect(appealBy(d('2025-10-01'), d('2025-10-20'), englandAndWales)).toMatchObject({
      date: '2025-12-01',
      from: 'decision',
    });
  });

  it('a deadline falling 25 Dec to 1 Jan moves to the next working day in January (IPSEA: letter 1 Oct, certificate 29 Nov)', () => {
    // 29 Dec 2025 -> Thu 1 Jan 2026 is a bank holiday -> Fri 2 Jan 2026.
    expect(appealBy(d('2025-10-01'), d('2025-11-29'), englandAndWales)).toEqual({
      date: '2026-01-02',
      movedFrom: '2025-12-29',
      moved: 'christmas',
      from: 'certificate',
    });
    expect(tribunalHolidayRule(d('2025-12-25'), englandAndWales).date).toBe('2026-01-02');
    expect(tribunalHolidayRule(d('2026-01-01'), englandAndWales).date).toBe('2026-01-02');
    // The edges: 24 December and 2 January are not moved.
    expect(tribunalHolidayRule(d('2025-12-24'), englandAndWales)).toEqual({ date: '2025-12-24', moved: null });
    expect(tribunalHolidayRule(d('2026-01-02'), englandAndWales)).toEqual({ date: '2026-01-02', moved: null });
  });

  it('a deadline in August moves to the first working day in September', () => {
    // Letter 30 Jun 2025 -> 30 Aug 2025 -> Mon 1 Sep 2025.
    expect(appealBy(d('2025-06-30'), null, englandAndWales)).toMatchObject({
      date: '2025-09-01',
      movedFrom: '2025-08-30',
      moved: 'august',
    });
    // Letter 10 Jun 2024 -> 10 Aug 2024 -> Sun 1 Sep 2024 is not a working day -> Mon 2 Sep 2024.
    expect(appealBy(d('2024-06-10'), null, englandAndWales).date).toBe('2024-09-02');
    // 1 August and 31 August move; 31 July and 1 September do not.
    expect(tribunalHolidayRule(d('2025-08-01'), englandAndWales).date).toBe('2025-09-01');
    expect(tribunalHolidayRule(d('2025-08-31'), englandAndWales).date).toBe('2025-09-01');
    expect(tribunalHolidayRule(d('2025-07-31'), englandAndWales).moved).toBeNull();
    expect(tribunalHolidayRule(d('2025-09-01'), englandAndWales).moved).toBeNull();
  });

  it('the mediation date is not moved by the Tribunal rule (it is reg 33, not a Tribunal deadline)', () => {
    expect(mediationContactBy(d('2025-06-30'))).toBe('2025-08-30');
  });
});
