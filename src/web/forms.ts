/**
 * Small pieces of GOV.UK forms that the schemas (web/validation.ts) and the routes share: a field's text, a list of
 * checkbox values, a stored date as a date input's boxes, a field's message, and a refusal's errors and stale notice.
 */
import type { StaleDetail } from '../services/errors.js';
import type { FormError } from './features/signin/validation.js';

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

/** A stored date as the values of a GOV.UK date input ({} for none), to fill a form with what is saved. */
export function dateInputValues(date: string | null | undefined): { day?: string; month?: string; year?: string } {
  if (!date) return {};
  return { day: String(Number(date.slice(8, 10))), month: String(Number(date.slice(5, 7))), year: date.slice(0, 4) };
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
