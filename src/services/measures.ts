/**
 * Performance measures: worked out from the case data by a job and stored (refresh), then read by the managers'
 * dashboard (with the unsuppressed figures) and by the public transparency page and its open data (suppressed).
 */
import type { Database } from '../data/db.js';
import { appendAudit } from '../data/repositories/audit.js';
import { listLocalAuthorities, localAuthorityName } from '../data/repositories/localAuthorities.js';
import {
  loadMeasureCases,
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
import { can } from '../domain/access/roles.js';
import { suppressionOf, type SuppressionReason } from '../domain/disclosure/suppress.js';
import { ENGLAND_SOURCE, englandFigure } from '../domain/measures/england.js';
import { decisionsWithin6WeeksByRequestYear } from '../domain/measures/byRequestYear.js';
import type { LocalDate } from '../domain/dates/localDate.js';
import { AGE_BANDS } from '../domain/measures/timeliness.js';
import {
  AGE_GROUPS,
  MEASURE_BY_ID,
  MEASURES,
  monthlyMeasures,
  monthsBetween,
  type Dimension,
  type MeasureDefinition,
} from '../domain/measures/monthly.js';
import { analyseSeries, type SpcResult } from '../domain/spc/xmr.js';
import type { RequestContext } from './cases.js';
import type { Clock } from './clock.js';
import { ForbiddenError, NotFoundError } from './errors.js';

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

/** A form's target was changed by someone else after the form was opened. */
export class TargetConflictError extends Error {
  constructor(readonly current: number | null) {
    super('the target has changed since the form was opened');
  }
}

/** A target that cannot be set (the words say why), against the form field at fault. */
export class TargetRuleError extends Error {
  constructor(
    readonly field: 'target' | 'reason',
    message: string,
  ) {
    super(message);
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

/**
 * The whole-LA monthly values of some measures over the stored months, for other modules to judge against (an
 * improvement plan's commitments). `published`: as the public sees them, small numbers hidden.
 */
export async function wholeLaSeries(
  db: Database['db'],
  laCode: string,
  ids: readonly string[],
  published: boolean,
): Promise<Map<string, { month: string; value: number | null; n: number | null }[]>> {
  const known = ids.filter((id) => MEASURE_BY_ID.has(id));
  const [rows, refreshed] = await Promise.all([
    known.length ? readMeasureValues(db, laCode, known, 'all') : Promise.resolve([]),
    measureRefresh(db, laCode),
  ]);
  const months = refreshed ? monthsBetween(refreshed.fromMonth, refreshed.toMonth) : [];
  const out = new Map<string, { month: string; value: number | null; n: number | null }[]>();
  for (const id of known) {
    const definition = MEASURE_BY_ID.get(id)!;
    const full = fullSeries(
      definition,
      rows.filter((r) => r.measure === id),
      months,
    );
    const shown = published ? publish(full) : full;
    out.set(
      id,
      shown.map((r) => ({ month: r.month, value: r.value, n: definition.kind === 'count' ? null : r.denominator })),
    );
  }
  return out;
}

export function createMeasureService(database: Database, clock: Clock) {
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
      const values = monthlyMeasures(cases, from, to);
      await replaceMeasures(db, la, values, {
        refreshedAt: clock.now(),
        fromMonth: from,
        toMonth: to,
        requests: cases.length,
      });
      summary.push({ laCode: la, requests: cases.length, values: values.length });
    }
    return summary;
  }

  function requireView(ctx: RequestContext) {
    if (!can(ctx.actor.roles, 'measures:view')) throw new ForbiddenError('measures:view');
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
    const [rows, refreshed, targets] = await Promise.all([
      readMeasureValues(
        db,
        laCode,
        MEASURES.map((m) => m.id),
        'all',
      ),
      measureRefresh(db, laCode),
      readTargets(db, laCode),
    ]);
    await audit(ctx, { view: 'dashboard' });
    const months = refreshed ? monthsBetween(refreshed.fromMonth, refreshed.toMonth) : [];
    const measures = MEASURES.map((m) =>
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
    const size = (list: StoredValue[]) =>
      list.reduce((n, r) => n + ((definition.kind === 'count' ? r.value : r.denominator) ?? 0), 0);
    return {
      refreshed,
      definition,
      dimension,
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

  /** The published figures of an LA: headline measures for the whole LA, small numbers suppressed. */
  async function publicPage(laCode: string) {
    const name = await localAuthorityName(db, laCode);
    if (!name) throw new NotFoundError(laCode);
    const [rows, refreshed, targets] = await Promise.all([
      readMeasureValues(
        db,
        laCode,
        MEASURES.filter((m) => m.headline).map((m) => m.id),
        'all',
      ),
      measureRefresh(db, laCode),
      readTargets(db, laCode),
    ]);
    const months = refreshed ? monthsBetween(refreshed.fromMonth, refreshed.toMonth) : [];
    const measures = MEASURES.filter((m) => m.headline).map((m) => {
      const series = fullSeries(
        m,
        rows.filter((r) => r.measure === m.id),
        months,
      );
      const published = publish(series);
      // SPC on what is published: a hidden month is a gap in the chart, as it is in the table.
      return {
        ...seriesOf(
          m,
          'all',
          published.map((p) => ({ ...p, value: p.suppressed ? null : p.value })),
          targets.get(m.id)?.target ?? null,
        ),
        suppressed: published.map((p) => p.suppressed),
      };
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

  /** Every stored figure of an LA as open data: one row per measure, month and breakdown category, suppressed. */
  async function openData(laCode: string) {
    const name = await localAuthorityName(db, laCode);
    if (!name) throw new NotFoundError(laCode);
    const rows = (await readAllMeasureValues(db, laCode)).filter((r) => MEASURE_BY_ID.get(r.measure)?.kind !== 'ratio');
    return { laCode, name, rows: publish(rows) };
  }

  /**
   * A manager sets (or, with null, removes) the LA's target for a measure. The form carries the version it was opened
   * with (0: no target then); a change made since is a conflict, never overwritten.
   */
  async function setTarget(ctx: RequestContext, id: string, target: number | null, version: number, reason: string) {
    if (!can(ctx.actor.roles, 'measures:set_target')) throw new ForbiddenError('measures:set_target');
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
      if ((current?.version ?? 0) !== version) throw new TargetConflictError(current?.target ?? null);
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

/** The size that decides suppression: a count's own value, or the n a rate or a time is worked out from. */
function sizeOf(r: StoredValue): number | null {
  const kind = MEASURE_BY_ID.get(r.measure)?.kind;
  if (kind === 'count') return r.value;
  return r.denominator;
}

export type PublishedValue = StoredValue & { suppressed: SuppressionReason | null; numeratorHidden: boolean };

/**
 * The figures as published: suppressed cells have no numbers. A percentage from 5 or more children is shown (as DfE
 * does) even when the count meeting the standard is below 5, but that count itself is not.
 */
export function publish(rows: readonly StoredValue[]): PublishedValue[] {
  const hidden = suppressionOf(rows.map((r) => ({ ...r, size: sizeOf(r) })));
  return rows.map((r, i) => {
    const reason = hidden.get(i) ?? null;
    if (reason)
      return { ...r, numerator: null, denominator: null, value: null, suppressed: reason, numeratorHidden: true };
    const smallNumerator = MEASURE_BY_ID.get(r.measure)?.kind === 'rate' && r.numerator !== null && r.numerator < 5;
    return {
      ...r,
      numerator: smallNumerator ? null : r.numerator,
      suppressed: null,
      numeratorHidden: smallNumerator,
    };
  });
}
