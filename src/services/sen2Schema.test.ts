import { describe, expect, it } from 'vitest';
import { sampleReturn } from '../../test/sen2.js';
import { writeSen2 } from '../domain/sen2/writer.js';
import { validateSen2Schema } from './sen2Schema.js';

describe('SEN2 schema validation (the corrected schemas)', () => {
  it('passes a return the product writes, for 2025 and 2026', async () => {
    for (const year of [2025, 2026])
      expect(await validateSen2Schema(writeSen2(sampleReturn(year), year), year)).toEqual([]);
  });

  it('reports each schema error with its line: a 2025 order in a 2026 file, a bad UPN, a ULN of 8 digits', async () => {
    const xml = writeSen2(sampleReturn(2025), 2025).replace(
      /<UPN>\w+<\/UPN>/,
      '<UPN>123</UPN><UniqueLearnerNumber>12345678</UniqueLearnerNumber>',
    );
    const errors = await validateSen2Schema(xml, 2026);
    expect(errors.some((e) => /^ERROR line \d+: .*UPN/.test(e))).toBe(true);
    expect(errors.some((e) => /UniqueLearnerNumber/.test(e))).toBe(true);
    expect(errors.some((e) => /LastReview|ReviewOutcome/.test(e))).toBe(true);
  });

  it('accepts any English LA’s code (the published schema listed only London’s) and a plain URN (it wanted ^...$)', async () => {
    const xml = writeSen2(sampleReturn(2026), 2026).replace('<LEA>999</LEA>', '<LEA>919</LEA>');
    expect(xml).toContain('<URN>117000</URN>');
    expect(await validateSen2Schema(xml, 2026)).toEqual([]);
  });
});
