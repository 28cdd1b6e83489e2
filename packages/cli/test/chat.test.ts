/**
 * `parley chat` in a real terminal: tmux runs it in a pseudo-terminal, types into it and reads
 * the screen back.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ParleyClient } from '@parley/client';
import { fileStorage, transportFor } from '@parley/client/node';
import {
  CliUser,
  PARLEY,
  PASSWORD,
  REPO_ROOT,
  startRestartableServer,
  startTestServer,
  tempDir,
  uniqueName,
  type TestServer,
} from './support/cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
/** A private tmux server, so tests never touch a developer's sessions. */
const SOCKET = `parley-test-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

/** Polls the screen until it shows `pattern`; returns the screen. */
async function screenShows(session: string, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < deadline) {
    screen = tmux('capture-pane', '-p', '-t', session);
    if (pattern.test(screen)) return screen;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the screen never showed ${pattern}:\n${screen}`);
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

describe('parley chat', { skip: hasTmux ? false : 'tmux is not installed' }, () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    server = await startTestServer();
    dir = tempDir();
  });
  after(async () => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows history, sends what is typed, and shows replies as they arrive', async () => {
    const names = [uniqueName('a'), uniqueName('b')] as const;
    const [alice, bob] = names.map((n) => new CliUser(server.wsUrl, join(dir, `${n}.json`)));
    for (const [i, user] of [alice!, bob!].entries()) {
      const r = await user.run(['register', names[i]!], { env: { PARLEY_PASSWORD: PASSWORD } });
      assert.equal(r.code, 0, r.stderr);
    }
    const earlier = await bob!.run(['send', names[0], 'are you there?']);
    assert.equal(earlier.code, 0, earlier.stderr);

    const session = 'chat';
    const command = [PARLEY[0]!, ...alice!.args(['chat', names[1]])].map(quote).join(' ');
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '30', '-c', REPO_ROOT, command);
    await screenShows(session, /are you there\?/);
    await screenShows(
      session,
      new RegExp(`${names[1]} is (now )?offline, last seen \\d\\d:\\d\\d`),
    );

    // Bob's SDK client (the web client's view of it) sees alice typing; then alice sees bob.
    const bobClient = new ParleyClient({
      url: bob!.server,
      transport: transportFor(bob!.server),
      storage: fileStorage(bob!.config, bob!.server),
    });
    await bobClient.connect();
    await new Promise<void>((resolve) => {
      if (bobClient.state.status === 'online') resolve();
      bobClient.on('state', (state) => state.status === 'online' && resolve());
    });
    await screenShows(session, new RegExp(`${names[1]} is now online`));
    const chatId = (await bobClient.openDirect(names[0])).info.id;
    const aliceTyping = new Promise<number[]>((resolve) =>
      bobClient.on('typing', ({ userIds }) => userIds.length > 0 && resolve(userIds)),
    );
    tmux('send-keys', '-t', session, 'yes, typing');
    assert.equal((await aliceTyping).length, 1, 'bob is told alice is typing');
    bobClient.typing(chatId);
    await screenShows(session, new RegExp(`${names[1]} is typing… > yes, typing`));
    bobClient.stopTyping(chatId);
    await screenShows(session, /^> yes, typing/m);
    bobClient.close();

    tmux('send-keys', '-t', session, ' in a terminal', 'Enter');
    const sent = await screenShows(session, /yes, typing in a terminal ✓/);
    assert.match(sent, new RegExp(`${names[0]}: yes, typing in a terminal ✓`));

    const reply = await bob!.run(['send', names[0], 'great, I see you']);
    assert.equal(reply.code, 0, reply.stderr);
    const screen = await screenShows(session, /great, I see you/);
    const lines = screen.split('\n');
    const order = ['are you there?', 'yes, typing in a terminal', 'great, I see you'].map((t) =>
      lines.findIndex((l) => l.includes(t)),
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
      'in the order they happened',
    );

    const history = await bob!.run(['history', names[0]]);
    assert.match(history.stdout, /yes, typing in a terminal/, 'the typed message reached bob');

    tmux('send-keys', '-t', session, '/quit', 'Enter');
    await waitUntilGone(session);
  });

  it('indents the rows of a long message, so padding cannot make its tail pass for another message', async () => {
    const names = [uniqueName('a'), uniqueName('b')] as const;
    const [alice, bob] = names.map((n) => new CliUser(server.wsUrl, join(dir, `${n}.json`)));
    for (const [i, user] of [alice!, bob!].entries()) {
      const r = await user.run(['register', names[i]!], { env: { PARLEY_PASSWORD: PASSWORD } });
      assert.equal(r.code, 0, r.stderr);
    }
    // "HH:MM bob: " then padding to the end of a 100-column row: the rest would start a row.
    const prefix = `00:00 ${names[1]}: `.length;
    const forged = `${'x'.repeat(100 - prefix)}12:34 mallory: forged on its own row`;
    const sent = await bob!.run(['send', names[0], forged]);
    assert.equal(sent.code, 0, sent.stderr);

    const session = 'wrap';
    const command = [PARLEY[0]!, ...alice!.args(['chat', names[1]])].map(quote).join(' ');
    tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', '-c', REPO_ROOT, command);
    const screen = await screenShows(session, /forged on its own row/);
    const row = screen.split('\n').find((l) => l.includes('mallory: forged'))!;
    assert.doesNotMatch(row, /^12:34 mallory/, `the tail passes for a message:\n${screen}`);
    assert.match(row, /^ {4}/, 'a continuation row is indented');
    tmux('send-keys', '-t', session, '/quit', 'Enter');
    await waitUntilGone(session);
  });

  it('opens on the newest messages in order after being away, and /more shows the older ones', async () => {
    const names = [uniqueName('a'), uniqueName('b')] as const;
    const [alice, bob] = names.map((n) => new CliUser(server.wsUrl, join(dir, `${n}.json`)));
    for (const [i, user] of [alice!, bob!].entries()) {
      const r = await user.run(['register', names[i]!], { env: { PARLEY_PASSWORD: PASSWORD } });
      assert.equal(r.code, 0, r.stderr);
    }
    // Bob is away (his cursor is stored) while Alice writes more than one screen page.
    const bodies = Array.from({ length: 25 }, (_, i) => `line ${i + 1}`);
    await sendAs(alice!, names[1], bodies);

    const session = 'away';
    const command = [PARLEY[0]!, ...bob!.args(['chat', names[0]])].map(quote).join(' ');
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-c', REPO_ROOT, command);
    const opened = await screenShows(session, /line 25/);
    const shown = linesNumbered(opened);
    assert.deepEqual(
      shown,
      [...shown].sort((a, b) => a - b),
      'in the order they were written',
    );
    assert.equal(shown.at(-1), 25, 'the newest message is at the bottom');
    assert.ok(!shown.includes(1), 'the oldest messages wait for /more');

    tmux('send-keys', '-t', session, '/more', 'Enter');
    const more = await screenShows(session, /start of the conversation ──/);
    const older = more.slice(more.indexOf('── older messages'));
    assert.match(older, /older messages \(#1–#5\)/);
    assert.deepEqual(linesNumbered(older), [1, 2, 3, 4, 5]);

    tmux('send-keys', '-t', session, '/quit', 'Enter');
    await waitUntilGone(session);
  });

  it('/send-file shows its progress in place, and the peer sees the file and saves it with /save', async () => {
    const names = [uniqueName('a'), uniqueName('b')] as const;
    const [alice, bob] = names.map((n) => new CliUser(server.wsUrl, join(dir, `${n}.json`)));
    for (const [i, user] of [alice!, bob!].entries()) {
      const r = await user.run(['register', names[i]!], { env: { PARLEY_PASSWORD: PASSWORD } });
      assert.equal(r.code, 0, r.stderr);
    }
    const bytes = randomBytes(3_000_000);
    const path = join(dir, 'holiday.bin');
    writeFileSync(path, bytes);
    const downloads = join(dir, `${names[1]}-downloads`);
    mkdirSync(downloads);

    const [aliceSession, bobSession] = [`files-${names[0]}`, `files-${names[1]}`];
    const raw = join(dir, `${aliceSession}.raw`);
    for (const [session, user, peer] of [
      [aliceSession, alice!, names[1]],
      [bobSession, bob!, names[0]],
    ] as const) {
      const command = [PARLEY[0]!, ...user.args(['chat', peer])].map(quote).join(' ');
      tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '30', '-c', REPO_ROOT, command);
      await screenShows(session, /Chat with/);
    }
    // Everything alice's chat writes, escape sequences included: the progress bar's redraws.
    tmux('pipe-pane', '-o', '-t', aliceSession, `cat >> ${quote(raw)}`);

    tmux('send-keys', '-t', aliceSession, `/send-file ${path}`, 'Enter');
    const aliceScreen = await screenShows(aliceSession, /sending holiday\.bin: sent/);
    assert.equal(
      aliceScreen.split('\n').filter((l) => l.includes('sending holiday.bin')).length,
      1,
      'the progress line was rewritten in place, not repeated',
    );
    assert.match(aliceScreen, new RegExp(`${names[0]}: \\[file\\] holiday\\.bin \\(3\\.0 MB\\)`));
    assert.match(readFileSync(raw, 'utf8'), /sending holiday\.bin \[#*\.*\] +\d+%/);

    await screenShows(
      bobSession,
      new RegExp(`${names[0]}: \\[file\\] holiday\\.bin \\(3\\.0 MB\\)  /save 1`),
    );
    tmux('send-keys', '-t', bobSession, `/save 1 ${downloads}`, 'Enter');
    await screenShows(bobSession, /saved .*holiday\.bin/);
    const digest = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    assert.equal(digest(readFileSync(join(downloads, 'holiday.bin'))), digest(bytes));

    for (const session of [aliceSession, bobSession]) {
      tmux('send-keys', '-t', session, '/quit', 'Enter');
      await waitUntilGone(session);
    }
  });

  it('keeps what is typed while the server is down and sends it once it is back', async () => {
    const own = await startRestartableServer();
    try {
      const names = [uniqueName('a'), uniqueName('b')] as const;
      const [alice, bob] = names.map((n) => new CliUser(own.wsUrl, join(dir, `${n}.json`)));
      for (const [i, user] of [alice!, bob!].entries()) {
        const env = { PARLEY_PASSWORD: PASSWORD };
        const r = await user.run(['register', names[i]!], { env });
        assert.equal(r.code, 0, r.stderr);
      }
      const session = 'restart';
      const command = [PARLEY[0]!, ...alice!.args(['chat', names[1]])].map(quote).join(' ');
      tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '30', '-c', REPO_ROOT, command);
      await screenShows(session, /Chat with/);

      await own.stop();
      // Something that accepts and hangs up holds the port, so the client is seen retrying
      // several times before the server comes back.
      let attempts = 0;
      const refuser = net.createServer((socket) => {
        attempts += 1;
        socket.destroy();
      });
      const port = Number(new URL(own.wsUrl).port);
      await new Promise<void>((resolve) => refuser.listen(port, '127.0.0.1', resolve));
      await screenShows(session, /connection lost/);
      tmux('send-keys', '-t', session, 'typed while the server was down', 'Enter');
      await screenShows(session, /typed while the server was down …/);
      for (let waited = 0; attempts < 3; waited += 50) {
        assert.ok(waited < 20_000, `the client stopped retrying after ${attempts} attempts`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await new Promise((resolve) => refuser.close(resolve));
      await own.start();

      const screen = await screenShows(session, /typed while the server was down ✓/, 40_000);
      await screenShows(session, /back online/);
      const lost = screen.split('\n').filter((l) => l.includes('connection lost'));
      assert.equal(lost.length, 1, `one notice for the outage, not one per retry:\n${screen}`);
      const history = await bob!.run(['history', names[0]]);
      assert.match(history.stdout, /typed while the server was down/, 'it reached bob');

      tmux('send-keys', '-t', session, '/quit', 'Enter');
      await waitUntilGone(session);
    } finally {
      await own.dispose();
    }
  });
});

/** Sends messages with the SDK on the CLI user's own stored session. */
async function sendAs(user: CliUser, to: string, bodies: string[]): Promise<void> {
  const client = new ParleyClient({
    url: user.server,
    transport: transportFor(user.server),
    storage: fileStorage(user.config, user.server),
  });
  try {
    await client.connect();
    const chat = await client.openDirect(to);
    for (const body of bodies) await client.sendAndWait(chat.info.id, body);
  } finally {
    client.close();
  }
}

/** The numbers of the "line N" messages on a screen, top to bottom. */
function linesNumbered(screen: string): number[] {
  return [...screen.matchAll(/: line (\d+)\b/g)].map((m) => Number(m[1]));
}

async function waitUntilGone(session: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (spawnSync('tmux', ['-L', SOCKET, 'has-session', '-t', session]).status !== 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('chat did not exit after /quit');
}
