/**
 * Large backlogs and newer servers, as an SDK user lives through them: a device that missed
 * many large messages gets them all, a long conversation list comes whole, and an update kind
 * this SDK does not know (a newer server's) is skipped without losing the link or the cursor.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OutboxEntry, ParleyClient } from '../src/index.js';
import { transportFor } from '../src/node/index.js';
import { faultyNetwork } from './support/fault.js';
import {
  collect,
  nextEvent,
  reachState,
  registered,
  startTestServer,
  type TestServer,
} from './support/sdk.js';

function seqOf(entry: OutboxEntry): number {
  assert.ok(entry.status === 'sent');
  return entry.seq;
}

/** 4,000 legal characters, about 12 KB on the wire. */
const HEAVY_BODY = '界'.repeat(4000);

describe('pages and newer servers (SDK)', () => {
  let server: TestServer;
  const clients: ParleyClient[] = [];
  const track = (client: ParleyClient) => (clients.push(client), client);
  before(async () => {
    server = await startTestServer({
      sendRate: 100_000,
      frameRate: 100_000,
      ipFrameRate: 100_000,
      // Pages of 16 KiB: one heavy message or summary each, so every list takes many pages.
      outboundQueueBytes: 64 * 1024,
    });
  });
  after(async () => {
    for (const client of clients) client.close();
    await server.dispose();
  });

  for (const kind of ['ws', 'tcp'] as const) {
    it(`applies all 200 large messages a ${kind} device missed, without being cut`, async () => {
      const url = kind === 'ws' ? server.wsUrl : server.tcpUrl;
      const alice = track(await registered(url));
      const bob = track(await registered(url));
      // The server pushes bob's `conversation` before it answers alice: wait from before asking.
      const bobSees = nextEvent(bob, 'conversation');
      const chat = await alice.openDirect(bob.user!.username);
      await bobSees;
      bob.close();
      const sends = [];
      for (let i = 0; i < 200; i++) sends.push(alice.sendAndWait(chat.info.id, HEAVY_BODY));
      await Promise.all(sends);

      const messages = collect(bob, 'message');
      const states = collect(bob, 'state');
      await bob.connect();
      await reachState(bob, 'online');
      assert.deepEqual(
        messages.map((m) => m.message.seq),
        Array.from({ length: 200 }, (_, i) => i + 1),
      );
      assert.ok(messages.every((m) => m.message.body === HEAVY_BODY));
      assert.deepEqual(
        states.filter((s) => s.status === 'reconnecting'),
        [],
        'never cut',
      );
    });
  }

  it('conversations() follows the pages to the whole list', async () => {
    const me = track(await registered(server.wsUrl));
    const expected: number[] = [];
    for (let i = 0; i < 8; i++) {
      const stranger = track(await registered(server.tcpUrl));
      const chat = await stranger.openDirect(me.user!.username);
      await stranger.sendAndWait(chat.info.id, HEAVY_BODY);
      expected.unshift(chat.info.id);
      stranger.close();
    }
    const first = await me.conversationsPage();
    assert.ok(first.cursor !== null, 'one page does not hold them all');
    assert.ok(first.conversations.length < 8);
    const list = await me.conversations();
    assert.deepEqual(
      list.map((c) => c.info.id),
      expected,
      'every conversation once, newest activity first',
    );
  });

  it('skips an update kind it does not know, in a sync page and live, and stays connected', async () => {
    const network = faultyNetwork(transportFor(server.wsUrl));
    // A newer server: read cursors arrive as a kind this SDK has never heard of.
    network.rewrite = (text) =>
      text.replaceAll('"update":{"kind":"read"', '"update":{"kind":"reaction"');
    const bob = track(await registered(server.wsUrl, { transport: network.transport }));
    const alice = track(await registered(server.wsUrl));
    const chat = await alice.openDirect(bob.user!.username);
    const reads = collect(bob, 'read');
    const states = collect(bob, 'state');

    // Live: alice's read cursor moves (an unknown update for bob), then a message follows it.
    const bobGotOne = nextEvent(bob, 'message', (e) => e.message.body === 'one');
    const first = await alice.sendAndWait(chat.info.id, 'one');
    await bobGotOne;
    await alice.markRead(chat.info.id, seqOf(first));
    const second = nextEvent(bob, 'message', (e) => e.message.body === 'two');
    await alice.sendAndWait(chat.info.id, 'two');
    assert.equal((await second).live, true);
    // Bob's stream: conversation, "one", alice's read (unknown here), "two".
    assert.equal(bob.pts, 4, 'the cursor moved past the unknown update');

    // In a sync page: bob is away while the unknown kind and another message are written.
    bob.close();
    const third = await alice.sendAndWait(chat.info.id, 'three');
    await alice.markRead(chat.info.id, seqOf(third));
    const fourth = await alice.sendAndWait(chat.info.id, 'four');
    const caughtUp = nextEvent(bob, 'message', (e) => e.message.seq === seqOf(fourth));
    await bob.connect();
    await caughtUp;
    await reachState(bob, 'online');
    // Then: "three", the read (unknown), "four".
    assert.equal(bob.pts, 7);
    assert.deepEqual(reads, [], 'no unknown update surfaced as a read');
    assert.deepEqual(
      states.filter((s) => s.status === 'reconnecting'),
      [],
      'the link never dropped',
    );
  });
});
