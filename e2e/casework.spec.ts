/**
 * The caseworker's whole journey in Chromium, from a new request to the final plan, without JavaScript: every form, a
 * mistake on the way, the clock's statuses on the case page after each step, and axe on every page (each checked with
 * JavaScript on as well, by the fixture). Every step is a plain form that works the same with JavaScript; what
 * JavaScript adds to the journey (the error summary taking focus, each advice provider's fields opening when its box
 * is checked) has a shorter test of its own, with JavaScript on.
 * The service runs on today's date, so the dates typed are counted back from today.
 */
import type { Page } from '@playwright/test';
import { ACCOUNTS, expect, signIn, test } from './fixtures.js';

function daysAgo(n: number): { day: string; month: string; year: string; long: string } {
  const d = new Date();
  d.setUTCHours(12, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() - n);
  const long = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(d);
  return { day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()), long };
}

async function fillDate(page: Page, legend: string, date: { day: string; month: string; year: string }) {
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(date.day);
  await group.getByLabel('Month').fill(date.month);
  await group.getByLabel('Year').fill(date.year);
}

/** The text of a duty's row in the case page's deadlines table. */
function duty(page: Page, name: string) {
  return page
    .getByRole('table', { name: /Deadlines set by law/ })
    .getByRole('row')
    .filter({ hasText: name });
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a caseworker takes a request all the way to a final plan', async ({ page, a11y }) => {
    // About twenty pages, each checked by axe twice over (the fixture opens each again with JavaScript on).
    test.setTimeout(300_000);
    const received = daysAgo(110);
    await signIn(page, a11y, ACCOUNTS.caseworker);
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Caseload' }).click();
    await a11y.check(page);

    // Step 1, with a mistake first: the error summary names the fields and keeps what was typed.
    await page.getByRole('button', { name: 'Record a new request' }).click();
    await a11y.check(page);
    await page.getByLabel('First name').fill('Robin');
    await page.getByLabel('Last name').fill('TestNojs');
    await fillDate(page, 'Date of birth', { day: '31', month: '2', year: '2016' });
    await page.getByRole('button', { name: 'Save request' }).click();
    const summary = page.getByRole('alert');
    await expect(summary).toContainText('Date of birth must be a real date');
    await expect(summary).toContainText('Select who asked for the assessment');
    await expect(page.getByLabel('First name')).toHaveValue('Robin');
    await a11y.check(page);

    await fillDate(page, 'Date of birth', { day: '14', month: '9', year: '2016' });
    await page.getByRole('radio', { name: 'Male', exact: true }).check();
    await page.getByLabel('If neither number is known, why not?').selectOption('UN8');
    await page.getByLabel('Home postcode (optional)').fill('sg13 8dq');
    await page.getByLabel('Primary need (optional)').selectOption('SPLD');
    await page.getByLabel('Full name').fill('Sam Test');
    await page.getByRole('radio', { name: 'Parent', exact: true }).check();
    await page.getByLabel('Phone number (optional)').fill('07700 900982');
    await page.getByRole('radio', { name: 'Text message' }).check();
    await page.getByRole('radio', { name: 'School or other education setting' }).check();
    await fillDate(page, 'Date the council received the request', received);
    await page.getByRole('button', { name: 'Save request' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Robin TestNojs');
    await expect(page.getByText('Request recorded.')).toBeVisible();
    await expect(duty(page, 'Decide whether to assess')).toContainText('Overdue');
    await a11y.check(page);

    // Step 2.
    await page.getByRole('link', { name: 'Record the decision on whether to assess' }).click();
    await a11y.check(page);
    await page.getByRole('radio', { name: 'Yes, assess' }).check();
    await fillDate(page, 'Date the family was told', daysAgo(80));
    await page.getByRole('button', { name: 'Save decision' }).click();
    await expect(duty(page, 'Decide whether to assess')).toContainText('Met');
    await a11y.check(page);

    // Step 3: two providers, then advice received with its document.
    await page.getByRole('link', { name: 'Request advice' }).click();
    await a11y.check(page);
    await page.getByRole('checkbox', { name: 'Educational psychology' }).check();
    await page.getByRole('checkbox', { name: 'Health' }).check();
    await fillDate(page, 'Date advice was requested', daysAgo(78));
    await page.getByRole('button', { name: 'Save advice requests' }).click();
    await expect(duty(page, 'Educational psychology advice')).toContainText(/Overdue|Due/);
    await a11y.check(page);

    for (const [type, ago] of [
      ['Educational psychology', 50],
      ['Health', 45],
    ] as const) {
      await page.getByRole('link', { name: new RegExp(`^Record received\\W+${type} advice$`) }).click();
      await a11y.check(page);
      await fillDate(page, 'Date received', daysAgo(ago));
      await page.getByLabel('Upload the advice (optional)').setInputFiles({
        name: `${type}.pdf`,
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.7\n%%EOF\n'),
      });
      await page.getByRole('button', { name: 'Save advice' }).click();
      await expect(duty(page, `${type} advice`)).toContainText('Met');
      await a11y.check(page);
    }
    await expect(page.getByRole('link', { name: 'Download Health advice' })).toBeVisible();

    // Step 5.
    await page.getByRole('link', { name: 'Record the decision on whether to issue a plan' }).click();
    await a11y.check(page);
    await page.getByRole('radio', { name: 'Yes, issue a plan' }).check();
    await fillDate(page, 'Date the family was told', daysAgo(40));
    await page.getByRole('button', { name: 'Save decision' }).click();
    await expect(page.getByText('Writing the draft plan')).toBeVisible();
    await a11y.check(page);

    // Step 6: the draft plan in sections; "add another" keeps what was typed.
    await page.getByRole('link', { name: 'Write the draft plan' }).click();
    await a11y.check(page);
    await page.getByLabel('Section A: views, interests and aspirations').fill('Robin wants to be a vet.');
    await page.getByLabel('Need 1', { exact: true }).fill('Finds reading and spelling hard');
    await page.getByRole('button', { name: 'Add another need' }).click();
    await expect(page.getByLabel('Need 1', { exact: true })).toHaveValue('Finds reading and spelling hard');
    await page.getByLabel('Need 2', { exact: true }).fill('Anxious in busy places');
    await page.getByLabel('Provision 1: what').fill('Access to a reading programme');
    await page.getByLabel('How often').fill('Regular sessions');
    await a11y.check(page);
    await page.getByRole('button', { name: 'Save draft plan' }).last().click();
    await expect(page.getByText('Draft plan saved.')).toBeVisible();
    await a11y.check(page);
    // The quality checks, as the plan is written: vague wording marked where it stands. The next step now is to
    // send the draft; writing it is done, so the link says what it would do now.
    await expect(page.getByRole('link', { name: 'Record sending the draft plan to the family' })).toBeVisible();
    await page.getByRole('link', { name: 'Change the draft plan' }).click();
    await expect(page.getByRole('heading', { name: 'Check before sending the draft' })).toBeVisible();
    await expect(page.locator('mark.app-vague', { hasText: 'Access to' })).toBeVisible();
    await expect(page.getByText('Provision 1 (how often) uses vague wording (“regular”)')).toBeVisible();
    await a11y.check(page);
    await page.goto(page.url().replace(/\/plan\/edit$/, ''));
    await expect(page.getByText('Writing the draft plan')).toBeVisible();
    await a11y.check(page);

    // Step 7: the draft by email; the family's 15 days are shown.
    await page.getByRole('link', { name: 'Record sending the draft plan to the family' }).click();
    await a11y.check(page);
    await page.getByRole('radio', { name: 'Email' }).check();
    const sent = daysAgo(35);
    await fillDate(page, 'Date sent', sent);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText(`The family can comment on the draft plan until ${daysAgo(21).long}`)).toBeVisible();
    await a11y.check(page);

    // Step 7, continued: a school consulted and its reply; the family's comments.
    await page.getByRole('link', { name: 'Consult a school or setting about section I' }).click();
    await a11y.check(page);
    await page.getByLabel('Name of the school or setting').fill('Hillside Primary School');
    await fillDate(page, 'Date the setting was sent the draft', daysAgo(34));
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('table', { name: /Schools and settings consulted/ })).toContainText(
      'Hillside Primary School',
    );
    await a11y.check(page);
    await page.getByRole('link', { name: /^Record reply/ }).click();
    await a11y.check(page);
    await page.getByRole('radio', { name: 'Can meet the child’s needs' }).check();
    await fillDate(page, 'Date of the reply', daysAgo(25));
    await page.getByRole('button', { name: 'Save reply' }).click();
    await expect(page.getByRole('table', { name: /Schools and settings consulted/ })).toContainText('Replied');
    await a11y.check(page);
    await page.getByRole('link', { name: 'Record the family’s comments on the draft' }).click();
    await a11y.check(page);
    await page.getByLabel('What the family said').fill('Please say more about friendships.');
    await fillDate(page, 'Date the comments were received', daysAgo(24));
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('The family’s comments are recorded.')).toBeVisible();
    await a11y.check(page);

    // Step 8: the final plan with section I.
    await page.getByRole('link', { name: 'Issue the final plan' }).click();
    await a11y.check(page);
    await page.getByLabel('Name of the school or other setting').fill('Hillside Primary School');
    await page.getByLabel('Type of school or setting').fill('Mainstream primary');
    await fillDate(page, 'Date the final plan was issued', daysAgo(20));
    await page.getByRole('button', { name: 'Issue final plan' }).click();
    await expect(page.getByText('Final plan issued.')).toBeVisible();
    // 110 days ago + 140 days is in the future of the issue date: on time.
    await expect(duty(page, 'Issue the final plan')).toContainText('Met');
    await expect(page.getByRole('heading', { name: 'What to do next' })).toHaveCount(0);
    await a11y.check(page);

    // The plan to print, and the final beside the draft the family was sent.
    await page.getByRole('link', { name: 'Read or print the plan' }).click();
    await expect(page.getByText('Hillside Primary School (Mainstream primary)')).toBeVisible();
    await a11y.check(page);
    await page.goBack();
    await page.getByRole('link', { name: 'Compare the final plan with the draft' }).click();
    await expect(page.getByRole('heading', { name: /Section I: placement/ })).toContainText('Changed');
    await a11y.check(page);
  });
});

