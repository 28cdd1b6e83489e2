/**
 * Contract cases: friend requests and their answers, friendships with remarks and groupings,
 * blocks, the privacy setting, and the updates each writes to both users' streams.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MAX_PENDING_FRIEND_REQUESTS } from '@parley/protocol';
import type {
  ContactChange,
  ContactChangeResult,
  Store,
  UserRecord,
} from '../../src/store/store.js';
import type { GetFixture } from './fixture.js';
import { T0, msg } from './fixture.js';

const who = (u: UserRecord) => ({ id: u.id, username: u.username });

async function changed(store: Store, user: UserRecord, change: ContactChange, at = T0) {
  const result = await store.changeContacts(user.id, change, at);
  assert.equal(result.kind, 'changed', `refused: ${JSON.stringify(result)}`);
  return (result as Extract<ContactChangeResult, { kind: 'changed' }>).updates;
}

async function refusedWith(store: Store, user: UserRecord, change: ContactChange) {
  const result = await store.changeContacts(user.id, change, T0);
  assert.equal(result.kind, 'refused', `made: ${JSON.stringify(result)}`);
  return (result as Extract<ContactChangeResult, { kind: 'refused' }>).reason;
}

/** The kinds of the user's stream after `pts`, in order. */
async function kindsSince(store: Store, user: UserRecord, pts: number): Promise<string[]> {
  return (await store.updatesSince(user.id, pts, 100)).map((u) => u.update.kind);
}

