/**
 * The log an operator reads: JSON lines only on stdout, each with pid, hostname and version;
 * connections at debug; logins and their failures. Never a message body, password or token,
 * even at trace level.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { RawClient } from './support/raw-client.js';
import { spawnServer, waitReady } from './support/process.js';
import { PASSWORD, connectDevice, connectUser, tempDir } from './support/server.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

const BODY = 'the secret plan is at the old mill';
const WRONG_PASSWORD = 'not my password, but close';

interface LogLine {
  level: number;
  msg: string;
  pid: number;
  hostname: string;
  version: string;
  [field: string]: unknown;
}

describe('logs', () => {
  const dataDir = tempDir();
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('are JSON lines with pid, hostname and version, show connections and logins, and never a body, password or token', async (t) => {
    const server = await spawnServer({ PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'trace' }, [], {
      built: true,
      stdout: 'pipe',
    });
    t.after(() => server.child.kill('SIGKILL'));
    let stdout = '';
    server.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    const stdoutEnded = once(server.stdout!, 'end');
    await waitReady(server);

    const alice = await connectUser(server.wsUrl);
    const bob = await connectUser(server.tcpUrl);
    const conversationId = (
      await alice.client.expect('conversation', { type: 'open_direct', username: bob.username })
    ).conversation.info.id;
    await alice.client.expect('sent', {
      type: 'send',
      conversationId,
      clientMsgId: 'm1',
      body: BODY,
    });
    const aliceOnTcp = await connectDevice(server.tcpUrl, alice.token);
    const guesser = await RawClient.ws(server.wsUrl);
    await guesser.expect('welcome', { type: 'hello', versions: [1] });
    await guesser.expect('error', {
      type: 'login',
      username: alice.username,
      password: WRONG_PASSWORD,
    });
    for (const client of [alice.client, bob.client, aliceOnTcp, guesser]) {
      client.close();
      await client.whenClosed;
    }
    server.child.kill('SIGTERM');
    await Promise.all([server.exited, stdoutEnded]);

    const lines = stdout.trim().split('\n');
    const entries = lines.map((line) => {
      assert.doesNotThrow(() => JSON.parse(line), `a JSON line: ${line}`);
      return JSON.parse(line) as LogLine;
    });
    for (const entry of entries) {
      assert.equal(entry.pid, server.child.pid);
      assert.equal(typeof entry.hostname, 'string');
      assert.equal(entry.version, VERSION);
    }
    const messages = (msg: string) => entries.filter((e) => e.msg === msg);
    const opened = messages('connection opened');
    assert.deepEqual(
      new Set(opened.map((e) => e.transport)),
      new Set(['ws', 'tcp']),
      'connections of both transports are logged',
    );
    for (const entry of opened) {
      assert.equal(entry.level, 20, 'at debug');
      assert.equal(entry.ip, '127.0.0.1');
      assert.equal(typeof entry.connection, 'number');
    }
    assert.equal(messages('connection closed').length, opened.length, 'each close too');
    assert.ok(
      messages('login failed').some((e) => e.username === alice.username && e.ip === '127.0.0.1'),
      'the failed login names the user and the address',
    );
    assert.ok(messages('registered').some((e) => e.username === bob.username));
    assert.ok(messages('parley is listening').some((e) => typeof e.data === 'string'));

    const everything = stdout + server.stderr();
    assert.ok(!everything.includes(BODY), 'no message body');
    assert.ok(!everything.includes(PASSWORD), 'no password');
    assert.ok(!everything.includes(WRONG_PASSWORD), 'no failed password');
    assert.ok(!everything.includes(alice.token), 'no session token');
    assert.ok(!everything.includes(bob.token), 'no session token');
  });
});
