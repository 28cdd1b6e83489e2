/**
 * Presence across nodes (PostgreSQL + Redis): a user's devices on different nodes count as one
 * presence, and a node that dies takes its users offline for their contacts within the expiry.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Presence, ServerFrameOf } from '@parley/protocol';
import { testPostgres } from './support/postgres.js';
import { spawnServer, waitReady } from './support/process.js';
import type { RawClient } from './support/raw-client.js';
import { testRedis } from './support/redis.js';
import {
  connectDevice,
  connectUser,
  startTestServer,
  syncAll,
  type TestServer,
} from './support/server.js';

const postgres = await testPostgres();
const redis = await testRedis();
const V3 = [3];

const servers: TestServer[] = [];
after(async () => {
  for (const server of servers) await server.dispose();
});

/** The next push about `userId` other than "online" (each node may say online once). */
async function nextChange(client: RawClient, userId: number, timeoutMs = 10_000) {
  const frame = (await client.next(
    (f) =>
      f.type === 'presence_changed' &&
      f.presence.userId === userId &&
      f.presence.status !== 'online',
    timeoutMs,
  )) as ServerFrameOf<'presence_changed'>;
  return frame.presence;
}

async function ask(client: RawClient, userId: number): Promise<Presence | undefined> {
  return (await client.expect('presence', { type: 'presence', userIds: [userId] })).users[0];
}

describe('presence across nodes', { skip: postgres.skip ?? redis.skip }, () => {
  it("shows a user online on a node that holds none of the user's devices", async () => {
    const databaseUrl = await postgres.createDatabase();
    const settings = { databaseUrl, redisUrl: redis.url, redisPrefix: redis.prefix() };
    const [one, two] = await Promise.all([startTestServer(settings), startTestServer(settings)]);
    servers.push(one, two);
    const alice = await connectUser(two.wsUrl, undefined, V3);
    const bob = await connectUser(one.tcpUrl, undefined, V3);
    await syncAll(alice.client, null);
    await syncAll(bob.client, null);
    await alice.client.expect('conversation', { type: 'open_direct', username: bob.username });
    assert.equal((await ask(bob.client, alice.userId))?.status, 'online');

    // A second device on node one, then the first one leaves: still online, as one presence.
    const laptop = await connectDevice(one.wsUrl, alice.token, V3);
    await syncAll(laptop, null);
    alice.client.close();
    const change = nextChange(bob.client, alice.userId);
    await laptop.expect('ok', { type: 'set_presence', idle: true });
    assert.equal((await change).status, 'away', 'idle on the one device left, not offline');
    laptop.close();
    bob.client.close();
  });

  it('takes the users of a node that died offline for their contacts', async () => {
    const databaseUrl = await postgres.createDatabase();
    const redisPrefix = redis.prefix();
    const one = await startTestServer({ databaseUrl, redisUrl: redis.url, redisPrefix });
    servers.push(one);
    const doomed = await spawnServer({
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      PARLEY_REDIS_PREFIX: redisPrefix,
    });
    try {
      await waitReady(doomed);
      const alice = await connectUser(doomed.wsUrl, undefined, V3);
      const bob = await connectUser(one.wsUrl, undefined, V3);
      await syncAll(alice.client, null);
      await syncAll(bob.client, null);
      await alice.client.expect('conversation', { type: 'open_direct', username: bob.username });
      assert.equal((await ask(bob.client, alice.userId))?.status, 'online');

      const gone = nextChange(bob.client, alice.userId, 60_000);
      doomed.child.kill('SIGKILL');
      await doomed.exited;
      const told = await gone;
      assert.equal(told.status, 'offline');
      assert.ok(told.lastSeenAt !== null, 'with the time last seen');
      bob.client.close();
    } finally {
      doomed.child.kill('SIGKILL');
    }
  });
});
