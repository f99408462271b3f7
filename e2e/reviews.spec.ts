/**
 * An annual review in Chromium on a 390 px phone, without JavaScript, from the reviews list to an amended plan (issue
 * 28): each step's form, a refusal on the way, and after each step the dates the review page states checked against
 * dates worked out here by hand from the law (CFA s.44(1); SEND Regulations 2014 regs 20 and 22; Devon [2022]).
 * axe runs on every page. The service runs on today's date, so the dates typed are counted back from today.
 */
import { ACCOUNTS, expect, test } from './fixtures.js';
import { daysAgo } from './dates.js';
import { ReviewPage, ReviewStepForm, ReviewsPage } from './pages/reviews.js';
import { SignInPage } from './pages/signIn.js';

/**
 * "N months starting with D" (CFA s.44(1) with 12, rules P7 and P8): the day before the date corresponding to D
 * N months on; where that month has no such date, its last day.
 */
function monthsStartingWith(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const [year, month] = [Math.floor(index / 12), (index % 12) + 1];
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (d > lastDay) return `${year}-${String(month).padStart(2, '0')}-${lastDay}`;
  return new Date(Date.UTC(year, month - 1, d - 1, 12)).toISOString().slice(0, 10);
}

test.describe('an annual review, on a 390 px phone without JavaScript', () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });

  test('goes from the reviews list to an amended plan, the clock’s dates right after each step', async ({
    page,
    a11y,
  }) => {
    test.setTimeout(240_000);
    await new SignInPage(page, a11y).signIn(ACCOUNTS.caseworker);
    const list = new ReviewsPage(page, a11y);
    await list.open();
    await expect(list.heading).toHaveText('Annual reviews');
    await list.openFirstNotStarted();
    const review = new ReviewPage(page, a11y);
    const form = new ReviewStepForm(page, a11y);
    await expect(review.heading).toHaveText('Annual review');

    // The meeting 35 days ago; invitations 50 days ago: due 14 days before the meeting (reg 20(3)).
    const meeting = daysAgo(35);
    await review.startStep('Arrange the review meeting');
    await form.date('Date of the review meeting', meeting);
    await form.date('Date the invitations were sent', daysAgo(-1));
    await form.save();
    // A date in the future for invitations already sent is refused, and nothing is saved.
    await expect(form.errorSummary).toContainText('The date the invitations were sent must be today or in the past');
    await form.date('Date the invitations were sent', daysAgo(50));
    await form.save();
    await expect(review.page.getByText('Review meeting arranged and invitations recorded.')).toBeVisible();
    expect(await review.stated('send_review_invitations')).toBe(daysAgo(49).iso);
    await expect(review.duty('Send the invitations to the review meeting')).toContainText('Met');

    await review.startStep('Advice for the review');
    await form.tick('The school or setting');
    await form.tick('Educational psychology');
    await form.date('Date advice was asked for', daysAgo(70));
    await form.date(/Date the advice was sent to everyone invited/, daysAgo(50));
    await form.save();
    // reg 20(4): the advice sent out at least 2 weeks before the meeting.
    expect(await review.stated('circulate_review_advice')).toBe(daysAgo(49).iso);

    await review.startStep('Review meeting held');
    await form.date('Date the meeting was held', meeting);
    await form.save();
    // reg 20(7): the report within 2 weeks of the meeting; reg 20(10), Devon: the decision within 4 weeks.
    expect(await review.stated('send_review_report')).toBe(daysAgo(21).iso);
    expect(await review.stated('notify_review_decision')).toBe(daysAgo(7).iso);

    await review.startStep('Review report sent');
    await form.date('Date the report was sent', daysAgo(28));
    await form.save();
    await expect(review.duty('Send the review report')).toContainText('Met');

    await review.startStep('Review decision');
    await form.tick('Amend the plan');
    await form.date('Date the family was told the decision', daysAgo(20));
    await form.section('Section A: views, interests and aspirations', 'Would like to join the school choir.');
    await form.save();
    await expect(review.page.getByText('Review decision recorded.')).toBeVisible();
    // reg 22(3): the amended plan within 8 weeks of the notice; the decision met within 4 weeks of the meeting.
    expect(await review.stated('issue_amended_plan')).toBe(daysAgo(20 - 56).iso);
    await expect(review.duty('Tell the family the review decision')).toContainText('Met');
    await expect(review.nextStep).toContainText('Issue the amended plan, or a notice of not amending');

    await review.startStep('Amended plan or notice of not amending');
    await form.tick('The amended plan');
    await form.date('Date it was sent', daysAgo(2));
    await form.save();
    await expect(review.page.getByText('Recorded. The review is complete.')).toBeVisible();
    await expect(review.page.getByRole('heading', { name: /Amended plan \(version \d+\)/ })).toBeVisible();
    await expect(review.page.locator('section.app-plan-section ins.app-diff__ins').first()).toContainText('choir');
    // The decision concluded the review: the next is due within the 12 months starting with it (CFA s.44(1), P7).
    // (The review's facts state it; what to do next may state it too.)
    const nextDue = page.getByRole('definition').locator('time[data-duty="review_due"]');
    // For a child under 5 the Code of Practice (9.178) asks for a review within 6 months instead (P8).
    const rule = await page.locator('.govuk-summary-list__row', { hasText: 'Rule' }).textContent();
    const underFive = rule?.includes('Under 5') ?? false;
    await expect(nextDue).toHaveAttribute('datetime', monthsStartingWith(daysAgo(20).iso, underFive ? 6 : 12));
    // The next review's first step, by the end of its 12 (or 6) months.
    await expect(review.nextStep).toContainText('Arrange the review meeting and send the invitations');
  });
});
