/**
 * Files end to end on a real server: resumable uploads over tus, downloads with Range, the size
 * limit, who may read a file, safe types, image cleaning and thumbnails, storage by content.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { startTestServer, tempDir, type TestServer } from './support/server.js';
import {
  connectUserV,
  http,
  sha256,
  sha256OfPath,
  testImage,
  Tus,
  bearer,
} from './support/http-files.js';

const MB = 1024 * 1024;

/** Regular files under `dir`, recursively ([] when it does not exist). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function randomFile(size: number): Promise<string> {
  const path = join(tempDir('parley-upload-src-'), 'big.bin');
  const out = createWriteStream(path);
  for (let written = 0; written < size; written += MB) {
    if (!out.write(randomBytes(Math.min(MB, size - written)))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}

describe('files', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ maxUploadBytes: 60 * MB });
  });
  after(() => server.dispose());

  /** Two users (v3) with a direct conversation, and a third who is in none of it. */
  async function chat() {
    const alice = await connectUserV(server.wsUrl, 3);
    const bob = await connectUserV(server.wsUrl, 3);
    const eve = await connectUserV(server.wsUrl, 3);
    const opened = await alice.client.expect('conversation', {
      type: 'open_direct',
      username: bob.username,
    });
    return {
      alice: { ...alice, tus: new Tus(server.httpUrl, alice.token) },
      bob: { ...bob, tus: new Tus(server.httpUrl, bob.token) },
      eve: { ...eve, tus: new Tus(server.httpUrl, eve.token) },
      conversationId: opened.conversation.info.id,
      close() {
        for (const c of [alice, bob, eve]) c.client.close();
      },
    };
  }

  it('resumes a 50 MB upload cut at half, and a download cut part-way resumes with Range to the same bytes', async () => {
    const c = await chat();
    const size = 50 * MB;
    const source = await randomFile(size);
    const url = await c.alice.tus.start(size, 'big.bin');
    const cut = await c.alice.tus.patch(url, 0, createReadStream(source), {
      headers: { 'content-length': size },
      cutAfter: size / 2,
    });
    assert.equal(cut, null, 'the first PATCH was cut');
    // The server may not have written the last bytes before the cut yet: ask until it settles.
    let offset = 0;
    await waitFor(async () => {
      const now = await c.alice.tus.offset(url);
      const settled = now === offset && now > 0;
      offset = now;
      return settled;
    }, 'the offset to settle');
    assert.ok(offset > 0 && offset <= size / 2, `resumes from ${offset}`);
    const rest = await c.alice.tus.patch(url, offset, createReadStream(source, { start: offset }), {
      headers: { 'content-length': size - offset },
    });
    assert.equal(rest?.status, 204);
    const file = await c.alice.tus.file(url);
    assert.equal(file.size, size);
    assert.equal(file.media, 'file');

    await c.alice.client.expect('sent', {
      type: 'send',
      conversationId: c.conversationId,
      clientMsgId: 'big-1',
      body: '',
      attachment: { fileId: file.fileId },
    });
    // Bob downloads, the connection breaks part-way, he resumes from what he has with Range.
    const first = await c.bob.tus.download(file.fileId, { range: 'bytes=0-20971519' });
    assert.equal(first.status, 206);
    assert.equal(first.body.length, 20 * MB);
    const etag = String(first.headers.etag);
    const second = await c.bob.tus.download(file.fileId, {
      range: `bytes=${first.body.length}-`,
      'if-range': etag,
    });
    assert.equal(second.status, 206);
    assert.equal(second.headers['content-range'], `bytes ${20 * MB}-${size - 1}/${size}`);
    assert.equal(sha256(Buffer.concat([first.body, second.body])), await sha256OfPath(source));
    assert.deepEqual(
      filesUnder(join(server.dataDir, 'uploads')),
      [],
      'the upload left the uploads directory',
    );
    c.close();
  });

  it('refuses an upload declared over the limit before it starts, and one sending more than it declared while it streams, leaving nothing', async () => {
    const c = await chat();
    const declared = await c.alice.tus.create(60 * MB + 1);
    assert.equal(declared.status, 413);
    assert.deepEqual(filesUnder(join(server.dataDir, 'uploads')), []);

    // The lying client declares 1 MB and sends 3 MB without a length.
    const url = await c.alice.tus.start(MB, 'liar.bin');
    const body = createReadStream(await randomFile(3 * MB));
    const answer = await c.alice.tus.patch(url, 0, body, {
      headers: { 'transfer-encoding': 'chunked' },
      mayBreak: true,
    });
    if (answer !== null) assert.equal(answer.status, 413);
    await waitFor(
      () => filesUnder(join(server.dataDir, 'uploads')).length === 0,
      'the refused upload to go',
    );
    const gone = await http('HEAD', url, {
      headers: { 'tus-resumable': '1.0.0', ...bearer(c.alice.token) },
    });
    assert.equal(gone?.status, 404);
    c.close();
  });

  it('answers 403 to a user outside the conversation, and the same to a guessed id', async () => {
    const c = await chat();
    const file = await c.alice.tus.upload(Buffer.from('the plan'), 'plan.txt');
    await c.alice.client.expect('sent', {
      type: 'send',
      conversationId: c.conversationId,
      clientMsgId: 'plan-1',
      body: 'see attached',
      attachment: { fileId: file.fileId },
    });
    assert.equal((await c.alice.tus.download(file.fileId)).status, 200);
    assert.equal((await c.bob.tus.download(file.fileId)).status, 200);
    const stranger = await c.eve.tus.download(file.fileId);
    const guessed = await c.eve.tus.download(randomBytes(18).toString('base64url'));
    assert.equal(stranger.status, 403);
    assert.equal(guessed.status, 403);
    assert.deepEqual(stranger.body, guessed.body);
    assert.equal((await c.eve.tus.download(file.fileId, {}, '/thumbnail')).status, 403);
    const anonymous = await http('GET', `${server.httpUrl}/api/files/${file.fileId}`);
    assert.equal(anonymous?.status, 401);
    c.close();
  });

  it('serves HTML and SVG uploaded as image/png as downloads of a safe type, never inline', async () => {
    const c = await chat();
    const html = Buffer.from(
      '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>',
    );
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
    );
    for (const [bytes, name] of [
      [html, 'cat.png'],
      [svg, 'dog.png'],
    ] as const) {
      const file = await c.alice.tus.upload(bytes, name, { filetype: 'image/png' });
      assert.equal(file.media, 'file');
      assert.equal(file.mime, 'application/octet-stream');
      const refused = await c.alice.client.request({
        type: 'send',
        conversationId: c.conversationId,
        clientMsgId: `img-${name}`,
        body: '',
        attachment: { fileId: file.fileId, kind: 'image' },
      });
      assert.equal(refused.type === 'error' && refused.code, 'invalid');
      const got = await c.alice.tus.download(file.fileId);
      assert.equal(got.status, 200);
      assert.equal(got.headers['content-type'], 'application/octet-stream');
      assert.match(String(got.headers['content-disposition']), /^attachment;/);
      assert.equal(got.headers['x-content-type-options'], 'nosniff');
      assert.match(String(got.headers['content-security-policy']), /sandbox/);
      assert.deepEqual(got.body, bytes);
    }
    c.close();
  });

  it('strips EXIF GPS from PNG and JPEG in what others download', async () => {
    const c = await chat();
    for (const format of ['png', 'jpeg'] as const) {
      const original = await testImage(format);
      assert.ok((await sharp(original).metadata()).exif, `the ${format} test image carries EXIF`);
      const file = await c.alice.tus.upload(original, `photo.${format}`);
      assert.equal(file.media, 'image');
      await c.alice.client.expect('sent', {
        type: 'send',
        conversationId: c.conversationId,
        clientMsgId: `gps-${format}`,
        body: '',
        attachment: { fileId: file.fileId },
      });
      const got = await c.bob.tus.download(file.fileId);
      assert.equal(got.headers['content-type'], `image/${format}`);
      assert.match(String(got.headers['content-disposition']), /^inline;/);
      const meta = await sharp(got.body).metadata();
      assert.equal(meta.exif, undefined, `no EXIF left in the ${format}`);
      assert.ok(!got.body.includes(Buffer.from('GPS')), 'no GPS bytes');
      assert.ok(!got.body.includes(Buffer.from('TestCam')), 'no camera name');
    }
    c.close();
  });

  it('makes upright thumbnails for JPEG, PNG, GIF and WebP', async () => {
    const c = await chat();
    for (const format of ['jpeg', 'png', 'gif', 'webp'] as const) {
      // Orientation 6: stored 200x100, shown turned right as 100x200 (red on top).
      const orientation = format === 'gif' ? 1 : 6;
      const file = await c.alice.tus.upload(await testImage(format, orientation), `pic.${format}`);
      const upright = orientation === 6 ? { width: 100, height: 200 } : { width: 200, height: 100 };
      assert.deepEqual({ width: file.width, height: file.height }, upright, format);
      assert.deepEqual(file.thumbnail, upright, `${format} thumbnail size`);
      const thumb = await c.alice.tus.download(file.fileId, {}, '/thumbnail');
      assert.equal(thumb.status, 200);
      assert.equal(thumb.headers['content-type'], 'image/webp');
      const { data, info } = await sharp(thumb.body).raw().toBuffer({ resolveWithObject: true });
      assert.deepEqual({ width: info.width, height: info.height }, upright);
      // Red (the stored left half) comes first: on top when turned right, else on the left.
      const pixel = (x: number, y: number) => {
        const at = (y * info.width + x) * info.channels;
        return data.subarray(at, at + 3);
      };
      const [r, , b] = pixel(5, 5);
      const [r2, , b2] = orientation === 6 ? pixel(5, info.height - 5) : pixel(info.width - 5, 5);
      assert.ok(r! > 200 && b! < 50, `${format}: red first (${r},${b})`);
      assert.ok(r2! < 50 && b2! > 200, `${format}: blue second (${r2},${b2})`);
    }
    c.close();
  });

  it('stores the same content once, and deleting one file leaves the other message working', async () => {
    const c = await chat();
    const bytes = randomBytes(64 * 1024);
    const blobsBefore = filesUnder(join(server.dataDir, 'blobs')).length;
    const a = await c.alice.tus.upload(bytes, 'same.bin');
    const b = await c.bob.tus.upload(bytes, 'same-too.bin');
    assert.notEqual(a.fileId, b.fileId);
    assert.equal(filesUnder(join(server.dataDir, 'blobs')).length, blobsBefore + 1);
    for (const [who, file] of [
      [c.alice, a],
      [c.bob, b],
    ] as const) {
      await who.client.expect('sent', {
        type: 'send',
        conversationId: c.conversationId,
        clientMsgId: `same-${file.fileId}`,
        body: '',
        attachment: { fileId: file.fileId },
      });
    }
    const deleted = await http('DELETE', `${server.httpUrl}/api/files/${a.fileId}`, {
      headers: bearer(c.alice.token),
    });
    assert.equal(deleted?.status, 204);
    assert.equal((await c.bob.tus.download(a.fileId)).status, 403);
    const other = await c.alice.tus.download(b.fileId);
    assert.equal(other.status, 200);
    assert.deepEqual(other.body, bytes);
    // Bob deletes his too: now nobody names the content and it goes.
    await http('DELETE', `${server.httpUrl}/api/files/${b.fileId}`, {
      headers: bearer(c.bob.token),
    });
    assert.equal(filesUnder(join(server.dataDir, 'blobs')).length, blobsBefore);
    c.close();
  });

  it('refuses malformed tus requests, wrong tokens and other users\u2019 uploads', async () => {
    const c = await chat();
    const base = `${server.httpUrl}/api/uploads`;
    const tus = { 'tus-resumable': '1.0.0', ...bearer(c.alice.token) };
    const status = async (method: string, url: string, headers: Record<string, string | number>) =>
      (await http(method, url, { headers }))?.status;
    assert.equal(await status('POST', base, { ...tus, 'upload-length': 'ten' }), 400);
    assert.equal(await status('POST', base, { ...tus, 'upload-defer-length': 1 }), 400);
    assert.equal(await status('POST', base, { ...tus }), 400);
    assert.equal(
      await status('POST', base, { ...bearer(c.alice.token), 'upload-length': 10 }),
      412,
    );
    assert.equal(
      await status('POST', base, { 'tus-resumable': '1.0.0', 'upload-length': 10 }),
      401,
    );
    assert.equal(
      await status('POST', base, {
        ...tus,
        authorization: 'Bearer not-a-token',
        'upload-length': 10,
      }),
      401,
    );
    const name = `${Buffer.from('a\u0007b').toString('base64')}`;
    assert.equal(
      await status('POST', base, {
        ...tus,
        'upload-length': 10,
        'upload-metadata': `filename ${name}`,
      }),
      400,
    );

    const url = await c.alice.tus.start(10, 'ten.bin');
    const wrongOffset = await c.alice.tus.patch(url, 5, Buffer.alloc(5));
    assert.equal(wrongOffset?.status, 409);
    const eveHead = await status('HEAD', url, { 'tus-resumable': '1.0.0', ...bearer(c.eve.token) });
    const unknownHead = await status('HEAD', `${base}/${'0'.repeat(32)}`, {
      'tus-resumable': '1.0.0',
      ...bearer(c.eve.token),
    });
    assert.equal(eveHead, 404);
    assert.equal(unknownHead, 404);
    assert.equal((await c.eve.tus.patch(url, 0, Buffer.alloc(10)))?.status, 404);
    assert.equal((await http('GET', `${url}/file`, { headers: bearer(c.eve.token) }))?.status, 404);
    assert.equal(
      (await http('GET', `${url}/file`, { headers: bearer(c.alice.token) }))?.status,
      409,
    );
    assert.equal(await c.alice.tus.offset(url), 0, 'nothing of theirs was written');

    // A message may carry only a file its sender uploaded, and needs a body or an attachment.
    const mine = await c.alice.tus.upload(Buffer.from('mine'), 'mine.txt');
    const stolen = await c.bob.client.request({
      type: 'send',
      conversationId: c.conversationId,
      clientMsgId: 'steal-1',
      body: '',
      attachment: { fileId: mine.fileId },
    });
    assert.equal(stolen.type === 'error' && stolen.code, 'not_found');
    const empty = await c.bob.client.request({
      type: 'send',
      conversationId: c.conversationId,
      clientMsgId: 'empty-1',
      body: '',
    });
    assert.equal(empty.type === 'error' && empty.code, 'invalid');
    c.close();
  });
});

describe('abandoned uploads', () => {
  it('are removed after the abandon time, nothing partial left', async () => {
    const server = await startTestServer({ uploadAbandonMinutes: 0.005 });
    try {
      const user = await connectUserV(server.wsUrl, 3);
      const tus = new Tus(server.httpUrl, user.token);
      const url = await tus.start(1000, 'half.bin');
      assert.equal((await tus.patch(url, 0, Buffer.alloc(500)))?.status, 204);
      assert.equal(filesUnder(join(server.dataDir, 'uploads')).length > 0, true);
      await waitFor(() => filesUnder(join(server.dataDir, 'uploads')).length === 0, 'cleanup');
      user.client.close();
    } finally {
      await server.dispose();
    }
  });
});
