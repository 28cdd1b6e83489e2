/**
 * The SQLite store runs on a worker thread: while a batch of messages is being committed the
 * server keeps answering on its sockets, and a worker that dies fails requests instead of
 * hanging them.
 *
 * "A commit in progress" is made certain rather than hoped for: the test holds SQLite's write
 * lock from its own connection, so the server's commit waits inside the worker until the test
 * lets go. Before the worker, that wait happened on the server's event loop.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { StoreError } from '../src/store/errors.js';
import { createSqliteStore } from '../src/store/sqlite.js';
import type { RawClient } from './support/raw-client.js';
import { connectUser, startTestServer, tempDir, type TestServer } from './support/server.js';

const BATCH = 300;

/** Holds the database's write lock (as another writer would) until released. */
function holdWriteLock(file: string): { release: () => void } {
  const db = new Database(file);
  db.exec('BEGIN IMMEDIATE');
  return {
    release: () => {
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

/** Resolves with the next worker thread this process starts. */
function nextWorker(): Promise<Worker> {
  return new Promise((resolve) => process.once('worker', resolve));
}

async function openChat(client: RawClient, peer: string): Promise<number> {
  const reply = await client.expect('conversation', { type: 'open_direct', username: peer });
  return reply.conversation.info.id;
}

describe('SQLite store on a worker thread', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ sendRate: 10_000, frameRate: 10_000, ipFrameRate: 10_000 });
  });
  after(() => server.dispose());

  it('answers pings and fires timers while a big batch of messages is committing', async () => {
    const alice = await connectUser(server.wsUrl);
    const bob = await connectUser(server.tcpUrl);
    const conversationId = await openChat(alice.client, bob.username);

    const lock = holdWriteLock(join(server.dataDir, 'parley.db'));
    let lockHeld = true;
    try {
      let acked = 0;
      // Settled as they come, so a failed send is reported by the assertion below, not as an
      // unhandled rejection while the pings are awaited.
      const sends = Array.from({ length: BATCH }, (_, i) =>
        alice.client
          .expect('sent', { type: 'send', conversationId, clientMsgId: `big-${i}`, body: `m${i}` })
          .then(
            (reply) => {
              acked++;
              return { status: 'fulfilled' as const, value: reply };
            },
            (reason: unknown) => ({ status: 'rejected' as const, reason }),
          ),
      );
      // The sends cannot be acknowledged while the lock is held: their commit is under way.
      const pong = await bob.client.request({ type: 'ping' });
      assert.equal(pong.type, 'pong', 'another connection is answered during the commit');
      assert.equal(
        (await alice.client.request({ type: 'ping' })).type,
        'pong',
        'the sender itself is answered during the commit',
      );
      await new Promise((resolve) => setTimeout(resolve, 0));
      assert.equal(acked, 0, 'no send was acknowledged before its commit could finish');

      lock.release();
      lockHeld = false;
      const settled = await Promise.all(sends);
      const failed = settled.find((r) => r.status === 'rejected');
      assert.equal(failed, undefined, 'every send is acknowledged');
      const replies = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      assert.deepEqual(
        replies.map((r) => r.seq),
        Array.from({ length: BATCH }, (_, i) => i + 1),
        'every message of the batch was committed once the lock was free',
      );
    } finally {
      if (lockHeld) lock.release();
      alice.client.close();
      bob.client.close();
    }
  });
});

describe('closing the SQLite store', () => {
  it('finishes the calls under way, then ends its thread cleanly', async () => {
    const dir = tempDir();
    try {
      const file = join(dir, 'parley.db');
      const worker = nextWorker();
      const store = await createSqliteStore({ file });
      const exit = new Promise((resolve) => void worker.then((w) => w.once('exit', resolve)));
      const created = store.createUser('last_word', 'hash', 1);
      await store.close();
      assert.equal(await exit, 0, 'the thread ended by itself, not terminated');
      assert.equal((await created)?.username, 'last_word', 'the call sent before close finished');
      await assert.rejects(
        store.ping(),
        (error: unknown) => error instanceof StoreError && error.code === 'unavailable',
      );

      const reopened = await createSqliteStore({ file });
      assert.equal((await reopened.findUserByUsername('last_word'))?.username, 'last_word');
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a crashed SQLite worker', () => {
  it('fails the calls under way and every later one with a typed error, and reports it once', async () => {
    const dir = tempDir();
    const file = join(dir, 'parley.db');
    const failures: StoreError[] = [];
    const worker = nextWorker();
    const store = await createSqliteStore({ file, onFailure: (error) => failures.push(error) });
    const lock = holdWriteLock(file);
    try {
      // A write stuck behind the lock is under way when the thread dies.
      const underWay = store.createUser('stuck', 'hash', 1);
      await (await worker).terminate();
      const isUnavailable = (error: unknown) =>
        error instanceof StoreError && error.code === 'unavailable';
      await assert.rejects(underWay, isUnavailable);
      await assert.rejects(store.ping(), isUnavailable);
      await assert.rejects(store.findUserByUsername('stuck'), isUnavailable);
      assert.equal(failures.length, 1);
      assert.equal(failures[0]?.code, 'unavailable');
      await store.close(); // does not wait for a thread that is gone
    } finally {
      lock.release();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns /readyz false, answers requests with an error and still shuts down', async () => {
    const worker = nextWorker();
    const server = await startTestServer();
    try {
      const alice = await connectUser(server.wsUrl);
      assert.equal((await fetch(`${server.httpUrl}/readyz`)).status, 200);
      await (await worker).terminate();

      assert.equal((await fetch(`${server.httpUrl}/readyz`)).status, 503);
      const reply = await alice.client.request({ type: 'open_direct', username: 'nobody_here' });
      assert.equal(reply.type, 'error', 'the request is answered, not left hanging');
      alice.client.close();
    } finally {
      await server.dispose();
    }
  });
});
