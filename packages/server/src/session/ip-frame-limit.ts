/**
 * Frames per second from one IP address across all its connections to this node. The
 * per-connection limit stops one noisy socket; this stops an address that opens many sockets,
 * each staying just under it. An address's bucket outlives its last connection until it has
 * refilled (a reconnect must not buy a fresh budget), then it is forgotten: memory follows
 * recently active addresses, not every address ever seen.
 */
import { TokenBucket } from './token-bucket.js';

export class IpFrameLimit {
  private readonly byIp = new Map<string, { bucket: TokenBucket; connections: number }>();

  constructor(
    private readonly rate: number,
    private readonly now: () => number,
  ) {}

  /** A connection from `ip` opened. */
  open(ip: string): void {
    const entry = this.byIp.get(ip);
    if (entry) entry.connections++;
    else
      this.byIp.set(ip, {
        bucket: new TokenBucket(this.rate, this.rate * 2, this.now()),
        connections: 1,
      });
  }

  /** A connection from `ip` closed. Its bucket stays until `prune` finds it full. */
  close(ip: string): void {
    const entry = this.byIp.get(ip);
    if (entry && entry.connections > 0) entry.connections--;
  }

  /** Forgets addresses with no connection whose budget has refilled (nothing left to remember). */
  prune(): void {
    const now = this.now();
    for (const [ip, entry] of this.byIp)
      if (entry.connections === 0 && entry.bucket.isFull(now)) this.byIp.delete(ip);
  }

  /** Takes one frame's token for `ip`; 0 when allowed, otherwise milliseconds to wait. */
  take(ip: string): number {
    return this.byIp.get(ip)?.bucket.take(this.now()) ?? 0;
  }
}
