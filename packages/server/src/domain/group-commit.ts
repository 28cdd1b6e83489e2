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
  /**
   * Aim for commits no longer than this: every message that arrives during a commit waits for
   * it, so a batch is sized from the last commit's time per message (see batchLimit).
   */
  maxBatchMs: number;
  /** Called after each committed batch, before the senders' promises resolve. */
  onCommitted: (results: AppendResult[], batchSize: number, commitMs: number) => void;
}

export function createGroupCommit(options: GroupCommitOptions) {
  const { store, now, onCommitted } = options;
  let queue: Pending[] = [];
  let running: Promise<void> | null = null;
  const limit = batchLimit(options.maxBatch, options.maxBatchMs);

  async function run() {
    while (queue.length > 0) {
      const batch = queue.slice(0, limit.size());
      queue = queue.slice(batch.length);
      const waiting = queue.length;
      const started = performance.now();
      try {
        const results = await store.appendMessages(
          batch.map((p) => p.message),
          now(),
        );
        const commitMs = performance.now() - started;
        limit.observe(batch.length, commitMs, queue.length - waiting);
        onCommitted(results, batch.length, commitMs);
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

/**
 * How many messages the next batch may take so its commit lasts about `maxBatchMs`: the last
 * batch's size scaled by maxBatchMs / its commit time. A commit costs a fixed part (the fsync)
 * plus a part per message, so this converges on the size whose commit takes maxBatchMs, within a
 * few commits of a change in load; never more than `maxBatch`.
 *
 * Never fewer than the messages that arrived during the last commit, though: when the fixed part
 * alone is near maxBatchMs (a slow or busy disk), shrinking the batch would only add commits,
 * each paying the fsync again, and the queue would grow without end. The bound splits a backlog
 * into shorter commits; it does not trade away keeping up.
 */
function batchLimit(maxBatch: number, maxBatchMs: number) {
  let size = maxBatch;
  return {
    size: () => size,
    observe(batchSize: number, commitMs: number, arrivedMeanwhile: number): void {
      const scaled = Math.floor((batchSize * maxBatchMs) / Math.max(commitMs, 0.001));
      size = Math.min(maxBatch, Math.max(1, scaled, arrivedMeanwhile));
    },
  };
}
