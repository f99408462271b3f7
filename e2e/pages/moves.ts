/** A plan's move to another council and its step forms (src/web/features/moves). */
import type { Locator } from '@playwright/test';
import { ServicePage, type DateParts } from './page.js';

export class MovePage extends ServicePage {
  /** The date the page states for a duty (its `<time data-duty>`), as ISO. */
  async stated(duty: string): Promise<string | null> {
    return this.page.locator(`time[data-duty="${duty}"]`).first().getAttribute('datetime');
  }

  get nextStep(): Locator {
    return this.page.locator('#next-step');
  }
}

export class MoveStepForm extends ServicePage {
  async date(legend: string | RegExp, date: DateParts): Promise<void> {
    await this.fillDate(legend, date);
  }

  async council(code: string): Promise<void> {
    await this.page.getByLabel('The council the child is moving to').fill(code);
  }

  async choose(label: string | RegExp): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).check();
  }

  async save(): Promise<void> {
    await this.press('Save');
    await this.check();
  }
}
