/**
 * Where a page of a long list stands: the numbers a page states ("Showing 26 to 33 of 33, page 2 of 2"), worked out
 * once here so no template does arithmetic. A page past the end (an old bookmark, an edited address) shows no one and
 * says so, instead of stating impossible numbers such as "Showing 2,499,951 to 82 of 82".
 */
export interface PageSummary {
  /** The page asked for (1 or more). */
  page: number;
  /** How many pages the list has: at least 1, so an empty list is "page 1 of 1". */
  pageCount: number;
  /** The list's length. */
  total: number;
  /** The position of the first and last item shown (1-based); both 0 when nothing is shown. */
  first: number;
  last: number;
  /** Whether the page asked for comes after the last page of a list that has items. */
  pastEnd: boolean;
}

export function pageSummary(page: number, pageSize: number, total: number): PageSummary {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const pastEnd = total > 0 && page > pageCount;
  const shows = total > 0 && !pastEnd;
  return {
    page,
    pageCount,
    total,
    first: shows ? (page - 1) * pageSize + 1 : 0,
    last: shows ? Math.min(total, page * pageSize) : 0,
    pastEnd,
  };
}

/**
 * Items for the GOV.UK pagination component: first, last, current and its neighbours, with ellipses between. On a
 * page past the end no page is current and "Previous" goes to the last page (not to another page past the end).
 */
export function paginationItems(page: number, pageCount: number, href: (p: number) => string) {
  if (pageCount <= 1) return undefined;
  const shown = new Set([1, pageCount, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pageCount));
  const sorted = [...shown].sort((a, b) => a - b);
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  sorted.forEach((p, i) => {
    const prev = sorted[i - 1];
    if (prev !== undefined && p - prev > 1) items.push({ ellipsis: true });
    items.push({ number: p, href: href(p), current: p === page });
  });
  return {
    items,
    previous: page > 1 ? { href: href(Math.min(page - 1, pageCount)) } : undefined,
    next: page < pageCount ? { href: href(page + 1) } : undefined,
  };
}
