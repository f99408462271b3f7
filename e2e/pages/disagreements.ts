/** Mediation and appeals: a case's disagreements, the form that records one, its page and step forms. */
import type { Locator } from '@playwright/test';
import { ServicePage, type DateParts } from './page.js';

export class DisagreementPage extends ServicePage {
  /** The date the page states for one of the council's duties (its `<time data-duty>`), as ISO. */
  async stated(duty: string): Promise<string | null> {
    return this.page.locator(`#disagreement-duties time[data-duty="${duty}"]`).first().getAttribute('datetime');
  }

  /** The row of the statutory dates table for a duty, by its name. */
  duty(name: string | RegExp): Locator {
    return this.page.locator('#disagreement-duties').getByRole('row').filter({ hasText: name });
  }

  get nextStep(): Locator {
    return this.page.locator('#next-step');
  }

  async startStep(name: string): Promise<void> {
    await this.page.getByRole('link', { name, exact: true }).first().click();
    await this.check();
  }
}

export class DisagreementForm extends ServicePage {
  async date(legend: string | RegExp, date: DateParts): Promise<void> {
    await this.fillDate(legend, date);
  }

  async choose(label: string): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).check();
  }

  async select(label: string, option: string): Promise<void> {
    await this.page.getByLabel(label).selectOption({ label: option });
  }

  async save(): Promise<void> {
    await this.press('Save');
    await this.check();
  }
}
