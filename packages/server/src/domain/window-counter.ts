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
