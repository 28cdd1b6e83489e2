/**
 * Message search in real Chromium: alice types into the list's search box and finds a Chinese
 * message by one character and by two, and an English one by the start of a word, each with its
 * chat's name and the match highlighted; nothing from a chat she is not in; choosing a result
 * opens that chat. Then the same in the Chinese interface. The steps build on each other.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ParleyClient } from '@parley/client';
import {
  ensureBuilt,
  launchBrowser,
  newPage,
  PASSWORD,
  register,
  sdkUser,
  sendAll,
  startWebServer,
  uniqueName,
  type WebServer,
} from './support/harness.js';

describe('web client: message search', () => {
  let web: WebServer;
  let browser: Browser;
  const alice = uniqueName('alice');
  const bob = uniqueName('bob');
  const carol = uniqueName('carol');
  let a: { context: BrowserContext; page: Page };
  const seeded: ParleyClient[] = [];

  before(async () => {
    ensureBuilt();
    web = await startWebServer();
    browser = await launchBrowser();
  });
  after(async () => {
    for (const client of seeded) client.close();
    await browser?.close();
    await web?.dispose();
  });

  const results = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

  it('finds Chinese by one and two characters, highlighted, only in her own chats', async () => {
    a = await newPage(browser);
    await register(a.page, web.url, alice);
    const b = await sdkUser(web, bob);
    const c = await sdkUser(web, carol);
    const d = await sdkUser(web, uniqueName('dave'));
    seeded.push(b, c, d);
    await sendAll(b, (await b.openDirect(alice)).info.id, ['我们明天去北京吧']);
    await sendAll(c, (await c.openDirect(alice)).info.id, ['See you at the Station at eight']);
    // Carol and dave's chat: alice is not in it.
    await sendAll(d, (await d.openDirect(carol)).info.id, ['北京烤鸭 station']);

    const box = a.page.getByRole('searchbox', { name: 'Search chats and messages' });
    await box.fill('京');
    const found = results(a.page, 'Messages').getByRole('button');
    await found.filter({ hasText: '我们明天去北京吧' }).waitFor();
    assert.equal(await found.count(), 1, 'nothing from a chat alice is not in');
    assert.match((await found.first().textContent()) ?? '', new RegExp(bob));
    assert.deepEqual(await found.first().locator('mark').allTextContents(), ['京']);

    await box.fill('北京');
    await found.first().locator('mark', { hasText: '北京' }).waitFor();
    assert.equal(await found.count(), 1);
  });

  it('opens the chat of the result chosen', async () => {
    await results(a.page, 'Messages').getByRole('button').first().click();
    await a.page.getByRole('log', { name: `Messages with ${bob}` }).waitFor();
    await a.page.getByRole('log').getByText('我们明天去北京吧').waitFor();
  });

  it('finds English words by their start, case-insensitively', async () => {
    const box = a.page.getByRole('searchbox', { name: 'Search chats and messages' });
    await box.fill('stat');
    const found = results(a.page, 'Messages').getByRole('button');
    await found.filter({ hasText: 'See you at the Station at eight' }).waitFor();
    assert.equal(await found.count(), 1);
    assert.match((await found.first().textContent()) ?? '', new RegExp(carol));
    await box.fill('airport');
    await results(a.page, 'Messages').getByText('No messages found.').waitFor();
    await box.fill('Station');
    await found.first().click();
    await a.page.getByRole('log', { name: `Messages with ${carol}` }).waitFor();
  });

  it('searches in the Chinese interface too', async () => {
    const zh = await newPage(browser, { locale: 'zh-CN' });
    await zh.page.goto(web.url);
    await zh.page.getByLabel('用户名').fill(alice);
    await zh.page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await zh.page.getByRole('button', { name: '登录' }).click();
    await zh.page.getByRole('heading', { name: '消息' }).waitFor();
    const box = zh.page.getByRole('searchbox', { name: '搜索会话和聊天记录' });
    await box.fill('北京');
    const found = results(zh.page, '聊天记录').getByRole('button');
    await found.filter({ hasText: '我们明天去北京吧' }).waitFor();
    assert.equal(await found.count(), 1);
    await zh.context.close();
  });
});
