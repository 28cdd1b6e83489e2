/**
 * Login throttling that slows guessing without locking the real user out.
 *
 * Every attempt is counted BEFORE its password is checked, synchronously, so a burst of parallel
 * guesses cannot all slip past the count while the argon2 runs are in flight. Counts are kept per
 * (username, IP) pair and per IP; past each key's free attempts, the next attempt must wait a
 * delay that doubles with every further attempt (1 s, 2 s, 4 s, ... up to `maxDelayMs`).
 *
 * A guesser at one address therefore never touches the real user at another. A username that
 * many addresses fail against within the window is "under attack": from then on each address gets
 * a single free attempt before its own backoff starts. No address is refused its first attempt, so
 * a user at a fresh address is never locked out, while a guesser needs a new address per guess.
 */
import { WindowCounter } from './window-counter.js';

export interface ThrottlePolicy {
  /** Attempts one (username, IP) pair may make before its backoff starts. */
  pairAttempts: number;
  /** Attempts one IP may make (for any usernames) before its backoff starts. */
  ipAttempts: number;
  /** Failures for one username across all IPs within `windowMs` that put it under attack. */
  usernameFailures: number;
  /** First backoff delay; each further attempt doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key with no attempt for this long (and not waiting out a delay) is forgotten. */
  windowMs: number;
}

export type ThrottleScope = 'pair' | 'ip';

export type AttemptResult =
  | {
      ok: true;
      /** Keys whose backoff this attempt started (for the log): the next try must wait. */
      backoffs: Array<{ scope: ThrottleScope; delayMs: number }>;
    }
  | { ok: false; scope: ThrottleScope; retryAfterMs: number };

interface Entry {
  attempts: number;
  nextAllowedAt: number;
  lastAt: number;
}

const MAX_TRACKED_KEYS = 100_000;

/** Attempt counts with exponential backoff past `free` attempts, per key. */
class BackoffCounter {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly policy: ThrottlePolicy) {}

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.lastAt > this.policy.windowMs && now >= entry.nextAllowedAt) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  waitFor(key: string, now: number): number {
    const entry = this.live(key, now);
    return entry ? Math.max(0, entry.nextAllowedAt - now) : 0;
  }

  /** Counts one attempt; returns the delay it imposes on the next one (0 while still free). */
  take(key: string, now: number, free: number): number {
    let entry = this.live(key, now);
    if (!entry) {
      if (this.entries.size >= MAX_TRACKED_KEYS) this.prune(now);
      entry = { attempts: 0, nextAllowedAt: 0, lastAt: now };
      this.entries.set(key, entry);
    }
    entry.attempts++;
    entry.lastAt = now;
    const delay = backoffDelay(this.policy, entry.attempts, free);
    if (delay > 0) entry.nextAllowedAt = now + delay;
    return delay;
  }

  /** Takes back one attempt (it turned out not to be a guess). */
  refund(key: string, free: number): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.attempts = Math.max(0, entry.attempts - 1);
    if (entry.attempts < free) entry.nextAllowedAt = 0;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  private prune(now: number): void {
    for (const key of this.entries.keys()) this.live(key, now);
  }
}

/**
 * The throttle's port: this node's memory (below), or Redis when several nodes share the limits
 * (limits/redis-limits.ts), where one script does each step atomically. Either way the attempt is
 * counted before the caller's first await, so parallel guesses cannot slip past the count.
 */
export interface LoginThrottle {
  /**
   * Counts an attempt for `username` from `ip`, or refuses it (nothing counted) while one of its
   * keys is waiting out a delay. Call before checking the password.
   */
  attempt(username: string, ip: string, now: number): Promise<AttemptResult>;
  /** The password was wrong. */
  failed(username: string, ip: string, now: number): Promise<void>;
  /** The password was right: the pair starts afresh and the IP's count is given back. */
  succeeded(username: string, ip: string): Promise<void>;
}

/** The delay past `free` attempts: `baseDelayMs`, doubling per further attempt, up to the most. */
export function backoffDelay(policy: ThrottlePolicy, attempts: number, free: number): number {
  if (attempts < free) return 0;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, attempts - free));
}

export function createLoginThrottle(policy: ThrottlePolicy): LoginThrottle {
  const pairs = new BackoffCounter(policy);
  const ips = new BackoffCounter(policy);
  const usernameFailures = new WindowCounter(policy.windowMs);
  // A NUL cannot occur in a username or an address, so pair keys never collide.
  const pairKey = (username: string, ip: string) => `${username}\u0000${ip}`;
  const pairFree = (username: string, now: number) =>
    usernameFailures.count(username, now) >= policy.usernameFailures ? 1 : policy.pairAttempts;

  return {
    async attempt(username, ip, now) {
      const pair = pairKey(username, ip);
      const pairWait = pairs.waitFor(pair, now);
      if (pairWait > 0) return { ok: false, scope: 'pair', retryAfterMs: pairWait };
      const ipWait = ips.waitFor(ip, now);
      if (ipWait > 0) return { ok: false, scope: 'ip', retryAfterMs: ipWait };
      const backoffs: Array<{ scope: ThrottleScope; delayMs: number }> = [];
      const pairDelay = pairs.take(pair, now, pairFree(username, now));
      if (pairDelay > 0) backoffs.push({ scope: 'pair', delayMs: pairDelay });
      const ipDelay = ips.take(ip, now, policy.ipAttempts);
      if (ipDelay > 0) backoffs.push({ scope: 'ip', delayMs: ipDelay });
      return { ok: true, backoffs };
    },
    async failed(username, _ip, now) {
      usernameFailures.add(username, now);
    },
    async succeeded(username, ip) {
      pairs.reset(pairKey(username, ip));
      ips.refund(ip, policy.ipAttempts);
    },
  };
}
