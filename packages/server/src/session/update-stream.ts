/**
 * Where one device's update stream stands: replaying what it missed, or pushing live. A device's
 * own sync holds live pushes (bounded) so none slips between the last page and going live; after
 * the bus reported a gap, the server catches a live device up from the store by itself, holding
 * live pushes the same way (docs/architecture.md, "When the bus drops messages").
 */
import { updateForVersion, updateKindInVersion, type UpdateKind } from '@parley/protocol';
import { updateFrameText } from '../domain/publisher.js';
import type { SyncPage } from '../domain/sync.js';

const MAX_HELD_UPDATES = 1000;

type Held = Array<{ pts: number; frame: string }>;

/**
 * `idle`: authenticated, not synced, nothing pushed. `syncing`: the device pages through missed
 * updates; `recheck` asks for a catch-up once live (the bus reported a gap meanwhile). `live`:
 * pushes flow; `pts` is the last one sent. `catching_up`: was live, but the bus may have dropped
 * pushes, so the server pages through the store from `pts` itself, then goes live again.
 */
type State =
  | { mode: 'idle' }
  | { mode: 'syncing'; held: Held; overflowed: boolean; recheck: boolean }
  | { mode: 'live'; pts: number }
  | { mode: 'catching_up'; pts: number; held: Held; overflowed: boolean };

/** What the stream needs of its device. */
export interface StreamDevice {
  readonly userId: number;
  /** The protocol version the device negotiated: kinds it lacks are not sent. */
  protocolVersion(): number;
  sendText(text: string): void;
  /** One page of the user's stream after `fromPts`. */
  page(fromPts: number): Promise<SyncPage>;
  /** A catch-up could not read the store; the device is left to notice the gap and sync. */
  catchUpFailed(error: unknown): void;
}

export class UpdateStream {
  private state: State = { mode: 'idle' };
  private closed = false;

  constructor(private readonly device: StreamDevice) {}

  get live(): boolean {
    return this.state.mode === 'live';
  }

  /** A sync request started: hold live updates until the device is caught up. */
  beginSync(): void {
    const state = this.state;
    if (state.mode === 'catching_up') {
      // The device's own sync takes over the server's catch-up, and what it held.
      this.state = { ...state, mode: 'syncing', recheck: false };
    } else if (state.mode !== 'syncing') {
      this.state = { mode: 'syncing', held: [], overflowed: false, recheck: false };
    }
  }

  /** The last sync page (cursor `pts`) was sent: push what was held past it, then go live. */
  goLive(pts: number): void {
    const state = this.state;
    const cursor = state.mode === 'syncing' ? this.sendHeld(state.held, pts) : pts;
    // If holding overflowed, the client sees a pts gap on its next update and syncs again.
    this.state = { mode: 'live', pts: cursor };
    if (state.mode === 'syncing' && state.recheck) void this.catchUp();
  }

  /**
   * A live update, already serialized. A kind the device's protocol version lacks is not sent:
   * its pts passes silently, and the next push shows the client a gap that its sync closes.
   */
  push(pts: number, kind: UpdateKind, frame: string): void {
    const state = this.state;
    const known = updateKindInVersion(kind, this.device.protocolVersion());
    if (state.mode === 'live') {
      if (pts <= state.pts) return;
      state.pts = pts;
      if (known) this.device.sendText(frame);
    } else if ((state.mode === 'syncing' || state.mode === 'catching_up') && known) {
      if (state.held.length < MAX_HELD_UPDATES) state.held.push({ pts, frame });
      else state.overflowed = true;
    }
  }

  /**
   * The bus may have dropped pushes: sends what the store has past the last pts pushed, in
   * order, then pushes live again. Never rejects.
   */
  async catchUp(): Promise<void> {
    const state = this.state;
    if (state.mode === 'syncing') state.recheck = true;
    if (state.mode !== 'live') return;
    const catching: State = { mode: 'catching_up', pts: state.pts, held: [], overflowed: false };
    this.state = catching;
    // Still this catch-up: the device is connected and no sync of its own took over.
    const current = () => !this.closed && this.state === catching;
    try {
      for (let more = true; more;) {
        const page = await this.device.page(catching.pts);
        if (!current()) return;
        // As a sync page would be: an attachment as text for a version-2 device.
        const version = this.device.protocolVersion();
        for (const { pts, update } of page.updates)
          this.device.sendText(updateFrameText(pts, updateForVersion(update, version)));
        catching.pts = page.pts;
        more = page.more;
      }
    } catch (error) {
      this.device.catchUpFailed(error);
    }
    if (current()) this.state = { mode: 'live', pts: this.sendHeld(catching.held, catching.pts) };
  }

  close(): void {
    this.closed = true;
  }

  /** Sends the held pushes past `cursor` in pts order; returns the last pts sent. */
  private sendHeld(held: Held, cursor: number): number {
    let last = cursor;
    for (const update of held.sort((a, b) => a.pts - b.pts)) {
      if (update.pts > last) {
        this.device.sendText(update.frame);
        last = update.pts;
      }
    }
    return last;
  }
}
