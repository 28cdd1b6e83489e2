/**
 * Presence in real Chromium: the chat header says whether the other person is online, busy,
 * invisible (offline to others) or gone (last seen), and the conversation list says it too.
 */
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  conversation,
  ensureBuilt,
  eventually,
  launchBrowser,
  newPage,
  openChat,
  register,
  send,
  startChat,
  startWebServer,
  uniqueName,
  type WebServer,
} from './support/harness.js';

describe('web client: presence', () => {
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

  async function choose(page: Page, status: 'Online' | 'Busy' | 'Invisible'): Promise<void> {
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByRole('group', { name: 'Status' }).getByText(status, { exact: true }).click();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  }

  it("shows the other person's status as they set it, and when they were last seen", async () => {
    const alice = uniqueName('alice');
    const bob = uniqueName('bob');
    const a = await newPage(browser);
    const b = await newPage(browser);
    await register(a.page, web.url, alice);
    await register(b.page, web.url, bob);
    await startChat(a.page, bob);
    await send(a.page, 'are you around?');
    await openChat(b.page, alice);

    const status = a.page.locator('.chat-header .chat-status');
    await eventually('bob shows online', async () => (await status.textContent()) === 'online');
    await eventually('the list says it too', async () =>
      /online/.test((await conversation(a.page, bob).getAttribute('aria-label')) ?? ''),
    );

    await choose(b.page, 'Busy');
    await eventually('bob shows busy', async () => (await status.textContent()) === 'busy');
    await choose(b.page, 'Invisible');
    await eventually('invisible shows offline', async () =>
      /^(offline|last seen)/.test((await status.textContent()) ?? ''),
    );
    await choose(b.page, 'Online');
    await eventually('bob is back', async () => (await status.textContent()) === 'online');

    await b.context.close();
    await eventually('bob gone: last seen', async () =>
      /^last seen /.test((await status.textContent()) ?? ''),
    );
    await a.context.close();
  });
});
