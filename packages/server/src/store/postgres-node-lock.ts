/**
 * Which nodes may share one PostgreSQL database, told by advisory locks on a connection of its
 * own that the node holds for its lifetime (the lock goes when the process dies, SIGKILL too).
 *
 * A node without Redis has no way to tell other nodes of new messages, so it must be alone: it
 * holds the node lock exclusively. Nodes with Redis hold it shared and so coexist with each other,
 * but not with a lone node. The migration lock is taken around migrations, so nodes starting
 * together migrate one after the other: the first applies them, the others find nothing to do.
 */
import pg from 'pg';
import { StoreError } from './errors.js';

/** Arbitrary, fixed: the two advisory lock keys Parley uses (other applications pick others). */
const NODE_LOCK = 7_360_411_001;
const MIGRATION_LOCK = 7_360_411_002;

/** `tool`: an operator command (migrate, invite) beside running nodes: no node lock at all. */
export type NodeSharing = 'alone' | 'shared' | 'tool';

export interface NodeLock {
  /** Runs `migrate` holding the migration lock; nodes starting together take turns. */
  migrating<T>(migrate: () => Promise<T>): Promise<T>;
  /** Lets go of the node lock (at shutdown). */
  release(): Promise<void>;
}

export async function takeNodeLock(url: string, sharing: NodeSharing): Promise<NodeLock> {
  const client = new pg.Client({ connectionString: url });
  // The lock connection dropped (PostgreSQL restarted): the queries' own pool reconnects, and
  // this node carries on; the lock is taken again at the next start.
  client.on('error', () => undefined);
  await client.connect();
  const take = sharing === 'alone' ? 'pg_try_advisory_lock' : 'pg_try_advisory_lock_shared';
  const locked =
    sharing === 'tool' ||
    (await client.query<{ locked: boolean }>(`select ${take}($1) as locked`, [NODE_LOCK])).rows[0]
      ?.locked === true;
  if (!locked) {
    await client.end().catch(() => undefined);
    throw new StoreError(
      'database_in_use',
      sharing === 'alone'
        ? 'another Parley node is using this database; set REDIS_URL to run several nodes'
        : 'a Parley node without REDIS_URL is using this database; give every node the same REDIS_URL',
    );
  }
  return {
    async migrating(migrate) {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        return await migrate();
      } finally {
        await client
          .query('select pg_advisory_unlock($1)', [MIGRATION_LOCK])
          .catch(() => undefined);
      }
    },
    async release() {
      await client.end().catch(() => undefined);
    },
  };
}
