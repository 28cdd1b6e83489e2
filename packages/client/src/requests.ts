/**
 * Requests in flight: each gets an id, and the reply (or `error` frame) carrying that id settles
 * it. A request with no reply within its timeout fails with `timeout`; when the connection drops,
 * every request in flight fails with `disconnected` (its reply can never come).
 */
import type { ServerFrame } from '@parley/protocol';
import { ParleyError } from './errors.js';

/** Every server frame that answers a request (pushes carry no id). */
export type ReplyFrame = Exclude<
  ServerFrame,
  { type: 'update' | 'typing' | 'presence_changed' | 'bye' }
>;

interface Pending {
  resolve(frame: ReplyFrame): void;
  reject(error: ParleyError): void;
  timer: ReturnType<typeof setTimeout>;
}

export class RequestMap {
  private readonly pending = new Map<string, Pending>();
  private counter = 0;

  constructor(private readonly defaultTimeoutMs: number) {}

  /** Registers a request; `reply` settles with its reply frame or a ParleyError. */
  open(timeoutMs: number = this.defaultTimeoutMs): { id: string; reply: Promise<ReplyFrame> } {
    this.counter += 1;
    const id = this.counter.toString(36);
    const reply = new Promise<ReplyFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ParleyError('timeout', `no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
    });
    return { id, reply };
  }

  /**
   * Settles the request a reply frame answers: an `error` frame rejects it. Returns false when no
   * request waits for this id (a late reply after a timeout, or a reply to nobody).
   */
  settle(frame: ReplyFrame): boolean {
    const id = frame.id;
    if (typeof id !== 'string') return false;
    const pending = this.pending.get(id);
    if (!pending) return false;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (frame.type === 'error') pending.reject(ParleyError.fromFrame(frame));
    else pending.resolve(frame);
    return true;
  }

  /** Fails one request (for example, its reply could not be decoded). */
  fail(id: string, error: ParleyError): boolean {
    const pending = this.pending.get(id);
    if (!pending) return false;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    pending.reject(error);
    return true;
  }

  /** Fails every request in flight. */
  failAll(error: ParleyError): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) {
      clearTimeout(p.timer);
      p.reject(error);
    }
  }

  /** Requests waiting for a reply. */
  get size(): number {
    return this.pending.size;
  }
}
