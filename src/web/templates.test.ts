/**
 * Templates format; they do not decide (design/architecture.md). Which items a page lists, which date it gives and
 * how many there are come from the route's view model. Filtering in a template is how wrong facts reached pages:
 * Nunjucks 3's `selectattr("id", "equalto", x)` ignores its second and third arguments and keeps every item, so the
 * final plan form gave the 6-week decision date as the 20-week date. This test keeps such filters out of every view.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WEB_ROOT } from './nunjucks.js';

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return templates(full);
    return e.name.endsWith('.njk') ? [full] : [];
  });
}

/** Filters that choose, order or count items: their work belongs in the view model. */
const DECIDING = /\|\s*(selectattr|rejectattr|groupby|sort|sum|first|last|batch|slice|dictsort)\b/;
/** `select` and `reject` with an argument (a test) choose items too; with none they only drop empty rows. */
const TESTED = /\|\s*(select|reject)\s*\(/;

/** A class attribute naming a GOV.UK component's root element (its block, not a modifier or a layout class). */
const HAND_WRITTEN = new RegExp(
  `class="(?:[^"]*\\s)?govuk-(?:${[
    'header',
    'generic-header',
    'service-navigation',
    'phase-banner',
    'pagination',
    'button',
    'select',
    'tag',
    'warning-text',
    'inset-text',
    'details',
    'panel',
    'summary-list',
    'notification-banner',
  ].join('|')})(?=[\\s"])`,
);

describe('templates', () => {
  const files = templates(WEB_ROOT);

  it('are found (the check below runs over every view)', () => {
    expect(files.length).toBeGreaterThan(60);
  });

  it('never filter, sort or count items: the view model does', () => {
    const found = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          DECIDING.test(line) || TESTED.test(line) ? [`${path.relative(WEB_ROOT, file)}:${i + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(found).toEqual([]);
  });

  it('render GOV.UK components with their Nunjucks macros, never a hand-written copy of their markup', () => {
    // The components' markup changes between govuk-frontend releases (the header and service navigation did twice
    // within 6.x); a copy falls behind silently, the macro does not.
    const found = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          HAND_WRITTEN.test(line) ? [`${path.relative(WEB_ROOT, file)}:${i + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(found).toEqual([]);
  });

  it('would catch a hand-written component, but not layout classes or a macro call', () => {
    expect(HAND_WRITTEN.test('<strong class="govuk-tag govuk-tag--red">Overdue</strong>')).toBe(true);
    expect(HAND_WRITTEN.test('<nav class="govuk-pagination" aria-label="Pagination">')).toBe(true);
    expect(HAND_WRITTEN.test('<a href="/x" role="button" class="govuk-button govuk-button--secondary">')).toBe(true);
    expect(HAND_WRITTEN.test('<div class="govuk-button-group">')).toBe(false);
    expect(HAND_WRITTEN.test('{{ govukTag({ text: "Overdue", classes: "govuk-tag--red" }) }}')).toBe(false);
  });

  it('would catch the construct that stated the wrong date', () => {
    const line = '{{ (record.clock.duties | selectattr("id", "equalto", "issue_final_plan") | first).due | longDate }}';
    expect(DECIDING.test(line)).toBe(true);
    expect(TESTED.test('{{ rows | select("odd") }}')).toBe(true);
    expect(DECIDING.test('{{ rows | select }}') || TESTED.test('{{ rows | select }}')).toBe(false);
  });
});
