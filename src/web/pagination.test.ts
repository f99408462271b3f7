import { describe, expect, it } from 'vitest';
import { pageSummary, paginationItems } from './pagination.js';

describe('pageSummary: the numbers a page of a list states', () => {
  it('counts the items on the first, a middle and the last page', () => {
    expect(pageSummary(1, 25, 82)).toEqual({ page: 1, pageCount: 4, total: 82, first: 1, last: 25, pastEnd: false });
    expect(pageSummary(2, 25, 82)).toMatchObject({ first: 26, last: 50, pastEnd: false });
    // The last page holds the 7 left over: 76 to 82.
    expect(pageSummary(4, 25, 82)).toMatchObject({ first: 76, last: 82, pageCount: 4, pastEnd: false });
    expect(pageSummary(4, 25, 100)).toMatchObject({ first: 76, last: 100, pageCount: 4 });
  });

  it('shows nothing past the end, and never a first item after the last', () => {
    // The caseload's reported bug: page 99,999 of 82 requests read "Showing 2,499,951 to 82 of 82".
    const past = pageSummary(99_999, 25, 82);
    expect(past).toEqual({ page: 99_999, pageCount: 4, total: 82, first: 0, last: 0, pastEnd: true });
    expect(pageSummary(5, 25, 100)).toMatchObject({ pastEnd: true, first: 0, last: 0 });
    for (const total of [0, 1, 24, 25, 26, 82]) {
      for (const page of [1, 2, 3, 4, 5, 9]) {
        const s = pageSummary(page, 25, total);
        expect(s.first <= s.last, `page ${page} of ${total}`).toBe(true);
        expect(s.last <= total).toBe(true);
        expect(s.pastEnd).toBe(s.total > 0 && s.page > s.pageCount);
      }
    }
  });

  it('an empty list is page 1 of 1 with nothing shown, and no page of it is "past the end"', () => {
    expect(pageSummary(1, 25, 0)).toEqual({ page: 1, pageCount: 1, total: 0, first: 0, last: 0, pastEnd: false });
    expect(pageSummary(3, 25, 0)).toMatchObject({ pastEnd: false, first: 0, last: 0 });
  });
});

describe('paginationItems', () => {
  const href = (p: number) => `/cases?page=${p}`;

  it('links the first, last, current and neighbouring pages, with ellipses between', () => {
    const p = paginationItems(5, 9, href)!;
    expect(p.items.map((i) => ('ellipsis' in i ? '…' : i.current ? `[${i.number}]` : String(i.number)))).toEqual([
      '1',
      '…',
      '4',
      '[5]',
      '6',
      '…',
      '9',
    ]);
    expect(p.previous).toEqual({ href: href(4) });
    expect(p.next).toEqual({ href: href(6) });
    expect(paginationItems(1, 1, href)).toBeUndefined();
  });

  it('past the end, marks no page current and goes back to the last page, not to another page past it', () => {
    const p = paginationItems(99_999, 4, href)!;
    expect(p.items.some((i) => 'current' in i && i.current)).toBe(false);
    expect(p.items.map((i) => ('number' in i ? i.number : '…'))).toEqual([1, '…', 4]);
    expect(p.previous).toEqual({ href: href(4) });
    expect(p.next).toBeUndefined();
  });
});