test.describe('with JavaScript', () => {
  test.use({ javaScriptEnabled: true });

  test('the error summary takes focus, and each advice provider’s fields open when its box is checked', async ({
    page,
    a11y,
  }) => {
    test.setTimeout(180_000);
    await signIn(page, a11y, ACCOUNTS.caseworker);
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Caseload' }).click();
    await a11y.check(page);

    await page.getByRole('button', { name: 'Record a new request' }).click();
    await a11y.check(page);
    await page.getByLabel('First name').fill('Robin');
    await page.getByLabel('Last name').fill('TestJs');
    await fillDate(page, 'Date of birth', { day: '31', month: '2', year: '2016' });
    await page.getByRole('button', { name: 'Save request' }).click();
    await expect(page.getByRole('alert')).toContainText('Date of birth must be a real date');
    // GOV.UK Frontend's error summary moves the focus to itself, so a screen reader reads the errors first.
    await expect(page.locator('.govuk-error-summary')).toBeFocused();
    await a11y.check(page);

    await fillDate(page, 'Date of birth', { day: '14', month: '9', year: '2016' });
    await page.getByRole('radio', { name: 'Male', exact: true }).check();
    await page.getByLabel('If neither number is known, why not?').selectOption('UN8');
    await page.getByLabel('Full name').fill('Sam Test');
    await page.getByRole('radio', { name: 'Parent', exact: true }).check();
    await page.getByLabel('Phone number (optional)').fill('07700 900982');
    await page.getByRole('radio', { name: 'Text message' }).check();
    await page.getByRole('radio', { name: 'School or other education setting' }).check();
    await fillDate(page, 'Date the council received the request', daysAgo(110));
    await page.getByRole('button', { name: 'Save request' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Robin TestJs');
    await a11y.check(page);

    await page.getByRole('link', { name: 'Record the decision on whether to assess' }).click();
    await a11y.check(page);
    await page.getByRole('radio', { name: 'Yes, assess' }).check();
    await fillDate(page, 'Date the family was told', daysAgo(80));
    await page.getByRole('button', { name: 'Save decision' }).click();
    await expect(duty(page, 'Decide whether to assess')).toContainText('Met');
    await a11y.check(page);

    // Without JavaScript every provider's fields show; with it, only those of the boxes checked.
    await page.getByRole('link', { name: 'Request advice' }).click();
    const providers = page.getByLabel('Provider', { exact: true });
    await expect(providers.first()).toBeHidden();
    await a11y.check(page);
    await page.getByRole('checkbox', { name: 'Health' }).check();
    await expect(providers.filter({ visible: true })).toHaveCount(1);
    await expect(page.locator('#provider-health')).toBeVisible();
    await page.getByRole('checkbox', { name: 'Health' }).uncheck();
    await expect(page.locator('#provider-health')).toBeHidden();
    await page.getByRole('checkbox', { name: 'Educational psychology' }).check();
    await page.locator('#provider-educational_psychology').fill('County Educational Psychology Service');
    await fillDate(page, 'Date advice was requested', daysAgo(78));
    await page.getByRole('button', { name: 'Save advice requests' }).click();
    await expect(duty(page, 'Educational psychology advice')).toContainText(/Overdue|Due/);
    await expect(duty(page, 'Health advice')).toHaveCount(0);
    await a11y.check(page);
  });
});

test.describe('an exception to a time limit, on a 390 px phone without JavaScript', () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });

  test('is recorded against the duty it applies to, with a reason the regulations allow for it', async ({
    page,
    a11y,
  }) => {
    test.setTimeout(180_000);
    await signIn(page, a11y, ACCOUNTS.caseworker);
    await page.goto('/requests/new');
    await a11y.check(page);
    await page.getByLabel('First name').fill('Sam');
    await page.getByLabel('Last name').fill('Exception');
    await fillDate(page, 'Date of birth', { day: '3', month: '5', year: '2015' });
    await page.getByRole('radio', { name: 'Female', exact: true }).check();
    await page.getByLabel('If neither number is known, why not?').selectOption('UN8');
    await page.getByLabel('Full name').fill('Alex Exception');
    await page.getByRole('radio', { name: 'The young person themselves' }).check();
    await page.getByLabel('Email address (optional)').fill('alex@example.com');
    await page.getByRole('radio', { name: 'Email' }).check();
    await page.getByRole('radio', { name: 'Parent, carer or the young person' }).check();
    await fillDate(page, 'Date the council received the request', daysAgo(50));
    await page.getByRole('button', { name: 'Save request' }).click();
    await a11y.check(page);

    await page.getByRole('link', { name: 'Record an exception to the time limit' }).click();
    await a11y.check(page);
    // Reg 10(4) is no exception to the 6-week decision (reg 5(4) is): refused with an error summary.
    await page.getByRole('radio', { name: 'Decide whether to assess' }).check();
    await page
      .getByRole('radio', {
        name: 'Exceptional personal circumstances (reg 10(4)(c))',
      })
      .check();
    await page.getByLabel('Evidence').fill('The family asked for a pause after a bereavement.');
    await fillDate(page, 'Date the exception began', daysAgo(45));
    await fillDate(page, 'Date the family was told', daysAgo(44));
    await page.getByRole('button', { name: 'Save exception' }).click();
    await expect(page.getByRole('alert')).toContainText('cannot apply to “Decide whether to assess”');
    await page
      .getByRole('radio', {
        name: 'Exceptional personal circumstances (reg 5(4)(b))',
      })
      .check();
    await page.getByRole('button', { name: 'Save exception' }).click();
    await expect(page.getByText('Exception recorded.')).toBeVisible();
    const recorded = page.getByRole('table', {
      name: /Exceptions to the time limits recorded/,
    });
    await expect(recorded.getByRole('row').filter({ hasText: 'Decide whether to assess' })).toContainText(
      'Exceptional personal circumstances (reg 5(4)(b))',
    );
    await expect(duty(page, 'Decide whether to assess')).toContainText('Exception');
    await a11y.check(page);
  });
});
