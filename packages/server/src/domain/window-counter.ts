/** Counts events per key in fixed windows, with bounded memory. */
const MAX_TRACKED_KEYS = 100_000;

export class WindowCounter {
  private readonly entries = new Map<string, { count: number; windowEnds: number }>();

  constructor(private readonly windowMs: number) {}

  count(key: string, now: number): number {
    const entry = this.entries.get(key);
    return entry && entry.windowEnds > now ? entry.count : 0;
  }

  /** Milliseconds until the key's window ends (0 when it has none). */
  windowLeft(key: string, now: number): number {
    const entry = this.entries.get(key);
    return entry && entry.windowEnds > now ? entry.windowEnds - now : 0;
  }

  add(key: string, now: number): void {
    const entry = this.entries.get(key);
    if (entry && entry.windowEnds > now) {
      entry.count++;
      return;
    }
    if (this.entries.size >= MAX_TRACKED_KEYS) {
      for (const [k, e] of this.entries) if (e.windowEnds <= now) this.entries.delete(k);
    }
    this.entries.set(key, { count: 1, windowEnds: now + this.windowMs });
  }
}

/** The outcome of taking one event under a window limit. */
export type WindowTake = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * A limit of events per key per fixed window: this node's memory (`memoryWindowLimit`), or Redis
 * when nodes share it (limits/redis-limits.ts).
 */
export interface WindowLimit {
  /** Counts one event for `key`, unless `limit` were already reached in the key's window. */
  take(key: string, limit: number, now: number): Promise<WindowTake>;
}

export function memoryWindowLimit(windowMs: number): WindowLimit {
  const counter = new WindowCounter(windowMs);
  return {
    async take(key, limit, now) {
      if (counter.count(key, now) >= limit)
        return { ok: false, retryAfterMs: counter.windowLeft(key, now) };
      counter.add(key, now);
      return { ok: true };
    },
  };
}
