import { describe, expect, it } from 'vitest';
import { sampleReturn } from '../../../test/sen2.js';
import { referencePeriod } from './census.js';
import { writeSen2 } from './writer.js';

describe('the SEN2 census dates', () => {
  it('are configured per return, with the calendar year before as the reference period', () => {
    expect(referencePeriod(2026)).toEqual({ from: '2025-01-01', to: '2025-12-31', census: '2026-01-15' });
    expect(() => referencePeriod(2031)).toThrow('no census date is configured for the 2031 SEN2 return');
  });
});

describe('writing a SEN2 return', () => {
  it('writes the elements in the schema’s order and escapes what needs escaping', () => {
    const xml = writeSen2(sampleReturn(2026), 2026);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml).toContain('<Surname>O’Brien &amp; Sons &lt;test&gt;</Surname>');
    const order = [...xml.matchAll(/<(\w+)>/g)].map((m) => m[1]).join(' ');
    expect(order).toContain('Header CollectionDetails Collection Year ReferenceDate Source SourceLevel LEA');
    expect(order).toContain(
      'ReceivedDate RequestSource RYA RequestOutcomeDate RequestOutcome Assessment AssessmentOutcome',
    );
    // Nothing undefined is written.
    expect(xml).not.toContain('<UniqueLearnerNumber>');
  });

  it('puts LastReview where each year’s schema has it: after ReviewMeeting in 2025, last in 2026', () => {
    const reviews = (year: number) =>
      [...writeSen2(sampleReturn(year), year).matchAll(/<(ReviewMeeting|LastReview|ReviewOutcome)>/g)].map((m) => m[1]);
    expect(reviews(2025)).toEqual(['ReviewMeeting', 'LastReview', 'ReviewOutcome']);
    expect(reviews(2026)).toEqual(['ReviewMeeting', 'ReviewOutcome', 'LastReview']);
    expect(() => writeSen2(sampleReturn(2026), 2024)).toThrow('the product writes 2025 and 2026');
  });
});
