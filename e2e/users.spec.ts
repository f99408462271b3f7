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
  await expect(users.users).toContainText('caseworker@demo-county.example');
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
});
