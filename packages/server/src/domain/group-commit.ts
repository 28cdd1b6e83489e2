/**
 * Group commit: sends that arrive while a batch is being written wait and go together in the next
 * batch, one transaction and one fsync for all of them. Under light load a batch is one message
 * and costs one fsync; under heavy load the fsync is amortized over hundreds.
 */
import type { AppendResult, NewMessage, Store } from '../store/store.js';

interface Pending {
  message: NewMessage;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  store: Store;
  now: () => number;
  maxBatch: number;
  /** Called after each committed batch, before the senders' promises resolve. */
  onCommitted: (results: AppendResult[], batchSize: number, commitMs: number) => void;
}

export function createGroupCommit({ store, now, maxBatch, onCommitted }: GroupCommitOptions) {
  let queue: Pending[] = [];
  let running: Promise<void> | null = null;

  async function run() {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      const started = performance.now();
      try {
        const results = await store.appendMessages(
          batch.map((p) => p.message),
          now(),
        );
        onCommitted(results, batch.length, performance.now() - started);
        batch.forEach((p, i) => p.resolve(results[i]!));
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    running = null;
  }

  return {
    append(message: NewMessage): Promise<AppendResult> {
      return new Promise((resolve, reject) => {
        queue.push({ message, resolve, reject });
        // setImmediate lets every frame already read from the sockets join this batch.
        running ??= new Promise<void>((done) => setImmediate(() => void run().then(done)));
      });
    },
    /** Resolves once everything queued so far is committed (graceful shutdown). */
    async drain(): Promise<void> {
      while (running) await running;
    },
  };
}
