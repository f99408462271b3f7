/**
 * The measures: a dashboard for managers and the board (signed in, unsuppressed, audited), each measure's page with
 * its breakdowns, each measure's definition, and the public transparency page with its open data (no sign-in, small
 * numbers suppressed).
 */
import { Router, type Request, type Response } from 'express';
import { can } from '../../../domain/access/roles.js';
import { PRIMARY_NEED_NAMES, ADVICE_TYPE_NAMES } from '../../../domain/casework/stages.js';
import { DISCLOSURE_THRESHOLD } from '../../../domain/disclosure/suppress.js';
import { AGE_BANDS } from '../../../domain/measures/timeliness.js';
import { GROUPINGS } from '../../../domain/measures/byRequestYear.js';
import {
  AGE_GROUPS,
  DIMENSION_NAMES,
  STAFF_ONLY_DIMENSIONS,
  MEASURE_BY_ID,
  MEASURES,
  type Dimension,
  type MeasureDefinition,
} from '../../../domain/measures/monthly.js';
import { phaseTransferMeasureView } from '../phase-transfers/measureView.js';
import type { Services } from '../../../services/index.js';
import { BREAKDOWN_MONTHS, type MeasureSeries, type PublishedValue } from '../../../services/measures.js';
import type { staleView } from '../../forms.js';
import { type FormError } from '../../forms.js';
import { attempt, type FormFailure } from '../../formFailures.js';
import { CEASE_REASON_NAMES } from '../../../domain/sen2/codes.js';
import { readTargetForm } from './validation.js';
import { toCsv, type CsvCell } from '../../../services/csv.js';
import { formatValue, monthLabel, spcChartModel } from '../../charts/spcChart.js';
import { casePeriods } from '../casework/periods.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';

const CATEGORY_NAMES: Partial<Record<Dimension, Record<string, string>>> = {
  need: PRIMARY_NEED_NAMES,
  cease_reason: CEASE_REASON_NAMES,
  advice_type: ADVICE_TYPE_NAMES,
  age_group: Object.fromEntries(AGE_GROUPS.map((g) => [g.id, g.label])),
  waiting_band: Object.fromEntries(
    AGE_BANDS.map((b) => [
      b.id,
      b.toWeeks === Infinity ? `${b.fromWeeks} weeks or more` : `${b.fromWeeks} to ${b.toWeeks} weeks`,
    ]),
  ),
};

export function categoryName(
  dimension: Dimension,
  category: string,
  people: ReadonlyMap<string, string> = new Map(),
): string {
  if (category === 'unknown') return dimension === 'caseworker' ? 'No caseworker' : 'Not recorded';
  if (dimension === 'caseworker') return people.get(category) ?? 'A former member of staff';
  return CATEGORY_NAMES[dimension]?.[category] ?? category;
}

/** Categories of a breakdown charted one by one; any more are listed in a table. */
const CHARTED_CATEGORIES = 12;

const POINT_TYPE_NAMES: Record<string, string> = {
  common_cause: 'Common cause',
  special_cause_improvement: 'Improvement',
  special_cause_concern: 'Concern',
  special_cause_neutral: 'Special cause',
};

type SeriesView = ReturnType<typeof buildSeriesView>;
const seriesViews = new WeakMap<object, Map<string, SeriesView>>();

/**
 * A series as the views show it: the chart, and rows for its table. Built once for each series the measures service
 * gives (it gives the same series, the same points, until the figures are refreshed or a target changes).
 */
function seriesView(series: MeasureSeries, title: string) {
  let byTitle = seriesViews.get(series.points);
  if (!byTitle) seriesViews.set(series.points, (byTitle = new Map<string, SeriesView>()));
  let view = byTitle.get(title);
  if (!view) byTitle.set(title, (view = buildSeriesView(series, title)));
  return view;
}

