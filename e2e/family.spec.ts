/**
 * A family on a phone (390 px): their child's request in plain words with the late step said plainly, their views,
 * a report they hold, and text messages; then the caseworker at a desk sees what they gave on the case page. A young
 * person signed in for themselves is spoken to about their own request. Every page passes axe.
 */
import { ACCOUNTS, expect, signIn, test } from './fixtures.js';
import { MyChildPage } from './pages/parent.js';

const pdf = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

test('a parent follows the request on a phone, gives views and a report, and the caseworker sees them', async ({
  page,
  a11y,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const child = new MyChildPage(page, a11y);
  await signIn(page, a11y, ACCOUNTS.parent);
  await child.openFromHome();
  await expect(child.heading).toHaveText(/’s request$/);
  // The demo parent's child: one piece of advice past its 6 weeks (reg 8(1)).
  await expect(child.late).toContainText(
    /This is late: the [a-z ]+ advice about your child was due by \d+ \w+ \d{4}\./,
  );
  await expect(child.section('Your caseworker')).toBeVisible();
  await child.check();
  const requestUrl = page.url();

  await child.follow('Give your views');
  await child.check();
  await child.giveViews({ 'About your child': 'Loves trains and maps', 'Their hopes for the future': 'College' });
  await expect(page.getByText('Your views are saved')).toBeVisible();
  await expect(page.getByText('You gave your views on')).toBeVisible();
  await child.check();

  await child.follow('Send a report or letter');
  await child.check();
  await child.upload('paediatrician.pdf', pdf);
  await expect(page.getByText('Your document is uploaded')).toBeVisible();
  await expect(page.getByRole('link', { name: 'paediatrician.pdf' })).toBeVisible();
  await child.check();

  await child.follow('Choose how we contact you');
  await child.check();
  await child.chooseTexts('020 7946 0018');
  await expect(child.errorSummary).toContainText('Enter a UK mobile number');
  await child.check();
  await child.chooseTexts('07700 900 982');
  await expect(page.getByText('Your choice is saved')).toBeVisible();
  await child.check();
  await child.signOut();
  await child.check();

  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, a11y, ACCOUNTS.caseworker);
  const requestId = new URL(requestUrl).pathname.split('/').at(-1)!;
  await page.goto(`/cases/${requestId}`);
  await expect(page.getByText('Loves trains and maps')).toBeVisible();
  await expect(page.getByText(/paediatrician\.pdf \(from the family/)).toBeVisible();
  await child.check();
});

test('a young person signed in for themselves reads about their own request', async ({ page, a11y }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const own = new MyChildPage(page, a11y);
  await signIn(page, a11y, 'youngperson@demo-county.example');
  // The home page and the navigation speak to them: "Your request", never "parent or carer" or "Your child".
  await expect(page.locator('body')).not.toContainText(/parent or carer|your child/i);
  await own.openFromHome('Your request');
  await expect(own.heading).toHaveText('Your request');
  await expect(page.locator('main')).not.toContainText('your child');
  await own.check();
});
