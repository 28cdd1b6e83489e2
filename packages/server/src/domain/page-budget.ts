/**
 * Pages are bounded in bytes as well as in items. A count alone lets a page of legal but large
 * items (4,000 characters that JSON escapes six-fold) grow to megabytes and overflow the reader's
 * outbound queue on every try; the byte budget keeps each reply well under that bound.
 */

/** Bytes of `value` as the UTF-8 JSON a frame carries. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/**
 * How many of `items`, taken in order, fit in `budget` bytes of JSON: never fewer than one (when
 * there is one), so a single item over the budget still goes out and paging always moves on.
 */
export function countWithinBudget<T>(
  items: readonly T[],
  budget: number,
  size: (item: T) => number = jsonBytes,
): number {
  let bytes = 0;
  for (let i = 0; i < items.length; i++) {
    bytes += size(items[i]!);
    if (bytes > budget && i > 0) return i;
  }
  return items.length;
}
