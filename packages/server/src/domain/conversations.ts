/** Opening one-to-one conversations and listing a user's conversations. */
import type { ConversationSummary } from '@parley/protocol';
import type { Store } from '../store/store.js';
import { normalizeUsername } from './accounts.js';
import { DomainError } from './errors.js';
import type { Publisher } from './publisher.js';

export function createConversations({
  store,
  publisher,
  now,
}: {
  store: Store;
  publisher: Publisher;
  now: () => number;
}) {
  return {
    async openDirect(userId: number, peerUsername: string): Promise<ConversationSummary> {
      const peer = await store.findUserByUsername(normalizeUsername(peerUsername));
      if (!peer) throw new DomainError('not_found', 'no user with that username');
      if (peer.id === userId) throw new DomainError('invalid', 'username: that is you');
      const { conversation, updates } = await store.openDirect(userId, peer.id, now());
      await publisher.publish(updates);
      const summary = await store.conversationFor(userId, conversation.id);
      if (!summary) throw new Error(`conversation ${conversation.id} vanished after opening`);
      return summary;
    },

    list: (userId: number) => store.listConversations(userId),
  };
}

export type Conversations = ReturnType<typeof createConversations>;
