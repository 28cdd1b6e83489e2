/**
 * The server goes away and comes back: what a person writes meanwhile waits, visibly, and is
 * delivered once the client reconnects to the restarted server (same port, same data).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  ensureBuilt,
  eventually,
  launchBrowser,
  messageRow,
  newPage,
  openChat,
  register,
  sdkUser,
  send,
  shownMessages,
  startChat,
  startWebServer,
  uniqueName,
  type WebServer,
} from './support/harness.js';

describe('web client: server restart', () => {
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

  it('shows a message typed while the server is down as waiting, and delivers it after the restart', async () => {
    const alice = uniqueName('alice');
    const bob = uniqueName('bob');
    const a = await newPage(browser);
    const b = await newPage(browser);
    await register(a.page, web.url, alice);
    await register(b.page, web.url, bob);
    await startChat(a.page, bob);
    await send(a.page, 'before the outage');
    await openChat(b.page, alice);
    await messageRow(b.page, 'before the outage').waitFor();

    const { port, dataDir } = web;
    await web.stop();
    await a.page
      .getByRole('status')
      .filter({ hasText: /reconnecting/ })
      .first()
      .waitFor();
    await a.page.getByText(/You are offline/).waitFor();

    await send(a.page, 'written during the outage');
    const row = messageRow(a.page, 'written during the outage');
    await row.getByRole('img', { name: 'Waiting for connection' }).waitFor();
    // The list says so too.
    const entry = a.page.getByRole('option', { name: new RegExp(`^${bob},`) });
    assert.match(
      (await entry.getAttribute('aria-label')) ?? '',
      /Sending: written during the outage/,
    );

    web = await startWebServer({ port, dataDir });
    // Reconnecting backs off (up to 30 s between attempts), so allow for a full cycle.
    await row.getByRole('img', { name: /Sent|Read/ }).waitFor({ timeout: 45_000 });
    await messageRow(b.page, 'written during the outage').waitFor({ timeout: 45_000 });
    await eventually('both messages in order on the other side', async () => {
      const shown = await shownMessages(b.page);
      return shown.join('|') === 'before the outage|written during the outage';
    });
  });
  it('says why the restarted server refused a queued message, and lets the person delete it', async () => {
    const alice = uniqueName('alice');
    const bob = uniqueName('bob');
    const a = await newPage(browser);
    (await sdkUser(web, bob)).close();
    await register(a.page, web.url, alice);
    await startChat(a.page, bob);
    const { port, dataDir } = web;
    await web.stop();
    await a.page.getByText(/You are offline/).waitFor();
    const text = 'This was fine before the server came back with a shorter limit.';
    await send(a.page, text);
    // The operator restarts the server with messages limited to 20 characters.
    web = await startWebServer({ port, dataDir, config: { maxMessageChars: 20 } });
    const row = messageRow(a.page, text);
    await row.getByRole('img', { name: 'Not sent' }).waitFor({ timeout: 45_000 });
    // In words a person understands, on the screen, not an error code in a tooltip.
    await row.getByText('Not sent. The server did not accept it; it may be too long.').waitFor();
    assert.equal(await row.getByText('invalid').count(), 0);
    await row.getByRole('button', { name: 'Retry sending' }).waitFor();
    await row.getByRole('button', { name: 'Delete unsent message' }).click();
    await row.waitFor({ state: 'detached' });
    await a.context.close();
  });

  it('delivers every one of many messages written while offline, in order', async () => {
    const alice = uniqueName('alice');
    const bob = uniqueName('bob');
    const a = await newPage(browser);
    const b = await newPage(browser);
    await register(a.page, web.url, alice);
    await register(b.page, web.url, bob);
    await startChat(a.page, bob);
    const { port, dataDir } = web;
    await web.stop();
    await a.page.getByText(/You are offline/).waitFor();
    const texts = Array.from({ length: 24 }, (_, i) => `queued ${i + 1}`);
    for (const text of texts) await send(a.page, text);
    web = await startWebServer({ port, dataDir });
    // Tall enough that the virtualized list renders all 24 rows at once.
    await b.page.setViewportSize({ width: 1200, height: 2400 });
    await openChat(b.page, alice);
    // Both pages reconnect with backoff (up to 30 s), so allow a full cycle.
    await eventually(
      'all 24 messages, in order, on the other side',
      async () => (await shownMessages(b.page)).join('|') === texts.join('|'),
      60_000,
    );
  });
});
