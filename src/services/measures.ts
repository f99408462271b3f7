/**
 * Performance measures: worked out from the case data by a job and stored (refresh), then read by the managers'
 * dashboard (with the unsuppressed figures) and by the public transparency page and its open data (suppressed).
 */
import type { Database } from '../data/db.js';
import { appendAudit } from '../data/repositories/audit.js';
import { listLocalAuthorities, localAuthorityName } from '../data/repositories/localAuthorities.js';
import { displayNames } from '../data/repositories/users.js';
import {
  loadMeasureCases,
  loadMeasureReviews,
  loadRequestDecisions,
  measureRefresh,
  readAllMeasureValues,
  appendTargetChange,
  deleteTarget,
  lockTarget,
  putTarget,
  readMeasureValues,
  readTargets,
  replaceMeasures,
  targetHistory,
  type MeasureTarget,
  type StoredValue,
} from '../data/repositories/measures.js';
import { disclosureOf, type FigureDisclosure } from '../domain/disclosure/figures.js';
import type { SuppressionReason } from '../domain/disclosure/suppress.js';
import { ENGLAND_SOURCE, englandFigure } from '../domain/measures/england.js';
import { decisionsWithin6WeeksByRequestYear } from '../domain/measures/byRequestYear.js';
import type { LocalDate } from '../domain/dates/localDate.js';
import { AGE_BANDS } from '../domain/measures/timeliness.js';
import {
  AGE_GROUPS,
  MEASURE_BY_ID,
  MEASURE_SUMS,
  MEASURES,
  monthlyMeasures,
  monthsBetween,
  STAFF_ONLY_DIMENSIONS,
  type Dimension,
  type MeasureDefinition,
  type MeasureReassessment,
} from '../domain/measures/monthly.js';
import { loadCeasedPlans } from '../data/repositories/ceasings.js';
import { loadReassessments } from '../data/repositories/reassessments.js';
import { loadMeasureOrderSteps } from '../data/repositories/disagreements.js';
import { analyseSeries, type SpcResult } from '../domain/spc/xmr.js';
import type { RequestContext } from './cases.js';
import type { Clock } from './clock.js';
import { NotFoundError, RuleError, StaleFormError } from './errors.js';
import { staleDetail } from './staleForm.js';
import { requirePermission } from './useCase.js';
import type { CalendarHolder } from './calendar.js';

/** How many months the measures go back (five years: enough for SPC baselines and year-on-year comparison). */
export const MEASURE_MONTHS = 60;
/** How many calendar years the "by the year the request was received" figures show. */
export const REQUEST_YEARS = 4;
const NATURAL_ORDER: Partial<Record<Dimension, string[]>> = {
  age_group: [...AGE_GROUPS.map((g) => g.id), 'unknown'],
  waiting_band: AGE_BANDS.map((b) => b.id),
};

/** How many months a breakdown's charts cover. */
export const BREAKDOWN_MONTHS = 24;

export interface SeriesPoint {
  month: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  england: number | null;
}

export interface MeasureSeries {
  definition: MeasureDefinition;
  category: string;
  points: SeriesPoint[];
  /** Null when fewer than two months have a value. */
  spc: SpcResult | null;
  latest: SeriesPoint | null;
  /** The LA's target for the measure (the whole LA only). */
  target: number | null;
}

/** A target that cannot be set (the words say why), against the form field at fault. */
export class TargetRuleError extends RuleError {
  constructor(
    readonly field: 'target' | 'reason',
    message: string,
  ) {
    super([{ field, text: message }]);
  }
}

function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function seriesOf(
  definition: MeasureDefinition,
  category: string,
  rows: StoredValue[],
  target: number | null = null,
): MeasureSeries {
  const points = rows.map((r) => ({
    month: r.month,
    value: r.value,
    numerator: r.numerator,
    denominator: r.denominator,
    england: definition.england && category === 'all' ? englandFigure(definition.england, r.month) : null,
  }));
  const values = points.map((p) => p.value);
  const spc =
    values.filter((v) => v !== null).length >= 2
      ? analyseSeries(values, definition.improvementDirection, target)
      : null;
  const latest = [...points].reverse().find((p) => p.value !== null) ?? null;
  return { definition, category, points, spc, latest, target };
}

