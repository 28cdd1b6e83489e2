/** Where the data lives, said so an operator can find it and a log can show it: no password. */
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';

/** The SQLite file the server uses, as an absolute path. */
export function sqliteFileOf(config: Pick<Config, 'dataDir'>): string {
  return resolve(join(config.dataDir, 'parley.db'));
}

/** A PostgreSQL URL with its password (if any) replaced by `***`. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()])
      if (/pass/i.test(key)) parsed.searchParams.set(key, '***');
    return parsed.toString();
  } catch {
    // Not a URL the parser takes (the config check lets any postgres:// through): say no more.
    return 'postgres://(unparsable URL)';
  }
}

/** `SQLite /srv/parley/data/parley.db` or `PostgreSQL postgres://parley:***@db:5432/parley`. */
export function describeDataLocation(config: Pick<Config, 'dataDir' | 'databaseUrl'>): string {
  return config.databaseUrl !== undefined && config.databaseUrl !== ''
    ? `PostgreSQL ${redactDatabaseUrl(config.databaseUrl)}`
    : `SQLite ${sqliteFileOf(config)}`;
}
