/** The forecast and its scenarios: what it would take (more educational psychologists, more caseworkers). */
import type { Locator } from '@playwright/test';
import { ServicePage, type DateParts } from './page.js';

export class ForecastPage extends ServicePage {
  async open(): Promise<void> {
    await this.page.goto('/forecast');
  }

  /** A fan chart by its accessible name. */
  chart(name: RegExp): Locator {
    return this.page.getByRole('img', { name });
  }
}

export class ScenariosForm extends ServicePage {
  field(label: string): Locator {
    return this.page.getByLabel(label);
  }

  async moreEps(count: string, from: DateParts): Promise<void> {
    await this.field('More educational psychologists (optional)').fill(count);
    await this.fillDate('From (if more educational psychologists)', from);
  }

  async staffNow(eps: string, caseworkers: string): Promise<void> {
    await this.field('Educational psychologists now').fill(eps);
    await this.field('EHC caseworkers now').fill(caseworkers);
  }

  async run(): Promise<void> {
    await this.press('Run the scenarios');
  }

  get results(): Locator {
    return this.page.getByRole('table', { name: 'The scenarios side by side' });
  }
}
