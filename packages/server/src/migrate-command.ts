/**
 * `parley-server migrate [settings]`: brings the configured database's schema to this version and
 * exits, so an operator can migrate before rolling new nodes out. Nodes migrate at start too; the
 * migration lock (store/postgres-node-lock.ts) makes either safe beside nodes starting meanwhile.
 */
import { loadConfig } from './config.js';
import { createStore } from './store/index.js';

export async function runMigrations(
  env: Record<string, string | undefined>,
  args: readonly string[],
): Promise<string> {
  const config = loadConfig({}, env, args);
  // Opening the store applies whatever migrations are missing, under the migration lock.
  const store = await createStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await store.close();
  return config.databaseUrl ? 'PostgreSQL schema is up to date' : 'SQLite schema is up to date';
}
