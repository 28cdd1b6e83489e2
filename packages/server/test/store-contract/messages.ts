/** Contract cases: appending messages (seq, idempotency, atomicity, concurrency) and history. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Message } from '@parley/protocol';
import type { AppendResult, NewMessage, Store } from '../../src/store/store.js';
import type { GetFixture } from './fixture.js';
import { T0, messageOf, msg } from './fixture.js';

const seqs = (results: AppendResult[]) => results.map((r) => messageOf(r).seq);

async function allMessages(store: Store, conversationId: number): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const after = all.at(-1)?.seq ?? 0;
    const page = await store.history({ conversationId, after, limit: 1000 });
    all.push(...page.messages);
    if (!page.hasMore) return all;
  }
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
      first.map((r) => [r.kind, messageOf(r).conversationId, messageOf(r).seq, messageOf(r).body]),
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
    assert.deepEqual(stored[0], messageOf(first[0]));
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
    assert.deepEqual(again, { kind: 'duplicate', message: messageOf(stored) });
    assert.equal((await allMessages(store, conversationId)).length, 1);
    assert.equal(await store.currentPts(b.id), ptsB);
  });

  it('stores a message once when the same batch carries it twice', async () => {
    const { store } = f();
    const { a, conversationId } = await f().pair();
    const m = msg(conversationId, a.id, 'twice');
    const results = await store.appendMessages([m, msg(conversationId, a.id, 'between'), m], T0);
    assert.deepEqual(
      results.map((r) => [r.kind, messageOf(r).seq]),
      [
        ['stored', 1],
        ['stored', 2],
        ['duplicate', 1],
      ],
    );
    assert.deepEqual(messageOf(results[2]), messageOf(results[0]));
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
      results.map((r) => [r.kind, messageOf(r).seq, messageOf(r).body]),
      [
        ['stored', 1, 'from a'],
        ['stored', 2, 'from b'],
      ],
    );
  });

  it('refuses only the message to a missing conversation and stores the rest of its batch', async () => {
    const { store } = f();
    const { a, b, conversationId } = await f().pair();
    const ptsB = await store.currentPts(b.id);
    const results = await store.appendMessages(
      [
        msg(conversationId, a.id, 'before'),
        msg(987_654_321, a.id, 'nowhere'),
        msg(conversationId, b.id, 'after'),
      ],
      T0,
    );
    assert.deepEqual(
      results.map((r) => [r.kind, r.kind === 'refused' ? r.reason : r.message.seq]),
      [
        ['stored', 1],
        ['refused', 'conversation_not_found'],
        ['stored', 2],
      ],
    );
    assert.deepEqual(
      (await allMessages(store, conversationId)).map((m) => m.body),
      ['before', 'after'],
    );
    assert.equal(await store.currentPts(b.id), ptsB + 2);
    await assertGapFreeStream(store, b.id);
  });

  it('refuses only the message that breaks a constraint, however big its batch', async () => {
    const { store } = f();
    const { a, b, conversationId } = await f().pair();
    const ptsB = await store.currentPts(b.id);
    // The ghost sender does not exist: only the database's foreign key notices, half way
    // through a batch big enough to be written in several statements.
    const batch = Array.from({ length: 3000 }, (_, i) => msg(conversationId, a.id, `m${i}`));
    batch.splice(1700, 0, msg(conversationId, 987_654_321, 'ghost'));
    const results = await store.appendMessages(batch, T0);
    const refused = results.flatMap((r, i) => (r.kind === 'refused' ? [[i, r.reason]] : []));
    assert.deepEqual(refused, [[1700, 'rejected']]);
    const stored = await allMessages(store, conversationId);
    assert.deepEqual(
      stored.map((m) => [m.seq, m.body]),
      Array.from({ length: 3000 }, (_, i) => [i + 1, `m${i}`]),
    );
    assert.equal(await store.currentPts(b.id), ptsB + 3000);
    await assertGapFreeStream(store, b.id);
  });

  it("stores every innocent message when one user's poisoned messages arrive with 160 others", async () => {
    const { store } = f();
    const pairs = await Promise.all(Array.from({ length: 4 }, () => f().pair()));
    const attacker = await f().pair();
    const innocent = (p: (typeof pairs)[number], k: number) =>
      Array.from({ length: 40 }, (_, i) =>
        msg(p.conversationId, i % 2 ? p.a.id : p.b.id, `${k}-${i}`),
      );
    const poison = (i: number) =>
      i % 2
        ? msg(attacker.conversationId, 987_654_321 + i, 'ghost sender')
        : msg(987_654_321 + i, attacker.a.id, 'no such conversation');
    // Innocent and poisoned messages interleaved in each batch, batches appended at once.
    const poisoned = new Set<NewMessage>();
    const batches = pairs.map((p, k) =>
      innocent(p, k).flatMap((m, i) => {
        if (i % 8 !== 0) return [m];
        const bad = poison(k * 40 + i);
        poisoned.add(bad);
        return [bad, m];
      }),
    );
    const results = await Promise.all(batches.map((batch) => store.appendMessages(batch, T0)));
    results.forEach((batchResults, k) => {
      batchResults.forEach((r, i) => {
        const expected = poisoned.has(batches[k]![i]!) ? 'refused' : 'stored';
        assert.equal(r.kind, expected, `batch ${k} message ${i}`);
      });
    });
    for (const [k, p] of pairs.entries()) {
      assert.deepEqual(
        (await allMessages(store, p.conversationId)).map((m) => [m.seq, m.body]),
        Array.from({ length: 40 }, (_, i) => [i + 1, `${k}-${i}`]),
      );
      await assertGapFreeStream(store, p.a.id);
    }
    assert.deepEqual(await allMessages(store, attacker.conversationId), []);
  });

  it('stores a body exactly or refuses it alone (U+0000, which PostgreSQL cannot hold)', async () => {
    // The protocol refuses these before a store sees them; the store must still not lose the
    // batch around one (PostgreSQL cannot hold U+0000) nor keep a body other than the one given.
    const { store } = f();
    const { a, conversationId } = await f().pair();
    const odd = ['nul \u0000 inside', '\u0001'.repeat(4000)];
    const batch = [
      msg(conversationId, a.id, 'first'),
      ...odd.map((body) => msg(conversationId, a.id, body)),
      msg(conversationId, a.id, 'last'),
    ];
    const results = await store.appendMessages(batch, T0);
    assert.equal(results[0]?.kind, 'stored');
    assert.equal(results.at(-1)?.kind, 'stored');
    const stored = await allMessages(store, conversationId);
    const expected = batch.filter((_, i) => results[i]?.kind === 'stored').map((m) => m.body);
    assert.deepEqual(
      stored.map((m) => m.body),
      expected,
    );
    assert.deepEqual(
      stored.map((m) => m.seq),
      expected.map((_, i) => i + 1),
    );
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
    assert.deepEqual(messageOf(x?.[0]), messageOf(y?.[0]));
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