function buildSeriesView(series: MeasureSeries, title: string) {
  const unit = series.definition.unit;
  return {
    title,
    category: series.category,
    chart: spcChartModel(series.points, series.spc, { unit, target: series.target }),
    targetText: series.target === null ? null : formatValue(series.target, unit),
    /** The latest group's limits come from fewer than 12 months: "trial" limits (spc-method.md). */
    trialLimits: series.spc ? series.spc.groups[series.spc.groups.length - 1]!.trial : false,
    /** The heading of the tables' n column (what the denominator counts); null for counts, which have none. */
    nHeading: series.definition.kind === 'count' ? null : `Number of ${series.definition.nCounts ?? 'children'} (n)`,
    latest: series.latest,
    latestText: series.latest ? formatValue(series.latest.value!, unit) : 'No value yet',
    latestMonth: series.latest ? monthLabel(series.latest.month) : '',
    spc: series.spc,
    meanText: series.spc?.mean != null ? formatValue(series.spc.mean, unit) : '',
    rows: series.points.map((p, i) => {
      const point = series.spc?.points[i];
      return {
        month: monthLabel(p.month),
        value: p.value === null ? null : formatValue(p.value, unit),
        n: series.definition.kind === 'count' ? null : p.denominator,
        mean: point?.mean != null ? formatValue(point.mean, unit) : '',
        limits:
          point?.lpl != null && point.upl != null
            ? `${formatValue(point.lpl, unit)} to ${formatValue(point.upl, unit)}`
            : '',
        type: p.value === null ? '' : POINT_TYPE_NAMES[point?.pointType ?? 'common_cause'],
        england: p.england != null ? formatValue(p.england, unit) : '',
      };
    }),
  };
}

/** "Changed from 60% to 65% on 1 May 2026 by Priya Shah: reason" (names on the signed-in pages only). */
function historyView(
  history: {
    at: Date;
    changedByName: string | null;
    fromTarget: number | null;
    toTarget: number | null;
    reason: string;
  }[],
  unit: string,
  withNames: boolean,
) {
  const v = (n: number) => formatValue(n, unit);
  return history.map((h) => ({
    at: h.at,
    by: withNames ? h.changedByName : null,
    change:
      h.fromTarget === null
        ? `Target set at ${v(h.toTarget!)}`
        : h.toTarget === null
          ? `Target of ${v(h.fromTarget)} removed`
          : `Target changed from ${v(h.fromTarget)} to ${v(h.toTarget)}`,
    reason: h.reason,
  }));
}

/**
 * Why "Latest" is older than the last month: the figures after it are hidden. "The figure for November 2026 is
 * hidden", "The figures for October 2026 to November 2026 are hidden", or null when the last month is shown.
 */
export function hiddenMonthsAfterLatest(
  rows: readonly { month: string; value: string | null }[],
  hidden: readonly { value: boolean }[],
): string | null {
  let first = rows.length;
  while (first > 0 && hidden[first - 1]!.value) first -= 1;
  if (first === rows.length) return null;
  const last = rows[rows.length - 1]!.month;
  return first === rows.length - 1
    ? `The figure for ${last} is hidden`
    : `The figures for ${rows[first]!.month} to ${last} are hidden`;
}

function badRequest(res: Response, text: string, backHref: string) {
  res.status(400).render('errors/bad-request.njk', { errors: [{ text, href: '#' }], backHref });
}

/** What the pages say about hidden figures: the largest count hidden, and where the rule is explained. */
export function disclosureView(measureId: string = MEASURES[0]!.id) {
  return {
    largestHidden: DISCLOSURE_THRESHOLD - 1,
    methodHref: `/performance/measures/${measureId}#hidden-figures`,
  };
}

function definitionView(definition: MeasureDefinition) {
  return {
    ...definition,
    grouping: GROUPINGS[definition.id] ?? null,
    direction:
      definition.improvementDirection === 'increase'
        ? 'Higher is better'
        : definition.improvementDirection === 'decrease'
          ? 'Lower is better'
          : 'Neither higher nor lower is better in itself',
    directionReason: definition.directionReason ?? null,
    timingText:
      definition.timing === 'in_month' ? 'What happened during each calendar month' : 'Taken at the end of each month',
    breakdownNames: definition.breakdowns
      .filter((b) => b !== 'all')
      .map((b) => (STAFF_ONLY_DIMENSIONS.has(b) ? `${DIMENSION_NAMES[b]} (signed-in staff only)` : DIMENSION_NAMES[b])),
  };
}

/**
 * The charts in the order of the catalogue, each measure read with another (`beside`) paired with it: one or two
 * to a row (the exception rate beside the 20-week figure it can flatter).
 */
function besideEachOther<T extends { definition: MeasureDefinition }>(measures: T[]): T[][] {
  const rows: T[][] = [];
  for (const m of measures) {
    if (m.definition.beside && measures.some((x) => x.definition.id === m.definition.beside)) continue;
    rows.push([m, ...measures.filter((x) => x.definition.beside === m.definition.id)]);
  }
  return rows;
}

