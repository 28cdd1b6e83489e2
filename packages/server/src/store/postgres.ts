/**
 * The PostgreSQL adapter: a pg Pool behind Kysely. Counters and timestamps are int8; this pool
 * (only this one, not pg's global registry) parses them into JS numbers.
 */
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Store } from './store.js';
import type { Database } from './schema.js';
import { migrateToLatest } from './migrations/index.js';
import { createKyselyStore } from './kysely-store.js';
import { takeNodeLock, type NodeSharing } from './postgres-node-lock.js';

export interface PostgresStoreOptions {
  /** postgres://user@host:port/database */
  url: string;
  /** Most connections the pool opens (default 10). */
  poolSize?: number;
  /** Whether other nodes may use the database too (they need the Redis bus); default `tool`. */
  sharing?: NodeSharing;
}

const INT8_OID = 20;

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** SQLSTATEs after which running the whole transaction again is the right answer. */
const TRANSIENT = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (typeof code === 'string' && TRANSIENT.has(code)) return true;
  // Two batches with one client message id raced into different conversations: on the rerun
  // the duplicate check finds the committed copy.
  return code === '23505' && constraint === 'messages_sender_client_msg_id';
}

export async function createPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const lock = await takeNodeLock(options.url, options.sharing ?? 'tool');
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    types,
    // An acknowledged message is on disk, whatever the database's default says.
    options: '-c synchronous_commit=on',
  });
  // An idle connection died (PostgreSQL restarted, a proxy dropped it). Without a listener pg
  // would crash the process; the pool replaces the connection and queries report their own errors.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await lock.migrating(() => migrateToLatest(db, 'postgres'));
  } catch (error) {
    await db.destroy();
    await lock.release();
    throw error;
  }
  const store = createKyselyStore({ db, dialect: 'postgres', isTransient });
  return {
    ...store,
    async close() {
      await store.close();
      await lock.release();
    },
  };
}
