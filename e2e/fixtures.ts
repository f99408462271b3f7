/**
 * Every page a test visits is checked with axe (WCAG 2.2 A and AA rules). A test that navigates to a page without
 * checking it fails, so no page slips through unchecked.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { AxeBuilder } from '@axe-core/playwright';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { E2E_PORT } from '../playwright.config.js';
import { SignInPage } from './pages/signIn.js';

export const DEMO_PASSWORD = 'demo-county-2026';
export const ACCOUNTS = {
  caseworker: 'caseworker@demo-county.example',
  manager: 'manager@demo-county.example',
  qa: 'qa@demo-county.example',
  advice: 'advice@demo-county.example',
  parent: 'parent@demo-county.example',
  board: 'board@demo-county.example',
  admin: 'admin@demo-county.example',
  data: 'data@demo-county.example',
} as const;

/** A demo carer whose two children have a draft plan served and a final plan issued (src/demo/generate.ts). */
export const CARER = 'carer@demo-county.example';

export interface A11y {
  /** Runs axe on the current page and fails on any violation. */
  check(page: Page): Promise<void>;
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * axe-core's source, from the copy @axe-core/playwright itself loads (the same version, whatever npm hoists). AxeBuilder
 * sends its source to the page twice in each check (`analyze` evaluates it, then legacy mode's `inject` evaluates it
 * again): half a megabyte of script sent and compiled twice per check, which was 30 s of the 86 s that checking took in
 * casework.spec.ts's journey without JavaScript (62 injections of 0.5 s, 31 runs of axe: 26 s). So axe is put in the
 * page once, here (or by an init script, in the browser that checks pages served without JavaScript), and AxeBuilder
 * is given, as the source to inject, a script that does nothing: the same axe, the same run (`axe.configure` and
 * `axe.run`, as AxeBuilder calls them), the same results.
 */
const AXE_SOURCE = (createRequire(import.meta.resolve('@axe-core/playwright'))('axe-core') as { source: string })
  .source;
const AXE_ALREADY_IN_PAGE = '/* axe-core is already in the page (e2e/fixtures.ts) */';

async function putAxeIn(page: Page): Promise<void> {
  if (!(await page.evaluate('typeof window.axe?.run === "function"'))) await page.evaluate(AXE_SOURCE);
}

/**
 * axe's violations on the page as it is now. In axe's "legacy" mode (AxeBuilder's setLegacyMode): axe.run in the
 * page itself, where the default runs axe.runPartial in each frame and then axe.finishRun in a blank page it opens for
 * each check. The service's pages have no frames, and on them both modes give the same results (every rule, every node
 * it looked at, each check: compared on the home page, the caseload, the measures and the improvement plan), while
 * opening a page per check took about half of each check's time on this 2-core machine (1.8 s rather than 0.9 s on
 * the home page, 5.2 s rather than 1.7 s on the caseload, 8.1 s rather than 4.0 s on the measures).
 */
async function violations(page: Page): Promise<string[]> {
  const key = await pageKey(page);
  if (passed.has(key)) return [];
  // Only violations are read, so axe is asked for only those in full (`resultTypes`: the passes, incomplete and
  // inapplicable results keep one node each): the same violations, in 0.6-0.7 of the time on the measures pages and
  // the caseload (1.5 s rather than 2.6-3.1 s on /measures, 0.9-1.1 s rather than 1.4-1.5 s on /cases, this machine).
  // (`options` replaces what `withTags` sets, so it comes first.)
  await putAxeIn(page);
  const results = await new AxeBuilder({ page, axeSource: AXE_ALREADY_IN_PAGE })
    .options({ resultTypes: ['violations'] })
    .withTags(AXE_TAGS)
    .setLegacyMode()
    .analyze();
  const found = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  if (found.length === 0) passed.add(key);
  return found;
}

/**
 * The pages this worker has found no violations on, each as the same document at the same size: axe's result is a
 * function of the document (with the stylesheets and scripts, which are the same for every page) and the viewport,
 * so a page that is the same again (the sign-in page at the start of each test, a role's home page, the measures for
 * each reader) is not checked again. Hidden inputs' values (the CSRF token, a form's submission key) differ from one
 * response to the next and are never shown, so they are left out, as are scripts' nonces; anything else that differs
 * is checked afresh.
 */
const passed = new Set<string>();

/**
 * The pages served without JavaScript that this worker has checked (by their address and `pageKey`) and found no
 * violations on, opened again with JavaScript (the fixture's `check`).
 */
const passedWithoutScripts = new Set<string>();

async function pageKey(page: Page): Promise<string> {
  const html = (await page.content())
    .replace(/<input\b[^>]*\btype="hidden"[^>]*>/g, (tag) => tag.replace(/\svalue="[^"]*"/, ''))
    // A script's CSP nonce, new for each response (Chromium hides it from the document already).
    .replace(/\snonce="[^"]*"/g, '');
  const size = page.viewportSize();
  return createHash('sha256')
    .update(`${size?.width ?? 0}x${size?.height ?? 0}\n${html}`)
    .digest('hex');
}

export const test = base.extend<{ a11y: A11y }>({
  // Each worker's own service (playwright.config.ts): the one numbered as the worker is, of those running at once.
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  baseURL: async ({}, use, testInfo) => {
    await use(`http://127.0.0.1:${E2E_PORT + testInfo.parallelIndex}`);
  },
  a11y: async ({ page, browser, javaScriptEnabled }, use) => {
    const visited = new Set<string>();
    let twinContext: BrowserContext | undefined;
    let twin: Page | undefined;
    const checked = new Set<string>();
    const key = (url: string) => url.split('#')[0]!;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && frame.url().startsWith('http')) visited.add(key(frame.url()));
    });
    await use({
      async check(p: Page) {
        let summary: string[];
        if (javaScriptEnabled) {
          summary = await violations(p);
        } else {
          // axe runs in the page, so a page served to a browser without JavaScript is checked by opening the same
          // address, as the same user (the same cookies), in a browser with it. One such browser per test. (axe
          // cannot run in the page itself: Playwright evaluates axe there, but with the page's scripts off Chromium
          // never fires a timer, and axe.run waits on one.) The same address served with the same markup at the same
          // size, already checked so by this worker (the sign-in page and a role's home page at the start of each
          // test), is not opened again.
          const served = `${key(p.url())}\n${await pageKey(p)}`;
          if (passedWithoutScripts.has(served)) {
            summary = [];
          } else {
            if (!twinContext) {
              twinContext = await browser.newContext({ javaScriptEnabled: true });
              // Every page this browser opens is checked: axe is in each from the start, never sent to it.
              await twinContext.addInitScript(AXE_SOURCE);
            }
            await twinContext.clearCookies();
            await twinContext.addCookies(await p.context().cookies());
            twin ??= await twinContext.newPage();
            // At the page's own size: a phone's page is checked as a phone's.
            const size = p.viewportSize();
            if (size) await twin.setViewportSize(size);
            await twin.goto(p.url());
            summary = await violations(twin);
            if (summary.length === 0) passedWithoutScripts.add(served);
          }
        }
        expect(summary, `axe violations on ${p.url()}`).toEqual([]);
        checked.add(key(p.url()));
      },
    });
    await twinContext?.close();
    const unchecked = [...visited].filter((u) => !checked.has(u));
    expect(unchecked, 'pages visited without an accessibility check').toEqual([]);
  },
});

export { expect };

/** Signs in as one of the demo county's people (e2e/pages/signIn.ts), checking both pages with axe. */
export async function signIn(page: Page, a11y: A11y, email: string): Promise<void> {
  await new SignInPage(page, a11y).signIn(email);
}
