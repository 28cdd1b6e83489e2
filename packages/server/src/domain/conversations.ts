/** Opening one-to-one conversations and listing a user's conversations, page by page. */
import type { ConversationSummary } from '@parley/protocol';
import type { ConversationPosition, Store } from '../store/store.js';
import { normalizeUsername } from './accounts.js';
import { DomainError } from './errors.js';
import { countWithinBudget, jsonBytes } from './page-budget.js';
import type { ContactsService } from './contacts.js';
import type { Publisher } from './publisher.js';

export interface ConversationsPage {
  conversations: ConversationSummary[];
  more: boolean;
  /** Present when `more`: where the next page starts. */
  cursor?: string;
}

/** The cursor is the last conversation's list position, "activity.id"; opaque to clients. */
function formatCursor(position: ConversationPosition): string {
  return `${position.activityAt}.${position.id}`;
}

function parseCursor(cursor: string): ConversationPosition {
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(cursor);
  if (!match) throw new DomainError('invalid', 'cursor: not one this server gave');
  return { activityAt: Number(match[1]), id: Number(match[2]) };
}

export function createConversations({
  store,
  contacts,
  publisher,
  now,
  maxPageSize,
  pageBytes,
}: {
  store: Store;
  contacts: Pick<ContactsService, 'requireMayMessage'>;
  publisher: Publisher;
  now: () => number;
  maxPageSize: number;
  /** Most bytes of summaries in one page (at least one always goes). */
  pageBytes: number;
}) {
  return {
    async openDirect(userId: number, peerUsername: string): Promise<ConversationSummary> {
      const peer = await store.findUserByUsername(normalizeUsername(peerUsername));
      if (!peer) throw new DomainError('not_found', 'no user with that username');
      if (peer.id === userId) throw new DomainError('invalid', 'username: that is you');
      await contacts.requireMayMessage(userId, peer.id);
      const { conversation, updates } = await store.openDirect(userId, peer.id, now());
      await publisher.publish(updates);
      const summary = await store.conversationFor(userId, conversation.id);
      if (!summary) throw new Error(`conversation ${conversation.id} vanished after opening`);
      return summary;
    },

    /** One page of the user's conversations, bounded in count and bytes. */
    async list(
      userId: number,
      page: { cursor?: string | undefined; limit?: number | undefined },
    ): Promise<ConversationsPage> {
      const limit = Math.min(page.limit ?? maxPageSize, maxPageSize);
      const after = page.cursor === undefined ? null : parseCursor(page.cursor);
      // One extra row tells whether another page follows without a second query.
      const rows = await store.listConversations(userId, { after, limit: limit + 1 });
      const candidates = rows.slice(0, limit);
      const fits = countWithinBudget(candidates, pageBytes, (row) => jsonBytes(row.summary));
      const kept = candidates.slice(0, fits);
      const last = kept.at(-1);
      const more = rows.length > fits && last !== undefined;
      return {
        conversations: kept.map((row) => row.summary),
        ...(more ? { more, cursor: formatCursor(last.position) } : { more: false }),
      };
    },
  };
}

export type Conversations = ReturnType<typeof createConversations>;