export function contactCases(f: GetFixture): void {
  it('sends a request with its note to both streams, and accepting makes both friends', async () => {
    const { store } = f();
    const a = await f().user();
    const b = await f().user();
    const updates = await changed(
      store,
      a,
      { kind: 'request', peerId: b.id, note: '你好, from the meetup' },
      T0 + 5,
    );
    const request = { from: who(a), to: who(b), note: '你好, from the meetup', ts: T0 + 5 };
    assert.deepEqual(
      updates.map((u) => [u.userId, u.update]),
      [
        [a.id, { kind: 'friend_request', request }],
        [b.id, { kind: 'friend_request', request }],
      ],
    );
    assert.deepEqual((await store.contacts(b.id)).incoming, [request]);
    assert.deepEqual((await store.contacts(a.id)).outgoing, [request]);

    await changed(store, b, { kind: 'accept', peerId: a.id }, T0 + 9);
    const ofA = await store.contacts(a.id);
    const ofB = await store.contacts(b.id);
    assert.deepEqual(ofA.friends, [{ user: who(b), remark: null, grouping: null, since: T0 + 9 }]);
    assert.deepEqual(ofB.friends, [{ user: who(a), remark: null, grouping: null, since: T0 + 9 }]);
    assert.deepEqual([ofA.outgoing, ofB.incoming], [[], []]);
    // Read back from the stream exactly as written, in order, after reopening.
    await f().reopen();
    assert.deepEqual(await kindsSince(f().store, a, 0), [
      'friend_request',
      'friend_request_closed',
      'friend_added',
    ]);
    const [, closed, added] = await f().store.updatesSince(b.id, 0, 100);
    assert.deepEqual(closed?.update, {
      kind: 'friend_request_closed',
      fromUserId: a.id,
      toUserId: b.id,
    });
    assert.deepEqual(added?.update, {
      kind: 'friend_added',
      friend: { user: who(a), remark: null, grouping: null, since: T0 + 9 },
    });
  });

  it('refuses a duplicate request, a request between friends and answers to no request', async () => {
    const { store } = f();
    const a = await f().user();
    const b = await f().user();
    assert.equal(await refusedWith(store, b, { kind: 'accept', peerId: a.id }), 'not_found');
    assert.equal(await refusedWith(store, b, { kind: 'decline', peerId: a.id }), 'not_found');
    assert.equal(await refusedWith(store, a, { kind: 'cancel', peerId: b.id }), 'not_found');
    assert.equal(await refusedWith(store, a, { kind: 'remove', peerId: b.id }), 'not_found');
    assert.equal(
      await refusedWith(store, a, { kind: 'edit', peerId: b.id, remark: 'x', grouping: null }),
      'not_found',
    );
    assert.equal(
      await refusedWith(store, a, { kind: 'request', peerId: 999_999_999, note: '' }),
      'not_found',
    );
    assert.equal(
      await refusedWith(store, a, { kind: 'request', peerId: a.id, note: '' }),
      'not_found',
    );
    await changed(store, a, { kind: 'request', peerId: b.id, note: 'one' });
    const pts = await store.currentPts(a.id);
    assert.equal(
      await refusedWith(store, a, { kind: 'request', peerId: b.id, note: 'two' }),
      'already_requested',
    );
    assert.equal(await store.currentPts(a.id), pts, 'a refusal writes nothing');
    // Asking back is saying yes.
    const updates = await changed(store, b, { kind: 'request', peerId: a.id, note: '' });
    assert.ok(updates.some((u) => u.update.kind === 'friend_added'));
    assert.equal(
      await refusedWith(store, a, { kind: 'request', peerId: b.id, note: '' }),
      'already_friends',
    );
  });

  it('declines and cancels, telling both sides', async () => {
    const { store } = f();
    const a = await f().user();
    const b = await f().user();
    await changed(store, a, { kind: 'request', peerId: b.id, note: '' });
    const declined = await changed(store, b, { kind: 'decline', peerId: a.id });
    assert.deepEqual(declined.map((u) => u.userId).sort(), [a.id, b.id].sort());
    assert.deepEqual((await store.contacts(a.id)).outgoing, []);
    await changed(store, a, { kind: 'request', peerId: b.id, note: 'again' });
    await changed(store, a, { kind: 'cancel', peerId: b.id });
    assert.deepEqual((await store.contacts(b.id)).incoming, []);
  });

  it('keeps a remark and grouping per side and removes friends for both', async () => {
    const { store } = f();
    const a = await f().user();
    const b = await f().user();
    await changed(store, a, { kind: 'request', peerId: b.id, note: '' });
    await changed(store, b, { kind: 'accept', peerId: a.id }, T0 + 1);
    const edited = await changed(store, a, {
      kind: 'edit',
      peerId: b.id,
      remark: '老王',
      grouping: 'Work',
    });
    assert.deepEqual(
      edited.map((u) => [u.userId, u.update]),
      [
        [
          a.id,
          {
            kind: 'friend_updated',
            friend: { user: who(b), remark: '老王', grouping: 'Work', since: T0 + 1 },
          },
        ],
      ],
    );
    assert.equal((await store.contacts(b.id)).friends[0]?.remark, null, "b's view is b's own");
    const removed = await changed(store, b, { kind: 'remove', peerId: a.id });
    assert.deepEqual(
      removed.map((u) => [u.userId, u.update]),
      [
        [b.id, { kind: 'friend_removed', userId: a.id }],
        [a.id, { kind: 'friend_removed', userId: b.id }],
      ],
    );
    assert.deepEqual((await store.contacts(a.id)).friends, []);
  });

  it('blocking ends the friendship and requests, refuses new ones, and is told only to the blocker', async () => {
    const { store } = f();
    const a = await f().user();
    const b = await f().user();
    await changed(store, a, { kind: 'request', peerId: b.id, note: '' });
    await changed(store, b, { kind: 'accept', peerId: a.id });
    await changed(store, b, { kind: 'request', peerId: a.id, note: '' }).catch(() => undefined);
    const ptsA = await store.currentPts(a.id);
    const ptsB = await store.currentPts(b.id);
    await changed(store, a, { kind: 'block', peerId: b.id }, T0 + 3);
    assert.deepEqual(await kindsSince(store, a, ptsA), ['friend_removed', 'blocked']);
    assert.deepEqual(await kindsSince(store, b, ptsB), ['friend_removed']);
    assert.deepEqual((await store.contacts(a.id)).blocked, [{ user: who(b), ts: T0 + 3 }]);
    assert.deepEqual(await changed(store, a, { kind: 'block', peerId: b.id }), [], 'twice: no-op');
    assert.equal(
      await refusedWith(store, b, { kind: 'request', peerId: a.id, note: '' }),
      'blocked',
    );
    assert.equal(
      await refusedWith(store, a, { kind: 'request', peerId: b.id, note: '' }),
      'blocked',
    );
    const state = await store.messagingState(b.id, a.id);
    assert.equal(state.blocked, true);
    assert.equal(state.friends, false);

    await changed(store, a, { kind: 'unblock', peerId: b.id });
    assert.equal(await refusedWith(store, a, { kind: 'unblock', peerId: b.id }), 'not_found');
    assert.equal((await store.messagingState(b.id, a.id)).blocked, false);
    await changed(store, b, { kind: 'request', peerId: a.id, note: 'sorry' });
  });

  it('keeps the privacy setting, null until chosen, and knows when the peer has written', async () => {
    const { store } = f();
    const { a, b, conversationId } = await f().pair();
    assert.equal((await store.contacts(a.id)).directMessages, null);
    assert.deepEqual(await store.messagingState(b.id, a.id), {
      blocked: false,
      friends: false,
      peerDirectMessages: null,
      peerHasWritten: false,
    });
    const updates = await changed(store, a, { kind: 'privacy', directMessages: 'everyone' });
    assert.deepEqual(
      updates.map((u) => u.update),
      [{ kind: 'privacy', directMessages: 'everyone' }],
    );
    assert.equal((await store.contacts(a.id)).directMessages, 'everyone');
    await store.appendMessages([msg(conversationId, a.id, 'hello stranger')], T0);
    const state = await store.messagingState(b.id, a.id);
    assert.equal(state.peerDirectMessages, 'everyone');
    assert.equal(state.peerHasWritten, true);
    assert.equal((await store.messagingState(a.id, b.id)).peerHasWritten, false);
  });

  it(`bounds pending requests at ${MAX_PENDING_FRIEND_REQUESTS}`, async () => {
    const { store } = f();
    const a = await f().user();
    for (let i = 0; i < MAX_PENDING_FRIEND_REQUESTS; i++) {
      const peer = await f().user();
      await changed(store, a, { kind: 'request', peerId: peer.id, note: '' });
    }
    const one = await f().user();
    assert.equal(
      await refusedWith(store, a, { kind: 'request', peerId: one.id, note: '' }),
      'limit_reached',
    );
  });
}
