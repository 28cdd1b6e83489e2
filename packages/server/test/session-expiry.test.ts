/**
 * An expired session token is refused over the wire. The server reads the clock, not a fake one,
 * so the session's expiry is moved into the past in the SQLite file while the server is stopped.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { RawClient } from './support/raw-client.js';
import { connectUser, startTestServer, tempDir } from './support/server.js';

function expireSessionsOf(dataDir: string, userId: number): void {
  const db = new Database(join(dataDir, 'parley.db'));
  try {
    const changed = db
      .prepare('UPDATE sessions SET expires_at = ? WHERE user_id = ?')
      .run(Date.now() - 1000, userId).changes;
    assert.equal(changed, 1, 'the user has exactly one session to expire');
  } finally {
    db.close();
  }
}

describe('session expiry', () => {
  const dataDir = tempDir();
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  for (const transport of ['ws', 'tcp'] as const) {
    it(`refuses an expired token with invalid_token and keeps accepting a live one (${transport})`, async () => {
      const first = await startTestServer({ dataDir });
      const url = () => (transport === 'ws' ? first.wsUrl : first.tcpUrl);
      const alice = await connectUser(url());
      const bob = await connectUser(url());
      alice.client.close();
      bob.client.close();
      await first.stop();

      expireSessionsOf(dataDir, alice.userId);

      const second = await startTestServer({ dataDir });
      try {
        const secondUrl = transport === 'ws' ? second.wsUrl : second.tcpUrl;
        const connect = () =>
          transport === 'ws' ? RawClient.ws(secondUrl) : RawClient.tcp(secondUrl);
        const expired = await connect();
        await expired.expect('welcome', { type: 'hello', versions: [1] });
        const refused = await expired.request({ type: 'auth', token: alice.token });
        assert.equal(refused.type, 'error');
        assert.equal(refused.type === 'error' && refused.code, 'invalid_token');
        assert.equal(
          (await expired.request({ type: 'whoami' })).type,
          'error',
          'the connection did not log in',
        );
        expired.close();

        const live = await connect();
        await live.expect('welcome', { type: 'hello', versions: [1] });
        const authed = await live.expect('authed', { type: 'auth', token: bob.token });
        assert.equal(authed.user.id, bob.userId, 'an unexpired token still works after restart');
        live.close();
      } finally {
        await second.stop();
      }
    });
  }
});
