/**
 * Two tabs of one browser share one localStorage, so one SDK storage. A message written offline
 * in a tab that is then closed must still go out from the other tab once the network is back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Message } from '@parley/client';
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
  startChat,
  startWebServer,
  uniqueName,
  type WebServer,
} from './support/harness.js';

describe('web client: two tabs', () => {
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

  it('sends what each tab wrote offline, once, after the first tab is closed', async () => {
    const alice = uniqueName('alice');
    const bob = uniqueName('bob');
    // The peer's client reconnects by itself after the restart, with the SDK's backoff.
    const peer = await sdkUser(web, bob);
    const received: Message[] = [];
    peer.on('message', ({ message }) => received.push(message));
    try {
      const { context, page: tab1 } = await newPage(browser);
      await register(tab1, web.url, alice);
      await startChat(tab1, bob);
      const tab2 = await context.newPage();
      await tab2.goto(web.url);
      await tab2.getByRole('heading', { name: 'Chats' }).waitFor();
      await openChat(tab2, bob);

      // Chromium's offline emulation leaves open WebSockets alone, so the server goes away instead.
      const { port, dataDir } = web;
      await web.stop();
      for (const tab of [tab1, tab2]) await tab.getByText(/You are offline/).waitFor();
      await send(tab1, 'A, written in the first tab');
      await send(tab2, 'B, written in the second tab');
      for (const [tab, text] of [
        [tab1, 'A, written in the first tab'],
        [tab2, 'B, written in the second tab'],
      ] as const) {
        await messageRow(tab, text).getByRole('img', { name: 'Waiting for connection' }).waitFor();
      }
      await tab1.close();

      web = await startWebServer({ port, dataDir });
      const bodies = ['A, written in the first tab', 'B, written in the second tab'];
      // The second tab reconnects with backoff (up to 30 s), so allow a full cycle.
      await eventually(
        'both messages at the peer',
        () => received.filter((m) => m.senderId !== peer.user?.id).length >= 2,
        60_000,
      );
      assert.deepEqual(
        received.map((m) => m.body),
        bodies,
      );
      await messageRow(tab2, 'A, written in the first tab').waitFor();
      const history = await peer.history(received[0]!.conversationId);
      assert.deepEqual(
        history.messages.map((m) => m.body),
        bodies,
        'each stored once',
      );
      await context.close();
    } finally {
      peer.close();
    }
  });
});
