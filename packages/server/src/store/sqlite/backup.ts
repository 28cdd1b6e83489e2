/**
 * An online backup of a live SQLite database. Copying parley.db with `cp` while the server runs
 * can miss what is still in the -wal file or catch a page mid-write; `VACUUM INTO` instead reads
 * one consistent snapshot in a read transaction (the server goes on writing under WAL) and
 * writes it to a new file, compacted. The copy is created 0600 like the database.
 */
import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';

export class BackupError extends Error {
  override readonly name = 'BackupError';
}

export function backupSqliteFile(source: string, destination: string): { bytes: number } {
  if (!existsSync(source)) throw new BackupError(`backup: there is no database at ${source}`);
  // VACUUM INTO writes only into a file that is missing or empty; never over an older backup.
  if (existsSync(destination) && statSync(destination).size > 0)
    throw new BackupError(`backup: ${destination} already exists; give a new file name`);
  closeSync(openSync(destination, 'w', 0o600));
  chmodSync(destination, 0o600);
  const db = new Database(source, { fileMustExist: true });
  try {
    // The server may hold the write lock for a commit; wait for it rather than fail.
    db.pragma('busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(destination);
  } finally {
    db.close();
  }
  return { bytes: statSync(destination).size };
}
