/** The measures: the summary of every measure, one measure's page with its breakdowns, and its target form. */
import { expect, type Locator } from '@playwright/test';
import { ServicePage } from './page.js';

export class MeasuresPage extends ServicePage {
  async open(measure?: string): Promise<void> {
    await this.page.goto(measure ? `/measures/${measure}` : '/measures');
  }

  get summary(): Locator {
    return this.page.getByRole('table', { name: 'Summary' });
  }

  /** The measures are worked out a few seconds after the service starts: reloads until the summary is there. */
  async waitForSummary(): Promise<void> {
    await expect(async () => {
      await this.page.reload();
      await expect(this.summary).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 60_000 });
  }

  /** A measure's SPC chart, by its accessible name. */
  chart(name: RegExp): Locator {
    return this.page.getByRole('img', { name });
  }

  get target(): Locator {
    return this.page.getByLabel('Target');
  }

  async saveTarget(value: string): Promise<void> {
    await this.target.fill(value);
    await this.press('Save target');
  }
}
