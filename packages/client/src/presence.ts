/**
 * What this device knows of presence: the last status seen of each user it was asked about or
 * told of, kept current by `presence_changed` pushes. Pushes are live only, so after a reconnect
 * the users of interest are asked again: whatever changed meanwhile is emitted like a push.
 */
import { PRESENCE_QUERY_MAX, type Presence, type PresenceChoice } from '@parley/protocol';

export interface PresenceHooks {
  /** Asks the server (`presence`) for these users now. */
  fetch(userIds: number[]): Promise<Presence[]>;
  /** Sends `set_presence idle` for this device. */
  sendIdle(idle: boolean): Promise<void>;
  changed(presence: Presence): void;
}

export class PresenceBook {
  private readonly known = new Map<number, Presence>();
  /** Everyone asked about, answered or not: asked again after each reconnect. */
  private readonly wanted = new Set<number>();
  private idle = false;

  constructor(private readonly hooks: PresenceHooks) {}

  get(userId: number): Presence | null {
    return this.known.get(userId) ?? null;
  }

  /** The user's own choice, once learnt (after the first query or push about the user). */
  choiceOf(userId: number): PresenceChoice | null {
    return this.known.get(userId)?.choice ?? null;
  }

  /** Asks for `userIds` and remembers them: they are asked again after each reconnect. */
  async query(userIds: number[]): Promise<Presence[]> {
    for (const id of userIds) this.wanted.add(id);
    const answer = await this.hooks.fetch(userIds);
    for (const presence of answer) this.apply(presence);
    return answer;
  }

  /** A push, or an answer: emitted when it differs from what was known. */
  apply(presence: Presence): void {
    const before = this.known.get(presence.userId);
    this.known.set(presence.userId, presence);
    if (
      !before ||
      before.status !== presence.status ||
      before.lastSeenAt !== presence.lastSeenAt ||
      before.choice !== presence.choice
    )
      this.hooks.changed(presence);
  }

  /** This device is idle or back; remembered so a new connection says it again. */
  async setIdle(idle: boolean, online: boolean): Promise<void> {
    this.idle = idle;
    if (online) await this.hooks.sendIdle(idle);
  }

  /** The session is live again: what this device said and what it missed. */
  async resumed(selfId: number): Promise<void> {
    if (this.idle) await this.hooks.sendIdle(true);
    const ids = [...new Set([selfId, ...this.wanted])];
    // At most PRESENCE_QUERY_MAX per request: a long contact list takes several.
    for (let i = 0; i < ids.length; i += PRESENCE_QUERY_MAX)
      await this.query(ids.slice(i, i + PRESENCE_QUERY_MAX));
  }

  /** Another user's session on this device: nothing known carries over. */
  clear(): void {
    this.known.clear();
    this.wanted.clear();
    this.idle = false;
  }
}
