/**
 * A family's disagreement in Chromium on a 390 px phone, without JavaScript (issue 28): from a case to mediation, an
 * appeal and a Tribunal order complied with. After each step the dates the page states are checked against dates
 * worked out here by hand from the law (row 22: mediation within 30 days, P2; reg 44(2): sections B and F amended
 * within 5 weeks of the order, P1). axe runs on every page. The service runs on today's date, so the dates typed are
 * counted back from today.
 */
import { ACCOUNTS, expect, test } from './fixtures.js';
import { daysAgo } from './dates.js';
import { CaseloadPage } from './pages/caseload.js';
import { DisagreementForm, DisagreementPage } from './pages/disagreements.js';
import { SignInPage } from './pages/signIn.js';

test.describe('mediation and an appeal, on a 390 px phone without JavaScript', () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });

  test('goes from a case to a Tribunal order complied with, the council’s dates right after each step', async ({
    page,
    a11y,
  }) => {
    test.setTimeout(180_000);
    await new SignInPage(page, a11y).signIn(ACCOUNTS.caseworker);
    const caseload = new CaseloadPage(page, a11y);
    await caseload.open();
    await caseload.check();
    await caseload.firstCase.click();
    await caseload.check();
    await page.getByRole('link', { name: 'Mediation and appeals on this case' }).click();
    const view = new DisagreementPage(page, a11y);
    const form = new DisagreementForm(page, a11y);
    await view.check();
    await expect(view.heading).toHaveText('Mediation and appeals');
    await view.press('Record a disagreement');
    await form.check();

    // Nothing chosen: the error summary says what to do, and nothing is saved.
    await form.save();
    await expect(form.errorSummary).toContainText('Select what the family disagrees with');
    await form.choose('What the plan says (sections B, F or I)');
    await form.date('Date of the decision letter', daysAgo(70));
    await form.save();
    await expect(view.heading).toHaveText('Disagreement: what the plan says (sections B, F or I)');

    // Told 60 days ago: mediation within 30 days of it (row 22, P2).
    await view.startStep('The family wants mediation');
    await form.date('Date the council was told the family wants mediation', daysAgo(60));
    await form.save();
    expect(await view.stated('hold_mediation')).toBe(daysAgo(30).iso);
    await expect(view.duty('Mediation to take place')).toContainText('Overdue');

    await view.startStep('Mediation took place');
    await form.date('Date the mediation ended', daysAgo(40));
    await form.choose('No');
    await form.save();
    await expect(view.duty('Mediation to take place')).toContainText('Met');

    await view.startStep('Mediation certificate');
    await form.date('Date of the mediation certificate', daysAgo(39));
    await form.save();
    await expect(view.duty('Mediation certificate')).toContainText('Met');

    await view.startStep('The family appealed to the Tribunal');
    await form.date('Date of the appeal', daysAgo(30));
    await form.save();
    await expect(view.nextStep).toContainText('Record the Tribunal’s decision when it comes');

    // Ordered 10 days ago to amend sections B and F: within 5 weeks of the order (reg 44(2), P1).
    await view.startStep('The Tribunal’s decision');
    await form.choose('The Tribunal ordered the council to act (reg 44)');
    await form.select('What must the council do?', 'Amend sections B and F (needs and provision)');
    await form.date(/Date of the decision/, daysAgo(10));
    await form.save();
    expect(await view.stated('tribunal:amend_b_f')).toBe(daysAgo(10 - 35).iso);
    await expect(view.nextStep).toContainText('Comply with the order: issue the plan with sections B and F amended');

    await view.startStep('Comply with the order');
    await form.choose('Issue the plan with sections B and F amended');
    await form.date('Date it was done', daysAgo(1));
    await form.save();
    await expect(view.duty('Issue the plan with sections B and F amended')).toContainText('Met');
    await expect(view.nextStep).toHaveText('Nothing: this disagreement is closed.');
  });
});
