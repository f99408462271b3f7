/**
 * Commitments as the plan's pages read them: each with its monthly series (live, or entered by hand), its assurance,
 * its forecast chance and, on published views, what the disclosure rule hides. Shared by one commitment's page, the
 * board report and the public plan.
 */
import {
  commitmentHistoryFor,
  listActions,
  listCommitmentValues,
  type ActionRow,
  type CommitmentRow,
  type PlanRow,
} from '../../data/repositories/improvementPlans.js';
import {
  assess,
  monthAt,
  monthIndex,
  type CommitmentAssurance,
  type Polarity,
} from '../../domain/commitments/assurance.js';
import { compareWithLive, type LiveComparison } from '../../domain/commitments/liveComparison.js';
import { checkCommitment, type VaguenessFlag } from '../../domain/commitments/vagueness.js';
import { disclosureOf } from '../../domain/disclosure/figures.js';
import { chanceOfShare, FORECAST_MEASURES, type StoredForecast } from '../forecasts.js';
import { wholeLaSeries } from '../measures.js';
import { parts, type PlanDeps } from './shared.js';
import { toChecked, unitOf } from './words.js';

export interface CommitmentView {
  row: CommitmentRow;
  reference: string;
  unit: string;
  flags: VaguenessFlag[];
  assurance: CommitmentAssurance | null;
  /**
   * The chance of meeting the target in its month, from the latest forecast (commitments on the 20-week measure whose
   * target month the forecast reaches; otherwise null).
   */
  forecastProbability: number | null;
  forecastAsOf: string | null;
  valuesN: Map<string, number | null>;
  /** Months whose figure the disclosure rule hides (published views only). */
  hidden: ReadonlySet<string>;
  /** The baseline figure is hidden by the disclosure rule (published views only). */
  baselineHidden: boolean;
  /**
   * For a series entered by hand declared to measure the same thing as a live measure: that measure, and the two set
   * side by side month by month.
   */
  live: { measureId: string; comparison: LiveComparison } | null;
}

/**
 * A series entered by hand as the public sees it, under the disclosure rule (domain/disclosure): a percentage of n
 * children is a rate (its numerator is the percentage of n), any other figure one about its n children. Each month
 * stands alone (no breakdowns, no totals).
 */
function publishedManualSeries(
  series: { month: string; value: number | null; n: number | null; hidden: boolean }[],
  unit: string,
) {
  const rows = series.map((s) => ({
    measure: 'entered',
    kind: unit === '%' ? ('rate' as const) : ('median' as const),
    month: s.month,
    dimension: 'all',
    category: 'all',
    numerator: unit === '%' && s.value !== null && s.n !== null ? Math.round((s.value * s.n) / 100) : null,
    denominator: s.n,
  }));
  const disclosure = disclosureOf(rows.filter((r) => r.denominator !== null));
  let k = 0;
  return series.map((s, i) => {
    if (rows[i]!.denominator === null) return s;
    const d = disclosure[k++]!;
    return {
      ...s,
      value: d.value ? null : s.value,
      n: d.denominator ? null : s.n,
      hidden: d.value !== null,
    };
  });
}

