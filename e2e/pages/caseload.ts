/** The caseload: the cases table, its views, sorting and pagination. */
import type { Locator } from '@playwright/test';
import { ServicePage } from './page.js';

export class CaseloadPage extends ServicePage {
  async open(query = ''): Promise<void> {
    await this.page.goto(`/cases${query}`);
  }

  get table(): Locator {
    return this.page.getByRole('table');
  }

  /** One of the page's tables, by its caption ("All open requests" ...). */
  tableNamed(name: string): Locator {
    return this.page.getByRole('table', { name });
  }

  columnHeader(name: string | RegExp): Locator {
    return this.page.getByRole('columnheader', { name });
  }

  /** The "Showing 1 to 25 of N" line. */
  showing(from: number, to: number): Locator {
    return this.page.getByText(new RegExp(`Showing ${from} to ${to} of`));
  }

  async nextPage(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: /Next/ }).click();
  }

  /** The link to the first case in the table. */
  get firstCase(): Locator {
    return this.page.locator('tbody').getByRole('link').first();
  }

  async recordNewRequest(): Promise<void> {
    await this.press('Record a new request');
  }
}
