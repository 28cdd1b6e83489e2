/**
 * Batch poisoning (issue 12 item 1) through the domain's send path and its group commit, on real
 * SQLite and PostgreSQL stores: a send the store refuses fails alone with a refusal the client
 * will not retry, while the innocent sends committed with it succeed.
 *
 * The protocol closes every known way to make one insert fail from the wire (lone surrogates,
 * U+0000), so the poisoned send is made here by a membership that admits a sender the database
 * does not know: its insert breaks the messages table's foreign key, as a bad row would.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createMemoryBus } from '../src/bus/memory-bus.js';
import { DomainError } from '../src/domain/errors.js';
import { createMembership, type Membership } from '../src/domain/membership.js';
import { createMessages, type SendResult } from '../src/domain/messages.js';
import { createPublisher } from '../src/domain/publisher.js';
import { createPostgresStore, createSqliteStore, type Store } from '../src/store/index.js';
import { testPostgres } from './support/postgres.js';

const GHOST = 987_654_321;
const dir = mkdtempSync(join(tmpdir(), 'parley-isolation-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const postgres = await testPostgres();

const stores: Array<{ name: string; skip: string | undefined; open: () => Promise<Store> }> = [
  { name: 'SQLite', skip: undefined, open: () => createSqliteStore({ file: join(dir, 'p.db') }) },
  {
    name: 'PostgreSQL',
    skip: postgres.skip,
    open: async () => createPostgresStore({ url: await postgres.createDatabase() }),
  },
];

/** The real membership, but the ghost is let into every conversation. */
function admittingGhost(real: Membership): Membership {
  return {
    ...real,
    async members(conversationId) {
      return new Set([...(await real.members(conversationId)), GHOST]);
    },
  };
}

/** Bus trouble would be a bug in this test: make it loud. */
const fail = (error: unknown) => {
  throw error;
};

for (const { name, skip, open } of stores) {
  describe(`sends committed together on ${name}`, { skip: skip ?? false }, () => {
    it('answers each poisoned send with invalid and all 160 innocent sends beside them with their seq', async () => {
      const store = await open();
      try {
        const batchSizes: number[] = [];
        const messages = createMessages({
          store,
          membership: admittingGhost(createMembership(store)),
          // Who may write to whom is not what this test is about (the ghost is nobody's friend).
          contacts: { requireMayMessage: () => Promise.resolve() },
          publisher: createPublisher(createMemoryBus({ onHandlerError: fail }), fail),
          now: Date.now,
          maxMessageChars: 4000,
          maxPageSize: 200,
          pageBytes: 256 * 1024,
          // No time bound to speak of: after the small warm-up commits it would split the burst.
          commitMaxMs: 60_000,
          onCommitted: (size) => batchSizes.push(size),
        });
        const chats = [];
        for (let i = 0; i < 4; i++) {
          const a = (await store.createUser(`a${i}`, 'hash', 1))!;
          const b = (await store.createUser(`b${i}`, 'hash', 1))!;
          const { conversation } = await store.openDirect(a.id, b.id, 1);
          chats.push({ a: a.id, b: b.id, id: conversation.id });
          // Warms the membership cache, so the sends below all join one batch.
          await messages.send(a.id, conversation.id, `warm-${i}`, 'hello');
        }

        const innocent: Array<Promise<SendResult>> = [];
        const poisoned: Array<Promise<SendResult>> = [];
        for (let i = 0; i < 160; i++) {
          const chat = chats[i % chats.length]!;
          if (i % 10 === 0) {
            poisoned.push(messages.send(GHOST, chat.id, `ghost-${i}`, 'poison'));
          }
          const sender = i % 2 ? chat.a : chat.b;
          innocent.push(messages.send(sender, chat.id, `m-${i}`, `innocent ${i}`));
        }

        const sent = await Promise.all(innocent);
        const refusals = await Promise.allSettled(poisoned);
        assert.ok(
          Math.max(...batchSizes) >= 100,
          `the sends shared a batch (sizes ${batchSizes.join(',')})`,
        );
        for (const refusal of refusals) {
          assert.equal(refusal.status, 'rejected');
          const error = refusal.status === 'rejected' ? (refusal.reason as unknown) : null;
          assert.ok(error instanceof DomainError, `a typed refusal, not ${String(error)}`);
          assert.equal(error.code, 'invalid');
        }
        for (const chat of chats) {
          const { messages: stored } = await store.history({
            conversationId: chat.id,
            after: 0,
            limit: 1000,
          });
          // Gap-free: the warm-up message, then its 40 innocent messages, none of the ghost's.
          assert.deepEqual(
            stored.map((m) => m.seq),
            Array.from({ length: 41 }, (_, i) => i + 1),
          );
          assert.ok(stored.every((m) => m.senderId !== GHOST));
        }
        assert.equal(sent.length, 160);
        assert.ok(sent.every((s) => !s.duplicate));
      } finally {
        await store.close();
      }
    });
  });
}
