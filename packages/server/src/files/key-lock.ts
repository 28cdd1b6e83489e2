/**
 * Runs tasks one at a time per key (in this process). Storing a blob and deleting the last file
 * that named the same content must not interleave, or the delete could remove the bytes a new
 * file row has just come to rely on.
 */
export function createKeyLock() {
  const tails = new Map<string, Promise<void>>();
  return async function withKeys<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    // One key at a time in sorted order: two tasks sharing keys cannot wait for each other.
    const sorted = [...new Set(keys)].sort();
    const acquire = async (i: number): Promise<T> => {
      if (i === sorted.length) return task();
      const key = sorted[i]!;
      const previous = tails.get(key) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((r) => (release = r));
      const tail = previous.then(() => mine);
      tails.set(key, tail);
      await previous;
      try {
        return await acquire(i + 1);
      } finally {
        release();
        if (tails.get(key) === tail) tails.delete(key);
      }
    };
    return acquire(0);
  };
}
