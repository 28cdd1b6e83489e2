/**
 * Messages on their way out. Every entry is persisted before it is sent, keyed by its
 * clientMsgId, so it survives reconnects and restarts; it is re-sent until acknowledged, which is
 * safe because the server dedupes by clientMsgId. Entries go out in creation order, a bounded
 * window at a time; a retryable error pauses the whole outbox, so entries behind it wait. Sends
 * already in flight behind a refused one are not recalled: if the server accepts one of those
 * (its rate limit refilled in between), it lands before the refused one is resent.
 *
 * Other clients may share the storage (browser tabs, two terminal programs): `merge` takes in
 * what they stored, so a message queued by one that quit is sent by another, once.
 */
import type { ErrorCode } from '@parley/protocol';
import { ParleyError, toParleyError } from './errors.js';
import type { OutboxEntry, OutboxEntryBase, ParleyErrorCode, SendAttachment } from './types.js';

type PendingEntry = Extract<OutboxEntry, { status: 'pending' }>;

/** What an entry keeps whatever its status (its attachment only when it has one). */
function baseOf(entry: OutboxEntry): OutboxEntryBase {
  const { clientMsgId, conversationId, body, createdAt, attachment } = entry;
  return {
    clientMsgId,
    conversationId,
    body,
    createdAt,
    ...(attachment === undefined ? {} : { attachment }),
  };
}

export interface OutboxDeps {
  /** Sends one entry and resolves with its ack. */
  transmit(entry: PendingEntry): Promise<{ seq: number; ts: number }>;
  /** True while the client is online (synced), when entries may go out. */
  canSend(): boolean;
  /** Writes an added or changed entry to storage. */
  persist(entry: OutboxEntry): void;
  /** Removes entries from storage. */
  forget(clientMsgIds: string[]): void;
  /** Tells listeners an entry was added or changed. */
  emit(entry: OutboxEntry): void;
  newId(): string;
  now(): number;
}

/** Sends awaiting their ack at once; more would only queue behind them in the server. */
const WINDOW = 16;
/** Sent entries stay listed this long (the UI may still show their tick), then are dropped. */
const SENT_RETENTION_MS = 60_000;
const MAX_SENT_KEPT = 100;
/** Pause after a retryable error that did not say how long to wait. */
const RETRY_DELAY_MS = 1_000;
/** Errors that resending the same message cannot fix. */
const PERMANENT: ReadonlySet<ParleyErrorCode> = new Set<ErrorCode>([
  'invalid',
  'forbidden',
  'not_found',
  'too_large',
  'bad_frame',
  'unknown_type',
]);

interface Waiter {
  resolve(entry: OutboxEntry): void;
  reject(error: ParleyError): void;
}

