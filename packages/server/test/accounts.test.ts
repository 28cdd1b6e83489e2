/** Accounts and sessions as a user meets them: register, log in, devices, log out, passwords. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerFrameOf } from '@parley/protocol';
import { RawClient } from './support/raw-client.js';
import {
  PASSWORD,
  connectDevice,
  connectUser,
  startTestServer,
  uniqueName,
  type TestServer,
} from './support/server.js';

async function greeted(url: string) {
  const client = await RawClient.ws(url);
  await client.expect('welcome', { type: 'hello', versions: [1] });
  return client;
}

async function codeOf(client: RawClient, frame: Record<string, unknown>) {
  const reply = await client.request(frame);
  return reply.type === 'error' ? reply.code : reply.type;
}

describe('accounts', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ loginAttempts: 3 });
  });
  after(() => server.dispose());

  it('enforces username rules and the password policy, and refuses a taken username', async () => {
    const client = await greeted(server.wsUrl);
    const name = uniqueName();
    assert.equal(
      await codeOf(client, { type: 'register', username: 'x', password: PASSWORD }),
      'invalid_username',
    );
    assert.equal(
      await codeOf(client, { type: 'register', username: '9lives', password: PASSWORD }),
      'invalid_username',
    );
    assert.equal(
      await codeOf(client, { type: 'register', username: 'a b c', password: PASSWORD }),
      'invalid_username',
    );
    assert.equal(
      await codeOf(client, { type: 'register', username: name, password: 'short' }),
      'weak_password',
    );
    assert.equal(
      await codeOf(client, { type: 'register', username: name, password: `${name}123` }),
      'weak_password',
    );
    assert.equal(
      await codeOf(client, { type: 'register', username: name, password: 'aaaaaaaaaaaa' }),
      'weak_password',
    );
    assert.equal(
      await codeOf(client, { type: 'register', username: name, password: PASSWORD }),
      'authed',
    );
    const other = await greeted(server.wsUrl);
    assert.equal(
      await codeOf(other, { type: 'register', username: name.toUpperCase(), password: PASSWORD }),
      'username_taken',
    );
    client.close();
    other.close();
  });

  it('gives the same answer for an unknown username and a wrong password', async () => {
    const { username, client: owner } = await connectUser(server.wsUrl);
    const client = await greeted(server.wsUrl);
    const unknown = (await client.request({
      type: 'login',
      username: uniqueName('ghost'),
      password: PASSWORD,
    })) as ServerFrameOf<'error'>;
    const wrong = (await client.request({
      type: 'login',
      username,
      password: 'not the password',
    })) as ServerFrameOf<'error'>;
    assert.equal(unknown.code, 'invalid_credentials');
    assert.equal(wrong.code, 'invalid_credentials');
    assert.equal(unknown.message, wrong.message);
    owner.close();
    client.close();
  });

  it('throttles repeated failed logins for a username, even when the right password comes next', async () => {
    const { username, client: owner } = await connectUser(server.wsUrl);
    for (let i = 0; i < 3; i++) {
      const client = await greeted(server.wsUrl);
      assert.equal(
        await codeOf(client, { type: 'login', username, password: `wrong password ${i}` }),
        'invalid_credentials',
      );
      client.close();
    }
    const client = await greeted(server.wsUrl);
    const reply = (await client.request({
      type: 'login',
      username,
      password: PASSWORD,
    })) as ServerFrameOf<'error'>;
    assert.equal(reply.code, 'too_many_attempts');
    assert.ok(reply.retryAfterMs! > 0);
    owner.close();
    client.close();
  });

  it('lets one user be online on several devices and tells each who it is', async () => {
    const { username, token, client: laptop } = await connectUser(server.wsUrl);
    const tablet = await RawClient.tcp(server.tcpUrl);
    await tablet.expect('welcome', { type: 'hello', versions: [1] });
    const login = await tablet.expect('authed', {
      type: 'login',
      username,
      password: PASSWORD,
      device: 'tablet',
    });
    assert.ok(login.token && login.token !== token, 'each device gets its own token');
    assert.ok(login.token.length >= 22, 'at least 128 bits');
    const me = await tablet.expect('me', { type: 'whoami' });
    assert.equal(me.user.username, username);
    assert.equal(me.session.device, 'tablet');
    laptop.close();
    tablet.close();
  });

  it('keeps one connection to one user when a second login arrives while the first is in flight', async () => {
    const alice = await connectUser(server.wsUrl);
    const bob = await connectUser(server.wsUrl);
    const client = await greeted(server.wsUrl);
    // Pipelined: the login's password check is still running when the auth arrives.
    const [login, auth] = await Promise.all([
      client.request({ type: 'login', username: bob.username, password: PASSWORD }),
      client.request({ type: 'auth', token: alice.token }),
    ]);
    assert.equal(login.type, 'authed');
    assert.equal(auth.type === 'error' && auth.code, 'already_authenticated');
    const me = await client.expect('me', { type: 'whoami' });
    assert.equal(me.user.id, bob.userId);
    for (const c of [alice.client, bob.client, client]) c.close();
  });

  it('logs out this device only: its token stops working, the other device stays', async () => {
    const { token, client: laptop } = await connectUser(server.wsUrl);
    const phone = await connectDevice(server.wsUrl, token);
    const second = await RawClient.ws(server.wsUrl);
    await second.expect('welcome', { type: 'hello', versions: [1] });
    const me = await laptop.expect('me', { type: 'whoami' });
    const other = await second.expect('authed', {
      type: 'login',
      username: me.user.username,
      password: PASSWORD,
    });
    await second.expect('ok', { type: 'logout' });
    assert.deepEqual(await second.next((f) => f.type === 'bye'), {
      type: 'bye',
      reason: 'logged_out',
    });
    await second.whenClosed;
    const retry = await greeted(server.wsUrl);
    assert.equal(await codeOf(retry, { type: 'auth', token: other.token }), 'invalid_token');
    assert.equal(
      (await phone.request({ type: 'whoami' })).type,
      'me',
      'the other device is still logged in',
    );
    for (const c of [laptop, phone, retry]) c.close();
  });

  it('logs out every connection that shares the token, such as a second terminal', async () => {
    const { username, token, client: first } = await connectUser(server.wsUrl);
    const sameToken = await connectDevice(server.tcpUrl, token);
    const otherDevice = await RawClient.ws(server.wsUrl);
    await otherDevice.expect('welcome', { type: 'hello', versions: [1] });
    await otherDevice.expect('authed', { type: 'login', username, password: PASSWORD });

    await first.expect('ok', { type: 'logout' });
    assert.deepEqual(await first.next((f) => f.type === 'bye'), {
      type: 'bye',
      reason: 'logged_out',
    });
    assert.deepEqual(await sameToken.next((f) => f.type === 'bye'), {
      type: 'bye',
      reason: 'session_revoked',
    });
    await sameToken.whenClosed;
    assert.equal(
      (await otherDevice.request({ type: 'whoami' })).type,
      'me',
      'a device with its own session stays logged in',
    );
    otherDevice.close();
  });

  it('logs out everywhere: every other device is told its session was revoked', async () => {
    const { username, client: laptop } = await connectUser(server.wsUrl);
    const phone = await RawClient.tcp(server.tcpUrl);
    await phone.expect('welcome', { type: 'hello', versions: [1] });
    const phoneSession = await phone.expect('authed', {
      type: 'login',
      username,
      password: PASSWORD,
    });
    await laptop.expect('ok', { type: 'logout', everywhere: true });
    assert.deepEqual(await phone.next((f) => f.type === 'bye'), {
      type: 'bye',
      reason: 'session_revoked',
    });
    await phone.whenClosed;
    const retry = await greeted(server.wsUrl);
    assert.equal(await codeOf(retry, { type: 'auth', token: phoneSession.token }), 'invalid_token');
    retry.close();
  });

  it('changes the password: the old one stops working and other devices are logged out', async () => {
    const { username, token, client: laptop } = await connectUser(server.wsUrl);
    const phone = await connectDevice(server.wsUrl, token);
    const other = await RawClient.ws(server.wsUrl);
    await other.expect('welcome', { type: 'hello', versions: [1] });
    await other.expect('authed', { type: 'login', username, password: PASSWORD });
    const wrongOld = await laptop.request({
      type: 'change_password',
      oldPassword: 'not it at all',
      newPassword: 'new secret words',
    });
    assert.equal(wrongOld.type === 'error' && wrongOld.code, 'invalid_credentials');
    await laptop.expect('ok', {
      type: 'change_password',
      oldPassword: PASSWORD,
      newPassword: 'new secret words',
    });
    assert.deepEqual(await other.next((f) => f.type === 'bye'), {
      type: 'bye',
      reason: 'session_revoked',
    });
    assert.equal(
      (await laptop.request({ type: 'whoami' })).type,
      'me',
      'this device stays logged in',
    );
    const client = await greeted(server.wsUrl);
    assert.equal(
      await codeOf(client, { type: 'login', username, password: PASSWORD }),
      'invalid_credentials',
    );
    const fresh = await greeted(server.wsUrl);
    assert.equal(
      await codeOf(fresh, { type: 'login', username, password: 'new secret words' }),
      'authed',
    );
    // The laptop's token is the same session, so the phone sharing it stays too.
    assert.equal((await phone.request({ type: 'whoami' })).type, 'me');
    for (const c of [laptop, phone, client, fresh]) c.close();
  });
});
