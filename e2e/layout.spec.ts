/**
 * The layout each role relies on, on a phone and at a desk: at 390 px (an iPhone 12 to 15 held upright) no page of
 * theirs scrolls sideways and each passes axe; at 1280 px the header (service name, navigation, sign-out) takes at
 * most two lines, so the page starts where the user expects it.
 */
import type { Page } from '@playwright/test';
import { ACCOUNTS, expect, signIn, test } from './fixtures.js';

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1280, height: 800 };

/**
 * Each role's navigation, in order, with where each link goes: exactly the parts of the service the role may use.
 * With the home page, these are the role's main pages.
 */
const NAVIGATION: Record<keyof typeof ACCOUNTS, [string, string][]> = {
  caseworker: [
    ['Caseload', '/cases'],
    ['Improvement plan', '/improvement-plan'],
    ['Messages', '/messages'],
  ],
  manager: [
    ['Caseload', '/cases'],
    ['Measures', '/measures'],
    ['Improvement plan', '/improvement-plan'],
    ['Plan quality', '/quality'],
    ['SEN2 return', '/sen2'],
    ['Messages', '/messages'],
  ],
  qa: [
    ['Measures', '/measures'],
    ['Improvement plan', '/improvement-plan'],
    ['Plan quality', '/quality'],
  ],
  advice: [],
  parent: [['Your child', '/my-child']],
  board: [
    ['Measures', '/measures'],
    ['Improvement plan', '/improvement-plan'],
  ],
  admin: [
    ['Messages', '/messages'],
    ['Users', '/admin/users'],
    ['Audit log', '/admin/audit'],
    ['Bank holidays', '/admin/bank-holidays'],
    ['Retention', '/admin/retention'],
  ],
  data: [
    ['Measures', '/measures'],
    ['SEN2 return', '/sen2'],
  ],
};

/** How wide the page is, scrolled sideways as far as it goes (the viewport's width when it does not scroll). */
async function pageWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

/**
 * The header's lines at the current width: the service name, each navigation item and the sign-out, grouped into
 * lines by where they start (a new line starts more than half a line below the last); and the header's height.
 */
async function headerLines(page: Page): Promise<{ lines: number; height: number; lineHeight: number }> {
  const name = (await page.locator('.govuk-service-navigation__service-name').boundingBox())!;
  const parts = page.locator('.govuk-service-navigation__service-name, .govuk-service-navigation__item, .app-sign-out');
  const tops = (await Promise.all((await parts.all()).map(async (p) => (await p.boundingBox())!.y))).sort(
    (a, b) => a - b,
  );
  let lines = 0;
  let lineTop = -Infinity;
  for (const top of tops) {
    if (top > lineTop + name.height / 2) {
      lines += 1;
      lineTop = top;
    }
  }
  const section = (await page.locator('.govuk-service-navigation').boundingBox())!;
  return { lines, height: section.height, lineHeight: name.height };
}

/**
 * The page as it is now, at a desk and then on a phone (the same page, resized: no second load): at 1280 px the header
 * takes at most two lines; at 390 px the page has its heading, does not scroll sideways and passes axe.
 */
async function fitsDeskAndPhone(page: Page, a11y: { check(page: Page): Promise<void> }, path: string) {
  const header = await headerLines(page);
  expect(header.lines, `${path}: lines of the header at 1280 px`).toBeLessThanOrEqual(2);
  // Two lines of the service navigation (60 px each) and its border: never the three the manager's took.
  expect(header.height, `${path}: height of the header at 1280 px`).toBeLessThanOrEqual(2 * header.lineHeight + 2);
  await page.setViewportSize(PHONE);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(await pageWidth(page), `${path} at 390 px`).toBeLessThanOrEqual(PHONE.width);
  await a11y.check(page);
  await page.setViewportSize(DESK);
}