/** Fills the months a breakdown category has no row for (nothing happened) as gaps, or zeros for counts. */
function fullSeries(definition: MeasureDefinition, rows: StoredValue[], months: string[]): StoredValue[] {
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  const first = rows[0];
  return months.map(
    (month) =>
      byMonth.get(month) ?? {
        measure: definition.id,
        month,
        dimension: first?.dimension ?? 'all',
        category: first?.category ?? 'all',
        numerator: definition.kind === 'count' ? 0 : null,
        denominator: definition.kind === 'rate' ? 0 : null,
        value: definition.kind === 'count' ? 0 : null,
      },
  );
}

/** Each database's published figures by LA, kept until the LA's measures are worked out again. */
const publishedCache = new WeakMap<object, Map<string, { refreshedAt: number; rows: PublishedValue[] }>>();

/**
 * The analysed series of a page (the dashboard, the public page) for each LA, kept until the figures are refreshed or
 * a target changes: every view in between shows the same series, so the SPC analysis runs once, not on every view,
 * and the same objects come back (the views may keep what they build from them).
 */
const seriesCache = new WeakMap<object, Map<string, { version: string; value: unknown }>>();

async function sameUntilChanged<T>(db: object, key: string, version: string, compute: () => Promise<T>): Promise<T> {
  let byKey = seriesCache.get(db);
  if (!byKey) seriesCache.set(db, (byKey = new Map<string, { version: string; value: unknown }>()));
  const cached = byKey.get(key);
  if (cached?.version === version) return cached.value as T;
  const value = await compute();
  byKey.set(key, { version, value });
  return value;
}

/** What a page's series depend on: the refresh that wrote the figures, and the LA's targets. */
function seriesVersion(refreshed: { refreshedAt: Date } | null, targets: ReadonlyMap<string, { version: number }>) {
  const t = [...targets].map(([measure, { version }]) => `${measure}:${version}`).sort();
  return `${refreshed?.refreshedAt.getTime() ?? 'none'}|${t.join(',')}`;
}

/**
 * Every figure of an LA as the public sees it, the disclosure rule applied to all of them at once (a breakdown's
 * hidden cell protects, and is protected by, the whole LA's figure on the public page). The public page, the open data
 * and the public plan all read this, so they hide the same figures.
 */
export async function publishedFigures(
  db: Database['db'],
  laCode: string,
  /** The LA's last refresh, when the caller has read it already. */
  lastRefresh?: Awaited<ReturnType<typeof measureRefresh>>,
): Promise<PublishedValue[]> {
  const refreshed = lastRefresh === undefined ? await measureRefresh(db, laCode) : lastRefresh;
  if (!refreshed) return [];
  let byLa = publishedCache.get(db);
  if (!byLa) publishedCache.set(db, (byLa = new Map<string, { refreshedAt: number; rows: PublishedValue[] }>()));
  const cached = byLa.get(laCode);
  const at = refreshed.refreshedAt.getTime();
  if (cached?.refreshedAt === at) return cached.rows;
  // Ratios (requests per caseworker) and breakdowns by member of staff are for managers only; figures of a measure
  // no longer defined are not shown.
  const rows = publish(
    (await readAllMeasureValues(db, laCode)).filter((r) => {
      const kind = MEASURE_BY_ID.get(r.measure)?.kind;
      return kind !== undefined && kind !== 'ratio' && !STAFF_ONLY_DIMENSIONS.has(r.dimension);
    }),
  );
  byLa.set(laCode, { refreshedAt: at, rows });
  return rows;
}

const wholeLaIndex = new WeakMap<readonly PublishedValue[], Map<string, Map<string, PublishedValue>>>();

