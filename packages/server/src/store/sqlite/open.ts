/**
 * The SQLite store on the calling thread: one better-sqlite3 connection in WAL mode. Only the
 * worker thread (worker.ts) opens it; the server talks to it through ../sqlite.ts. synchronous=FULL fsyncs the WAL
 * at every commit, so an acknowledged message survives SIGKILL and power loss; batching messages
 * into one transaction (group commit) is what keeps that affordable.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type { Store } from '../store.js';
import type { Database as Schema } from '../schema.js';
import { migrateToLatest } from '../migrations/index.js';
import { createKyselyStore } from '../kysely-store.js';

export interface SqliteFile {
  /** Path of the database file; its directory is created when missing. */
  file: string;
}

/**
 * Creates the database's directory (0700) and the file itself (0600) when missing: messages and
 * password hashes are for the server's user alone. SQLite gives the -wal and -shm files the
 * database file's mode, so they follow. Existing files keep the mode the operator gave them.
 */
export function ensureSqliteFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * Every transaction here writes (reads need none), so it takes the write lock when it begins. A
 * plain (deferred) `begin`, which is what Kysely sends, reads first and asks for the lock at its
 * first write, and SQLite does not wait (busy_timeout) for a lock a reading transaction asks
 * for: it fails at once with "database is locked" whenever another process (a backup, the
 * sqlite3 shell) holds the lock for a moment.
 */
const BEGIN_WRITE = 'begin immediate';

/** Statements kept prepared; bulk statements of many sizes come and go through the LRU. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every statement it runs; preparing is a large share of a small query's cost in
 * SQLite. This keeps the most recently used prepared statements by SQL text.
 */
function withStatementCache(db: Database.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(kyselySql: string): SqliteStatement {
      const sqlText = kyselySql === 'begin' ? BEGIN_WRITE : kyselySql;
      let statement = cache.get(sqlText);
      if (statement !== undefined) {
        cache.delete(sqlText); // re-inserted below: Map order is the LRU order
      } else {
        statement = db.prepare(sqlText) as unknown as SqliteStatement;
        if (cache.size >= STATEMENT_CACHE_SIZE) {
          const oldest = cache.keys().next();
          if (oldest.done !== true) cache.delete(oldest.value);
        }
      }
      cache.set(sqlText, statement);
      return statement;
    },
    close(): void {
      cache.clear();
      db.close();
    },
  };
}

export async function openSqliteStore(options: SqliteFile): Promise<Store> {
  ensureSqliteFile(options.file);
  const sqlite = new Database(options.file);
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    // Another process (a backup, the sqlite3 shell) may hold the lock briefly.
    sqlite.pragma('busy_timeout = 5000');
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const db = new Kysely<Schema>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  try {
    await migrateToLatest(db, 'sqlite');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  // SQLite has one writer and this process is it: nothing to retry.
  return createKyselyStore({ db, dialect: 'sqlite', isTransient: () => false });
}
