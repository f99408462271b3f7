import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../../../domain/dates/localDate.js';
import { englandAndWales } from '../../../domain/dates/workingDays.js';
import { ceasingAppealDates, type CeasingRecord } from '../../../domain/casework/ceasing.js';
import { familyCeasingWords } from './familyWords.js';

const d = (s: string) => s as LocalDate;
const decided: CeasingRecord = {
  reason: 'higher_education',
  consultedDate: d('2025-05-01'),
  schoolConsultedDate: d('2025-05-01'),
  decision: 'cease',
  decisionDate: d('2025-06-02'),
  certificateDate: null,
  appealLodgedDate: null,
  tribunalOutcome: null,
  tribunalDate: null,
  ceasedDate: null,
};
const words = (audience: 'parent' | 'young_person', record = decided, today = '2025-06-10') =>
  familyCeasingWords({
    requestId: 'r',
    givenName: 'Sam',
    audience,
    record,
    dates: ceasingAppealDates(record, englandAndWales),
    today: d(today),
  });
const text = (w: ReturnType<typeof words>) => w.blocks.map((b) => b.text).join('\n');

describe('a ceasing in the family’s words', () => {
  it('a young person reading their own plan is spoken to as "you"', () => {
    const w = words('young_person');
    expect(w.title).toBe('Ending your EHC plan');
    expect(text(w)).toContain(
      'The council has decided to end your education, health and care (EHC) plan, because you have started higher education, such as university.',
    );
  });
  it('a parent reads the child’s name; the August rule is explained (decision 2 Jun 2025: 2 Aug moved to 1 Sep)', () => {
    const w = text(words('parent'));
    expect(w).toContain('because Sam has started higher education');
    expect(w).toContain('Appeal by 1 September 2025.');
    expect(w).toContain(
      'The time to appeal would end on 2 August 2025. The Tribunal does not end appeal times in August, so yours ends on 1 September 2025.',
    );
    expect(w).toContain('If you do not appeal, it ends on 2 September 2025.');
  });
  it('once the time has passed the family is told it ended, not told to act', () => {
    const w = text(words('parent', { ...decided, ceasedDate: d('2025-09-02') }, '2025-09-03'));
    expect(w).toBe('Sam’s education, health and care (EHC) plan ended on 2 September 2025.');
  });
});
