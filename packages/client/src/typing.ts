/**
 * Typing indicators both ways: who else is typing in each conversation (from the server's live
 * pushes; each expires on its own, since a "stopped" can be lost with a dropped link), and this
 * user's own typing, announced at most once per TYPING_REFRESH_MS however fast the keys go.
 */
import { TYPING_EXPIRES_MS, TYPING_REFRESH_MS, type ServerFrameOf } from '@parley/protocol';

export interface TypingHooks {
  /** Sends a `typing` frame; false when it could not go (offline): nothing was announced. */
  send(conversationId: number, active: boolean): boolean;
  /** Who is typing in a conversation changed. */
  changed(conversationId: number, userIds: number[]): void;
  now(): number;
}

export class TypingTracker {
  /** conversation -> typing user -> the timer that ends their indicator. */
  private readonly others = new Map<number, Map<number, ReturnType<typeof setTimeout>>>();
  /** conversation -> when this user's last `active` went out. */
  private readonly announced = new Map<number, number>();

  constructor(private readonly hooks: TypingHooks) {}

  /** This user typed in `conversationId` (call on every input event). */
  typed(conversationId: number): void {
    const now = this.hooks.now();
    const last = this.announced.get(conversationId);
    if (last !== undefined && now - last < TYPING_REFRESH_MS) return;
    if (this.hooks.send(conversationId, true)) this.announced.set(conversationId, now);
  }

  /** This user stopped (cleared the input, left the chat). */
  stopped(conversationId: number): void {
    if (this.announced.delete(conversationId)) this.hooks.send(conversationId, false);
  }

  /** This user sent a message: the others clear the indicator on it; the next key announces anew. */
  sent(conversationId: number): void {
    this.announced.delete(conversationId);
  }

  /** A push from the server. */
  received(frame: ServerFrameOf<'typing'>): void {
    if (frame.active) this.start(frame.conversationId, frame.userId);
    else this.end(frame.conversationId, frame.userId);
  }

  /** A message from `userId` arrived: they are done typing it. */
  messageFrom(conversationId: number, userId: number): void {
    this.end(conversationId, userId);
  }

  /** Who is typing in `conversationId` now, in the order they started. */
  usersIn(conversationId: number): number[] {
    return [...(this.others.get(conversationId)?.keys() ?? [])];
  }

  /** The link is gone: no push can end what is shown, and nothing of ours is announced. */
  reset(): void {
    this.announced.clear();
    for (const [conversationId, users] of [...this.others]) {
      for (const timer of users.values()) clearTimeout(timer);
      this.others.delete(conversationId);
      this.hooks.changed(conversationId, []);
    }
  }

  private start(conversationId: number, userId: number): void {
    let users = this.others.get(conversationId);
    if (!users) this.others.set(conversationId, (users = new Map()));
    const known = users.get(userId);
    if (known) clearTimeout(known);
    const timer = setTimeout(() => this.end(conversationId, userId), TYPING_EXPIRES_MS);
    // An indicator must not keep a Node process (a bot, the terminal client) alive.
    (timer as { unref?: () => void }).unref?.();
    users.set(userId, timer);
    if (!known) this.hooks.changed(conversationId, this.usersIn(conversationId));
  }

  private end(conversationId: number, userId: number): void {
    const users = this.others.get(conversationId);
    const timer = users?.get(userId);
    if (!users || timer === undefined) return;
    clearTimeout(timer);
    users.delete(userId);
    if (users.size === 0) this.others.delete(conversationId);
    this.hooks.changed(conversationId, this.usersIn(conversationId));
  }
}
