/**
 * Runs the schema migrations at store creation. The migrations live in code (a static provider,
 * not files found at run time), so the built server needs no migration directory next to it.
 * Kysely's Migrator records applied migrations and takes a lock, so several nodes starting at once
 * against one PostgreSQL database migrate once.
 */
import { Migrator } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import { StoreError } from '../errors.js';
import type { SqlDialect } from '../schema.js';
import { initialMigration } from './001-initial.js';
import { devicesAndInvitesMigration } from './002-devices-and-invites.js';
import { filesMigration } from './003-files.js';
import { friendsMigration } from './004-friends.js';
import { presenceMigration } from './005-presence.js';
import { searchMigration } from './006-search.js';

/** Every migration, by name; names sort in the order they apply. */
export function migrationsFor(dialect: SqlDialect): Record<string, Migration> {
  return {
    '001-initial': initialMigration(dialect),
    '002-devices-and-invites': devicesAndInvitesMigration(),
    '003-files': filesMigration(),
    '004-friends': friendsMigration(dialect),
    '005-presence': presenceMigration(),
    '006-search': searchMigration(dialect),
  };
}

export async function migrateToLatest<DB>(db: Kysely<DB>, dialect: SqlDialect): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrationsFor(dialect)) },
    // Features land in parallel, each with its migration; each only adds, so one numbered below
    // one already applied (a database created between two merges) is applied, not refused.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new StoreError('migration_failed', `database migration ${failed} failed`, {
      cause: error,
    });
  }
}
