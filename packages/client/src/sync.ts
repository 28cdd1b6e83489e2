/**
 * Keeps the device's cursor on the user's update stream. After auth it syncs page by page from
 * the cursor; live `update` pushes then apply when they are the next pts, are ignored when
 * already applied, and trigger a sync from the cursor when one is missing. Pushes arriving while
 * a sync runs are buffered and applied after it, so nothing is lost or applied twice.
 */
import type { ServerFrameOf, ReceivedEnvelope } from '@parley/protocol';

export interface SyncDeps {
  /** One `sync` request from `pts`. */
  fetch(pts: number | null): Promise<ServerFrameOf<'updates'>>;
  /** Applies one update (emits its event). */
  apply(envelope: ReceivedEnvelope, live: boolean): void;
  /** Sends `ack {pts}`. */
  ack(pts: number): void;
  /** Records the new cursor (the persister debounces the write). */
  saveCursor(pts: number): void;
  /** A sync started by a gap failed: the link should be dropped so a reconnect resyncs. */
  onError(error: unknown): void;
  /** Waits between sync rounds that found a gap still open. */
  sleep(ms: number): Promise<void>;
}

/** Live pushes are acked at most this often; sync pages are acked at once. */
const ACK_DELAY_MS = 500;
/** Sync rounds tried to close a gap before the buffered pushes are dropped (see `loop`). */
const MAX_GAP_ROUNDS = 5;

export class SyncEngine {
  private cursor: number | null;
  private running: Promise<void> | null = null;
  private buffer: ReceivedEnvelope[] = [];
  private acked: number | null = null;
  private ackTimer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped when the link goes down, so a sync of the old link stops at its next step. */
  private epoch = 0;

  constructor(
    private readonly deps: SyncDeps,
    cursor: number | null,
  ) {
    this.cursor = cursor;
  }

  /** The last pts applied; null before the first sync of a new device. */
  get pts(): number | null {
    return this.cursor;
  }

  /** A sync is under way. */
  get syncing(): boolean {
    return this.running !== null;
  }

  /** Syncs until caught up (joins the sync under way, if any). */
  run(): Promise<void> {
    if (!this.running) {
      const epoch = this.epoch;
      this.running = this.loop(epoch).finally(() => {
        if (this.epoch === epoch) this.running = null;
      });
    }
    return this.running;
  }

  /** A live push. */
  onLive(envelope: ReceivedEnvelope): void {
    if (this.running || this.cursor === null) {
      this.buffer.push(envelope);
      return;
    }
    if (envelope.pts <= this.cursor) return;
    if (envelope.pts === this.cursor + 1) {
      this.applyOne(envelope, true);
      this.scheduleAck();
      return;
    }
    this.buffer.push(envelope);
    this.run().catch((error: unknown) => this.deps.onError(error));
  }

  /** The link went down: drop what belongs to it; the cursor stays. */
  linkDown(): void {
    this.epoch += 1;
    this.running = null;
    this.buffer = [];
    this.acked = null;
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
  }

  /** Starts over from `cursor` (another user, or logged out). */
  reset(cursor: number | null): void {
    this.linkDown();
    this.cursor = cursor;
  }

  private async loop(epoch: number): Promise<void> {
    for (let round = 0; ; round++) {
      let more = true;
      while (more) {
        const page = await this.deps.fetch(this.cursor);
        if (this.epoch !== epoch) return;
        for (const envelope of page.updates) this.applyOne(envelope, false);
        this.advance(page.pts);
        this.ackNow();
        more = page.more;
      }
      if (!this.drainBuffer()) return;
      if (round + 1 >= MAX_GAP_ROUNDS) {
        // The server keeps answering without the missing pts. Dropping the pushes past the gap
        // loses nothing: the cursor stays below them, so the next sync fetches them again.
        this.buffer = [];
        return;
      }
      await this.deps.sleep(100 * (round + 1));
      if (this.epoch !== epoch) return;
    }
  }

  /** Applies buffered pushes that follow the cursor; true when a gap remains. */
  private drainBuffer(): boolean {
    this.buffer.sort((a, b) => a.pts - b.pts);
    let applied = false;
    while (this.buffer.length > 0) {
      const next = this.buffer[0]!;
      const cursor = this.cursor ?? 0;
      if (this.cursor !== null && next.pts <= cursor) {
        this.buffer.shift();
      } else if (next.pts === cursor + 1) {
        this.buffer.shift();
        this.applyOne(next, true);
        applied = true;
      } else {
        return true;
      }
    }
    if (applied) this.scheduleAck();
    return false;
  }

  private applyOne(envelope: ReceivedEnvelope, live: boolean): void {
    if (this.cursor !== null && envelope.pts <= this.cursor) return;
    this.deps.apply(envelope, live);
    this.advance(envelope.pts);
  }

  private advance(pts: number): void {
    if (this.cursor !== null && pts <= this.cursor) return;
    this.cursor = pts;
    this.deps.saveCursor(pts);
  }

  private ackNow(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    if (this.cursor === null || this.cursor === this.acked) return;
    this.acked = this.cursor;
    this.deps.ack(this.cursor);
  }

  private scheduleAck(): void {
    this.ackTimer ??= setTimeout(() => this.ackNow(), ACK_DELAY_MS);
  }
}
