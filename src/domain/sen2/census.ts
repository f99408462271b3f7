/**
 * SEN2 collection years: each return holds the previous calendar year's requests and assessments and the plans
 * active on the census date, a Thursday in mid-January set by DfE each year (shared/reference/sen2/README.md, from the
 * gov.uk guidance). The dates are configuration, not computed: a year not listed cannot be exported until it is added.
 */
import type { LocalDate } from '../dates/localDate.js';

/** The collection years the product can write, with their schema. */
export const SEN2_YEARS = [2025, 2026] as const;
export type Sen2Year = (typeof SEN2_YEARS)[number];

/** Census dates by return year, and the data deadline where known. */
export const CENSUS_DATES: Record<number, { census: LocalDate; deadline: LocalDate | null }> = {
  2023: { census: '2023-01-19' as LocalDate, deadline: null },
  2024: { census: '2024-01-18' as LocalDate, deadline: '2024-03-14' as LocalDate },
  2025: { census: '2025-01-16' as LocalDate, deadline: '2025-03-14' as LocalDate },
  2026: { census: '2026-01-15' as LocalDate, deadline: '2026-03-12' as LocalDate },
  2027: { census: '2027-01-21' as LocalDate, deadline: '2027-03-11' as LocalDate },
};

export function isSen2Year(year: number): year is Sen2Year {
  return (SEN2_YEARS as readonly number[]).includes(year);
}

/**
 * The reference period of return `year`: requests and assessments from 1 January to 31 December of the year before,
 * and the caseload on the census date.
 */
export function referencePeriod(year: number): { from: LocalDate; to: LocalDate; census: LocalDate } {
  const dates = CENSUS_DATES[year];
  if (!dates) throw new RangeError(`no census date is configured for the ${year} SEN2 return`);
  return { from: `${year - 1}-01-01` as LocalDate, to: `${year - 1}-12-31` as LocalDate, census: dates.census };
}
