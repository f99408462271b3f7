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
