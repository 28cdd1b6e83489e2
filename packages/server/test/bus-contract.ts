/**
 * The Bus contract: every adapter runs this same suite (bus-memory.test.ts, bus-redis.test.ts). Each case opens its own bus and closes it. Cases wait for deliveries to arrive, never for
 * time to pass: "nothing arrives" is shown by a later message on the same topic arriving first.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bus, BusHandler, BusMessage, BusOptions } from '../src/bus/bus.js';

export interface BusSuiteOptions {
  name: string;
  /** Opens a new bus (a new node's connection to it). */
  createBus: (options: BusOptions) => Bus | Promise<Bus>;
  /** Skips the whole suite, saying why (for example: Redis is not reachable). */
  skip?: string;
}

let topics = 0;
/** A topic (user id) no other case uses, so cases may share a networked bus server. */
function topic(): number {
  return 1_000_000 + process.pid * 1000 + ++topics;
}

function update(userId: number, pts: number): BusMessage {
  return { type: 'update', userId, pts, kind: 'message', frame: `{"pts":${pts}}` };
}

/** A handler that records what it receives and lets a case wait for a given count. */
function recorder() {
  const received: BusMessage[] = [];
  let waiting: { count: number; resolve: () => void } | null = null;
  const handler: BusHandler = (message) => {
    received.push(message);
    if (waiting && received.length >= waiting.count) waiting.resolve();
  };
  return {
    handler,
    received,
    pts: () => received.map((m) => (m.type === 'update' ? m.pts : -1)),
    until(count: number): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve) => (waiting = { count, resolve }));
    },
  };
}

export function runBusSuite(options: BusSuiteOptions): void {
  describe(options.name, { skip: options.skip ?? false }, () => {
    async function withBus(
      run: (bus: Bus, handlerErrors: unknown[]) => Promise<void>,
    ): Promise<void> {
      const handlerErrors: unknown[] = [];
      const bus = await options.createBus({ onHandlerError: (e) => handlerErrors.push(e) });
      try {
        await run(bus, handlerErrors);
      } finally {
        await bus.close();
      }
    }

    it('delivers what is published after subscribe resolves, in publish order per topic', () =>
      withBus(async (bus) => {
        const user = topic();
        const r = recorder();
        await bus.subscribe(user, r.handler);
        // Not awaited one by one: the order of the calls is the order of delivery.
        await Promise.all(Array.from({ length: 200 }, (_, i) => bus.publish(update(user, i + 1))));
        await r.until(200);
        assert.deepEqual(
          r.pts(),
          Array.from({ length: 200 }, (_, i) => i + 1),
        );
      }));

    it('delivers every kind of message intact, the frame string as it was built', () =>
      withBus(async (bus) => {
        const user = topic();
        const r = recorder();
        await bus.subscribe(user, r.handler);
        const revoked: BusMessage = { type: 'sessions_revoked', userId: user, sessionIds: [3, 4] };
        const resync: BusMessage = { type: 'resync', userId: user };
        const signal: BusMessage = { type: 'signal', userId: user, since: 3, frame: '{"t":"x|y"}' };
        const awkward: BusMessage = {
          type: 'update',
          userId: user,
          pts: 8,
          kind: 'message',
          frame: '{"body":"a|b\\n\u00e9\ud83d\ude00"}',
        };
        await bus.publish(update(user, 7));
        await bus.publish(revoked);
        await bus.publish(resync);
        await bus.publish(signal);
        const withLegacy: BusMessage = {
          type: 'update',
          userId: user,
          pts: 9,
          kind: 'message',
          frame: '{"attachment":"|😀|"}',
          legacyFrame: '{"body":"[image] a|b.png"}',
        };
        await bus.publish(awkward);
        await bus.publish(withLegacy);
        await r.until(6);
        assert.deepEqual(r.received, [
          update(user, 7),
          revoked,
          resync,
          signal,
          awkward,
          withLegacy,
        ]);
      }));

    it("delivers a topic only to that topic's subscribers, to each of them once", () =>
      withBus(async (bus) => {
        const [one, two] = [topic(), topic()];
        const a = recorder();
        const b = recorder();
        await bus.subscribe(one, a.handler);
        await bus.subscribe(one, a.handler); // idempotent per handler
        await bus.subscribe(two, b.handler);
        await bus.publish(update(one, 1));
        await bus.publish(update(two, 2));
        await bus.publish(update(two, 3));
        await b.until(2);
        await bus.publish(update(one, 4));
        await a.until(2);
        assert.deepEqual(a.pts(), [1, 4]);
        assert.deepEqual(b.pts(), [2, 3]);
      }));

    it('stops delivering to a handler once its unsubscribe resolves', () =>
      withBus(async (bus) => {
        const user = topic();
        const leaving = recorder();
        const staying = recorder();
        await bus.subscribe(user, leaving.handler);
        await bus.subscribe(user, staying.handler);
        await bus.publish(update(user, 1));
        await leaving.until(1);
        await bus.unsubscribe(user, leaving.handler);
        await bus.publish(update(user, 2));
        await staying.until(2);
        assert.deepEqual(leaving.pts(), [1], 'nothing after unsubscribe');
        await bus.unsubscribe(user, staying.handler);
        await bus.unsubscribe(user, staying.handler); // a second time is harmless
      }));

    it('keeps delivering to other handlers and later messages when a handler throws', () =>
      withBus(async (bus, handlerErrors) => {
        const user = topic();
        const r = recorder();
        const boom = new Error('handler bug');
        await bus.subscribe(user, () => {
          throw boom;
        });
        await bus.subscribe(user, r.handler);
        await bus.publish(update(user, 1));
        await bus.publish(update(user, 2));
        await r.until(2);
        assert.deepEqual(r.pts(), [1, 2]);
        assert.ok(handlerErrors.includes(boom), 'the thrown error is reported');
      }));

    it('answers ping while open; after close, ping and publish reject and nothing is delivered', async () => {
      const bus = await options.createBus({ onHandlerError: () => {} });
      const user = topic();
      const r = recorder();
      await bus.subscribe(user, r.handler);
      await bus.ping();
      await bus.close();
      await assert.rejects(bus.ping());
      await assert.rejects(bus.publish(update(user, 1)));
      assert.deepEqual(r.received, []);
      await bus.close(); // a second close is harmless
    });
  });
}
