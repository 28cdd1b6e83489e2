/**
 * Accounts in the browser: mistakes explained, password change, logging out of one device or
 * of all of them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createInvites } from '@parley/server';
import {
  PASSWORD,
  ensureBuilt,
  eventually,
  launchBrowser,
  login,
  newPage,
  register,
  sdkUser,
  startWebServer,
  uniqueName,
  type WebServer,
} from './support/harness.js';

const NEW_PASSWORD = 'a brand new passphrase';

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  return page.getByRole('dialog', { name: 'Settings' });
}

async function loginWith(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

describe('web client: accounts', () => {
  let web: WebServer;
  let browser: Browser;

  before(async () => {
    ensureBuilt();
    web = await startWebServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await web?.dispose();
  });

  it('explains empty fields, a wrong password, a taken username and a bad one', async () => {
    const name = uniqueName('dora');
    const first = await newPage(browser);
    await register(first.page, web.url, name);

    const { page, context } = await newPage(browser);
    await page.goto(web.url);
    await loginWith(page, name, 'not the password');
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();
    await loginWith(page, '', '');
    await page
      .getByRole('alert')
      .filter({ hasText: 'Enter your username and password.' })
      .waitFor();
    // A name no account can have is a wrong username, not "something went wrong".
    await loginWith(page, 'Zoë Li', 'not the password');
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();

    await page.getByRole('tab', { name: 'Create account' }).click();
    await page.getByLabel('Username').fill(name);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: 'That username is taken.' }).waitFor();

    await page.getByLabel('Username').fill('9 lives!');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: 'Use 3–32 lowercase letters' }).waitFor();
    await page.getByLabel('Username').fill(uniqueName('dora'));
    await page.getByLabel('Confirm password').fill('something else');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: 'The two passwords do not match.' }).waitFor();
    await context.close();
    await first.context.close();
  });

  it('changes the password, which signs out the other devices', async () => {
    const name = uniqueName('erin');
    const laptop = await newPage(browser);
    const phone = await newPage(browser);
    await register(laptop.page, web.url, name);
    await login(phone.page, web.url, name);

    const settings = await openSettings(laptop.page);
    await settings.getByLabel('Current password').fill('wrong password');
    await settings.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await settings.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await settings.getByRole('button', { name: 'Change password' }).click();
    await settings
      .getByRole('alert')
      .filter({ hasText: 'The current password is not right.' })
      .waitFor();
    await settings.getByLabel('Current password').fill(PASSWORD);
    await settings.getByRole('button', { name: 'Change password' }).click();
    await settings.getByRole('status').filter({ hasText: 'Password changed.' }).waitFor();

    // The phone is signed out and told why; the laptop that changed it stays in.
    await phone.page
      .getByText('You were signed out on this device. Please log in again.')
      .waitFor();
    await phone.page.getByRole('tab', { name: 'Log in' }).waitFor();
    assert.equal(await laptop.page.getByRole('heading', { name: 'Chats' }).isVisible(), true);

    await loginWith(phone.page, name, PASSWORD);
    await phone.page
      .getByRole('alert')
      .filter({ hasText: 'Wrong username or password.' })
      .waitFor();
    await loginWith(phone.page, name, NEW_PASSWORD);
    await phone.page.getByRole('heading', { name: 'Chats' }).waitFor();
    await laptop.context.close();
    await phone.context.close();
  });

  it('lists the signed-in devices and signs one out from Settings', async () => {
    const name = uniqueName('gwen');
    const laptop = await newPage(browser);
    await register(laptop.page, web.url, name);
    const bot = await sdkUser(web, name, 'login');
    let ended: string | null = null;
    bot.on('sessionEnded', ({ reason }) => (ended = reason));

    const settings = await openSettings(laptop.page);
    const list = settings.getByRole('list', { name: 'Devices' });
    await list.getByRole('listitem').filter({ hasText: 'test seed' }).waitFor();
    const mine = list.getByRole('listitem').filter({ hasText: 'This device' });
    assert.equal(await mine.count(), 1);
    assert.equal(
      await mine.getByRole('button').count(),
      0,
      'this device logs out under Account, not here',
    );
    await list.getByRole('button', { name: 'Sign out: test seed' }).click();
    await eventually('the signed-out device is told', () => ended === 'session_revoked');
    await list
      .getByRole('listitem')
      .filter({ hasText: 'test seed' })
      .waitFor({ state: 'detached' });
    assert.equal(await list.getByRole('listitem').count(), 1);
    bot.close();
    await laptop.context.close();
  });

  it('refuses one of the most common passwords at registration, saying why', async () => {
    const { page, context } = await newPage(browser);
    await page.goto(web.url);
    await page.getByRole('tab', { name: 'Create account' }).click();
    await page.getByLabel('Username').fill(uniqueName('hugo'));
    await page.getByLabel('Password', { exact: true }).fill('Password1');
    await page.getByLabel('Confirm password').fill('Password1');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: 'one of the most common passwords' }).waitFor();
    await context.close();
  });

  it('logs out of this device only, or of every device', async () => {
    const name = uniqueName('finn');
    const laptop = await newPage(browser);
    const phone = await newPage(browser);
    await register(laptop.page, web.url, name);
    await login(phone.page, web.url, name);

    await (
      await openSettings(laptop.page)
    )
      .getByRole('button', { name: 'Log out', exact: true })
      .click();
    await laptop.page.getByRole('tab', { name: 'Log in' }).waitFor();
    // Logged out for good: a reload does not bring the session back.
    await laptop.page.reload();
    await laptop.page.getByRole('tab', { name: 'Log in' }).waitFor();
    // The phone was not touched.
    await phone.page.reload();
    await phone.page.getByRole('heading', { name: 'Chats' }).waitFor();

    await login(laptop.page, web.url, name);
    await (
      await openSettings(laptop.page)
    )
      .getByRole('button', { name: 'Log out of all devices' })
      .click();
    await laptop.page.getByRole('tab', { name: 'Log in' }).waitFor();
    await phone.page
      .getByText('You were signed out on this device. Please log in again.')
      .waitFor();
    await laptop.context.close();
    await phone.context.close();
  });
});

describe('web client: invite-only registration', () => {
  let web: WebServer;
  let browser: Browser;

  before(async () => {
    ensureBuilt();
    web = await startWebServer({ config: { registration: 'invite' } });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await web?.dispose();
  });

  it('asks for an invite code and creates the account with one', async () => {
    const [code] = await createInvites({ PARLEY_DATA_DIR: web.dataDir }, []);
    const { page, context } = await newPage(browser);
    await page.goto(web.url);
    await page.getByRole('tab', { name: 'Create account' }).click();
    await page.getByLabel('Username').fill(uniqueName('ivy'));
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await page.getByLabel('Invite code').fill('not a real code');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: 'needs an invite code' }).waitFor();
    await page.getByLabel('Invite code').fill(code!);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Chats' }).waitFor();
    await context.close();
  });
});
