/** Contract cases: the stored part of presence (choice, last seen) and who may see it. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { GetFixture } from './fixture.js';
import { T0 } from './fixture.js';

export function presenceCases(f: GetFixture): void {
  it('keeps a chosen status and a last-seen time per user, across a reopen', async () => {
    const a = await f().user();
    const b = await f().user();
    assert.deepEqual(await f().store.presenceOf([a.id, b.id]), [
      { userId: a.id, choice: 'online', lastSeenAt: null },
      { userId: b.id, choice: 'online', lastSeenAt: null },
    ]);
    await f().store.setPresenceChoice(a.id, 'invisible');
    await f().store.setLastSeen(b.id, T0 + 5);
    await f().reopen();
    const stored = await f().store.presenceOf([b.id, a.id, 999_999_999]);
    assert.deepEqual(
      stored.sort((x, y) => x.userId - y.userId),
      [
        { userId: a.id, choice: 'invisible', lastSeenAt: null },
        { userId: b.id, choice: 'online', lastSeenAt: T0 + 5 },
      ],
    );
    assert.deepEqual(await f().store.presenceOf([]), []);
  });

  it('counts as contacts exactly the users one shares a conversation with', async () => {
    const { a, b } = await f().pair();
    const c = await f().user();
    await f().store.openDirect(a.id, c.id, T0);
    const stranger = await f().user();
    assert.deepEqual(
      (await f().store.contactsOf(a.id)).sort((x, y) => x - y),
      [b.id, c.id].sort((x, y) => x - y),
    );
    assert.deepEqual(await f().store.contactsOf(b.id), [a.id]);
    assert.deepEqual(await f().store.contactsOf(stranger.id), []);
  });

  it('counts friends as contacts too, and nobody either side has blocked', async () => {
    const { a, b } = await f().pair();
    const friend = await f().user();
    const store = f().store;
    await store.changeContacts(a.id, { kind: 'request', peerId: friend.id, note: '' }, T0);
    await store.changeContacts(friend.id, { kind: 'accept', peerId: a.id }, T0 + 1);
    assert.deepEqual(
      (await store.contactsOf(a.id)).sort((x, y) => x - y),
      [b.id, friend.id].sort((x, y) => x - y),
    );
    await store.changeContacts(b.id, { kind: 'block', peerId: a.id }, T0 + 2);
    assert.deepEqual(await store.contactsOf(a.id), [friend.id], 'b blocked a');
    assert.deepEqual(await store.contactsOf(b.id), [], "and a is not b's either");
  });
}
