/**
 * The scenario form checked with zod (web/validation.ts, the one adapter to the GOV.UK error summary): each field with
 * the pattern's messages, and the rules between fields. A change in staff, the plan's or yours, is modelled in
 * proportion to the staff there are now, so the number now is needed for each kind of staff that changes; the service
 * names the plan's changes (it reads the plan), this schema the form's own.
 */
import { z } from 'zod';
import { formatMonth, type LocalDate } from '../../../domain/dates/localDate.js';
import { addMonths } from '../../../domain/dates/months.js';
import type { CapacityStage } from '../../../domain/commitments/plan.js';
import { MODELLED_STAFF } from '../../../domain/forecast/scenarios.js';
import type { ScenarioRequest } from '../../../services/forecastScenarios.js';
import { choice, dateInput, field, monthInput, numberInput, withDateInputs } from '../../validation.js';

/** The staff a scenario can change, as the form names them. */
export const STAFF_NAMES: Record<string, { plural: string; short: string }> = {
  educational_psychology: { plural: 'educational psychologists', short: 'Educational psychologists' },
  casework: { plural: 'EHC caseworkers', short: 'EHC caseworkers' },
};

/** The months a target can be judged in: whole months of the forecast (not the rest of this one). */
export function targetMonths(today: LocalDate): { first: string; last: string } {
  return { first: addMonths(today, 1).slice(0, 7), last: addMonths(today, 23).slice(0, 7) };
}

const staffNowField = (staff: CapacityStage) =>
  numberInput(`The number of ${STAFF_NAMES[staff]!.plural} now`, { min: 0.5, max: 10_000 });
const extraField = (staff: CapacityStage) =>
  numberInput(`More ${STAFF_NAMES[staff]!.plural}`, { min: -1000, max: 1000 });
const fromField = (staff: CapacityStage) => {
  const what = `the date the ${STAFF_NAMES[staff]!.plural} start`;
  return dateInput({ label: `The date the ${STAFF_NAMES[staff]!.plural} start`, enter: what, required: false });
};
/** "Every review on time": the months the overdue reviews are cleared over (up to 2 years, the forecast's horizon). */
export const REVIEW_CLEAR_MONTHS = { min: 1, max: 24 } as const;
const reviewMonthsField = numberInput('The months to clear the overdue reviews in', {
  ...REVIEW_CLEAR_MONTHS,
  whole: true,
  required: true,
});
const chanceField = numberInput('The chance wanted', { min: 1, max: 99, unit: '%', required: true });
const solveFromField = (staff: CapacityStage) =>
  dateInput({
    label: `The date more ${STAFF_NAMES[staff]!.plural} could start`,
    enter: `the date more ${STAFF_NAMES[staff]!.plural} could start`,
  });

/** A field checked only when another asks for it: its problems, if any, at its name. */
function checkField(ctx: z.RefinementCtx, name: string, schema: z.ZodType, value: unknown) {
  const checked = schema.safeParse(value);
  if (checked.success) return;
  for (const issue of checked.error.issues)
    ctx.addIssue({ code: 'custom', message: issue.message, path: [name, ...issue.path] });
}

/** The form's fields in the order of the page: the error summary lists problems in this order. */
export const SCENARIO_FIELDS = [
  ...MODELLED_STAFF.map((s) => `staff-${s}`),
  'demand',
  ...MODELLED_STAFF.flatMap((s) => [`extra-${s}`, `from-${s}`]),
  'reviews',
  'review-months',
  'target-share',
  'target',
  'solve',
  'chance',
  'solve-from',
];

const DATE_FIELDS = [...MODELLED_STAFF.map((s) => `from-${s}`), 'solve-from'];