/**
 * The whole-LA figures (dimension 'all') of a set of published figures, by measure and month: worked out once for
 * each refresh's figures (publishedFigures keeps them until the next), not on every view of the public page.
 */
function wholeLaByMeasure(rows: readonly PublishedValue[]): Map<string, Map<string, PublishedValue>> {
  let index = wholeLaIndex.get(rows);
  if (!index) {
    index = new Map();
    for (const r of rows) {
      if (r.dimension !== 'all') continue;
      let byMonth = index.get(r.measure);
      if (!byMonth) index.set(r.measure, (byMonth = new Map<string, PublishedValue>()));
      byMonth.set(r.month, r);
    }
    wholeLaIndex.set(rows, index);
  }
  return index;
}

/**
 * The whole-LA monthly values of some measures over the stored months, for other modules to judge against (an
 * improvement plan's commitments). `published`: as the public sees them, the disclosure rule applied (`hidden`).
 */
export async function wholeLaSeries(
  db: Database['db'],
  laCode: string,
  ids: readonly string[],
  published: boolean,
): Promise<Map<string, { month: string; value: number | null; n: number | null; hidden: boolean }[]>> {
  const known = ids.filter((id) => MEASURE_BY_ID.has(id));
  const [rows, refreshed] = await Promise.all([
    !known.length
      ? Promise.resolve([])
      : published
        ? publishedFigures(db, laCode).then((all) =>
            all.filter((r) => r.dimension === 'all' && known.includes(r.measure)),
          )
        : readMeasureValues(db, laCode, known, 'all'),
    measureRefresh(db, laCode),
  ]);
  const months = refreshed ? monthsBetween(refreshed.fromMonth, refreshed.toMonth) : [];
  const out = new Map<string, { month: string; value: number | null; n: number | null; hidden: boolean }[]>();
  for (const id of known) {
    const definition = MEASURE_BY_ID.get(id)!;
    const full = fullSeries(
      definition,
      rows.filter((r) => r.measure === id),
      months,
    ) as (StoredValue & { suppressed?: SuppressionReason | null })[];
    out.set(
      id,
      full.map((r) => ({
        month: r.month,
        value: r.value,
        n: definition.kind === 'count' ? null : r.denominator,
        hidden: Boolean(r.suppressed),
      })),
    );
  }
  return out;
}

