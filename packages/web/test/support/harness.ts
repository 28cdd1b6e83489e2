/**
 * What the browser tests share: the built client (built here when missing or older than its
 * sources), a real server serving it, one headless Chromium, and helpers that drive the page the
 * way a person does, by role and accessible name.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ParleyClient, type OutboxEntry } from '@parley/client';
import { nodeWebSocketTransport } from '@parley/client/node';
import { startServer, type ConfigInput, type RunningServer } from '@parley/server';

const WEB_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const WEB_DIR = join(WEB_ROOT, 'dist');
/**
 * Where the interface tests save their screenshots: test-results/screenshots/ (ignored by git),
 * or docs/screenshots/, which the README shows, with PARLEY_UPDATE_SCREENSHOTS=1. The kept ones
 * were taken with the Noto CJK and Noto Color Emoji fonts installed.
 */
export const SCREENSHOT_DIR = fileURLToPath(
  new URL(
    process.env.PARLEY_UPDATE_SCREENSHOTS === '1'
      ? '../../../../docs/screenshots'
      : '../../../../test-results/screenshots',
    import.meta.url,
  ),
);
export const PASSWORD = 'correct horse battery';

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/** Builds the client with Vite unless dist/ is newer than every source it is built from. */
export function ensureBuilt(): void {
  const index = join(WEB_DIR, 'index.html');
  const sources = [
    join(WEB_ROOT, 'src'),
    join(WEB_ROOT, 'index.html'),
    join(WEB_ROOT, 'vite.config.ts'),
    join(WEB_ROOT, '..', 'client', 'src'),
    join(WEB_ROOT, '..', 'protocol', 'src'),
  ];
  const newest = Math.max(...sources.map(newestMtime));
  if (existsSync(index) && statSync(index).mtimeMs >= newest) return;
  const vite = join(
    dirname(createRequire(import.meta.url).resolve('vite/package.json')),
    'bin',
    'vite.js',
  );
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: WEB_ROOT,
    stdio: 'inherit',
    // The test runner sets NODE_ENV=test, which would give React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error('vite build failed');
}

export interface WebServer {
  server: RunningServer;
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
  /** Stops the server and removes its data directory. */
  dispose(): Promise<void>;
}

/** A real server on loopback with a fresh SQLite file (or the given one), serving the client. */
export async function startWebServer(
  options: { dataDir?: string; port?: number; config?: ConfigInput } = {},
): Promise<WebServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'parley-web-test-'));
  const server = await startServer({
    host: '127.0.0.1',
    port: options.port ?? 0,
    tcpPort: 0,
    metricsPort: 0,
    logLevel: 'silent',
    webDir: WEB_DIR,
    // Tests register many users from 127.0.0.1.
    registrationsPerIp: 0,
    // The tests written before friends chat between strangers; the friends tests set their own.
    directMessages: 'everyone',
    ...options.config,
    dataDir,
  });
  const port = Number(new URL(server.httpUrl).port);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop();
  };
  return {
    server,
    url: server.httpUrl,
    port,
    dataDir,
    stop,
    async dispose() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Voice messages: a fake microphone (a tone) and no permission prompt to answer.
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  });
}

let counter = 0;
/** A username no other test of this run uses (the server's rules: a-z, digits, _ . -). */
export function uniqueName(prefix: string): string {
  return `${prefix}${(process.pid % 10_000).toString(36)}${(++counter).toString(36)}`;
}

/** Polls `check` until it returns true (or a value), failing with `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | false | null | undefined> | T | false | null | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for: ${what}${last ? ` (last error: ${String(last)})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function newPage(
  browser: Browser,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  // Fail fast: nothing a person does here should take seconds, except reconnects (polled).
  context.setDefaultTimeout(10_000);
  // tsx compiles test functions with esbuild's keepNames, which wraps them in a `__name` helper;
  // functions handed to page.evaluate need it in the page too.
  await context.addInitScript('globalThis.__name = (target) => target;');
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    // A script error in the client is a bug: make it visible in the test output.
    console.error(`page error: ${error.message}`);
  });
  return { context, page };
}

/** Opens the client and creates an account through the registration form. */
export async function register(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('tab', { name: 'Create account' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Chats' }).waitFor();
}

/** Opens the client and logs in through the login form. */
export async function login(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Chats' }).waitFor();
}

/** Starts (or reopens) the one-to-one chat with `username` from the "New chat" dialog. */
export async function startChat(page: Page, username: string): Promise<void> {
  await page.getByRole('button', { name: 'New chat' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New chat' });
  await dialog.getByLabel('Username').fill(username);
  await dialog.getByRole('button', { name: 'Start chat' }).click();
  await page.getByRole('log', { name: `Messages with ${username}` }).waitFor();
}

/** Opens an existing conversation from the list. */
export async function openChat(page: Page, username: string): Promise<void> {
  await conversation(page, username).click();
  await page.getByRole('log', { name: `Messages with ${username}` }).waitFor();
}

/** The conversation list entry for `username`. */
export function conversation(page: Page, username: string) {
  return page.getByRole('option', { name: new RegExp(`^${escapeRegExp(username)},`) });
}

/** Types into the composer and presses Enter. */
export async function send(page: Page, text: string): Promise<void> {
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill(text);
  await input.press('Enter');
}

/** The message bodies shown in the open chat, top to bottom (only the rendered ones). */
export async function shownMessages(page: Page): Promise<string[]> {
  return page
    .getByRole('log')
    .getByRole('article')
    .evaluateAll((articles) =>
      articles
        .map((a) => ({
          top: a.getBoundingClientRect().top,
          text: a.querySelector('.bubble-body')?.textContent ?? '',
        }))
        .sort((x, y) => x.top - y.top)
        .map((a) => a.text),
    );
}

/** The message row (article) in the open chat whose text is exactly `text`. */
export function messageRow(page: Page, text: string) {
  return page.getByRole('log').getByRole('article').filter({ hasText: text });
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A person driven from Node through the SDK, to set up conversations quickly. */
export async function sdkUser(
  web: WebServer,
  username: string,
  how: 'register' | 'login' = 'register',
): Promise<ParleyClient> {
  const client = new ParleyClient({
    url: web.server.wsUrl,
    transport: nodeWebSocketTransport(),
    device: 'test seed',
  });
  await client.connect();
  if (how === 'register') await client.register(username, PASSWORD);
  else await client.login(username, PASSWORD);
  return client;
}

/** Sends `bodies` in order and resolves once the server has stored every one. */
export function sendAll(
  client: ParleyClient,
  conversationId: number,
  bodies: string[],
): Promise<void> {
  const waiting = new Set<string>();
  return new Promise((resolve, reject) => {
    const off = client.on('outbox', ({ entry }: { entry: OutboxEntry }) => {
      if (entry.status === 'failed') {
        off();
        reject(new Error(`send failed: ${entry.error.code}`));
      } else if (
        entry.status === 'sent' &&
        waiting.delete(entry.clientMsgId) &&
        waiting.size === 0
      ) {
        off();
        resolve();
      }
    });
    for (const body of bodies) waiting.add(client.send(conversationId, body).clientMsgId);
  });
}

/** True when the element is inside the visible part of the open chat's history. */
export async function inView(page: Page, text: string): Promise<boolean> {
  const log = await page.getByRole('log').boundingBox();
  const row = page.getByRole('log').getByText(text, { exact: true });
  if (!log || (await row.count()) === 0) return false;
  const box = await row.first().boundingBox();
  return box !== null && box.y + box.height > log.y && box.y < log.y + log.height;
}
