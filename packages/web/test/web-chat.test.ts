/**
 * Two people chatting in real Chromium against a real server: live both ways, history after a
 * reload, what arrived while one was away, the same account on two devices, and hostile text.
 * The steps build on each other (one conversation, told in order), so they share the browser.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  conversation,
  ensureBuilt,
  eventually,
  launchBrowser,
  login,
  messageRow,
  newPage,
  openChat,
  register,
  send,
  shownMessages,
  startChat,
  startWebServer,
  uniqueName,
  type WebServer,
} from './support/harness.js';

describe('web client: chatting', () => {
  let web: WebServer;
  let browser: Browser;
  const alice = uniqueName('alice');
  const bob = uniqueName('bob');
  let a: { context: BrowserContext; page: Page };
  let b: { context: BrowserContext; page: Page };

  before(async () => {
    ensureBuilt();
    web = await startWebServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await web?.dispose();
  });

  it('lets two people register, start a chat and talk both ways live', async () => {
    a = await newPage(browser);
    b = await newPage(browser);
    await register(a.page, web.url, alice);
    await register(b.page, web.url, bob);

    await startChat(a.page, bob);
    await send(a.page, 'Hi Bob 👋');
    await messageRow(a.page, 'Hi Bob 👋')
      .getByRole('img', { name: /Sent|Read/ })
      .waitFor();

    // Bob did nothing: the conversation and its unread message simply appear.
    await eventually('the chat to appear for bob with one unread', async () =>
      /1 unread/.test((await conversation(b.page, alice).getAttribute('aria-label')) ?? ''),
    );
    await openChat(b.page, alice);
    await messageRow(b.page, 'Hi Bob 👋').waitFor();

    await send(b.page, 'Hey Alice!');
    await messageRow(a.page, 'Hey Alice!').waitFor();
    // Bob has the chat open, so Alice's message shows as read.
    await messageRow(a.page, 'Hi Bob 👋').getByRole('img', { name: 'Read' }).waitFor();
  });

  it('shows "typing…" while the other person types, until their message arrives', async () => {
    const typing = a.page.locator('.chat-header').getByText('typing…');
    const input = b.page.getByRole('textbox', { name: 'Message' });
    await input.pressSequentially('One moment', { delay: 20 });
    await typing.waitFor();
    await input.press('Enter');
    await messageRow(a.page, 'One moment').waitFor();
    await typing.waitFor({ state: 'detached' });

    // Typing and then clearing the input ends it too, without a message.
    await input.pressSequentially('never mind');
    await typing.waitFor();
    await input.fill('');
    await typing.waitFor({ state: 'detached' });
  });

  it('shows the conversation again after a reload, still logged in', async () => {
    await a.page.reload();
    await a.page.getByRole('heading', { name: 'Chats' }).waitFor();
    await openChat(a.page, bob);
    await eventually('both messages after the reload', async () => {
      const shown = await shownMessages(a.page);
      return shown.join('|') === 'Hi Bob 👋|Hey Alice!|One moment';
    });
  });

  it('delivers what was sent while the recipient was away, in order, with the unread count', async () => {
    // Bob closes the browser; his device keeps its session and sync cursor in localStorage.
    const storageState = await b.context.storageState();
    await b.context.close();

    for (const text of ['one', 'two', 'three']) await send(a.page, text);
    for (const text of ['one', 'two', 'three']) {
      await messageRow(a.page, text).getByRole('img', { name: 'Sent' }).waitFor();
    }

    b = await newPage(browser, { storageState });
    await b.page.goto(web.url);
    await b.page.getByRole('heading', { name: 'Chats' }).waitFor();
    await eventually('3 unread from alice', async () =>
      /3 unread/.test((await conversation(b.page, alice).getAttribute('aria-label')) ?? ''),
    );
    assert.equal(await b.page.title(), '(3) Parley');

    await openChat(b.page, alice);
    await b.page.getByRole('separator', { name: 'Unread messages' }).waitFor();
    await eventually('the missed messages in order', async () => {
      const shown = await shownMessages(b.page);
      return shown.slice(-3).join('|') === 'one|two|three';
    });
    await eventually('the unread count cleared', async () => (await b.page.title()) === 'Parley');
    await messageRow(a.page, 'three').getByRole('img', { name: 'Read' }).waitFor();
  });

  it('shows a person their own messages sent from another device', async () => {
    const second = await newPage(browser);
    await login(second.page, web.url, alice);
    await openChat(second.page, bob);

    await send(a.page, 'sent from my laptop');
    const row = messageRow(second.page, 'sent from my laptop');
    await row.waitFor();
    // It is shown as hers (with a delivery mark), not as a message from Bob.
    await row.getByRole('img', { name: /Sent|Read/ }).waitFor();
    await second.context.close();
  });

  it('shows text that looks like HTML or script as text and never runs it', async () => {
    const hostile =
      '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold?</b>';
    await send(a.page, hostile);
    const row = messageRow(b.page, 'bold?');
    await row.waitFor();
    assert.equal((await shownMessages(b.page)).at(-1), hostile);
    assert.equal(await row.locator('img, script, b').count(), 0);
    assert.equal(await b.page.evaluate(() => (window as { __pwned?: number }).__pwned), undefined);
    assert.equal(await a.page.evaluate(() => (window as { __pwned?: number }).__pwned), undefined);
  });
});
