/**
 * Strings the stores used to disagree on (issue 8 item 3, issue 12 items 1 and 7), through real
 * sockets on SQLite and PostgreSQL: a body is either stored and pushed exactly as sent, or
 * refused with `invalid` and stored nowhere.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Message, ServerFrame, ServerFrameOf } from '@parley/protocol';
import type { ConfigInput } from '../src/index.js';
import { testPostgres } from './support/postgres.js';
import { RawClient } from './support/raw-client.js';
import {
  PASSWORD,
  connectDevice,
  connectUser,
  startTestServer,
  syncAll,
  uniqueName,
  type TestServer,
} from './support/server.js';

const postgres = await testPostgres();
const stores: Array<{
  name: string;
  skip: string | undefined;
  config: () => Promise<ConfigInput>;
}> = [
  { name: 'SQLite', skip: undefined, config: () => Promise.resolve({}) },
  {
    name: 'PostgreSQL',
    skip: postgres.skip,
    config: async () => ({ databaseUrl: await postgres.createDatabase() }),
  },
];

const isMessageUpdate = (f: ServerFrame): f is ServerFrameOf<'update'> =>
  f.type === 'update' && f.update.kind === 'message';

function bodyOf(frame: ServerFrame): string {
  assert.ok(isMessageUpdate(frame) && frame.update.kind === 'message');
  return frame.update.message.body;
}

/** A connection that has said hello and nothing else. */
async function greeted(url: string): Promise<RawClient> {
  const client = url.startsWith('tcp') ? await RawClient.tcp(url) : await RawClient.ws(url);
  await client.expect('welcome', { type: 'hello', versions: [1] });
  return client;
}

async function history(client: RawClient, conversationId: number): Promise<Message[]> {
  const page = await client.expect('history', { type: 'history', conversationId, limit: 1000 });
  return page.messages;
}

/** Texts every device must show exactly as typed. */
const FAITHFUL = [
  'emoji 👋🏽 and a family 👨‍👩‍👧',
  'rare CJK 𠜎𠜱 and 漢字',
  'مرحبا and שלום',
  'e\u0301 combining, \u200d joiner, \ufeff BOM, \ufffd replacement',
  'two lines\nand\ta tab',
];

/** Bodies refused with `invalid`: each would be stored or shown differently somewhere. */
const REFUSED: Array<[string, string]> = [
  ['a lone high surrogate', 'broken \ud83d here'],
  ['a lone low surrogate', 'broken \ude00 here'],
  ['U+0000', 'nul \u0000 here'],
  ['U+0001', '\u0001'.repeat(40)],
  ['an escape sequence', 'title \u001b]2;PWNED\u0007'],
  ['a carriage return', 'forged\rline'],
  ['DEL', 'del \u007f'],
  ['a C1 control', 'next line \u0085'],
];

