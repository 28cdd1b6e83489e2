/**
 * Messages with attachments through the protocol: what a version-3 client receives, and what
 * a version-2 client (which knows no attachments) is shown instead, live, in sync, in history
 * and in the conversation list.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Message } from '@parley/protocol';
import { startTestServer, syncAll, type TestServer } from './support/server.js';
import { connectUserV, testImage, Tus } from './support/http-files.js';

describe('attachments in messages', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ maxUploadBytes: 12345678 });
  });
  after(() => server.dispose());

  it('reaches a version-3 client as an attachment and a version-2 client as text', async () => {
    const alice = await connectUserV(server.wsUrl, 3);
    const bob = await connectUserV(server.wsUrl, 2);
    const opened = await alice.client.expect('conversation', {
      type: 'open_direct',
      username: bob.username,
    });
    const conversationId = opened.conversation.info.id;
    const aliceLive = await syncAll(alice.client, 0);
    const bobLive = await syncAll(bob.client, 0);

    const tus = new Tus(server.httpUrl, alice.token);
    const file = await tus.upload(await testImage('png'), 'cat.png');
    const sent = await alice.client.expect('sent', {
      type: 'send',
      conversationId,
      clientMsgId: 'cat-1',
      body: 'look',
      attachment: { fileId: file.fileId },
    });

    const isMessage = (f: { type: string; update?: { kind: string } }) =>
      f.type === 'update' && f.update?.kind === 'message';
    const pushedToAlice = await alice.client.next(isMessage);
    const pushedToBob = await bob.client.next(isMessage);
    assert.ok(pushedToAlice.type === 'update' && pushedToAlice.update.kind === 'message');
    assert.ok(pushedToBob.type === 'update' && pushedToBob.update.kind === 'message');
    assert.deepEqual(pushedToAlice.update.message.attachment, {
      kind: 'image',
      fileId: file.fileId,
      name: 'cat.png',
      size: file.size,
      mime: 'image/png',
      width: 200,
      height: 100,
      thumbnail: { width: 200, height: 100 },
    });
    assert.equal(pushedToAlice.update.message.body, 'look');
    const forV2: Message = pushedToBob.update.message;
    assert.equal(forV2.body, '[image] cat.png\nlook');
    assert.equal('attachment' in forV2, false);

    // The same on every other path a version-2 client reads messages by.
    const synced = await syncAll(bob.client, bobLive.pts);
    const fromSync = synced.updates.find((u) => u.update.kind === 'message')?.update;
    assert.ok(fromSync?.kind === 'message');
    assert.equal(fromSync.message.body, '[image] cat.png\nlook');
    assert.equal('attachment' in fromSync.message, false);
    const history = await bob.client.expect('history', { type: 'history', conversationId });
    assert.equal(history.messages.at(-1)?.body, '[image] cat.png\nlook');
    assert.equal(history.messages.at(-1)?.seq, sent.seq);
    const list = await bob.client.expect('conversations', { type: 'conversations' });
    assert.equal(list.conversations[0]?.lastMessage?.body, '[image] cat.png\nlook');
    const aliceHistory = await alice.client.expect('history', { type: 'history', conversationId });
    assert.equal(aliceHistory.messages.at(-1)?.attachment?.fileId, file.fileId);
    assert.ok(aliceLive.pts >= 0);
    alice.client.close();
    bob.client.close();
  });

  it('sends a voice message with an empty body and its duration, refused without one', async () => {
    const alice = await connectUserV(server.wsUrl, 3);
    const bob = await connectUserV(server.wsUrl, 3);
    const opened = await alice.client.expect('conversation', {
      type: 'open_direct',
      username: bob.username,
    });
    const conversationId = opened.conversation.info.id;
    const tus = new Tus(server.httpUrl, alice.token);
    // A WebM file (EBML header) stands in for a recording.
    const webm = Buffer.concat([
      Buffer.from('1a45dfa3a34286810142f7810142f2810442f381084282847765626d', 'hex'),
      Buffer.alloc(64),
    ]);
    const voice = await tus.upload(webm, 'voice.webm');
    const refused = await alice.client.request({
      type: 'send',
      conversationId,
      clientMsgId: 'voice-0',
      body: '',
      attachment: { fileId: voice.fileId, kind: 'voice' },
    });
    assert.equal(refused.type === 'error' && refused.code, 'invalid', 'voice needs durationMs');
    await alice.client.expect('sent', {
      type: 'send',
      conversationId,
      clientMsgId: 'voice-1',
      body: '',
      attachment: { fileId: voice.fileId, kind: 'voice', durationMs: 4200 },
    });
    const history = await bob.client.expect('history', { type: 'history', conversationId });
    const message = history.messages.at(-1);
    assert.equal(message?.body, '');
    assert.equal(message?.attachment?.kind, 'voice');
    assert.equal(message?.attachment?.durationMs, 4200);
    alice.client.close();
    bob.client.close();
  });

  it('tells a version-3 client the upload limit in welcome', async () => {
    const { RawClient } = await import('./support/raw-client.js');
    const client = await RawClient.ws(server.wsUrl);
    const welcome = await client.expect('welcome', { type: 'hello', versions: [3] });
    assert.equal(welcome.version, 3);
    assert.equal(welcome.limits.maxUploadBytes, 12345678);
    client.close();
  });
});
