/**
 * Bad input on every frame type and transport: each gets its typed error or a close, the server
 * stays up, and nothing is half-written.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { clientFrameSchemas, type ServerFrameOf } from '@parley/protocol';
import { RawClient } from './support/raw-client.js';
import { connectUser, startTestServer, type TestServer } from './support/server.js';

async function errorOf(client: RawClient, frame: Record<string, unknown>) {
  const reply = await client.request(frame);
  assert.equal(
    reply.type,
    'error',
    `expected an error for ${JSON.stringify(frame)}, got ${JSON.stringify(reply)}`,
  );
  return reply as ServerFrameOf<'error'>;
}

async function greeted(url: string) {
  const client = url.startsWith('tcp') ? await RawClient.tcp(url) : await RawClient.ws(url);
  await client.expect('welcome', { type: 'hello', versions: [1] });
  return client;
}

async function assertServerUp(server: TestServer) {
  assert.equal((await fetch(`${server.httpUrl}/healthz`)).status, 200);
}

describe('bad input', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      maxFrameBytes: 4096,
      maxMessageChars: 100,
      loginAttempts: 3,
      frameRate: 20,
    });
  });
  after(() => server.dispose());

  for (const transport of ['ws', 'tcp'] as const) {
    const url = () => (transport === 'ws' ? server.wsUrl : server.tcpUrl);

    it(`answers malformed JSON, non-objects and unknown types with typed errors and stays usable (${transport})`, async () => {
      const client = await greeted(url());
      client.sendText('{not json');
      assert.equal(((await client.next()) as ServerFrameOf<'error'>).code, 'bad_frame');
      client.sendText('[1,2,3]');
      assert.equal(((await client.next()) as ServerFrameOf<'error'>).code, 'bad_frame');
      const unknown = await errorOf(client, { type: 'teleport' });
      assert.equal(unknown.code, 'unknown_type');
      assert.match(unknown.id!, /^r/, 'the request id is echoed');
      assert.equal((await errorOf(client, { kind: 'send' })).code, 'invalid');
      const pong = await client.request({ type: 'ping' });
      assert.equal(pong.type, 'pong', 'the connection is still usable');
      client.close();
    });

    it(`rejects every request type with missing fields as invalid (${transport})`, async () => {
      const client = await greeted(url());
      const noFields = new Set([
        'whoami',
        'sessions',
        'conversations',
        'ping',
        'logout',
        'contacts',
      ]);
      for (const type of Object.keys(clientFrameSchemas)) {
        if (noFields.has(type) || type === 'ack') continue;
        const reply = await errorOf(client, { type, bogus: true });
        assert.equal(reply.code, 'invalid', `${type} without its fields`);
      }
      client.send({ type: 'ack', pts: 'soon' });
      assert.equal(
        ((await client.next((f) => f.type === 'error')) as ServerFrameOf<'error'>).code,
        'invalid',
      );
      client.close();
    });

    it(`speaks version 2 to a new client and still version 1 to an old one (${transport})`, async () => {
      for (const [versions, chosen] of [
        [[2, 1], 2],
        [[1, 2], 2],
        [[1], 1],
        [[2], 2],
      ] as const) {
        const raw = transport === 'ws' ? await RawClient.ws(url()) : await RawClient.tcp(url());
        const welcome = await raw.expect('welcome', { type: 'hello', versions });
        assert.equal(welcome.version, chosen, `hello ${JSON.stringify(versions)}`);
        raw.close();
      }
    });

    it(`refuses requests before hello and before login (${transport})`, async () => {
      const raw = transport === 'ws' ? await RawClient.ws(url()) : await RawClient.tcp(url());
      assert.equal((await errorOf(raw, { type: 'whoami' })).code, 'out_of_order');
      assert.equal((await errorOf(raw, { type: 'ping' })).code, 'out_of_order', 'ping too');
      assert.equal(
        (await errorOf(raw, { type: 'hello', versions: [99] })).code,
        'unsupported_version',
      );
      await raw.expect('welcome', { type: 'hello', versions: [1, 99] });
      assert.equal((await errorOf(raw, { type: 'hello', versions: [1] })).code, 'out_of_order');
      for (const frame of [
        { type: 'whoami' },
        { type: 'conversations' },
        { type: 'open_direct', username: 'anyone' },
        { type: 'send', conversationId: 1, clientMsgId: 'x', body: 'hi' },
        { type: 'history', conversationId: 1 },
        { type: 'sync', pts: 0 },
        { type: 'read', conversationId: 1, seq: 1 },
        { type: 'logout' },
        { type: 'change_password', oldPassword: 'a', newPassword: 'b' },
        { type: 'sessions' },
        { type: 'revoke_session', sessionId: 1 },
      ]) {
        assert.equal((await errorOf(raw, frame)).code, 'unauthenticated', frame.type);
      }
      raw.close();
    });

    it(`rejects a forged token (${transport})`, async () => {
      const client = await greeted(url());
      assert.equal(
        (await errorOf(client, { type: 'auth', token: 'forged-token-value' })).code,
        'invalid_token',
      );
      client.close();
    });
  }

  it('refuses a message to a conversation the sender is not in, and writes nothing', async () => {
    const alice = await connectUser(server.wsUrl);
    const bob = await connectUser(server.wsUrl);
    const mallory = await connectUser(server.tcpUrl);
    const conversationId = (
      await alice.client.expect('conversation', { type: 'open_direct', username: bob.username })
    ).conversation.info.id;
    const send = { type: 'send', conversationId, clientMsgId: 'intrude', body: 'let me in' };
    assert.equal((await errorOf(mallory.client, send)).code, 'forbidden');
    assert.equal(
      (await errorOf(mallory.client, { type: 'history', conversationId })).code,
      'forbidden',
    );
    assert.equal(
      (await errorOf(mallory.client, { type: 'read', conversationId, seq: 1 })).code,
      'forbidden',
    );
    assert.equal(
      (await errorOf(mallory.client, { ...send, conversationId: 999_999 })).code,
      'forbidden',
    );
    const history = await alice.client.expect('history', { type: 'history', conversationId });
    assert.deepEqual(history.messages, []);
    for (const c of [alice.client, bob.client, mallory.client]) c.close();
  });

  it('refuses an over-long or blank message and writes nothing', async () => {
    const alice = await connectUser(server.wsUrl);
    const bob = await connectUser(server.wsUrl);
    const conversationId = (
      await alice.client.expect('conversation', { type: 'open_direct', username: bob.username })
    ).conversation.info.id;
    const long = await errorOf(alice.client, {
      type: 'send',
      conversationId,
      clientMsgId: 'l',
      body: 'x'.repeat(101),
    });
    assert.equal(long.code, 'invalid');
    const blank = await errorOf(alice.client, {
      type: 'send',
      conversationId,
      clientMsgId: 'b',
      body: ' \n ',
    });
    assert.equal(blank.code, 'invalid');
    assert.deepEqual(
      (await alice.client.expect('history', { type: 'history', conversationId })).messages,
      [],
    );
    for (const c of [alice.client, bob.client]) c.close();
  });

  it('closes a WebSocket that sends a frame over the size limit, and the server stays up', async () => {
    const client = await greeted(server.wsUrl);
    client.sendText(JSON.stringify({ type: 'ping', pad: 'x'.repeat(5000) }));
    await client.whenClosed;
    await assertServerUp(server);
  });

  it('answers a TCP length prefix that lies about a huge frame with too_large and closes', async () => {
    const client = await greeted(server.tcpUrl);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(2_000_000_000);
    client.writeRaw(Buffer.concat([head, Buffer.from('{"type":"ping"}')]));
    const error = (await client.next((f) => f.type === 'error')) as ServerFrameOf<'error'>;
    assert.equal(error.code, 'too_large');
    const bye = await client.next((f) => f.type === 'bye');
    assert.deepEqual(bye, { type: 'bye', reason: 'frame_too_large' });
    await client.whenClosed;
    await assertServerUp(server);
  });

  it(
    'drops a TCP peer that lied about a frame and then never hangs up',
    { timeout: 10_000 },
    async () => {
      const { port } = new URL(server.tcpUrl);
      // allowHalfOpen: this peer keeps its side open after the server's goodbye.
      const socket = connect({ port: Number(port), host: '127.0.0.1', allowHalfOpen: true });
      socket.on('error', () => {});
      const closed = new Promise((resolve) => socket.once('close', resolve));
      const told = new Promise((resolve) => socket.once('end', resolve));
      await new Promise((resolve) => socket.once('connect', resolve));
      const head = Buffer.alloc(4);
      head.writeUInt32BE(2_000_000_000);
      socket.write(head);
      socket.resume();
      await told;
      // Once the server has let go, these writes are answered with a reset and the socket closes.
      const poke = setInterval(() => socket.write(Buffer.alloc(4)), 200);
      await closed;
      clearInterval(poke);
      await assertServerUp(server);
    },
  );

  it('answers a binary WebSocket message with bad_frame and keeps the connection', async () => {
    const client = await greeted(server.wsUrl);
    client.writeRaw(Buffer.from([1, 2, 3]));
    const error = (await client.next((f) => f.type === 'error')) as ServerFrameOf<'error'>;
    assert.equal(error.code, 'bad_frame');
    assert.equal((await client.request({ type: 'ping' })).type, 'pong');
    client.close();
  });

  it('rate-limits a flood of frames, then closes a connection that keeps flooding', async () => {
    const client = await greeted(server.wsUrl);
    for (let i = 0; i < 200; i++) client.send({ type: 'ping', id: `p${i}` });
    const limited = (await client.next((f) => f.type === 'error')) as ServerFrameOf<'error'>;
    assert.equal(limited.code, 'rate_limited');
    assert.ok(limited.retryAfterMs! > 0);
    const bye = await client.next((f) => f.type === 'bye');
    assert.deepEqual(bye, { type: 'bye', reason: 'abuse' });
    await client.whenClosed;
    await assertServerUp(server);
  });

  it('closes a connection after repeated failed logins', async () => {
    const client = await greeted(server.tcpUrl);
    for (let i = 0; i < 3; i++) {
      const reply = await client.request({
        type: 'login',
        username: `nobody${i}`,
        password: 'wrong password',
      });
      assert.equal(reply.type, 'error');
    }
    await client.whenClosed;
  });

  it('refuses a WebSocket from a foreign browser origin', async () => {
    await assert.rejects(
      RawClient.ws(server.wsUrl, { origin: 'https://evil.example' }),
      /HTTP 403/,
    );
    const own = await RawClient.ws(server.wsUrl, { origin: server.httpUrl });
    own.close();
  });
});
