/**
 * The data on disk: readable by the server's user alone, and backed up while the server runs
 * into a copy that a server opens with everything in it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { MAIN_BUILT } from './support/process.js';
import { RawClient } from './support/raw-client.js';
import { PASSWORD, connectUser, startTestServer, tempDir } from './support/server.js';

const run = promisify(execFile);
const BODY = 'kept in the backup';

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** `parley-server backup ...` as an operator runs it; never rejects, returns how it ended. */
async function backup(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, [MAIN_BUILT, 'backup', ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('data files', () => {
  const root = tempDir();
  after(() => rmSync(root, { recursive: true, force: true }));

  it('creates the data directory 0700 and the SQLite files 0600', async () => {
    const dataDir = join(root, 'fresh', 'data');
    const server = await startTestServer({ dataDir });
    try {
      const alice = await connectUser(server.wsUrl);
      alice.client.close();
      assert.equal(modeOf(dataDir), 0o700, 'the data directory');
      assert.equal(modeOf(join(root, 'fresh')), 0o700, 'directories created on the way too');
      for (const file of ['parley.db', 'parley.db-wal', 'parley.db-shm'])
        assert.equal(modeOf(join(dataDir, file)), 0o600, file);
    } finally {
      await server.dispose();
    }
  });

  it('backs up the live SQLite database into a copy a server opens with the data', async () => {
    const dataDir = join(root, 'live');
    const server = await startTestServer({ dataDir });
    const copy = join(root, 'parley-backup.db');
    let conversationId: number;
    let username: string;
    try {
      const alice = await connectUser(server.wsUrl);
      const bob = await connectUser(server.tcpUrl);
      username = alice.username;
      conversationId = (
        await alice.client.expect('conversation', { type: 'open_direct', username: bob.username })
      ).conversation.info.id;
      await alice.client.expect('sent', {
        type: 'send',
        conversationId,
        clientMsgId: 'm1',
        body: BODY,
      });
      // While the server runs and the message may still be in the WAL only.
      const result = await backup([copy], { PARLEY_DATA_DIR: dataDir });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /backed up .*parley\.db to .*parley-backup\.db/);
      assert.equal(modeOf(copy), 0o600, 'the copy is as private as the database');
      alice.client.close();
      bob.client.close();
    } finally {
      await server.stop();
    }

    const restoredDir = join(root, 'restored');
    mkdirSync(restoredDir, { mode: 0o700 });
    copyFileSync(copy, join(restoredDir, 'parley.db'));
    const restored = await startTestServer({ dataDir: restoredDir });
    try {
      const client = await RawClient.ws(restored.wsUrl);
      await client.expect('welcome', { type: 'hello', versions: [1] });
      await client.expect('authed', { type: 'login', username, password: PASSWORD });
      const history = await client.expect('history', { type: 'history', conversationId });
      assert.deepEqual(
        history.messages.map((m) => m.body),
        [BODY],
      );
      client.close();
    } finally {
      await restored.dispose();
    }
  });

  it('refuses to back up over an existing file, or a PostgreSQL database', async () => {
    const dataDir = join(root, 'live');
    const existing = join(root, 'older-backup.db');
    writeFileSync(existing, 'an older backup');
    const over = await backup([existing], { PARLEY_DATA_DIR: dataDir });
    assert.notEqual(over.code, 0);
    assert.match(over.stderr.trim(), /^backup: .*already exists/);
    assert.equal(over.stderr.trim().split('\n').length, 1);

    const pg = await backup([join(root, 'pg.db')], { DATABASE_URL: 'postgres://db/parley' });
    assert.notEqual(pg.code, 0);
    assert.match(pg.stderr, /pg_dump/);
    assert.equal(existsSync(join(root, 'pg.db')), false);

    const none = await backup([join(root, 'none.db')], { PARLEY_DATA_DIR: join(root, 'empty') });
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /there is no database/);
  });
});
