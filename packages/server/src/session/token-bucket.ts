/** A token bucket: `rate` tokens a second, up to `burst` saved. Allocation-free per check. */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.refilledAt = now;
  }

  /** True when the bucket has refilled to its burst by `now`. */
  isFull(now: number): boolean {
    return this.tokens + ((now - this.refilledAt) * this.rate) / 1000 >= this.burst;
  }

  /** Takes one token; returns 0 when allowed, otherwise the milliseconds until one is available. */
  take(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) * this.rate) / 1000);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.rate);
  }
}
