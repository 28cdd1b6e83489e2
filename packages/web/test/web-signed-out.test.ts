/**
 * Messages written on a device that is then signed out from elsewhere (log out of all devices)
 * before they could go out: the login screen says they are still stored on the device, and the
 * person keeps them (sent once the same user logs in again) or deletes them from storage. They are
 * never sent as another user.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ParleyClient } from '@parley/client';
import {
  PASSWORD,
  ensureBuilt,
  eventually,
  launchBrowser,
  login,
  newPage,
  register,
  sdkUser,
  send,
  startChat,
  startWebServer,
  uniqueName,
  type WebServer,
} from './support/harness.js';

const UNSENT = ['written on the train', 'and one more'];

/** Everything this origin keeps in localStorage, as one string. */
function storedText(page: Page): Promise<string> {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .map((key) => `${key}=${localStorage.getItem(key)}`)
      .join('\n'),
  );
}

async function logIn(page: Page, username: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Chats' }).waitFor();
}

describe('web client: unsent messages after a sign-out from elsewhere', () => {
  let web: WebServer;
  let browser: Browser;
  const clients: ParleyClient[] = [];

  before(async () => {
    ensureBuilt();
    web = await startWebServer();
    browser = await launchBrowser();
  });

  after(async () => {
    for (const client of clients) client.close();
    await browser?.close();
    await web?.dispose();
  });

  /**
   * Gina writes two messages to Bob on her phone while it has no network; meanwhile her laptop
   * logs out of every device. The phone gets its network back and lands on the login screen.
   */
  async function signedOutWithUnsent() {
    const name = uniqueName('gina');
    const bobName = uniqueName('bob');
    const bob = await sdkUser(web, bobName);
    clients.push(bob);
    const laptop = await newPage(browser);
    const phone = await newPage(browser);
    await register(laptop.page, web.url, name);
    await login(phone.page, web.url, name);
    await startChat(phone.page, bobName);
    await phone.context.setOffline(true);
    await phone.page.getByRole('status').filter({ hasText: 'Offline · no network' }).waitFor();
    for (const text of UNSENT) await send(phone.page, text);

    await laptop.page.getByRole('button', { name: 'Settings' }).click();
    await laptop.page
      .getByRole('dialog', { name: 'Settings' })
      .getByRole('button', { name: 'Log out of all devices' })
      .click();
    await laptop.page.getByRole('tab', { name: 'Log in' }).waitFor();
    await laptop.context.close();

    await phone.context.setOffline(false);
    await phone.page
      .getByText('You were signed out on this device. Please log in again.')
      .waitFor();
    const notice = phone.page.getByRole('region', { name: 'Unsent messages' });
    await notice.getByText('2 unsent messages are kept on this device.').waitFor();
    const conversationId = (await bob.openDirect(name)).info.id;
    return { name, bob, phone, notice, conversationId };
  }

  it('sends the kept messages once the same person logs in again', async () => {
    const { name, bob, phone, notice } = await signedOutWithUnsent();
    const received: string[] = [];
    bob.on('message', ({ message }) => received.push(message.body));
    await notice.getByRole('button', { name: 'Keep them' }).click();
    await phone.page
      .getByRole('status')
      .filter({ hasText: `Log in as ${name} to send the 2 unsent messages.` })
      .waitFor();
    assert.equal(await phone.page.getByLabel('Username').inputValue(), name);
    await logIn(phone.page, name);
    await eventually('Bob has both messages', () => received.join('|') === UNSENT.join('|'));
    await phone.context.close();
  });

  it('deletes the unsent text from the device when the person discards it', async () => {
    const { phone, notice, bob, conversationId } = await signedOutWithUnsent();
    assert.match(await storedText(phone.page), /written on the train/);
    await notice.getByRole('button', { name: 'Discard them' }).click();
    await phone.page
      .getByRole('status')
      .filter({ hasText: 'The unsent messages were deleted from this device.' })
      .waitFor();
    const stored = await storedText(phone.page);
    for (const text of UNSENT) assert.ok(!stored.includes(text), `"${text}" is gone`);
    await phone.page.reload();
    await phone.page.getByRole('tab', { name: 'Log in' }).waitFor();
    assert.equal(await phone.page.getByRole('region', { name: 'Unsent messages' }).count(), 0);
    const history = await bob.history(conversationId);
    assert.deepEqual(
      history.messages.map((m) => m.body),
      [],
    );
    await phone.context.close();
  });

  it('never sends them as someone else who logs in on the device', async () => {
    const { phone, bob, conversationId } = await signedOutWithUnsent();
    const otherName = uniqueName('hank');
    const other = await sdkUser(web, otherName);
    const otherChat = (await other.openDirect(bob.user!.username)).info.id;
    other.close();
    await logIn(phone.page, otherName);
    // Hank's own first message goes out: anything queued before it would have gone first.
    await startChat(phone.page, bob.user!.username);
    await send(phone.page, 'hello from hank');
    await eventually('Hank’s message reached the server', async () =>
      (await bob.history(otherChat)).messages.some((m) => m.body === 'hello from hank'),
    );
    const stored = await storedText(phone.page);
    for (const text of UNSENT) assert.ok(!stored.includes(text), `"${text}" is gone`);
    assert.deepEqual((await bob.history(conversationId)).messages, []);
    assert.deepEqual(
      (await bob.history(otherChat)).messages.map((m) => m.body),
      ['hello from hank'],
    );
    await phone.context.close();
  });
});
