/**
 * The SQLite worker thread: owns the one better-sqlite3 connection and runs every Store call the
 * server's thread sends it (see ../sqlite.ts). Queries, transactions and their fsyncs happen here,
 * so the server's event loop keeps reading and writing sockets while a batch commits.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Store } from '../store.js';
import { openSqliteStore, type SqliteFile } from './open.js';
import { errorToWire, isStoreCall, type FromWorker, type ToWorker } from './wire.js';

if (parentPort === null) throw new Error('the SQLite worker must run in a worker thread');
const port: MessagePort = parentPort;
const send = (message: FromWorker) => port.postMessage(message);

let store: Store | null = null;
try {
  store = await openSqliteStore(workerData as SqliteFile);
} catch (error) {
  send({ type: 'open-failed', error: errorToWire(error) });
  port.close();
}

if (store !== null) serve(store);

function serve(store: Store): void {
  // Calls under way, so close waits for them (their results are still wanted).
  const running = new Set<Promise<void>>();

  async function call(id: number, method: unknown, args: unknown[]): Promise<void> {
    try {
      if (!isStoreCall(method)) throw new Error(`not a store method: ${String(method)}`);
      // The arguments were typed by the Store port on the sending side; the record of calls
      // above guarantees the method exists.
      const fn = store[method] as (...a: unknown[]) => Promise<unknown>;
      send({ type: 'result', id, value: await fn(...args) });
    } catch (error) {
      send({ type: 'error', id, error: errorToWire(error) });
    }
  }

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'call': {
        const done = call(message.id, message.method, message.args);
        running.add(done);
        void done.finally(() => running.delete(done));
        break;
      }
      case 'close':
        void Promise.allSettled(running)
          .then(() => store.close())
          .finally(() => port.close());
        break;
      default: {
        const unknownType: never = message;
        throw new Error(`unknown message ${JSON.stringify(unknownType)}`);
      }
    }
  });
  send({ type: 'ready' });
}
