/**
 * The forecast page: the latest forecast of the LA's pipeline (worked out hourly by the measures job), as fan charts
 * with their tables, and the parameters it was calibrated with.
 */
import { Router } from 'express';
import { formatMonth } from '../../../domain/dates/localDate.js';
import type { Services } from '../../../services/index.js';
import { FORECAST_MONTHS, FORECAST_REPLICATIONS, RECENT_MONTHS } from '../../../services/forecasts.js';
import { wholeMonths } from '../../../domain/forecast/scenarios.js';
import { fanChartModel } from '../../charts/fanChart.js';
import { formatValue } from '../../charts/spcChart.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { bandNamesOf, dipText, reviewWorkloadText, scenarioRoutes } from './scenarios.js';
import { casePeriods } from '../casework/periods.js';
import { backTestView, monteCarloText, recalibrationText } from './forecastView.js';
import { loadWarningText, STAGE_NAMES } from './stages.js';

const pct = (v: number | null) => (v === null ? '' : formatValue(v * 100, '%'));
const count = (v: number | null) => (v === null ? '' : formatValue(v, ''));
const weeks = (v: number | null) => (v === null ? '' : `${formatValue(v, '')} weeks`);

export function forecastRoutes(services: Services): Router {
  const router = Router();
  router.get('/forecast', requirePermission('measures:view'), noStore, async (req, res) => {
    const { forecast, computedAt, target } = await services.forecasts.view(requestContext(req));
    const reviews = reviewWorkloadText(await services.scenarios.reviews(requestContext(req)));
    if (!forecast) {
      res.render('forecast/forecast.njk', { forecast: null, reviews });
      return;
    }
    // The first month is the rest of this one: it is left out of the charts (part of it has happened), and the dip
    // warning looks at the same whole months.
    const months = wholeMonths(forecast.months);
    const shares = wholeMonths(forecast.shareWithin);
    const share = months.map((m, i) => ({
      month: m.month,
      p10: shares[i]!.p10 === null ? null : shares[i]!.p10 * 100,
      p50: shares[i]!.p50 === null ? null : shares[i]!.p50 * 100,
      p90: shares[i]!.p90 === null ? null : shares[i]!.p90 * 100,
    }));
    const issued = months.map((m) => ({ month: m.month, ...m.completed }));
    const openByAge = wholeMonths(forecast.openByAge ?? []);
    const bands = forecast.ageBands ?? [];
    const bandNames = bandNamesOf(bands);
    res.render('forecast/forecast.njk', {
      forecast,
      computedAt,
      reviews,
      periods: casePeriods(),
      replications: FORECAST_REPLICATIONS,
      recentMonths: RECENT_MONTHS,
      monthsAhead: FORECAST_MONTHS - 1,
      shareChart: fanChartModel(share, { unit: '%', target }),
      issuedChart: fanChartModel(issued, { unit: '' }),
      dip: forecast.dip ? dipText(forecast.dip) : null,
      corrected: recalibrationText(forecast.recalibration),
      warnings: forecast.warnings.map(loadWarningText),
      // Forecasts stored before the 12-origin back-test, or before its ranges were corrected, hold one of another
      // shape: not shown until the next refresh replaces it.
      backTest:
        Array.isArray(forecast.backTest?.measures) && forecast.backTest.recalibrationMonths !== undefined
          ? backTestView(forecast.backTest)
          : null,
      monteCarlo: forecast.monteCarlo ? monteCarloText(forecast.monteCarlo) : null,
      ageCharts: forecast.openByAge
        ? bandNames.map((name, b) => ({
            name,
            id: `open-${b}`,
            chart: fanChartModel(
              months.map((m, i) => ({ month: m.month, ...openByAge[i]![b]! })),
              { unit: '' },
            ),
          }))
        : [],
      ageRows: forecast.openByAge
        ? months.map((m, i) => ({
            month: formatMonth(m.month),
            bands: openByAge[i]!.map((p) => `${count(p.p50)} (${count(p.p10)} to ${count(p.p90)})`),
          }))
        : [],
      bandNames,
      rows: months.map((m, i) => ({
        month: formatMonth(m.month),
        share: [pct(shares[i]!.p10), pct(shares[i]!.p50), pct(shares[i]!.p90)],
        issued: [count(m.completed.p10), count(m.completed.p50), count(m.completed.p90)],
      })),
      calibration: {
        ...forecast.calibration,
        rate: formatValue(forecast.calibration.ratePerWeek, ''),
        assess: pct(forecast.calibration.assessRate),
        issue: pct(forecast.calibration.issueRate),
        stages: forecast.calibration.stages.map((s) => ({
          name: STAGE_NAMES[s.id] ?? s.id,
          n: s.n,
          mean: weeks(s.meanWeeks),
          p90: weeks(s.p90Weeks),
          // A stage with servers but no queue in the window: its capacity was never reached, so it is not known; the
          // simulation still holds it to the cases it has been seen to have in hand at once.
          capacity:
            s.capacityPerWeek !== null && s.capacityPerWeek !== undefined
              ? `${formatValue(s.capacityPerWeek, '')} a week (${count(s.servers ?? null)} in hand at once)`
              : s.servers !== null && s.servers !== undefined
                ? `Never reached in the last ${RECENT_MONTHS} months (no queue): modelled as up to ${count(s.servers)} in hand at once`
                : 'No limit modelled (a delay)',
        })),
      },
    });
  });
  router.use(scenarioRoutes(services));
  return router;
}
