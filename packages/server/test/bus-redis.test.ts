/**
 * The Bus contract on Redis, and what pub/sub alone would lose: a node whose Redis connection
 * drops reports the gap once it is subscribed again, so its devices can catch up from the store,
 * and a node cut off from Redis tells the others, once back, whose updates it failed to publish.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import type { BusMessage } from '../src/bus/bus.js';
import { createRedisBus } from '../src/bus/redis-bus.js';
import { runBusSuite } from './bus-contract.js';
import { privateRedisSkip, startPrivateRedis, testRedis } from './support/redis.js';

/** Retries `probe` until it resolves (a connection coming back after a restart). */
async function waitFor(probe: () => Promise<unknown>): Promise<void> {
  for (;;) {
    try {
      await probe();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const redis = await testRedis();
const prefix = redis.prefix();

runBusSuite({
  name: 'Redis bus',
  skip: redis.skip,
  createBus: (options) => createRedisBus({ url: redis.url, prefix }, options),
});

describe('Redis bus across a Redis restart', { skip: privateRedisSkip() }, () => {
  it('fails calls at once while Redis is down, reports one gap once resubscribed, then delivers again', async () => {
    const server = await startPrivateRedis();
    after(() => server.stop());
    let gaps = 0;
    let gapSeen: () => void = () => {};
    const received: BusMessage[] = [];
    let arrived: () => void = () => {};
    const options = (onGap?: () => void) => ({
      onHandlerError: (e: unknown) => assert.fail(String(e)),
      ...(onGap ? { onGap } : {}),
    });
    const subscriberNode = await createRedisBus(
      { url: server.url, prefix },
      options(() => {
        gaps++;
        gapSeen();
      }),
    );
    const publisherNode = await createRedisBus({ url: server.url, prefix }, options());
    try {
      await subscriberNode.subscribe(7, (m) => {
        received.push(m);
        arrived();
      });
      /** Resolves once an update with `pts` has arrived. */
      const updateArrives = (pts: number) =>
        new Promise<void>((resolve) => {
          const check = () => {
            if (received.some((m) => m.type === 'update' && m.pts === pts)) resolve();
          };
          arrived = check;
          check();
        });
      let got = updateArrives(1);
      await publisherNode.publish({
        type: 'update',
        userId: 7,
        pts: 1,
        kind: 'message',
        frame: '{}',
      });
      await got;

      await server.kill();
      await assert.rejects(subscriberNode.ping(), 'not ready while Redis is down');
      await assert.rejects(
        publisherNode.publish({ type: 'update', userId: 7, pts: 2, kind: 'message', frame: '{}' }),
        'a publish while Redis is down fails at once',
      );
      const gap = new Promise<void>((resolve) => (gapSeen = resolve));
      got = updateArrives(3);
      await server.start();
      await gap;
      assert.equal(gaps, 1, 'one gap for one reconnection');
      await waitFor(() => publisherNode.ping());
      await publisherNode.publish({
        type: 'update',
        userId: 7,
        pts: 3,
        kind: 'message',
        frame: '{"x":1}',
      });
      await got;
      assert.deepEqual(received.at(-1), {
        type: 'update',
        userId: 7,
        pts: 3,
        kind: 'message',
        frame: '{"x":1}',
      });
      // pts 2 is not there: Redis dropped it, and the gap report is how the node learns so.
      assert.ok(!received.some((m) => m.type === 'update' && m.pts === 2));
      await subscriberNode.ping();
    } finally {
      await subscriberNode.close();
      await publisherNode.close();
    }
  });
});

/** A TCP relay to Redis that a test can cut and restore: one node's network partition. */
async function startRelay(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const relayPort = (server.address() as AddressInfo).port;
  return {
    url: `redis://127.0.0.1:${relayPort}`,
    /** Drops every connection through the relay and refuses new ones. */
    async cut() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async restore() {
      server.listen(relayPort, '127.0.0.1');
      await once(server, 'listening');
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      if (server.listening) await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('Redis bus when one node loses Redis', { skip: redis.skip }, () => {
  // A guard, not a measure: without the resync the wait below would never end.
  it(
    'sends a resync for every user whose publish failed once that node reaches Redis again',
    { timeout: 30_000 },
    async () => {
      const relay = await startRelay(redis.url);
      after(() => relay.stop());
      const received: BusMessage[] = [];
      let arrived: () => void = () => {};
      const options = { onHandlerError: (e: unknown) => assert.fail(String(e)) };
      const cutOff = await createRedisBus({ url: relay.url, prefix }, options);
      const staying = await createRedisBus({ url: redis.url, prefix }, options);
      try {
        await staying.subscribe(8, (m) => {
          received.push(m);
          arrived();
        });
        await relay.cut();
        // The node notices it is cut off: its calls fail at once.
        await waitFor(() => assert.rejects(cutOff.ping()));
        await assert.rejects(
          cutOff.publish({ type: 'update', userId: 8, pts: 1, kind: 'message', frame: '{}' }),
        );
        const resync = new Promise<void>(
          (resolve) =>
            (arrived = () => {
              if (received.some((m) => m.type === 'resync')) resolve();
            }),
        );
        await relay.restore();
        await resync;
        assert.deepEqual(received, [{ type: 'resync', userId: 8 }]);
      } finally {
        await cutOff.close();
        await staying.close();
      }
    },
  );
});
