/** Errors the store raises itself, with stable codes (driver errors pass through as causes). */

export type StoreErrorCode =
  /** The database could not be reached or refused the credentials; the store did not open. */
  | 'connection_failed'
  /** A schema migration failed; the store did not open. */
  | 'migration_failed'
  /** A write referenced a conversation that does not exist. */
  | 'conversation_not_found'
  /** A write referenced a user that does not exist. */
  | 'user_not_found'
  /** Stored data broke an invariant the store keeps (a bug, or a hand-edited database). */
  | 'inconsistent'
  /** The store cannot answer at all (its SQLite worker thread stopped); a restart is needed. */
  | 'unavailable';

export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
