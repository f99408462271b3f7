/** The phase-transfers page and the form recording a transfer (src/web/features/phase-transfers). */
import type { Locator } from '@playwright/test';
import { ServicePage, type DateParts } from './page.js';

export class PhaseTransfersPage extends ServicePage {
  async open(query = ''): Promise<void> {
    await this.page.goto(`/phase-transfers${query}`);
    await this.check();
  }

  /** The progress table's row for a transfer. */
  progress(name: string | RegExp): Locator {
    return this.page.locator('#progress').getByRole('row').filter({ hasText: name });
  }

  /** The first child listed whose transfer is still to record: their form is opened; their name is returned. */
  async recordFirst(): Promise<string> {
    const link = this.page.getByRole('link', { name: /^Record the transfer of / }).first();
    const name = ((await link.textContent()) ?? '').replace(/^Record the transfer of /, '').trim();
    await link.click();
    await this.check();
    return name;
  }

  /** A child's row in the list of children making the transfer. */
  child(name: string): Locator {
    return this.page
      .getByRole('table', { name: 'Children making this transfer' })
      .getByRole('row')
      .filter({ hasText: name });
  }
}

export class PhaseTransferForm extends ServicePage {
  /** The date the page states for the transfer's deadline (its `<time data-duty>`), as ISO. */
  async deadline(): Promise<string | null> {
    return this.page.locator('time[data-duty="finalise_phase_transfer"]').first().getAttribute('datetime');
  }

  async fill(fields: { name?: string; urn?: string; type?: string; finalised?: DateParts }): Promise<void> {
    if (fields.name !== undefined)
      await this.page.getByLabel('Name of the school or setting the amended plan names').fill(fields.name);
    if (fields.urn !== undefined) await this.page.getByLabel('Its URN').fill(fields.urn);
    if (fields.type) await this.page.getByLabel(fields.type, { exact: true }).check();
    if (fields.finalised) await this.fillDate('Date the amended plan was finalised', fields.finalised);
  }

  async save(): Promise<void> {
    await this.press('Save');
    await this.check();
  }

  /** The summary list's value for a key. */
  fact(key: string): Locator {
    return this.page.locator('.govuk-summary-list__row').filter({ hasText: key }).locator('.govuk-summary-list__value');
  }
}
