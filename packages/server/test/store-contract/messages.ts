/** Contract cases: appending messages (seq, idempotency, atomicity, concurrency) and history. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AppendResult, Store } from '../../src/store/store.js';
import { StoreError } from '../../src/store/errors.js';
import type { GetFixture } from './fixture.js';
import { T0, msg } from './fixture.js';

const seqs = (results: AppendResult[]) => results.map((r) => r.message.seq);

async function allMessages(store: Store, conversationId: number) {
  return (await store.history({ conversationId, after: 0, limit: 1000 })).messages;
}

export function messageCases(f: GetFixture): void {
  it('numbers messages 1, 2, 3... per conversation in batch order, across batches', async () => {
    const { store } = f();
    const { a, b, conversationId } = await f().pair();
    const other = await f().pair();
    const first = await store.appendMessages(
      [
        msg(conversationId, a.id, 'one'),
        msg(other.conversationId, other.a.id, 'elsewhere'),
        msg(conversationId, b.id, 'two'),
      ],
      T0,
    );
    assert.deepEqual(
      first.map((r) => [r.kind, r.message.conversationId, r.message.seq, r.message.body]),
      [
        ['stored', conversationId, 1, 'one'],
        ['stored', other.conversationId, 1, 'elsewhere'],
        ['stored', conversationId, 2, 'two'],
      ],
    );
    const second = await store.appendMessages([msg(conversationId, a.id, 'three')], T0 + 1);
    assert.deepEqual(seqs(second), [3]);
    const stored = await allMessages(store, conversationId);
    assert.deepEqual(
      stored.map((m) => [m.seq, m.senderId, m.body, m.ts]),
      [
        [1, a.id, 'one', T0],
        [2, b.id, 'two', T0],
        [3, a.id, 'three', T0 + 1],
      ],
    );
    assert.deepEqual(stored[0], first[0]?.message);
  });

  it('writes a message update for every member, the sender included, with their next pts', async () => {
    const { store } = f();
    const { a, b, conversationId } = await f().pair();
    const before = { a: await store.currentPts(a.id), b: await store.currentPts(b.id) };
    const results = await store.appendMessages(
      [msg(conversationId, a.id, 'x'), msg(conversationId, b.id, 'y')],
      T0,
    );
    results.forEach((result, i) => {
      assert.equal(result.kind, 'stored');
      if (result.kind !== 'stored') return;
      const byUser = [...result.updates].sort((x, y) => x.userId - y.userId);
      const expected = [
        {
          userId: a.id,
          pts: before.a + 1 + i,
          update: { kind: 'message', message: result.message },
        },
        {
          userId: b.id,
          pts: before.b + 1 + i,
          update: { kind: 'message', message: result.message },
        },
      ].sort((x, y) => x.userId - y.userId);
      assert.deepEqual(byUser, expected);
    });
    assert.equal(await store.currentPts(a.id), before.a + 2);
    assert.equal(await store.currentPts(b.id), before.b + 2);
  });

  it('answers a resend with the original message and stores nothing new', async () => {
    const { store } = f();
    const { a, b, conversationId } = await f().pair();
    const original = msg(conversationId, a.id, 'once');
    const [stored] = await store.appendMessages([original], T0);
    const ptsB = await store.currentPts(b.id);

    const [again] = await store.appendMessages(
      [{ ...original, body: 'a different body is ignored' }],
      T0 + 50,
    );
    assert.deepEqual(again, { kind: 'duplicate', message: stored?.message });
    assert.equal((await allMessages(store, conversationId)).length, 1);
    assert.equal(await store.currentPts(b.id), ptsB);
  });

  it('stores a message once when the same batch carries it twice', async () => {
    const { store } = f();
    const { a, conversationId } = await f().pair();
    const m = msg(conversationId, a.id, 'twice');
    const results = await store.appendMessages([m, msg(conversationId, a.id, 'between'), m], T0);
    assert.deepEqual(
      results.map((r) => [r.kind, r.message.seq]),
      [
        ['stored', 1],
        ['stored', 2],
        ['duplicate', 1],
      ],
    );
    assert.deepEqual(results[2]?.message, results[0]?.message);
    assert.equal((await allMessages(store, conversationId)).length, 2);
  });

  it('keeps equal client message ids of different senders apart', async () => {
    const { store } = f();
    const { a, b, conversationId } = await f().pair();
    const results = await store.appendMessages(
      [
        { conversationId, senderId: a.id, clientMsgId: 'same', body: 'from a' },
        { conversationId, senderId: b.id, clientMsgId: 'same', body: 'from b' },
      ],
      T0,
    );
    assert.deepEqual(
      results.map((r) => [r.kind, r.message.seq, r.message.body]),
      [
        ['stored', 1, 'from a'],
        ['stored', 2, 'from b'],
      ],
    );
  });

  it('writes nothing of a batch that contains a message to a missing conversation', async () => {
    const { store } = f();
    const { a, b, conversationId } = await f().pair();
    const ptsA = await store.currentPts(a.id);
    await assert.rejects(
      store.appendMessages(
        [msg(conversationId, a.id, 'fine'), msg(987_654_321, a.id, 'nowhere')],
        T0,
      ),
      (error: unknown) => error instanceof StoreError && error.code === 'conversation_not_found',
    );
    assert.deepEqual(await allMessages(store, conversationId), []);
    assert.equal(await store.currentPts(a.id), ptsA);
    // The conversation's numbering is untouched: the next message is still seq 1.
    assert.deepEqual(seqs(await store.appendMessages([msg(conversationId, b.id, 'ok')], T0)), [1]);
  });

  it('writes nothing of a batch that breaks a constraint half way', async () => {
    const { store } = f();
    const { a, b, conversationId } = await f().pair();
    const ptsB = await store.currentPts(b.id);
    // The last sender does not exist: only the database's foreign key notices. The batch is big
    // enough to be written in several statements, so earlier statements must be rolled back.
    const batch = Array.from({ length: 3000 }, (_, i) => msg(conversationId, a.id, `m${i}`));
    batch.push(msg(conversationId, 987_654_321, 'ghost'));
    await assert.rejects(store.appendMessages(batch, T0));
    assert.deepEqual(await allMessages(store, conversationId), []);
    assert.equal(await store.currentPts(b.id), ptsB);
    assert.deepEqual(seqs(await store.appendMessages([msg(conversationId, b.id, 'ok')], T0)), [1]);
  });

  it('keeps seqs gap-free when batches for one conversation are appended at once', async () => {
    const { store } = f();
    const { a, b, conversationId } = await f().pair();
    const batches = Array.from({ length: 4 }, (_, k) =>
      Array.from({ length: 25 }, (_, i) => msg(conversationId, k % 2 ? a.id : b.id, `${k}-${i}`)),
    );
    const results = await Promise.all(batches.map((batch) => store.appendMessages(batch, T0)));
    for (const r of results) {
      const s = seqs(r);
      assert.deepEqual(
        s,
        [...s].sort((x, y) => x - y),
        'a batch keeps its order',
      );
    }
    const all = results.flatMap(seqs).sort((x, y) => x - y);
    assert.deepEqual(
      all,
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    await assertGapFreeStream(store, a.id);
    await assertGapFreeStream(store, b.id);
  });

  it('stores a message once when two resends of it race', async () => {
    const { store } = f();
    const { a, conversationId } = await f().pair();
    const m = msg(conversationId, a.id, 'raced');
    const [x, y] = await Promise.all([
      store.appendMessages([m], T0),
      store.appendMessages([m], T0),
    ]);
    assert.deepEqual([x?.[0]?.kind, y?.[0]?.kind].sort(), ['duplicate', 'stored']);
    assert.deepEqual(x?.[0]?.message, y?.[0]?.message);
    assert.equal((await allMessages(store, conversationId)).length, 1);
  });

  it('keeps seqs and pts gap-free when two server nodes append to one conversation', async (t) => {
    if (!f().sharedWriters) {
      t.skip('this database has a single writer process');
      return;
    }
    const other = await f().openAnother();
    try {
      const { store } = f();
      const { a, b, conversationId } = await f().pair();
      const batch = (node: string) =>
        Array.from({ length: 30 }, (_, i) => msg(conversationId, i % 2 ? a.id : b.id, node + i));
      const rounds = await Promise.all([
        store.appendMessages(batch('x'), T0),
        other.appendMessages(batch('y'), T0),
        store.appendMessages(batch('z'), T0),
        other.appendMessages(batch('w'), T0),
      ]);
      const all = rounds.flatMap(seqs).sort((x, y) => x - y);
      assert.deepEqual(
        all,
        Array.from({ length: 120 }, (_, i) => i + 1),
      );
      await assertGapFreeStream(store, a.id);
      await assertGapFreeStream(other, b.id);
    } finally {
      await other.close();
    }
  });

  it('pages through history: newest by default, then before and after a seq', async () => {
    const { store } = f();
    const { a, conversationId } = await f().pair();
    await store.appendMessages(
      Array.from({ length: 10 }, (_, i) => msg(conversationId, a.id, `m${i + 1}`)),
      T0,
    );
    const page = async (q: { before?: number; after?: number; limit: number }) => {
      const { messages, hasMore } = await store.history({ conversationId, ...q });
      return { seqs: messages.map((m) => m.seq), hasMore };
    };
    assert.deepEqual(await page({ limit: 4 }), { seqs: [7, 8, 9, 10], hasMore: true });
    assert.deepEqual(await page({ before: 7, limit: 4 }), { seqs: [3, 4, 5, 6], hasMore: true });
    assert.deepEqual(await page({ before: 3, limit: 4 }), { seqs: [1, 2], hasMore: false });
    assert.deepEqual(await page({ before: 5, limit: 4 }), { seqs: [1, 2, 3, 4], hasMore: false });
    assert.deepEqual(await page({ after: 0, limit: 4 }), { seqs: [1, 2, 3, 4], hasMore: true });
    assert.deepEqual(await page({ after: 6, limit: 4 }), { seqs: [7, 8, 9, 10], hasMore: false });
    assert.deepEqual(await page({ after: 10, limit: 4 }), { seqs: [], hasMore: false });
    assert.deepEqual(await page({ limit: 10 }), {
      seqs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      hasMore: false,
    });
    const bodies = (await store.history({ conversationId, before: 3, limit: 2 })).messages;
    assert.deepEqual(
      bodies.map((m) => m.body),
      ['m1', 'm2'],
    );
  });

  it('returns an empty history for an empty or unknown conversation', async () => {
    const { store } = f();
    const { conversationId } = await f().pair();
    for (const id of [conversationId, 987_654_321]) {
      assert.deepEqual(await store.history({ conversationId: id, limit: 50 }), {
        messages: [],
        hasMore: false,
      });
    }
  });
}

/** The user's stream holds pts 1..current, each once, and each conversation's messages in seq order. */
async function assertGapFreeStream(store: Store, userId: number): Promise<void> {
  const current = await store.currentPts(userId);
  const updates = await store.updatesSince(userId, 0, 10_000);
  assert.deepEqual(
    updates.map((u) => u.pts),
    Array.from({ length: current }, (_, i) => i + 1),
  );
  const lastSeq = new Map<number, number>();
  for (const { update } of updates) {
    if (update.kind !== 'message') continue;
    const { conversationId, seq } = update.message;
    assert.equal(seq, (lastSeq.get(conversationId) ?? 0) + 1, 'messages arrive in seq order');
    lastSeq.set(conversationId, seq);
  }
}
