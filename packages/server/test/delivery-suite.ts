/** The delivery contract of the brief, line by line, against a real server and SQLite file. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConfigInput } from '../src/index.js';
import type { Message, ServerFrameOf } from '@parley/protocol';
import {
  connectDevice,
  connectUser,
  startTestServer,
  syncAll,
  type TestServer,
} from './support/server.js';
import type { RawClient } from './support/raw-client.js';

async function openChat(client: RawClient, peer: string): Promise<number> {
  const reply = await client.expect('conversation', { type: 'open_direct', username: peer });
  return reply.conversation.info.id;
}

async function allHistory(client: RawClient, conversationId: number): Promise<Message[]> {
  const messages: Message[] = [];
  let after = 0;
  for (;;) {
    const page = await client.expect('history', {
      type: 'history',
      conversationId,
      after,
      limit: 100,
    });
    messages.push(...page.messages);
    if (!page.hasMore) return messages;
    after = page.messages.at(-1)!.seq;
  }
}

/** Runs the contract against a server built from `config()` (SQLite here, PostgreSQL below). */
export function runDeliverySuite(name: string, config: () => Promise<ConfigInput>, skip?: string) {
  describe(name, { skip: skip ?? false }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({
        sendRate: 10_000,
        frameRate: 10_000,
        ipFrameRate: 10_000,
        ...(await config()),
      });
    });
    after(() => server.dispose());

    it("gives each conversation gap-free, increasing seqs and keeps each sender's order under concurrent sends", async () => {
      const alice = await connectUser(server.wsUrl);
      const bob = await connectUser(server.tcpUrl);
      const conversationId = await openChat(alice.client, bob.username);
      const send = (c: RawClient, who: string, i: number) =>
        c.expect('sent', {
          type: 'send',
          conversationId,
          clientMsgId: `${who}-${i}`,
          body: `${who} ${i}`,
        });
      const acks = await Promise.all([
        ...Array.from({ length: 60 }, (_, i) => send(alice.client, 'a', i)),
        ...Array.from({ length: 60 }, (_, i) => send(bob.client, 'b', i)),
      ]);
      const history = await allHistory(alice.client, conversationId);
      assert.deepEqual(
        history.map((m) => m.seq),
        Array.from({ length: 120 }, (_, i) => i + 1),
      );
      for (const who of ['a', 'b']) {
        const mine = history.filter((m) => m.clientMsgId.startsWith(`${who}-`)).map((m) => m.body);
        assert.deepEqual(
          mine,
          Array.from({ length: 60 }, (_, i) => `${who} ${i}`),
        );
      }
      assert.equal(new Set(acks.map((a) => a.seq)).size, 120);
      alice.client.close();
      bob.client.close();
    });

    it('returns the same seq for a resent clientMsgId and stores no duplicate', async () => {
      const alice = await connectUser(server.wsUrl);
      const bob = await connectUser(server.wsUrl);
      const conversationId = await openChat(alice.client, bob.username);
      const frame = { type: 'send', conversationId, clientMsgId: 'once', body: 'only once' };
      const first = await alice.client.expect('sent', frame);
      // The ack was "lost": the client resends from another connection of the same user.
      const again = await connectDevice(server.tcpUrl, alice.token);
      const second = await again.expect('sent', frame);
      assert.equal(first.duplicate, false);
      assert.equal(second.duplicate, true);
      assert.equal(second.seq, first.seq);
      assert.equal(second.ts, first.ts);
      const history = await allHistory(bob.client, conversationId);
      assert.deepEqual(
        history.map((m) => m.body),
        ['only once'],
      );
      for (const c of [alice.client, bob.client, again]) c.close();
    });

    it("delivers a sent message live to the recipient and to the sender's other device", async () => {
      const alice = await connectUser(server.wsUrl);
      const bob = await connectUser(server.wsUrl);
      const alicePhone = await connectDevice(server.tcpUrl, alice.token);
      for (const c of [alice.client, bob.client, alicePhone]) await syncAll(c, null);
      const conversationId = await openChat(alice.client, bob.username);
      await alice.client.expect('sent', {
        type: 'send',
        conversationId,
        clientMsgId: 'm1',
        body: 'hi bob',
      });
      for (const device of [bob.client, alicePhone]) {
        const update = (await device.next(
          (f) => f.type === 'update' && f.update.kind === 'message',
        )) as ServerFrameOf<'update'>;
        assert.equal(update.update.kind === 'message' && update.update.message.body, 'hi bob');
      }
      for (const c of [alice.client, bob.client, alicePhone]) c.close();
    });

    it('delivers messages sent while the recipient was offline, in order, when it resumes from its cursor', async () => {
      const alice = await connectUser(server.wsUrl);
      const bob = await connectUser(server.tcpUrl);
      const { pts: bobCursor } = await syncAll(bob.client, null);
      bob.client.close();
      await bob.client.whenClosed;

      const conversationId = await openChat(alice.client, bob.username);
      for (let i = 0; i < 250; i++) {
        await alice.client.expect('sent', {
          type: 'send',
          conversationId,
          clientMsgId: `off-${i}`,
          body: `m${i}`,
        });
      }
      const bobAgain = await connectDevice(server.tcpUrl, bob.token);
      const { updates, pts } = await syncAll(bobAgain, bobCursor);
      const kinds = updates.map((u) => u.update.kind);
      assert.equal(kinds[0], 'conversation', 'the new conversation arrives before its messages');
      const bodies = updates.flatMap((u) =>
        u.update.kind === 'message' ? [u.update.message.body] : [],
      );
      assert.deepEqual(
        bodies,
        Array.from({ length: 250 }, (_, i) => `m${i}`),
      );
      const ptsList = updates.map((u) => u.pts);
      assert.deepEqual(
        ptsList,
        Array.from({ length: ptsList.length }, (_, i) => bobCursor + 1 + i),
        'pts gap-free',
      );
      assert.equal(pts, ptsList.at(-1));

      // Live traffic follows the replay.
      await alice.client.expect('sent', {
        type: 'send',
        conversationId,
        clientMsgId: 'after',
        body: 'live now',
      });
      const live = (await bobAgain.next((f) => f.type === 'update')) as ServerFrameOf<'update'>;
      assert.equal(live.pts, pts + 1);
      alice.client.close();
      bobAgain.close();
    });
  });
}
