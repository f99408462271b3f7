/** A plan's reassessment page and its step forms (src/web/features/reassessments). */
import type { Locator } from '@playwright/test';
import { ServicePage, type DateParts } from './page.js';

export class ReassessmentPage extends ServicePage {
  /** The date the page states for a duty (its `<time data-duty>`), as ISO. */
  async stated(duty: string): Promise<string | null> {
    return this.page.locator(`time[data-duty="${duty}"]`).first().getAttribute('datetime');
  }

  get nextStep(): Locator {
    return this.page.locator('#next-step');
  }

  /** Follows the "what to do next" button. */
  async next(name: string | RegExp): Promise<void> {
    await this.page.getByRole('button', { name }).click();
    await this.check();
  }
}

export class ReassessmentStepForm extends ServicePage {
  async date(legend: string | RegExp, date: DateParts): Promise<void> {
    await this.fillDate(legend, date);
  }

  async choose(label: string | RegExp): Promise<void> {
    await this.page.getByLabel(label, { exact: typeof label === 'string' }).check();
  }

  async save(): Promise<void> {
    await this.press('Save');
    await this.check();
  }
}
