/**
 * A device on an older protocol version is not sent update kinds its version lacks, while its
 * cursor still moves past them (protocol.md section 6). Every kind of today is version 1's, so
 * the stream here is a stand-in store that holds one kind of a future version; no real store can
 * write one yet.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Update } from '@parley/protocol';
import { createAckBuffer } from '../src/domain/acks.js';
import { createSync } from '../src/domain/sync.js';
import type { Store, StoredUpdate } from '../src/store/store.js';

const message = (seq: number): Update => ({
  kind: 'message',
  message: { conversationId: 1, seq, senderId: 2, clientMsgId: `m${seq}`, body: 'hi', ts: 1 },
});
// Cast: a kind from a later version than this build knows, which is the case under test.
const future = { kind: 'reaction', conversationId: 1, emoji: '+1' } as unknown as Update;

function streamOf(updates: Update[]): Store {
  const rows: StoredUpdate[] = updates.map((update, i) => ({ userId: 1, pts: i + 1, update }));
  const store: Partial<Store> = {
    updatesSince: (_user, afterPts, limit) =>
      Promise.resolve(rows.filter((r) => r.pts > afterPts).slice(0, limit)),
    currentPts: () => Promise.resolve(rows.length),
  };
  return store as Store;
}

describe('update kinds by protocol version', () => {
  it('leaves out a kind the device does not know and still moves its cursor past it', async () => {
    const store = streamOf([message(1), future, message(2), future]);
    const sync = createSync({
      store,
      acks: createAckBuffer({ store, flushEveryMs: 60_000 }),
      maxPageSize: 200,
      pageBytes: 1 << 20,
    });
    const page = await sync.page({ userId: 1, fromPts: 0, limit: undefined, version: 1 });
    assert.deepEqual(
      page.updates.map((u) => u.pts),
      [1, 3],
    );
    assert.equal(page.pts, 4, 'the cursor passes the left-out updates');
    assert.equal(page.more, false);
    const onlyFuture = await sync.page({ userId: 1, fromPts: 3, limit: undefined, version: 1 });
    assert.deepEqual(onlyFuture, { updates: [], pts: 4, more: false });
  });
});
