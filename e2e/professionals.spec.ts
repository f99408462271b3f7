/**
 * Professionals online (issue 27, part C), on a 390 px phone: the educational psychologist opens her work list, writes
 * her advice under the plan's headings, reads the writing checks, checks it and sends it with her signed document; a
 * school reads the draft plan it was sent and answers the consultation. Every page is checked with axe; the new pages
 * also at 1280 px, and none scrolls sideways on the phone.
 */
import { expect, signIn, test } from './fixtures.js';
import { ProfessionalPages } from './pages/professionals.js';

const pdf = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

test.describe.configure({ mode: 'serial' });

test('an educational psychologist gives her advice online', async ({ page, a11y }) => {
  const pro = new ProfessionalPages(page, a11y);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, a11y, 'advice@demo-county.example');
  await pro.openFromMenu('Requests for advice');
  await expect(pro.heading).toHaveText('Requests for advice');
  // Three requests addressed to her; the late one first.
  await expect(pro.rows).toHaveCount(3);
  await expect(pro.rows.first()).toContainText('Late');
  await pro.check();

  await page.setViewportSize({ width: 390, height: 900 });
  expect(await pro.scrollsSideways()).toBe(false);
  await pro.rows.nth(1).getByRole('link').click();
  await expect(pro.heading).toContainText('Educational psychology advice for');
  expect(await pro.scrollsSideways()).toBe(false);
  await pro.check();

  await pro.writeAdvice({
    need: 'Finds it hard to follow spoken instructions of more than two steps',
    area: 'Communication and interaction',
    outcome: 'Follows three-step instructions in class',
    by: 'By July 2027',
    what: 'Regular language support',
    who: 'Teaching assistant',
    often: '3 sessions of 20 minutes a week',
    howLong: 'Until the annual review',
  });
  await pro.press('Save and check your advice');
  await expect(pro.heading).toHaveText('Check your advice and send it');
  // The plan's writing checks, as warnings she can still send with.
  await expect(page.getByText('uses vague wording (“regular”)')).toBeVisible();
  await expect(page.getByText('Communication and interaction: Finds it hard')).toBeVisible();
  expect(await pro.scrollsSideways()).toBe(false);
  await pro.check();

  // Sent without the signed document: the GOV.UK error summary.
  await pro.press('Send your advice');
  await expect(pro.errorSummary).toContainText('Select your signed advice document');
  await pro.check();
  await pro.sendWithDocument({ name: 'EP advice signed.pdf', mimeType: 'application/pdf', buffer: pdf });
  await expect(page.getByText('Your advice has been sent to the council.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save your advice' })).toHaveCount(0);
  await pro.check();
});

test('a school reads the draft plan it was sent and answers its consultation', async ({ page, a11y }) => {
  const pro = new ProfessionalPages(page, a11y);
  await page.setViewportSize({ width: 390, height: 900 });
  await signIn(page, a11y, 'school@demo-county.example');
  await pro.openFromMenu('Consultations');
  await expect(pro.rows).toHaveCount(1);
  expect(await pro.scrollsSideways()).toBe(false);
  await pro.check();
  await pro.rows.first().getByRole('link').click();
  await expect(pro.heading).toContainText('meet');
  await expect(page.getByText(/Read the draft plan \(version \d+\)/)).toBeVisible();
  expect(await pro.scrollsSideways()).toBe(false);
  await pro.check();
  await page.getByLabel('No, we cannot meet the child’s needs').check();
  await pro.press('Send your answer');
  await expect(pro.errorSummary).toContainText('Enter the reasons your setting cannot meet the child’s needs');
  await pro.check();
  await page.getByLabel('No, we cannot meet the child’s needs').check();
  await page.getByLabel('Your reasons').fill('No places in Year 4 with the support in section F');
  await pro.press('Send your answer');
  await expect(page.getByText('Your answer has been sent to the council.')).toBeVisible();
  await pro.check();
});
