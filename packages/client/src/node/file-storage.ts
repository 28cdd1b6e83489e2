/**
 * Keeps the SDK's state in a JSON file, readable by its owner only (mode 0600: it holds a session
 * token). Writes go to a temporary file that is then renamed over the old one, so a crash never
 * leaves a half-written file. With `key`, the file holds one state per key (the terminal client
 * keeps one per server), and a save rewrites only that key.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parsePersistedState } from '../storage.js';
import type { ClientStorage, PersistedState } from '../types.js';

export function fileStorage(path: string, key: string | null = null): ClientStorage {
  let queue: Promise<unknown> = Promise.resolve();
  // Saves run one at a time, so two writes of this process never race for the file.
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    load: () =>
      serial(async () => {
        const whole = await readJson(path);
        return parsePersistedState(key === null ? whole : field(whole, key));
      }),
    save: (state: PersistedState) =>
      serial(async () => {
        let content: unknown = state;
        if (key !== null) {
          const whole = await readJson(path);
          const base = typeof whole === 'object' && whole !== null ? whole : {};
          content = { ...base, [key]: state };
        }
        await writeAtomically(path, `${JSON.stringify(content, null, 2)}\n`);
      }),
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
