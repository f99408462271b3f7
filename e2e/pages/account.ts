/**
 * A local account's own pages: creating a password from a set-up link, setting up two-factor sign-in, the code at
 * sign-in, choosing the council, and "Forgotten your password?".
 */
import type { Locator } from '@playwright/test';
import { ServicePage } from './page.js';

export class AccountPages extends ServicePage {
  /** "Create a password" and its confirmation, sent. */
  async createPassword(password: string, confirm = password): Promise<void> {
    await this.page.getByLabel('Create a password').fill(password);
    await this.page.getByLabel('Confirm your password').fill(confirm);
    await this.press('Create password');
  }

  /** The two-factor set-up's key, as the page shows it to people who cannot scan the QR code. */
  async typedKey(): Promise<string> {
    await this.page.getByText('I cannot scan the QR code').click();
    return ((await this.page.locator('#secret-key').textContent()) ?? '').replace(/\s/g, '');
  }

  get qrCode(): Locator {
    return this.page.getByRole('img', { name: 'QR code to scan with your authenticator app' });
  }

  async enterCode(code: string, button: string): Promise<void> {
    await this.page.getByLabel('Enter the 6-digit code from your authenticator app').fill(code);
    await this.press(button);
  }

  async chooseCouncil(name: string): Promise<void> {
    await this.page.getByLabel(name).check();
    await this.press('Continue');
  }

  /** Whether the page is wider than the window (a phone would scroll it sideways). */
  async scrollsSideways(): Promise<boolean> {
    return this.page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth');
  }
}
