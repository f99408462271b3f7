/** What a parent sees: their own child's requests, and one request's details with the advice gathered. */
import type { Locator } from '@playwright/test';
import { ServicePage } from './page.js';

export class MyChildPage extends ServicePage {
  /** From the home page's link to the child ("Your child"). */
  async openFromHome(): Promise<void> {
    await this.page.getByRole('link', { name: 'Your child' }).first().click();
  }

  /** Opens the first request's details ("View details"). */
  async viewFirstRequest(): Promise<void> {
    await this.page
      .getByRole('link', { name: /View details/ })
      .first()
      .click();
  }

  /** The request's "Advice" section. */
  get advice(): Locator {
    return this.page.getByRole('heading', { name: 'Advice', exact: true });
  }
}
