/**
 * Migration 006 indexes the messages stored before it, in batches, oldest first: a database
 * upgraded from 005 finds its old messages, Chinese and English, newest first. Run on SQLite and
 * PostgreSQL by undoing 006 on a store's database and opening the store again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { NewMessage, Store } from '../src/store/store.js';
import { openSqliteStore } from '../src/store/sqlite/open.js';
import { createPostgresStore } from '../src/store/postgres.js';
import { testPostgres } from './support/postgres.js';

const T0 = 1_700_000_000_000;
/** More than one backfill batch (2,000). */
const COUNT = 2_100;

async function fill(store: Store): Promise<{ userId: number }> {
  const a = (await store.createUser('olduser_a', 'h', T0))!;
  const b = (await store.createUser('olduser_b', 'h', T0))!;
  const { conversation } = await store.openDirect(a.id, b.id, T0);
  const batch: NewMessage[] = [];
  for (let i = 1; i <= COUNT; i++) {
    batch.push({
      conversationId: conversation.id,
      senderId: a.id,
      clientMsgId: `old-${i}`,
      body: i % 2 === 0 ? `去北京 trip number ${i}` : `plain note ${i}`,
    });
  }
  for (let i = 0; i < batch.length; i += 500) {
    await store.appendMessages(batch.slice(i, i + 500), T0 + i);
  }
  return { userId: b.id };
}

async function expectIndexed(store: Store, userId: number): Promise<void> {
  const newest = await store.search({ userId, text: '北京', limit: 2 });
  assert.deepEqual(
    newest.hits.map((h) => h.message.body),
    [`去北京 trip number ${COUNT}`, `去北京 trip number ${COUNT - 2}`],
  );
  let total = 0;
  let before: number | undefined;
  for (;;) {
    const page = await store.search({ userId, text: 'trip 京', limit: 50, before });
    total += page.hits.length;
    if (!page.more) break;
    before = page.hits.at(-1)!.position;
  }
  assert.equal(total, COUNT / 2);
}

describe('migration 006 indexes existing messages', () => {
  it('on SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-search-migration-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'parley.db');
    let store = await openSqliteStore({ file });
    const { userId } = await fill(store);
    await store.close();

    const db = new Database(file);
    db.exec(`drop table message_search; delete from kysely_migration where name = '006-search'`);
    db.close();

    store = await openSqliteStore({ file });
    try {
      await expectIndexed(store, userId);
    } finally {
      await store.close();
    }
  });

  it('on PostgreSQL', async (t) => {
    const postgres = await testPostgres();
    if (postgres.skip !== undefined) return t.skip(postgres.skip);
    const url = await postgres.createDatabase();
    let store = await createPostgresStore({ url });
    const { userId } = await fill(store);
    await store.close();

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop table message_search`);
    await client.query(`delete from kysely_migration where name = '006-search'`);
    await client.end();

    store = await createPostgresStore({ url });
    try {
      await expectIndexed(store, userId);
    } finally {
      await store.close();
    }
  });
});
