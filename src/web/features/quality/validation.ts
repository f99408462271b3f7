/**
 * The quality forms' schemas (zod, through the one adapter in web/validation.ts): the rubric's boundaries and
 * sections, and the monthly sample. Rules that need what is saved (boundaries in order, auditors of the LA) are the
 * service's (services/quality.ts), whose refusals reach the page through web/formFailures.ts.
 */
import { z } from 'zod';
import { monthInput, numberInput, optionalText, withDateInputs } from '../../validation.js';

/** The rubric form for a rubric of `sections` sections: each boundary and each section's name and weight. */
export function rubricForm(sections: number) {
  const boundary = (label: string) => numberInput(label, { min: 1, max: 100 });
  // In the order of the page, so that the error summary lists its problems in that order.
  const shape: Record<string, z.ZodType<string | number | null>> = {
    outstanding: boundary('The Outstanding boundary'),
    good: boundary('The Good boundary'),
    requiresImprovement: boundary('The Requires improvement boundary'),
  };
  for (let i = 0; i < sections; i++) {
    shape[`section-${i}-name`] = optionalText(`The name of section ${i + 1}`, 200);
    shape[`section-${i}-weight`] = numberInput(`The weight of section ${i + 1}`, { min: 0, max: 10 });
  }
  const number = (v: unknown) => v as number | null;
  return z.object(shape).transform((f) => ({
    outstanding: number(f.outstanding),
    good: number(f.good),
    requiresImprovement: number(f.requiresImprovement),
    weights: Array.from({ length: sections }, (_, i) => number(f[`section-${i}-weight`])),
  }));
}

/** The monthly sample: which month, the share of plans to audit and the share of those to moderate. */
export const sampleForm = withDateInputs(
  ['month'],
  z.object({
    month: monthInput('The month'),
    percent: numberInput('The share of plans to audit', { min: 1, max: 100, unit: '%', required: true }),
    moderation: numberInput('The share to moderate', { min: 0, max: 100, unit: '%', required: true }),
  }),
);
