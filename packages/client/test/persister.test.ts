/** The persister's merge rules, on a storage whose writes the test holds and releases. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryStorage, type ClientStorage, type OutboxEntry } from '../src/index.js';
import { Persister } from '../src/persister.js';

/** A memory storage whose updates wait until `release()`. */
function heldStorage() {
  const inner = memoryStorage();
  const held: (() => void)[] = [];
  const storage: ClientStorage = {
    load: () => inner.load(),
    update: (change) =>
      new Promise((resolve, reject) => {
        held.push(() => inner.update(change).then(resolve, reject));
      }),
  };
  return { storage, inner, release: () => held.splice(0).forEach((go) => go()), held };
}

const entry = (id: string): OutboxEntry => ({
  status: 'pending',
  clientMsgId: id,
  conversationId: 1,
  body: id,
  createdAt: 1,
});

describe('persister', () => {
  it('keeps its own entry in view when a re-read overlaps the write that stores it', async () => {
    const { storage, release, held } = heldStorage();
    const persister = new Persister(storage);
    await persister.load();
    persister.putEntry(entry('mine'));
    while (held.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const refreshed = persister.refresh();
    release();
    await refreshed;
    assert.deepEqual(
      persister.state.outbox.map((e) => e.clientMsgId),
      ['mine'],
    );
  });

  it("merges another instance's entries and never lets a stale pending undo a sent one", async () => {
    const storage = memoryStorage();
    const one = new Persister(storage);
    const two = new Persister(storage);
    await Promise.all([one.load(), two.load()]);
    one.putEntry(entry('a'));
    two.putEntry(entry('b'));
    await Promise.all([one.flush(), two.flush()]);
    one.putEntry({ ...entry('b'), status: 'sent', seq: 4, ts: 9 });
    await one.flush();
    two.putEntry(entry('b')); // two still thinks it is pending
    await two.flush();
    const stored = await storage.load();
    assert.deepEqual(
      stored?.outbox.map((e) => `${e.clientMsgId}:${e.status}`),
      ['a:pending', 'b:sent'],
    );
  });

  it("clears the token only if it is still the one that ended, so another's new login stays", async () => {
    const storage = memoryStorage();
    const one = new Persister(storage);
    const two = new Persister(storage);
    const user = { id: 1, username: 'al' };
    one.login('old', user);
    await one.flush();
    await two.load();
    two.login('new', user);
    await two.flush();
    one.endSession('old', true); // one learns late that its old session was logged out
    await one.flush();
    const stored = await storage.load();
    assert.equal(stored?.token, 'new');
    assert.deepEqual(stored?.user, user);
  });
});