export function measureRoutes(services: Services): Router {
  const router = Router();

  router.get('/measures', requirePermission('measures:view'), noStore, async (req, res) => {
    const { refreshed, measures } = await services.measures.dashboard(requestContext(req));
    const phaseTransfers = phaseTransferMeasureView(await services.phaseTransfers.measure(requestContext(req)));
    const views = measures.map((m) => ({
      id: m.definition.id,
      definition: m.definition,
      ...seriesView(m, m.definition.title),
    }));
    res.render('measures/dashboard.njk', {
      refreshed,
      toMonth: refreshed ? monthLabel(refreshed.toMonth) : null,
      measures: views,
      chartRows: besideEachOther(views),
      phaseTransfers,
    });
  });

  /** Renders a measure's page; `form` carries a target form's errors and typed value back. */
  async function renderMeasure(
    req: Request,
    res: Response,
    definition: MeasureDefinition,
    dimension: Dimension,
    form: {
      errors: FormError[];
      value: string;
      reason: string;
      stale?: ReturnType<typeof staleView>['stale'];
    } | null = null,
  ) {
    const ctx = requestContext(req);
    const grouping = GROUPINGS[definition.id] ?? null;
    const [m, byYear] = await Promise.all([
      services.measures.measure(ctx, definition.id, dimension),
      grouping && dimension === 'all' ? services.measures.decisionsByRequestYear(ctx) : Promise.resolve(null),
    ]);
    res.status(form?.stale ? 409 : form?.errors.length ? 400 : 200).render('measures/measure.njk', {
      stale: form?.stale,
      definition: definitionView(definition),
      dimension,
      dimensionName: DIMENSION_NAMES[dimension],
      periods: casePeriods(),
      refreshed: m.refreshed,
      target: m.target,
      history: historyView(m.history, definition.unit, true),
      targetForm:
        dimension === 'all' &&
        can(ctx.actor.roles, 'measures:set_target') &&
        definition.improvementDirection !== 'neutral'
          ? {
              value: form ? form.value : m.target ? String(m.target.target) : '',
              reason: form?.reason ?? '',
              version: m.target?.version ?? 0,
              setAt: m.target?.setAt ?? null,
              setByName: m.target?.setByName ?? null,
            }
          : null,
      errors: form?.errors ?? [],
      saved: req.query.saved === 'target',
      tabs: definition.breakdowns.map((b) => ({
        href: b === 'all' ? `/measures/${definition.id}` : `/measures/${definition.id}?breakdown=${b}`,
        text: DIMENSION_NAMES[b],
        active: b === dimension,
      })),
      total: seriesView(m.total, definition.title),
      // Charts for the largest categories; the rest (many small providers, say) in one table.
      breakdown: m.breakdown
        .slice(0, CHARTED_CATEGORIES)
        .map((s) => seriesView(s, `${definition.title}: ${categoryName(dimension, s.category, m.categoryNames)}`)),
      others: m.breakdown.slice(CHARTED_CATEGORIES).map((s) => ({
        name: categoryName(dimension, s.category, m.categoryNames),
        size: s.size,
        latest: s.latest ? formatValue(s.latest.value!, definition.unit) : 'No value',
        latestMonth: s.latest ? monthLabel(s.latest.month) : '',
      })),
      breakdownMonths: BREAKDOWN_MONTHS,
      grouping,
      byRequestYear:
        byYear?.map((f) => ({
          year: String(f.year),
          received: formatValue(f.received, ''),
          within: formatValue(f.within, ''),
          late:
            f.overdue > 0
              ? `${formatValue(f.late, '')} (${formatValue(f.overdue, '')} still undecided)`
              : formatValue(f.late, ''),
          pending: formatValue(f.pending, ''),
          withdrawn: formatValue(f.withdrawn, ''),
          value: f.value === null ? 'No figure' : formatValue(f.value, '%'),
          england: f.england === null ? 'Not published' : formatValue(f.england, '%'),
          status: f.provisional ? 'Provisional' : 'Final',
          provisional: f.provisional,
        })) ?? null,
    });
  }

  router.post('/measures/:id/target', requirePermission('measures:set_target'), noStore, async (req, res, next) => {
    const definition = MEASURE_BY_ID.get(req.params.id as string);
    if (!definition) return next();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = readTargetForm(body);
    let errors: FormError[];
    let failure: FormFailure | undefined;
    if (form.ok) {
      const { target, version, reason } = form.data;
      const outcome = await attempt(
        () => services.measures.setTarget(requestContext(req), definition.id, target, version, reason),
        { what: 'the target' },
      );
      if (outcome.ok) {
        res.redirect(303, `/measures/${definition.id}?saved=target`);
        return;
      }
      failure = outcome.failure;
      errors = failure.errors;
    } else errors = form.errors;
    await renderMeasure(req, res, definition, 'all', {
      errors,
      stale: failure?.stale,
      value: typeof body.target === 'string' ? body.target : '',
      reason: typeof body.reason === 'string' ? body.reason : '',
    });
  });

  router.get('/measures/:id', requirePermission('measures:view'), noStore, async (req, res, next) => {
    const definition = MEASURE_BY_ID.get(req.params.id as string);
    if (!definition) return next();
    const raw = req.query.breakdown;
    const dimension = (raw === undefined || raw === '' ? 'all' : raw) as Dimension;
    if (typeof dimension !== 'string' || !definition.breakdowns.includes(dimension)) {
      badRequest(
        res,
        `There is no breakdown called “${typeof raw === 'string' ? raw.slice(0, 40) : 'that'}” for this measure. Choose one of: ${definition.breakdowns.map((b) => DIMENSION_NAMES[b]).join(', ')}.`,
        `/measures/${definition.id}`,
      );
      return;
    }
    await renderMeasure(req, res, definition, dimension);
  });

  // Public: what each measure means.
  router.get('/performance/measures/:id', (req, res, next) => {
    const definition = MEASURE_BY_ID.get(req.params.id);
    if (!definition) return next();
    res.render('measures/definition.njk', {
      definition: definitionView(definition),
      disclosure: disclosureView(),
      periods: casePeriods(),
    });
  });

  // Public: the LAs this service publishes for.
  router.get('/performance', async (_req, res) => {
    res.render('measures/public-index.njk', { las: await services.measures.publishedLas() });
  });

  router.get('/performance/:laCode', async (req, res, next) => {
    if (!/^\d{3}$/.test(req.params.laCode)) return next();
    const page = await services.measures.publicPage(req.params.laCode);
    res.render('measures/public.njk', {
      ...page,
      periods: casePeriods(),
      disclosure: disclosureView(page.measures[0]?.definition.id),
      toMonth: page.refreshed ? monthLabel(page.refreshed.toMonth) : null,
      measureRows: besideEachOther(
        page.measures.map((m) => {
          const view = seriesView(m, m.definition.title);
          return {
            id: m.definition.id,
            definition: m.definition,
            ...view,
            rows: view.rows.map((r, i) => ({
              ...r,
              valueHidden: m.hidden[i]!.value,
              nHidden: m.hidden[i]!.denominator,
            })),
            history: historyView(m.history, m.definition.unit, false),
            anySuppressed: m.suppressed.some(Boolean),
            /** The months after the latest figure shown whose figure is hidden: "Latest" is older than them. */
            hiddenSince: hiddenMonthsAfterLatest(view.rows, m.hidden),
          };
        }),
      ),
    });
  });

  router.get('/performance/:laCode/data.csv', async (req, res, next) => {
    if (!/^\d{3}$/.test(req.params.laCode)) return next();
    const data = await services.measures.openData(req.params.laCode);
    res.type('text/csv; charset=utf-8').attachment(`openehcp-${data.laCode}-measures.csv`).send(openDataCsv(data));
  });

  return router;
}

