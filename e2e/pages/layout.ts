/**
 * The layout a role relies on, on a phone and at a desk (e2e/layout.spec.ts): how wide the page is, how many lines
 * the header takes, and the check of one page at both widths.
 */
import { expect, type Locator } from '@playwright/test';
import { ServicePage } from './page.js';

/** An iPhone 12 to 15 held upright. */
export const PHONE = { width: 390, height: 844 };
export const DESK = { width: 1280, height: 800 };

export class LayoutPage extends ServicePage {
  async onPhone(): Promise<void> {
    await this.page.setViewportSize(PHONE);
  }

  async atDesk(): Promise<void> {
    await this.page.setViewportSize(DESK);
  }

  /** How wide the page is, scrolled sideways as far as it goes (the viewport's width when it does not scroll). */
  async width(): Promise<number> {
    return this.page.evaluate<number>('document.documentElement.scrollWidth');
  }

  /** The header's navigation's links, in order. */
  get menuLinks(): Locator {
    return this.menu.getByRole('link');
  }

  /**
   * The header's lines at the current width: the service name, each navigation item and the sign-out, grouped into
   * lines by where they start (a new line starts more than half a line below the last); and the header's height.
   */
  async headerLines(): Promise<{ lines: number; height: number; lineHeight: number }> {
    const name = (await this.page.locator('.govuk-service-navigation__service-name').boundingBox())!;
    const parts = this.page.locator(
      '.govuk-service-navigation__service-name, .govuk-service-navigation__item, .app-sign-out',
    );
    const tops = (await Promise.all((await parts.all()).map(async (p) => (await p.boundingBox())!.y))).sort(
      (a, b) => a - b,
    );
    let lines = 0;
    let lineTop = -Infinity;
    for (const top of tops) {
      if (top > lineTop + name.height / 2) {
        lines += 1;
        lineTop = top;
      }
    }
    const section = (await this.page.locator('.govuk-service-navigation').boundingBox())!;
    return { lines, height: section.height, lineHeight: name.height };
  }

  /** Asserts the page, as it is now, does not scroll sideways on a phone (the viewport must be the phone's). */
  async expectFitsPhone(where = this.page.url()): Promise<void> {
    expect(await this.width(), `${where} at 390 px`).toBeLessThanOrEqual(PHONE.width);
  }

  /**
   * The page as it is now, at a desk and then on a phone (the same page, resized: no second load): at 1280 px the
   * header takes at most two lines; at 390 px the page has its heading, does not scroll sideways and passes axe.
   * Leaves the viewport at the desk's width.
   */
  async expectFitsDeskAndPhone(path: string): Promise<void> {
    const header = await this.headerLines();
    expect(header.lines, `${path}: lines of the header at 1280 px`).toBeLessThanOrEqual(2);
    // Two lines of the service navigation (60 px each) and its border: never the three the manager's took.
    expect(header.height, `${path}: height of the header at 1280 px`).toBeLessThanOrEqual(2 * header.lineHeight + 2);
    await this.onPhone();
    await expect(this.heading).toBeVisible();
    await this.expectFitsPhone(path);
    await this.check();
    await this.atDesk();
  }
}
