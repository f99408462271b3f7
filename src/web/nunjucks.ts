import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import nunjucks from 'nunjucks';
import { ADVICE_TYPE_NAMES, PRIMARY_NEED_NAMES, STAGE_NAMES, isStage } from '../domain/casework/stages.js';
import {
  EVENT_NAMES,
  EXCEPTION_NAMES,
  OUTCOME_NAMES,
  REQUEST_SOURCE_NAMES,
  eventName,
} from '../domain/casework/events.js';
import { formatLongDate, parseLocalDate } from '../domain/dates/localDate.js';
import { ROLE_NAMES, isRole } from '../domain/access/roles.js';
import { fieldError, type FormError } from './forms.js';
import { CONSULTATION_RESPONSES } from '../domain/casework/consultation.js';

const require = createRequire(import.meta.url);
export const GOVUK_FRONTEND_ROOT = path.dirname(require.resolve('govuk-frontend/package.json'));
export const MOJ_FRONTEND_ROOT = path.dirname(require.resolve('@ministryofjustice/frontend/package.json'));
/** Source folders (views are read from src/ whether running from source or from the build). */
export const WEB_ROOT = fileURLToPath(new URL('../../src/web', import.meta.url));

/** Numbers as "1,234": one formatter for all (toLocaleString makes a new one each call, about 50 µs). */
const WHOLE_NUMBER = new Intl.NumberFormat('en-GB');

function lookup(table: Record<string, string>) {
  return (value: unknown) => (typeof value === 'string' ? (table[value] ?? value) : '');
}

export function configureNunjucks(app: Express, options: { watch?: boolean } = {}) {
  const env = nunjucks.configure(
    [
      path.join(WEB_ROOT, 'views'),
      path.join(WEB_ROOT, 'features'),
      path.join(GOVUK_FRONTEND_ROOT, 'dist'),
      MOJ_FRONTEND_ROOT,
    ],
    { autoescape: true, express: app, watch: options.watch ?? false, noCache: false, throwOnUndefined: false },
  );
  env.addFilter('longDate', (value: unknown) => {
    const d = parseLocalDate(value);
    return d ? formatLongDate(d) : '';
  });
  env.addFilter('dateTime', (value: unknown) =>
    value instanceof Date
      ? new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Europe/London',
          day: 'numeric',
          month: 'long',
          year: 'numeric',
          hour: 'numeric',
          minute: '2-digit',
          // 12-hour clock from 12 (en-GB with hour12 alone counts from 0: "0:36 am" for just after midnight).
          hourCycle: 'h12',
        })
          .format(value)
          .replace(' at ', ', ')
      : '',
  );
  // The MoJ timeline formats its dates through a filter of this name; calendar dates only, no moment.js.
  env.addFilter('mojDate', (value: unknown, type: unknown) => {
    const d = parseLocalDate(typeof value === 'string' ? value.slice(0, 10) : value);
    if (!d) return '';
    return type === 'shortdate' ? formatLongDate(d).replace(/(\d+ )(\w{3})\w*/, '$1$2') : formatLongDate(d);
  });
  env.addFilter('stageName', (value: unknown) =>
    isStage(value) ? STAGE_NAMES[value] : typeof value === 'string' ? value : '',
  );
  env.addFilter('roleName', (value: unknown) =>
    isRole(value) ? ROLE_NAMES[value] : typeof value === 'string' ? value : '',
  );
  env.addFilter('eventName', (value: unknown) => (typeof value === 'string' ? eventName(value) : ''));
  env.addFilter('adviceTypeName', lookup(ADVICE_TYPE_NAMES));
  env.addFilter('needName', lookup(PRIMARY_NEED_NAMES));
  env.addFilter('outcomeName', lookup(OUTCOME_NAMES));
  env.addFilter('exceptionName', lookup(EXCEPTION_NAMES));
  env.addFilter('sourceName', lookup(REQUEST_SOURCE_NAMES));
  env.addFilter('consultationResponseName', lookup(CONSULTATION_RESPONSES));
  env.addFilter(
    'plural',
    (n: number, one: string, many: string) => `${WHOLE_NUMBER.format(n)} ${n === 1 ? one : many}`,
  );
  env.addFilter('number', (n: unknown) => (typeof n === 'number' ? WHOLE_NUMBER.format(n) : ''));
  env.addFilter('fieldError', (errors: unknown, field: string) =>
    fieldError(Array.isArray(errors) ? (errors as FormError[]) : undefined, field),
  );
  env.addGlobal('EVENT_NAMES', EVENT_NAMES);
  env.addFilter('trim', linearTrim(env.getFilter('trim') as (value: unknown) => unknown));
  return env;
}

const { copySafeness, SafeString } = nunjucks.runtime as unknown as {
  copySafeness: (from: unknown, to: string) => unknown;
  SafeString: new (value: string) => { valueOf(): unknown };
};

/**
 * The `trim` filter, giving exactly what Nunjucks' own gives, in linear time. Nunjucks 3.2.4's removes
 * `/^\s*|\s*$/g`, and for `\s*$` the regular expression engine tries every position of a run of whitespace, each
 * scanning to its end: time grows with the square of the run. GOV.UK Frontend's macros trim their own output, which
 * has runs of hundreds of spaces and newlines (each empty attribute loop leaves some), so the new-request form (20
 * fields) spent about 25 ms of its 30 ms render in this filter. String.prototype.trim removes the same characters
 * (ECMAScript's WhiteSpace and LineTerminator, which is what `\s` matches) and a safe string stays safe, as with
 * Nunjucks' own; anything else (not a string) goes to Nunjucks' own filter.
 */
export function linearTrim(builtIn: (value: unknown) => unknown): (value: unknown) => unknown {
  return (value) => {
    if (typeof value === 'string') return value.trim();
    // A safe string is a String object: its text is its valueOf().
    if (value instanceof SafeString) return copySafeness(value, (value.valueOf() as string).trim());
    return builtIn(value);
  };
}
