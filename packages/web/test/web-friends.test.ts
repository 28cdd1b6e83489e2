/**
 * Friends in real Chromium against a real server with the default privacy (friends only):
 * a stranger cannot start a chat; alice sends bob a request with a note, bob sees the badge on
 * the rail and accepts, both see each other, alice sets a remark and grouping, and they chat.
 * Then bob lets everyone write to him from Settings. The steps build on each other.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ParleyClient } from '@parley/client';
import {
  conversation,
  ensureBuilt,
  eventually,
  launchBrowser,
  messageRow,
  newPage,
  openChat,
  register,
  sdkUser,
  send,
  startWebServer,
  uniqueName,
  type WebServer,
} from './support/harness.js';

const contactsLink = (page: Page) => page.getByRole('link', { name: /^Contacts/ });

describe('web client: friends', () => {
  let web: WebServer;
  let browser: Browser;
  const alice = uniqueName('alice');
  const bob = uniqueName('bob');
  let a: { context: BrowserContext; page: Page };
  let b: { context: BrowserContext; page: Page };
  let carol: ParleyClient | null = null;

  before(async () => {
    ensureBuilt();
    web = await startWebServer({ config: { directMessages: 'friends' } });
    browser = await launchBrowser();
  });
  after(async () => {
    carol?.close();
    await browser?.close();
    await web?.dispose();
  });

  it('refuses a chat with a stranger and says to send a friend request', async () => {
    a = await newPage(browser);
    b = await newPage(browser);
    await register(a.page, web.url, alice);
    await register(b.page, web.url, bob);
    await a.page.getByRole('button', { name: 'New chat' }).first().click();
    const dialog = a.page.getByRole('dialog', { name: 'New chat' });
    await dialog.getByLabel('Username').fill(bob);
    await dialog.getByRole('button', { name: 'Start chat' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'friends only' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('sends a request with a note; bob sees the badge and accepts; both see each other', async () => {
    await contactsLink(a.page).click();
    await a.page.getByRole('heading', { name: 'Contacts' }).waitFor();
    await a.page.getByRole('button', { name: 'Add friend' }).first().click();
    const dialog = a.page.getByRole('dialog', { name: 'Add friend' });
    await dialog.getByLabel('Username').fill(bob);
    await dialog.getByLabel('Note (optional)').fill('Hi, it is Alice from the meetup');
    await dialog.getByRole('button', { name: 'Send request' }).click();
    await dialog
      .getByRole('status')
      .filter({ hasText: `Friend request sent to ${bob}` })
      .waitFor();
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await a.page.getByText('Waiting for an answer').waitFor();

    // Bob did nothing: the badge on the rail says a request is waiting.
    await b.page.getByRole('link', { name: 'Contacts, 1 friend request' }).waitFor();
    assert.equal(await b.page.getByTestId('requests-badge').textContent(), '1');
    await contactsLink(b.page).click();
    await b.page.getByText('Hi, it is Alice from the meetup').waitFor();
    await b.page.getByRole('button', { name: `Accept ${alice}` }).click();

    await b.page.getByRole('button', { name: alice, exact: true }).waitFor();
    await b.page.getByRole('link', { name: 'Contacts', exact: true }).waitFor();
    assert.equal(await b.page.getByTestId('requests-badge').count(), 0);
    await a.page.getByRole('button', { name: bob, exact: true }).waitFor();
    assert.equal(await a.page.getByText('Waiting for an answer').count(), 0);
  });

  it('keeps a remark and a grouping, and starts a chat from the friend', async () => {
    await a.page.getByRole('button', { name: bob, exact: true }).click();
    const pane = a.page.getByRole('region', { name: bob });
    await pane.getByLabel('Remark').fill('Bobby');
    await pane.getByLabel('Group').fill('Work');
    await pane.getByRole('button', { name: 'Save' }).click();
    // Saved, the pane goes by the remark.
    await a.page
      .getByRole('region', { name: 'Bobby' })
      .getByRole('status')
      .filter({ hasText: 'Saved.' })
      .waitFor();
    await a.page.getByRole('heading', { name: 'Work' }).waitFor();
    const entry = a.page.getByRole('button', { name: new RegExp(`^Bobby`) });
    await entry.waitFor();
    assert.match((await entry.textContent()) ?? '', new RegExp(bob));

    await a.page
      .getByRole('region', { name: 'Bobby' })
      .getByRole('button', { name: 'Send message' })
      .click();
    await a.page.getByRole('log', { name: `Messages with ${bob}` }).waitFor();
    await send(a.page, 'Friends now 🎉');
    await messageRow(a.page, 'Friends now 🎉').waitFor();

    await b.page.getByRole('link', { name: /^Chats/ }).click();
    await eventually('the chat to appear for bob', async () => conversation(b.page, alice).count());
    await openChat(b.page, alice);
    await messageRow(b.page, 'Friends now 🎉').waitFor();
    await send(b.page, 'Yes! 你好');
    await messageRow(a.page, 'Yes! 你好').waitFor();
  });

  it('lets bob take messages from everyone, from Settings', async () => {
    carol = await sdkUser(web, uniqueName('carol'));
    const refused = await carol.openDirect(bob).catch((e: unknown) => e);
    assert.equal((refused as { code?: string }).code, 'friends_only');

    await b.page.getByRole('button', { name: 'Settings' }).click();
    const settings = b.page.getByRole('dialog', { name: 'Settings' });
    const everyone = settings.getByRole('radio', { name: 'Everyone' });
    assert.equal(await settings.getByRole('radio', { name: 'Friends only' }).isChecked(), true);
    await settings.getByText('Everyone', { exact: true }).click();
    await eventually('the setting to reach the server', async () => {
      const opened = await carol!.openDirect(bob).catch(() => null);
      return opened !== null;
    });
    // The page learns of it from its update stream, which may come after carol's answer.
    await eventually('the setting shown as chosen', () => everyone.isChecked());
  });
});
