/**
 * Judges a connection's outbound queue (bytes handed to the socket and not yet written) by
 * whether the peer drains it, not by the size of one reply. A frame queued while the queue is
 * within the bound is always accepted, however large: a big page to a reader at full speed is no
 * fault. Past the bound the connection is watched:
 *
 * - queued bytes that keep growing, to a whole bound beyond where they stood when the queue went
 *   over (and at least twice the bound), mean the peer does not keep up: cut now;
 * - a queue that stays over the bound while not one byte is written for `stallMs` means the
 *   peer stopped reading: cut then.
 *
 * Memory per connection therefore stays under twice the bound plus one frame.
 */
import type { Connection } from './connection.js';

export type QueueVerdict = 'ok' | 'overflow';

/** How the stall check is scheduled: the real clock, or a test's hand. */
export interface StallTimer {
  start(check: () => void, everyMs: number): () => void;
}

const realTimer: StallTimer = {
  start(check, everyMs) {
    const handle = setInterval(check, everyMs);
    // A watched connection must not keep a stopping server alive.
    handle.unref();
    return () => clearInterval(handle);
  },
};

export class OutboundQueue {
  /** While over the bound: the queued bytes past which the connection is cut. */
  private ceiling: number | null = null;
  /** While over the bound: bytes handed to the connection since the queue went over. */
  private handed = 0;
  /** `handed - buffered` at the last stall check: grows while the peer reads. */
  private writtenAtCheck = 0;
  /** Stops the stall check; null while the queue is within the bound. */
  private watch: (() => void) | null = null;

  constructor(
    private readonly connection: Connection,
    private readonly boundBytes: number,
    private readonly stallMs: number,
    private readonly onStalled: () => void,
    private readonly timer: StallTimer = realTimer,
  ) {}

  /** Bytes queued and not yet written. */
  get queuedBytes(): number {
    return this.connection.bufferedBytes();
  }

  /** Sends one frame's text and says whether the queue is still acceptable. */
  send(text: string): QueueVerdict {
    const before = this.connection.bufferedBytes();
    this.connection.send(text);
    const queued = this.connection.bufferedBytes();
    // Counted only while watched: the common case never measures a frame.
    if (this.watch !== null) this.handed += Buffer.byteLength(text);
    if (queued <= this.boundBytes) {
      this.settle();
      return 'ok';
    }
    if (this.ceiling === null || before <= this.boundBytes) {
      // This frame took a queue that was within the bound over it: allowed, and now watched.
      this.ceiling = Math.max(2 * this.boundBytes, queued + this.boundBytes);
      if (this.watch === null) this.startWatch(queued);
      return 'ok';
    }
    return queued > this.ceiling ? 'overflow' : 'ok';
  }

  /** Stops watching (the connection is closing). */
  stop(): void {
    this.settle();
  }

  private startWatch(queued: number): void {
    this.handed = 0;
    this.writtenAtCheck = -queued;
    this.watch = this.timer.start(() => this.check(), this.stallMs);
  }

  private check(): void {
    const queued = this.connection.bufferedBytes();
    if (queued <= this.boundBytes) {
      this.settle();
      return;
    }
    const written = this.handed - queued;
    if (written <= this.writtenAtCheck) {
      this.settle();
      this.onStalled();
      return;
    }
    this.writtenAtCheck = written;
  }

  private settle(): void {
    this.ceiling = null;
    this.watch?.();
    this.watch = null;
  }
}