export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();
  /** clientMsgId -> attempt number of the send in flight. */
  private readonly inFlight = new Map<string, number>();
  private readonly sentAt = new Map<string, number>();
  private readonly waiters = new Map<string, Waiter[]>();
  private attempts = 0;
  private pauseTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly deps: OutboxDeps) {}

  /**
   * Takes in the stored entries (this client's unwritten changes applied), which is the whole
   * outbox as all clients sharing the storage see it: entries written elsewhere are added (and
   * sent when online), ones sent elsewhere are confirmed, and ones gone from storage (discarded
   * elsewhere, or logged out) are dropped. Entries are kept oldest first.
   */
  merge(stored: readonly OutboxEntry[]): void {
    const ids = new Set(stored.map((e) => e.clientMsgId));
    for (const id of [...this.entries.keys()]) {
      if (ids.has(id)) continue;
      this.entries.delete(id);
      this.inFlight.delete(id);
      this.sentAt.delete(id);
      this.settleWaiters(id, new ParleyError('invalid', 'message discarded by another client'));
    }
    const added: OutboxEntry[] = [];
    const confirmed: Extract<OutboxEntry, { status: 'sent' }>[] = [];
    for (const entry of stored) {
      const mine = this.entries.get(entry.clientMsgId);
      if (!mine) added.push(entry);
      else if (mine.status === 'pending' && entry.status === 'sent') confirmed.push(entry);
    }
    if (added.length > 0) {
      const all = [...this.entries.values(), ...added].sort((a, b) => a.createdAt - b.createdAt);
      this.entries.clear();
      for (const entry of all) this.entries.set(entry.clientMsgId, entry);
      for (const entry of added) {
        if (entry.status === 'sent') this.sentAt.set(entry.clientMsgId, this.deps.now());
        this.deps.emit(entry);
      }
    }
    for (const { clientMsgId, seq, ts } of confirmed) this.confirm(clientMsgId, seq, ts);
    this.drain();
  }

  list(): OutboxEntry[] {
    return [...this.entries.values()];
  }

  /** Queues a message; a body that cannot be valid fails at once. */
  add(
    conversationId: number,
    body: string,
    maxChars: number | null,
    attachment?: SendAttachment,
  ): OutboxEntry {
    const base: OutboxEntryBase = {
      clientMsgId: this.deps.newId(),
      conversationId,
      body,
      createdAt: this.deps.now(),
      ...(attachment === undefined ? {} : { attachment }),
    };
    let entry: OutboxEntry = { ...base, status: 'pending' };
    if (!Number.isInteger(conversationId) || conversationId <= 0) {
      entry = { ...base, status: 'failed', error: { code: 'invalid', message: 'no such chat' } };
    } else if (body.length === 0 && attachment === undefined) {
      entry = { ...base, status: 'failed', error: { code: 'invalid', message: 'empty message' } };
    } else if (maxChars !== null && body.length > maxChars) {
      const message = `message longer than ${maxChars} characters`;
      entry = { ...base, status: 'failed', error: { code: 'too_large', message } };
    }
    this.put(entry);
    this.drain();
    return entry;
  }

  /** Resolves when the entry is sent; rejects when it fails or is discarded. */
  wait(clientMsgId: string): Promise<OutboxEntry> {
    const entry = this.entries.get(clientMsgId);
    if (!entry) return Promise.reject(new ParleyError('not_found', 'no such outbox entry'));
    if (entry.status === 'sent') return Promise.resolve(entry);
    if (entry.status === 'failed') {
      return Promise.reject(new ParleyError(entry.error.code, entry.error.message));
    }
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(clientMsgId) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(clientMsgId, list);
    });
  }

  /** Re-queues a failed entry (or hurries a pending one). */
  retry(clientMsgId: string): void {
    const entry = this.entries.get(clientMsgId);
    if (entry?.status === 'failed') this.put({ ...baseOf(entry), status: 'pending' });
    if (entry?.status !== 'sent') {
      this.resume();
      this.drain();
    }
  }

  /** Forgets an entry; if it is in flight, the server may still store it. */
  discard(clientMsgId: string): void {
    if (!this.entries.delete(clientMsgId)) return;
    this.inFlight.delete(clientMsgId);
    this.sentAt.delete(clientMsgId);
    this.settleWaiters(
      clientMsgId,
      new ParleyError('invalid', 'message discarded before it was sent'),
    );
    this.deps.forget([clientMsgId]);
  }

  /** The server has the message with this seq: from a `sent` ack or from the update stream. */
  confirm(clientMsgId: string, seq: number, ts: number): void {
    const entry = this.entries.get(clientMsgId);
    if (entry?.status !== 'pending') return;
    this.sentAt.set(clientMsgId, this.deps.now());
    this.put({ ...baseOf(entry), status: 'sent', seq, ts });
    this.drain();
  }

  /** Sends what is pending, oldest first, up to the window. */
  drain(): void {
    if (!this.deps.canSend() || this.pauseTimer) return;
    for (const entry of this.entries.values()) {
      if (this.inFlight.size >= WINDOW) return;
      if (entry.status !== 'pending' || this.inFlight.has(entry.clientMsgId)) continue;
      this.transmit(entry);
    }
  }

  /** The link dropped: the sends in flight will never be answered; they go out again later. */
  linkDown(): void {
    this.inFlight.clear();
  }

  /** Stops timers and fails every waiter (the entries stay stored). */
  stop(error: ParleyError): void {
    this.resume();
    this.inFlight.clear();
    for (const id of [...this.waiters.keys()]) this.settleWaiters(id, error);
  }

  /** Empties the outbox in memory (logout, another user); the persister clears storage. */
  clear(error: ParleyError): void {
    this.stop(error);
    this.entries.clear();
    this.sentAt.clear();
  }

  private transmit(entry: PendingEntry): void {
    const id = entry.clientMsgId;
    const attempt = ++this.attempts;
    this.inFlight.set(id, attempt);
    this.deps.transmit(entry).then(
      ({ seq, ts }) => {
        if (this.inFlight.get(id) === attempt) this.inFlight.delete(id);
        this.confirm(id, seq, ts);
        // The update stream may have confirmed it already; the freed window slot still counts.
        this.drain();
      },
      (error: unknown) => {
        // A send of an earlier link may fail after a new one began: leave that one alone.
        if (this.inFlight.get(id) !== attempt) return;
        this.inFlight.delete(id);
        this.onSendError(id, toParleyError(error));
      },
    );
  }

  private onSendError(clientMsgId: string, error: ParleyError): void {
    const entry = this.entries.get(clientMsgId);
    if (entry?.status !== 'pending') return;
    if (PERMANENT.has(error.code)) {
      // PERMANENT holds only server codes, so the cast narrows what the Set's type cannot.
      const code = error.code as ErrorCode;
      const failed: OutboxEntry = {
        ...baseOf(entry),
        status: 'failed',
        error: { code, message: error.message },
      };
      this.put(failed);
      this.drain();
      return;
    }
    // Not connected: it goes out again when the client is next online.
    if (error.code === 'disconnected') return;
    this.pause(error.retryAfterMs ?? RETRY_DELAY_MS);
  }

  private pause(ms: number): void {
    this.resume();
    this.pauseTimer = setTimeout(() => {
      this.pauseTimer = null;
      this.drain();
    }, ms);
  }

  private resume(): void {
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = null;
  }

  private put(entry: OutboxEntry): void {
    this.entries.set(entry.clientMsgId, entry);
    this.deps.persist(entry);
    this.prune();
    this.deps.emit(entry);
    if (entry.status === 'sent') this.settleWaiters(entry.clientMsgId, null, entry);
    if (entry.status === 'failed') {
      const error = new ParleyError(entry.error.code, entry.error.message);
      this.settleWaiters(entry.clientMsgId, error);
    }
  }

  /** Drops sent entries past their retention, so storage holds mostly what is still due. */
  private prune(): void {
    const now = this.deps.now();
    const sent = [...this.sentAt.entries()].sort((a, b) => a[1] - b[1]);
    const excess = sent.length - MAX_SENT_KEPT;
    const dropped: string[] = [];
    sent.forEach(([id, at], i) => {
      if (i < excess || now - at > SENT_RETENTION_MS) {
        this.sentAt.delete(id);
        this.entries.delete(id);
        dropped.push(id);
      }
    });
    this.deps.forget(dropped);
  }

  private settleWaiters(clientMsgId: string, error: ParleyError | null, entry?: OutboxEntry): void {
    const list = this.waiters.get(clientMsgId);
    if (!list) return;
    this.waiters.delete(clientMsgId);
    for (const w of list) {
      if (error) w.reject(error);
      else if (entry) w.resolve(entry);
    }
  }
}
