/**
 * Typing indicators: "alice is typing" reaches the other members' live devices and nothing is
 * stored. A client refreshes every TYPING_REFRESH_MS while its user types; the server passes on
 * at most one `active` per (user, conversation) per half refresh, so a client that sends on every
 * keystroke costs the members nothing more (in a group, one frame fans out to every member).
 */
import { TYPING_REFRESH_MS, type ServerFrameOf } from '@parley/protocol';
import { DomainError } from './errors.js';
import type { ContactsService } from './contacts.js';
import type { Membership } from './membership.js';
import type { Publisher } from './publisher.js';

/** The protocol version that introduced `typing`: older devices are not sent it. */
const TYPING_SINCE = 3;
const MIN_GAP_MS = TYPING_REFRESH_MS / 2;
/** Bounds the memory of who typed when; the oldest entries go first (they have expired). */
const MAX_TRACKED = 50_000;

export interface TypingDeps {
  membership: Membership;
  /** A member the typer may not write to (blocked, friends only) is not told either. */
  contacts: Pick<ContactsService, 'mayMessage'>;
  publisher: Publisher;
  now: () => number;
}

export function createTyping({ membership, contacts, publisher, now }: TypingDeps) {
  /** `${userId}:${conversationId}` -> when its last `active` was passed on, oldest first. */
  const lastActive = new Map<string, number>();

  function shouldPass(key: string, active: boolean): boolean {
    const at = now();
    const last = lastActive.get(key);
    lastActive.delete(key);
    if (!active) return last !== undefined; // "stopped" matters only to those told "typing"
    if (last !== undefined && at - last < MIN_GAP_MS) {
      lastActive.set(key, last);
      return false;
    }
    lastActive.set(key, at);
    if (lastActive.size > MAX_TRACKED) lastActive.delete(lastActive.keys().next().value!);
    return true;
  }

  return {
    /**
     * `userId` sent a message in `conversationId`: the others cleared the indicator on it, so the
     * next `active` must pass at once, however soon it comes.
     */
    sent(userId: number, conversationId: number): void {
      lastActive.delete(`${userId}:${conversationId}`);
    },
    /** `userId` is typing in (or stopped typing in) `conversationId`; a member only. */
    async typing(userId: number, conversationId: number, active: boolean): Promise<void> {
      const members = await membership.members(conversationId);
      if (!members.has(userId))
        throw new DomainError('forbidden', 'you are not a member of that conversation');
      if (!shouldPass(`${userId}:${conversationId}`, active)) return;
      const frame: ServerFrameOf<'typing'> = { type: 'typing', conversationId, userId, active };
      const text = JSON.stringify(frame);
      const others = [];
      for (const member of members) {
        if (member !== userId && (await contacts.mayMessage(userId, member))) others.push(member);
      }
      if (others.length > 0) await publisher.signal(others, TYPING_SINCE, text);
    },
  };
}

export type Typing = ReturnType<typeof createTyping>;
