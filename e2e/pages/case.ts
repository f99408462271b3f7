/** A case's page: the child's name, the statutory deadlines and their statuses, the next steps and the timeline. */
import type { Locator } from '@playwright/test';
import { ServicePage } from './page.js';

export class CasePage extends ServicePage {
  /** A duty's row in the "Deadlines set by law" table (its status: Due, Overdue, Met, Exception). */
  duty(name: string): Locator {
    return this.page
      .getByRole('table', { name: /Deadlines set by law/ })
      .getByRole('row')
      .filter({ hasText: name });
  }

  /** A table on the case page by its caption (schools consulted, exceptions recorded ...). */
  table(caption: RegExp): Locator {
    return this.page.getByRole('table', { name: caption });
  }

  /** The confirmation a step leaves on the case page ("Request recorded.", "Final plan issued." ...). */
  notice(text: string): Locator {
    return this.page.getByText(text);
  }

  get timeline(): Locator {
    return this.page.getByRole('heading', { name: 'Timeline' });
  }

  /** Opens a step's form from the case page by its link ("Request advice", "Issue the final plan" ...). */
  async startStep(link: string | RegExp): Promise<void> {
    await this.follow(link);
    await this.check();
  }
}
