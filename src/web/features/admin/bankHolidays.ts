import { Router, type Request, type Response } from 'express';
import { parseLocalDate, type LocalDate } from '../../../domain/dates/localDate.js';
import type { Services } from '../../../services/index.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import type { FormError } from '../../forms.js';
import { checkForm, dateInput, field, optionalText, withDateInputs } from '../../validation.js';
import { z } from 'zod';

interface DateForm {
  day: string;
  month: string;
  year: string;
  title: string;
}

/** The form: its date boxes are named `day`, `month` and `year`, and link to `#date-day` and so on. */
const bankHolidayForm = withDateInputs(
  ['date'],
  z.object({
    date: dateInput({ label: 'The date', enter: 'the date of the bank holiday', example: '25 12 2029' }).refine(
      (date) => date !== null && Number(date.slice(0, 4)) >= 2014 && Number(date.slice(0, 4)) <= 2100,
      { error: 'The year must be between 2014 and 2100', path: ['year'] },
    ),
    title: optionalText('The name', 100),
  }),
  () => ({ day: 'day', month: 'month', year: 'year' }),
);

/** Reads the GOV.UK date input and the optional name; every problem is named against its field. */
export function validateBankHoliday(body: Record<string, unknown>): {
  values: DateForm;
  date: LocalDate | null;
  errors: FormError[];
} {
  const values = { day: '', month: '', year: '', title: '' };
  for (const name of Object.keys(values) as (keyof DateForm)[]) values[name] = field.parse(body[name]);
  const checked = checkForm(bankHolidayForm, body);
  return checked.ok ? { values, date: checked.data.date, errors: [] } : { values, date: null, errors: checked.errors };
}

export function bankHolidayRoutes(services: Services): Router {
  const router = Router();

  async function render(req: Request, res: Response, extra: Record<string, unknown> = {}) {
    const dates = await services.calendar.list(requestContext(req));
    const years = new Map<string, string[]>();
    for (const d of dates) years.set(d.slice(0, 4), [...(years.get(d.slice(0, 4)) ?? []), d]);
    res.render('admin/bank-holidays.njk', {
      years: [...years.entries()].reverse().map(([year, list]) => ({ year, dates: list })),
      lastYear: dates.at(-1)?.slice(0, 4),
      ...extra,
    });
  }

  router.get('/admin/bank-holidays', requirePermission('calendar:manage'), async (req, res) => {
    const added = parseLocalDate(req.query.added);
    await render(req, res, { added });
  });

  router.post('/admin/bank-holidays', requirePermission('calendar:manage'), async (req, res) => {
    const { values, date, errors } = validateBankHoliday((req.body ?? {}) as Record<string, unknown>);
    if (date && errors.length === 0) {
      const result = await services.calendar.add(requestContext(req), date, values.title || null);
      if (result.ok) {
        res.redirect(303, `/admin/bank-holidays?added=${date}`);
        return;
      }
      errors.push({ text: result.error, href: '#date-day' });
    }
    res.status(400);
    await render(req, res, { values, errors });
  });

  return router;
}
