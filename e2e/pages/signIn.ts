/** The sign-in page, and the home page a signed-in user lands on. */
import { expect } from '@playwright/test';
import { DEMO_PASSWORD } from '../fixtures.js';
import { ServicePage } from './page.js';

export class SignInPage extends ServicePage {
  async open(): Promise<void> {
    await this.page.goto('/sign-in');
    await this.check();
  }

  async submit(): Promise<void> {
    await this.press('Sign in');
  }

  /** Fills the form, without sending it. */
  async fill(email: string, password: string): Promise<void> {
    await this.page.getByLabel('Email address').fill(email);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
  }

  /** Signs in with the demo county's password; the home page welcomes the user. Both pages are checked by axe. */
  async signIn(email: string, password = DEMO_PASSWORD): Promise<void> {
    await this.open();
    await this.fill(email, password);
    await this.submit();
    await expect(this.heading).toContainText(/Welcome/);
    await this.check();
  }
}
