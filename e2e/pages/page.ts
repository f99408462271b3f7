/**
 * What every page of the service has, for the page objects of the journeys (e2e/*.spec.ts): its main heading, the
 * GOV.UK error summary, the header's navigation and sign-out, date fields, and the axe check (e2e/fixtures.ts) that
 * every page a journey visits must pass.
 */
import type { Locator, Page } from '@playwright/test';
import type { A11y } from '../fixtures.js';

/** A date as the GOV.UK date input takes it. */
export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export class ServicePage {
  constructor(
    readonly page: Page,
    protected readonly a11y: A11y,
  ) {}

  /** The page's one level-1 heading. */
  get heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  /** The GOV.UK error summary. */
  get errorSummary(): Locator {
    return this.page.getByRole('alert');
  }

  /** The header's navigation ("Menu"). */
  get menu(): Locator {
    return this.page.getByRole('navigation', { name: 'Menu' });
  }

  /** Runs axe on the page as it is now (every page a journey visits is checked). */
  async check(): Promise<void> {
    await this.a11y.check(this.page);
  }

  /** Opens an address as a user typing it would; the status the service answered with. */
  async visit(path: string): Promise<number | undefined> {
    return (await this.page.goto(path))?.status();
  }

  /** Opens a page from the header's navigation. */
  async openFromMenu(name: string): Promise<void> {
    await this.menu.getByRole('link', { name }).click();
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign out' }).click();
  }

  async press(button: string): Promise<void> {
    await this.page.getByRole('button', { name: button }).click();
  }

  async follow(link: string | RegExp): Promise<void> {
    await this.page.getByRole('link', { name: link }).click();
  }

  /** Fills the GOV.UK date input whose fieldset's legend is `legend`. */
  async fillDate(legend: string | RegExp, date: DateParts): Promise<void> {
    const group = this.page.getByRole('group', { name: legend });
    await group.getByLabel('Day').fill(date.day);
    await group.getByLabel('Month').fill(date.month);
    await group.getByLabel('Year').fill(date.year);
  }
}
