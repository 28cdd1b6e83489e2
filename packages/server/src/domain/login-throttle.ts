/**
 * Counts failed logins per key (username, IP address) in a fixed window. Past the limit, further
 * attempts are refused until the window ends, whether or not the password would be right, so
 * guessing costs the attacker time and never costs the server an argon2 run.
 */
export interface LoginThrottle {
  /** Milliseconds until `key` may try again, or 0 when it may now. */
  blockedFor(key: string, now: number): number;
  recordFailure(key: string, now: number): void;
  reset(key: string): void;
}

const MAX_TRACKED_KEYS = 100_000;

export function createLoginThrottle(maxFailures: number, windowMs: number): LoginThrottle {
  const failures = new Map<string, { count: number; windowEnds: number }>();

  function prune(now: number) {
    for (const [key, entry] of failures) if (entry.windowEnds <= now) failures.delete(key);
  }

  return {
    blockedFor(key, now) {
      const entry = failures.get(key);
      if (!entry || entry.windowEnds <= now) return 0;
      return entry.count >= maxFailures ? entry.windowEnds - now : 0;
    },
    recordFailure(key, now) {
      const entry = failures.get(key);
      if (entry && entry.windowEnds > now) {
        entry.count++;
        return;
      }
      // Bounded memory under a flood of distinct keys: expired entries go first.
      if (failures.size >= MAX_TRACKED_KEYS) prune(now);
      failures.set(key, { count: 1, windowEnds: now + windowMs });
    },
    reset(key) {
      failures.delete(key);
    },
  };
}
