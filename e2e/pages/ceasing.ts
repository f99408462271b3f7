/** A plan's ceasing page, its step forms, and the family's page about it (src/web/features/ceasing). */
import type { Locator } from '@playwright/test';
import { ServicePage, type DateParts } from './page.js';

export class CeasingPage extends ServicePage {
  /** The date the page states for a duty (its `<time data-duty>`), as ISO. */
  async stated(duty: string): Promise<string | null> {
    return this.page.locator(`time[data-duty="${duty}"]`).first().getAttribute('datetime');
  }

  get nextStep(): Locator {
    return this.page.locator('#next-step');
  }

  async startStep(name: string): Promise<void> {
    await this.page.getByRole('link', { name, exact: true }).first().click();
    await this.check();
  }
}

export class CeasingStepForm extends ServicePage {
  async date(legend: string | RegExp, date: DateParts): Promise<void> {
    await this.fillDate(legend, date);
  }

  async choose(label: string | RegExp): Promise<void> {
    await this.page.getByLabel(label).check();
  }

  async save(): Promise<void> {
    await this.press('Save');
    await this.check();
  }
}
