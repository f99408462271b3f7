/**
 * Forms checked with zod schemas, and the ONE adapter that turns zod's issues into the GOV.UK error summary.
 *
 * A form's schema names every problem against its field with the message the GOV.UK Design System's error-message
 * guidance asks for ("Enter ...", "Select ...", "... must be a real date", "... must be 100 characters or fewer").
 * The adapter links each message to its field by the issue's path: `['title']` links to `#title`, a date input's part
 * `['date', 'month']` to `#date-month` (a date input as a whole links to its day box, as serviceErrors does). Only the
 * first problem of each field is shown, as the pattern asks. Schemas never see the database: a rule that needs it is
 * the service's, and its RuleError reaches the page through web/formFailures.ts.
 */
import { z } from 'zod';
import { parseLocalDate, type LocalDate } from '../domain/dates/localDate.js';
import type { FormError } from './forms.js';

/**
 * The GOV.UK error summary lines for zod's issues, each linked to its field (the first problem of each field), in
 * the order of `fields` when given (the order of the page: a rule between fields is checked after each field's own).
 */
export function formErrors(issues: readonly z.core.$ZodIssue[], order: readonly string[] = []): FormError[] {
  const errors: FormError[] = [];
  const fields = new Set<string>();
  const place = (issue: z.core.$ZodIssue) => {
    const i = order.indexOf(String(issue.path[0] ?? ''));
    return i < 0 ? order.length : i;
  };
  const ordered = order.length ? [...issues].sort((a, b) => place(a) - place(b)) : issues;
  for (const issue of ordered) {
    const path = issue.path.map(String);
    const fieldName = path[0] ?? '';
    if (fields.has(fieldName)) continue;
    fields.add(fieldName);
    errors.push({ text: issue.message, href: path.length ? `#${path.join('-')}` : '#main-content' });
  }
  return errors;
}

/** Checks a form's body against its schema: the values to use, or the error summary to show. */
export function checkForm<T>(
  schema: z.ZodType<T>,
  body: unknown,
  fieldOrder: readonly string[] = [],
): { ok: true; data: T } | { ok: false; errors: FormError[] } {
  const result = schema.safeParse(body ?? {});
  return result.success
    ? { ok: true, data: result.data }
    : { ok: false, errors: formErrors(result.error.issues, fieldOrder) };
}

/** A text field as typed, trimmed; '' when absent or not text (a field sent twice, a file). */
export const field = z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string());

/** A text field that must be filled in (`required`: "Enter ..."), at most `max` characters. */
export function requiredText(required: string, label: string, max = 500) {
  return field.pipe(
    z
      .string()
      .min(1, { error: required })
      .max(max, { error: tooLong(label, max) }),
  );
}

/** A text field that may be left empty, at most `max` characters. */
export function optionalText(label: string, max = 500) {
  return field.pipe(z.string().max(max, { error: tooLong(label, max) }));
}

/** One of the given values (radios, selects); anything else is `required` ("Select ..."). */
export function choice<const T extends readonly [string, ...string[]]>(allowed: T, required: string) {
  return field.pipe(z.enum(allowed, { error: required }));
}

function tooLong(label: string, max: number): string {
  return `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`;
}

/**
 * The body with each named GOV.UK date input (`<name>-day`, `<name>-month`, `<name>-year`) gathered into one value
 * `{ day, month, year }` under `<name>`, for dateInput. `parts` names other fields for a form whose boxes are named
 * differently (the bank holiday form's `day`, `month`, `year`).
 */
export function withDateInputs<T extends z.ZodType>(
  names: readonly string[],
  schema: T,
  parts: (name: string) => { day: string; month: string; year: string } = (name) => ({
    day: `${name}-day`,
    month: `${name}-month`,
    year: `${name}-year`,
  }),
) {
  return z.preprocess((body) => {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const gathered: Record<string, unknown> = { ...b };
    for (const name of names) {
      const p = parts(name);
      gathered[name] = { day: b[p.day], month: b[p.month], year: b[p.year] };
    }
    return gathered;
  }, schema);
}

