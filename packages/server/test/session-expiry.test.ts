/**
 * An expired session token is refused over the wire, and connections open on it are closed when
 * it expires. The server reads the clock, not a fake one: the first tests move the expiry into
 * the past in the SQLite file while the server is stopped; the last use a session of 3 s.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { RawClient } from './support/raw-client.js';
import {
  connectDevice,
  connectUser,
  startTestServer,
  tempDir,
  type TestServer,
} from './support/server.js';

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

describe('open connections at session expiry', () => {
  // Long enough to register and resume a second device first on a loaded machine.
  const TTL_MS = 3000;
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ sessionTtlDays: TTL_MS / 86_400_000 });
  });
  after(() => server.dispose());

  for (const transport of ['ws', 'tcp'] as const) {
    it(`are closed with bye session_expired when the session expires (${transport})`, async () => {
      const url = transport === 'ws' ? server.wsUrl : server.tcpUrl;
      const registered = await connectUser(url);
      const resumed = await connectDevice(url, registered.token);
      const me = await resumed.expect('me', { type: 'whoami' });
      assert.ok(me.session.expiresAt > Date.now() - 60_000, 'a short session for this test');
      for (const client of [registered.client, resumed]) {
        assert.deepEqual(await client.next((f) => f.type === 'bye', TTL_MS + 10_000), {
          type: 'bye',
          reason: 'session_expired',
        });
        await client.whenClosed;
      }
      const again = await RawClient.ws(server.wsUrl);
      await again.expect('welcome', { type: 'hello', versions: [1] });
      const refused = await again.request({ type: 'auth', token: registered.token });
      assert.equal(refused.type === 'error' && refused.code, 'invalid_token');
      again.close();
    });
  }
});
