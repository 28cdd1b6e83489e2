/**
 * The interface itself: both languages, both themes, the phone layout, the keyboard, contrast,
 * and the screenshots the README shows (saved to docs/screenshots/).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { contrastProblems } from './support/contrast.js';
import {
  PASSWORD,
  SCREENSHOT_DIR,
  conversation,
  ensureBuilt,
  eventually,
  launchBrowser,
  login,
  messageRow,
  newPage,
  openChat,
  sdkUser,
  send,
  sendAll,
  startChat,
  startWebServer,
  type WebServer,
} from './support/harness.js';
import { MAIN_PEER, ME, seedWorld } from './support/world.js';

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Let entrance animations and the caret settle.
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(SCREENSHOT_DIR, name) });
}

/** Dismisses the notification offer, as most people answer it once. */
async function notNow(page: Page, label = 'Not now'): Promise<void> {
  await page.getByRole('button', { name: label }).click();
}

describe('web client: interface', () => {
  let web: WebServer;
  let browser: Browser;

  before(async () => {
    ensureBuilt();
    web = await startWebServer();
    await seedWorld(web);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await web?.dispose();
  });

  it('shows the chats in a QQ-style desktop layout, with readable contrast', async () => {
    const { page } = await newPage(browser, { colorScheme: 'light' });
    await page.goto(web.url);
    assert.deepEqual(await contrastProblems(page), [], 'login screen contrast');
    await login(page, web.url, ME);
    await notNow(page);
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    await eventually('the unread counts', async () =>
      /2 unread/.test((await conversation(page, MAIN_PEER).getAttribute('aria-label')) ?? ''),
    );
    assert.match(
      (await conversation(page, 'mei_lin').getAttribute('aria-label')) ?? '',
      /1 unread/,
    );
    assert.equal(await page.title(), '(3) Parley');
    await openChat(page, MAIN_PEER);
    await page.getByRole('separator', { name: 'Unread messages' }).waitFor();
    await page.getByRole('separator', { name: 'Today' }).waitFor();
    await messageRow(page, 'OK 👍').getByRole('img', { name: 'Read' }).waitFor();
    assert.deepEqual(await contrastProblems(page), [], 'chat contrast (light)');
    await screenshot(page, 'desktop-light.png');
    await page.context().close();
  });

  it('follows a dark system theme, and the person can switch and keep it', async () => {
    const { page, context } = await newPage(browser, { colorScheme: 'dark' });
    await login(page, web.url, ME);
    await notNow(page);
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    assert.equal(await theme(), 'dark');
    await openChat(page, MAIN_PEER);
    await messageRow(page, '🍜🥟').waitFor();
    assert.deepEqual(await contrastProblems(page), [], 'chat contrast (dark)');
    await page.getByRole('textbox', { name: 'Message' }).fill('Sure, 12:30 works ');
    await page.getByRole('button', { name: 'Emoji' }).click();
    const picker = page.getByRole('dialog', { name: 'Emoji picker' });
    await picker.getByRole('tab', { name: 'Food' }).click();
    await picker.getByRole('button', { name: '🍜' }).hover();
    await screenshot(page, 'desktop-dark.png');
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    assert.deepEqual(await contrastProblems(page), [], 'settings contrast (dark)');
    await settings.getByRole('radio', { name: 'Light' }).check({ force: true });
    assert.equal(await theme(), 'light');
    await page.keyboard.press('Escape');
    await page.reload();
    await page.getByRole('heading', { name: 'Chats' }).waitFor();
    assert.equal(await theme(), 'light');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    assert.equal(await theme(), 'dark');
    await context.close();
  });

  it('shows the interface in Simplified Chinese for a Chinese browser, with dates in Chinese', async () => {
    const { page, context } = await newPage(browser, { locale: 'zh-CN' });
    await page.goto(web.url);
    await page.getByRole('tab', { name: '注册' }).waitFor();
    await page.getByLabel('用户名').fill(ME);
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '消息' }).waitFor();
    await notNow(page, '暂不');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.match(
      (await conversation(page, 'mei_lin').getAttribute('aria-label')) ?? '',
      /1 条未读/,
    );
    await conversation(page, 'mei_lin').click();
    await page.getByRole('log', { name: '与 mei_lin 的消息' }).waitFor();
    await page.getByRole('separator', { name: '以下为新消息' }).waitFor();
    await page.getByRole('separator', { name: '今天' }).waitFor();
    await conversation(page, MAIN_PEER).click();
    await page.getByRole('log', { name: `与 ${MAIN_PEER} 的消息` }).waitFor();
    await page.getByRole('textbox', { name: '消息' }).fill('好的，十二点半见 👌');

    // Apart from names and what people wrote, nothing on screen is left in English.
    const english = await page.evaluate(
      (names) => {
        // What people wrote and the emoji picker's emoji are not interface text.
        const skip = ['[role="article"]', '.conversation-preview', 'noscript'];
        const words: string[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const parent = node.parentElement;
          if (!parent || skip.some((s) => parent.closest(s))) continue;
          let text = node.textContent ?? '';
          for (const name of names) text = text.split(name).join(' ');
          words.push(...text.split(/[^A-Za-z]+/).filter((w) => w.length > 2));
        }
        return words.filter((w) => !['Parley', 'Enter', 'Shift'].includes(w));
      },
      [ME, MAIN_PEER, 'mei_lin', 'sophie', 'alex.chen', 'oskar'],
    );
    assert.deepEqual(english, []);
    await screenshot(page, 'zh-cn.png');

    await page.getByRole('button', { name: '设置' }).click();
    await page
      .getByRole('dialog', { name: '设置' })
      .getByRole('radio', { name: 'English' })
      .check({ force: true });
    await page.getByRole('heading', { name: 'Chats' }).waitFor();
    await page.getByRole('separator', { name: 'Today' }).waitFor();
    await context.close();
  });

  it('works in one column on a phone (390x844)', async () => {
    const { page, context } = await newPage(browser, {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await login(page, web.url, ME);
    await notNow(page);
    assert.equal(
      await page.getByRole('navigation', { name: 'Main navigation' }).isVisible(),
      false,
    );
    await openChat(page, MAIN_PEER);
    assert.equal(await page.getByRole('listbox', { name: 'Conversations' }).isVisible(), false);
    await send(page, 'On my way 🚇');
    await messageRow(page, 'On my way 🚇')
      .getByRole('img', { name: /Sent|Read/ })
      .waitFor();
    await page.getByRole('button', { name: 'Emoji' }).click();
    await page
      .getByRole('dialog', { name: 'Emoji picker' })
      .getByRole('button', { name: '😄' })
      .click();
    // The pick lands in the composer, at the cursor; Escape closes the picker.
    assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), '😄');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Emoji picker' }).waitFor({ state: 'detached' });
    await page.getByRole('textbox', { name: 'Message' }).fill('');
    await screenshot(page, 'mobile.png');
    await page.getByRole('button', { name: 'Back to chats' }).click();
    await page.getByRole('listbox', { name: 'Conversations' }).waitFor();
    assert.match(
      (await conversation(page, MAIN_PEER).getAttribute('aria-label')) ?? '',
      /On my way/,
    );
    await context.close();
  });

  it('fits the longest possible usernames on a phone', async () => {
    const longest = `w${'m'.repeat(31)}`;
    const mine = `q${'m'.repeat(31)}`;
    (await sdkUser(web, longest)).close();
    (await sdkUser(web, mine)).close();
    const { page, context } = await newPage(browser, {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await login(page, web.url, mine);
    await notNow(page);
    await page.getByRole('button', { name: `Account: ${mine}` }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByText(`Signed in as ${mine}`).waitFor();
    const panel = await settings.evaluate((el) => {
      const inner = el.firstElementChild as HTMLElement;
      return { content: inner.scrollWidth, shown: inner.clientWidth };
    });
    assert.ok(panel.content <= panel.shown, `settings scroll sideways: ${JSON.stringify(panel)}`);
    await settings.getByRole('button', { name: 'Close' }).click();
    await startChat(page, longest);
    const log = page.getByRole('log', { name: `Messages with ${longest}` });
    await log.getByText(longest, { exact: true }).waitFor();
    // The name wraps inside the history instead of running off both edges of the screen.
    const widths = await log.evaluate((el) => ({ content: el.scrollWidth, shown: el.clientWidth }));
    assert.ok(
      widths.content <= widths.shown,
      `history scrolls sideways: ${JSON.stringify(widths)}`,
    );
    // "Message wmmm…" stays one line: the empty composer is not a tall box.
    const input = await page.getByRole('textbox', { name: 'Message' }).boundingBox();
    assert.ok(input && input.height < 50, `composer height ${input?.height}`);
    await context.close();
  });

  it('can be used with the keyboard alone, with a visible focus', async () => {
    const { page, context } = await newPage(browser);
    await login(page, web.url, ME);
    await notNow(page);
    await page.getByRole('searchbox', { name: 'Search chats' }).focus();
    await page.keyboard.press('Tab');
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return {
          role: el.getAttribute('role'),
          name: el.getAttribute('aria-label') ?? el.textContent ?? '',
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        };
      });
    const first = await focused();
    assert.equal(first.role, 'option');
    assert.ok(first.outline, 'the focused conversation shows a focus ring');
    await page.keyboard.press('ArrowDown');
    const second = await focused();
    assert.equal(second.role, 'option');
    assert.notEqual(second.name, first.name);
    await page.keyboard.press('Enter');
    const peer = second.name.split(',')[0]!;
    await page.getByRole('log', { name: `Messages with ${peer}` }).waitFor();
    // Opening a chat puts the cursor in the composer: type, Shift+Enter, type, Enter.
    await page.keyboard.type('first line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    await page.keyboard.press('Enter');
    await messageRow(page, 'second line').waitFor();
    assert.match(await messageRow(page, 'second line').innerText(), /first line\nsecond line/);

    // "New chat" from the keyboard: the dialog opens with the cursor in its field, so typing a
    // name and pressing Enter starts the chat (and does not press the dialog's close button).
    await page.getByRole('button', { name: 'New chat' }).first().focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'New chat' }).waitFor();
    await page.keyboard.type('oskar');
    await page.keyboard.press('Enter');
    await page.getByRole('log', { name: 'Messages with oskar' }).waitFor();

    // The emoji grid is one Tab stop: arrows move inside it, Tab leaves it, Shift+Tab returns to
    // the emoji last chosen.
    await page.getByRole('button', { name: 'Emoji', exact: true }).focus();
    await page.keyboard.press('Enter');
    const picker = page.getByRole('dialog', { name: 'Emoji picker' });
    await picker.waitFor();
    await page.keyboard.press('ArrowRight');
    const inPicker = () => picker.evaluate((el) => el.contains(document.activeElement));
    const chosen = await picker.evaluate((el) => el.ownerDocument.activeElement?.textContent);
    await page.keyboard.press('Tab');
    assert.equal(await inPicker(), false, 'Tab leaves the emoji grid');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), chosen);
    // Choosing puts the cursor back in the message on the next frame: wait for it, or it could
    // take the focus from the tab below between the focus and the key.
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('aria-label') === 'Message',
    );
    // The category tabs: the arrow keys move the selection and the focus together.
    await page.getByRole('tab', { name: 'Smileys' }).focus();
    await page.keyboard.press('ArrowRight');
    const people = page.getByRole('tab', { name: 'People' });
    assert.equal(await people.getAttribute('aria-selected'), 'true');
    assert.ok(await people.evaluate((el) => el === document.activeElement), 'focus moves along');
    await context.close();
  });

  it('asks before notifying, then notifies of messages that arrive while the tab is hidden', async () => {
    const { page, context } = await newPage(browser);
    // Headless Chromium shows no notifications: record what the page asks the browser for.
    await context.addInitScript(() => {
      const shown: { title: string; body: string }[] = [];
      class RecordingNotification {
        static permission: NotificationPermission = 'default';
        static requestPermission() {
          RecordingNotification.permission = 'granted';
          return Promise.resolve('granted' as const);
        }
        onclick: (() => void) | null = null;
        constructor(title: string, options: { body?: string } = {}) {
          shown.push({ title, body: options.body ?? '' });
        }
        close() {}
      }
      Object.assign(window, { Notification: RecordingNotification, shownNotifications: shown });
    });
    await login(page, web.url, ME);
    // Nothing is asked of the browser until the person says yes.
    await page.getByRole('region', { name: 'Notifications' }).waitFor();
    assert.equal(await page.evaluate(() => Notification.permission), 'default');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('region', { name: 'Notifications' }).waitFor({ state: 'detached' });

    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const sophie = await sdkUser(web, 'sophie', 'login');
    try {
      const chat = (await sophie.openDirect(ME)).info.id;
      await sendAll(sophie, chat, ['Are you coming to the demo?']);
    } finally {
      sophie.close();
    }
    const shown = await eventually('a notification', async () => {
      const list = await page.evaluate(
        () =>
          (window as unknown as { shownNotifications: { title: string; body: string }[] })
            .shownNotifications,
      );
      return list.length > 0 && list;
    });
    assert.deepEqual(shown, [{ title: 'sophie', body: 'Are you coming to the demo?' }]);
    await eventually('the unread count in the tab title', async () =>
      /^\(\d+\) Parley$/.test(await page.title()),
    );
    await context.close();
  });
});
