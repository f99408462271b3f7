/** The SEN2 return: making a year's return, checking it against the dashboard, and importing or checking a file. */
import type { Locator } from '@playwright/test';
import { ServicePage } from './page.js';

export class Sen2Page extends ServicePage {
  async open(): Promise<void> {
    await this.page.goto('/sen2');
  }

  async makeReturn(year: string): Promise<void> {
    await this.page
      .getByRole('radio', { name: `${year} return` })
      .first()
      .check();
    await this.press('Make the return');
  }

  /** The return's headline figures beside the dashboard's. */
  get figures(): Locator {
    return this.page.getByRole('table', { name: /the return beside the dashboard/ });
  }

  get panelTitle(): Locator {
    return this.page.locator('.govuk-panel__title');
  }

  /** The import form: a file, its kind, and whether to check it (a dry run) or import it. */
  async importFile(file?: string, kind?: string, mode?: RegExp): Promise<void> {
    if (file) await this.page.getByLabel('File to import').setInputFiles(file);
    if (kind) await this.page.getByRole('radio', { name: kind }).check();
    if (mode) await this.page.getByRole('radio', { name: mode }).check();
    await this.press('Continue');
  }

  /** The form that checks a SEN2 XML file against the schema and the rules. */
  async checkFile(file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.page.getByLabel('SEN2 XML file').setInputFiles(file);
    await this.press('Check the file');
  }
}
