/**
 * What every query module receives: the Kysely instance, which dialect is underneath, and the
 * few helpers whose SQL differs between SQLite and PostgreSQL.
 */
import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database, SqlDialect } from '../schema.js';

/** A Kysely instance or an open transaction on one. */
export type Db = Kysely<Database>;

export interface QueryContext {
  db: Db;
  dialect: SqlDialect;
  /**
   * Decides whether a failed transaction may simply run again (PostgreSQL deadlock, serialization
   * failure, or losing an insert race to a concurrent writer).
   */
  isTransient(error: unknown): boolean;
}

/** Bind parameters per statement we allow ourselves (SQLite allows 32766, PostgreSQL 65535). */
export const MAX_PARAMS = 16_000;
const MAX_ATTEMPTS = 5;

/** Runs `fn` in one transaction; runs it again (whole) after a transient conflict. */
export async function inTransaction<T>(ctx: QueryContext, fn: (trx: Db) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.db.transaction().execute(fn);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !ctx.isTransient(error)) throw error;
    }
  }
}

export type SqlType = 'integer' | 'bigint' | 'text';

/**
 * A `(values (...), (...))` table expression for bulk statements; its columns are named column1,
 * column2... in both dialects. PostgreSQL cannot infer a type for bare parameters in VALUES, so
 * there each value carries a cast; SQLite gets the shorter statement.
 */
export function valuesTable<Row extends Record<`column${number}`, unknown>>(
  ctx: QueryContext,
  rows: readonly (readonly unknown[])[],
  types: readonly SqlType[],
): RawBuilder<Row> {
  const casts = types.map((t) => sql.raw(t));
  const tuples = rows.map((row) =>
    ctx.dialect === 'postgres'
      ? sql`(${sql.join(row.map((v, i) => sql`cast(${v} as ${casts[i]})`))})`
      : sql`(${sql.join(row)})`,
  );
  return sql<Row>`(values ${sql.join(tuples)})`;
}

/** Splits `items` so that each slice stays within MAX_PARAMS at `paramsPerItem` each. */
export function chunks<T>(items: readonly T[], paramsPerItem: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMS / paramsPerItem));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Sorted distinct numbers: lock and lookup lists. */
export function distinctSorted(values: Iterable<number>): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}
