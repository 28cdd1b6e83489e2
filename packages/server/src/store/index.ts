/** Picks the Store adapter from the configuration: PostgreSQL when a URL is given, else SQLite. */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Store } from './store.js';
import type { StoreError } from './errors.js';
import { createPostgresStore } from './postgres.js';
import type { NodeSharing } from './postgres-node-lock.js';
import { createSqliteStore } from './sqlite.js';
import { openSqliteStore } from './sqlite/open.js';

export type { Store } from './store.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { createPostgresStore } from './postgres.js';
export { createSqliteStore } from './sqlite.js';

export interface StoreConfig {
  /** postgres://... ; unset = SQLite. */
  databaseUrl?: string | undefined;
  /** PostgreSQL: most pooled connections. */
  pgPool?: number;
  /** PostgreSQL: whether other nodes share the database (they all have the Redis bus). */
  sharing?: NodeSharing;
  /** Directory of the SQLite file (parley.db). */
  dataDir: string;
  /** SQLite: the store's worker thread stopped; every call fails from now on. */
  onFailure?: (error: StoreError) => void;
  /** SQLite: where transactions run (see `sqliteThread`); default `auto`. */
  sqliteThread?: SqliteThread;
}

export const SQLITE_THREADS = ['auto', 'worker', 'main'] as const;
/**
 * Where SQLite's transactions and fsyncs run. `worker`: a thread of their own, so the event loop
 * keeps reading and writing sockets while a batch commits. `main`: on the event loop, which costs
 * no copying between threads. `auto` takes the worker only when this process may use two cores or
 * more: on one core the threads cannot run at once, and the copying made W1 slower (measured in
 * docs/performance.md).
 */
export type SqliteThread = (typeof SQLITE_THREADS)[number];

export function sqliteThreadFor(choice: SqliteThread): 'worker' | 'main' {
  if (choice !== 'auto') return choice;
  // Counts the cores this process may run on (taskset, cgroup CPU sets), not the machine's.
  return availableParallelism() >= 2 ? 'worker' : 'main';
}

export function createStore(config: StoreConfig): Promise<Store> {
  return config.databaseUrl !== undefined && config.databaseUrl !== ''
    ? createPostgresStore({
        url: config.databaseUrl,
        ...(config.pgPool === undefined ? {} : { poolSize: config.pgPool }),
        ...(config.sharing === undefined ? {} : { sharing: config.sharing }),
      })
    : sqliteThreadFor(config.sqliteThread ?? 'auto') === 'worker'
      ? createSqliteStore({
          file: join(config.dataDir, 'parley.db'),
          ...(config.onFailure === undefined ? {} : { onFailure: config.onFailure }),
        })
      : openSqliteStore({ file: join(config.dataDir, 'parley.db') });
}
