/** The improvement plan: the plan's page, its commitments, the plan checker, and the forms that change them. */
import type { Locator } from '@playwright/test';
import { ServicePage } from './page.js';

export class ImprovementPlanPage extends ServicePage {
  async open(): Promise<void> {
    await this.page.goto('/improvement-plan');
  }
}

/** "Check a plan's text": the plan pasted in, each statement marked measurable or not. */
export class PlanCheckPage extends ServicePage {
  get text(): Locator {
    return this.page.getByLabel('The plan’s text');
  }

  async checkText(text?: string): Promise<void> {
    if (text !== undefined) await this.text.fill(text);
    await this.press('Check the plan');
  }
}

/** A commitment's form: its statement, its measure and its target; saved as draft or as measurable. */
export class CommitmentForm extends ServicePage {
  async statement(text: string): Promise<void> {
    await this.page.getByLabel('The commitment').fill(text);
  }

  async saveAsMeasurable(): Promise<void> {
    await this.press('Save as measurable');
  }

  async checkWithoutSaving(): Promise<void> {
    await this.press('Check without saving');
  }
}

/** A commitment's page: whether it is measurable, its figures (entered by hand for a series of its own). */
export class CommitmentPage extends ServicePage {
  async saveFigure(figure: { month: string; value?: string; from?: string }): Promise<void> {
    await this.page.getByLabel('Month', { exact: true }).fill(figure.month);
    if (figure.value !== undefined) await this.page.getByLabel('Value', { exact: true }).fill(figure.value);
    if (figure.from !== undefined)
      await this.page.getByLabel('Number it is worked out from (optional)').fill(figure.from);
    await this.press('Save figure');
  }
}