/** The scenario form's body as a ScenarioRequest, or the problems with it. */
export function scenarioForm(today: LocalDate, canSaveStaffing: boolean) {
  const { first, last } = targetMonths(today);
  const shape: Record<string, z.ZodType> = {
    demand: numberInput('The change in requests', { min: -90, max: 200, unit: '%' }),
    saveStaffing: field,
    reviews: choice(['as_now', 'on_time'], 'Select how the annual reviews are run in your scenario'),
    // Checked only when every review is to be on time (below).
    'review-months': field,
    'target-share': numberInput('The target share', { min: 1, max: 100, unit: '%', required: true }),
    target: monthInput('The target month'),
    solve: choice(['no', ...MODELLED_STAFF], 'Select whether to work out how many more staff it would take'),
    // Checked only when the solver is asked for (below).
    chance: z.unknown(),
    'solve-from': z.unknown(),
  };
  for (const s of MODELLED_STAFF) {
    shape[`staff-${s}`] = staffNowField(s);
    shape[`extra-${s}`] = extraField(s);
    shape[`from-${s}`] = fromField(s);
  }
  return withDateInputs(
    [...DATE_FIELDS, 'target'],
    z
      .object(shape)
      .check(
        z.superRefine(
          (f, ctx) => {
            const staffNow = (s: CapacityStage) => f[`staff-${s}`];
            for (const s of MODELLED_STAFF) {
              const names = STAFF_NAMES[s]!;
              const change = f[`extra-${s}`];
              if (typeof change !== 'number' || change === 0) continue;
              if (f[`from-${s}`] === null) {
                ctx.addIssue({
                  code: 'custom',
                  message: `Enter the date the ${names.plural} start`,
                  path: [`from-${s}`, 'day'],
                });
              }
              if (staffNow(s) === null) {
                ctx.addIssue({
                  code: 'custom',
                  message: `Enter the number of ${names.plural} now, to add more`,
                  path: [`staff-${s}`],
                });
              }
            }
            if (f.reviews === 'on_time') checkField(ctx, 'review-months', reviewMonthsField, f['review-months']);
            const month = f.target;
            if (typeof month === 'string' && (month < first || month > last)) {
              ctx.addIssue({
                code: 'custom',
                message: `The target month must be between ${formatMonth(first)} and ${formatMonth(last)}`,
                path: ['target', 'month'],
              });
            }
            // A field at fault has no value here (or not one of its kind): only the values checked are used.
            const staff = MODELLED_STAFF.find((s) => s === f.solve);
            if (staff) {
              checkField(ctx, 'chance', chanceField, f.chance);
              checkField(ctx, 'solve-from', solveFromField(staff), f['solve-from']);
              if (staffNow(staff) === null) {
                ctx.addIssue({
                  code: 'custom',
                  message: `Enter the number of ${STAFF_NAMES[staff]!.plural} now, to work out how many more it would take`,
                  path: [`staff-${staff}`],
                });
              }
            }
          },
          // The rules between fields are checked whatever else is wrong, so every problem is named at once.
          { when: () => true },
        ),
      )
      .transform((f): ScenarioRequest => {
        const staffNow: Partial<Record<CapacityStage, number>> = {};
        const changes: ScenarioRequest['changes'] = [];
        for (const s of MODELLED_STAFF) {
          const now = f[`staff-${s}`] as number | null;
          if (now !== null) staffNow[s] = now;
          const change = f[`extra-${s}`] as number | null;
          const from = f[`from-${s}`] as LocalDate | null;
          if (change !== null && change !== 0 && from !== null) {
            changes.push({ staff: s, change, from, label: 'Your scenario' });
          }
        }
        const solve = f.solve as 'no' | CapacityStage;
        return {
          staffNow,
          saveStaffing: canSaveStaffing && f.saveStaffing === 'yes',
          demandChangePercent: (f.demand as number | null) ?? 0,
          changes,
          reviews:
            f.reviews === 'on_time'
              ? { kind: 'on_time', clearOverdueMonths: reviewMonthsField.parse(f['review-months']) }
              : { kind: 'as_now' },
          target: { share: f['target-share'] as number, month: f.target as string },
          solve:
            solve === 'no'
              ? null
              : {
                  staff: solve,
                  from: solveFromField(solve).parse(f['solve-from'])!,
                  chance: chanceField.parse(f.chance),
                },
        };
      }),
  );
}

/** What was typed, to show again: text trimmed, each date input as its parts. */
export function typedValues(body: Record<string, unknown>, canSaveStaffing: boolean): Record<string, unknown> {
  const text = (name: string) => (typeof body[name] === 'string' ? body[name].trim() : '');
  const values: Record<string, unknown> = {};
  for (const name of SCENARIO_FIELDS) {
    if (name === 'target') values[name] = { month: text('target-month'), year: text('target-year') };
    else if (DATE_FIELDS.includes(name)) {
      values[name] = { day: text(`${name}-day`), month: text(`${name}-month`), year: text(`${name}-year`) };
    } else values[name] = text(name);
  }
  values.saveStaffing = canSaveStaffing && text('saveStaffing') === 'yes' ? 'yes' : '';
  return values;
}
