/** Contract cases: direct conversations, summaries, membership and read cursors. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { GetFixture } from './fixture.js';
import { T0, messageOf, msg } from './fixture.js';

export function conversationCases(f: GetFixture): void {
  it('opens one direct conversation per pair, whichever side opens it', async () => {
    const { store } = f();
    const a = await f().user();
    const b = await f().user();
    const first = await store.openDirect(a.id, b.id, T0);
    const again = await store.openDirect(a.id, b.id, T0 + 1);
    const fromPeer = await store.openDirect(b.id, a.id, T0 + 2);
    assert.equal(first.created, true);
    assert.equal(again.created, false);
    assert.equal(fromPeer.created, false);
    assert.deepEqual(again.updates, []);
    assert.deepEqual(fromPeer.updates, []);
    const id = first.conversation.id;
    assert.equal(again.conversation.id, id);
    assert.equal(fromPeer.conversation.id, id);
    // Each side sees the other as the peer.
    assert.deepEqual(first.conversation, {
      kind: 'direct',
      id,
      peer: { id: b.id, username: b.username },
    });
    assert.deepEqual(fromPeer.conversation.peer, { id: a.id, username: a.username });
    assert.deepEqual(
      await store.members(id),
      [a.id, b.id].sort((x, y) => x - y),
    );
  });

  it('tells both users about a new conversation in their update streams, once', async () => {
    const { store } = f();
    const a = await f().user();
    const b = await f().user();
    const { conversation, updates } = await store.openDirect(a.id, b.id, T0);
    await store.openDirect(b.id, a.id, T0);
    const byUser = new Map(updates.map((u) => [u.userId, u]));
    assert.equal(updates.length, 2);
    assert.deepEqual(byUser.get(a.id), {
      userId: a.id,
      pts: 1,
      update: { kind: 'conversation', conversation },
    });
    assert.deepEqual(byUser.get(b.id), {
      userId: b.id,
      pts: 1,
      update: {
        kind: 'conversation',
        conversation: {
          kind: 'direct',
          id: conversation.id,
          peer: { id: a.id, username: a.username },
        },
      },
    });
    assert.equal(await store.currentPts(a.id), 1);
    assert.equal(await store.currentPts(b.id), 1);
  });

  it('creates one conversation when both users open it at the same moment', async () => {
    const { store } = f();
    const a = await f().user();
    const b = await f().user();
    const [x, y] = await Promise.all([
      store.openDirect(a.id, b.id, T0),
      store.openDirect(b.id, a.id, T0),
    ]);
    assert.equal(x.conversation.id, y.conversation.id);
    assert.equal(Number(x.created) + Number(y.created), 1);
    assert.equal(await store.currentPts(a.id), 1);
  });

  it('summarizes a conversation for each side: last message, read cursors, unread', async () => {
    const { store } = f();
    const { a, b, conversationId } = await f().pair();
    const empty = await store.conversationFor(a.id, conversationId);
    assert.deepEqual(empty, {
      info: { kind: 'direct', id: conversationId, peer: { id: b.id, username: b.username } },
      lastSeq: 0,
      lastMessage: null,
      readSeq: 0,
      peerReadSeq: 0,
      unread: 0,
    });

    const sent = await store.appendMessages(
      [
        msg(conversationId, a.id, 'hi'),
        msg(conversationId, b.id, 'hello'),
        msg(conversationId, b.id, 'how are you?'),
        msg(conversationId, a.id, 'fine'),
      ],
      T0 + 10,
    );
    await store.markRead(b.id, conversationId, 1, T0 + 20);
    const last = messageOf(sent[3]);

    const forA = await store.conversationFor(a.id, conversationId);
    assert.deepEqual(forA, {
      info: { kind: 'direct', id: conversationId, peer: { id: b.id, username: b.username } },
      lastSeq: 4,
      lastMessage: last,
      readSeq: 0,
      peerReadSeq: 1,
      unread: 2, // b's two messages; a's own never count
    });
    const forB = await store.conversationFor(b.id, conversationId);
    assert.equal(forB?.readSeq, 1);
    assert.equal(forB?.peerReadSeq, 0);
    assert.equal(forB?.unread, 1); // "fine" (seq 4); "hi" (seq 1) is read
    assert.deepEqual(forB?.info.peer, { id: a.id, username: a.username });
  });

  it('shows a conversation only to its members', async () => {
    const { store } = f();
    const { conversationId } = await f().pair();
    const stranger = await f().user();
    assert.equal(await store.conversationFor(stranger.id, conversationId), null);
    assert.equal(await store.conversationFor(stranger.id, 987_654_321), null);
    assert.deepEqual(await store.members(987_654_321), []);
  });

  it('lists conversations with the most recent activity first', async () => {
    const { store } = f();
    const me = await f().user();
    const peers = [await f().user(), await f().user(), await f().user()];
    const ids: number[] = [];
    for (const peer of peers)
      ids.push((await store.openDirect(me.id, peer.id, T0)).conversation.id);
    await store.appendMessages([msg(ids[0] ?? 0, me.id, 'old')], T0 + 100);
    await store.appendMessages([msg(ids[2] ?? 0, me.id, 'newer')], T0 + 200);
    await store.appendMessages([msg(ids[1] ?? 0, peers[1]?.id ?? 0, 'newest')], T0 + 300);

    const list = (await store.listConversations(me.id, { after: null, limit: 10 })).map(
      (row) => row.summary,
    );
    assert.deepEqual(
      list.map((s) => s.info.id),
      [ids[1], ids[2], ids[0]],
    );
    assert.equal(list[0]?.lastMessage?.body, 'newest');
    assert.equal(list[0]?.unread, 1);
    const nobody = (await f().user()).id;
    assert.deepEqual(await store.listConversations(nobody, { after: null, limit: 10 }), []);
  });

  it('pages conversations after a position, with ties on activity broken by id', async () => {
    const { store } = f();
    const me = await f().user();
    const ids: number[] = [];
    // Opened at one instant: the same activity, so only the id orders them.
    for (let i = 0; i < 5; i++) {
      const peer = await f().user();
      ids.push((await store.openDirect(me.id, peer.id, T0)).conversation.id);
    }
    const seen: number[] = [];
    let after = null;
    for (;;) {
      const page = await store.listConversations(me.id, { after, limit: 2 });
      seen.push(...page.map((row) => row.summary.info.id));
      const last = page.at(-1);
      if (page.length < 2 || last === undefined) break;
      assert.equal(last.position.activityAt, T0);
      after = last.position;
    }
    assert.deepEqual(
      seen,
      [...ids].sort((a, b) => b - a),
    );
  });

  it('moves a read cursor only forward, never past the last message, and tells every member', async () => {
    const { store } = f();
    const { a, b, conversationId } = await f().pair();
    await store.appendMessages(
      [1, 2, 3].map((i) => msg(conversationId, a.id, `m${i}`)),
      T0,
    );
    const ptsA = await store.currentPts(a.id);
    const ptsB = await store.currentPts(b.id);

    const updates = await store.markRead(b.id, conversationId, 2, T0 + 1);
    const read = { kind: 'read', conversationId, userId: b.id, seq: 2 };
    assert.deepEqual(
      [...updates].sort((x, y) => x.userId - y.userId),
      [
        { userId: a.id, pts: ptsA + 1, update: read },
        { userId: b.id, pts: ptsB + 1, update: read },
      ].sort((x, y) => x.userId - y.userId),
    );
    assert.deepEqual(await store.markRead(b.id, conversationId, 1, T0 + 2), []);
    assert.deepEqual(await store.markRead(b.id, conversationId, 2, T0 + 2), []);

    // Past the end: clamped to the last seq.
    const clamped = await store.markRead(b.id, conversationId, 99, T0 + 3);
    assert.equal(clamped.length, 2);
    for (const u of clamped) assert.deepEqual(u.update, { ...read, seq: 3 });
    assert.equal((await store.conversationFor(b.id, conversationId))?.readSeq, 3);
    assert.equal((await store.conversationFor(a.id, conversationId))?.peerReadSeq, 3);
    assert.deepEqual(await store.markRead(b.id, conversationId, 99, T0 + 4), []);
    assert.equal(await store.currentPts(a.id), ptsA + 2);
  });

  it('changes nothing when a non-member marks a conversation read', async () => {
    const { store } = f();
    const { a, conversationId } = await f().pair();
    const stranger = await f().user();
    await store.appendMessages([msg(conversationId, a.id, 'x')], T0);
    assert.deepEqual(await store.markRead(stranger.id, conversationId, 1, T0), []);
    assert.deepEqual(await store.markRead(stranger.id, 987_654_321, 1, T0), []);
    assert.equal(await store.currentPts(stranger.id), 0);
  });
}
