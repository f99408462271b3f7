/** The annual reviews list, a plan's review page and its step forms (src/web/features/reviews). */
import type { Locator } from '@playwright/test';
import { ServicePage, type DateParts } from './page.js';

export class ReviewsPage extends ServicePage {
  async open(query = ''): Promise<void> {
    await this.page.goto(`/reviews${query}`);
    await this.check();
  }

  /** The first plan listed: its review page is opened. */
  async openFirst(): Promise<void> {
    await this.page.getByRole('table').getByRole('link').first().click();
    await this.check();
  }

  /**
   * The first plan listed whose review has not started (the demo county's reviews are part-done): its review page is
   * opened. Looks through the list's pages, next by next.
   */
  async openFirstNotStarted(): Promise<void> {
    for (let n = 0; n < 20; n++) {
      const row = this.page.getByRole('table').getByRole('row').filter({ hasText: 'Not started' }).first();
      if ((await row.count()) > 0) {
        await row.getByRole('link').first().click();
        await this.check();
        return;
      }
      await this.page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: /Next/ }).click();
      await this.check();
    }
    throw new Error('no review that has not started in the first 20 pages of the list');
  }
}

export class ReviewPage extends ServicePage {
  /** The date the page states for a duty of the clock (its `<time data-duty>`), as ISO. */
  async stated(duty: string): Promise<string | null> {
    return this.page.locator(`#review-duties time[data-duty="${duty}"]`).first().getAttribute('datetime');
  }

  /** The row of the statutory dates table for a duty, by its name. */
  duty(name: string | RegExp): Locator {
    return this.page.locator('#review-duties').getByRole('row').filter({ hasText: name });
  }

  get nextStep(): Locator {
    return this.page.locator('#next-step');
  }

  async startStep(name: string): Promise<void> {
    await this.page.getByRole('link', { name, exact: true }).first().click();
    await this.check();
  }
}

export class ReviewStepForm extends ServicePage {
  async date(legend: string | RegExp, date: DateParts): Promise<void> {
    await this.fillDate(legend, date);
  }

  async tick(label: string): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).check();
  }

  /** Writes a section's proposed new wording (the amendments are in a GOV.UK details component: opened first). */
  async section(label: string | RegExp, text: string): Promise<void> {
    const field = this.page.getByLabel(label);
    if (!(await field.isVisible())) await this.page.getByText('Proposed amendments', { exact: true }).click();
    await field.fill(text);
  }

  async save(): Promise<void> {
    await this.press('Save');
    await this.check();
  }
}
