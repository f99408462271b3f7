/**
 * Reading GOV.UK form fields: every problem becomes an error named against its field (for the error summary and
 * the message beside the field), and the values typed are kept to show again, so nothing typed is lost.
 */
import type { StaleDetail } from '../services/errors.js';
import { parseLocalDate, type LocalDate } from '../domain/dates/localDate.js';
import type { FormError } from './features/signin/validation.js';
import { isUuid, versionFrom } from '../domain/identifiers/uuid.js';

export type { FormError };

export type Body = Record<string, unknown>;

/** A text field, trimmed; '' when absent or not text. */
export function text(body: Body, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** Checkbox values (one or many) as a list. */
export function list(body: Body, name: string): string[] {
  const value = body[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

export class FormReader {
  readonly errors: FormError[] = [];
  readonly values: Record<string, unknown> = {};

  constructor(readonly body: Body) {}

  error(field: string, message: string, href = `#${field}`): void {
    if (!this.errors.some((e) => e.href === href)) this.errors.push({ text: message, href });
  }

  /** Optional text, at most `max` characters. */
  text(name: string, label: string, options: { required?: string; max?: number } = {}): string {
    const value = text(this.body, name);
    this.values[name] = value;
    if (!value && options.required) this.error(name, options.required);
    else if (value.length > (options.max ?? 500)) {
      this.error(name, `${label} must be ${(options.max ?? 500).toLocaleString('en-GB')} characters or fewer`);
    }
    return value;
  }

  /** One of the given values (radios, selects). */
  choice<T extends string>(name: string, allowed: readonly T[], required: string): T | null {
    const value = text(this.body, name);
    this.values[name] = value;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.error(name, required);
    return null;
  }

  /** Several of the given values (checkboxes). */
  choices<T extends string>(name: string, allowed: readonly T[], required: string): T[] {
    const picked = list(this.body, name).filter((v): v is T => (allowed as readonly string[]).includes(v));
    this.values[name] = picked;
    if (picked.length === 0) this.error(name, required);
    return picked;
  }

  /**
   * A number typed in a text field (commas and spaces allowed, as people type them), within a range; null when it is
   * missing (an error if `required`) or wrong (with the pattern's messages).
   */
  number(
    name: string,
    label: string,
    options: { min: number; max: number; whole?: boolean; required?: boolean; unit?: string },
  ): number | null {
    const raw = text(this.body, name);
    this.values[name] = raw;
    const unit = options.unit ?? '';
    if (!raw) {
      if (options.required) this.error(name, `Enter ${lowerFirst(label)}`);
      return null;
    }
    const value = Number(raw.replace(/[,\s]/g, '').replace(/%$/, ''));
    if (!Number.isFinite(value) || (options.whole && !Number.isInteger(value))) {
      this.error(name, `${label} must be ${options.whole ? 'a whole number' : 'a number'}`);
      return null;
    }
    if (value < options.min || value > options.max) {
      this.error(
        name,
        `${label} must be between ${options.min.toLocaleString('en-GB')}${unit} and ${options.max.toLocaleString('en-GB')}${unit}`,
      );
      return null;
    }
    return value;
  }

  /**
   * A GOV.UK date input (`<name>-day`, `<name>-month`, `<name>-year`), with the pattern's messages: what is missing,
   * or that it must be a real date.
   */
  date(name: string, label: string, options: { required?: boolean } = { required: true }): LocalDate | null {
    const day = text(this.body, `${name}-day`);
    const month = text(this.body, `${name}-month`);
    const year = text(this.body, `${name}-year`);
    this.values[name] = { day, month, year };
    if (!day && !month && !year) {
      if (options.required !== false) this.error(name, `Enter ${lowerFirst(label)}`, `#${name}-day`);
      return null;
    }
    if (!day || !month || !year) {
      const missing = (['day', 'month', 'year'] as const).filter((p) => !{ day, month, year }[p]);
      this.error(name, `${label} must include a ${missing.join(' and ')}`, `#${name}-${missing[0]}`);
      return null;
    }
    const parsed =
      /^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year)
        ? parseLocalDate(`${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`)
        : null;
    if (!parsed) {
      this.error(name, `${label} must be a real date`, `#${name}-day`);
      return null;
    }
    return parsed;
  }

  /** A GOV.UK date input of month and year only (`<name>-month`, `<name>-year`): 'YYYY-MM', or null with the error. */
  month(name: string, label: string): string | null {
    const month = text(this.body, `${name}-month`);
    const year = text(this.body, `${name}-year`);
    this.values[name] = { month, year };
    if (!month && !year) {
      this.error(name, `Enter ${lowerFirst(label)}`, `#${name}-month`);
      return null;
    }
    if (!month || !year) {
      this.error(name, `${label} must include a ${month ? 'year' : 'month'}`, `#${name}-${month ? 'year' : 'month'}`);
      return null;
    }
    const m = Number(month);
    if (!/^\d{1,2}$/.test(month) || m < 1 || m > 12 || !/^\d{4}$/.test(year)) {
      this.error(name, `${label} must be a real month`, `#${name}-month`);
      return null;
    }
    return `${year}-${String(m).padStart(2, '0')}`;
  }

  /** The form's stamp: the version of the case it was opened against and its one-off submission key. */
  stamp(): { version: number; submissionKey: string } | null {
    const version = versionFrom(text(this.body, 'version'));
    const submissionKey = text(this.body, 'submissionKey');
    this.values.version = version;
    this.values.submissionKey = submissionKey;
    if (!Number.isInteger(version) || version < 1 || !isUuid(submissionKey)) return null;
    return { version, submissionKey };
  }
}

/** A stored date as the values of a GOV.UK date input ({} for none), to fill a form with what is saved. */
export function dateInputValues(date: string | null | undefined): { day?: string; month?: string; year?: string } {
  if (!date) return {};
  return { day: String(Number(date.slice(8, 10))), month: String(Number(date.slice(5, 7))), year: date.slice(0, 4) };
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** The error to show beside a field: the first whose link points at it (or at one of its date parts). */
export function fieldError(errors: readonly FormError[] | undefined, field: string): { text: string } | undefined {
  const found = errors?.find((e) => e.href === `#${field}` || e.href.startsWith(`#${field}-`));
  return found ? { text: found.text } : undefined;
}

/** A rule error from a service, linked to its field on the form (dates link to their day box). */
export function serviceErrors(
  errors: readonly { field: string; text: string }[],
  dateFields: readonly string[],
): FormError[] {
  return errors.map((e) => ({
    text: e.text,
    href: !e.field ? '#main-content' : dateFields.includes(e.field) ? `#${e.field}-day` : `#${e.field}`,
  }));
}

/**
 * What a stale form shows (StaleFormError): a GOV.UK error summary line saying the form was not saved (or the record
 * not removed, for a remove button), and a table of
 * each field someone else changed, what is saved now beside what this person entered, with who saved it and when.
 */
export function staleView(detail: StaleDetail, what: string, asked: 'save' | 'remove' = 'save') {
  const text =
    asked === 'remove'
      ? `Someone else changed ${what} while you had this page open, so it was not removed. Check their change, then remove it again if it is still not needed.`
      : `Someone else changed ${what} while you had this page open, so yours was not saved. Check their change, then save again if yours is still needed.`;
  return {
    errors: [
      {
        text,
        href: detail.changes.length ? '#stale-changes' : '#main-content',
      },
    ],
    stale: {
      caption: `What ${detail.by ?? 'someone else'} saved`,
      at: detail.at,
      rows: detail.changes.map((c) => [
        { text: c.field },
        { text: c.saved === '' ? 'Blank' : c.saved },
        { text: c.yours === '' ? 'Blank' : c.yours },
      ]),
    },
  };
}
