/** Conversations, history paging and read cursors, across both transports. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerFrameOf } from '@parley/protocol';
import {
  connectDevice,
  connectUser,
  startTestServer,
  syncAll,
  type TestServer,
} from './support/server.js';

describe('conversations and history', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ sendRate: 10_000, frameRate: 10_000, ipFrameRate: 10_000 });
  });
  after(() => server.dispose());

  it('lets a WebSocket user and a TCP user chat both ways live', async () => {
    const web = await connectUser(server.wsUrl);
    const term = await connectUser(server.tcpUrl);
    await syncAll(web.client, null);
    await syncAll(term.client, null);
    const conversationId = (
      await web.client.expect('conversation', { type: 'open_direct', username: term.username })
    ).conversation.info.id;
    await web.client.expect('sent', {
      type: 'send',
      conversationId,
      clientMsgId: 'w1',
      body: '你好 from the browser 👋',
    });
    const atTerm = (await term.client.next(
      (f) => f.type === 'update' && f.update.kind === 'message',
    )) as ServerFrameOf<'update'>;
    assert.equal(
      atTerm.update.kind === 'message' && atTerm.update.message.body,
      '你好 from the browser 👋',
    );
    await term.client.expect('sent', {
      type: 'send',
      conversationId,
      clientMsgId: 't1',
      body: 'hello from the terminal',
    });
    const atWeb = (await web.client.next(
      (f) =>
        f.type === 'update' &&
        f.update.kind === 'message' &&
        f.update.message.senderId === term.userId,
    )) as ServerFrameOf<'update'>;
    assert.equal(
      atWeb.update.kind === 'message' && atWeb.update.message.body,
      'hello from the terminal',
    );
    web.client.close();
    term.client.close();
  });

  it('opens the same conversation from either side and refuses unknown users and oneself', async () => {
    const alice = await connectUser(server.wsUrl);
    const bob = await connectUser(server.wsUrl);
    const a = await alice.client.expect('conversation', {
      type: 'open_direct',
      username: bob.username,
    });
    const b = await bob.client.expect('conversation', {
      type: 'open_direct',
      username: alice.username.toUpperCase(),
    });
    assert.equal(a.conversation.info.id, b.conversation.info.id);
    assert.deepEqual(a.conversation.info, {
      kind: 'direct',
      id: a.conversation.info.id,
      peer: { id: bob.userId, username: bob.username },
    });
    const ghost = await alice.client.request({ type: 'open_direct', username: 'nobody-here' });
    assert.equal(ghost.type === 'error' && ghost.code, 'not_found');
    const self = await alice.client.request({ type: 'open_direct', username: alice.username });
    assert.equal(self.type === 'error' && self.code, 'invalid');
    alice.client.close();
    bob.client.close();
  });

  it('pages history backwards and forwards without gaps or overlaps', async () => {
    const alice = await connectUser(server.wsUrl);
    const bob = await connectUser(server.wsUrl);
    const conversationId = (
      await alice.client.expect('conversation', { type: 'open_direct', username: bob.username })
    ).conversation.info.id;
    for (let i = 1; i <= 45; i++) {
      await alice.client.expect('sent', {
        type: 'send',
        conversationId,
        clientMsgId: `h${i}`,
        body: `message ${i}`,
      });
    }
    const newest = await bob.client.expect('history', {
      type: 'history',
      conversationId,
      limit: 20,
    });
    assert.deepEqual(
      newest.messages.map((m) => m.seq),
      Array.from({ length: 20 }, (_, i) => 26 + i),
    );
    assert.equal(newest.hasMore, true);
    const older = await bob.client.expect('history', {
      type: 'history',
      conversationId,
      before: 26,
      limit: 20,
    });
    assert.deepEqual(
      older.messages.map((m) => m.seq),
      Array.from({ length: 20 }, (_, i) => 6 + i),
    );
    const oldest = await bob.client.expect('history', {
      type: 'history',
      conversationId,
      before: 6,
      limit: 20,
    });
    assert.deepEqual(
      oldest.messages.map((m) => m.seq),
      [1, 2, 3, 4, 5],
    );
    assert.equal(oldest.hasMore, false);
    const forward = await bob.client.expect('history', {
      type: 'history',
      conversationId,
      after: 40,
      limit: 20,
    });
    assert.deepEqual(
      forward.messages.map((m) => m.seq),
      [41, 42, 43, 44, 45],
    );
    assert.equal(forward.hasMore, false);
    const both = await bob.client.request({
      type: 'history',
      conversationId,
      before: 10,
      after: 2,
    });
    assert.equal(both.type === 'error' && both.code, 'invalid');
    alice.client.close();
    bob.client.close();
  });

  it('lists conversations with the last message and unread count, and read cursors reach every device', async () => {
    const alice = await connectUser(server.wsUrl);
    const bob = await connectUser(server.tcpUrl);
    const bobPhone = await connectDevice(server.wsUrl, bob.token);
    await syncAll(alice.client, null);
    const { pts } = await syncAll(bobPhone, null);
    const conversationId = (
      await alice.client.expect('conversation', { type: 'open_direct', username: bob.username })
    ).conversation.info.id;
    for (let i = 1; i <= 3; i++) {
      await alice.client.expect('sent', {
        type: 'send',
        conversationId,
        clientMsgId: `u${i}`,
        body: `unread ${i}`,
      });
    }
    const [listed] = (await bob.client.expect('conversations', { type: 'conversations' }))
      .conversations;
    assert.equal(listed!.unread, 3);
    assert.equal(listed!.lastMessage!.body, 'unread 3');
    assert.equal(listed!.lastSeq, 3);

    await bob.client.expect('ok', { type: 'read', conversationId, seq: 2 });
    const [after] = (await bob.client.expect('conversations', { type: 'conversations' }))
      .conversations;
    assert.equal(after!.unread, 1);
    assert.equal(after!.readSeq, 2);
    const [aliceView] = (await alice.client.expect('conversations', { type: 'conversations' }))
      .conversations;
    assert.equal(aliceView!.peerReadSeq, 2, 'alice sees that bob read up to 2');
    assert.equal(aliceView!.unread, 0, 'own messages are never unread');

    // Alice's device is live and learns of the read receipt; so does Bob's other device.
    const receipt = (await alice.client.next(
      (f) => f.type === 'update' && f.update.kind === 'read',
    )) as ServerFrameOf<'update'>;
    assert.deepEqual(receipt.update, { kind: 'read', conversationId, userId: bob.userId, seq: 2 });
    const { updates } = await syncAll(bobPhone, pts);
    assert.ok(updates.some((u) => u.update.kind === 'read' && u.update.seq === 2));
    // Reading backwards does not move the cursor.
    await bob.client.expect('ok', { type: 'read', conversationId, seq: 1 });
    const [still] = (await bob.client.expect('conversations', { type: 'conversations' }))
      .conversations;
    assert.equal(still!.readSeq, 2);
    for (const c of [alice.client, bob.client, bobPhone]) c.close();
  });
});