/**
 * A number typed in a text field (commas and spaces allowed, as people type them; a % sign at the end), within a
 * range; null when it is left empty and not `required` ("Enter <label>" when it is). The messages are the GOV.UK
 * pattern's: "<Label> must be a whole number", "<Label> must be between 1% and 100%".
 */
export function numberInput<Required extends boolean = false>(
  label: string,
  options: { min: number; max: number; whole?: boolean; required?: Required; unit?: string },
): z.ZodType<Required extends true ? number : number | null> {
  const unit = options.unit ?? '';
  const range = `${label} must be between ${options.min.toLocaleString('en-GB')}${unit} and ${options.max.toLocaleString('en-GB')}${unit}`;
  const schema = field.transform((raw, ctx): number | null => {
    if (!raw) {
      if (!options.required) return null;
      ctx.addIssue({ code: 'custom', message: `Enter ${lowerFirst(label)}` });
      return z.NEVER;
    }
    const value = Number(raw.replace(/[,\s]/g, '').replace(/%$/, ''));
    if (!Number.isFinite(value) || (options.whole && !Number.isInteger(value))) {
      ctx.addIssue({ code: 'custom', message: `${label} must be ${options.whole ? 'a whole number' : 'a number'}` });
      return z.NEVER;
    }
    if (value < options.min || value > options.max) {
      ctx.addIssue({ code: 'custom', message: range });
      return z.NEVER;
    }
    return value;
  });
  // A required number is never null: its absence is an issue.
  return schema as unknown as z.ZodType<Required extends true ? number : number | null>;
}

/**
 * A GOV.UK date input of month and year only (`<name>-month`, `<name>-year`, gathered by withDateInputs): 'YYYY-MM',
 * with the pattern's messages, each linked to the box at fault.
 */
export function monthInput(label: string) {
  return z.object({ month: field, year: field }).transform((v, ctx): string => {
    if (!v.month && !v.year) {
      ctx.addIssue({ code: 'custom', message: `Enter ${lowerFirst(label)}`, path: ['month'] });
      return z.NEVER;
    }
    if (!v.month || !v.year) {
      const missing = v.month ? 'year' : 'month';
      ctx.addIssue({ code: 'custom', message: `${label} must include a ${missing}`, path: [missing] });
      return z.NEVER;
    }
    const m = Number(v.month);
    if (!/^\d{1,2}$/.test(v.month) || m < 1 || m > 12 || !/^\d{4}$/.test(v.year)) {
      ctx.addIssue({ code: 'custom', message: `${label} must be a real month`, path: ['month'] });
      return z.NEVER;
    }
    return `${v.year}-${String(m).padStart(2, '0')}`;
  });
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * A GOV.UK date input, with the pattern's messages: "Enter <label>" when empty (unless optional: null), "<Label>
 * must include a month" naming what is missing (linked to that box), "<Label> must be a real date" (with an example
 * when given). `label` is as it starts a sentence ("The date of the bank holiday"); `enter` is what to enter.
 */
export function dateInput(options: { label: string; enter: string; required?: boolean; example?: string }) {
  return z.object({ day: field, month: field, year: field }).transform((v, ctx): LocalDate | null => {
    if (!v.day && !v.month && !v.year) {
      if (options.required === false) return null;
      ctx.addIssue({ code: 'custom', message: `Enter ${options.enter}`, path: ['day'] });
      return z.NEVER;
    }
    const missing = (['day', 'month', 'year'] as const).filter((p) => !v[p]);
    if (missing.length) {
      ctx.addIssue({
        code: 'custom',
        message: `${options.label} must include a ${missing.join(' and ')}`,
        path: [missing[0]!],
      });
      return z.NEVER;
    }
    const parsed =
      /^\d{1,2}$/.test(v.day) && /^\d{1,2}$/.test(v.month) && /^\d{4}$/.test(v.year)
        ? parseLocalDate(`${v.year}-${v.month.padStart(2, '0')}-${v.day.padStart(2, '0')}`)
        : null;
    if (!parsed) {
      const example = options.example ? `, like ${options.example}` : '';
      ctx.addIssue({ code: 'custom', message: `${options.label} must be a real date${example}`, path: ['day'] });
      return z.NEVER;
    }
    return parsed;
  });
}
