/**
 * Presence: the status a user chose for all their devices (online, busy, invisible) and when
 * they were last seen connected, both kept across restarts. (003 and 004 are files and friends.)
 */
import type { Kysely, Migration } from 'kysely';

// As in 001: migrations see the database as it was when they were written.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export function presenceMigration(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .alterTable('users')
        .addColumn('presence_choice', 'text', (c) => c.notNull().defaultTo('online'))
        .execute();
      await db.schema.alterTable('users').addColumn('last_seen_at', 'bigint').execute();
    },

    async down(db: AnyDb): Promise<void> {
      await db.schema.alterTable('users').dropColumn('last_seen_at').execute();
      await db.schema.alterTable('users').dropColumn('presence_choice').execute();
    },
  };
}
