/**
 * Friends end to end over real sockets, on a server with the default privacy (direct messages
 * from friends only): finding users, requests with notes, answers, remarks, blocks, privacy, and
 * every change reaching each of a user's devices, live or on resume.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  FRIEND_NOTE_MAX_LENGTH,
  FRIEND_REMARK_MAX_LENGTH,
  type ServerFrame,
  type ServerFrameOf,
  type Update,
} from '@parley/protocol';
import { RawClient } from './support/raw-client.js';
import {
  connectDevice,
  connectUser,
  startTestServer,
  syncAll,
  type TestServer,
} from './support/server.js';

const V3 = [3];

const isUpdate =
  (kind: Update['kind']) =>
  (f: ServerFrame): boolean =>
    f.type === 'update' && f.update.kind === kind;

async function nextUpdate<K extends Update['kind']>(
  client: RawClient,
  kind: K,
): Promise<Extract<Update, { kind: K }>> {
  const frame = (await client.next(isUpdate(kind))) as ServerFrameOf<'update'>;
  return frame.update as Extract<Update, { kind: K }>;
}

function codeOf(reply: ServerFrame): string {
  return reply.type === 'error' ? reply.code : `no error: ${reply.type}`;
}

describe('friends', () => {
  let server: TestServer;
  // Not `everyone`, as the other tests' servers are: the default is what this file is about.
  before(async () => {
    server = await startTestServer({ directMessages: 'friends' });
  });
  after(() => server.dispose());

  /** A user on protocol 3, live (synced) on one device. */
  async function live(url = server.wsUrl) {
    const user = await connectUser(url, undefined, V3);
    await syncAll(user.client, null);
    return user;
  }

  it('finds by exact username, requests with a note, accepts, and then the two can chat', async () => {
    const alice = await live();
    const bob = await live(server.tcpUrl);
    // Bob's phone is offline the whole time and catches up afterwards.
    const phone = await connectDevice(server.wsUrl, bob.token, V3);
    const { pts: phonePts } = await syncAll(phone, null);
    phone.close();

    const found = await alice.client.expect('user', {
      type: 'find_user',
      username: bob.username.toUpperCase(),
    });
    assert.deepEqual(found.user, { id: bob.userId, username: bob.username });
    const missing = await alice.client.request({ type: 'find_user', username: 'nobody-here' });
    assert.equal(codeOf(missing), 'not_found');
    const prefix = await alice.client.request({
      type: 'find_user',
      username: bob.username.slice(0, -1),
    });
    assert.equal(codeOf(prefix), 'not_found', 'exact names only');

    // Strangers: the default refuses a direct chat.
    const refused = await alice.client.request({ type: 'open_direct', username: bob.username });
    assert.equal(codeOf(refused), 'friends_only');

    await alice.client.expect('ok', {
      type: 'friend_request',
      userId: bob.userId,
      note: '我是 Alice, from the meetup',
    });
    const request = (await nextUpdate(bob.client, 'friend_request')).request;
    assert.deepEqual(
      [request.from.id, request.to.id, request.note],
      [alice.userId, bob.userId, '我是 Alice, from the meetup'],
    );
    const contacts = await bob.client.expect('contacts', { type: 'contacts' });
    assert.deepEqual(
      contacts.incoming.map((r) => r.from.username),
      [alice.username],
    );
    assert.equal(contacts.directMessages, 'friends');

    await bob.client.expect('ok', { type: 'friend_accept', userId: alice.userId });
    const added = await nextUpdate(alice.client, 'friend_added');
    assert.deepEqual(added.friend.user, { id: bob.userId, username: bob.username });
    await nextUpdate(bob.client, 'friend_added');

    const opened = await alice.client.expect('conversation', {
      type: 'open_direct',
      username: bob.username,
    });
    await alice.client.expect('sent', {
      type: 'send',
      conversationId: opened.conversation.info.id,
      clientMsgId: 'f1',
      body: 'friends now!',
    });
    const message = await nextUpdate(bob.client, 'message');
    assert.equal(message.message.body, 'friends now!');

    // The phone resumes: every step, in order, once.
    const again = await connectDevice(server.wsUrl, bob.token, V3);
    const { updates } = await syncAll(again, phonePts);
    assert.deepEqual(
      updates.map((u) => u.update.kind),
      ['friend_request', 'friend_request_closed', 'friend_added', 'conversation', 'message'],
    );
    again.close();
    alice.client.close();
    bob.client.close();
  });

  it('refuses bad friend frames with typed errors and writes nothing', async () => {
    const alice = await live();
    const bob = await live();
    const ask = (frame: Record<string, unknown>) => alice.client.request(frame);
    const { pts: before } = await syncAll(alice.client, null);

    assert.equal(codeOf(await ask({ type: 'friend_request', userId: alice.userId })), 'invalid');
    assert.equal(
      codeOf(
        await ask({
          type: 'friend_request',
          userId: bob.userId,
          note: 'x'.repeat(FRIEND_NOTE_MAX_LENGTH + 1),
        }),
      ),
      'invalid',
    );
    assert.equal(
      codeOf(await ask({ type: 'friend_request', userId: bob.userId, note: 'bell\u0007' })),
      'invalid',
    );
    assert.equal(codeOf(await ask({ type: 'friend_request', userId: 'bob' })), 'invalid');
    assert.equal(codeOf(await ask({ type: 'friend_request' })), 'invalid');
    assert.equal(codeOf(await ask({ type: 'friend_accept', userId: bob.userId })), 'not_found');
    assert.equal(codeOf(await ask({ type: 'friend_decline', userId: bob.userId })), 'not_found');
    assert.equal(codeOf(await ask({ type: 'friend_cancel', userId: bob.userId })), 'not_found');
    assert.equal(codeOf(await ask({ type: 'friend_remove', userId: bob.userId })), 'not_found');
    assert.equal(codeOf(await ask({ type: 'unblock', userId: bob.userId })), 'not_found');
    assert.equal(codeOf(await ask({ type: 'friend_request', userId: 987_654_321 })), 'not_found');
    assert.equal(
      codeOf(
        await ask({ type: 'friend_edit', userId: bob.userId, remark: 'Bobby', grouping: null }),
      ),
      'not_found',
    );
    assert.equal(codeOf(await ask({ type: 'set_privacy', directMessages: 'nobody' })), 'invalid');
    assert.equal((await syncAll(alice.client, before)).updates.length, 0, 'nothing was written');

    await alice.client.expect('ok', { type: 'friend_request', userId: bob.userId });
    assert.equal(
      codeOf(await ask({ type: 'friend_request', userId: bob.userId })),
      'already_requested',
    );
    await bob.client.expect('ok', { type: 'friend_accept', userId: alice.userId });
    assert.equal(
      codeOf(await ask({ type: 'friend_request', userId: bob.userId })),
      'already_friends',
    );
    assert.equal(
      codeOf(
        await ask({
          type: 'friend_edit',
          userId: bob.userId,
          remark: 'r'.repeat(FRIEND_REMARK_MAX_LENGTH + 1),
          grouping: null,
        }),
      ),
      'invalid',
    );
    assert.equal(
      codeOf(await ask({ type: 'friend_edit', userId: bob.userId, remark: '', grouping: null })),
      'invalid',
    );

    // Not logged in.
    const stranger = await RawClient.ws(server.wsUrl);
    await stranger.expect('welcome', { type: 'hello', versions: V3 });
    assert.equal(
      codeOf(await stranger.request({ type: 'friend_request', userId: bob.userId })),
      'unauthenticated',
    );
    assert.equal(codeOf(await stranger.request({ type: 'contacts' })), 'unauthenticated');
    stranger.close();
    alice.client.close();
    bob.client.close();
  });

  it('sets remarks and groupings on every device of the user, and only theirs', async () => {
    const alice = await live();
    const bob = await live();
    const laptop = await connectDevice(server.wsUrl, alice.token, V3);
    await syncAll(laptop, null);
    await alice.client.expect('ok', { type: 'friend_request', userId: bob.userId });
    await bob.client.expect('ok', { type: 'friend_accept', userId: alice.userId });
    await alice.client.expect('ok', {
      type: 'friend_edit',
      userId: bob.userId,
      remark: '老王',
      grouping: 'Work',
    });
    const updated = await nextUpdate(laptop, 'friend_updated');
    assert.deepEqual([updated.friend.remark, updated.friend.grouping], ['老王', 'Work']);
    const list = await laptop.expect('contacts', { type: 'contacts' });
    assert.deepEqual(
      list.friends.map((f) => [f.user.username, f.remark, f.grouping]),
      [[bob.username, '老王', 'Work']],
    );
    const bobs = await bob.client.expect('contacts', { type: 'contacts' });
    assert.deepEqual(
      bobs.friends.map((f) => [f.remark, f.grouping]),
      [[null, null]],
    );
    laptop.close();
    alice.client.close();
    bob.client.close();
  });

  it('a blocked user can no longer message or request, and blocking ends the friendship', async () => {
    const alice = await live();
    const bob = await live();
    await alice.client.expect('ok', { type: 'friend_request', userId: bob.userId });
    await bob.client.expect('ok', { type: 'friend_accept', userId: alice.userId });
    const conversationId = (
      await alice.client.expect('conversation', { type: 'open_direct', username: bob.username })
    ).conversation.info.id;
    await alice.client.expect('sent', {
      type: 'send',
      conversationId,
      clientMsgId: 'b1',
      body: 'before',
    });
    assert.equal((await nextUpdate(bob.client, 'message')).message.body, 'before');

    await bob.client.expect('ok', { type: 'block', userId: alice.userId });
    assert.equal((await nextUpdate(alice.client, 'friend_removed')).userId, bob.userId);
    assert.equal((await nextUpdate(bob.client, 'blocked')).user.id, alice.userId);
    const send = await alice.client.request({
      type: 'send',
      conversationId,
      clientMsgId: 'b2',
      body: 'after the block',
    });
    assert.equal(codeOf(send), 'blocked');
    const open = await alice.client.request({ type: 'open_direct', username: bob.username });
    assert.equal(codeOf(open), 'blocked');
    const ask = await alice.client.request({ type: 'friend_request', userId: bob.userId });
    assert.equal(codeOf(ask), 'blocked');
    // Bob must not see alice typing either. What reaches him before her next message says so.
    const typingAtBob: ServerFrame[] = [];
    const untilMessage = (async () => {
      for (;;) {
        const frame = await bob.client.next(
          (f) => f.type === 'typing' || (f.type === 'update' && f.update.kind === 'message'),
        );
        if (frame.type !== 'typing') return;
        typingAtBob.push(frame);
      }
    })();
    alice.client.send({ type: 'typing', conversationId, active: true });
    await alice.client.expect('contacts', { type: 'contacts' });
    const bobs = await bob.client.expect('contacts', { type: 'contacts' });
    assert.deepEqual(
      bobs.blocked.map((b) => b.user.id),
      [alice.userId],
    );
    assert.deepEqual(bobs.friends, []);
    const history = await bob.client.expect('history', { type: 'history', conversationId });
    assert.deepEqual(
      history.messages.map((m) => m.body),
      ['before'],
    );

    await bob.client.expect('ok', { type: 'unblock', userId: alice.userId });
    // Unblocked, but no longer friends: the default still keeps a stranger out.
    const later = await alice.client.request({
      type: 'send',
      conversationId,
      clientMsgId: 'b3',
      body: 'unblocked?',
    });
    assert.equal(codeOf(later), 'friends_only');
    await bob.client.expect('ok', { type: 'set_privacy', directMessages: 'everyone' });
    await alice.client.expect('sent', {
      type: 'send',
      conversationId,
      clientMsgId: 'b4',
      body: 'now bob takes messages from everyone',
    });
    await untilMessage;
    assert.deepEqual(typingAtBob, [], 'no typing from a blocked user');
    alice.client.close();
    bob.client.close();
  });

  it('lets strangers write to whoever chose everyone, and lets that user answer', async () => {
    const carol = await live();
    const dave = await live();
    await dave.client.expect('ok', { type: 'set_privacy', directMessages: 'everyone' });
    assert.equal((await nextUpdate(dave.client, 'privacy')).directMessages, 'everyone');
    const opened = await carol.client.expect('conversation', {
      type: 'open_direct',
      username: dave.username,
    });
    const conversationId = opened.conversation.info.id;
    // Dave cannot write first to carol (friends only)...
    const first = await dave.client.request({
      type: 'send',
      conversationId,
      clientMsgId: 'd0',
      body: 'hi?',
    });
    assert.equal(codeOf(first), 'friends_only');
    await carol.client.expect('sent', {
      type: 'send',
      conversationId,
      clientMsgId: 'c1',
      body: 'hello, I read your post',
    });
    // ...but once she wrote to him, he may answer.
    await dave.client.expect('sent', {
      type: 'send',
      conversationId,
      clientMsgId: 'd1',
      body: 'thanks!',
    });
    carol.client.close();
    dave.client.close();
  });

  it('keeps friend updates from version-2 sessions and tells them forbidden', async () => {
    const alice = await live();
    const old = await connectUser(server.wsUrl, undefined, [2]);
    const { pts } = await syncAll(old.client, null);
    await alice.client.expect('ok', { type: 'friend_request', userId: old.userId });
    const opened = await old.client.request({ type: 'open_direct', username: alice.username });
    assert.equal(codeOf(opened), 'forbidden');
    const page = await syncAll(old.client, pts);
    assert.deepEqual(page.updates, []);
    assert.ok(page.pts > pts, 'the cursor still moves past the friend request');
    alice.client.close();
    old.client.close();
  });
});
