/**
 * Friends, friend requests, blocks and the privacy setting, and the rule they decide: who may
 * open a direct chat with whom and message there. Every change is written by the store with the
 * updates for both users' streams and published, so each of their devices learns of it.
 */
import type { Contacts, DirectMessageSetting, User } from '@parley/protocol';
import type { ContactChange, ContactRefusal, Store } from '../store/store.js';
import { normalizeUsername } from './accounts.js';
import { DomainError } from './errors.js';
import type { Publisher } from './publisher.js';

export interface ContactsDeps {
  store: Store;
  publisher: Publisher;
  now: () => number;
  /** Who may message a user who never chose (PARLEY_DIRECT_MESSAGES). */
  defaultDirectMessages: DirectMessageSetting;
}

/** Most sender/peer pairs whose "may message" answer is kept. */
const MAX_CACHED_PAIRS = 100_000;

export function createContacts({ store, publisher, now, defaultDirectMessages }: ContactsDeps) {
  /**
   * Pairs ("sender:peer") found allowed to message, so a chat's sends do not ask the store each
   * time. Only "allowed" is kept, and every change that can take it away (remove, block, privacy)
   * clears it all: such changes are rare next to messages. The cache is this node's: a change
   * made through another node is seen here only once the cache is cleared here too (scale-out
   * must carry the clear on the bus).
   */
  const allowed = new Set<string>();
  /** Counts the clears: an answer read before a clear must not be cached after it. */
  let generation = 0;

  async function change(userId: number, contactChange: ContactChange): Promise<void> {
    if (contactChange.kind !== 'privacy' && contactChange.peerId === userId) {
      throw new DomainError('invalid', 'userId: that is you');
    }
    const result = await store.changeContacts(userId, contactChange, now());
    if (result.kind === 'refused') throw refusal(result.reason);
    if (
      contactChange.kind === 'remove' ||
      contactChange.kind === 'block' ||
      contactChange.kind === 'privacy'
    ) {
      allowed.clear();
      generation++;
    }
    await publisher.publish(result.updates);
  }

  /**
   * Refuses when `senderId` may not open a direct chat with `peerId` or write to them: either
   * blocked the other, or the peer takes messages from friends only and has not written to
   * the sender themselves (someone who wrote to you may always be answered).
   */
  async function requireMayMessage(senderId: number, peerId: number): Promise<void> {
    const key = `${senderId}:${peerId}`;
    if (allowed.has(key)) return;
    const readIn = generation;
    const state = await store.messagingState(senderId, peerId);
    if (state.blocked) throw new DomainError('blocked', 'you cannot message this user');
    const setting = state.peerDirectMessages ?? defaultDirectMessages;
    if (!state.friends && setting === 'friends' && !state.peerHasWritten) {
      throw new DomainError(
        'friends_only',
        'this user takes messages from friends only: send a friend request',
      );
    }
    if (readIn !== generation) return; // a block or removal may have landed since the read
    if (allowed.size >= MAX_CACHED_PAIRS) allowed.clear();
    allowed.add(key);
  }

  return {
    /** The user with exactly this username (after normalization). */
    async findUser(username: string): Promise<User> {
      const found = await store.findUserByUsername(normalizeUsername(username));
      if (!found) throw new DomainError('not_found', 'no user with that username');
      return { id: found.id, username: found.username };
    },

    async list(userId: number): Promise<Contacts> {
      const stored = await store.contacts(userId);
      return { ...stored, directMessages: stored.directMessages ?? defaultDirectMessages };
    },

    change,

    requireMayMessage,

    /** Whether `senderId` may write to `peerId`: what `requireMayMessage` checks, as a boolean. */
    async mayMessage(senderId: number, peerId: number): Promise<boolean> {
      try {
        await requireMayMessage(senderId, peerId);
        return true;
      } catch (error) {
        if (error instanceof DomainError) return false;
        throw error;
      }
    },
  };
}

function refusal(reason: ContactRefusal): DomainError {
  switch (reason) {
    case 'not_found':
      return new DomainError('not_found', 'no such user, request or friend');
    case 'already_friends':
      return new DomainError('already_friends', 'you are friends already');
    case 'already_requested':
      return new DomainError('already_requested', 'your request is already waiting for an answer');
    case 'blocked':
      return new DomainError('blocked', 'one of you blocked the other');
    case 'limit_reached':
      return new DomainError('limit_reached', 'too many friends, requests or blocks');
    default: {
      const unknownReason: never = reason;
      throw new Error(`unknown refusal ${String(unknownReason)}`);
    }
  }
}

export type ContactsService = ReturnType<typeof createContacts>;
