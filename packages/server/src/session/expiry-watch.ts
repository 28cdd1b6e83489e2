/**
 * Closes each authenticated connection when its session expires, with one timer for the whole
 * node: a min-heap of expiry times, the timer armed for the earliest. A connection that closed
 * before its expiry stays in the heap until its time and is then skipped.
 */
import type { Session } from './session.js';

/** setTimeout's longest delay (about 24.8 days); a 30-day session re-arms once on the way. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Entry {
  at: number;
  session: Session;
}

export class ExpiryWatch {
  private readonly heap: Entry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private armedFor = Infinity;

  constructor(
    private readonly now: () => number,
    private readonly onExpired: (session: Session) => void,
  ) {}

  watch(session: Session, expiresAt: number): void {
    this.push({ at: expiresAt, session });
    if (expiresAt < this.armedFor) this.arm();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.heap.length = 0;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const first = this.heap[0];
    this.armedFor = first ? first.at : Infinity;
    if (!first) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, first.at - this.now()));
    this.timer = setTimeout(() => this.fire(), delay);
    this.timer.unref();
  }

  private fire(): void {
    const now = this.now();
    while (this.heap[0] && this.heap[0].at <= now) {
      const { session, at } = this.pop()!;
      // Only if it is still the session that expires then (not closed, not re-authenticated).
      if (session.record?.expiresAt === at) this.onExpired(session);
    }
    this.arm();
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= entry.at) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || !last) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.at < heap[left]!.at ? right : left;
      if (heap[child]!.at >= last.at) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}
