/**
 * Writing the search index (migration 006 made it): one statement per slice of messages, inside
 * the transaction that stores them (appendMessages) or that indexes old ones (the migration).
 * The SQL that differs per engine, on both sides (what is written, what is asked), lives here.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, SqlDialect } from '../schema.js';
import { indexTokens, type QueryTerm } from '../../search/tokenize.js';
import { chunks } from './context.js';

/** What the index needs of a message. */
export interface SearchRow {
  conversation_id: number;
  seq: number;
  body: string;
}

/** PostgreSQL keeps word positions up to this; later ones count as this one. */
const MAX_TSVECTOR_POSITION = 16383;

/** A tsvector/tsquery lexeme, quoted: taken as is, with no parser or dictionary in between. */
const lexeme = (token: string) => `'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The tokens as a tsvector literal, each with its position (phrases need adjacency). */
function tsvectorText(tokens: readonly string[]): string {
  return tokens.map((t, i) => `${lexeme(t)}:${Math.min(i + 1, MAX_TSVECTOR_POSITION)}`).join(' ');
}

export async function insertSearchRows(
  db: Kysely<Database>,
  dialect: SqlDialect,
  rows: readonly SearchRow[],
): Promise<void> {
  const indexed = rows
    .map((r) => ({ row: r, tokens: indexTokens(r.body) }))
    .filter((r) => r.tokens.length > 0);
  for (const slice of chunks(indexed, 3)) {
    if (slice.length === 0) continue;
    if (dialect === 'sqlite') {
      // Keyed by the message's rowid, found through its primary key.
      const values = slice.map(
        ({ row, tokens }) => sql`(${row.conversation_id}, ${row.seq}, ${tokens.join(' ')})`,
      );
      await sql`insert into message_search (rowid, tokens)
        select m.rowid, v.column3 from (values ${sql.join(values)}) as v
        join messages m on m.conversation_id = v.column1 and m.seq = v.column2`.execute(db);
    } else {
      const values = slice.map(
        ({ row, tokens }) =>
          sql`(${row.conversation_id}, ${row.seq}, cast(${tsvectorText(tokens)} as tsvector))`,
      );
      await sql`insert into message_search (conversation_id, seq, tokens)
        values ${sql.join(values)}`.execute(db);
    }
  }
}

/** FTS5 query syntax: every term must match (AND); a phrase's bigrams in order. */
export function fts5Match(terms: readonly QueryTerm[]): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return terms
    .map((term) => {
      switch (term.kind) {
        case 'char':
          return quote(term.char);
        case 'phrase':
          return quote(term.bigrams.join(' '));
        case 'prefix':
          return `${quote(term.word)}*`;
        default: {
          const unknownTerm: never = term;
          throw new Error(`unknown term ${JSON.stringify(unknownTerm)}`);
        }
      }
    })
    .join(' AND ');
}

/** tsquery syntax: the same meaning as fts5Match, `<->` for adjacency and `:*` for prefixes. */
export function tsqueryText(terms: readonly QueryTerm[]): string {
  return terms
    .map((term) => {
      switch (term.kind) {
        case 'char':
          return lexeme(term.char);
        case 'phrase':
          return `(${term.bigrams.map(lexeme).join(' <-> ')})`;
        case 'prefix':
          return `${lexeme(term.word)}:*`;
        default: {
          const unknownTerm: never = term;
          throw new Error(`unknown term ${JSON.stringify(unknownTerm)}`);
        }
      }
    })
    .join(' & ');
}
