/** Picks the Store adapter from the configuration: PostgreSQL when a URL is given, else SQLite. */
import { join } from 'node:path';
import type { Store } from './store.js';
import type { StoreError } from './errors.js';
import { createPostgresStore } from './postgres.js';
import { createSqliteStore } from './sqlite.js';

export type { Store } from './store.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { createPostgresStore } from './postgres.js';
export { createSqliteStore } from './sqlite.js';

export interface StoreConfig {
  /** postgres://... ; unset = SQLite. */
  databaseUrl?: string | undefined;
  /** Directory of the SQLite file (parley.db). */
  dataDir: string;
  /** SQLite: the store's worker thread stopped; every call fails from now on. */
  onFailure?: (error: StoreError) => void;
}

export function createStore(config: StoreConfig): Promise<Store> {
  return config.databaseUrl !== undefined && config.databaseUrl !== ''
    ? createPostgresStore({ url: config.databaseUrl })
    : createSqliteStore({
        file: join(config.dataDir, 'parley.db'),
        ...(config.onFailure === undefined ? {} : { onFailure: config.onFailure }),
      });
}
