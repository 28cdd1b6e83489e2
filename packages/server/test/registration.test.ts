/**
 * Who may register and how fast: a per-IP limit on new accounts, the closed and invite-only
 * modes (codes from `parley-server invite`, single use), and the common-password list.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { ServerFrame } from '@parley/protocol';
import { RawClient } from './support/raw-client.js';
import { PASSWORD, startTestServer, uniqueName, type TestServer } from './support/server.js';

const MAIN_SOURCE = fileURLToPath(new URL('../src/main.ts', import.meta.url));

async function register(
  server: TestServer,
  fields: Record<string, unknown>,
  ip = '127.0.0.1',
): Promise<{ welcome: ServerFrame; reply: ServerFrame }> {
  const client = await RawClient.tcp(server.tcpUrl, ip);
  try {
    const welcome = await client.expect('welcome', { type: 'hello', versions: [1] });
    const reply = await client.request({
      type: 'register',
      username: uniqueName(),
      password: PASSWORD,
      ...fields,
    });
    return { welcome, reply };
  } finally {
    client.close();
  }
}

const codeOf = (reply: ServerFrame) => (reply.type === 'error' ? reply.code : reply.type);

/** Runs `parley-server invite` from source against a data directory, as an operator would. */
function inviteCommand(dataDir: string, count: number): string[] {
  const result = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', MAIN_SOURCE, 'invite', '--count', String(count)],
    { env: { ...process.env, PARLEY_DATA_DIR: dataDir }, encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim().split('\n');
}

describe('registration limits', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ registrationsPerIp: 3 });
  });
  after(() => server.dispose());

  it('limits new accounts per IP and says when to retry; another IP is not affected', async () => {
    const ip = '127.0.3.1';
    const replies = await Promise.all(
      Array.from({ length: 8 }, async () => (await register(server, {}, ip)).reply),
    );
    assert.equal(replies.filter((r) => r.type === 'authed').length, 3, 'parallel ones too');
    const refused = replies.find((r) => r.type === 'error');
    assert.ok(refused?.type === 'error' && refused.code === 'rate_limited');
    assert.ok(refused.retryAfterMs! > 0);
    assert.equal(codeOf((await register(server, {}, '127.0.3.2')).reply), 'authed');
  });

  it('refuses the most common passwords whatever their case, with their own code', async () => {
    for (const password of ['password', 'PassWord1', '12345678', 'qwertyuiop', 'Iloveyou1']) {
      const { reply } = await register(server, { password }, '127.0.3.3');
      assert.equal(codeOf(reply), 'common_password', password);
      assert.ok(reply.type === 'error' && /common/.test(reply.message));
    }
    // Refusals before the password is hashed do not use up the IP's registrations.
    assert.equal(codeOf((await register(server, {}, '127.0.3.3')).reply), 'authed');
  });

  it('refuses a common new password on change_password too', async () => {
    const client = await RawClient.tcp(server.tcpUrl, '127.0.3.4');
    await client.expect('welcome', { type: 'hello', versions: [1] });
    await client.expect('authed', { type: 'register', username: uniqueName(), password: PASSWORD });
    const reply = await client.request({
      type: 'change_password',
      oldPassword: PASSWORD,
      newPassword: 'Sunshine1',
    });
    assert.equal(codeOf(reply), 'common_password');
    client.close();
  });
});

describe('closed registration', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ registration: 'closed' });
  });
  after(() => server.dispose());

  it('announces it in welcome and refuses every registration', async () => {
    const { welcome, reply } = await register(server, {});
    assert.equal(welcome.type === 'welcome' && welcome.registration, 'closed');
    assert.equal(codeOf(reply), 'registration_closed');
  });
});

describe('invite-only registration', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ registration: 'invite' });
  });
  after(() => server.dispose());

  it('takes each code from `parley-server invite` once, and refuses without one', async () => {
    const { welcome, reply } = await register(server, {});
    assert.equal(welcome.type === 'welcome' && welcome.registration, 'invite');
    assert.equal(codeOf(reply), 'invalid_invite');
    assert.equal(codeOf((await register(server, { invite: 'made-up' })).reply), 'invalid_invite');

    // The command runs beside the live server, on its database.
    const codes = inviteCommand(server.dataDir, 2);
    assert.equal(codes.length, 2);
    assert.notEqual(codes[0], codes[1]);
    const [first, second] = await Promise.all([
      register(server, { invite: codes[0] }),
      register(server, { invite: codes[0] }),
    ]);
    assert.deepEqual(
      [codeOf(first.reply), codeOf(second.reply)].sort(),
      ['authed', 'invalid_invite'],
      'one code, one account',
    );
    assert.equal(codeOf((await register(server, { invite: codes[1] })).reply), 'authed');
  });
});
