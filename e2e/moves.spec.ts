/**
 * A move to another council in Chromium on a 390 px phone, without JavaScript (issue 28; SEND Regulations 2014
 * reg 15): a caseworker records, from a plan's review page, that the child is moving to Hertfordshire (this council's
 * own code refused on the way), reads the date the plan must be sent by, and records it sent, after which the plan is
 * Hertfordshire's. The council learned of the move 30 days before it, at least 15 working days, so the plan is due on
 * the day of the move (reg 15(2)). axe runs on every page; each page is visited once. The service runs on today's
 * date, so the dates typed are counted back from today.
 */
import { ACCOUNTS, expect, test } from './fixtures.js';
import { daysAgo } from './dates.js';
import { MovePage, MoveStepForm } from './pages/moves.js';
import { ReviewsPage } from './pages/reviews.js';
import { SignInPage } from './pages/signIn.js';

test.describe('moving a plan to another council, on a 390 px phone without JavaScript', () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });

  test('a caseworker records the move and the plan sent on the day of the move', async ({ page, a11y }) => {
    test.setTimeout(180_000);
    await new SignInPage(page, a11y).signIn(ACCOUNTS.caseworker);
    const list = new ReviewsPage(page, a11y);
    await list.open();
    await list.openFirst();
    await page.getByRole('link', { name: 'Moving to another council' }).click();
    const move = new MovePage(page, a11y);
    await move.check();
    await expect(move.heading).toHaveText('Moving to another council');
    await expect(move.nextStep).toHaveText('Nothing: no move is recorded.');

    await page.getByRole('link', { name: 'Record a move to another council' }).click();
    const form = new MoveStepForm(page, a11y);
    await form.check();
    const moveDate = daysAgo(10);
    await form.council('999');
    await form.date('Date of the move', moveDate);
    await form.date('Date the council learned of the move', daysAgo(40));
    await form.choose('No');
    await form.save();
    // This council's own code is refused, and nothing is saved.
    await expect(form.errorSummary).toContainText('999 is this council’s own code');
    await form.council('919');
    await form.save();
    await expect(page.getByText('Move recorded.')).toBeVisible();
    // reg 15(2): learned 30 days (at least 15 working days) before the move, so the plan goes on the day of the move.
    expect(await move.stated('transfer_plan')).toBe(moveDate.iso);
    await expect(page.getByText('Maintained by this council until it is transferred to Hertfordshire')).toBeVisible();

    await page.getByRole('button', { name: 'Send the plan and the advice it was made with to Hertfordshire' }).click();
    await form.check();
    await form.date('Date the plan and its advice were sent to the new council', moveDate);
    await form.save();
    await expect(page.getByText('Transfer recorded. The plan is now the new council’s.')).toBeVisible();
    await expect(move.nextStep).toHaveText('Nothing: the plan has been transferred.');
    await expect(page.getByText(/Transferred to Hertfordshire on .*: it is their plan from that day/)).toBeVisible();
  });
});
