/** The Store contract on SQLite (a fresh file in a temporary directory), plus crash durability. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { createSqliteStore } from '../src/store/sqlite.js';
import { openSqliteStore } from '../src/store/sqlite/open.js';
import { runStoreSuite } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

runStoreSuite({
  name: 'SQLite store on its worker thread',
  // A missing parent directory is created.
  createStore: () => createSqliteStore({ file: join(dir, 'nested', 'parley.db') }),
});

// PARLEY_SQLITE_THREAD=main (and `auto` on one core) runs the same store on the event loop.
runStoreSuite({
  name: 'SQLite store on the main thread',
  createStore: () => openSqliteStore({ file: join(dir, 'main-thread', 'parley.db') }),
});

describe('where SQLite commits run', () => {
  const storeIndex = new URL('../src/store/index.ts', import.meta.url).href;
  const choiceOn = (cores: string): string => {
    const child = spawnSync(
      'taskset',
      [
        '-c',
        cores,
        process.execPath,
        '--conditions=source',
        '--import',
        'tsx',
        '--eval',
        `import(${JSON.stringify(storeIndex)}).then((m) => console.log(m.sqliteThreadFor('auto')))`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(child.status, 0, child.stderr);
    return child.stdout.trim();
  };

  it('uses the worker thread when the server may use two cores, and the event loop on one', () => {
    assert.equal(choiceOn('0'), 'main');
    assert.equal(choiceOn('0,1'), 'worker');
  });
});

describe('SQLite store durability', () => {
  it('keeps every acknowledged message when the process is killed right after the ack', async () => {
    const file = join(dir, 'killed', 'parley.db');
    const child = spawnSync(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        fileURLToPath(new URL('./fixtures/append-then-kill.ts', import.meta.url)),
        file,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(child.signal, 'SIGKILL', `child did not die by SIGKILL: ${child.stderr}`);
    const acked = JSON.parse(child.stdout) as { conversationId: number; seqs: number[] };
    assert.equal(acked.seqs.length, 20);

    const store = await createSqliteStore({ file });
    try {
      const { messages } = await store.history({
        conversationId: acked.conversationId,
        after: 0,
        limit: 100,
      });
      assert.deepEqual(
        messages.map((m) => m.seq),
        acked.seqs,
      );
      assert.deepEqual(
        messages.map((m) => m.body),
        acked.seqs.map((_, i) => `acknowledged ${i}`),
      );
    } finally {
      await store.close();
    }
  });
});
