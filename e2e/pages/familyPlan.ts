/** A family's draft plan (read it, comment, name a setting, ask for a meeting, check and send) and final plan pages. */
import type { Download, Locator } from '@playwright/test';
import { ServicePage } from './page.js';

export class FamilyPlanPage extends ServicePage {
  /** The requests on the parent's "Your child" page (the ids its links to each request carry). */
  requestIds(html: string): string[] {
    return [...new Set([...html.matchAll(/href="\/(?:cases|my-child)\/([0-9a-f-]{36})/g)].map((m) => m[1]!))];
  }

  /** A section of the draft, by its heading. */
  section(heading: string | RegExp): Locator {
    return this.page.getByRole('region', { name: heading });
  }

  async commentOn(sectionLink: RegExp, text: string): Promise<void> {
    await this.page.getByRole('link', { name: sectionLink }).click();
    await this.check();
    await this.page.getByLabel('Your comment on this section').fill(text);
    await this.press('Save comment');
  }

  async download(link: string): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByRole('link', { name: link }).click(),
    ]);
    return download;
  }
}
