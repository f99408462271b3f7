/** What the plan's forms read the same way: numbers as people type them, the version a form was opened at. */
import type { Request } from 'express';
import { text, type Body, type FormError } from '../../forms.js';
import type { FormFailure } from '../../formFailures.js';
import type { z } from 'zod';
import { optionalText } from '../../validation.js';

/** The date fields of the plan's forms, whose errors link to their day box. */
export const DATE_FIELDS = ['targetDate', 'dueDate', 'capacityFrom'];

/**
 * A number as people type it ("60", "60%", "1,200"): null when blank (`required`'s message when it must be given),
 * "<Label> must be a number, like 60" (or "a whole number, like 120") when it is not one.
 */
export function planNumber(label: string, options: { integer?: boolean; required: string }): z.ZodType<number>;
export function planNumber(label: string, options?: { integer?: boolean }): z.ZodType<number | null>;
export function planNumber(
  label: string,
  options: { integer?: boolean; required?: string } = {},
): z.ZodType<number | null> {
  const { integer = false, required } = options;
  return optionalText(label, 20).transform((raw, ctx): number | null => {
    if (raw === '') {
      if (required) ctx.addIssue({ code: 'custom', message: required });
      return null;
    }
    const n = Number(raw.replace(/[,%\s]/g, ''));
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
      const message = `${label} must be ${integer ? 'a whole number' : 'a number'}, like ${integer ? '120' : '60'}`;
      ctx.addIssue({ code: 'custom', message });
      return null;
    }
    return n;
  });
}

/** The version of the record the form was opened at (its hidden field), or -1 when it is missing or not a number. */
export function formVersion(req: Request, field = 'version'): number {
  const version = Number(text(req.body as Body, field));
  return Number.isInteger(version) ? version : -1;
}

/** A plan form shown: its status, its errors (the GOV.UK summary) and, when stale, what someone else saved since. */
export interface FormPage {
  status: number;
  errors: FormError[];
  stale?: FormFailure['stale'];
}
