/**
 * A user's devices: the list of logged-in sessions with a marker for this one, signing out
 * another device (its open connections end at once), and the cap on sessions per user.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RawClient } from './support/raw-client.js';
import {
  PASSWORD,
  connectDevice,
  connectUser,
  startTestServer,
  type TestServer,
} from './support/server.js';

const MAX_SESSIONS = 3;

async function loginAs(url: string, username: string, device: string) {
  const client = url.startsWith('tcp') ? await RawClient.tcp(url) : await RawClient.ws(url);
  await client.expect('welcome', { type: 'hello', versions: [1] });
  const authed = await client.expect('authed', {
    type: 'login',
    username,
    password: PASSWORD,
    device,
  });
  return { client, token: authed.token!, sessionId: authed.session.id };
}

describe('devices', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ sessionsPerUser: MAX_SESSIONS });
  });
  after(() => server.dispose());

  it('lists the logged-in devices, marks this one, and signs out another at once', async () => {
    const { username, client: laptop } = await connectUser(server.wsUrl);
    const phone = await loginAs(server.tcpUrl, username, 'phone');
    const phoneTwin = await connectDevice(server.wsUrl, phone.token);

    const listed = await laptop.expect('sessions', { type: 'sessions' });
    assert.deepEqual(
      listed.sessions.map((s) => [s.device, s.current]),
      [
        ['phone', false],
        ['unknown device', true],
      ],
    );
    for (const s of listed.sessions) {
      assert.ok(s.createdAt <= s.lastSeenAt && s.lastSeenAt < s.expiresAt);
    }

    await laptop.expect('ok', { type: 'revoke_session', sessionId: phone.sessionId });
    for (const client of [phone.client, phoneTwin]) {
      assert.deepEqual(await client.next((f) => f.type === 'bye'), {
        type: 'bye',
        reason: 'session_revoked',
      });
      await client.whenClosed;
    }
    const after = await laptop.expect('sessions', { type: 'sessions' });
    assert.deepEqual(
      after.sessions.map((s) => s.device),
      ['unknown device'],
    );
    const retry = await RawClient.ws(server.wsUrl);
    await retry.expect('welcome', { type: 'hello', versions: [1] });
    const refused = await retry.request({ type: 'auth', token: phone.token });
    assert.equal(refused.type === 'error' && refused.code, 'invalid_token');
    retry.close();
    laptop.close();
  });

  it("refuses to sign out this device (logout does that) or another user's", async () => {
    const alice = await connectUser(server.wsUrl);
    const bob = await connectUser(server.wsUrl);
    const mine = await alice.client.expect('me', { type: 'whoami' });
    const bobs = await bob.client.expect('me', { type: 'whoami' });
    const self = await alice.client.request({ type: 'revoke_session', sessionId: mine.session.id });
    assert.equal(self.type === 'error' && self.code, 'invalid');
    const other = await alice.client.request({
      type: 'revoke_session',
      sessionId: bobs.session.id,
    });
    assert.equal(other.type === 'error' && other.code, 'not_found');
    assert.equal((await bob.client.request({ type: 'whoami' })).type, 'me', 'bob stays');
    alice.client.close();
    bob.client.close();
  });

  it('keeps at most the configured sessions: a new login ends the least recently seen', async () => {
    const { username, client: first } = await connectUser(server.wsUrl);
    const second = await loginAs(server.wsUrl, username, 'second');
    const third = await loginAs(server.tcpUrl, username, 'third');
    const fourth = await loginAs(server.tcpUrl, username, 'fourth');
    assert.deepEqual(await first.next((f) => f.type === 'bye'), {
      type: 'bye',
      reason: 'session_revoked',
    });
    const listed = await fourth.client.expect('sessions', { type: 'sessions' });
    assert.deepEqual(listed.sessions.map((s) => s.device).sort(), ['fourth', 'second', 'third']);
    for (const c of [second.client, third.client, fourth.client]) c.close();
  });
});
