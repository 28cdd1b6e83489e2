/**
 * The page may talk only to its own server (CSP connect-src 'self'): in real Chromium a
 * WebSocket to the same origin opens, and one to another server is refused by the browser even
 * when that server would accept it. A script injected into the page could not send what it
 * reads anywhere else.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  ensureBuilt,
  launchBrowser,
  newPage,
  register,
  startWebServer,
  uniqueName,
  type WebServer,
} from './support/harness.js';

/** What became of a WebSocket the page opened to `url`. */
const OPEN_SOCKET = (url: string) =>
  new Promise<string>((resolve) => {
    document.addEventListener(
      'securitypolicyviolation',
      (event) => resolve(`refused by ${event.effectiveDirective}`),
      { once: true },
    );
    try {
      const socket = new WebSocket(url);
      socket.onopen = () => {
        socket.close();
        resolve('opened');
      };
      socket.onerror = () => resolve('failed');
    } catch (error) {
      resolve(`refused: ${String(error)}`);
    }
  });

describe('web client: connections only to its own server', () => {
  let web: WebServer;
  let other: WebServer;
  let browser: Browser;

  before(async () => {
    ensureBuilt();
    web = await startWebServer();
    // The other server would let this page's origin in: only the browser's policy stops it.
    other = await startWebServer({ config: { allowedOrigins: web.url } });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await web?.dispose();
    await other?.dispose();
  });

  it('opens its own WebSocket and is refused one to another server', async () => {
    const { page } = await newPage(browser);
    await register(page, web.url, uniqueName('csp'));
    assert.equal(await page.evaluate(OPEN_SOCKET, web.server.wsUrl), 'opened');
    assert.match(await page.evaluate(OPEN_SOCKET, other.server.wsUrl), /^refused/);
  });
});
