/** Presence as contacts see it: online, away, busy, invisible, offline with last seen. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Presence, ServerFrame, ServerFrameOf } from '@parley/protocol';
import { RawClient } from './support/raw-client.js';
import {
  connectDevice,
  connectUser,
  startTestServer,
  syncAll,
  type TestServer,
} from './support/server.js';

const V3 = [3];

describe('presence', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ frameRate: 10_000, ipFrameRate: 10_000 });
  });
  after(() => server.dispose());

  /** Two users who share a conversation, both live on protocol 3. */
  async function contacts() {
    const alice = await connectUser(server.wsUrl, undefined, V3);
    const bob = await connectUser(server.tcpUrl, undefined, V3);
    await syncAll(alice.client, null);
    await syncAll(bob.client, null);
    await alice.client.expect('conversation', { type: 'open_direct', username: bob.username });
    return { alice, bob };
  }

  /** The next presence change about `userId` that `client` is pushed. */
  async function nextChange(
    client: RawClient,
    userId: number,
    match: (p: Presence) => boolean = () => true,
  ): Promise<Presence> {
    const frame = (await client.next(
      (f) => f.type === 'presence_changed' && f.presence.userId === userId && match(f.presence),
    )) as ServerFrameOf<'presence_changed'>;
    return frame.presence;
  }

  async function ask(client: RawClient, userIds: number[]): Promise<Presence[]> {
    return (await client.expect('presence', { type: 'presence', userIds })).users;
  }

  it('shows a contact online, away when idle, busy, offline when invisible, and back', async () => {
    const { alice, bob } = await contacts();
    assert.deepEqual(await ask(bob.client, [alice.userId]), [
      { userId: alice.userId, status: 'online', lastSeenAt: null },
    ]);

    let change = nextChange(bob.client, alice.userId);
    await alice.client.expect('ok', { type: 'set_presence', idle: true });
    assert.equal((await change).status, 'away');

    change = nextChange(bob.client, alice.userId);
    const own = nextChange(alice.client, alice.userId, (p) => p.choice === 'busy');
    await alice.client.expect('ok', { type: 'set_presence', choice: 'busy', idle: false });
    assert.equal((await change).status, 'busy');
    assert.equal((await own).status, 'busy', "the user's own devices learn the choice");

    change = nextChange(bob.client, alice.userId);
    await alice.client.expect('ok', { type: 'set_presence', choice: 'invisible' });
    const hidden = await change;
    assert.equal(hidden.status, 'offline');
    assert.equal(hidden.choice, undefined, 'a contact is not told that the user hides');
    assert.deepEqual(await ask(bob.client, [alice.userId]), [hidden]);
    const [self] = await ask(alice.client, [alice.userId]);
    assert.equal(self?.choice, 'invisible');

    change = nextChange(bob.client, alice.userId);
    await alice.client.expect('ok', { type: 'set_presence', choice: 'online' });
    assert.equal((await change).status, 'online');
    alice.client.close();
    bob.client.close();
  });

  it('shows offline with the time last seen once every device has gone', async () => {
    const { alice, bob } = await contacts();
    const laptop = await connectDevice(server.wsUrl, alice.token, V3);
    const before = Date.now();
    const change = nextChange(bob.client, alice.userId);
    alice.client.close();
    laptop.close();
    const gone = await change;
    assert.equal(gone.status, 'offline');
    assert.ok(gone.lastSeenAt !== null && gone.lastSeenAt >= before, 'last seen when it left');
    assert.deepEqual(await ask(bob.client, [alice.userId]), [gone]);

    // Back: the choice was kept, the contact sees the user again.
    const back = nextChange(bob.client, alice.userId);
    const again = await connectDevice(server.wsUrl, alice.token, V3);
    assert.equal((await back).status, 'online');
    again.close();
    bob.client.close();
  });

  it('shows a stranger nothing, and tells protocol-2 devices nothing', async () => {
    const { alice, bob } = await contacts();
    const mallory = await connectUser(server.wsUrl, undefined, V3);
    assert.deepEqual(await ask(mallory.client, [alice.userId, 987_654]), [
      { userId: alice.userId, status: 'offline', lastSeenAt: null },
      { userId: 987_654, status: 'offline', lastSeenAt: null },
    ]);

    const old = await connectDevice(server.wsUrl, bob.token, [2]);
    await syncAll(old, null);
    const seen: ServerFrame[] = [];
    const message = old.next((f) => {
      seen.push(f);
      return f.type === 'update' && f.update.kind === 'message';
    });
    const change = nextChange(bob.client, alice.userId);
    await alice.client.expect('ok', { type: 'set_presence', choice: 'busy' });
    await change;
    const conversationId = (
      await alice.client.expect('conversation', { type: 'open_direct', username: bob.username })
    ).conversation.info.id;
    await alice.client.expect('sent', {
      type: 'send',
      conversationId,
      clientMsgId: 'after-busy',
      body: 'hi',
    });
    await message;
    assert.deepEqual(
      seen.filter((f) => f.type === 'presence_changed'),
      [],
    );
    for (const c of [alice.client, bob.client, mallory.client, old]) c.close();
  });

  it('refuses malformed, oversize and unauthenticated presence frames', async () => {
    const anonymous = await RawClient.ws(server.wsUrl);
    await anonymous.expect('welcome', { type: 'hello', versions: V3 });
    const codeOf = async (client: RawClient, frame: Record<string, unknown>) =>
      ((await client.request(frame)) as ServerFrameOf<'error'>).code;
    assert.equal(await codeOf(anonymous, { type: 'presence', userIds: [1] }), 'unauthenticated');
    assert.equal(
      await codeOf(anonymous, { type: 'set_presence', choice: 'busy' }),
      'unauthenticated',
    );
    const { client } = await connectUser(server.wsUrl, undefined, V3);
    assert.equal(await codeOf(client, { type: 'set_presence' }), 'invalid');
    assert.equal(await codeOf(client, { type: 'set_presence', choice: 'away' }), 'invalid');
    assert.equal(await codeOf(client, { type: 'set_presence', idle: 'yes' }), 'invalid');
    const many = Array.from({ length: 501 }, (_, i) => i + 1);
    assert.equal(await codeOf(client, { type: 'presence', userIds: many }), 'invalid');
    assert.equal(await codeOf(client, { type: 'presence', userIds: [0] }), 'invalid');
    anonymous.close();
    client.close();
  });
});
