/**
 * `parley-server invite [--count N] [settings]`: creates single-use registration invite codes in
 * the configured database and prints them, one per line. It opens the store itself, so it works
 * beside a running server (SQLite waits out the server's write lock; PostgreSQL is shared).
 */
import { loadConfig, ConfigError } from './config.js';
import { hashToken, newInviteCode } from './domain/tokens.js';
import { openStore } from './boot/open-store.js';

const MAX_COUNT = 1000;

/** Splits `--count N` off the arguments; the rest are ordinary settings. */
function parseCount(args: readonly string[]): { count: number; rest: string[] } {
  const rest: string[] = [];
  let count = 1;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = arg === '--count' ? args[++i] : arg.startsWith('--count=') ? arg.slice(8) : null;
    if (value === null) {
      rest.push(arg);
      continue;
    }
    count = Number(value);
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT)
      throw new ConfigError(`--count must be a whole number from 1 to ${MAX_COUNT}`);
  }
  return { count, rest };
}

export async function createInvites(
  env: Record<string, string | undefined>,
  args: readonly string[],
): Promise<string[]> {
  const { count, rest } = parseCount(args);
  const config = loadConfig({}, env, rest);
  // Named errors (PARLEY_DATA_DIR, DATABASE_URL) as at a server start.
  const store = await openStore(config, () => undefined);
  try {
    const codes: string[] = [];
    for (let i = 0; i < count; i++) {
      const code = newInviteCode();
      await store.createInvite(hashToken(code), Date.now());
      codes.push(code);
    }
    return codes;
  } finally {
    await store.close();
  }
}