/** The open data's columns: one row per measure, month and breakdown category. */
export const OPEN_DATA_COLUMNS = [
  'la_code',
  'la_name',
  'measure',
  'measure_title',
  'month',
  'breakdown',
  'category',
  'numerator',
  'denominator',
  'value',
  'unit',
  'suppressed',
] as const;

/**
 * The open data as CSV, with the symbols of DfE's statistics: `c` a figure hidden to protect the children
 * (confidential; the `suppressed` column says why: `small_number` or `could_be_worked_out`), `z` not applicable (a
 * count has no denominator, a median no numerator, a percentage of no children has no value).
 */
export function openDataCsv(data: { laCode: string; name: string; rows: readonly PublishedValue[] }): string {
  // Figures stay numbers (so a negative one is not taken for a formula); the symbols and names are text.
  const cell = (v: number | null, hidden: boolean): CsvCell => (hidden ? 'c' : v === null ? 'z' : v);
  const rows = data.rows.map((r): CsvCell[] => {
    const def = MEASURE_BY_ID.get(r.measure)!;
    const hasNumerator = def.kind === 'count' || def.kind === 'rate';
    return [
      data.laCode,
      data.name,
      r.measure,
      def.title,
      r.month,
      r.dimension,
      r.category,
      hasNumerator ? cell(def.kind === 'count' ? r.value : (r.numerator ?? 0), r.hidden.numerator) : 'z',
      def.kind === 'count' ? 'z' : cell(r.denominator, r.hidden.denominator),
      cell(r.value === null ? null : Math.round(r.value * 100) / 100, r.hidden.value),
      def.unit,
      r.suppressed ?? '',
    ];
  });
  return toCsv([[...OPEN_DATA_COLUMNS], ...rows]);
}
