/**
 * Device lists and invitations: when each session was last seen (for "your devices"), and the
 * single-use invite codes an operator hands out when registration is invite-only.
 */
import type { Kysely, Migration } from 'kysely';

// As in 001: migrations see the database as it was when they were written.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export function devicesAndInvitesMigration(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema.alterTable('sessions').addColumn('last_seen_at', 'bigint').execute();
      await db
        .updateTable('sessions')
        .set((eb) => ({ last_seen_at: eb.ref('created_at') }))
        .execute();

      await db.schema
        .createTable('invites')
        // SHA-256 of the code, hex: like tokens, the code itself is never stored.
        .addColumn('code_hash', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .addColumn('used_by', 'integer', (c) => c.references('users.id'))
        .execute();
    },

    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('invites').execute();
      await db.schema.alterTable('sessions').dropColumn('last_seen_at').execute();
    },
  };
}
