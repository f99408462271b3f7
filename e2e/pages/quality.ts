/** Plan quality: the auditor's list, a plan's audit against the rubric, and the corrections it asks for. */
import type { Locator } from '@playwright/test';
import { ServicePage } from './page.js';

export class QualityPage extends ServicePage {
  async open(): Promise<void> {
    await this.page.goto('/quality');
  }

  /** Opens the first audit in the list whose row says `status` ("Not started" ...). */
  async openAudit(status: string): Promise<void> {
    const row = this.page.getByRole('row').filter({ hasText: status }).first();
    await row.getByRole('link').first().click();
  }
}

export class AuditForm extends ServicePage {
  async auditFor(team: string): Promise<void> {
    await this.page.getByRole('radio', { name: team }).check();
  }

  /** Answers every criterion "Met". */
  async allMet(): Promise<void> {
    const met = this.page.getByRole('radio', { name: 'Met', exact: true });
    for (let i = 0; i < (await met.count()); i++) await met.nth(i).check();
  }

  async notMet(criterion: string): Promise<void> {
    await this.page
      .getByRole('group', { name: new RegExp(criterion) })
      .getByRole('radio', { name: 'Not met' })
      .check();
  }

  async submit(): Promise<void> {
    await this.press('Submit the audit');
  }

  get grade(): Locator {
    return this.page.locator('.govuk-panel__title');
  }

  async addCorrection(section: string, what: string): Promise<void> {
    await this.page.getByLabel('Section to correct').selectOption({ label: section });
    await this.page.getByLabel('What needs correcting').fill(what);
    await this.press('Add the correction');
  }
}
