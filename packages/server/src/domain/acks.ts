/**
 * Devices' delivered cursors, written in batches. A device acks often (the SDK every 500 ms while
 * updates flow); one write per ack would cost one fsync each. The cursor is informational (a
 * device resumes from its own stored cursor, not this one), so losing the last second of acks in
 * a crash costs nothing; a batch per second does.
 */
import type { Store } from '../store/store.js';

export function createAckBuffer({ store, flushEveryMs }: { store: Store; flushEveryMs: number }) {
  let pending = new Map<number, number>();
  let flushing: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (pending.size === 0) return flushing;
    const acks = [...pending].map(([sessionId, pts]) => ({ sessionId, pts }));
    pending = new Map();
    // One flush at a time, in order, so a later cursor is never overwritten by an earlier one.
    flushing = flushing.then(() => store.ackSessions(acks)).catch(() => undefined);
    return flushing;
  }

  const timer = setInterval(() => void flush(), flushEveryMs);
  timer.unref();

  return {
    record(sessionId: number, pts: number): void {
      if (pts > (pending.get(sessionId) ?? -1)) pending.set(sessionId, pts);
    },
    /** Writes what is pending and stops the timer (shutdown). */
    async close(): Promise<void> {
      clearInterval(timer);
      await flush();
    },
  };
}

export type AckBuffer = ReturnType<typeof createAckBuffer>;
