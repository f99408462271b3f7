/**
 * Going live (issue 26, part A) as a council's first administrator does it: `openehcp setup` on a new database prints
 * their one-time link; they create a password (the policy refuses a weak one), set up two-factor sign-in with a real
 * authenticator code (otplib, RFC 6238), choose their council, sign out, and sign in again with a password and a new
 * code. Every page is checked by axe; the new pages at 1280 px and on a 390 px phone, which they fit.
 *
 * A service of its own (not the demo's): on port E2E_PORT + E2E_WORKERS, with its data in E2E_DATA_DIR/account.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { generate } from 'otplib';
import { E2E_PORT, E2E_WORKERS } from '../playwright.config.js';
import { expect, test } from './fixtures.js';
import { AccountPages } from './pages/account.js';
import { SignInPage } from './pages/signIn.js';

const PORT = E2E_PORT + E2E_WORKERS;
const BASE = `http://127.0.0.1:${PORT}`;
const DATA_DIR = path.join(process.env.E2E_DATA_DIR ?? '.data/e2e', 'account');
const EMAIL = 'ann.admin@testshire.example';
const PASSWORD = 'otter lantern quarry meadow';
const env = { PATH: process.env.PATH ?? '', NODE_ENV: 'development', LOG_LEVEL: 'warn', DATA_DIR, BASE_URL: BASE };

let service: ChildProcess | undefined;
let setUpLink = '';

/** A code the authenticator app shows half a minute from now (a step the service has not yet seen used). */
const nextCode = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  rmSync(DATA_DIR, { recursive: true, force: true });
  const setup = (la: string, name: string) =>
    spawnSync(
      process.execPath,
      ['bin/openehcp.js', 'setup', '--la', la, '--la-name', name, '--admin-email', EMAIL, '--admin-name', 'Ann Admin'],
      { env, encoding: 'utf8' },
    );
  // A regional host: Ann administers two councils. The second link replaces the first (one set-up link at a time).
  expect(setup('801', 'Testshire County Council').status).toBe(0);
  const second = setup('802', 'Northshire Borough Council');
  expect(second.status).toBe(0);
  setUpLink = /http:\/\/\S+\/account\/set-up\/\S+/.exec(second.stdout)![0];
  expect(setUpLink.startsWith(`${BASE}/account/set-up/`)).toBe(true);
  service = spawn(process.execPath, ['bin/openehcp.js', 'serve', '--port', String(PORT)], { env });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the service did not start: ${out}`)), 90_000);
    service!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('running at')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
});

test.afterAll(() => {
  service?.kill('SIGTERM');
});

test('a council’s first administrator sets up their sign-in from the link, with two-factor sign-in, and signs in again', async ({
  page,
  a11y,
}) => {
  const account = new AccountPages(page, a11y);
  const signIn = new SignInPage(page, a11y);
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(setUpLink);
    await expect(account.heading).toHaveText('Create a password');
    await expect(page.getByText(`For the account ${EMAIL}.`)).toBeVisible();
    expect(await account.scrollsSideways()).toBe(false);
    await account.check();
  }

  // A common password is refused with the GOV.UK error summary.
  await account.createPassword('password1234567');
  await expect(account.errorSummary).toContainText('Password is too common');
  await account.check();

  await account.createPassword(PASSWORD);
  await expect(account.heading).toHaveText('Set up two-factor sign-in');
  await expect(account.qrCode).toBeVisible();
  const secret = await account.typedKey();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.setViewportSize({ width: 390, height: 900 });
  expect(await account.scrollsSideways()).toBe(false);
  await account.check();
  await page.setViewportSize({ width: 1280, height: 900 });

  await account.enterCode('12345', 'Turn on two-factor sign-in');
  await expect(account.errorSummary).toContainText('The code must be 6 digits');
  await account.check();
  await account.enterCode(await generate({ secret }), 'Turn on two-factor sign-in');

  // Two councils: which one today?
  await expect(account.heading).toHaveText('Which council are you working for today?');
  await page.setViewportSize({ width: 390, height: 900 });
  expect(await account.scrollsSideways()).toBe(false);
  await account.check();
  await page.setViewportSize({ width: 1280, height: 900 });
  await account.chooseCouncil('Northshire Borough Council');
  await expect(account.heading).toContainText('Welcome');
  await expect(page.getByRole('banner')).toContainText('Northshire Borough Council');
  await expect(page.getByRole('link', { name: 'Change council' })).toBeVisible();
  await account.check();

  await account.follow('Ann Admin');
  await expect(account.heading).toHaveText('Your account');
  await expect(page.getByText('On (your role needs it)')).toBeVisible();
  await account.check();

  await account.signOut();
  await expect(account.heading).toHaveText('You have signed out');
  await account.check();

  // Signing in: the password, then a new code.
  await page.goto(`${BASE}/sign-in`);
  await signIn.check();
  await signIn.fill(EMAIL, PASSWORD);
  await signIn.submit();
  await expect(page.getByLabel('Enter the 6-digit code from your authenticator app')).toBeVisible();
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await account.scrollsSideways()).toBe(false);
  }
  await account.check();
  await account.enterCode(await nextCode(secret), 'Continue');
  await expect(account.heading).toHaveText('Which council are you working for today?');
  await account.check();
  await account.chooseCouncil('Testshire County Council');
  await expect(page.getByRole('banner')).toContainText('Testshire County Council');
  await account.check();

  // "Confirm it is you" asks for the password and a code.
  await page.goto(`${BASE}/account/confirm-it-is-you?returnTo=%2Fadmin%2Fusers`);
  await expect(account.heading).toHaveText('Confirm it is you');
  await expect(page.getByLabel('Enter the 6-digit code from your authenticator app')).toBeVisible();
  await account.check();
});

test('someone who has forgotten their password is told the same whatever the address, and what to do without email', async ({
  page,
  a11y,
}) => {
  const account = new AccountPages(page, a11y);
  await page.goto(`${BASE}/sign-in`);
  await account.check();
  await account.follow('Forgotten your password?');
  await expect(account.heading).toHaveText('Reset your password');
  await account.check();
  await page.getByLabel('Email address').fill('nobody@testshire.example');
  await account.press('Send the link');
  await expect(account.heading).toHaveText('Check your email');
  await expect(page.getByText('If an account uses the address nobody@testshire.example')).toBeVisible();
  await expect(page.getByText('Ask your council’s administrator to reset your password')).toBeVisible();
  await page.setViewportSize({ width: 390, height: 900 });
  expect(await account.scrollsSideways()).toBe(false);
  await account.check();
});
