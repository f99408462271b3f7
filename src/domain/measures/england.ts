/**
 * England's published figures, for comparison lines on charts: DfE "Education, health and care plans" (explore
 * education statistics, 2022 and 2025 releases; Open Government Licence v3), calendar years. From the project's
 * reference table shared/reference/statistics/ehcp_stats_england_hertfordshire.csv.
 */
export const ENGLAND_SOURCE =
  'DfE, Education, health and care plans (2022 and 2025 releases), England, calendar years; Open Government Licence v3.0';

export const ENGLAND: Record<string, Record<number, number>> = {
  pct_within_20wk_excl_exceptions: {
    2014: 64.3,
    2015: 59.2,
    2016: 58.6,
    2017: 64.9,
    2018: 60.1,
    2019: 60.4,
    2020: 58.0,
    2021: 59.9,
    2022: 49.2,
    2023: 50.3,
    2024: 46.4,
  },
  pct_within_20wk_incl_exceptions: {
    2014: 61.5,
    2015: 54.6,
    2016: 55.7,
    2017: 61.3,
    2018: 58.0,
    2019: 58.7,
    2020: 55.6,
    2021: 57.9,
    2022: 47.7,
    2023: 49.1,
    2024: 45.9,
  },
  pct_request_decision_within_6wk: { 2023: 84.8, 2024: 84.8 },
  // Annual review decisions made within 4 weeks of the meeting, 2024 (the first year published): 154,924 of 348,759
  // (2025 release, annual_reviews.csv: number_decsion_4weeks, pc_decsion_4weeks).
  pct_review_decision_within_4wk: { 2024: 44.4 },
};

/** England's figure for the calendar year of a month (YYYY-MM), or null when none is published for that year. */
export function englandFigure(series: string, month: string): number | null {
  return ENGLAND[series]?.[Number(month.slice(0, 4))] ?? null;
}
