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

/**
 * A GOV.UK date input whose label starts a sentence ("The date the family was told"): "Enter the date the family was
 * told" when it is empty (unless not `required`: null), as dateInput says otherwise.
 */
export function labelledDate(label: string): z.ZodType<LocalDate>;
export function labelledDate(label: string, options: { required: false }): z.ZodType<LocalDate | null>;
export function labelledDate(label: string, options: { required?: false } = {}): z.ZodType<LocalDate | null> {
  return dateInput({ label, enter: lowerFirst(label), required: options.required });
}

/**
 * Optional text made into a value by `make` ("March 2026" into '2026-03'): null when left empty; `message` when
 * `make` gives null, as it does for text it cannot read.
 */
export function madeText<T>(label: string, max: number, make: (v: string) => T | null, message: string) {
  return optionalText(label, max).transform((v, ctx): T | null => {
    if (!v) return null;
    const made = make(v);
    if (made === null) ctx.addIssue({ code: 'custom', message });
    return made;
  });
}

/** Checkboxes: the values ticked that are among `allowed` (in the order sent); none is `required` ("Select ..."). */
export function choices<const T extends readonly [string, ...string[]]>(allowed: T, required: string) {
  return z
    .preprocess((v): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [v]), z.array(z.unknown()))
    .transform((v) => v.filter((x): x is T[number] => typeof x === 'string' && allowed.includes(x)))
    .pipe(z.array(z.enum(allowed)).min(1, { error: required }));
}

/** A problem a rule between fields finds: the field it is linked to (a date input's box: `['from', 'day']`, the whole
 * form: `[]`) and its message. */
export interface FieldProblem {
  path: string[];
  message: string;
}

/** A form's fields by name, in the order of the page; a field left out (undefined) is not on this form. */
export type Fields = Record<string, z.ZodType | undefined>;

/** What a rule between fields reads: a field as typed (trimmed, '' when absent), or its value when it has none of
 * its own problems (null when it has). */
export interface TypedForm<S extends Fields> {
  text(name: string): string;
  value<K extends keyof S & string>(name: K): z.output<NonNullable<S[K]>> | null;
}

/** A page's form: its schema for checkForm, and what was typed in it, to show again after a problem. */
export interface PageForm<T> {
  schema: z.ZodType<T>;
  values(body: unknown): Record<string, unknown>;
}

/**
 * A page's form from its fields, in the order of the page, and its rules between fields. Every problem is found at
 * once, as a person expects and as the GOV.UK pattern shows them: each field is checked on its own, and each rule on
 * what was typed even where a field has a problem of its own; the summary lists them in the order of the page, a
 * rule's after the field's own (one per field). `dates` names the GOV.UK date inputs among the fields (gathered as
 * withDateInputs does), `lists` the checkboxes (shown again as lists).
 */
export function pageForm<S extends Fields>(
  fields: S,
  options: {
    dates?: readonly (keyof S & string)[];
    lists?: readonly (keyof S & string)[];
    rules?: (form: TypedForm<S>) => (FieldProblem | false | null | undefined)[];
  } = {},
): PageForm<{ [K in keyof S]: z.output<NonNullable<S[K]>> }> {
  type Out = { [K in keyof S]: z.output<NonNullable<S[K]>> };
  const names = Object.keys(fields).filter((name) => fields[name] !== undefined);
  const dates = new Set<string>(options.dates ?? []);
  const lists = new Set<string>(options.lists ?? []);
  const bodyOf = (body: unknown) => (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const typed = (b: Record<string, unknown>, name: string) => field.parse(b[name]);
  const input = (b: Record<string, unknown>, name: string) =>
    dates.has(name) ? { day: b[`${name}-day`], month: b[`${name}-month`], year: b[`${name}-year`] } : b[name];
  const schema = z.unknown().transform((body, ctx): Out => {
    const b = bodyOf(body);
    const results = new Map(names.map((name) => [name, fields[name]!.safeParse(input(b, name))]));
    const problems: FieldProblem[] = [];
    for (const [name, result] of results) {
      for (const issue of result.error?.issues ?? [])
        problems.push({ path: [name, ...issue.path.map(String)], message: issue.message });
    }
    const form: TypedForm<S> = {
      text: (name) => typed(b, name),
      value: (name) => {
        const result = results.get(name);
        return result?.success ? (result.data as z.output<NonNullable<S[typeof name]>>) : null;
      },
    };
    for (const problem of options.rules?.(form) ?? []) if (problem) problems.push(problem);
    if (problems.length === 0) return Object.fromEntries([...results].map(([name, r]) => [name, r.data])) as Out;
    const place = (p: FieldProblem) => {
      const i = names.indexOf(p.path[0] ?? '');
      return i < 0 ? names.length : i;
    };
    // A stable sort: within a field, its own problem comes before a rule's.
    for (const p of [...problems].sort((x, y) => place(x) - place(y)))
      ctx.addIssue({ code: 'custom', message: p.message, path: p.path });
    return z.NEVER;
  });
  return {
    schema,
    values: (body) => {
      const b = bodyOf(body);
      return Object.fromEntries(
        names.map((name): [string, unknown] => {
          if (dates.has(name)) {
            const parts = {
              day: typed(b, `${name}-day`),
              month: typed(b, `${name}-month`),
              year: typed(b, `${name}-year`),
            };
            return [name, parts];
          }
          if (lists.has(name)) {
            const v = b[name];
            return [name, (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string')];
          }
          return [name, typed(b, name)];
        }),
      );
    },
  };
}

/** A page's form read: its values when it is right (else null), its error summary, and what was typed. */
export function readForm<T>(form: PageForm<T>, body: unknown) {
  const checked = checkForm(form.schema, body);
  return {
    data: checked.ok ? checked.data : null,
    errors: checked.ok ? [] : checked.errors,
    values: form.values(body),
  };
}
