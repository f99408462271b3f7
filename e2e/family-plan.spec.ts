/**
 * A parent on a phone (390 px) reads the draft plan served on their child, comments on a section, names the school
 * they want (its URN's format error is tested in familyPlan.int.test.ts), asks for a meeting, checks and sends; then reads their other child's final plan and downloads it as a PDF
 * and a Word document. Every page is checked with axe, and the draft at a desk's width (1280 px) too.
 */
import { readFile } from 'node:fs/promises';
import { CARER, expect, signIn, test } from './fixtures.js';
import { FamilyPlanPage } from './pages/familyPlan.js';

test.use({ viewport: { width: 390, height: 844 } });

test('a parent comments on the draft plan on a phone and downloads the final plan', async ({ page, a11y }) => {
  const family = new FamilyPlanPage(page, a11y);
  await signIn(page, a11y, CARER);
  const ids = family.requestIds(await (await page.request.get('/my-child')).text());
  // The demo carer's children (src/demo/generate.ts): one with a draft served, one with a final plan issued.
  let draftId: string | undefined;
  let planId: string | undefined;
  for (const id of ids) {
    const res = await page.request.get(`/my-child/${id}/draft`);
    if (res.status() === 200 && (await res.text()).includes('Send your comments by')) draftId ??= id;
    if ((await page.request.get(`/my-child/${id}/plan`)).status() === 200) planId ??= id;
  }
  expect(draftId, 'a demo child with a draft served').toBeTruthy();
  expect(planId, 'a demo child with a final plan').toBeTruthy();

  await family.visit(`/my-child/${draftId}/draft`);
  await expect(family.heading).toContainText('Draft plan for');
  await expect(page.getByText(/^Send your comments by \d{1,2} \w+ \d{4}\.$/)).toBeVisible();
  await expect(page.getByText(/section 38 of the Children and Families Act 2014/)).toBeVisible();
  // Nothing scrolls sideways on a phone.
  expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
  await family.check();
  await page.setViewportSize({ width: 1280, height: 900 });
  await family.check();
  await page.setViewportSize({ width: 390, height: 844 });

  await family.commentOn(/Comment on Section F/, 'We would like speech and language therapy every week.');
  await expect(family.section(/Section F/)).toContainText('We would like speech and language therapy every week.');
  await family.check();

  await page.getByRole('link', { name: /Change the school or setting you want/ }).click();
  await family.check();
  await page.getByLabel('Name of the school or setting').fill('Hill Primary School');
  await page.getByLabel('Its URN, if you know it (optional)').fill('117000');
  await family.press('Save');
  await family.check();

  await page.getByRole('link', { name: /Change whether you want a meeting/ }).click();
  await family.check();
  await page.getByLabel('Yes').check();
  await page.getByLabel('What would you like to talk about?').fill('The therapy in section F');
  await family.press('Save');
  await family.check();

  await page.getByRole('button', { name: 'Check your answers and send' }).click();
  await expect(family.heading).toHaveText('Check your response before sending it');
  await expect(page.getByText('Hill Primary School (URN 117000)')).toBeVisible();
  await family.check();
  await family.press('Send your response');
  await expect(page.getByText(/You sent your response on/)).toBeVisible();
  await family.check();

  await family.visit(`/my-child/${planId}/plan`);
  await expect(family.heading).toContainText('Education, health and care plan for');
  await expect(page.getByRole('heading', { name: 'If you disagree with the plan' })).toBeVisible();
  // The demo's plan may be older than the 2 months: then the page says the time has ended.
  await expect(
    page.getByText(
      /^(Contact the mediation adviser by|The time to contact the mediation adviser ended on) \d{1,2} \w+ \d{4}/,
    ),
  ).toBeVisible();
  await family.check();
  const pdf = await family.download('Download the plan as a PDF');
  expect((await readFile(await pdf.path())).subarray(0, 5).toString()).toBe('%PDF-');
  const docx = await family.download('Download the plan as a Word document');
  expect(docx.suggestedFilename()).toMatch(/\.docx$/);
  expect((await readFile(await docx.path())).subarray(0, 2).toString()).toBe('PK');
});
