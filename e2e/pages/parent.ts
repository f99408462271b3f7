/**
 * What a family sees: their child's request in plain words (straight there when there is one), their views, the
 * documents they send, and how they want to be contacted.
 */
import type { Locator } from '@playwright/test';
import { ServicePage } from './page.js';

export class MyChildPage extends ServicePage {
  /**
   * From the home page's link to the child ("Your child", or "Your request" to a young person): the request's page
   * when there is one request.
   */
  async openFromHome(link = 'Your child'): Promise<void> {
    await this.page.getByRole('link', { name: link, exact: true }).first().click();
  }

  /** A section of the request's page, by its heading ("Where it is now", "What happens next", ...). */
  section(name: string): Locator {
    return this.page.getByRole('heading', { name, exact: true });
  }

  /** The late steps, said plainly. */
  get late(): Locator {
    return this.page.locator('#late');
  }

  /** The success banner after saving. */
  get banner(): Locator {
    return this.page.getByRole('region', { name: 'Success' }).or(this.page.getByRole('alert', { name: 'Success' }));
  }

  /** Fills the views form's boxes by label and saves. */
  async giveViews(views: Record<string, string>): Promise<void> {
    for (const [label, text] of Object.entries(views)) await this.page.getByLabel(label, { exact: true }).fill(text);
    await this.press('Save');
  }

  /** Uploads a file on the documents page. */
  async upload(name: string, content: Buffer): Promise<void> {
    await this.page.getByLabel('Upload a file').setInputFiles({ name, mimeType: 'application/pdf', buffer: content });
    await this.page.getByRole('button', { name: 'Upload', exact: true }).click();
  }

  /** Chooses text messages with this mobile number on the contact page, and saves. */
  async chooseTexts(phone: string): Promise<void> {
    await this.page.getByLabel('Yes, text me as well').check();
    await this.page.getByLabel('UK mobile number').fill(phone);
    await this.press('Save');
  }
}
