/**
 * The `parley` program as its users run it: separate processes, a real server, a config file per
 * user, over WebSocket and TCP.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CliUser,
  PASSWORD,
  startRestartableServer,
  startTestServer,
  tempDir,
  uniqueName,
  waitForOutput,
  type TestServer,
} from './support/cli.js';

describe('parley (terminal client)', () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    server = await startTestServer();
    dir = tempDir();
  });
  after(async () => {
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Registers a new user with its own config file. */
  async function newUser(url: string): Promise<{ user: CliUser; name: string }> {
    const name = uniqueName();
    const user = new CliUser(url, join(dir, `${name}.json`));
    const result = await user.run(['register', name], { env: { PARLEY_PASSWORD: PASSWORD } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`logged in as ${name}`));
    return { user, name };
  }

  for (const kind of ['ws', 'tcp'] as const) {
    it(`delivers a sent message to a listening user, over ${kind}`, async () => {
      const url = kind === 'ws' ? server.wsUrl : server.tcpUrl;
      const alice = await newUser(url);
      const bob = await newUser(url);

      const listener = bob.user.spawn(['listen', '--json']);
      try {
        await waitForOutput(listener.stderr!, /Listening as/);
        const lines = waitForOutput(listener.stdout!, /\n/);
        const sent = await alice.user.run(['send', bob.name, 'hello', 'from', 'the', 'shell']);
        assert.equal(sent.code, 0, sent.stderr);
        const line = JSON.parse((await lines).trim()) as Record<string, unknown>;
        assert.equal(line['from'], alice.name);
        assert.equal(line['body'], 'hello from the shell');
        assert.equal(line['live'], true);
      } finally {
        listener.kill('SIGINT');
      }
      const [code] = (await once(listener, 'close')) as [number | null];
      assert.equal(code, 0, 'Ctrl-C ends listen cleanly');
    });
  }

  it('listen waits for a server that is down, says so once, and receives when it is up', async () => {
    const own = await startRestartableServer();
    try {
      const alice = await newUser(own.tcpUrl);
      const bob = await newUser(own.tcpUrl);
      await own.stop();

      const listener = bob.user.spawn(['listen', '--json']);
      const stderr = collectText(listener.stderr!);
      try {
        await waitForOutput(listener.stderr!, /cannot reach the server/);
        await own.start();
        await waitForOutput(listener.stderr!, /Listening as/, 40_000);
        const lines = waitForOutput(listener.stdout!, /\n/);
        const sent = await alice.user.run(['send', bob.name, 'you waited']);
        assert.equal(sent.code, 0, sent.stderr);
        assert.equal((JSON.parse(await lines) as { body: string }).body, 'you waited');
      } finally {
        listener.kill('SIGINT');
      }
      await once(listener, 'close');
      const notices = stderr()
        .split('\n')
        .filter((l) => /cannot reach|connection lost/.test(l));
      assert.equal(notices.length, 1, `one notice while it waited:\n${stderr()}`);
    } finally {
      await own.dispose();
    }
  });

  it('keeps the session in a config file only its owner can read', async () => {
    const { user } = await newUser(server.wsUrl);
    assert.equal(statSync(user.config).mode & 0o777, 0o600);
    const stored = JSON.parse(readFileSync(user.config, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(stored), [server.wsUrl], 'one entry per server');
    const who = await user.run(['whoami']);
    assert.equal(who.code, 0, who.stderr);
  });

  it('pages back through history', async () => {
    const alice = await newUser(server.wsUrl);
    const bob = await newUser(server.wsUrl);
    for (const n of [1, 2, 3, 4, 5]) {
      const r = await alice.user.run(['send', bob.name, `message ${n}`]);
      assert.equal(r.code, 0, r.stderr);
    }
    const newest = await bob.user.run(['history', alice.name, '--limit', '2']);
    assert.equal(newest.code, 0, newest.stderr);
    assert.deepEqual(bodies(newest.stdout), ['message 4', 'message 5']);
    const hint = /--before (\d+)/.exec(newest.stderr);
    assert.ok(hint, `a hint for the next page: ${newest.stderr}`);

    const older = await bob.user.run(['history', alice.name, '--before', hint[1]!, '--limit', '2']);
    assert.deepEqual(bodies(older.stdout), ['message 2', 'message 3']);

    const list = await bob.user.run(['conversations']);
    assert.match(list.stdout, new RegExp(`${alice.name}\\s+5 unread.*message 5`));
  });

  it('sends text piped from a file with Windows line endings as the lines it holds', async () => {
    const alice = await newUser(server.wsUrl);
    const bob = await newUser(server.wsUrl);
    const sent = await alice.user.run(['send', bob.name, '-'], {
      input: 'first line\r\nsecond line\r\n',
    });
    assert.equal(sent.code, 0, sent.stderr);
    const history = await bob.user.run(['history', alice.name]);
    assert.equal(history.code, 0, history.stderr);
    assert.deepEqual(bodies(history.stdout), ['first line ⏎ second line']);
  });

  it('shows and sets the status others see, for all devices', async () => {
    const alice = await newUser(server.wsUrl);
    const shown = await alice.user.run(['status']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^Status: online \(others see: online\)/);
    const busy = await alice.user.run(['status', 'busy']);
    assert.equal(busy.code, 0, busy.stderr);
    assert.match(busy.stdout, /^Status: busy/);
    const hidden = await alice.user.run(['status', 'invisible']);
    assert.match(hidden.stdout, /^Status: invisible \(others see you offline\)/);
    const kept = await alice.user.run(['status']);
    assert.match(kept.stdout, /^Status: invisible/, 'the choice outlives the command');
    const wrong = await alice.user.run(['status', 'away']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /unknown status "away": choose online, busy or invisible/);
  });

  it('reads the password from stdin for scripts', async () => {
    const alice = await newUser(server.tcpUrl);
    const laptop = new CliUser(server.tcpUrl, join(dir, `${alice.name}-laptop.json`));
    const login = await laptop.run(['login', alice.name, '--password-stdin'], {
      input: `${PASSWORD}\n`,
    });
    assert.equal(login.code, 0, login.stderr);
    const logout = await laptop.run(['logout']);
    assert.equal(logout.code, 0, logout.stderr);
    const who = await laptop.run(['whoami']);
    assert.equal(who.code, 4);
    assert.match(who.stderr, /not logged in/);
  });

  it('changes the password and logs out the other devices', async () => {
    const alice = await newUser(server.wsUrl);
    const laptop = new CliUser(server.wsUrl, join(dir, `${alice.name}-laptop2.json`));
    const login = await laptop.run(['login', alice.name], { env: { PARLEY_PASSWORD: PASSWORD } });
    assert.equal(login.code, 0, login.stderr);

    const changed = await alice.user.run(['passwd'], {
      env: { PARLEY_PASSWORD: PASSWORD, PARLEY_NEW_PASSWORD: 'a brand new secret' },
    });
    assert.equal(changed.code, 0, changed.stderr);
    const revoked = await laptop.run(['whoami']);
    assert.equal(revoked.code, 4, 'the laptop was logged out');
    assert.match(revoked.stderr, /the saved session .* has ended .*parley login/);
    const again = await laptop.run(['login', alice.name], {
      env: { PARLEY_PASSWORD: 'a brand new secret' },
    });
    assert.equal(again.code, 0, again.stderr);
    const still = await alice.user.run(['whoami']);
    assert.equal(still.code, 0, 'the device that changed it stays logged in');
  });

  it('lists the devices and logs one out, whose next command says the session ended', async () => {
    const alice = await newUser(server.tcpUrl);
    const laptop = new CliUser(server.tcpUrl, join(dir, `${alice.name}-devices.json`));
    const login = await laptop.run(['login', alice.name], { env: { PARLEY_PASSWORD: PASSWORD } });
    assert.equal(login.code, 0, login.stderr);

    const listed = await alice.user.run(['devices']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^2 logged-in devices:/);
    const lines = listed.stdout.trim().split('\n').slice(1);
    assert.equal(lines.filter((l) => l.endsWith('(this device)')).length, 1);
    const other = lines.find((l) => !l.endsWith('(this device)'));
    const mine = lines.find((l) => l.endsWith('(this device)'));
    const idOf = (line: string | undefined) => /^\s*(\d+)/.exec(line ?? '')?.[1] ?? '';

    const self = await alice.user.run(['devices', 'revoke', idOf(mine)]);
    assert.equal(self.code, 1);
    assert.match(self.stderr, /parley logout/);
    const revoked = await alice.user.run(['devices', 'revoke', idOf(other)]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, new RegExp(`Logged out device ${idOf(other)}`));
    const gone = await laptop.run(['whoami']);
    assert.equal(gone.code, 4, 'the laptop was logged out');
    assert.match(gone.stderr, /the saved session .* has ended/);
    const after = await alice.user.run(['devices']);
    assert.match(after.stdout, /^1 logged-in device:/);
  });

  it('refuses one of the most common passwords at registration, saying why', async () => {
    const name = uniqueName();
    const user = new CliUser(server.wsUrl, join(dir, `${name}.json`));
    const result = await user.run(['register', name], { env: { PARLEY_PASSWORD: 'Password1' } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /one of the most common passwords/);
  });

  it('says clearly what went wrong, with distinct exit codes', async () => {
    const alice = await newUser(server.wsUrl);
    const stranger = new CliUser(server.wsUrl, join(dir, 'stranger.json'));

    const wrong = await stranger.run(['login', alice.name], {
      env: { PARLEY_PASSWORD: 'not the password' },
    });
    assert.equal(wrong.code, 4);
    assert.match(wrong.stderr, /wrong username or password/);

    const nobody = await alice.user.run(['send', uniqueName('nobody'), 'hi']);
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /no such user/);

    const self = await alice.user.run(['send', alice.name, 'hi me']);
    assert.equal(self.code, 1);
    assert.match(self.stderr, new RegExp(`you are ${alice.name}: name the user to chat with`));

    const unreachable = new CliUser('ws://127.0.0.1:1/ws', join(dir, 'x.json'));
    const down = await unreachable.run(['whoami']);
    assert.equal(down.code, 3);
    assert.match(down.stderr, /cannot reach the server/);

    const noPort = new CliUser('tcp://127.0.0.1', join(dir, 'x.json'));
    const badUrl = await noPort.run(['whoami']);
    assert.equal(badUrl.code, 2, 'a URL that can never work is a usage error');
    assert.match(badUrl.stderr, /needs a port/);

    const noPassword = await stranger.run(['login', alice.name]);
    assert.equal(noPassword.code, 2, 'no terminal and no password given');
    assert.match(noPassword.stderr, /PARLEY_PASSWORD/);

    const usage = await alice.user.run(['history']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /missing username/);

    const taken = await stranger.run(['register', alice.name], {
      env: { PARLEY_PASSWORD: PASSWORD },
    });
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /taken/);
  });
});

/** Message bodies from `history` output lines ("#seq time name: body"). */
function bodies(stdout: string): string[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => line.replace(/^#\d+ (?:\d{4}-\d\d-\d\d )?\d\d:\d\d \S+: /, ''));
}

/** Everything a stream has written so far, read at any time. */
function collectText(stream: NodeJS.ReadableStream): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}
