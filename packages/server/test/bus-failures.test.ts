/**
 * The bus as a real port, seen through a real server: a bus that fails or answers late (as a
 * networked one will) never takes the node down, never loses a device's live updates for good,
 * and shows in /readyz and /metrics.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerFrame } from '@parley/protocol';
import { createControlledBus, gate } from './support/controlled-bus.js';
import { connectDevice, connectUser, startTestServer, syncAll } from './support/server.js';

const pushOf = (pts: number) => (f: ServerFrame) => f.type === 'update' && f.pts === pts;

async function pair(server: { wsUrl: string; tcpUrl: string }) {
  const alice = await connectUser(server.wsUrl);
  const bob = await connectUser(server.tcpUrl);
  const conversationId = (
    await alice.client.expect('conversation', { type: 'open_direct', username: bob.username })
  ).conversation.info.id;
  return { alice, bob, conversationId };
}

describe('the bus as a port', () => {
  it('keeps serving when publishes fail: sends succeed, the peer gets them by sync, failures are counted', async () => {
    const bus = createControlledBus();
    const server = await startTestServer({}, { createBus: bus.createBus });
    try {
      const alice = await connectUser(server.wsUrl);
      const bob = await connectUser(server.tcpUrl);
      bus.failPublish = true;
      // Opening a conversation and sending both publish; neither may fail nor crash the node.
      const conversationId = (
        await alice.client.expect('conversation', { type: 'open_direct', username: bob.username })
      ).conversation.info.id;
      const sent = await alice.client.expect('sent', {
        type: 'send',
        conversationId,
        clientMsgId: 'while-bus-down',
        body: 'still stored',
      });
      assert.equal(sent.seq, 1);
      await alice.client.expect('ok', { type: 'read', conversationId, seq: 1 });

      const { updates } = await syncAll(bob.client, 0);
      const bodies = updates.flatMap((u) =>
        u.update.kind === 'message' ? [u.update.message.body] : [],
      );
      assert.deepEqual(bodies, ['still stored'], 'the recipient recovers what the bus dropped');

      const metrics = await (await fetch(server.metricsUrl!)).text();
      const failed = /parley_bus_errors_total\{op="publish"\} (\d+)/.exec(metrics);
      assert.ok(failed && Number(failed[1]) >= 3, 'failed publishes are counted');
      assert.equal((await alice.client.request({ type: 'ping' })).type, 'pong');
      for (const c of [alice.client, bob.client]) c.close();
    } finally {
      await server.dispose();
    }
  });

  it('answers /readyz 503 while the bus is unreachable, 200 again once it is back', async () => {
    const bus = createControlledBus();
    const server = await startTestServer({}, { createBus: bus.createBus });
    try {
      assert.equal((await fetch(`${server.httpUrl}/readyz`)).status, 200);
      bus.failPing = true;
      assert.equal((await fetch(`${server.httpUrl}/readyz`)).status, 503);
      bus.failPing = false;
      assert.equal((await fetch(`${server.httpUrl}/readyz`)).status, 200);
    } finally {
      await server.dispose();
    }
  });

  it('puts a device live only once its subscription is in effect, so no push falls between', async () => {
    const bus = createControlledBus();
    const server = await startTestServer({}, { createBus: bus.createBus });
    try {
      const { alice, bob, conversationId } = await pair(server);
      const { pts } = await syncAll(bob.client, 0);
      bob.client.close();
      await bus.next('unsubscribe', 'done');

      // The subscription of Bob's next device answers late.
      const slow = gate();
      bus.gates.subscribe = slow.promise;
      const phone = await connectDevice(server.tcpUrl, bob.token);
      const page = phone.expect('updates', { type: 'sync', pts });
      await alice.client.expect('sent', {
        type: 'send',
        conversationId,
        clientMsgId: 'during-subscribe',
        body: 'first',
      });
      slow.open();
      const first = await page;
      const second = await alice.client.expect('sent', {
        type: 'send',
        conversationId,
        clientMsgId: 'after-subscribe',
        body: 'second',
      });
      assert.equal(second.seq, 2);
      await phone.next(pushOf(pts + 2));
      const seen = [
        ...first.updates.map((u) => u.pts),
        ...phone.frames.flatMap((f) => (f.type === 'update' ? [f.pts] : [])),
      ];
      assert.ok(
        seen.includes(pts + 1),
        `the first message reached the phone (saw ${seen.join(', ')})`,
      );
      for (const c of [alice.client, phone]) c.close();
    } finally {
      await server.dispose();
    }
  });

  it('keeps a device that reconnects at once subscribed, though the old unsubscribe finishes late', async () => {
    const bus = createControlledBus();
    const server = await startTestServer({}, { createBus: bus.createBus });
    try {
      const { alice, bob, conversationId } = await pair(server);
      const { pts } = await syncAll(bob.client, 0);

      const slow = gate();
      bus.gates.unsubscribe = slow.promise;
      const unsubscribing = bus.next('unsubscribe', 'called');
      bob.client.close();
      await unsubscribing;
      const phone = await connectDevice(server.tcpUrl, bob.token);
      const page = phone.expect('updates', { type: 'sync', pts });
      const unsubscribed = bus.next('unsubscribe', 'done');
      slow.open();
      await unsubscribed;
      await page;

      await alice.client.expect('sent', {
        type: 'send',
        conversationId,
        clientMsgId: 'after-reconnect',
        body: 'live',
      });
      const push = await phone.next(pushOf(pts + 1));
      assert.equal(push.type, 'update');
      for (const c of [alice.client, phone]) c.close();
    } finally {
      await server.dispose();
    }
  });
});
