/**
 * The user's contacts as the SDK keeps them: friends, pending requests both ways, blocked users
 * and the privacy setting. Filled from a `contacts` reply after each sync and kept current by the
 * friend updates of the user's stream. Applying is idempotent (keyed by user id), so an update
 * that the reply already reflected changes nothing.
 */
import type { Contacts, DirectMessageSetting, Friend, FriendRequest } from '@parley/protocol';
import type { BlockedUser, ContactChange, ContactsState } from './types.js';

const requestKey = (fromUserId: number, toUserId: number) => `${fromUserId}>${toUserId}`;

export class ContactBook {
  private readonly friendsById = new Map<number, Friend>();
  private readonly requests = new Map<string, FriendRequest>();
  private readonly blockedById = new Map<number, BlockedUser>();
  private directMessages: DirectMessageSetting | null = null;
  private loaded = false;
  /**
   * Updates applied while a load was under way (loads in flight: their count). The reply may
   * have been read before such an update was written, so they are applied again after it.
   */
  private loads = 0;
  private appliedDuringLoad: ContactChange[] = [];

  constructor(private readonly me: () => number | null) {}

  /** A load is about to ask the server; pair with `load` or `loadFailed`. */
  loadStarted(): void {
    this.loads++;
  }

  loadFailed(): void {
    if (--this.loads === 0) this.appliedDuringLoad = [];
  }

  /** Replaces everything with what the server answered, then reapplies what came meanwhile. */
  load(contacts: Contacts): void {
    this.friendsById.clear();
    this.requests.clear();
    this.blockedById.clear();
    for (const friend of contacts.friends) this.friendsById.set(friend.user.id, friend);
    for (const r of [...contacts.incoming, ...contacts.outgoing]) {
      this.requests.set(requestKey(r.from.id, r.to.id), r);
    }
    for (const b of contacts.blocked) this.blockedById.set(b.user.id, b);
    this.directMessages = contacts.directMessages;
    this.loaded = true;
    const meanwhile = this.appliedDuringLoad;
    if (--this.loads === 0) this.appliedDuringLoad = [];
    for (const update of meanwhile) this.change(update);
  }

  /** Forgets everything (another user, or logged out). */
  clear(): void {
    this.friendsById.clear();
    this.requests.clear();
    this.blockedById.clear();
    this.directMessages = null;
    this.loaded = false;
    this.appliedDuringLoad = [];
  }

  apply(update: ContactChange): void {
    if (this.loads > 0) this.appliedDuringLoad.push(update);
    this.change(update);
  }

  private change(update: ContactChange): void {
    switch (update.kind) {
      case 'friend_request': {
        const { from, to } = update.request;
        this.requests.set(requestKey(from.id, to.id), update.request);
        return;
      }
      case 'friend_request_closed':
        this.requests.delete(requestKey(update.fromUserId, update.toUserId));
        return;
      case 'friend_added':
      case 'friend_updated':
        this.friendsById.set(update.friend.user.id, update.friend);
        return;
      case 'friend_removed':
        this.friendsById.delete(update.userId);
        return;
      case 'blocked':
        this.blockedById.set(update.user.id, { user: update.user, ts: update.ts });
        return;
      case 'unblocked':
        this.blockedById.delete(update.userId);
        return;
      case 'privacy':
        this.directMessages = update.directMessages;
        return;
      default: {
        const unknown: never = update;
        return unknown;
      }
    }
  }

  /** A copy of the current state, safe to hand to applications. */
  snapshot(): ContactsState {
    const me = this.me();
    const requests = [...this.requests.values()].sort((a, b) => b.ts - a.ts);
    return {
      loaded: this.loaded,
      friends: [...this.friendsById.values()].sort(
        (a, b) => a.since - b.since || a.user.id - b.user.id,
      ),
      incoming: requests.filter((r) => r.to.id === me),
      outgoing: requests.filter((r) => r.from.id === me),
      blocked: [...this.blockedById.values()],
      directMessages: this.directMessages,
    };
  }
}
