/**
 * Telling a write the database refused because of what it carries (one message's data: a
 * constraint, a value it cannot hold) from a failure of the database itself (connection lost,
 * disk full). Only the first kind can be blamed on one message of a batch; the second fails
 * every message alike, and retrying them one by one would only hammer a sick database.
 */
import { StoreError } from '../errors.js';
import type { RefusalReason } from '../store.js';
import type { QueryContext } from './context.js';

/** SQLite result codes that name the data written, not the database's health. */
const SQLITE_DATA_CODES = new Set(['SQLITE_MISMATCH', 'SQLITE_TOOBIG', 'SQLITE_RANGE']);

function driverCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' ? code : null;
}

/**
 * Why the data of a write was refused, or null when the failure is not about the data. The
 * drivers keep their codes on the error: PostgreSQL's SQLSTATE (class 22 data exception, class
 * 23 integrity constraint violation) and better-sqlite3's extended result code.
 */
export function refusalReason(ctx: QueryContext, error: unknown): RefusalReason | null {
  if (error instanceof StoreError) {
    return error.code === 'conversation_not_found' || error.code === 'user_not_found'
      ? error.code
      : null;
  }
  const code = driverCode(error);
  if (code === null) return null;
  switch (ctx.dialect) {
    case 'postgres':
      return code.startsWith('22') || code.startsWith('23') ? 'rejected' : null;
    case 'sqlite':
      return code.startsWith('SQLITE_CONSTRAINT') || SQLITE_DATA_CODES.has(code)
        ? 'rejected'
        : null;
    default: {
      const unknownDialect: never = ctx.dialect;
      throw new Error(`unknown dialect ${String(unknownDialect)}`);
    }
  }
}

/** What the database said, for the operator's log (never a body: drivers do not quote values). */
export function refusalDetail(error: unknown): string {
  const code = driverCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code === null ? message : `${code}: ${message}`;
}
