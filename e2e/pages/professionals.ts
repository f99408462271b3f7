/** The pages of professionals outside the council: an advice giver's work list and advice, a school's consultations. */
import type { Locator } from '@playwright/test';
import { ServicePage } from './page.js';

export class ProfessionalPages extends ServicePage {
  /** The rows of the work list or the consultations table. */
  get rows(): Locator {
    return this.page.locator('tbody tr');
  }

  async scrollsSideways(): Promise<boolean> {
    return this.page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth');
  }

  /** Writes one need (under its area), one outcome that follows from it, and one provision item that meets it. */
  async writeAdvice(advice: {
    need: string;
    area: string;
    outcome: string;
    by: string;
    what: string;
    who: string;
    often: string;
    howLong: string;
  }): Promise<void> {
    const p = this.page;
    await p.getByLabel('Need 1').fill(advice.need);
    await p.getByLabel('Area of need').selectOption({ label: advice.area });
    // Saved first, so the outcome and the provision can be linked to the need.
    await p.getByRole('button', { name: 'Save your advice' }).first().click();
    await p.getByText('Your advice has been saved. It has not been sent yet.').waitFor();
    await this.check();
    await p.getByLabel('Outcome 1').fill(advice.outcome);
    await p.getByLabel('By when').fill(advice.by);
    await p.getByRole('group', { name: 'Needs this outcome follows from' }).getByRole('checkbox').first().check();
    await p.getByLabel('Provision 1: what').fill(advice.what);
    await p.getByLabel('Who will provide it').fill(advice.who);
    await p.getByLabel('How often').fill(advice.often);
    await p.getByLabel('For how long').fill(advice.howLong);
    await p.getByLabel('Need it meets').selectOption({ index: 1 });
  }

  async sendWithDocument(file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.page.getByLabel('Upload your signed advice').setInputFiles(file);
    await this.press('Send your advice');
  }
}
