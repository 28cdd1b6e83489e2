import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { PersistedState } from '../src/index.js';
import { fileStorage } from '../src/node/index.js';

const state: PersistedState = {
  token: 'secret-token',
  user: { id: 4, username: 'alice' },
  pts: 17,
  outbox: [{ status: 'pending', clientMsgId: 'c1', conversationId: 2, body: 'hi', createdAt: 5 }],
};

describe('file storage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-storage-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back what it saved, from a file only its owner can read', async () => {
    const path = join(dir, 'nested', 'state.json');
    const storage = fileStorage(path);
    assert.equal(await storage.load(), null, 'nothing stored yet');
    await storage.update(() => state);
    assert.deepEqual(await fileStorage(path).load(), state);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(
      readdirSync(join(dir, 'nested')),
      ['state.json'],
      'no temporary files left behind',
    );
  });

  it('keeps one state per key in a shared file', async () => {
    const path = join(dir, 'config.json');
    await fileStorage(path, 'ws://a/ws').update(() => state);
    await fileStorage(path, 'tcp://b:1').update(() => ({ ...state, token: 'other' }));
    assert.equal((await fileStorage(path, 'ws://a/ws').load())?.token, 'secret-token');
    assert.equal((await fileStorage(path, 'tcp://b:1').load())?.token, 'other');
    assert.equal(await fileStorage(path, 'ws://c/ws').load(), null);
    const whole = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(whole).sort(), ['tcp://b:1', 'ws://a/ws']);
  });

  it('treats a corrupt file as empty and replaces it on the next save', async () => {
    const path = join(dir, 'corrupt.json');
    writeFileSync(path, '{not json');
    const storage = fileStorage(path);
    assert.equal(await storage.load(), null);
    await storage.update(() => state);
    assert.deepEqual(await storage.load(), state);
  });

  it('keeps only well-formed outbox entries from a hand-edited file', async () => {
    const path = join(dir, 'edited.json');
    writeFileSync(path, JSON.stringify({ ...state, outbox: [...state.outbox, { body: 1 }] }));
    assert.deepEqual((await fileStorage(path).load())?.outbox, state.outbox);
  });
});

describe('file storage lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-lock-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('merges updates from two storages on one file instead of the last one winning', async () => {
    const path = join(dir, 'shared.json');
    const one = fileStorage(path, 'k');
    const two = fileStorage(path, 'k');
    const add = (id: string) => (s: PersistedState) => ({
      ...s,
      outbox: [...s.outbox, { ...state.outbox[0]!, clientMsgId: id }],
    });
    await Promise.all([
      ...['a', 'b', 'c'].map((id) => one.update(add(id))),
      ...['d', 'e', 'f'].map((id) => two.update(add(id))),
    ]);
    const ids = (await one.load())?.outbox.map((e) => e.clientMsgId).sort();
    assert.deepEqual(ids, ['a', 'b', 'c', 'd', 'e', 'f']);
    assert.ok(!existsSync(`${path}.lock`), 'the lock is released');
  });

  it('breaks a lock left behind by a program that died', async () => {
    const path = join(dir, 'stale.json');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const pid = Number(dead.stdout.toString());
    writeFileSync(`${path}.lock`, JSON.stringify({ pid, host: hostname(), nonce: 'gone' }));
    await fileStorage(path).update(() => state);
    assert.deepEqual(await fileStorage(path).load(), state);
  });

  it('waits for a lock a live program holds, and says which when it gives up', async () => {
    const path = join(dir, 'held.json');
    writeFileSync(
      `${path}.lock`,
      JSON.stringify({ pid: process.pid, host: hostname(), nonce: 'mine' }),
    );
    await assert.rejects(
      fileStorage(path, null, { timeoutMs: 100 }).update(() => state),
      {
        message: new RegExp(`locked by process ${process.pid}`),
      },
    );
    assert.equal(await fileStorage(path).load(), null, 'nothing written past the lock');
  });
});
