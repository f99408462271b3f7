/**
 * Ceasing a plan in Chromium on a 390 px phone, without JavaScript (issue 28; CFA s.45; SEND Regulations 2014 regs
 * 29-31): a caseworker takes a plan from its review page through the consultation and the decision notice to its end
 * once the family's time to appeal has passed, with refusals on the way; and a parent reads the council's decision
 * about their child's plan, with the mediation and appeal dates. The dates the pages state are checked against dates
 * worked out here by hand from the law. axe runs on every page. The service runs on today's date, so the dates typed
 * are counted back from today.
 */
import { ACCOUNTS, CARER, expect, signIn, test } from './fixtures.js';
import { daysAgo } from './dates.js';
import { CeasingPage, CeasingStepForm } from './pages/ceasing.js';
import { ReviewsPage } from './pages/reviews.js';
import { SignInPage } from './pages/signIn.js';

/** "2 months from D" (the Tribunal's rules, reg 33): the same day 2 months on, or that month's last day. */
function twoMonthsFrom(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + 2;
  const [year, month] = [Math.floor(index / 12), (index % 12) + 1];
  const day = Math.min(d, new Date(Date.UTC(year, month, 0)).getUTCDate());
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
const dayAfter = (iso: string) => new Date(Date.parse(`${iso}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
/** The Tribunal moves a deadline in August or from 25 December to 1 January (appeal.ts); the test then reads it. */
const moved = (iso: string) => iso.slice(5, 7) === '08' || iso.slice(5) >= '12-25' || iso.slice(5) === '01-01';

test.describe('ceasing a plan, on a 390 px phone without JavaScript', () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });

  test('a caseworker consults, sends the decision notice, and records the plan ended after the appeal time', async ({
    page,
    a11y,
  }) => {
    test.setTimeout(240_000);
    await new SignInPage(page, a11y).signIn(ACCOUNTS.caseworker);
    const list = new ReviewsPage(page, a11y);
    await list.open();
    await list.openFirst();
    await page.getByRole('link', { name: 'Ceasing the plan' }).click();
    const ceasing = new CeasingPage(page, a11y);
    const form = new CeasingStepForm(page, a11y);
    await ceasing.check();
    await expect(ceasing.heading).toHaveText('Ceasing the plan');
    await expect(ceasing.nextStep).toContainText('Tell the family the council is considering ceasing the plan');

    await page.getByRole('button', { name: /Tell the family/ }).click();
    await form.check();
    await form.choose(/The plan is no longer necessary/);
    await form.date('Date the family was told and consulted', daysAgo(-1));
    await form.date('Date the school or college was consulted', daysAgo(110));
    await form.save();
    // A consultation in the future is refused, and nothing is saved.
    await expect(form.errorSummary).toContainText('The date the family was consulted must be today or in the past');
    await form.date('Date the family was told and consulted', daysAgo(110));
    await form.save();
    await expect(page.getByText('Consultation recorded.')).toBeVisible();

    await ceasing.startStep('Decision notice');
    await form.choose('Cease to maintain the plan');
    // A notice before the consultation is refused (reg 31(2)).
    await form.date('Date the decision notice was sent', daysAgo(111));
    await form.save();
    await expect(form.errorSummary).toContainText('The decision notice must be on or after the consultation');
    const decision = daysAgo(100);
    await form.date('Date the decision notice was sent', decision);
    await form.save();
    await expect(page.getByText('Decision notice recorded.')).toBeVisible();
    // reg 33: the mediation adviser within 2 months of the notice; the Tribunal's rules: appeal within 2 months
    // (moved out of August or Christmas); s.45(2): the plan is maintained until then and ends the day after.
    const twoMonths = twoMonthsFrom(decision.iso);
    expect(await ceasing.stated('mediation_contact_by')).toBe(twoMonths);
    const appealBy = await ceasing.stated('appeal_by');
    if (!moved(twoMonths)) expect(appealBy).toBe(twoMonths);
    expect(await ceasing.stated('plan_ends')).toBe(dayAfter(appealBy!));

    await page.getByRole('button', { name: 'Record that the plan has ended' }).click();
    await form.check();
    await form.save();
    await expect(page.getByText('The plan has ended.')).toBeVisible();
    await expect(page.locator('time[data-duty="plan_ceased"]')).toHaveAttribute('datetime', dayAfter(appealBy!));
    await expect(ceasing.nextStep).toContainText('Nothing: no ceasing is under way');
  });

  test('a parent reads the council’s decision to end their child’s plan, with the dates to act by', async ({
    page,
    browser,
    a11y,
  }) => {
    test.setTimeout(240_000);
    // The demo carer's child with a final plan (src/demo/generate.ts).
    await signIn(page, a11y, CARER);
    const html = await (await page.request.get('/my-child')).text();
    const ids = [...new Set([...html.matchAll(/href="\/my-child\/([0-9a-f-]{36})/g)].map((m) => m[1]!))];
    let requestId: string | undefined;
    for (const id of ids) if ((await page.request.get(`/my-child/${id}/plan`)).status() === 200) requestId ??= id;
    expect(requestId, 'a demo child with a final plan').toBeTruthy();

    // The caseworker, in another browser, consults and sends the decision today, from the plan's page.
    const staff = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const staffPage = await staff.newPage();
    await new SignInPage(staffPage, a11y).signIn(ACCOUNTS.caseworker);
    await staffPage.goto(`/cases/${requestId}/plan`);
    await a11y.check(staffPage);
    await staffPage.getByRole('link', { name: 'Ceasing the plan' }).click();
    await a11y.check(staffPage);
    const form = new CeasingStepForm(staffPage, a11y);
    await staffPage.getByRole('button', { name: /Tell the family/ }).click();
    await form.check();
    await form.choose(/The plan is no longer necessary/);
    await form.date('Date the family was told and consulted', daysAgo(0));
    await form.date('Date the school or college was consulted', daysAgo(0));
    await form.save();
    await new CeasingPage(staffPage, a11y).startStep('Decision notice');
    await form.choose('Cease to maintain the plan');
    await form.date('Date the decision notice was sent', daysAgo(0));
    await form.save();
    const appealBy = await new CeasingPage(staffPage, a11y).stated('appeal_by');
    await staff.close();

    await page.goto(`/my-child/${requestId}`);
    await a11y.check(page);
    await page.getByRole('link', { name: /EHC plan: what happens and your right to appeal/ }).click();
    await a11y.check(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Ending .+’s EHC plan$/);
    await expect(page.locator('#ceasing-status')).toContainText('The council has decided to end');
    const long = (iso: string) =>
      new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
    await expect(
      page.getByText(`Contact the mediation adviser by ${long(twoMonthsFrom(daysAgo(0).iso))}.`),
    ).toBeVisible();
    await expect(page.getByText(`Appeal by ${long(appealBy!)}.`)).toBeVisible();
    await expect(page.getByText(`If you do not appeal, it ends on ${long(dayAfter(appealBy!))}.`)).toBeVisible();
  });
});
