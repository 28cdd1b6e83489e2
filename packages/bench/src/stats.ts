/**
 * Latency histogram: logarithmic buckets 1% wide from 1 microsecond to about 20 minutes, so
 * memory is fixed whatever the run's length and histograms from several worker processes merge
 * by adding counts. Percentiles are exact to within the bucket width (1%).
 */

const MIN_US = 1;
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = 2100; // 1.01^2100 us is about 20 minutes.

export interface LatencySummary {
  count: number;
  /** Milliseconds; null when nothing was recorded. */
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

export class Histogram {
  readonly counts = new Float64Array(BUCKETS);
  count = 0;
  maxMs = 0;

  record(ms: number): void {
    const us = Math.max(ms * 1000, MIN_US);
    const index = Math.min(BUCKETS - 1, Math.floor(Math.log(us / MIN_US) / LOG_GROWTH));
    this.counts[index]! += 1;
    this.count += 1;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** The value at quantile q (0..1) in milliseconds: the upper edge of its bucket, capped at max. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min((MIN_US * GROWTH ** (i + 1)) / 1000, this.maxMs);
    }
    return this.maxMs;
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      p50: round(this.quantile(0.5)),
      p90: round(this.quantile(0.9)),
      p99: round(this.quantile(0.99)),
      max: this.count === 0 ? null : round(this.maxMs),
    };
  }

  /** A plain form that survives IPC between processes. */
  toJSON(): { counts: number[]; maxMs: number } {
    const counts: number[] = [];
    this.counts.forEach((c, i) => {
      if (c > 0) counts.push(i, c);
    });
    return { counts, maxMs: this.maxMs };
  }

  merge(other: { counts: number[]; maxMs: number }): void {
    for (let i = 0; i + 1 < other.counts.length; i += 2) {
      const index = other.counts[i]!;
      const count = other.counts[i + 1]!;
      if (index >= 0 && index < BUCKETS) {
        this.counts[index]! += count;
        this.count += count;
      }
    }
    if (other.maxMs > this.maxMs) this.maxMs = other.maxMs;
  }
}

function round(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 1000) / 1000;
}
