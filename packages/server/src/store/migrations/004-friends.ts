/**
 * Friends: pending friend requests, friendships (one row per side, each with that side's remark
 * and grouping), blocks, and each user's choice of who may message them (null: the server's
 * default). Updates that carry their own data (the friend kinds) keep it in `payload`, JSON of
 * the update as it was sent, since what they describe (a request, a remark) changes or goes away.
 *
 * Numbered 004: 003 is taken by another branch's migration (files).
 */
import { sql } from 'kysely';
import type { CreateTableBuilder, Kysely, Migration } from 'kysely';
import type { SqlDialect } from '../schema.js';

// As in 001: migrations see the database as it was when they were written.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export function friendsMigration(dialect: SqlDialect): Migration {
  // Small rows read by key ranges: clustered on the key in SQLite, as in 001.
  const clustered = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    dialect === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table;

  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema.alterTable('users').addColumn('direct_messages', 'text').execute();
      await db.schema.alterTable('user_updates').addColumn('payload', 'text').execute();

      await clustered(
        db.schema
          .createTable('friend_requests')
          .addColumn('from_user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('to_user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('note', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('friend_requests_pk', ['from_user_id', 'to_user_id']),
      ).execute();
      // "Who asked me" (the incoming list).
      await db.schema
        .createIndex('friend_requests_to_user_id')
        .on('friend_requests')
        .columns(['to_user_id', 'from_user_id'])
        .execute();

      await clustered(
        db.schema
          .createTable('friendships')
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('friend_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('remark', 'text')
          .addColumn('grouping', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('friendships_pk', ['user_id', 'friend_id']),
      ).execute();

      await clustered(
        db.schema
          .createTable('blocks')
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('blocked_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('blocks_pk', ['user_id', 'blocked_id']),
      ).execute();
    },

    async down(db: AnyDb): Promise<void> {
      for (const table of ['blocks', 'friendships', 'friend_requests']) {
        await db.schema.dropTable(table).execute();
      }
      await db.schema.alterTable('user_updates').dropColumn('payload').execute();
      await db.schema.alterTable('users').dropColumn('direct_messages').execute();
    },
  };
}
