/** The public performance pages, read without signing in: the list of areas, an area's figures and the method. */
import type { Download, Locator } from '@playwright/test';
import { ServicePage } from './page.js';

export class PerformancePage extends ServicePage {
  /** The list of areas, or one area's page by its LA code. */
  async open(laCode?: string): Promise<void> {
    await this.page.goto(laCode ? `/performance/${laCode}` : '/performance');
  }

  /** From the list of areas to one area's page. */
  async openArea(name: string): Promise<void> {
    await this.follow(name);
  }

  /** A measure's chart, by its accessible name. */
  chart(name: RegExp): Locator {
    return this.page.getByRole('img', { name }).first();
  }

  /** Opens a summary ("How to read these figures", "Figures: ..."), whose contents are hidden until then. */
  async openDetails(summary: string): Promise<void> {
    await this.page.getByText(summary, { exact: true }).click();
  }

  get firstTable(): Locator {
    return this.page.getByRole('table').first();
  }

  /** Downloads the area's figures as CSV. */
  async downloadFigures(): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.follow(/Download all the figures/);
    return download;
  }
}
