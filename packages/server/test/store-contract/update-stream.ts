/** Contract cases: a user's update stream (pts), read back in pages, and durability on reopen. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { StoredUpdate } from '../../src/store/store.js';
import type { GetFixture } from './fixture.js';
import { T0, messageOf, msg } from './fixture.js';

export function updateStreamCases(f: GetFixture): void {
  it('starts a new user at pts 0 with an empty stream', async () => {
    const user = await f().user();
    assert.equal(await f().store.currentPts(user.id), 0);
    assert.deepEqual(await f().store.updatesSince(user.id, 0, 100), []);
  });

  it('replays exactly what was written, in pts order and in pages', async () => {
    const { store } = f();
    const a = await f().user();
    const b = await f().user();
    const c = await f().user();
    const written: StoredUpdate[] = [];
    const opened = await store.openDirect(a.id, b.id, T0);
    written.push(...opened.updates);
    const ab = opened.conversation.id;
    const second = await store.openDirect(c.id, a.id, T0 + 1);
    written.push(...second.updates);
    const ca = second.conversation.id;
    for (const result of await store.appendMessages(
      [msg(ab, a.id, 'to b'), msg(ca, c.id, 'to a'), msg(ab, b.id, 'back to a')],
      T0 + 2,
    )) {
      if (result.kind === 'stored') written.push(...result.updates);
    }
    written.push(...(await store.markRead(a.id, ab, 2, T0 + 3)));
    written.push(...(await store.markRead(b.id, ab, 1, T0 + 4)));

    const expected = written.filter((u) => u.userId === a.id).sort((x, y) => x.pts - y.pts);
    assert.deepEqual(
      expected.map((u) => u.update.kind),
      ['conversation', 'conversation', 'message', 'message', 'message', 'read', 'read'],
    );
    assert.deepEqual(await store.updatesSince(a.id, 0, 100), expected);
    assert.equal(await store.currentPts(a.id), expected.length);

    // Pages of 3 from pts 0, then from where each page ended.
    const pages: StoredUpdate[][] = [];
    for (let after = 0; ;) {
      const page = await store.updatesSince(a.id, after, 3);
      if (page.length === 0) break;
      pages.push(page);
      after = page[page.length - 1]?.pts ?? after;
    }
    assert.deepEqual(
      pages.map((p) => p.length),
      [3, 3, 1],
    );
    assert.deepEqual(pages.flat(), expected);
    assert.deepEqual(await store.updatesSince(a.id, 5, 1), expected.slice(5, 6));

    // Conversation updates are rebuilt from the reader's side: c appears as a's peer.
    const forC = await store.updatesSince(c.id, 0, 1);
    assert.deepEqual(forC[0]?.update, {
      kind: 'conversation',
      conversation: { kind: 'direct', id: ca, peer: { id: a.id, username: a.username } },
    });
  });

  it('keeps messages, cursors and counters after the store is closed and reopened', async () => {
    const { a, b, conversationId } = await f().pair();
    await f().store.appendMessages([msg(conversationId, a.id, 'kept')], T0);
    await f().store.markRead(b.id, conversationId, 1, T0);
    const before = await f().store.updatesSince(b.id, 0, 100);

    await f().reopen();
    const { store } = f();
    assert.deepEqual(await store.updatesSince(b.id, 0, 100), before);
    assert.equal((await store.conversationFor(a.id, conversationId))?.peerReadSeq, 1);
    const [next] = await store.appendMessages([msg(conversationId, b.id, 'after')], T0 + 1);
    assert.equal(messageOf(next).seq, 2);
    assert.equal(await store.currentPts(b.id), before.length + 1);
  });
}
