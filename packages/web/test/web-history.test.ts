/**
 * A long conversation: 10,000 messages stay fast (only a screenful of rows is ever in the page),
 * scrolling up loads history without moving what the reader is looking at, the chat opens at
 * the unread line, and messages arriving while reading history wait behind "N new messages".
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ParleyClient } from '@parley/client';
import {
  ensureBuilt,
  eventually,
  inView,
  launchBrowser,
  login,
  newPage,
  openChat,
  sdkUser,
  sendAll,
  startWebServer,
  uniqueName,
  type WebServer,
} from './support/harness.js';

const TOTAL = 10_000;
/** Far more than a screenful, far fewer than the conversation: proof the list is virtualized. */
const MAX_ROWS_IN_PAGE = 80;

const historyGate = { holding: false, held: [] as (() => void)[] };

function releaseHistory(): void {
  historyGate.holding = false;
  for (const send of historyGate.held.splice(0)) send();
}

describe('web client: long history', () => {
  let web: WebServer;
  let browser: Browser;
  let page: Page;
  let alice: ParleyClient;
  let conversationId: number;
  const aliceName = uniqueName('alice');
  const bobName = uniqueName('bob');

  before(async () => {
    ensureBuilt();
    // Seeding 10,000 messages from one user goes far past the default per-user send rate.
    web = await startWebServer({ config: { sendRate: 1_000_000, frameRate: 1_000_000 } });
    browser = await launchBrowser();
    alice = await sdkUser(web, aliceName);
    const bob = await sdkUser(web, bobName);
    conversationId = (await alice.openDirect(bobName)).info.id;
    const bodies = Array.from({ length: TOTAL }, (_, i) =>
      i % 9 === 0
        ? `Message ${i + 1}: a longer one, so that rows differ in height and wrap onto a second line in the bubble`
        : `Message ${i + 1}`,
    );
    for (let i = 0; i < TOTAL; i += 500)
      await sendAll(alice, conversationId, bodies.slice(i, i + 500));
    // Bob has read all but the last 30 before he opens the chat in the browser.
    await bob.markRead(conversationId, TOTAL - 30);
    bob.close();
    page = (await newPage(browser)).page;
    // Between the page and the server: lets a test hold back history pages, to look at the
    // screen while an older page is on its way and again once it has landed.
    await page.routeWebSocket(/\/ws$/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((frame) => server.send(frame));
      server.onMessage((frame) => {
        if (
          historyGate.holding &&
          typeof frame === 'string' &&
          frame.includes('"type":"history"')
        ) {
          historyGate.held.push(() => ws.send(frame));
        } else {
          ws.send(frame);
        }
      });
    });
    await login(page, web.url, bobName);
  });

  after(async () => {
    alice?.close();
    await browser?.close();
    await web?.dispose();
  });

  it('opens a 10,000-message chat at the unread line with only a screenful of rows in the page', async () => {
    await openChat(page, aliceName);
    const line = page.getByRole('separator', { name: 'Unread messages' });
    await line.waitFor();
    const logBox = (await page.getByRole('log').boundingBox())!;
    const lineBox = (await line.boundingBox())!;
    // The line sits near the top of the visible history, the first unread message below it.
    assert.ok(lineBox.y >= logBox.y && lineBox.y < logBox.y + 120, 'unread line near the top');
    assert.ok((await page.getByRole('log').getByRole('article').count()) <= MAX_ROWS_IN_PAGE);
    await eventually('the first unread message in view', () =>
      inView(page, `Message ${TOTAL - 29}`),
    );
  });

  it('shows "N new messages" while reading history, and jumps to them', async () => {
    await page.getByRole('log').evaluate((log) => log.scrollBy(0, -1500));
    await page.getByRole('button', { name: 'Jump to latest' }).waitFor();
    await sendAll(alice, conversationId, ['fresh one', 'fresh two']);
    const jump = page.getByRole('button', { name: '2 new messages' });
    await jump.waitFor();
    // Reading history is not interrupted: the new messages are below, out of view.
    assert.equal(await inView(page, 'fresh two'), false);
    await jump.click();
    await eventually('the new messages in view', () => inView(page, 'fresh two'));
    await eventually(
      'the jump button gone at the bottom',
      async () =>
        (await page.getByRole('button', { name: /new messages|Jump to latest/ }).count()) === 0,
    );
  });

  it('scrolls up through all 10,000 messages without jumps, keeping the page small', async () => {
    const log = page.getByRole('log');
    // What the reader looks at: the message in the middle of the view and where it is.
    const anchor = () =>
      log.evaluate((el) => {
        const view = el.getBoundingClientRect();
        const middle = view.top + view.height / 2;
        for (const a of el.querySelectorAll('[role="article"]')) {
          const box = a.getBoundingClientRect();
          if (box.top <= middle && box.bottom >= middle) {
            return { text: a.querySelector('.bubble-body')?.textContent ?? '', top: box.top };
          }
        }
        return null;
      });
    const topOf = (text: string) =>
      log.evaluate((el, t) => {
        for (const a of el.querySelectorAll('[role="article"]')) {
          if (a.querySelector('.bubble-body')?.textContent === t)
            return a.getBoundingClientRect().top;
        }
        return null;
      }, text);
    const rows = () => log.getByRole('article').count();
    const beginning = page.getByText(`This is the beginning of your chat with ${aliceName}.`);

    let steps = 0;
    let mostRows = 0;
    const jumps: string[] = [];
    const loading = page.getByRole('status').filter({ hasText: 'Loading earlier messages' });
    for (;;) {
      assert.ok(++steps <= 150, 'reached the beginning in at most 150 pages');
      // The reader scrolls to the top of what is loaded; the older page it asks for is held.
      historyGate.holding = true;
      await log.evaluate((el) => el.scrollTo({ top: 0 }));
      await loading.or(beginning).waitFor();
      if (await beginning.isVisible()) break;
      const before = await eventually('a message in the middle of the view', anchor);
      mostRows = Math.max(mostRows, await rows());
      releaseHistory();
      await eventually('the older page landed', async () => (await loading.count()) === 0);
      await page.evaluate(
        () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
      );
      const after = await topOf(before.text);
      if (after === null || Math.abs(after - before.top) > 2) {
        jumps.push(`${before.text}: ${before.top} -> ${after}`);
      }
      mostRows = Math.max(mostRows, await rows());
    }
    historyGate.holding = false;
    assert.deepEqual(jumps, []);
    assert.ok(mostRows <= MAX_ROWS_IN_PAGE, `at most ${MAX_ROWS_IN_PAGE} rows, saw ${mostRows}`);
    assert.ok(steps >= 90, `loaded the history page by page (${steps} pages)`);
    await eventually('the first messages in view', () => inView(page, 'Message 2'));
  });
});
