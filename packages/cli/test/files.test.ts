/**
 * Files from the terminal: `parley send-file`, `files`, `save`, and attachments in `history`,
 * each a real `parley` process against a real server, the bytes checked on disk.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CliUser,
  PASSWORD,
  startRestartableServer,
  startTestServer,
  waitForOutput,
  tempDir,
  uniqueName,
  type TestServer,
} from './support/cli.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('parley send-file, files and save', () => {
  let server: TestServer;
  let small: TestServer;
  let dir: string;
  before(async () => {
    server = await startTestServer();
    small = await startTestServer({ maxUploadBytes: 1000 });
    dir = tempDir();
  });
  after(async () => {
    await server.dispose();
    await small.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function newUser(url: string, env: Record<string, string> = {}) {
    const name = uniqueName();
    const user = new CliUser(url, join(dir, `${name}.json`));
    const result = await user.run(['register', name], { env: { PARLEY_PASSWORD: PASSWORD } });
    assert.equal(result.code, 0, result.stderr);
    return {
      name,
      run: (args: string[]) => user.run(args, { env }),
      spawn: (args: string[]) => user.spawn(args, env),
    };
  }

  /** The first file id `parley files` lists. */
  function firstId(stdout: string): string {
    const id = /^(\S+) {2}/m.exec(stdout)?.[1];
    assert.ok(id, `a file id in:\n${stdout}`);
    return id;
  }

  it('sends a file over TCP that the peer lists and saves with the same bytes, never overwriting', async () => {
    const alice = await newUser(server.tcpUrl, { PARLEY_HTTP_URL: server.httpUrl });
    const bob = await newUser(server.wsUrl);
    const bytes = randomBytes(300_000);
    const path = join(dir, 'data.bin');
    writeFileSync(path, bytes);

    const sent = await alice.run(['send-file', bob.name, path, '--text', 'the numbers']);
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stdout, new RegExp(`Sent data\\.bin to ${bob.name}\\.`));
    assert.match(sent.stderr, /sending data\.bin: 100%/, 'progress lines when not a terminal');

    const history = await bob.run(['history', alice.name]);
    assert.match(history.stdout, /\[file\] data\.bin \(300 kB\) the numbers/);
    const listed = await bob.run(['files', alice.name]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`${alice.name}: \\[file\\] data\\.bin \\(300 kB\\)`));
    const fileId = firstId(listed.stdout);

    const target = join(dir, 'bob-downloads');
    mkdirSync(target);
    const saved = await bob.run(['save', fileId, target]);
    assert.equal(saved.code, 0, saved.stderr);
    assert.equal(sha256(readFileSync(join(target, 'data.bin'))), sha256(bytes));
    writeFileSync(join(target, 'data.bin'), 'mine, keep it');
    const again = await bob.run(['save', fileId, target]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(readFileSync(join(target, 'data.bin'), 'utf8'), 'mine, keep it');
    assert.equal(sha256(readFileSync(join(target, 'data (1).bin'))), sha256(bytes));
    assert.deepEqual(readdirSync(target).sort(), ['data (1).bin', 'data.bin'], 'no .part left');
  });

  it('refuses a file over the server limit before uploading anything', async () => {
    const alice = await newUser(small.wsUrl);
    const bob = await newUser(small.wsUrl);
    const path = join(dir, 'big.bin');
    writeFileSync(path, randomBytes(5000));
    const sent = await alice.run(['send-file', bob.name, path]);
    assert.equal(sent.code, 1);
    assert.match(sent.stderr, /big\.bin is too large: 5\.0 kB.*up to 1\.0 kB \(1000 bytes\)/);
    assert.doesNotMatch(sent.stderr, /sending/, 'no upload started');
    const listed = await bob.run(['files', alice.name]);
    assert.doesNotMatch(listed.stdout, /big\.bin/);
  });

  it('says what is wrong with a missing file, a directory, or tcp:// without --http-url', async () => {
    const alice = await newUser(server.wsUrl);
    const bob = await newUser(server.wsUrl);
    const missing = await alice.run(['send-file', bob.name, join(dir, 'nope.txt')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*nope\.txt: no such file/);
    const folder = await alice.run(['send-file', bob.name, dir]);
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /is not a file/);
    const overTcp = await newUser(server.tcpUrl);
    const noHttp = await overTcp.run(['send-file', bob.name, join(dir, 'nope.txt')]);
    assert.equal(noHttp.code, 2);
    assert.match(noHttp.stderr, /--http-url http:\/\/host:8080 \(env PARLEY_HTTP_URL\)/);
    const unknown = await alice.run(['save', 'no-such-file-id']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no such file, or not one shared with you/);
  });

  it('saves a hidden-file name from the sender as a plain file in the target directory', async () => {
    const alice = await newUser(server.wsUrl);
    const bob = await newUser(server.wsUrl);
    const path = join(dir, '..bashrc');
    writeFileSync(path, 'echo owned');
    const sent = await alice.run(['send-file', bob.name, path, '--quiet']);
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(sent.stderr, '', '--quiet prints no progress');
    const fileId = firstId((await bob.run(['files', alice.name])).stdout);
    const target = join(dir, 'bob-hidden');
    mkdirSync(target);
    const saved = await bob.run(['save', fileId, target]);
    assert.equal(saved.code, 0, saved.stderr);
    assert.deepEqual(readdirSync(target), ['bashrc']);
  });
  it('listen --json carries the attachment, and listen shows it as a line', async () => {
    const alice = await newUser(server.wsUrl);
    const bob = await newUser(server.wsUrl);
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'plain text\n');
    for (const json of [true, false]) {
      const listener = bob.spawn(json ? ['listen', '--json'] : ['listen']);
      try {
        await waitForOutput(listener.stderr!, /Listening as/);
        const line = waitForOutput(listener.stdout!, /\n/);
        const sent = await alice.run(['send-file', bob.name, path, '--text', 'fyi']);
        assert.equal(sent.code, 0, sent.stderr);
        if (json) {
          const message = JSON.parse((await line).trim()) as Record<string, unknown>;
          assert.equal(message['body'], 'fyi');
          const attachment = message['attachment'] as Record<string, unknown>;
          assert.equal(attachment['kind'], 'file');
          assert.equal(attachment['name'], 'notes.txt');
          assert.equal(attachment['size'], 11);
          assert.equal(typeof attachment['fileId'], 'string');
        } else {
          assert.match(
            await line,
            new RegExp(`${alice.name}: \\[file\\] notes\\.txt \\(11 B\\) fyi`),
          );
        }
      } finally {
        listener.kill('SIGINT');
      }
    }
  });

  it('exits 3 when the server goes away during an upload', async () => {
    const own = await startRestartableServer();
    try {
      const alice = await newUser(own.wsUrl);
      const bob = await newUser(own.wsUrl);
      const path = join(dir, 'large.bin');
      writeFileSync(path, randomBytes(60_000_000));
      const sender = alice.spawn(['send-file', bob.name, path]);
      const closed = new Promise<number | null>((resolve) => sender.on('close', resolve));
      let stderr = '';
      sender.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      await waitForOutput(sender.stderr!, /sending large\.bin: 0%/);
      await own.stop();
      assert.equal(await closed, 3, stderr);
      assert.match(stderr, /upload interrupted: lost the connection to the server/);
    } finally {
      await own.dispose();
    }
  });
});
