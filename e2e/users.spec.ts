/**
 * An administrator manages the council's accounts (issue 26): the users list and its filters, inviting someone (the
 * one-time link shown once, as no Notify key is set here), their account's roles, and a CSV of staff checked first.
 * Each page is checked with axe at 1280 px and again on a 390 px phone, which it must fit without scrolling sideways.
 */
import { expect } from '@playwright/test';
import { ACCOUNTS, signIn, test } from './fixtures.js';
import { InviteUserPage, StaffImportPage, UserPage, UsersPage } from './pages/admin.js';
import { LayoutPage } from './pages/layout.js';

test('an administrator lists users, invites one, changes their roles and checks a CSV of staff', async ({
  page,
  a11y,
}) => {
  test.setTimeout(180_000);
  const layout = new LayoutPage(page, a11y);
  const users = new UsersPage(page, a11y);
  const invite = new InviteUserPage(page, a11y);
  const user = new UserPage(page, a11y);
  const staffImport = new StaffImportPage(page, a11y);
  await layout.atDesk();
  await signIn(page, a11y, ACCOUNTS.admin);
  await users.openFromMenu('Users');
  // The first page of the list, by name, holds the administrator's own account.
  await expect(users.users).toContainText('admin@demo-county.example');
  await users.check();
  await layout.expectFitsDeskAndPhone('/admin/users');

  await users.filter('Caseworker', 'Active');
  await expect(users.users).toContainText('caseworker@demo-county.example');
  await expect(users.users).not.toContainText('admin@demo-county.example');
  await users.check();

  await page.goto('/admin/users');
  await users.press('Invite a user');
  await invite.press('Send invitation');
  await expect(invite.errorSummary).toContainText('Enter their full name');
  await expect(invite.errorSummary).toContainText('Select at least one role');
  await invite.check();
  await layout.expectFitsDeskAndPhone('/admin/users/invite');
  await invite.invite({
    name: 'New Person',
    email: 'new.person@demo-county.example',
    roles: ['Caseworker'],
    team: 'North',
  });
  await expect(invite.heading).toContainText('Account made');
  await expect(invite.linkShownOnce).toContainText('/account/set-up/');
  await invite.check();
  await layout.expectFitsDeskAndPhone('invitation made');

  await invite.follow('See their account');
  await expect(user.summary).toContainText('Not set up yet');
  await user.check();
  await user.setRoles({ 'SEND manager': true });
  await expect(user.banner).toContainText('Roles and team saved.');
  await expect(user.summary).toContainText('Caseworker, SEND manager');
  await user.check();
  await layout.expectFitsDeskAndPhone('a user');

  await page.goto('/admin/users/import');
  await staffImport.check();
  await layout.expectFitsDeskAndPhone('/admin/users/import');
  await staffImport.upload(
    'staff.csv',
    [
      'name,email,roles,team',
      'Csv Person,csv.person@demo-county.example,caseworker,East',
      'Wrong Role,wrong.role@demo-county.example,wizard,',
    ].join('\n'),
  );
  await expect(staffImport.errorSummary).toContainText('Row 3: "wizard" is not a role');
  await expect(staffImport.rows).toContainText('Would invite');
  await staffImport.check();
  await layout.expectFitsDeskAndPhone('the dry run');

  // A clean file: confirmed, each person invited; without Notify their links are listed once to pass on.
  await page.goto('/admin/users/import');
  await staffImport.upload(
    'staff.csv',
    'name,email,roles,team\nCsv Person,csv.person@demo-county.example,caseworker,East\n',
  );
  await expect(staffImport.rows).toContainText('Would invite');
  await staffImport.check();
  await staffImport.press('Import 1 person');
  await expect(staffImport.heading).toContainText('Staff imported');
  await expect(page.getByRole('table')).toContainText('/account/set-up/');
  await staffImport.check();
  await layout.expectFitsDeskAndPhone('staff imported');
});

test('a caseworker invites a parent, who opens the link, creates an account and sees their child', async ({
  page,
  a11y,
  browser,
}) => {
  test.setTimeout(180_000);
  const layout = new LayoutPage(page, a11y);
  await layout.atDesk();
  await signIn(page, a11y, ACCOUNTS.caseworker);
  await page.goto('/cases');
  await a11y.check(page);
  await page.locator('table tbody a').first().click();
  await a11y.check(page);
  await page.getByRole('link', { name: /Invite a parent or carer/ }).click();
  await a11y.check(page);
  await layout.expectFitsDeskAndPhone('inviting a parent');
  await page.getByLabel('The family’s email address').fill('a.family@home.example');
  await layout.press('Send the invitation');
  const link = (await page.locator('#invitation-link').textContent())!;
  await a11y.check(page);
  await layout.expectFitsDeskAndPhone('invitation made');

  // The family opens the link in a browser of their own, not signed in.
  const family = await (await browser.newContext()).newPage();
  const familyLayout = new LayoutPage(family, a11y);
  await family.goto(new URL(link).pathname);
  await expect(familyLayout.heading).toHaveText('See your child’s request online');
  await a11y.check(family);
  await familyLayout.expectFitsDeskAndPhone('the invitation');
  await family.getByLabel('Your full name').fill('Alex Family');
  await family.getByLabel('Create a password', { exact: true }).fill('short');
  await family.getByLabel('Type the password again', { exact: true }).fill('short');
  await familyLayout.press('Create my account and link it');
  await expect(familyLayout.errorSummary).toContainText('Password must be 15 characters or more');
  await a11y.check(family);
  await family.getByLabel('Your full name').fill('Alex Family');
  await family.getByLabel('Create a password', { exact: true }).fill('copper meadow lantern');
  await family.getByLabel('Type the password again', { exact: true }).fill('copper meadow lantern');
  await familyLayout.press('Create my account and link it');
  // One linked request: straight to its page.
  await expect(family).toHaveURL(/\/my-child\/[0-9a-f-]{36}$/);
  await a11y.check(family);
  await family.goto(new URL(link).pathname);
  await expect(familyLayout.heading).toHaveText('This link has already been used');
  await a11y.check(family);
});
