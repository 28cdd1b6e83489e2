/**
 * A start that cannot go on because of the machine or a setting (a port taken, a data directory
 * that cannot be written, a database that refuses us). main.ts prints the message alone, one line
 * that starts with the setting to change, and exits non-zero: a stack trace would say nothing
 * more to the operator.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';

  constructor(
    /** The environment variable to look at: PARLEY_PORT, PARLEY_DATA_DIR, DATABASE_URL... */
    readonly setting: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${setting}: ${problem}`, options);
  }
}

/** The errno code of a Node system error, if it is one. */
export function errnoOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}