for (const store of stores) {
  describe(`message text on ${store.name}`, { skip: store.skip ?? false }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({
        sendRate: 10_000,
        frameRate: 10_000,
        ipFrameRate: 10_000,
        ...(await store.config()),
      });
    });
    after(() => server.dispose());

    /** Alice (WebSocket) and her phone (TCP), Bob (TCP), all live, in one direct chat. */
    async function chat() {
      const alice = await connectUser(server.wsUrl);
      const bob = await connectUser(server.tcpUrl);
      const phone = await connectDevice(server.tcpUrl, alice.token);
      for (const c of [alice.client, bob.client, phone]) await syncAll(c, null);
      const opened = await alice.client.expect('conversation', {
        type: 'open_direct',
        username: bob.username,
      });
      const conversationId = opened.conversation.info.id;
      const close = () => {
        for (const c of [alice.client, bob.client, phone]) c.close();
      };
      return { alice, bob, phone, conversationId, close };
    }

    it('shows the sender, a second device and the stored history exactly the text sent', async () => {
      const { alice, bob, phone, conversationId, close } = await chat();
      for (const [i, body] of FAITHFUL.entries()) {
        const sent = await alice.client.expect('sent', {
          type: 'send',
          conversationId,
          clientMsgId: `faithful-${i}`,
          body,
        });
        assert.equal(sent.seq, i + 1);
        // The sender's own device hears its message back on the update stream, like the others.
        for (const device of [alice.client, phone, bob.client]) {
          assert.equal(bodyOf(await device.next(isMessageUpdate)), body);
        }
      }
      const stored = await history(bob.client, conversationId);
      assert.deepEqual(
        stored.map((m) => m.body),
        FAITHFUL,
      );
      close();
    });

    it('refuses bodies with lone surrogates or control characters as invalid and stores nothing', async () => {
      const { alice, bob, phone, conversationId, close } = await chat();
      for (const [what, body] of REFUSED) {
        for (const sender of [alice.client, phone]) {
          const reply = await sender.request({
            type: 'send',
            conversationId,
            clientMsgId: uniqueName('bad'),
            body,
          });
          assert.equal(reply.type, 'error', what);
          assert.equal(reply.type === 'error' && reply.code, 'invalid', what);
          assert.match(reply.type === 'error' ? reply.message : '', /^body: /, what);
        }
      }
      // Nothing was stored or pushed: the next good message is the conversation's first.
      const sent = await alice.client.expect('sent', {
        type: 'send',
        conversationId,
        clientMsgId: 'good',
        body: 'still here',
      });
      assert.equal(sent.seq, 1);
      for (const device of [bob.client, phone]) {
        assert.equal(bodyOf(await device.next(isMessageUpdate)), 'still here');
      }
      assert.deepEqual(
        (await history(bob.client, conversationId)).map((m) => m.body),
        ['still here'],
      );
      close();
    });

    it('keeps 160 innocent sends whole while one user resends lone-surrogate clientMsgIds', async () => {
      // The review's batch-poisoning route: each resend of such an id missed the duplicate
      // check and broke the unique index, failing every send of its batch with internal.
      const pairs = await Promise.all(Array.from({ length: 4 }, () => chat()));
      const attacker = pairs[0]!.alice.client;
      const poisonSend = (i: number) =>
        attacker.request({
          type: 'send',
          conversationId: pairs[0]!.conversationId,
          clientMsgId: `dup-${i % 4}-\ud800`,
          body: 'again',
        });
      // First sends of the ids, then their resends mixed into the innocent traffic.
      for (let i = 0; i < 4; i++) await poisonSend(i);
      const poison = Array.from({ length: 40 }, (_, i) => poisonSend(i));
      const innocent = pairs.flatMap(({ bob, conversationId }, k) =>
        Array.from({ length: 40 }, (_, i) =>
          bob.client.request({
            type: 'send',
            conversationId,
            clientMsgId: `innocent-${k}-${i}`,
            body: `innocent ${i}`,
          }),
        ),
      );
      const [poisonReplies, innocentReplies] = await Promise.all([
        Promise.all(poison),
        Promise.all(innocent),
      ]);
      assert.equal(innocentReplies.filter((r) => r.type === 'sent').length, 160);
      assert.deepEqual(
        new Set(poisonReplies.map((r) => (r.type === 'error' ? r.code : r.type))),
        new Set(['invalid']),
      );
      for (const { bob, conversationId, close } of pairs) {
        const stored = await history(bob.client, conversationId);
        assert.deepEqual(
          stored.filter((m) => m.senderId === bob.userId).map((m) => m.body),
          Array.from({ length: 40 }, (_, i) => `innocent ${i}`),
        );
        close();
      }
    });

    it('refuses a clientMsgId with a lone surrogate or a control character as invalid', async () => {
      const { alice, conversationId, close } = await chat();
      for (const clientMsgId of ['id-\ud800', 'id-\udc00', 'id-\u0000', 'id\n']) {
        const reply = await alice.client.request({
          type: 'send',
          conversationId,
          clientMsgId,
          body: 'hello',
        });
        assert.equal(reply.type === 'error' && reply.code, 'invalid', JSON.stringify(clientMsgId));
      }
      assert.deepEqual(await history(alice.client, conversationId), []);
      close();
    });

    it('refuses a password or device name that is not well-formed, at register and at login', async () => {
      const name = uniqueName();
      const refusedAt = async (frame: Record<string, unknown>) => {
        const client = await greeted(server.tcpUrl);
        const reply = await client.request(frame);
        client.close();
        assert.equal(reply.type === 'error' && reply.code, 'invalid', JSON.stringify(frame));
      };
      await refusedAt({ type: 'register', username: name, password: `${PASSWORD}\ud800` });
      await refusedAt({ type: 'register', username: name, password: PASSWORD, device: 'a\udbff' });
      await refusedAt({
        type: 'register',
        username: name,
        password: PASSWORD,
        device: '\u001b[2J',
      });

      // None of the refused registrations created the account: the name is still free.
      const user = await connectUser(server.wsUrl, name);
      user.client.close();
      // Before, a password ending in a lone surrogate also matched any other one (or U+FFFD).
      await refusedAt({ type: 'login', username: name, password: `${PASSWORD}\udbff` });
      await refusedAt({ type: 'login', username: name, password: PASSWORD, device: '\ud800' });
      await refusedAt({ type: 'login', username: `${name}\u0000`, password: PASSWORD });
    });

    it('refuses a username with U+0000 in open_direct as invalid, not internal', async () => {
      const { alice, bob, close } = await chat();
      const reply = await alice.client.request({
        type: 'open_direct',
        username: `${bob.username}\u0000`,
      });
      assert.equal(reply.type === 'error' && reply.code, 'invalid');
      close();
    });
  });
}
