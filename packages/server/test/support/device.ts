/**
 * A test device that keeps its place in the user's update stream across connections, as a real
 * client does: it syncs from its pts on connect, applies live pushes, and may reconnect to
 * another node and resume. It records every message it got and any pts it saw twice or had to
 * sync for, so a test can assert "every message once, in order, without asking".
 */
import type { Message, Update } from '@parley/protocol';
import { RawClient } from './raw-client.js';

export class Device {
  pts: number | null = null;
  readonly messages: Message[] = [];
  /** Pushes that skipped a pts (the device had to sync to fill the hole). */
  gaps = 0;
  /** Updates that came again after the device already had their pts. */
  duplicates = 0;
  client: RawClient | null = null;
  private syncing = false;
  private readonly pushedWhileSyncing: Array<{ pts: number; update: unknown }> = [];
  private readonly raced = new WeakSet<object>();
  /** What each gap was, for the assertion message. */
  readonly gapLog: string[] = [];
  private watchers: Array<() => void> = [];

  constructor(private readonly token: string) {}

  /** Connects to `url` (ws:// or tcp://), logs in with the token and catches up from its pts. */
  async connect(url: string): Promise<void> {
    const client = url.startsWith('tcp') ? await RawClient.tcp(url) : await RawClient.ws(url);
    this.client = client;
    client.onUpdate = (frame) => {
      if (this.client !== client) return;
      // Pushes that follow a sync page can arrive before the page's reply is handled.
      if (this.syncing) this.pushedWhileSyncing.push(frame);
      else this.push(frame);
    };
    await client.expect('welcome', { type: 'hello', versions: [1] });
    await client.expect('authed', { type: 'auth', token: this.token });
    await this.sync();
  }

  private push(frame: { pts: number; update: unknown }): void {
    if (this.pts !== null && frame.pts > this.pts + 1) {
      this.gaps++;
      this.gapLog.push(`had ${this.pts}, pushed ${frame.pts}`);
      void this.sync();
      return;
    }
    this.apply(frame.pts, frame.update as Update, !this.raced.has(frame));
  }

  private async sync(): Promise<void> {
    const client = this.client;
    if (!client || this.syncing) return;
    this.syncing = true;
    try {
      for (;;) {
        const page = await client.expect('updates', { type: 'sync', pts: this.pts });
        for (const { pts, update } of page.updates) this.apply(pts, update as Update);
        this.pts = Math.max(this.pts ?? 0, page.pts);
        if (!page.more) break;
      }
    } catch {
      // The connection went (a node was killed): the next connect resumes from the same pts.
    } finally {
      this.syncing = false;
    }
    for (const frame of this.pushedWhileSyncing.splice(0)) {
      this.raced.add(frame);
      if (!this.syncing) this.push(frame);
    }
    this.notify();
  }

  private apply(pts: number, update: Update, live = false): void {
    if (this.pts !== null && pts <= this.pts) {
      // A push that raced a sync page is expected again in the page; one live push is not.
      if (live) {
        this.duplicates++;
        this.gapLog.push(`had ${this.pts}, pushed ${pts} again`);
      }
      return;
    }
    this.pts = pts;
    if (update.kind === 'message') this.messages.push(update.message);
    this.notify();
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }

  /** Resolves once `done` holds (checked after every update). */
  until(done: (device: Device) => boolean): Promise<void> {
    if (done(this)) return Promise.resolve();
    return new Promise((resolve) => {
      const watcher = () => {
        if (!done(this)) return;
        this.watchers = this.watchers.filter((w) => w !== watcher);
        resolve();
      };
      this.watchers.push(watcher);
    });
  }

  /** Message seqs of one conversation, in the order received. */
  seqs(conversationId: number): number[] {
    return this.messages.filter((m) => m.conversationId === conversationId).map((m) => m.seq);
  }

  close(): void {
    this.client?.close();
  }
}

/**
 * Sends messages one after another (each after the previous one's ack) until stopped, resending
 * the unanswered one with its client message id after a reconnect, as the SDK's outbox does.
 */
export class Sender {
  readonly acked: string[] = [];
  private stopped = false;
  private count = 0;
  private pending: string | null = null;
  private watchers: Array<() => void> = [];

  constructor(
    private readonly name: string,
    private readonly conversationId: number,
  ) {}

  /** Sends through `client` until it closes or `stop()`; resolves then. */
  async run(client: RawClient): Promise<void> {
    while (!this.stopped && !client.closed) {
      const clientMsgId = this.pending ?? `${this.name}-${++this.count}`;
      this.pending = clientMsgId;
      let reply;
      try {
        reply = await client.request(
          { type: 'send', conversationId: this.conversationId, clientMsgId, body: clientMsgId },
          30_000,
        );
      } catch {
        return; // no answer: the node went; resent after the reconnect
      }
      if (reply.type !== 'sent') {
        if (reply.type === 'error' && reply.code === 'rate_limited') {
          await new Promise((r) => setTimeout(r, reply.retryAfterMs ?? 10));
          continue;
        }
        throw new Error(`send failed: ${JSON.stringify(reply)}`);
      }
      this.pending = null;
      this.acked.push(clientMsgId);
      for (const watcher of [...this.watchers]) watcher();
    }
  }

  /** Resolves once `count` messages have been acknowledged in all. */
  untilAcked(count: number): Promise<void> {
    if (this.acked.length >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const watcher = () => {
        if (this.acked.length < count) return;
        this.watchers = this.watchers.filter((w) => w !== watcher);
        resolve();
      };
      this.watchers.push(watcher);
    });
  }

  stop(): void {
    this.stopped = true;
  }
}
