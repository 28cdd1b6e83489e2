/**
 * The SQLite adapter. better-sqlite3 is synchronous: on the server's thread every transaction and
 * its fsync would stop the event loop (a 512-message commit held it for over 20 ms). So the
 * database lives on a worker thread (sqlite/worker.ts) and this side forwards each Store call as a
 * message and resolves it with the reply. The Store port is unchanged; errors arrive as the same
 * StoreError (or SqliteError) they were in the worker.
 *
 * If the worker stops unexpectedly, every call under way and every later one fails with
 * StoreError('unavailable') (so /readyz turns false) and `onFailure` is told once.
 */
import { Worker } from 'node:worker_threads';
import { StoreError } from './errors.js';
import type { Store } from './store.js';
import type { SqliteFile } from './sqlite/open.js';
import {
  STORE_CALLS,
  errorFromWire,
  type FromWorker,
  type StoreCall,
  type ToWorker,
} from './sqlite/wire.js';

export interface SqliteStoreOptions extends SqliteFile {
  /** Called once when the worker thread stops without being closed (the error says why). */
  onFailure?: (error: StoreError) => void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export async function createSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const worker = startWorker({ file: options.file });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: StoreError | null = null;
  let isOpen = false;
  let closing = false;
  let lastError: unknown = null;
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));

  // Idle, the thread must not keep the process alive (a store that is never closed did not before
  // it moved to a thread); with a call under way it must, or Node could exit before the reply.
  worker.unref();
  const settle = (id: number): Pending | undefined => {
    const entry = pending.get(id);
    pending.delete(id);
    if (pending.size === 0 && !closing) worker.unref();
    return entry;
  };

  const opened = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'ready':
          resolve();
          break;
        case 'open-failed':
          reject(errorFromWire(message.error));
          break;
        case 'result':
          settle(message.id)?.resolve(message.value);
          break;
        case 'error':
          settle(message.id)?.reject(errorFromWire(message.error));
          break;
        default: {
          const unknownType: never = message;
          throw new Error(`unknown worker message ${JSON.stringify(unknownType)}`);
        }
      }
    });
    // An uncaught exception in the worker: 'exit' follows and reports it.
    worker.on('error', (error) => (lastError = error));
    void exited.then((code) => {
      if (closing) return;
      failure = new StoreError('unavailable', `the SQLite worker thread stopped (exit ${code})`, {
        cause: lastError ?? undefined,
      });
      if (!isOpen) {
        reject(failure); // no-op after open-failed, which said why already
        return;
      }
      for (const entry of pending.values()) entry.reject(failure);
      pending.clear();
      options.onFailure?.(failure);
    });
  });
  worker.ref(); // until it is open
  await opened;
  isOpen = true;
  worker.unref();

  function call(method: StoreCall, args: unknown[]): Promise<unknown> {
    if (failure !== null) return Promise.reject(failure);
    if (closing) return Promise.reject(new StoreError('unavailable', 'the store is closed'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      if (pending.size === 1) worker.ref();
      worker.postMessage({ type: 'call', id, method, args } satisfies ToWorker);
    });
  }

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      worker.ref();
      // Calls already sent finish first; the worker then closes the database and ends.
      if (failure === null) worker.postMessage({ type: 'close' } satisfies ToWorker);
      await exited;
    })();
    return closed;
  };

  // Each method forwards its arguments; the reply has the type the Store port promises, since
  // the worker ran the very same method of a real Store.
  const forwarded = Object.fromEntries(
    Object.keys(STORE_CALLS).map((method) => [
      method,
      (...args: unknown[]) => call(method as StoreCall, args),
    ]),
  ) as unknown as Omit<Store, 'close'>;
  return { ...forwarded, close };
}

/**
 * From dist, the worker is worker.js next to this file's compiled self. From source (tests run
 * TypeScript through tsx), it is worker.ts, and tsx registers its loader on the main thread only,
 * so the thread registers it first.
 */
function startWorker(data: SqliteFile): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./sqlite/worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData: data });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}
