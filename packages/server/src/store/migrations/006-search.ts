/**
 * Full-text search over messages (search/tokenize.ts makes the tokens). SQLite: a contentless
 * FTS5 table keyed by the message's rowid, holding only the index. PostgreSQL: a side table of
 * (search id, message key, tsvector) with a GIN index; the search id orders results newest first
 * and is the paging cursor. Existing messages are indexed here, in batches, oldest first.
 */
import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { SqlDialect } from '../schema.js';
import { insertSearchRows, type SearchRow } from '../queries/search-index.js';

// As in 001: migrations see the database as it was when they were written.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const BACKFILL_BATCH = 2000;

export function searchMigration(dialect: SqlDialect): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      if (dialect === 'sqlite') {
        // Marks are word characters, diacritics kept: the same words as PostgreSQL sees.
        await sql`create virtual table message_search using fts5(
          tokens,
          content = '',
          contentless_delete = 1,
          tokenize = "unicode61 remove_diacritics 0 categories 'L* N* M* Co'"
        )`.execute(db);
      } else {
        await db.schema
          .createTable('message_search')
          .addColumn('id', 'bigserial', (c) => c.primaryKey())
          .addColumn('conversation_id', 'integer', (c) => c.notNull())
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .addColumn('tokens', sql`tsvector`, (c) => c.notNull())
          .addUniqueConstraint('message_search_message', ['conversation_id', 'seq'])
          .execute();
        await sql`create index message_search_tokens on message_search using gin (tokens)`.execute(
          db,
        );
      }
      await backfill(db, dialect);
    },

    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('message_search').execute();
    },
  };
}

/** Indexes every message already stored, oldest first (so search ids follow age). */
async function backfill(db: AnyDb, dialect: SqlDialect): Promise<void> {
  let after: { at: number; conversationId: number; seq: number } | null = null;
  for (;;) {
    const from = after;
    const rows = (await db
      .selectFrom('messages')
      .select(['conversation_id', 'seq', 'body', 'created_at'])
      .$if(from !== null, (q) =>
        q.where((eb) =>
          eb.or([
            eb('created_at', '>', from!.at),
            eb.and([
              eb('created_at', '=', from!.at),
              eb.or([
                eb('conversation_id', '>', from!.conversationId),
                eb.and([
                  eb('conversation_id', '=', from!.conversationId),
                  eb('seq', '>', from!.seq),
                ]),
              ]),
            ]),
          ]),
        ),
      )
      .orderBy('created_at')
      .orderBy('conversation_id')
      .orderBy('seq')
      .limit(BACKFILL_BATCH)
      .execute()) as Array<SearchRow & { created_at: number }>;
    if (rows.length === 0) return;
    await insertSearchRows(db, dialect, rows);
    const last = rows[rows.length - 1]!;
    after = {
      at: Number(last.created_at),
      conversationId: last.conversation_id,
      seq: Number(last.seq),
    };
  }
}
