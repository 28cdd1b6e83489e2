/**
 * Group commit sizes its batches by time as well as count. The store here is a stand-in whose
 * commit takes at least 3 ms per message (a timer): how long a real SQLite commit takes cannot be
 * set by a test, and the policy under test is about what the batcher does with a commit's time.
 * Slower commits than asked for only make the batches smaller, so the bound checked below holds
 * however busy the machine is.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGroupCommit } from '../src/domain/group-commit.js';
import type { AppendResult, NewMessage, Store } from '../src/store/store.js';

const MS_PER_MESSAGE = 3;
const MAX_BATCH_MS = 10;

function slowStore(batches: number[]): Store {
  let seq = 0;
  const appendMessages = async (batch: readonly NewMessage[]): Promise<AppendResult[]> => {
    batches.push(batch.length);
    await new Promise((resolve) => setTimeout(resolve, MS_PER_MESSAGE * batch.length));
    return batch.map((m) => ({
      kind: 'duplicate',
      message: { ...m, seq: ++seq, ts: 0 },
    }));
  };
  // Only appendMessages is used by the group commit.
  return { appendMessages } as unknown as Store;
}

describe('group commit', () => {
  it('splits a burst into commits that each fit the time bound', async () => {
    const batches: number[] = [];
    const commits = createGroupCommit({
      store: slowStore(batches),
      now: () => 0,
      maxBatch: 512,
      maxBatchMs: MAX_BATCH_MS,
      onCommitted: () => undefined,
    });
    const message = (i: number): NewMessage => ({
      conversationId: 1,
      senderId: 1,
      clientMsgId: `m${i}`,
      body: 'hi',
    });
    await commits.append(message(0)); // one commit to learn what a message costs
    await Promise.all(Array.from({ length: 40 }, (_, i) => commits.append(message(i + 1))));

    assert.equal(batches[0], 1);
    const burst = batches.slice(1);
    assert.equal(
      burst.reduce((a, b) => a + b, 0),
      40,
    );
    // 10 ms at >= 3 ms a message: at most 3 messages a commit (never the 40 at once).
    const fits = Math.floor(MAX_BATCH_MS / MS_PER_MESSAGE);
    assert.ok(
      burst.every((size) => size <= fits + 1),
      `batches ${burst.join(',')}`,
    );
  });
});