export function createMeasureService(database: Database, clock: Clock, calendar: CalendarHolder) {
  const { db } = database;

  /** Works out and stores every LA's measures (or one LA's) up to the last complete month. */
  async function refresh(laCode?: string) {
    const today = clock.today();
    const to = previousMonth(today.slice(0, 7));
    const from = monthsBetween('2000-01', to).slice(-MEASURE_MONTHS)[0]!;
    const las = laCode ? [laCode] : (await listLocalAuthorities(db)).map((la) => la.laCode);
    const summary: { laCode: string; requests: number; values: number }[] = [];
    for (const la of las) {
      const cases = await loadMeasureCases(db, la);
      const reviews = await loadMeasureReviews(db, la);
      const ceased = await loadCeasedPlans(db, la);
      const reassessments = (await loadReassessments(db, la, today)).map((r): MeasureReassessment => ({
        requested: r.requestedBy !== 'council',
        receivedDate: r.receivedDate,
        decisionDate: r.decisionDate,
        decision: r.decision,
        finalIssuedDate: r.finalIssuedDate,
        exception: r.exceptions.length > 0,
      }));
      const orderSteps = await loadMeasureOrderSteps(db, la);
      const values = monthlyMeasures(cases, from, to, calendar.current(), ceased, reviews, reassessments, orderSteps);
      await replaceMeasures(db, la, values, {
        refreshedAt: clock.now(),
        fromMonth: from,
        toMonth: to,
        requests: cases.length,
      });
      publishedCache.get(db)?.delete(la);
      // The series are kept by refresh time, which two refreshes can share (a fixed clock, the same millisecond).
      seriesCache.get(db)?.delete(`${la}:dashboard`);
      seriesCache.get(db)?.delete(`${la}:public`);
      summary.push({ laCode: la, requests: cases.length, values: values.length });
    }
    return summary;
  }

  function requireView(ctx: RequestContext) {
    requirePermission(ctx, 'measures:view');
  }

  async function audit(ctx: RequestContext, detail: Record<string, unknown>) {
    await appendAudit(db, {
      userId: ctx.actor.userId,
      laCode: ctx.actor.laCode,
      action: 'read',
      entityType: 'measures',
      ip: ctx.ip,
      requestId: ctx.requestId,
      detail,
    });
  }

  /** Every measure for the whole LA, with its SPC analysis: the dashboard's summary table and charts. */
  async function dashboard(ctx: RequestContext) {
    requireView(ctx);
    const laCode = ctx.actor.laCode;
    const [refreshed, targets] = await Promise.all([measureRefresh(db, laCode), readTargets(db, laCode)]);
    await audit(ctx, { view: 'dashboard' });
    const months = refreshed ? monthsBetween(refreshed.fromMonth, refreshed.toMonth) : [];
    const measures = await sameUntilChanged(db, `${laCode}:dashboard`, seriesVersion(refreshed, targets), async () => {
      const rows = await readMeasureValues(
        db,
        laCode,
        MEASURES.map((m) => m.id),
        'all',
      );
      return MEASURES.map((m) =>
        seriesOf(
          m,
          'all',
          fullSeries(
            m,
            rows.filter((r) => r.measure === m.id),
            months,
          ),
          targets.get(m.id)?.target ?? null,
        ),
      );
    });
    return { refreshed, measures };
  }

  /** One measure: the whole LA and each category of one breakdown, each with its SPC analysis. */
  async function measure(ctx: RequestContext, id: string, dimension: Dimension) {
    requireView(ctx);
    const definition = MEASURE_BY_ID.get(id);
    if (!definition) throw new NotFoundError(id);
    const laCode = ctx.actor.laCode;
    const [total, rows, refreshed, targets, histories] = await Promise.all([
      readMeasureValues(db, laCode, [id], 'all'),
      dimension === 'all' ? Promise.resolve([]) : readMeasureValues(db, laCode, [id], dimension),
      measureRefresh(db, laCode),
      readTargets(db, laCode),
      targetHistory(db, laCode, [id]),
    ]);
    const target: MeasureTarget | null = targets.get(id) ?? null;
    const history = histories.get(id)!;
    await audit(ctx, { view: 'measure', measure: id, dimension });
    const months = refreshed ? monthsBetween(refreshed.fromMonth, refreshed.toMonth) : [];
    // Breakdowns over the last two years, largest categories first (by children counted in that time).
    const recent = months.slice(-BREAKDOWN_MONTHS);
    const byCategory = new Map<string, StoredValue[]>();
    for (const r of rows) {
      if (r.month < recent[0]!) continue;
      byCategory.set(r.category, [...(byCategory.get(r.category) ?? []), r]);
    }
    // Categories that are people (caseworkers) by name; ids of people no longer found stay as they are.
    const names =
      dimension === 'caseworker' ? await displayNames(db, laCode, [...byCategory.keys()]) : new Map<string, string>();
    const size = (list: StoredValue[]) =>
      list.reduce((n, r) => n + ((definition.kind === 'count' ? r.value : r.denominator) ?? 0), 0);
    return {
      refreshed,
      definition,
      dimension,
      categoryNames: names,
      target,
      history,
      total: seriesOf(definition, 'all', fullSeries(definition, total, months), target?.target ?? null),
      breakdown: [...byCategory.entries()]
        .map(([category, list]) => ({
          size: size(list),
          series: seriesOf(definition, category, fullSeries(definition, list, recent)),
        }))
        .sort((a, b) => {
          // Ordered groups (age, weeks waiting) keep their order; others go largest first.
          const order = NATURAL_ORDER[dimension];
          if (order) return order.indexOf(a.series.category) - order.indexOf(b.series.category);
          return b.size - a.size || a.series.category.localeCompare(b.series.category);
        })
        .map((c) => ({ ...c.series, size: c.size })),
    };
  }

  /**
   * Decisions within 6 weeks grouped as DfE groups them, by the calendar year the request was received: the last
   * `REQUEST_YEARS` years, with England's published figure for each (staff pages: the figures are not suppressed).
   */
  async function decisionsByRequestYear(ctx: RequestContext) {
    requireView(ctx);
    const today = clock.today();
    const from = `${Number(today.slice(0, 4)) - REQUEST_YEARS + 1}-01-01` as LocalDate;
    const requests = await loadRequestDecisions(db, ctx.actor.laCode, from);
    return decisionsWithin6WeeksByRequestYear(requests, today, REQUEST_YEARS).map((f) => ({
      ...f,
      england: englandFigure('pct_request_decision_within_6wk', `${f.year}-01`),
    }));
  }

  /** The published figures of an LA: headline measures for the whole LA, with the disclosure rule applied. */
  async function publicPage(laCode: string) {
    const name = await localAuthorityName(db, laCode);
    if (!name) throw new NotFoundError(laCode);
    const [refreshed, targets] = await Promise.all([measureRefresh(db, laCode), readTargets(db, laCode)]);
    const all = await publishedFigures(db, laCode, refreshed);
    const months = refreshed ? monthsBetween(refreshed.fromMonth, refreshed.toMonth) : [];
    const measures = await sameUntilChanged(db, `${laCode}:public`, seriesVersion(refreshed, targets), () => {
      const wholeLa = wholeLaByMeasure(all);
      return Promise.resolve(
        MEASURES.filter((m) => m.headline).map((m) => {
          const byMonth = wholeLa.get(m.id) ?? new Map<string, PublishedValue>();
          const published = months.map((month) => byMonth.get(month) ?? unpublished(m, month));
          // SPC on what is published: a hidden month is a gap in the chart, as it is in the table.
          return {
            ...seriesOf(m, 'all', published, targets.get(m.id)?.target ?? null),
            hidden: published.map((p) => p.hidden),
            suppressed: published.map((p) => p.suppressed),
          };
        }),
      );
    });
    const histories = await targetHistory(
      db,
      laCode,
      measures.map((m) => m.definition.id),
    );
    return {
      laCode,
      name,
      refreshed,
      measures: measures.map((m) => ({ ...m, history: histories.get(m.definition.id)! })),
      englandSource: ENGLAND_SOURCE,
    };
  }

  /** Every figure of an LA as open data: one row per measure, month and breakdown category, the rule applied. */
  async function openData(laCode: string) {
    const name = await localAuthorityName(db, laCode);
    if (!name) throw new NotFoundError(laCode);
    return { laCode, name, rows: await publishedFigures(db, laCode) };
  }

  /**
   * A manager sets (or, with null, removes) the LA's target for a measure. The form carries the version it was opened
   * with (0: no target then); a change made since is a conflict, never overwritten.
   */
  async function setTarget(ctx: RequestContext, id: string, target: number | null, version: number, reason: string) {
    requirePermission(ctx, 'measures:set_target');
    const definition = MEASURE_BY_ID.get(id);
    if (!definition) throw new NotFoundError(id);
    if (definition.improvementDirection === 'neutral') {
      throw new TargetRuleError('target', 'This measure is neither better higher nor lower, so it has no target');
    }
    if (target !== null && (target < 0 || (definition.unit === '%' && target > 100))) {
      throw new TargetRuleError(
        'target',
        definition.unit === '%' ? 'Target must be a percentage from 0 to 100' : 'Target must be 0 or more',
      );
    }
    await db.transaction(async (tx) => {
      const current = await lockTarget(tx, ctx.actor.laCode, id);
      if ((current?.version ?? 0) !== version) {
        // Someone else set, changed or removed it after the form was opened: theirs beside this one, and who.
        const words = (t: number | null) => ({
          Target: t === null ? 'No target' : `${t}${definition.unit === '%' ? '%' : ''}`,
        });
        throw new StaleFormError(
          await staleDetail(
            tx,
            ctx.actor.laCode,
            { type: 'measure_target', id, version: current?.version ?? 0 },
            words(current?.target ?? null),
            words(target),
          ),
        );
      }
      if (current?.target === target || (!current && target === null)) return;
      // Moving a goalpost needs a reason, kept for good with the change.
      if (current && reason.trim() === '') {
        throw new TargetRuleError(
          'reason',
          target === null ? 'Give a reason for removing the target' : 'Give a reason for changing the target',
        );
      }
      const now = clock.now();
      await appendTargetChange(tx, {
        laCode: ctx.actor.laCode,
        measure: id,
        at: now,
        changedBy: ctx.actor.userId,
        fromTarget: current?.target ?? null,
        toTarget: target,
        reason: reason.trim() || 'First target set',
      });
      if (target === null) {
        if (current) await deleteTarget(tx, ctx.actor.laCode, id);
      } else {
        await putTarget(tx, {
          laCode: ctx.actor.laCode,
          measure: id,
          target,
          setBy: ctx.actor.userId,
          setAt: now,
          version: version + 1,
        });
      }
      await appendAudit(tx, {
        userId: ctx.actor.userId,
        laCode: ctx.actor.laCode,
        action: target === null ? 'delete' : 'update',
        entityType: 'measure_target',
        entityId: id,
        ip: ctx.ip,
        requestId: ctx.requestId,
        detail: { from: current?.target ?? null, to: target, reason: reason.trim() },
      });
    });
  }

  /** The LAs whose measures have been worked out, for the public index. */
  async function publishedLas() {
    const las = await listLocalAuthorities(db);
    const refreshed = await Promise.all(las.map((la) => measureRefresh(db, la.laCode)));
    return las.filter((_, i) => refreshed[i] !== null);
  }

  return { refresh, dashboard, measure, decisionsByRequestYear, publicPage, openData, publishedLas, setTarget };
}

