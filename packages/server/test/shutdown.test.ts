/**
 * Graceful shutdown answers every request it had already taken before it says goodbye, so a
 * client never has to guess whether something it asked for happened.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { RawClient } from './support/raw-client.js';
import { PASSWORD, connectUser, startTestServer, tempDir } from './support/server.js';

const NEW_PASSWORD = 'a brand new passphrase';

function lengthPrefixed(frame: Record<string, unknown>): Buffer {
  const body = Buffer.from(JSON.stringify(frame));
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

describe('graceful shutdown', () => {
  const dataDir = tempDir();
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers a password change that was in flight before saying bye, and the change holds', async () => {
    const first = await startTestServer({ dataDir });
    const alice = await connectUser(first.tcpUrl);
    // One write carries the change and a ping, so the server takes both at once; the pong then
    // proves the change was taken while its password checks are still running.
    alice.client.writeRaw(
      Buffer.concat([
        lengthPrefixed({
          type: 'change_password',
          id: 'change',
          oldPassword: PASSWORD,
          newPassword: NEW_PASSWORD,
        }),
        lengthPrefixed({ type: 'ping', id: 'ping' }),
      ]),
    );
    await alice.client.next((f) => f.type === 'pong');
    const stopping = first.stop();
    assert.deepEqual(await alice.client.next((f) => f.type === 'bye'), {
      type: 'bye',
      reason: 'shutdown',
    });
    assert.deepEqual(
      alice.client.frames.filter((f) => 'id' in f && f.id === 'change'),
      [{ type: 'ok', id: 'change' }],
      'the change was answered before the goodbye',
    );
    await stopping;

    const second = await startTestServer({ dataDir });
    try {
      const client = await RawClient.tcp(second.tcpUrl);
      await client.expect('welcome', { type: 'hello', versions: [1] });
      const authed = await client.expect('authed', {
        type: 'login',
        username: alice.username,
        password: NEW_PASSWORD,
      });
      assert.equal(authed.user.id, alice.userId);
      client.close();
    } finally {
      await second.stop();
    }
  });
});
