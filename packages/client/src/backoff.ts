/**
 * Reconnect delays with "full jitter" (AWS architecture blog, "Exponential Backoff And Jitter"):
 * a uniformly random delay between 0 and an exponentially growing cap. Spreading reconnects over
 * the whole window keeps thousands of clients from stampeding a restarted server in lockstep.
 */
export interface BackoffOptions {
  minDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { minDelayMs: 500, maxDelayMs: 30_000 };

/** The cap for the given attempt (0-based): min(maxDelayMs, minDelayMs * 2^attempt). */
export function backoffCap(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  // Past 2^30 the product is far above any sane max; clamping the exponent avoids Infinity.
  const exp = Math.min(Math.max(0, attempt), 30);
  return Math.min(options.maxDelayMs, options.minDelayMs * 2 ** exp);
}

/** A delay in [0, cap) for the given attempt; `random` is injectable for tests. */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * backoffCap(attempt, options));
}
