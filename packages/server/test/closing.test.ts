/**
 * What a connection hears when the server ends it: the answers to what it already asked, then
 * the reason. Nothing the server did for it goes unsaid.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerFrame } from '@parley/protocol';
import { RawClient } from './support/raw-client.js';
import { connectUser, PASSWORD, startTestServer, type TestServer } from './support/server.js';

function lengthPrefixed(text: string): Buffer {
  const body = Buffer.from(text);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

const typesOf = (frames: ServerFrame[]) => frames.map((f) => f.type);

describe('closing a connection', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.dispose());

  it('answers a password change already taken before closing the connection for abuse', async () => {
    const { client, username } = await connectUser(server.tcpUrl);
    const changed = client.request({
      type: 'change_password',
      oldPassword: PASSWORD,
      newPassword: 'a brand new secret',
    });
    // While the password change runs, enough garbage to be closed for abuse.
    for (let i = 0; i < 60; i++) client.sendText('not json');
    await client.whenClosed;
    assert.equal((await changed).type, 'ok', 'the committed change was answered');
    const bye = client.frames.find((f) => f.type === 'bye');
    assert.deepEqual(bye, { type: 'bye', reason: 'abuse' });
    assert.equal(client.frames.at(-1)?.type, 'bye', 'the goodbye comes last');

    const again = await RawClient.ws(server.wsUrl);
    await again.expect('welcome', { type: 'hello', versions: [1] });
    await again.expect('authed', { type: 'login', username, password: 'a brand new secret' });
    again.close();
  });

  it('answers the TCP frames read in the same chunk before a bad length prefix, then the bad one', async () => {
    const client = await RawClient.tcp(server.tcpUrl);
    const oversize = Buffer.alloc(4);
    oversize.writeUInt32BE(10 * 1024 * 1024);
    client.writeRaw(
      Buffer.concat([
        lengthPrefixed(JSON.stringify({ type: 'hello', id: 'h', versions: [1] })),
        lengthPrefixed(JSON.stringify({ type: 'ping', id: 'p' })),
        oversize,
      ]),
    );
    await client.whenClosed;
    assert.deepEqual(typesOf(client.frames), ['welcome', 'pong', 'error', 'bye']);
    const [welcome, pong, error, bye] = client.frames;
    assert.equal(welcome?.type === 'welcome' && welcome.id, 'h');
    assert.equal(pong?.type === 'pong' && pong.id, 'p');
    assert.equal(error?.type === 'error' && error.code, 'too_large');
    assert.deepEqual(bye, { type: 'bye', reason: 'frame_too_large' });
  });
});
