/**
 * A Year 6 phase transfer in Chromium on a 390 px phone, without JavaScript (issue 28, SEND Regulations 2014 reg 18):
 * from the phase-transfers page to the amended plan naming the secondary school, refused on the way for no setting
 * named and a date in the future, and counted finalised on time after. The deadline the pages state is checked
 * against the one worked out here by hand: before 15 February of the calendar year of the September move, so 14
 * February (rule P10). axe runs on every page. The service runs on today's date.
 */
import { ACCOUNTS, expect, test } from './fixtures.js';
import { PhaseTransferForm, PhaseTransfersPage } from './pages/phaseTransfers.js';
import { SignInPage } from './pages/signIn.js';

function today() {
  const d = new Date();
  return { day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()), d };
}

test.describe('a Year 6 phase transfer, on a 390 px phone without JavaScript', () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });

  test('names the secondary school in the amended plan, finalised by 14 February', async ({ page, a11y }) => {
    test.setTimeout(180_000);
    const now = today();
    // The next September move: this year's until 31 August, next year's from 1 September.
    const moveYear = now.d.getUTCMonth() >= 8 ? now.d.getUTCFullYear() + 1 : now.d.getUTCFullYear();
    const deadline = `${moveYear}-02-14`;
    const late = now.d.toISOString().slice(0, 10) > deadline;

    await new SignInPage(page, a11y).signIn(ACCOUNTS.caseworker);
    const list = new PhaseTransfersPage(page, a11y);
    await list.open();
    await expect(list.heading).toHaveText('Phase transfers');
    const row = list.progress('Primary to secondary school');
    await expect(row).toContainText('14 February');
    await expect(list.progress('Secondary school to post-16')).toContainText('30 March');
    const onTimeBefore = Number((await row.locator('td').nth(3).textContent())!.replace(/\D/g, ''));

    const child = await list.recordFirst();
    const form = new PhaseTransferForm(page, a11y);
    await expect(form.heading).toHaveText('Phase transfer');
    expect(await form.deadline()).toBe(deadline);
    await expect(form.fact('Next setting')).toHaveText('Not named yet');

    // No setting named: refused, nothing saved.
    await form.fill({ finalised: now });
    await form.save();
    await expect(form.errorSummary).toContainText('Enter the name of the school or setting the plan names');
    await expect(form.errorSummary).toContainText('Enter the setting’s URN');
    // A date in the future: refused.
    const tomorrow = new Date(now.d.getTime() + 86_400_000);
    await form.fill({
      name: 'Ashdown Academy',
      urn: '990777',
      type: 'Mainstream school',
      finalised: {
        day: String(tomorrow.getUTCDate()),
        month: String(tomorrow.getUTCMonth() + 1),
        year: String(tomorrow.getUTCFullYear()),
      },
    });
    await form.save();
    await expect(form.errorSummary).toContainText(
      'The date the amended plan was finalised must be today or in the past',
    );

    await form.fill({ finalised: now });
    await form.save();
    await expect(page.getByText('Transfer recorded: the amended plan names the next setting.')).toBeVisible();
    await expect(form.fact('Next setting')).toHaveText('Ashdown Academy (URN 990777)');

    await list.open();
    await expect(list.child(child)).toContainText('Ashdown Academy (URN 990777)');
    await expect(list.child(child)).toContainText(late ? 'Finalised late' : 'Finalised on time');
    if (!late) {
      const onTimeAfter = Number(
        (await list.progress('Primary to secondary school').locator('td').nth(3).textContent())!.replace(/\D/g, ''),
      );
      expect(onTimeAfter).toBe(onTimeBefore + 1);
    }
  });
});
