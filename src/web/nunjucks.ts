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
          hour12: true,
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
  env.addFilter('trim', quickerTrim);
  env.addGlobal('EVENT_NAMES', EVENT_NAMES);
  addMacroGlobals(env);
  rememberRelativePaths(env);
  quickerFrameSet();
  quickerEscape();
  rememberImports();
  return env;
}

/** The part of Nunjucks' runtime this file touches, missing from its type definitions. */
interface FrameLike {
  variables: Record<string, unknown>;
  resolve(name: string, forWrite: boolean): FrameLike | undefined;
}

/** The loop variables a `for` sets on every pass, with the property each names on `loop`. */
const LOOP_PROPERTIES = new Map(
  ['index', 'index0', 'revindex', 'revindex0', 'first', 'last', 'length'].map((p) => [`loop.${p}`, p]),
);

const { lib } = nunjucks as unknown as { lib: { escape: (value: string) => string } };
/** Nunjucks' own escape, kept for text that needs escaping and for the tests that compare the two. */
export const nunjucksEscape = lib.escape;
/** The characters Nunjucks' escape replaces. */
const NEEDS_ESCAPE = /[&"'<>\\]/;

/**
 * Every value a page prints is escaped first, by a replace that calls a function for each match; most values (names,
 * dates, references, links) have nothing to replace, and testing for that first halves the cost of printing them.
 */
export function quickerEscape(): void {
  if (lib.escape !== nunjucksEscape) return;
  lib.escape = (value: string) => (NEEDS_ESCAPE.test(value) ? nunjucksEscape(value) : value);
}

const { copySafeness } = (
  nunjucks as unknown as { runtime: { copySafeness: (dest: unknown, target: string) => unknown } }
).runtime;

/**
 * The GOV.UK components trim every block of HTML they are given. Nunjucks' trim filter does it with a regular
 * expression that is tried at every position of the text: about 55 µs for 5 KB of HTML, against under 1 µs for
 * String.prototype.trim, which removes the same characters (ECMAScript's white space and line terminators, the
 * characters `\s` matches). Text marked safe stays safe, as in Nunjucks.
 */
export function quickerTrim(value: string): unknown {
  return copySafeness(value, value.trim());
}

type FrameSet = (this: FrameLike, name: string, val: unknown, resolveUp?: boolean) => void;
const { Frame } = (nunjucks as unknown as { runtime: { Frame: { prototype: FrameLike & { set: FrameSet } } } }).runtime;
/** Nunjucks' own Frame.set, kept for the rare dotted name and for the tests that compare the two. */
export const nunjucksFrameSet: FrameSet = Frame.prototype.set;
let frameSetPatched = false;

/**
 * Nunjucks sets every template variable through Frame.set, which splits the name on dots first: for the seven loop
 * variables of each pass of a `for` and every macro argument, a new array and new strings, then a property named by a
 * string never seen before. That was the largest single cost of rendering the caseload (about a fifth of it). The
 * same writes are made here without the split for names with no dot and for the loop variables; any other dotted
 * name goes the original way.
 */
export function quickerFrameSet(): void {
  if (frameSetPatched) return;
  frameSetPatched = true;
  Frame.prototype.set = function set(this: FrameLike, name: string, val: unknown, resolveUp?: boolean): void {
    const loopProperty = LOOP_PROPERTIES.get(name);
    if (loopProperty !== undefined && !resolveUp) {
      let loop = this.variables.loop as Record<string, unknown> | undefined;
      if (!loop) this.variables.loop = loop = {};
      loop[loopProperty] = val;
      return;
    }
    if (name.includes('.')) {
      nunjucksFrameSet.call(this, name, val, resolveUp);
      return;
    }
    const target = (resolveUp && this.resolve(name, true)) || this;
    target.variables[name] = val;
  };
}

type Exported = Record<string, unknown>;
type ExportedCallback = (err: Error | null, exported: Exported | null) => void;
type GetExported = (this: TemplateLike, ctx: unknown, parentFrame?: unknown, cb?: ExportedCallback) => void;
interface TemplateLike {
  getExported: GetExported;
}
const { Template } = nunjucks as unknown as { Template: { prototype: TemplateLike } };
/** Nunjucks' own getExported, kept for imports that share the page's variables and for the tests. */
export const nunjucksGetExported: GetExported = Template.prototype.getExported;
let importsPatched = false;

/**
 * `{% from "file" import name %}` runs the whole of "file" on every render to collect its macros. Every GOV.UK
 * component's template imports the attributes macro that way, so a page ran that file once per component it shows.
 * An import without context sees nothing of the page (only globals, looked up when a macro runs), so its macros are
 * the same every time: they are remembered for each loaded template (a template changed on disk is a new one).
 * Imports `with context` still run every time; one that fails is not remembered.
 */
export function rememberImports(): void {
  if (importsPatched) return;
  importsPatched = true;
  const known = new WeakMap<TemplateLike, Exported>();
  Template.prototype.getExported = function getExported(this: TemplateLike, ctx, parentFrame, cb) {
    // Without context, compiled templates pass the callback alone.
    if (typeof ctx !== 'function' || parentFrame !== undefined) {
      nunjucksGetExported.call(this, ctx, parentFrame, cb);
      return;
    }
    const done = ctx as ExportedCallback;
    const exported = known.get(this);
    if (exported !== undefined) {
      done(null, exported);
      return;
    }
    nunjucksGetExported.call(this, (err: Error | null, result: Exported | null) => {
      if (!err && result) known.set(this, result);
      done(err, result);
    });
  };
}

/**
 * Every component macro includes its template by a relative path ("./template.njk"), which Nunjucks resolves with
 * path.resolve on every call: a tenth of a page's rendering time. The answers never change, so each is remembered.
 */
function rememberRelativePaths(env: nunjucks.Environment): void {
  // `loaders` and `resolve` are part of Nunjucks' runtime but missing from its type definitions.
  const { loaders } = env as unknown as { loaders: { resolve?: (from: string, to: string) => string }[] };
  for (const loader of loaders) {
    const resolve = loader.resolve?.bind(loader);
    if (!resolve) continue;
    // By the including template, then the name it includes: two lookups of strings the templates already hold.
    const known = new Map<string, Map<string, string>>();
    loader.resolve = (from, to) => {
      let byName = known.get(from);
      if (byName === undefined) known.set(from, (byName = new Map<string, string>()));
      let resolved = byName.get(to);
      if (resolved === undefined) {
        resolved = resolve(from, to);
        byName.set(to, resolved);
      }
      return resolved;
    };
  }
}

/** The GOV.UK and MoJ components the views use, and the service's own form macros. */
const MACRO_FILES: Record<string, string[]> = {
  'partials/forms.njk': [
    'dateField',
    'stampFields',
    'conflictNotice',
    'staleNotice',
    'caseCaption',
    'statutoryDate',
    'filterSelect',
    'qualityWarnings',
    'pageLinks',
    'buttonLink',
    'submitButton',
  ],
  'moj/components/timeline/macro.njk': ['mojTimeline'],
  'partials/charts.njk': ['spcChart', 'variationIcon', 'assuranceIcon', 'fanChart'],
};
const GOVUK_COMPONENTS = [
  'back-link',
  'breadcrumbs',
  'button',
  'checkboxes',
  'date-input',
  'details',
  'error-summary',
  'fieldset',
  'file-upload',
  'inset-text',
  'input',
  'notification-banner',
  'panel',
  'password-input',
  'radios',
  'select',
  'summary-list',
  'table',
  'tag',
  'textarea',
  'warning-text',
];

/**
 * Makes every component macro a global, loaded once. A `{% from ... import %}` in a view runs the macro file again
 * on every render (Nunjucks does not cache imports), which measured as about a third of a page's rendering time.
 */
function addMacroGlobals(env: nunjucks.Environment): void {
  const files: [string, string[]][] = [
    ...GOVUK_COMPONENTS.map((c): [string, string[]] => [
      `govuk/components/${c}/macro.njk`,
      [`govuk${c.replace(/(^|-)([a-z])/g, (_m, _d, ch: string) => ch.toUpperCase())}`],
    ]),
    ...Object.entries(MACRO_FILES),
  ];
  for (const [file, names] of files) {
    // getExported is part of Nunjucks' Template but missing from its type definitions.
    const template = env.getTemplate(file, true) as unknown as {
      getExported(cb: (err: Error | null, exported: Record<string, unknown>) => void): void;
    };
    template.getExported((err, exported) => {
      if (err) throw err;
      for (const name of names) {
        const macro = exported[name];
        if (typeof macro !== 'function') throw new Error(`${file} has no macro ${name}`);
        env.addGlobal(name, macro);
      }
    });
  }
}
