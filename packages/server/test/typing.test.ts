/** "alice is typing…": live to the other members' current devices, never stored, never abused. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerFrame, ServerFrameOf } from '@parley/protocol';
import { RawClient } from './support/raw-client.js';
import {
  connectDevice,
  connectUser,
  startTestServer,
  syncAll,
  type TestServer,
} from './support/server.js';

const V3 = [3];

describe('typing indicators', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ sendRate: 10_000, frameRate: 10_000, ipFrameRate: 10_000 });
  });
  after(() => server.dispose());

  /** The typing frames a client receives before its next message update (both taken). */
  async function framesUntilMessage(client: RawClient): Promise<ServerFrame[]> {
    const typing: ServerFrame[] = [];
    for (;;) {
      const frame = await client.next(
        (f) => f.type === 'typing' || (f.type === 'update' && f.update.kind === 'message'),
      );
      if (frame.type !== 'typing') return typing;
      typing.push(frame);
    }
  }

  async function pair(url: string) {
    const alice = await connectUser(url, undefined, V3);
    const bob = await connectUser(url, undefined, V3);
    await syncAll(alice.client, null);
    await syncAll(bob.client, null);
    const conversationId = (
      await alice.client.expect('conversation', { type: 'open_direct', username: bob.username })
    ).conversation.info.id;
    return { alice, bob, conversationId };
  }

  for (const kind of ['ws', 'tcp'] as const) {
    it(`shows the peer typing, once per refresh however fast the keys go, over ${kind}`, async () => {
      const url = kind === 'ws' ? server.wsUrl : server.tcpUrl;
      const { alice, bob, conversationId } = await pair(url);
      const atBob = framesUntilMessage(bob.client);
      for (let key = 0; key < 10; key++)
        alice.client.send({ type: 'typing', conversationId, active: true });
      await alice.client.expect('sent', {
        type: 'send',
        conversationId,
        clientMsgId: 'm1',
        body: 'typed',
      });
      const typing = (await atBob) as ServerFrameOf<'typing'>[];
      assert.deepEqual(typing, [
        { type: 'typing', conversationId, userId: alice.userId, active: true },
      ]);

      // Typing again right after the message shows again: the message ended the last one.
      const again = framesUntilMessage(bob.client);
      alice.client.send({ type: 'typing', conversationId, active: true });
      await alice.client.expect('sent', {
        type: 'send',
        conversationId,
        clientMsgId: 'm1b',
        body: 'and more',
      });
      assert.equal((await again).length, 1);
      const typingAgain = bob.client.next((f) => f.type === 'typing');
      alice.client.send({ type: 'typing', conversationId, active: true });
      assert.equal(((await typingAgain) as ServerFrameOf<'typing'>).active, true);

      const stopped = bob.client.next((f) => f.type === 'typing');
      alice.client.send({ type: 'typing', conversationId, active: false });
      assert.deepEqual(await stopped, {
        type: 'typing',
        conversationId,
        userId: alice.userId,
        active: false,
      });
      alice.client.close();
      bob.client.close();
    });
  }

  it("reaches neither the typer's own devices nor devices on protocol 2", async () => {
    const { alice, bob, conversationId } = await pair(server.wsUrl);
    const aliceLaptop = await connectDevice(server.wsUrl, alice.token, V3);
    const bobOld = await connectDevice(server.wsUrl, bob.token, [2]);
    await syncAll(aliceLaptop, null);
    await syncAll(bobOld, null);
    const atLaptop = framesUntilMessage(aliceLaptop);
    const atOld = framesUntilMessage(bobOld);
    const atBob = framesUntilMessage(bob.client);
    alice.client.send({ type: 'typing', conversationId, active: true });
    await alice.client.expect('sent', {
      type: 'send',
      conversationId,
      clientMsgId: 'm2',
      body: 'hi',
    });
    assert.equal((await atBob).length, 1, 'the current device of the peer sees it');
    assert.deepEqual(await atLaptop, []);
    assert.deepEqual(await atOld, []);
    for (const c of [alice.client, aliceLaptop, bob.client, bobOld]) c.close();
  });

  it('refuses typing from a stranger to the conversation, and before login', async () => {
    const { alice, bob, conversationId } = await pair(server.wsUrl);
    const mallory = await connectUser(server.wsUrl, undefined, V3);
    await syncAll(mallory.client, null);
    const atBob = framesUntilMessage(bob.client);
    mallory.client.send({ type: 'typing', conversationId, active: true });
    const refused = (await mallory.client.next(
      (f) => f.type === 'error',
    )) as ServerFrameOf<'error'>;
    assert.equal(refused.code, 'forbidden');
    assert.equal(refused.id, null);
    await alice.client.expect('sent', {
      type: 'send',
      conversationId,
      clientMsgId: 'm3',
      body: 'only us',
    });
    assert.deepEqual(await atBob, [], "the stranger's typing reached nobody");

    const fresh = await RawClient.ws(server.wsUrl);
    await fresh.expect('welcome', { type: 'hello', versions: V3 });
    fresh.send({ type: 'typing', conversationId, active: true });
    assert.equal(
      ((await fresh.next((f) => f.type === 'error')) as ServerFrameOf<'error'>).code,
      'unauthenticated',
    );
    fresh.send({ type: 'typing', conversationId: 'one', active: 'yes' });
    assert.equal(
      ((await fresh.next((f) => f.type === 'error')) as ServerFrameOf<'error'>).code,
      'invalid',
    );
    for (const c of [alice.client, bob.client, mallory.client, fresh]) c.close();
  });
});
