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
import { StoreError } from './errors.js';

export interface PostgresStoreOptions {
  /** postgres://user@host:port/database */
  url: string;
  /** Most connections the pool opens (default 10). */
  poolSize?: number;
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

/** pg's message (it names the user, host or database, never the password), or the error code. */
function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  if (error instanceof Error && error.message !== '') return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String(error);
}

/** How long the first connection may take before the start fails (an address nobody answers). */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Reaching the database is a question of its own, asked first: a refused password must not read
 * as a failed migration, and a host that never answers must not hold the start for minutes. One
 * client of its own, so the pool keeps its own (unbounded) wait for a free connection under load.
 */
async function checkConnection(url: string): Promise<void> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  try {
    await client.connect();
  } catch (error) {
    throw new StoreError('connection_failed', `cannot connect to PostgreSQL: ${messageOf(error)}`, {
      cause: error,
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function createPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  await checkConnection(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    types,
  });
  // An idle connection died (PostgreSQL restarted, a proxy dropped it). Without a listener pg
  // would crash the process; the pool replaces the connection and queries report their own errors.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db, 'postgres');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return createKyselyStore({ db, dialect: 'postgres', isTransient });
}
