/**
 * Opens the configured store at start, after the listeners are bound, and turns what can go wrong
 * into a StartupError naming the setting: PARLEY_DATA_DIR for the SQLite file, DATABASE_URL for
 * PostgreSQL (a connection refused or a wrong password is a connection error, not a failed
 * migration, and the password is never repeated).
 */
import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from '../config.js';
import { StoreError, createStore, type Store } from '../store/index.js';
import { ensureSqliteFile } from '../store/sqlite/open.js';
import { redactDatabaseUrl, sqliteFileOf } from './data-location.js';
import { StartupError } from './startup-error.js';

type StoreSettings = Pick<Config, 'dataDir' | 'databaseUrl' | 'sqliteThread'>;

export async function openStore(
  config: StoreSettings,
  onFailure: (error: StoreError) => void,
): Promise<Store> {
  const postgresUrl = config.databaseUrl ?? '';
  if (postgresUrl === '') prepareDataDir(sqliteFileOf(config));
  try {
    return await createStore({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      sqliteThread: config.sqliteThread,
      onFailure,
    });
  } catch (error) {
    throw postgresUrl === ''
      ? sqliteOpenError(error, sqliteFileOf(config))
      : postgresOpenError(error, postgresUrl);
  }
}

/** On this thread, before the SQLite worker starts, so the error is the file system's own. */
function prepareDataDir(file: string): void {
  const dir = dirname(file);
  try {
    ensureSqliteFile(file);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new StartupError(
      'PARLEY_DATA_DIR',
      `cannot create or write the data directory ${dir} (${(error as Error).message})`,
      { cause: error },
    );
  }
}

function sqliteOpenError(error: unknown, file: string): StartupError {
  const reason = error instanceof Error ? error.message : String(error);
  const problem =
    error instanceof StoreError && error.code === 'migration_failed'
      ? `${reason} in ${file}: ${causeOf(error)}`
      : `cannot open the SQLite database ${file} (${reason})`;
  return new StartupError('PARLEY_DATA_DIR', problem, { cause: error });
}

function postgresOpenError(error: unknown, url: string): StartupError {
  const where = redactDatabaseUrl(url);
  const password = passwordOf(url);
  const hide = (text: string) => (password === '' ? text : text.split(password).join('***'));
  const reason = hide(error instanceof Error ? error.message : String(error));
  const problem =
    error instanceof StoreError && error.code === 'migration_failed'
      ? `${reason} on ${where}: ${hide(causeOf(error))}`
      : error instanceof StoreError && error.code === 'connection_failed'
        ? `${reason} (connection error, ${where})`
        : `cannot open the PostgreSQL store ${where} (${reason})`;
  return new StartupError('DATABASE_URL', problem, { cause: error });
}

function causeOf(error: Error): string {
  return error.cause instanceof Error ? error.cause.message : String(error.cause);
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
