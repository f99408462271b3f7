/**
 * The administrator's pages: the audit log (filtered by a child), failed sign-ins and locked-out accounts, the users
 * and the bank holidays.
 */
import type { Locator } from '@playwright/test';
import { ServicePage, type DateParts } from './page.js';

export class AuditLogPage extends ServicePage {
  async open(): Promise<void> {
    await this.page.goto('/admin/audit');
  }

  get entries(): Locator {
    return this.page.getByRole('table');
  }

  get childReference(): Locator {
    return this.page.getByLabel('Child’s reference');
  }

  /** Shows only the entries about the child with this reference. */
  async filterByChild(reference: string): Promise<void> {
    await this.childReference.fill(reference);
    await this.press('Show entries');
  }

  /** Opens the page of failed sign-ins and locked-out accounts. */
  async openFailedSignIns(): Promise<void> {
    await this.follow(/Failed sign-ins to your accounts/);
  }
}

export class SignInsPage extends ServicePage {
  get lockedOut(): Locator {
    return this.page.getByRole('table', { name: 'Accounts locked out now' });
  }

  get byAddress(): Locator {
    return this.page.getByRole('table', { name: 'Failed sign-ins by address' });
  }

  /** Unlocks the first account locked out now. */
  async unlockFirst(): Promise<void> {
    await this.lockedOut.getByRole('button', { name: /^Unlock/ }).click();
  }

  get noneLockedOut(): Locator {
    return this.page.getByText('No account is locked out now.');
  }
}

export class UsersPage extends ServicePage {
  get users(): Locator {
    return this.page.getByRole('table');
  }

  /** Shows only the accounts with this role and in this state ('' for any). */
  async filter(role: string, account: string): Promise<void> {
    await this.page.getByLabel('Role').selectOption({ label: role });
    await this.page.getByLabel('Account').selectOption({ label: account });
    await this.press('Show users');
  }

  async openUser(name: string): Promise<void> {
    await this.users.getByRole('link', { name }).click();
  }
}

/** Inviting a member of staff. */
export class InviteUserPage extends ServicePage {
  async invite(person: { name: string; email: string; roles: string[]; team?: string }): Promise<void> {
    await this.page.getByLabel('Full name').fill(person.name);
    await this.page.getByLabel('Email address').fill(person.email);
    for (const role of person.roles) await this.page.getByRole('checkbox', { name: role, exact: true }).check();
    if (person.team) await this.page.getByLabel('Team (optional)').fill(person.team);
    await this.press('Send invitation');
  }

  /** The one-time link shown when the email could not be sent. */
  get linkShownOnce(): Locator {
    return this.page.locator('#set-up-link');
  }
}

/** One account: its roles and team, signing in, sessions. */
export class UserPage extends ServicePage {
  async setRoles(roles: Record<string, boolean>): Promise<void> {
    for (const [role, on] of Object.entries(roles)) {
      await this.page.getByRole('checkbox', { name: role, exact: true }).setChecked(on);
    }
    await this.press('Save roles and team');
  }

  get summary(): Locator {
    return this.page.locator('.govuk-summary-list').first();
  }

  get banner(): Locator {
    return this.page.locator('.govuk-notification-banner');
  }
}

/** Importing staff from a CSV: the upload and the dry run. */
export class StaffImportPage extends ServicePage {
  async upload(name: string, csv: string): Promise<void> {
    await this.page
      .getByLabel('CSV file of staff')
      .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await this.press('Check the file');
  }

  get rows(): Locator {
    return this.page.getByRole('table', { name: 'Every row of the file' });
  }
}

export class BankHolidaysPage extends ServicePage {
  /** Adds a bank holiday; without a date, the form is sent empty. */
  async add(date?: DateParts): Promise<void> {
    if (date) {
      await this.page.getByLabel('Day').fill(date.day);
      await this.page.getByLabel('Month').fill(date.month);
      await this.page.getByLabel('Year').fill(date.year);
    }
    await this.press('Add bank holiday');
  }
}
