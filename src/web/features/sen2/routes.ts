/**
 * The SEN2 return page for the LA's data team: choose a year, see the return's headline counts beside the
 * dashboard's, its problems, and download the XML; say which designated officers are in post (the header); check a
 * SEN2 file; and import a SEN2 or CSV file of existing cases, with a dry run first.
 */
import { casePeriods } from '../casework/periods.js';
import { readFile } from 'node:fs/promises';
import { Router, type Request, type Response } from 'express';
import { CENSUS_DATES, isSen2Year, SEN2_YEARS } from '../../../domain/sen2/census.js';
import type { Sen2Counts } from '../../../domain/sen2/counts.js';
import { CSV_COLUMNS } from '../../../domain/sen2/csv.js';
import { formatLongDate } from '../../../domain/dates/localDate.js';
import { REVIEW_DECISION_DAYS, REVIEW_DECISION_WEEKS } from '../../../domain/statutory/periods.js';
import type { Services } from '../../../services/index.js';
import { BusyError, failureInWords, jobProgress } from '../../../services/jobs.js';
import {
  callerFrom,
  latestYear,
  SEN2_OFFICER_ANSWERS,
  SEN2_OFFICERS,
  type DashboardFigures,
  type Sen2Export,
  type Sen2ReviewFigures,
} from '../../../services/sen2.js';
import { toCsv } from '../../../services/csv.js';
import { text, type Body } from '../../forms.js';
import { attempt } from '../../formFailures.js';
import { readImportForm, readOfficersForm, TOO_LARGE } from './validation.js';
import { requestContext, requirePermission, requireRecentAuthentication } from '../../middleware/auth.js';
import { uuidParams } from '../../middleware/params.js';
import { noStore } from '../../middleware/security.js';

/** A SEN2 file of 20,000 persons is about 20MB. */
export const MAX_SEN2_BYTES = 60 * 1024 * 1024;
/** Problems and rows listed on a page; the rest are counted (the command line lists them all). */
const SHOWN = 200;

const OFFICERS = SEN2_OFFICERS;
const OFFICER_ANSWERS = SEN2_OFFICER_ANSWERS;

const pct = (n: number, d: number) => (d === 0 ? 'none issued' : `${((100 * n) / d).toFixed(1)}%`);
const num = (n: number) => n.toLocaleString('en-GB');

/** The headline figures, the return's beside the dashboard's, as table rows. */
function comparison(c: Sen2Counts, dash: DashboardFigures | null) {
  const row = (label: string, ret: string, board: string | null) => ({
    label,
    ret,
    board: board ?? 'Not yet worked out',
    agrees: board === null ? null : ret === board,
  });
  return [
    row('Requests for assessment received', num(c.requestsReceived), dash && num(dash.requestsReceived)),
    row('Decisions to assess', num(c.decisionsToAssess), dash && num(dash.decisionsToAssess)),
    row('New EHC plans issued', num(c.plansIssued), dash && num(dash.plansIssued)),
    row(
      'Issued within 20 weeks, including exceptions',
      `${num(c.plansWithin20Weeks)} (${pct(c.plansWithin20Weeks, c.plansIssued)})`,
      dash && `${num(dash.plansWithin20Weeks)} (${pct(dash.plansWithin20Weeks, dash.plansIssued)})`,
    ),
    row(
      'Issued within 20 weeks, excluding exceptions',
      `${num(c.plansWithin20WeeksExcl)} (${pct(c.plansWithin20WeeksExcl, c.plansIssuedExcl)})`,
      dash && `${num(dash.plansWithin20WeeksExcl)} (${pct(dash.plansWithin20WeeksExcl, dash.plansIssuedExcl)})`,
    ),
    row('EHC plans maintained on the census date', num(c.activePlans), dash && num(dash.activePlans)),
    row(
      'EHC plans ceased from the start of the year to the census date',
      num(c.ceasedPlans),
      dash && num(dash.plansCeased),
    ),
  ];
}

/**
 * The year's review decisions as table rows: the return's (each active plan's latest review) with the decisions it
 * leaves out, beside the dashboard's (every decision told in the year); they agree when the two sums are equal.
 */
