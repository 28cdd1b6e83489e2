/**
 * Several nodes on one PostgreSQL database: they migrate once when they start together; a node
 * without Redis refuses to share the database (it could not tell the others of new messages);
 * nodes with Redis share it; and message seqs stay gap-free with writers on different nodes.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { migrationsFor } from '../src/store/migrations/index.js';
import { createPostgresStore } from '../src/store/postgres.js';
import type { Store } from '../src/store/store.js';
import { testPostgres } from './support/postgres.js';
import { freePort, spawnServer } from './support/process.js';
import { testRedis } from './support/redis.js';
import { startTestServer, type TestServer } from './support/server.js';

/** Every migration this version has, in the order they apply. */
const MIGRATIONS = Object.keys(migrationsFor('postgres')).sort();

const postgres = await testPostgres();
const redis = await testRedis();
const skip = postgres.skip ?? redis.skip;

describe('nodes sharing one PostgreSQL database', { skip }, () => {
  const stores: Store[] = [];
  const servers: TestServer[] = [];
  after(async () => {
    for (const server of servers) await server.dispose();
    for (const store of stores) await store.close();
  });

  it('runs the migrations once when three nodes start at the same moment on a fresh database', async () => {
    const url = await postgres.createDatabase();
    const opened = await Promise.all(
      [1, 2, 3].map(() => createPostgresStore({ url, sharing: 'shared' })),
    );
    stores.push(...opened);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string; count: string }>(
        'select name, count(*) as count from kysely_migration group by name order by name',
      );
      assert.deepEqual(
        rows.map((r) => [r.name, Number(r.count)]),
        MIGRATIONS.map((name) => [name, 1]),
      );
    } finally {
      await client.end();
    }
  });

  it('parley-server migrate brings a fresh database up to date and exits, even beside a lone node', async () => {
    const url = await postgres.createDatabase();
    const migrate = await spawnServer({ DATABASE_URL: url }, ['migrate']);
    assert.equal((await migrate.exited).code, 0, migrate.stderr());
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ count: string }>(
        'select count(*) as count from kysely_migration',
      );
      assert.equal(Number(rows[0]!.count), MIGRATIONS.length);
    } finally {
      await client.end();
    }
    servers.push(await startTestServer({ databaseUrl: url }));
    const again = await spawnServer({ DATABASE_URL: url }, ['migrate']);
    assert.equal((await again.exited).code, 0, again.stderr());
  });

  it('refuses, in one line, to start a second node without REDIS_URL on a database in use', async () => {
    const databaseUrl = await postgres.createDatabase();
    servers.push(await startTestServer({ databaseUrl }));
    const second = await spawnServer({ DATABASE_URL: databaseUrl });
    const { code } = await second.exited;
    assert.equal(code, 1);
    assert.equal(
      second.stderr().trim(),
      'DATABASE_URL: another Parley node is using this database; set REDIS_URL to run several nodes',
    );
    // And a node with Redis does not join a lone node either: the lone one would miss its messages.
    const withRedis = await spawnServer({ DATABASE_URL: databaseUrl, REDIS_URL: redis.url });
    assert.equal((await withRedis.exited).code, 1);
    assert.match(withRedis.stderr(), /without REDIS_URL is using this database/);
  });

  it('refuses to start, in one line naming REDIS_URL, when Redis cannot be reached', async () => {
    const databaseUrl = await postgres.createDatabase();
    const node = await spawnServer({
      DATABASE_URL: databaseUrl,
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    assert.equal((await node.exited).code, 1);
    assert.match(node.stderr().trim(), /^REDIS_URL: cannot reach Redis \(.*ECONNREFUSED.*\)$/);
  });

  it('starts several nodes on one database when they share Redis', async () => {
    const databaseUrl = await postgres.createDatabase();
    const shared = { databaseUrl, redisUrl: redis.url, redisPrefix: redis.prefix() };
    servers.push(await startTestServer(shared));
    servers.push(await startTestServer(shared));
    for (const server of servers.slice(-2))
      assert.equal((await fetch(`${server.httpUrl}/readyz`)).status, 200);
  });

  it('keeps seqs gap-free with two nodes writing to one conversation at once', async () => {
    const url = await postgres.createDatabase();
    const [one, two] = await Promise.all([
      createPostgresStore({ url, sharing: 'shared' }),
      createPostgresStore({ url, sharing: 'shared' }),
    ]);
    stores.push(one!, two!);
    const alice = (await one!.createUser('alice', 'x', Date.now()))!;
    const bob = (await one!.createUser('bob', 'x', Date.now()))!;
    const { conversation } = await one!.openDirect(alice.id, bob.id, Date.now());
    const batch = (sender: number, node: string, round: number) =>
      Array.from({ length: 10 }, (_, i) => ({
        conversationId: conversation.id,
        senderId: sender,
        clientMsgId: `${node}-${round}-${i}`,
        body: `${node} ${round} ${i}`,
      }));
    const rounds = 20;
    await Promise.all(
      Array.from({ length: rounds }, (_, round) => [
        one!.appendMessages(batch(alice.id, 'one', round), Date.now()),
        two!.appendMessages(batch(bob.id, 'two', round), Date.now()),
      ]).flat(),
    );
    const total = rounds * 2 * 10;
    const { messages } = await two!.history({
      conversationId: conversation.id,
      after: 0,
      limit: total + 1,
    });
    assert.deepEqual(
      messages.map((m) => m.seq),
      Array.from({ length: total }, (_, i) => i + 1),
    );
  });
});
