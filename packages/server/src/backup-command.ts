/**
 * `parley-server backup PATH [settings]`: writes a consistent copy of the SQLite database to PATH
 * while the server runs (see store/sqlite/backup.ts). PostgreSQL has its own tool: pg_dump.
 */
import { resolve } from 'node:path';
import { sqliteFileOf } from './boot/data-location.js';
import { ConfigError, loadConfig } from './config.js';
import { BackupError, backupSqliteFile } from './store/sqlite/backup.js';

export interface BackupResult {
  source: string;
  destination: string;
  bytes: number;
}

export function backupDatabase(
  env: Record<string, string | undefined>,
  args: readonly string[],
): BackupResult {
  const [path, ...rest] = args;
  if (path === undefined || path.startsWith('--'))
    throw new ConfigError('usage: parley-server backup PATH [--data-dir DIR]');
  const config = loadConfig({}, env, rest);
  if (config.databaseUrl !== undefined && config.databaseUrl !== '')
    throw new BackupError(
      'backup: it copies the SQLite database; with DATABASE_URL set use pg_dump (docs/operations.md)',
    );
  const source = sqliteFileOf(config);
  const destination = resolve(path);
  return { source, destination, ...backupSqliteFile(source, destination) };
}
