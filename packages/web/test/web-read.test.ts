/**
 * Read marks tell the truth: a chat is marked read only as far as the reader has had it on
 * screen. A message that arrives while they read further up stays "Sent" at the sender until they
 * scroll down to it, and a chat with hundreds of unread messages opens at its first unread one
 * and marks read only what was shown.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import type { ParleyClient } from '@parley/client';
import {
  conversation,
  ensureBuilt,
  eventually,
  inView,
  launchBrowser,
  login,
  newPage,
  openChat,
  register,
  sdkUser,
  send,
  sendAll,
  startChat,
  startWebServer,
  uniqueName,
  type WebServer,
} from './support/harness.js';

/** The message row whose text is exactly `text` ("note 1", not "note 10"). */
function row(page: Page, text: string): Locator {
  return page
    .getByRole('log')
    .getByRole('article')
    .filter({ has: page.getByText(text, { exact: true }) });
}

/** The delivery mark under one of the sender's own messages: "Sent" or "Read". */
function mark(page: Page, text: string): Locator {
  return row(page, text).getByRole('img', { name: /^(Sent|Read)$/ });
}

/** True when the whole message (down to its bottom edge) is inside the visible history. */
async function fullyInView(page: Page, text: string): Promise<boolean> {
  const log = await page.getByRole('log').boundingBox();
  const found = row(page, text);
  if (!log || (await found.count()) === 0) return false;
  const box = await found.first().boundingBox();
  return box !== null && box.y >= log.y && box.y + box.height <= log.y + log.height;
}

/** The message bodies wholly on screen in the open chat, top to bottom. */
async function bodiesOnScreen(page: Page): Promise<string[]> {
  return page.getByRole('log').evaluate((log) => {
    const view = log.getBoundingClientRect();
    return [...log.querySelectorAll('[role="article"]')]
      .map((a) => ({ box: a.getBoundingClientRect(), text: a.querySelector('.bubble-body') }))
      .filter(({ box }) => box.top >= view.top && box.bottom <= view.bottom)
      .sort((x, y) => x.box.top - y.box.top)
      .map(({ text }) => text?.textContent ?? '');
  });
}

describe('web client: read marks', () => {
  let web: WebServer;
  let browser: Browser;
  const clients: ParleyClient[] = [];

  before(async () => {
    ensureBuilt();
    // Seeding hundreds of messages from one user goes past the default per-user send rate.
    web = await startWebServer({ config: { sendRate: 100_000, frameRate: 100_000 } });
    browser = await launchBrowser();
  });

  after(async () => {
    for (const client of clients) client.close();
    await browser?.close();
    await web?.dispose();
  });

  it('keeps a message "Sent" while the reader is scrolled up, and "Read" once they scroll to it', async () => {
    const alice = uniqueName('alice');
    const bob = uniqueName('bob');
    // Alice's window is tall enough to show every message and its mark at once; Bob's is short.
    const a = await newPage(browser, { viewport: { width: 1280, height: 2400 } });
    const b = await newPage(browser, { viewport: { width: 1280, height: 700 } });
    await register(a.page, web.url, alice);
    await register(b.page, web.url, bob);
    await startChat(a.page, bob);
    const notes = Array.from({ length: 40 }, (_, i) => `note ${i + 1}`);
    // Written on Alice's phone; her browser shows them as hers.
    const phone = await sdkUser(web, alice, 'login');
    clients.push(phone);
    await sendAll(phone, (await phone.openDirect(bob)).info.id, notes);
    await mark(a.page, 'note 40').waitFor();

    // Bob opens the chat at the unread line: the first notes are on screen, the last are not.
    await openChat(b.page, alice);
    await eventually('note 1 on screen for Bob', () => fullyInView(b.page, 'note 1'));
    assert.equal(await inView(b.page, 'note 40'), false);
    await row(a.page, 'note 1').getByRole('img', { name: 'Read' }).waitFor();
    assert.equal(await mark(a.page, 'note 40').getAttribute('aria-label'), 'Sent');

    // A new message arrives while Bob reads further up: he is told, but has not seen it.
    await send(a.page, 'are you there?');
    const jump = b.page.getByRole('button', { name: '1 new message' });
    await jump.waitFor();
    // Bob's list counts it as unread, as the server does (a second device of his asks it).
    const bobsPhone = await sdkUser(web, bob, 'login');
    clients.push(bobsPhone);
    await eventually('the same unread count in the list as on the server', async () => {
      const [summary] = await bobsPhone.conversations();
      const label = (await conversation(b.page, alice).getAttribute('aria-label')) ?? '';
      return summary !== undefined && label.includes(`${summary.unread} unread`);
    });
    // Bob scrolls down a little, to note 20: that much is now read, and Alice sees it...
    await eventually('note 20 on screen for Bob', async () => {
      if (await fullyInView(b.page, 'note 20')) return true;
      await b.page.getByRole('log').evaluate((log) => log.scrollBy(0, 80));
      return false;
    });
    await eventually(
      'note 20 read at Alice',
      async () => (await mark(a.page, 'note 20').getAttribute('aria-label')) === 'Read',
    );
    // ...while the new message, which he has not reached, is still only sent.
    assert.equal(await mark(a.page, 'are you there?').getAttribute('aria-label'), 'Sent');
    assert.equal(await mark(a.page, 'note 40').getAttribute('aria-label'), 'Sent');

    await jump.click();
    await eventually(
      'the new message read at Alice',
      async () => (await mark(a.page, 'are you there?').getAttribute('aria-label')) === 'Read',
    );
    await a.context.close();
    await b.context.close();
  });

  it('opens a chat with 300 unread messages at the first unread one, and marks read only what was shown', async () => {
    const aliceName = uniqueName('alice');
    const bobName = uniqueName('bob');
    const alice = await sdkUser(web, aliceName);
    clients.push(alice);
    const bob = await sdkUser(web, bobName);
    const chat = (await alice.openDirect(bobName)).info.id;
    await sendAll(
      alice,
      chat,
      Array.from({ length: 5 }, (_, i) => `already read ${i + 1}`),
    );
    await bob.markRead(chat, 5);
    bob.close();
    const bodies = Array.from({ length: 300 }, (_, i) => `unread ${i + 1}`);
    await sendAll(alice, chat, bodies);

    const { page, context } = await newPage(browser);
    await login(page, web.url, bobName);
    await openChat(page, aliceName);
    await page.getByRole('separator', { name: 'Unread messages' }).waitFor();
    await eventually('the first unread message on screen', () => fullyInView(page, 'unread 1'));
    assert.equal(await inView(page, 'unread 300'), false);

    // Alice sees Bob's read mark move to what his screen showed, not to the newest message.
    const peerRead = async () =>
      (await alice.conversations()).find((c) => c.info.id === chat)?.peerReadSeq ?? 0;
    const readSeq = await eventually('Bob marked something read', async () => {
      const seq = await peerRead();
      return seq > 5 && seq;
    });
    const shown = (await bodiesOnScreen(page))
      .filter((text) => text.startsWith('unread '))
      .map((text) => Number(text.slice('unread '.length)) + 5);
    assert.ok(shown.length > 0, 'unread messages on screen');
    assert.ok(
      readSeq <= Math.max(...shown),
      `read up to seq ${readSeq}, Bob's screen shows up to seq ${Math.max(...shown)}`,
    );
    assert.ok(readSeq < 305, 'the newest messages are not marked read');
    await context.close();
  });
});
