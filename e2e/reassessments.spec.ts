/**
 * A reassessment in Chromium on a 390 px phone, without JavaScript (issue 28; CFA s.44(2); SEND Regulations 2014 regs
 * 24-27): a caseworker takes a plan from its review page through the parent's request, the decision to reassess, the
 * advice and the draft to the plan issued after the reassessment, with a refusal on the way. The dates the page states
 * are checked against dates worked out here from the law: the decision within 15 days of the request (reg 25, P2), the
 * plan within 14 weeks of the decision (reg 27(2), P1), and the next review within 12 months of the reassessed plan.
 * axe runs on every page, each visited once. The service runs on today's date, so the dates typed are counted back
 * from today.
 */
import { ACCOUNTS, expect, test } from './fixtures.js';
import { daysAgo } from './dates.js';
import { ReassessmentPage, ReassessmentStepForm } from './pages/reassessments.js';
import { ReviewsPage } from './pages/reviews.js';
import { SignInPage } from './pages/signIn.js';

const plusDays = (iso: string, n: number) =>
  new Date(Date.parse(`${iso}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

test.describe('a reassessment, on a 390 px phone without JavaScript', () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });

  test('a caseworker records the request, the decision, the advice, the draft and the reassessed plan', async ({
    page,
    a11y,
  }) => {
    test.setTimeout(240_000);
    await new SignInPage(page, a11y).signIn(ACCOUNTS.caseworker);
    const list = new ReviewsPage(page, a11y);
    await list.open();
    // The first plan listed with no reassessment under way (the demo county has a few).
    const ids = [
      ...new Set([...(await page.content()).matchAll(/href="\/reviews\/([0-9a-f-]{36})"/g)].map((m) => m[1]!)),
    ];
    let planId: string | undefined;
    for (const id of ids) {
      const html = await (await page.request.get(`/plans/${id}/reassess`)).text();
      if (html.includes('Record a request for a reassessment')) {
        planId = id;
        break;
      }
    }
    expect(planId, 'a demo plan with no reassessment under way').toBeTruthy();
    await page.goto(`/reviews/${planId}`);
    await a11y.check(page);
    await page.getByRole('link', { name: 'Reassessment', exact: true }).click();
    const reassessment = new ReassessmentPage(page, a11y);
    const form = new ReassessmentStepForm(page, a11y);
    await reassessment.check();
    await expect(reassessment.nextStep).toContainText('Nothing: no reassessment is under way');

    await page.getByRole('button', { name: 'Record a request for a reassessment' }).click();
    await form.check();
    await form.choose('The child’s parent');
    const received = daysAgo(60);
    await form.date('Date the request was received, or the council decided', received);
    await form.save();
    await expect(page.getByText('Request recorded.')).toBeVisible();
    // reg 25 (P2): the decision within 15 days of the request.
    expect(await reassessment.stated('decide_reassessment')).toBe(plusDays(received.iso, 15));

    await reassessment.next('Decide whether to reassess, and tell the family');
    await form.choose('Reassess');
    // A decision before the request is refused, and nothing is saved.
    await form.date('Date the family was told the decision', daysAgo(61));
    await form.save();
    await expect(form.errorSummary).toContainText('The decision must be on or after the date the request was received');
    const decided = daysAgo(50);
    await form.date('Date the family was told the decision', decided);
    await form.save();
    await expect(page.getByText('Decision recorded.')).toBeVisible();
    // reg 27(2) (P1): the plan within 14 weeks (98 days) of the decision.
    expect(await reassessment.stated('issue_reassessed_plan')).toBe(plusDays(decided.iso, 98));

    await reassessment.next('Ask for advice, as for an assessment');
    await form.date('Date advice was asked for', daysAgo(48));
    await page
      .getByRole('group', { name: 'Whose advice was asked for?' })
      .getByLabel(/Educational advice/)
      .check();
    await page
      .getByRole('group', { name: 'Whose advice is in?' })
      .getByLabel(/Educational advice/)
      .check();
    await form.save();
    await expect(page.getByText('Advice recorded.')).toBeVisible();

    await reassessment.next('Send the draft plan');
    const draft = daysAgo(20);
    await form.date('Date the draft plan was sent', draft);
    await form.save();
    await expect(page.getByText('Draft plan recorded.')).toBeVisible();

    await reassessment.next('Issue the final plan');
    const issued = daysAgo(2);
    await form.date('Date the final plan was issued', issued);
    await form.save();
    await expect(page.getByText('issued as a new version of the plan')).toBeVisible();
    await expect(page.getByText(`Completed: the final plan was issued on`)).toBeVisible();
    await expect(reassessment.nextStep).toContainText('Nothing: no reassessment is under way');
    await expect(page.locator('time[data-duty="issue_reassessed_plan"]').first()).toHaveAttribute(
      'datetime',
      plusDays(decided.iso, 98),
    );
  });
});