/** Each commitment's monthly series (live or entered by hand) and its assurance. */
export async function withAssurance(
  { database: { db }, clock, forecasts }: PlanDeps,
  laCode: string,
  list: { row: CommitmentRow; reference: string }[],
  published: boolean,
): Promise<{ views: CommitmentView[]; forecast: StoredForecast | null }> {
  const live = await wholeLaSeries(
    db,
    laCode,
    [...new Set(list.flatMap((c) => [c.row.measureId, c.row.liveMeasureId]).filter((m): m is string => m !== null))],
    published,
  );
  const manual = await listCommitmentValues(
    db,
    laCode,
    list.filter((c) => !c.row.measureId).map((c) => c.row.id),
  );
  const today = clock.today();
  const forecast = list.some((c) => c.row.measureId && FORECAST_MEASURES.has(c.row.measureId))
    ? await forecasts.latest(laCode)
    : null;
  const views = list.map(({ row, reference }) => {
    let series: { month: string; value: number | null; n: number | null; hidden: boolean }[];
    if (row.measureId) series = live.get(row.measureId) ?? [];
    else {
      const own = manual.filter((v) => v.commitmentId === row.id);
      series = [];
      if (own.length) {
        const byMonth = new Map(own.map((v) => [v.month, v]));
        for (let i = monthIndex(own[0]!.month); i <= monthIndex(own[own.length - 1]!.month); i++) {
          const v = byMonth.get(monthAt(i));
          series.push({ month: monthAt(i), value: v?.value ?? null, n: v?.n ?? null, hidden: false });
        }
        if (published) series = publishedManualSeries(series, unitOf(row));
      }
    }
    // A baseline is a figure too: hidden where its month's figure is, or where its own n would give it away; then
    // the public trajectory starts at the first milestone (a line from the baseline would show it).
    const baselineHidden =
      published &&
      row.baselineValue !== null &&
      (series.some((p) => p.month === row.baselinePeriod && p.hidden) ||
        publishedManualSeries(
          [{ month: row.baselinePeriod ?? '', value: row.baselineValue, n: row.baselineN, hidden: false }],
          unitOf(row),
        )[0]!.hidden);
    const assurance =
      row.targetValue !== null && row.targetDate && row.polarity
        ? assess({
            polarity: row.polarity as Polarity,
            baseline:
              row.baselineValue !== null && !baselineHidden
                ? { month: row.baselinePeriod, value: row.baselineValue }
                : null,
            milestones: row.milestones.map((m) => ({ month: m.date.slice(0, 7), value: m.value })),
            target: { month: row.targetDate.slice(0, 7), value: row.targetValue },
            series,
          })
        : null;
    return {
      row,
      reference,
      unit: unitOf(row),
      flags: checkCommitment(toChecked(row), today),
      assurance,
      forecastProbability:
        forecast && row.measureId && FORECAST_MEASURES.has(row.measureId) && row.targetValue !== null && row.targetDate
          ? chanceOfShare(forecast, row.targetDate.slice(0, 7), row.targetValue)
          : null,
      forecastAsOf: forecast?.asOf ?? null,
      valuesN: new Map(series.map((s) => [s.month, s.n])),
      hidden: new Set(series.filter((s) => s.hidden).map((s) => s.month)),
      baselineHidden,
      // Staff pages only: the public plan does not set the two side by side.
      live:
        !published && !row.measureId && row.liveMeasureId
          ? {
              measureId: row.liveMeasureId,
              comparison: compareWithLive(series, live.get(row.liveMeasureId) ?? []),
            }
          : null,
    };
  });
  return { views, forecast };
}

/** Everything the board report and the public plan read: commitments with assurance, by priority. */
export async function assembled(deps: PlanDeps, laCode: string, plan: PlanRow, published: boolean) {
  const { objectives, priorities, list } = await parts(deps.database.db, laCode, plan.id);
  const { views } = await withAssurance(
    deps,
    laCode,
    list.filter((c) => !published || c.row.status === 'measurable'),
    published,
  );
  const [history, actions] = await Promise.all([
    commitmentHistoryFor(
      deps.database.db,
      laCode,
      views.map((v) => v.row.id),
    ),
    published
      ? Promise.resolve([] as ActionRow[])
      : listActions(
          deps.database.db,
          laCode,
          views.map((v) => v.row.id),
        ),
  ]);
  const groups = [...priorities, null].map((p) => ({
    priority: p,
    commitments: views
      .filter((v) => v.row.priorityId === (p?.id ?? null))
      .map((v) => ({
        ...v,
        history: history.filter((h) => h.commitmentId === v.row.id),
        actions: actions.filter((a) => a.commitmentId === v.row.id),
      })),
  }));
  return { objectives, groups: groups.filter((g) => g.priority !== null || g.commitments.length > 0) };
}
