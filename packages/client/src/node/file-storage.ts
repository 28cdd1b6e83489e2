/**
 * Keeps the SDK's state in a JSON file, readable by its owner only (mode 0600: it holds a session
 * token). Writes go to a temporary file that is then renamed over the old one, so a crash never
 * leaves a half-written file and a read never sees one. With `key`, the file holds one state per
 * key (the terminal client keeps one per server), and an update rewrites only that key.
 *
 * Updates re-read the file and write it back under a lock file (see file-lock.ts), so several
 * programs on one file (a `parley chat` and a `parley listen`) merge their changes instead of
 * the last writer erasing the others'.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { emptyState, parsePersistedState } from '../storage.js';
import type { ClientStorage, PersistedState } from '../types.js';
import { withFileLock, type FileLockOptions } from './file-lock.js';

export function fileStorage(
  path: string,
  key: string | null = null,
  lockOptions: FileLockOptions = {},
): ClientStorage {
  let queue: Promise<unknown> = Promise.resolve();
  // Updates of this process run one at a time; the lock file orders them with other processes'.
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  const read = async (): Promise<{ whole: unknown; state: PersistedState | null }> => {
    const whole = await readJson(path);
    return { whole, state: parsePersistedState(key === null ? whole : field(whole, key)) };
  };
  return {
    load: async () => (await read()).state,
    update: (change) =>
      serial(() =>
        withFileLock(
          path,
          async () => {
            const { whole, state } = await read();
            const next = change(state ?? emptyState());
            let content: unknown = next;
            if (key !== null) {
              const base = typeof whole === 'object' && whole !== null ? whole : {};
              content = { ...base, [key]: next };
            }
            await writeAtomically(path, `${JSON.stringify(content, null, 2)}\n`);
            return next;
          },
          lockOptions,
        ),
      ),
  };
}

function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return null;
  return (value as Record<string, unknown>)[key] ?? null;
}

/** The parsed file; null when it does not exist or is not JSON (it is then replaced on save). */
async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o600, flush: true });
    // The mode given to writeFile is masked by the umask; make sure of it.
    await chmod(temp, 0o600);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
