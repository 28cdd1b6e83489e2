/**
 * Names for ids: the server sends sender ids, people want usernames. The user's direct
 * conversations name every peer, so the directory is built from them and kept up to date from
 * `conversation` events.
 */
import type { ConversationInfo, ParleyClient, User } from '@parley/client';

export class Directory {
  private readonly users = new Map<number, string>();
  private readonly conversations = new Map<number, ConversationInfo>();

  constructor(
    private readonly client: ParleyClient,
    me: User,
  ) {
    this.users.set(me.id, me.username);
    client.on('conversation', ({ conversation }) => this.add(conversation));
  }

  /** Loads every conversation the user is in. */
  async load(): Promise<void> {
    for (const summary of await this.client.conversations()) this.add(summary.info);
  }

  add(info: ConversationInfo): void {
    this.conversations.set(info.id, info);
    this.users.set(info.peer.id, info.peer.username);
  }

  /** The username for an id, loading conversations again if it is new to us. */
  async name(userId: number): Promise<string> {
    if (!this.users.has(userId)) await this.load().catch(() => undefined);
    return this.users.get(userId) ?? `user#${userId}`;
  }

  /** The username for an id, if known now. */
  known(userId: number): string | null {
    return this.users.get(userId) ?? null;
  }

  conversation(id: number): ConversationInfo | null {
    return this.conversations.get(id) ?? null;
  }
}
