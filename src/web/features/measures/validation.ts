/**
 * The measure's target form: a target as a percentage or a number (a % sign allowed), or the target removed; the
 * version of the target the page was opened against; the reason for the change (kept to 1,000 characters).
 */
import { z } from 'zod';
import { checkForm, field } from '../../validation.js';

const TARGET = /^\d{1,6}(\.\d{1,2})?$/;

const targetForm = z
  .object({
    action: field,
    target: field.transform((t) => t.replace(/%$/, '').trim()),
    version: z.preprocess((v) => (typeof v === 'string' ? v : 'NaN'), z.string()),
    reason: z.preprocess((v) => (typeof v === 'string' ? v.slice(0, 1000) : ''), z.string()),
  })
  .transform((f) => ({ remove: f.action === 'remove', target: f.target, version: Number(f.version), reason: f.reason }))
  // A version that is not one the page wrote: the page is not this service's current form.
  .refine((f) => Number.isInteger(f.version) && f.version >= 0, {
    error: 'The form is out of date: try again',
    path: ['target'],
    abort: true,
  })
  .refine((f) => f.remove || f.target !== '', { error: 'Enter a target', path: ['target'], abort: true })
  .refine((f) => f.remove || TARGET.test(f.target), {
    error: 'Target must be a number, like 60 or 62.5',
    path: ['target'],
  })
  .transform(({ remove, target, version, reason }) => ({ target: remove ? null : Number(target), version, reason }));

/** The target to save (null to remove it), the version and the reason; or the GOV.UK error summary. */
export function readTargetForm(body: unknown) {
  return checkForm(targetForm, body);
}
