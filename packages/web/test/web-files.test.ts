/**
 * Images, files and voice messages in real Chromium against a real server: an image pasted from
 * the clipboard previews for the peer and opens full size, a dropped file downloads with the same
 * bytes, a large upload shows its progress and survives the network going away, and a recorded
 * voice message plays on the other side. The steps share one conversation, told in order.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  conversation,
  ensureBuilt,
  eventually,
  launchBrowser,
  newPage,
  openChat,
  register,
  startChat,
  startWebServer,
  uniqueName,
  type WebServer,
} from './support/harness.js';

/** The open chat's message rows (articles). */
function articles(page: Page) {
  return page.getByRole('log').getByRole('article');
}

describe('web client: images, files and voice messages', () => {
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
    a = await newPage(browser);
    b = await newPage(browser, { acceptDownloads: true });
    await register(a.page, web.url, alice);
    await register(b.page, web.url, bob);
    await startChat(a.page, bob);
  });

  after(async () => {
    await browser?.close();
    await web?.dispose();
  });

  it('sends a pasted image that the peer sees as a preview and opens full size', async () => {
    const input = a.page.getByRole('textbox', { name: 'Message' });
    await input.focus();
    // A PNG drawn in the page, pasted the way a screenshot is: a ClipboardEvent carrying a File.
    await a.page.evaluate(async () => {
      const canvas = new OffscreenCanvas(300, 200);
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#e11d48';
      g.fillRect(0, 0, 300, 200);
      g.fillStyle = '#2563eb';
      g.fillRect(100, 50, 100, 100);
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      const data = new DataTransfer();
      data.items.add(new File([blob], 'screenshot.png', { type: 'image/png' }));
      const textarea = document.querySelector('textarea')!;
      textarea.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    });
    // Alice's own message shows the preview too, once stored.
    await articles(a.page).getByRole('img', { name: 'Image: screenshot.png' }).waitFor();

    await eventually('the chat to appear for bob with the image preview', async () =>
      /\[Image\]/.test((await conversation(b.page, alice).getAttribute('aria-label')) ?? ''),
    );
    await openChat(b.page, alice);
    const preview = articles(b.page).getByRole('img', { name: 'Image: screenshot.png' });
    await preview.waitFor();
    await eventually('the preview to load', () =>
      preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    );
    // The space is reserved at the image's proportions (300x200 in at most 240 px).
    const box = await articles(b.page)
      .getByRole('button', { name: /Open screenshot.png/ })
      .boundingBox();
    assert.equal(Math.round(box!.width), 240);
    assert.equal(Math.round(box!.height), 160);

    await articles(b.page).getByRole('button', { name: 'Open screenshot.png full size' }).click();
    const viewer = b.page.getByRole('dialog', { name: 'screenshot.png' });
    const full = viewer.getByRole('img', { name: 'Image screenshot.png' });
    await eventually('the full image to load', () =>
      full.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 300),
    );
    await b.page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
  });

  it('sends a dropped file that the peer downloads with the same bytes', async () => {
    const sentHash = await a.page.evaluate(async () => {
      const bytes = new Uint8Array(300_000);
      for (let i = 0; i < bytes.length; i += 65_536) {
        crypto.getRandomValues(bytes.subarray(i, i + 65_536));
      }
      const data = new DataTransfer();
      data.items.add(
        new File([bytes], 'notes <img src=x onerror=alert(1)>.bin', {
          type: 'application/octet-stream',
        }),
      );
      const chat = document.querySelector('section.chat')!;
      for (const type of ['dragenter', 'dragover', 'drop']) {
        chat.dispatchEvent(
          new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }),
        );
      }
      const digest = await crypto.subtle.digest('SHA-256', bytes);
      return [...new Uint8Array(digest)].map((x) => x.toString(16).padStart(2, '0')).join('');
    });

    // The name is text, not markup, on both sides and in the list.
    const card = articles(b.page).filter({ hasText: 'notes <img src=x onerror=alert(1)>.bin' });
    await card.waitFor();
    assert.match((await card.textContent()) ?? '', /293 KB/);
    await eventually('the list preview to name the file', async () =>
      /\[File\] notes <img src=x onerror=alert\(1\)>\.bin/.test(
        (await conversation(b.page, alice).getAttribute('aria-label')) ?? '',
      ),
    );
    const [download] = await Promise.all([
      b.page.waitForEvent('download'),
      card.getByRole('button', { name: 'Download notes <img src=x onerror=alert(1)>.bin' }).click(),
    ]);
    assert.equal(
      download.suggestedFilename(),
      'notes <img src=x onerror=alert(1)>.bin'.replace(/[<>]/g, '_'),
    );
    const received = createHash('sha256')
      .update(readFileSync((await download.path())!))
      .digest('hex');
    assert.equal(received, sentHash);
  });

  it('shows the progress of a large upload and finishes it after the network comes back', async () => {
    const name = 'big-video.bin';
    // 20 MB picked with the attach button; a slow uplink keeps it under way long enough to cut.
    const cdp = await a.context.newCDPSession(a.page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 2 * 1024 * 1024,
    });
    const bytes = Buffer.alloc(20 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32LE((i * 2654435761) >>> 0, i);
    await a.page.locator('input[type=file]').setInputFiles({
      name,
      mimeType: 'application/octet-stream',
      buffer: bytes,
    });
    const bar = a.page.getByRole('progressbar', { name: `Uploading ${name}` });
    await eventually(
      'some progress',
      async () => Number(await bar.getAttribute('aria-valuenow')) > 0,
    );
    await cdp.send('Network.emulateNetworkConditions', {
      offline: true,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await a.page
      .getByRole('listitem', { name: `Uploading ${name}` })
      .getByText(/Waiting for the network/)
      .waitFor({ timeout: 30_000 });
    const stalledAt = Number(await bar.getAttribute('aria-valuenow'));
    assert.ok(stalledAt < 100, `stalled at ${stalledAt}%`);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    const card = articles(b.page).filter({ hasText: name });
    await card.waitFor({ timeout: 60_000 });
    assert.match((await card.textContent()) ?? '', /20\.0 MB/);
    await bar.waitFor({ state: 'detached' });
  });

  it('refuses a file over the limit before uploading it, and says the limit', async () => {
    // Over welcome.limits.maxUploadBytes (100 MB by default) without making 100 MB: a sparse Blob.
    await a.page.evaluate(() => {
      const huge = new File([new Uint8Array(101 * 1024 * 1024)], 'huge.iso');
      const data = new DataTransfer();
      data.items.add(huge);
      document
        .querySelector('section.chat')!
        .dispatchEvent(
          new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }),
        );
    });
    const row = a.page.getByRole('listitem', { name: 'Uploading huge.iso' });
    await row
      .getByRole('alert')
      .filter({ hasText: 'Too large: files up to 100 MB can be sent.' })
      .waitFor();
    await row.getByRole('button', { name: 'Dismiss' }).click();
    await row.waitFor({ state: 'detached' });
  });

  it('records a voice message that plays on the other side', async () => {
    await a.page.getByRole('button', { name: 'Record a voice message' }).click();
    const recording = a.page.getByRole('group', { name: /^Recording / });
    await recording.waitFor();
    // Record until the timer shows a second.
    await recording.getByText('0:01').waitFor({ timeout: 5_000 });
    await recording.getByRole('button', { name: 'Stop and send' }).click();

    const voice = articles(b.page).getByRole('group', { name: /^Voice message, 0:0[1-9]$/ });
    await voice.waitFor();
    await eventually('the list preview to say voice', async () =>
      /\[Voice\] 0:0[1-9]/.test(
        (await conversation(b.page, alice).getAttribute('aria-label')) ?? '',
      ),
    );
    await voice.getByRole('button', { name: /^Play voice message/ }).click();
    const audio = voice.locator('audio');
    await eventually('the recording to play', () =>
      audio.evaluate(
        (el: HTMLAudioElement) =>
          el.src.startsWith('blob:') && el.currentTime > 0 && !Number.isNaN(el.duration),
      ),
    );
    await voice.getByRole('button', { name: 'Pause voice message' }).waitFor();
  });
});