function reviewRows(f: Sen2ReviewFigures) {
  const left = {
    decisions: f.planEnded.decisions + f.reviewedAgain.decisions,
    within4Weeks: f.planEnded.within4Weeks + f.reviewedAgain.within4Weeks,
  };
  const total = f.inReturn.decisions + left.decisions;
  const totalWithin = f.inReturn.within4Weeks + left.within4Weeks;
  const share = (n: number, d: number) => `${num(n)} (${pct(n, d).replace('none issued', 'none made')})`;
  return [
    {
      label: 'Annual review decisions told in the year, after the meeting',
      ret: `${num(f.inReturn.decisions)}, and ${num(left.decisions)} not in the return: ${num(total)}`,
      board: f.dashboard ? num(f.dashboard.decisions) : 'Not yet worked out',
      agrees: f.dashboard ? f.dashboard.decisions === total : null,
    },
    {
      label: `Of those, told within ${REVIEW_DECISION_WEEKS} weeks of the meeting`,
      ret: `${share(f.inReturn.within4Weeks, f.inReturn.decisions)}, and ${num(left.within4Weeks)} not in the return: ${share(totalWithin, total)}`,
      board: f.dashboard ? share(f.dashboard.within4Weeks, f.dashboard.decisions) : 'Not yet worked out',
      agrees: f.dashboard ? f.dashboard.within4Weeks === totalWithin && f.dashboard.decisions === total : null,
    },
  ];
}

/** Problem lines as table rows: level, where, what. */
function problemRows(lines: readonly string[]) {
  return lines.slice(0, SHOWN).map((l) => {
    const m = /^(ERROR|QUERY) (.*?): (.*)$/.exec(l);
    return m ? { level: m[1]!, where: m[2]!, message: m[3]! } : { level: 'ERROR', where: '', message: l };
  });
}