for (const role of Object.keys(NAVIGATION) as (keyof typeof ACCOUNTS)[]) {
  test(`${role} sees only the parts of the service their role may use; each page passes axe at 1280 px and on a 390 px phone, which it fits, under a header of at most two lines at 1280 px`, async ({
    page,
    a11y,
  }) => {
    // Up to 7 pages, each checked with axe twice (at a desk and on a phone): longer than the 60 s a journey is given.
    test.setTimeout(180_000);
    await page.setViewportSize(DESK);
    // Signing in lands on the home page, checked with axe at 1280 px.
    await signIn(page, a11y, ACCOUNTS[role]);
    const menu = page.getByRole('navigation', { name: 'Menu' });
    await expect(menu.getByRole('link')).toHaveText(NAVIGATION[role].map(([link]) => link));
    await fitsDeskAndPhone(page, a11y, '/');
    for (const [link, path] of NAVIGATION[role]) {
      await menu.getByRole('link', { name: link }).click();
      await expect(page).toHaveURL((url) => url.pathname === path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await a11y.check(page);
      await fitsDeskAndPhone(page, a11y, path);
    }
  });
}

test('the audit log, filtered by a child, and a caseload page past the end fit a phone', async ({ page, a11y }) => {
  await page.setViewportSize(PHONE);
  await signIn(page, a11y, ACCOUNTS.admin);
  await page.goto('/admin/audit');
  await a11y.check(page);
  await page.getByLabel('Child’s reference').fill('NO-SUCH-CHILD');
  await page.getByRole('button', { name: 'Show entries' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'No child in Demo County Council has the reference NO-SUCH-CHILD',
  );
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await a11y.check(page);
  await page.getByRole('link', { name: 'No child in Demo County Council has the reference NO-SUCH-CHILD' }).click();
  await expect(page.getByLabel('Child’s reference')).toBeFocused();
});

test('an admin sees a locked-out account on a phone and unlocks it', async ({ browser, page, a11y }) => {
  // Five failed sign-ins, then three pages each checked with axe: longer than the 60 s a journey is given.
  test.setTimeout(180_000);
  // Someone tries the advice giver's account 5 times with a wrong password, from another browser: it is locked.
  const attacker = await browser.newContext();
  const tries = await attacker.newPage();
  for (let i = 0; i < 5; i++) {
    await tries.goto('/sign-in');
    await tries.getByLabel('Email address').fill(ACCOUNTS.advice);
    await tries.getByLabel('Password', { exact: true }).fill(`not-the-password-${i}`);
    await tries.getByRole('button', { name: 'Sign in' }).click();
    await expect(tries.getByRole('alert')).toContainText('Enter a correct email address and password');
  }
  await attacker.close();

  await page.setViewportSize(PHONE);
  await signIn(page, a11y, ACCOUNTS.admin);
  await page.goto('/admin/audit');
  await a11y.check(page);
  await page.getByRole('link', { name: /Failed sign-ins to your accounts/ }).click();
  const locked = page.getByRole('table', { name: 'Accounts locked out now' });
  await expect(locked).toContainText(ACCOUNTS.advice);
  await expect(page.getByRole('table', { name: 'Failed sign-ins by address' })).toBeVisible();
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await a11y.check(page);
  await locked.getByRole('button', { name: /^Unlock/ }).click();
  await expect(page.getByRole('alert')).toContainText('can sign in again now.');
  await expect(page.getByText('No account is locked out now.')).toBeVisible();
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await a11y.check(page);
});

test('a caseworker reads the caseload on a phone: each request stacked, a page past the end says so', async ({
  page,
  a11y,
}) => {
  await page.setViewportSize(PHONE);
  await signIn(page, a11y, ACCOUNTS.caseworker);
  await page.goto('/cases?view=all');
  const table = page.getByRole('table', { name: 'All open requests' });
  // Still a table to assistive technology, with its sortable column headers.
  await expect(table.getByRole('columnheader', { name: /Next deadline/ })).toBeVisible();
  const first = table.locator('tbody tr').first();
  const [child, stage] = [first.locator('td').nth(0), first.locator('td').nth(1)];
  // Stacked: the stage sits below the child, not beside it, and is named on the line.
  expect((await stage.boundingBox())!.y).toBeGreaterThan((await child.boundingBox())!.y);
  await expect(stage).toHaveAttribute('data-label', 'Stage');
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await a11y.check(page);

  await page.goto('/cases?view=all&page=99999');
  await expect(page.getByText(/There are no open requests on page 99,999\./)).toBeVisible();
  await a11y.check(page);
  await page.getByRole('link', { name: /go to the last page/ }).click();
  await expect(page.getByText(/^Showing [\d,]+ to [\d,]+ of [\d,]+ open requests, page (\d+) of \1\.$/)).toBeVisible();
  await a11y.check(page);
});

test.describe('a case page on a 390 px phone', () => {
  for (const role of ['caseworker', 'manager'] as const) {
    test(`${role}: the case page fits without scrolling sideways, and passes axe`, async ({ page, a11y }) => {
      await page.setViewportSize(PHONE);
      await signIn(page, a11y, ACCOUNTS[role]);
      await page.goto('/cases?view=all');
      const href = await page.locator('tbody').getByRole('link').first().getAttribute('href');
      await a11y.check(page);
      await page.goto(href!);
      await expect(page.getByRole('heading', { name: 'Statutory deadlines' })).toBeVisible();
      expect(await pageWidth(page), `${href} at 390 px`).toBeLessThanOrEqual(PHONE.width);
      await a11y.check(page);
    });
  }
});
