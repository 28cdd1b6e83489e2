/** Small helpers shared by the workloads. */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight, in order of items; resolves with
 * the results in the same order. Setup (argon2 registrations, thousands of handshakes) goes
 * through this so the server's accept queue and thread pool are not flooded at once.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

let pinnable: boolean | null = null;

/** True when the machine has two cores or more (whatever this process is pinned to) and `taskset` is there to pin processes to them. */
export function canPin(): boolean {
  if (pinnable === null) {
    pinnable = cpus().length >= 2 && spawnSync('taskset', ['--version']).status === 0;
  }
  return pinnable;
}

/** Adds one to `tally[key]`. */
export function bump(tally: Record<string, number>, key: string, by = 1): void {
  tally[key] = (tally[key] ?? 0) + by;
}
