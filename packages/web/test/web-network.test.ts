/**
 * The device loses its network and gets it back (Playwright's offline emulation, which fires the
 * browser's `offline` and `online` events): the client says so at once, keeps what is written
 * meanwhile, and sends it as soon as the network is back, without waiting out a heartbeat or a
 * reconnect backoff grown during the outage.
 */
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  ensureBuilt,
  launchBrowser,
  messageRow,
  newPage,
  openChat,
  register,
  send,
  startChat,
  startWebServer,
  uniqueName,
  type WebServer,
} from './support/harness.js';

describe('web client: the network goes and comes back', () => {
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

  it('shows offline as soon as the network goes, and delivers what was written once it is back', async () => {
    const alice = uniqueName('alice');
    const bob = uniqueName('bob');
    const a = await newPage(browser);
    const b = await newPage(browser);
    await register(a.page, web.url, alice);
    await register(b.page, web.url, bob);
    await startChat(a.page, bob);
    await send(a.page, 'before the tunnel');
    await openChat(b.page, alice);
    await messageRow(b.page, 'before the tunnel').waitFor();

    await a.context.setOffline(true);
    // At once (the locator's 10 s), not after the heartbeat gives the silent link up (a minute).
    await a.page.getByRole('status').filter({ hasText: 'Offline · no network' }).waitFor();
    await a.page.getByText(/You are offline/).waitFor();
    await send(a.page, 'written in the tunnel');
    const row = messageRow(a.page, 'written in the tunnel');
    await row.getByRole('img', { name: 'Waiting for connection' }).waitFor();

    await a.context.setOffline(false);
    // The backoff may have grown to 30 s during the outage; the `online` event does not wait.
    await messageRow(b.page, 'written in the tunnel').waitFor({ timeout: 10_000 });
    await row.getByRole('img', { name: /Sent|Read/ }).waitFor();
    await a.page.getByRole('status').filter({ hasText: 'Online' }).waitFor();
    await a.context.close();
    await b.context.close();
  });
});
