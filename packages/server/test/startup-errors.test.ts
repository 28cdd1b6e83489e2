/**
 * A start that cannot work says why in one line naming the setting to change, exits non-zero,
 * and leaves nothing on disk: the operator reads the line, fixes the setting and starts again.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, spawnServer } from './support/process.js';
import { testPostgres } from './support/postgres.js';
import { tempDir } from './support/server.js';

const postgres = await testPostgres();

/** Runs the built server to its end; returns its exit code and everything it wrote to stderr. */
async function failedStart(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const server = await spawnServer(env, [], { built: true });
  const stderr = server.child.stderr!;
  const ended = stderr.readableEnded ? Promise.resolve() : once(stderr, 'end');
  const [{ code }] = await Promise.all([server.exited, ended]);
  return { code, stderr: server.stderr() };
}

function assertOneLine(stderr: string, setting: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, not:\n${stderr}`);
  assert.ok(lines[0]!.startsWith(`${setting}: `), `the line names ${setting}: ${lines[0]}`);
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
  return lines[0]!;
}

describe('startup errors', () => {
  const root = tempDir();
  let taken: Server;
  let takenPort: number;
  before(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  after(() => {
    taken.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('names PARLEY_PORT when the HTTP port is taken, and creates no data directory', async () => {
    const dataDir = join(root, 'http-port');
    const { code, stderr } = await failedStart({
      PARLEY_PORT: String(takenPort),
      PARLEY_DATA_DIR: dataDir,
    });
    assert.notEqual(code, 0);
    assert.match(
      assertOneLine(stderr, 'PARLEY_PORT'),
      new RegExp(`port ${takenPort} is already in use`),
    );
    assert.equal(existsSync(dataDir), false, 'nothing was created before the ports were bound');
  });

  it('names PARLEY_TCP_PORT when the TCP port is taken, and creates no data directory', async () => {
    const dataDir = join(root, 'tcp-port');
    const { code, stderr } = await failedStart({
      PARLEY_TCP_PORT: String(takenPort),
      PARLEY_DATA_DIR: dataDir,
    });
    assert.notEqual(code, 0);
    assertOneLine(stderr, 'PARLEY_TCP_PORT');
    assert.equal(existsSync(dataDir), false);
  });

  it('names PARLEY_DATA_DIR when the data directory cannot be created', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a directory');
    const { code, stderr } = await failedStart({ PARLEY_DATA_DIR: join(file, 'data') });
    assert.notEqual(code, 0);
    assert.match(
      assertOneLine(stderr, 'PARLEY_DATA_DIR'),
      /cannot create or write the data directory/,
    );
  });

  it(
    'names PARLEY_DATA_DIR when the data directory is read-only',
    { skip: process.getuid?.() === 0 ? 'root may write into a read-only directory' : false },
    async () => {
      const dataDir = join(root, 'read-only');
      mkdirSync(dataDir);
      chmodSync(dataDir, 0o500);
      const { code, stderr } = await failedStart({ PARLEY_DATA_DIR: dataDir });
      assert.notEqual(code, 0);
      assertOneLine(stderr, 'PARLEY_DATA_DIR');
    },
  );

  it('names PARLEY_TLS_CERT when the certificate file cannot be read', async () => {
    const dataDir = join(root, 'tls');
    const { code, stderr } = await failedStart({
      PARLEY_TLS_CERT: join(root, 'missing-cert.pem'),
      PARLEY_TLS_KEY: join(root, 'missing-key.pem'),
      PARLEY_DATA_DIR: dataDir,
    });
    assert.notEqual(code, 0);
    assert.match(assertOneLine(stderr, 'PARLEY_TLS_CERT'), /cannot read .*missing-cert\.pem/);
    assert.equal(existsSync(dataDir), false);
  });

  it('names DATABASE_URL with a connection error when PostgreSQL is unreachable', async () => {
    const port = await freePort();
    const { code, stderr } = await failedStart({
      DATABASE_URL: `postgres://parley:hunter2-secret@127.0.0.1:${port}/parley`,
      PARLEY_DATA_DIR: join(root, 'unused-pg'),
    });
    assert.notEqual(code, 0);
    const line = assertOneLine(stderr, 'DATABASE_URL');
    assert.match(line, /cannot connect to PostgreSQL/);
    assert.match(line, /connection error/);
    assert.doesNotMatch(line, /migration/);
    assert.doesNotMatch(stderr, /hunter2-secret/, 'the password is never printed');
    assert.equal(existsSync(join(root, 'unused-pg')), false, 'PostgreSQL needs no data directory');
  });

  it(
    'names DATABASE_URL with a connection error when PostgreSQL refuses the credentials',
    { skip: postgres.skip },
    async () => {
      const url = new URL(await postgres.createDatabase());
      url.username = 'parley_no_such_role';
      url.password = 'hunter2-secret';
      const { code, stderr } = await failedStart({ DATABASE_URL: url.toString() });
      assert.notEqual(code, 0);
      const line = assertOneLine(stderr, 'DATABASE_URL');
      assert.match(line, /cannot connect to PostgreSQL: .*parley_no_such_role/);
      assert.doesNotMatch(line, /migration/);
      assert.doesNotMatch(stderr, /hunter2-secret/, 'the password is never printed');
      assert.match(line, /postgres:\/\/parley_no_such_role:\*\*\*@/);
    },
  );
});
