/**
 * Who is in a conversation, cached: the check runs on every send. A direct conversation's
 * members never change; when groups arrive, membership changes must call `forget`.
 * Concurrent lookups of one conversation share one promise, so sends on one connection keep
 * their order even while the first lookup is in flight.
 */
import type { Store } from '../store/store.js';

const MAX_CACHED = 100_000;

export function createMembership(store: Store) {
  const cache = new Map<number, Promise<ReadonlySet<number>>>();
  return {
    members(conversationId: number): Promise<ReadonlySet<number>> {
      let members = cache.get(conversationId);
      if (!members) {
        if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
        members = store.members(conversationId).then((ids) => {
          // Not cached when empty: a conversation with this id may be created later.
          if (ids.length === 0) cache.delete(conversationId);
          return new Set(ids);
        });
        members.catch(() => cache.delete(conversationId));
        cache.set(conversationId, members);
      }
      return members;
    },
    forget(conversationId: number): void {
      cache.delete(conversationId);
    },
  };
}

export type Membership = ReturnType<typeof createMembership>;
