/**
 * The SDK's files side against a real server: upload with progress, pause, resume and cancel, a
 * broken connection that the upload survives by itself, sending a file as a message, and
 * downloads to disk that resume with Range.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ParleyClient } from '../src/index.js';
import { downloadToFile, fileSource } from '../src/node/index.js';
import { nextEvent, registered, startTestServer, type TestServer } from './support/sdk.js';
import { tcpProxy } from './support/tcp-proxy.js';

const MB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function tempFile(bytes: Buffer, name = 'data.bin'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'parley-sdk-file-')), name);
  writeFileSync(path, bytes);
  return path;
}

function uploadsLeft(server: TestServer): string[] {
  const dir = join(server.config.dataDir, 'uploads');
  return existsSync(dir) ? readdirSync(dir) : [];
}

async function chat(server: TestServer, options = {}) {
  const alice = await registered(server.wsUrl, options);
  const bob = await registered(server.wsUrl);
  const conversation = await alice.openDirect(bob.user!.username);
  return { alice, bob, conversationId: conversation.info.id };
}

describe('SDK files', () => {
  let server: TestServer;
  const clients: ParleyClient[] = [];
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.dispose();
  });

  it('uploads with progress, sends the file as a message, and the peer downloads the same bytes', async () => {
    const { alice, bob, conversationId } = await chat(server);
    clients.push(alice, bob);
    const bytes = randomBytes(3 * MB);
    const progress: number[] = [];
    const received = nextEvent(bob, 'message', ({ message }) => message.attachment !== undefined);
    const { upload, message } = alice.files.sendFile(
      conversationId,
      await fileSource(tempFile(bytes, 'report.bin')),
      {
        body: 'the report',
        chunkSize: MB,
      },
    );
    upload.on('progress', ({ sent }) => progress.push(sent));
    const entry = await message;
    assert.equal(entry.status, 'sent');
    assert.equal(upload.status, 'done');
    assert.deepEqual(progress.at(-1), bytes.length);
    assert.ok(progress.length >= 3, 'progress reported per chunk');
    const { message: got } = await received;
    assert.equal(got.body, 'the report');
    assert.equal(got.attachment?.name, 'report.bin');
    assert.equal(got.attachment?.size, bytes.length);
    assert.equal(got.attachment?.kind, 'file');
    const target = join(mkdtempSync(join(tmpdir(), 'parley-dl-')), 'report.bin');
    await downloadToFile(bob.files, got.attachment!.fileId, target);
    assert.equal(sha256(readFileSync(target)), sha256(bytes));
    const blob = await bob.files.downloadFile(got.attachment!.fileId);
    assert.equal(blob.size, bytes.length);
  });

  it('pauses and resumes an upload from what the server has, and cancels one leaving nothing', async () => {
    const { alice, bob } = await chat(server);
    clients.push(alice, bob);
    const bytes = randomBytes(8 * MB);
    const upload = alice.files.upload(await fileSource(tempFile(bytes)), { chunkSize: MB });
    await new Promise<void>((resolve) => {
      const off = upload.on('progress', ({ sent }) => {
        if (sent >= 2 * MB) {
          off();
          upload.pause();
          resolve();
        }
      });
    });
    assert.equal(upload.status, 'paused');
    const pausedAt = upload.sent;
    assert.ok(pausedAt < bytes.length);
    const resumedFrom = new Promise<number>((resolve) => {
      const off = upload.on('progress', ({ sent }) => {
        off();
        resolve(sent);
      });
    });
    upload.resume();
    assert.ok((await resumedFrom) > MB, 'did not start over');
    const file = await upload.done;
    assert.equal(file.size, bytes.length);
    const back = await alice.files.downloadFile(file.fileId);
    assert.equal(sha256(Buffer.from(await back.arrayBuffer())), sha256(bytes));

    const doomed = alice.files.upload(randomBytes(4 * MB), { chunkSize: MB });
    await new Promise<void>((resolve) => {
      const off = doomed.on('progress', () => {
        off();
        resolve();
      });
    });
    await doomed.cancel();
    await assert.rejects(doomed.done, { code: 'cancelled' });
    assert.equal(doomed.status, 'cancelled');
    assert.deepEqual(uploadsLeft(server), []);
  });

  it('continues an upload by itself after the connection breaks, and a download after a break', async () => {
    const proxy = await tcpProxy(server.httpUrl);
    try {
      const { alice, bob, conversationId } = await chat(server, {
        httpUrl: proxy.url,
        uploadRetryDelaysMs: [0, 50, 100, 200],
      });
      clients.push(alice, bob);
      const bytes = randomBytes(16 * MB);
      const statuses: string[] = [];
      const { upload, message } = alice.files.sendFile(conversationId, bytes, { name: 'big.bin' });
      upload.on('status', ({ status }) => statuses.push(status));
      let cut = false;
      upload.on('progress', ({ sent, total }) => {
        if (!cut && sent >= total / 2) {
          cut = true;
          proxy.cutAll();
        }
      });
      const entry = await message;
      assert.ok(cut, 'the connection was cut');
      assert.equal(entry.status, 'sent');
      const file = upload.file!;
      assert.equal(file.size, bytes.length);

      // The download breaks too, and continues from what was saved.
      const target = join(mkdtempSync(join(tmpdir(), 'parley-dl-')), 'big.bin');
      let cutDownload = false;
      await downloadToFile(alice.files, file.fileId, target, {
        onProgress(received) {
          if (!cutDownload && received >= bytes.length / 2) {
            cutDownload = true;
            proxy.cutAll();
          }
        },
      });
      assert.ok(cutDownload, 'the download was cut');
      assert.equal(sha256(readFileSync(target)), sha256(bytes));
      assert.equal(existsSync(`${target}.part`), false);
    } finally {
      await proxy.close();
    }
  });

  it('refuses an upload over the limit before sending it, and a download of a file not shared with the user', async () => {
    const small = await startTestServer({ maxUploadBytes: MB });
    try {
      const { alice, bob } = await chat(small);
      clients.push(alice, bob);
      const upload = alice.files.upload(randomBytes(MB + 1));
      await assert.rejects(upload.done, { code: 'too_large' });
      assert.equal(upload.status, 'failed');
      const mine = await alice.files.upload(randomBytes(100)).done;
      await assert.rejects(bob.files.downloadFile(mine.fileId), { code: 'forbidden' });
      await assert.rejects(bob.files.downloadFile('no-such-file'), { code: 'forbidden' });
    } finally {
      await small.dispose();
    }
  });
});