export type MeasureService = ReturnType<typeof createMeasureService>;

export type PublishedValue = StoredValue & {
  /** Why the row's figure is hidden (a small number, or it could be worked out), or null when it is published. */
  suppressed: SuppressionReason | null;
  /** Which of the row's figures are hidden: the numbers of those are null. */
  hidden: { value: boolean; numerator: boolean; denominator: boolean };
};

/** A whole-LA month with no stored row (not expected: every month has one): nothing to publish. */
function unpublished(definition: MeasureDefinition, month: string): PublishedValue {
  return {
    measure: definition.id,
    month,
    dimension: 'all',
    category: 'all',
    numerator: null,
    denominator: null,
    value: null,
    suppressed: null,
    hidden: { value: false, numerator: false, denominator: false },
  };
}

/**
 * The figures as published, under the disclosure rule (domain/disclosure): a hidden figure has no number. Give it
 * every row an LA publishes at once: hiding in one breakdown can need hiding in the whole LA's figure, and so in
 * every other breakdown.
 */
export function publish(rows: readonly StoredValue[]): PublishedValue[] {
  const disclosure: FigureDisclosure[] = disclosureOf(
    rows.map((r) => ({ ...r, kind: MEASURE_BY_ID.get(r.measure)?.kind ?? 'count' })),
    MEASURE_SUMS,
  );
  return rows.map((r, i) => {
    const d = disclosure[i]!;
    const hidden = { value: d.value !== null, numerator: d.numerator !== null, denominator: d.denominator !== null };
    return {
      ...r,
      numerator: hidden.numerator ? null : r.numerator,
      denominator: hidden.denominator ? null : r.denominator,
      value: hidden.value ? null : r.value,
      suppressed: d.value ?? d.numerator ?? d.denominator,
      hidden,
    };
  });
}
