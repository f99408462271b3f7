/** What the plan's forms read the same way: numbers as people type them, the version a form was opened at. */
import type { Request } from 'express';
import { text, type Body, type FormError, type FormReader } from '../../forms.js';
import type { FormFailure } from '../../formFailures.js';

/** The date fields of the plan's forms, whose errors link to their day box. */
export const DATE_FIELDS = ['targetDate', 'dueDate', 'capacityFrom'];

/** An optional number as people type it ("60", "60%", "1,200"); null when blank or when it is not one (an error). */
export function readNumber(form: FormReader, name: string, label: string, integer = false): number | null {
  const raw = form.text(name, label, { max: 20 });
  if (raw === '') return null;
  const n = Number(raw.replace(/[,%\s]/g, ''));
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    form.error(name, `${label} must be ${integer ? 'a whole number' : 'a number'}, like ${integer ? '120' : '60'}`);
    return null;
  }
  return n;
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
