/**
 * Sending, reading history and moving read cursors: the message path of the brief from the
 * domain's side. Authorization (membership) is checked here for every operation.
 */
import type { Attachment, Message, SendAttachment } from '@parley/protocol';
import type { AppendResult, Store } from '../store/store.js';
import { DomainError } from './errors.js';
import { createGroupCommit } from './group-commit.js';
import { countWithinBudget } from './page-budget.js';
import type { ContactsService } from './contacts.js';
import type { Membership } from './membership.js';
import type { Publisher } from './publisher.js';

export interface MessagesDeps {
  store: Store;
  membership: Membership;
  /** Who may write to whom in a direct conversation (friends, blocks, privacy). */
  contacts: Pick<ContactsService, 'requireMayMessage'>;
  publisher: Publisher;
  now: () => number;
  maxMessageChars: number;
  maxPageSize: number;
  /** Most bytes of messages in one history page (at least one message always goes). */
  pageBytes: number;
  /** Longest a group commit should take (a batch is sized to fit). */
  commitMaxMs: number;
  /** What a message carries for a file the sender uploaded; throws a DomainError otherwise. */
  attachmentFor: (senderId: number, wanted: SendAttachment) => Promise<Attachment>;
  onCommitted?: (batchSize: number, commitMs: number) => void;
}

export interface SendResult {
  conversationId: number;
  clientMsgId: string;
  seq: number;
  ts: number;
  duplicate: boolean;
}

const MAX_BATCH = 512;

export function createMessages(deps: MessagesDeps) {
  const { store, membership, publisher, now, maxMessageChars, maxPageSize, pageBytes } = deps;

  const commits = createGroupCommit({
    store,
    now,
    maxBatch: MAX_BATCH,
    maxBatchMs: deps.commitMaxMs,
    onCommitted(results, batchSize, commitMs) {
      deps.onCommitted?.(batchSize, commitMs);
      for (const result of results) {
        if (result.kind === 'stored') void publisher.publish(result.updates);
      }
    },
  });

  /** Per sender, the promise that its latest send has been queued (or refused). */
  const turns = new Map<number, Promise<void>>();

  async function requireMember(
    userId: number,
    conversationId: number,
  ): Promise<ReadonlySet<number>> {
    const members = await membership.members(conversationId);
    // Same answer for "does not exist" and "not yours": ids are not probed for existence.
    if (!members.has(userId))
      throw new DomainError('forbidden', 'you are not a member of that conversation');
    return members;
  }

  return {
    async send(
      senderId: number,
      conversationId: number,
      clientMsgId: string,
      body: string,
      wanted?: SendAttachment,
    ): Promise<SendResult> {
      if (body.length > maxMessageChars) {
        throw new DomainError('invalid', `body: at most ${maxMessageChars} characters`);
      }
      if (body.trim().length === 0 && wanted === undefined) {
        throw new DomainError('invalid', 'body: must not be blank (without an attachment)');
      }
      // The checks below read the store when their caches miss, and such reads finish in any
      // order: each send waits for its sender's previous one to be queued before it queues, so a
      // sender's messages are stored in the order they arrived.
      const previous = turns.get(senderId) ?? Promise.resolve();
      let queued!: () => void;
      const turn = new Promise<void>((resolve) => (queued = resolve));
      turns.set(senderId, turn);
      let appended: Promise<AppendResult>;
      try {
        const members = await requireMember(senderId, conversationId);
        // Every conversation is direct today (two members); groups will ask their own rules.
        for (const peerId of members) {
          if (peerId !== senderId) await deps.contacts.requireMayMessage(senderId, peerId);
        }
        const attachment =
          wanted === undefined ? undefined : await deps.attachmentFor(senderId, wanted);
        await previous;
        appended = commits.append({
          conversationId,
          senderId,
          clientMsgId,
          body,
          ...(attachment === undefined ? {} : { attachment }),
        });
      } finally {
        queued();
        if (turns.get(senderId) === turn) turns.delete(senderId);
      }
      const result = await appended;
      if (result.kind === 'refused') throw refusalError(result);
      const { message } = result;
      if (message.conversationId !== conversationId) {
        // The clientMsgId was used before for another conversation: not a resend of this message.
        throw new DomainError('invalid', 'clientMsgId: already used for another message');
      }
      return {
        conversationId,
        clientMsgId,
        seq: message.seq,
        ts: message.ts,
        duplicate: result.kind === 'duplicate',
      };
    },

    async history(
      userId: number,
      conversationId: number,
      page: { before?: number | undefined; after?: number | undefined; limit?: number | undefined },
    ): Promise<{ messages: Message[]; hasMore: boolean }> {
      if (page.before !== undefined && page.after !== undefined) {
        throw new DomainError('invalid', 'before and after: give one, not both');
      }
      await requireMember(userId, conversationId);
      const found = await store.history({
        conversationId,
        before: page.before,
        after: page.after,
        limit: Math.min(page.limit ?? 50, maxPageSize),
      });
      // Paging back (the default) keeps the newest messages, paging forward the oldest: the ones
      // next to where the reader stands. What does not fit is the next page's.
      const backwards = page.after === undefined;
      const ordered = backwards ? [...found.messages].reverse() : found.messages;
      const fits = countWithinBudget(ordered, pageBytes);
      if (fits === ordered.length) return found;
      const kept = ordered.slice(0, fits);
      return { messages: backwards ? kept.reverse() : kept, hasMore: true };
    },

    async markRead(userId: number, conversationId: number, seq: number): Promise<void> {
      await requireMember(userId, conversationId);
      const updates = await store.markRead(userId, conversationId, seq, now());
      await publisher.publish(updates);
    },

    /** Waits for every accepted send to be committed (graceful shutdown). */
    drain: () => commits.drain(),
  };
}

/**
 * The answer to a message its batch's store refused alone (the others were stored): a refusal
 * the client will not retry, never `internal`, which it would retry forever.
 */
function refusalError(refused: Extract<AppendResult, { kind: 'refused' }>): DomainError {
  const cause = new Error(`store refused a message (${refused.reason}): ${refused.detail}`);
  switch (refused.reason) {
    case 'conversation_not_found':
    case 'user_not_found':
      // As for any conversation the sender is not in: ids are not probed for existence.
      return new DomainError('forbidden', 'you are not a member of that conversation', undefined, {
        cause,
      });
    case 'rejected':
      return new DomainError('invalid', 'this message cannot be stored', undefined, { cause });
    default: {
      const unknownReason: never = refused.reason;
      throw new Error(`unknown refusal ${String(unknownReason)}`);
    }
  }
}

export type Messages = ReturnType<typeof createMessages>;