export function sen2Routes(services: Services): Router {
  const router = Router();
  uuidParams(router, services, { id: 'sen2_import' });
  const allowed = requirePermission('sen2:manage');

  async function renderPage(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const caller = callerFrom(requestContext(req));
    const officers = await services.sen2.officers(caller);
    const chosen = Number(req.query.year);
    const year = isSen2Year(chosen) ? chosen : null;
    const result: Sen2Export | null = year ? await services.sen2.exportReturn(caller, year) : null;
    res.status(status).render('sen2/sen2.njk', {
      periods: casePeriods(),
      reviewDecisionWeeks: REVIEW_DECISION_WEEKS,
      reviewDecisionDays: REVIEW_DECISION_DAYS,
      years: [...SEN2_YEARS].reverse().map((y) => ({
        year: y,
        census: formatLongDate(CENSUS_DATES[y]!.census),
        deadline: CENSUS_DATES[y]!.deadline ? formatLongDate(CENSUS_DATES[y]!.deadline) : '',
      })),
      defaultYear: year ?? latestYear(services.clock.today()),
      year,
      result: result && {
        from: formatLongDate(result.from),
        to: formatLongDate(result.to),
        census: formatLongDate(result.census),
        persons: result.ret.persons.length,
        errors: result.errors,
        queries: result.queries,
        rows: [...comparison(result.counts, result.dashboard), ...reviewRows(result.reviews)],
        reviewsLeftOut: {
          planEnded: num(result.reviews.planEnded.decisions),
          reviewedAgain: num(result.reviews.reviewedAgain.decisions),
        },
        problems: problemRows(result.lines),
        more: Math.max(0, result.lines.length - SHOWN),
      },
      officers: OFFICERS.map(([key, label]) => ({ key, label, value: officers[key] })),
      officersVersion: officers.version,
      answers: OFFICER_ANSWERS.map(([value, label]) => ({ value, text: label })),
      saved: req.query.saved === 'officers',
      ...extra,
    });
  }

  router.get('/sen2', allowed, noStore, async (req, res) => {
    if (req.query.year !== undefined && !isSen2Year(Number(req.query.year))) {
      await renderPage(req, res, 400, { errors: [{ text: `Select ${SEN2_YEARS.join(' or ')}`, href: '#year' }] });
      return;
    }
    await renderPage(req, res, 200);
  });

  // The whole return is every child's record: the user must have proved who they are in the last 15 minutes.
  const recentlyAuthenticated = requireRecentAuthentication();
  const RETURN_FILE = /^SEN2_(\d{3})_(\d{4})\.xml$/;
  router.get(
    '/sen2/:file',
    allowed,
    noStore,
    (req, res, next) => (RETURN_FILE.test(req.params.file as string) ? recentlyAuthenticated(req, res, next) : next()),
    async (req, res, next) => {
      const m = RETURN_FILE.exec(req.params.file as string);
      const caller = callerFrom(requestContext(req));
      if (!m || m[1] !== caller.laCode || !isSen2Year(Number(m[2]))) {
        next();
        return;
      }
      const result = await services.sen2.exportReturn(caller, Number(m[2]));
      res.type('application/xml').attachment(`SEN2_${caller.laCode}_${m[2]}.xml`).send(result.xml);
    },
  );

  router.post('/sen2/officers', allowed, noStore, async (req, res) => {
    const body = (req.body ?? {}) as Body;
    const form = readOfficersForm(body);
    if (!form.ok) {
      await renderPage(req, res, 400, { errors: form.errors, officerValues: body });
      return;
    }
    const version = Number(text(body, 'version'));
    const outcome = await attempt(
      () =>
        services.sen2.saveOfficers(
          callerFrom(requestContext(req)),
          form.data,
          Number.isInteger(version) ? version : -1,
        ),
      { what: 'the designated officers' },
    );
    if (!outcome.ok) {
      // The form comes back with what was chosen, the other save beside it, and the version saved now.
      const { status, errors, stale } = outcome.failure;
      await renderPage(req, res, status, { errors, stale, officerValues: body });
      return;
    }
    res.redirect(303, '/sen2?saved=officers');
  });

  router.post('/sen2/check', allowed, noStore, async (req, res) => {
    const file = req.file;
    if (res.locals.uploadTooLarge || !file || file.size === 0) {
      const message = res.locals.uploadTooLarge ? TOO_LARGE : 'Select a SEN2 XML file to check';
      await renderPage(req, res, 400, { errors: [{ text: message, href: '#checkFile' }] });
      return;
    }
    const result = await services.sen2.validateFile(
      callerFrom(requestContext(req)),
      { path: file.path },
      file.originalname,
    );
    if (result.unreadable !== null) {
      // Not a return with problems but a file that is not a return the service can check: bad input.
      const text = `The selected file cannot be checked: ${result.unreadable}`;
      await renderPage(req, res, 400, { errors: [{ text, href: '#checkFile' }] });
      return;
    }
    res.render('sen2/checked.njk', {
      name: file.originalname,
      year: result.year,
      errors: result.errors,
      queries: result.queries,
      persons: result.persons,
      problems: problemRows(result.lines),
      more: Math.max(0, result.lines.length - SHOWN),
    });
  });

  router.post('/sen2/import', allowed, noStore, async (req, res) => {
    const body = (req.body ?? {}) as Body;
    const file = req.file;
    const form = readImportForm(body, { tooLarge: Boolean(res.locals.uploadTooLarge), size: file?.size ?? 0 });
    if (!form.ok || !file) {
      await renderPage(req, res, 400, { errors: form.ok ? [] : form.errors, importValues: body });
      return;
    }
    const { format, mode, csvYear } = form.data;
    try {
      const id = await services.sen2.startImport(callerFrom(requestContext(req)), await readFile(file.path), {
        format,
        dryRun: mode === 'dry_run',
        name: file.originalname,
        ...(format === 'csv' ? { csvYear } : {}),
      });
      res.redirect(303, `/sen2/imports/${id}`);
    } catch (error) {
      if (!(error instanceof BusyError)) throw error;
      await renderPage(req, res, 429, { errors: [{ text: error.message, href: '#importFile' }], importValues: body });
    }
  });

  router.get('/sen2/imports/:id/progress', allowed, noStore, async (req, res) => {
    res.json(jobProgress(await services.sen2.importJob(callerFrom(requestContext(req)), String(req.params.id))));
  });

  router.get('/sen2/imports/:id', allowed, noStore, async (req, res) => {
    const job = await services.sen2.importJob(callerFrom(requestContext(req)), String(req.params.id));
    if (job.status !== 'done' || !job.result) {
      // A job that failed is an outcome like any other: its page says so, why, and to start it again.
      res.render('sen2/import-progress.njk', {
        job,
        progress: jobProgress(job),
        failure: failureInWords(job),
        dryRun: job.dryRun,
      });
      return;
    }
    const report = job.result;
    if (report.unreadable) {
      // A file that could not be read at all is bad input: the import form again, saying why.
      await renderPage(req, res, 400, {
        errors: [{ text: `The selected file cannot be imported: ${report.unreadable}`, href: '#importFile' }],
        importValues: { format: report.format, mode: report.dryRun ? 'dry_run' : 'import' },
      });
      return;
    }
    res.render('sen2/imported.njk', {
      name: job.name,
      report,
      problems: problemRows(report.lines),
      more: Math.max(0, report.lines.length - SHOWN),
      rows: report.rows.slice(0, SHOWN),
      moreRows: Math.max(0, report.rows.length - SHOWN),
    });
  });

  router.get('/sen2-import-format', allowed, (_req, res) => {
    res.render('sen2/csv-format.njk', { columns: CSV_COLUMNS });
  });

  router.get('/sen2-import-template.csv', allowed, (_req, res) => {
    res
      .type('text/csv')
      .attachment('sen2-import-template.csv')
      .send(toCsv([CSV_COLUMNS.map(([c]) => c)], { lineEnding: 'windows' }));
  });

  return router;
}
