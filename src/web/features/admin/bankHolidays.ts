import { Router, type Request, type Response } from 'express';
import { parseLocalDate, type LocalDate } from '../../../domain/dates/localDate.js';
import type { Services } from '../../../services/index.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import type { FormError } from '../signin/validation.js';

interface DateForm {
  day: string;
  month: string;
  year: string;
  title: string;
}

/** Reads the GOV.UK date input and the optional name; every problem is named against its field. */
export function validateBankHoliday(body: Record<string, unknown>): {
  values: DateForm;
  date: LocalDate | null;
  errors: FormError[];
} {
  const text = (name: string) => (typeof body[name] === 'string' ? body[name].trim() : '');
  const values = { day: text('day'), month: text('month'), year: text('year'), title: text('title') };
  const errors: FormError[] = [];
  let date: LocalDate | null = null;
  if (!values.day && !values.month && !values.year) {
    errors.push({ text: 'Enter the date of the bank holiday', href: '#date-day' });
  } else if (!values.day || !values.month || !values.year) {
    const missing = [!values.day && 'day', !values.month && 'month', !values.year && 'year'].filter(Boolean);
    errors.push({ text: `The date must include a ${missing.join(' and ')}`, href: `#date-${missing[0] as string}` });
  } else if (!/^\d{1,2}$/.test(values.day) || !/^\d{1,2}$/.test(values.month) || !/^\d{4}$/.test(values.year)) {
    errors.push({ text: 'The date must be a real date, like 25 12 2029', href: '#date-day' });
  } else {
    date = parseLocalDate(`${values.year}-${values.month.padStart(2, '0')}-${values.day.padStart(2, '0')}`);
    if (!date) errors.push({ text: 'The date must be a real date, like 25 12 2029', href: '#date-day' });
    else if (Number(values.year) < 2014 || Number(values.year) > 2100) {
      errors.push({ text: 'The year must be between 2014 and 2100', href: '#date-year' });
      date = null;
    }
  }
  if (values.title.length > 100) errors.push({ text: 'The name must be 100 characters or fewer', href: '#title' });
  return { values, date, errors };
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
