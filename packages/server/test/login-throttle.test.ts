/**
 * Login throttling as an attacker and the real user meet it: guesses are counted before the
 * password is checked (so parallel guesses get no extra argon2 runs), per (username, IP) and per
 * IP, and a guesser at one address does not lock the real user out at another.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerFrame } from '@parley/protocol';
import { RawClient } from './support/raw-client.js';
import {
  PASSWORD,
  connectUser,
  startTestServer,
  uniqueName,
  type TestServer,
} from './support/server.js';

const ATTEMPTS = 5;
const IP_ATTEMPTS = 12;
/** Long enough that no test here outlives a backoff, however slow the machine. */
const BACKOFF_MS = 10 * 60_000;

/** A counter's value from /metrics (summed over the labels given, if any). */
async function metric(server: TestServer, name: string, label = ''): Promise<number> {
  const text = await (await fetch(server.metricsUrl!)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || !line.includes(label)) continue;
    const [series, value] = line.split(' ');
    if (series === name || series?.startsWith(`${name}{`)) total += Number(value);
  }
  return total;
}

/** A greeted TCP connection from `ip` (any 127.0.0.0/8 address acts as another machine). */
async function greeted(server: TestServer, ip = '127.0.0.1'): Promise<RawClient> {
  const client = await RawClient.tcp(server.tcpUrl, ip);
  await client.expect('welcome', { type: 'hello', versions: [1] });
  return client;
}

async function login(server: TestServer, username: string, password: string, ip = '127.0.0.1') {
  const client = await greeted(server, ip);
  try {
    return await client.request({ type: 'login', username, password });
  } finally {
    client.close();
  }
}

function codes(replies: ServerFrame[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of replies) {
    const code = r.type === 'error' ? r.code : r.type;
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return counts;
}

describe('login throttling', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      loginAttempts: ATTEMPTS,
      loginIpAttempts: IP_ATTEMPTS,
      loginBackoffMs: BACKOFF_MS,
      // 200 connections from one address: the per-IP connection cap is not what is tested.
      connectionsPerIp: 0,
    });
  });
  after(() => server.dispose());

  it('checks only the free attempts of 200 parallel wrong passwords for one user', async () => {
    const { username, client: owner } = await connectUser(server.wsUrl);
    owner.close();
    const ip = '127.0.0.11';
    const checksBefore = await metric(server, 'parley_password_checks_total');
    const clients = await Promise.all(Array.from({ length: 200 }, () => greeted(server, ip)));
    const replies = await Promise.all(
      clients.map((c, i) => c.request({ type: 'login', username, password: `guess number ${i}` })),
    );
    for (const c of clients) c.close();
    const checks = (await metric(server, 'parley_password_checks_total')) - checksBefore;
    const byCode = codes(replies);
    assert.equal(byCode.get('invalid_credentials'), ATTEMPTS, JSON.stringify([...byCode]));
    assert.equal(byCode.get('too_many_attempts'), 200 - ATTEMPTS);
    assert.equal(checks, ATTEMPTS, 'no argon2 run for a refused attempt');
    const refusal = replies.find((r) => r.type === 'error' && r.code === 'too_many_attempts');
    assert.ok(refusal?.type === 'error');
    assert.ok(
      refusal.retryAfterMs! > 0 && refusal.retryAfterMs! <= BACKOFF_MS,
      'the refusal says when to retry',
    );
    assert.ok((await metric(server, 'parley_logins_total', 'result="refused"')) >= 195);
    assert.ok((await metric(server, 'parley_login_throttles_total', 'scope="pair"')) >= 1);
  });

  it('caps one IP guessing many usernames in parallel', async () => {
    const ip = '127.0.0.12';
    const checksBefore = await metric(server, 'parley_password_checks_total');
    const clients = await Promise.all(Array.from({ length: 60 }, () => greeted(server, ip)));
    const replies = await Promise.all(
      clients.map((c) =>
        c.request({ type: 'login', username: uniqueName('ghost'), password: PASSWORD }),
      ),
    );
    for (const c of clients) c.close();
    const checks = (await metric(server, 'parley_password_checks_total')) - checksBefore;
    const byCode = codes(replies);
    assert.equal(byCode.get('invalid_credentials'), IP_ATTEMPTS, JSON.stringify([...byCode]));
    assert.equal(byCode.get('too_many_attempts'), 60 - IP_ATTEMPTS);
    assert.equal(checks, IP_ATTEMPTS);
  });

  it("lets the real user log in and change password from another IP after an attacker's guesses", async () => {
    const { username, client: owner } = await connectUser(server.wsUrl);
    owner.close();
    const attacker = '127.0.0.13';
    for (let i = 0; i < ATTEMPTS; i++) {
      const reply = await login(server, username, `wrong password ${i}`, attacker);
      assert.equal(reply.type === 'error' && reply.code, 'invalid_credentials');
    }
    const blocked = await login(server, username, PASSWORD, attacker);
    assert.equal(blocked.type === 'error' && blocked.code, 'too_many_attempts');

    const device = await greeted(server, '127.0.0.14');
    const authed = await device.request({ type: 'login', username, password: PASSWORD });
    assert.equal(authed.type, 'authed', 'the real user at another address is not locked out');
    await device.expect('ok', {
      type: 'change_password',
      oldPassword: PASSWORD,
      newPassword: 'a brand new secret',
    });
    device.close();
  });

  it('forgives the pair once the right password comes, within the free attempts', async () => {
    const { username, client: owner } = await connectUser(server.wsUrl);
    owner.close();
    const ip = '127.0.0.15';
    // Two rounds: their failures stay within the IP's own allowance.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < ATTEMPTS - 1; i++) {
        const reply = await login(server, username, `typo ${round} ${i}`, ip);
        assert.equal(reply.type === 'error' && reply.code, 'invalid_credentials');
      }
      assert.equal((await login(server, username, PASSWORD, ip)).type, 'authed');
    }
  });
});

describe('login throttling of a username under attack from many addresses', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      loginAttempts: ATTEMPTS,
      loginUserFailures: 6,
      loginBackoffMs: BACKOFF_MS,
    });
  });
  after(() => server.dispose());

  it('gives each new address one try, so the real user at a fresh one still gets in', async () => {
    const { username, client: owner } = await connectUser(server.wsUrl);
    owner.close();
    // Six addresses guess once each: the username is now under attack.
    for (let i = 0; i < 6; i++) {
      const reply = await login(server, username, `wrong ${i}`, `127.0.1.${i + 1}`);
      assert.equal(reply.type === 'error' && reply.code, 'invalid_credentials');
    }
    // A seventh address gets one guess, then waits.
    const seventh = '127.0.1.7';
    const first = await login(server, username, 'wrong again', seventh);
    assert.equal(first.type === 'error' && first.code, 'invalid_credentials');
    const second = await login(server, username, 'and again', seventh);
    assert.equal(second.type === 'error' && second.code, 'too_many_attempts');
    // The real user, at an address of their own, is let in at the first try.
    assert.equal((await login(server, username, PASSWORD, '127.0.1.8')).type, 'authed');
  });
});
