/**
 * The conversation list as a reducer over SDK events: summaries from the server, moved forward by
 * live messages, read cursors and the outbox. Pure, so it is easy to reason about ordering.
 */
import type {
  Attachment,
  ConversationInfo,
  ConversationSummary,
  Message,
  OutboxEntry,
  SendAttachment,
} from './sdk.js';

export interface ConversationItem {
  summary: ConversationSummary;
  /** The newest own message written here that the list has not seen as a message yet. */
  outgoing: OutboxEntry | null;
  /** When the conversation last changed: the list is ordered by it, newest first. */
  activityAt: number;
}

export interface ConversationsState {
  /** The list came from the server at least once. */
  loaded: boolean;
  items: ReadonlyMap<number, ConversationItem>;
}

export type ConversationsAction =
  | { type: 'loaded'; summaries: ConversationSummary[]; outbox: OutboxEntry[]; now: number }
  | { type: 'opened'; summary: ConversationSummary; now: number }
  | { type: 'conversation'; info: ConversationInfo; now: number }
  /** `viewing`: the person is reading the conversation's latest messages: it counts as read. */
  | { type: 'message'; message: Message; me: number; viewing: boolean }
  | { type: 'read'; conversationId: number; userId: number; seq: number; me: number }
  | { type: 'outbox'; entry: OutboxEntry }
  | { type: 'discarded'; clientMsgId: string };

export const initialConversations: ConversationsState = { loaded: false, items: new Map() };

function emptySummary(info: ConversationInfo): ConversationSummary {
  return { info, lastSeq: 0, lastMessage: null, readSeq: 0, peerReadSeq: 0, unread: 0 };
}

function withItem(
  state: ConversationsState,
  id: number,
  item: ConversationItem,
): ConversationsState {
  const items = new Map(state.items);
  items.set(id, item);
  return { ...state, items };
}

export function conversationsReducer(
  state: ConversationsState,
  action: ConversationsAction,
): ConversationsState {
  switch (action.type) {
    case 'loaded': {
      const items = new Map<number, ConversationItem>();
      for (const summary of action.summaries) {
        const previous = state.items.get(summary.info.id);
        const outgoing = newestOutgoing(action.outbox, summary.info.id);
        items.set(summary.info.id, {
          summary,
          outgoing,
          activityAt: Math.max(
            summary.lastMessage?.ts ?? 0,
            outgoing?.createdAt ?? 0,
            previous?.activityAt ?? 0,
            // Keep an empty conversation in the order the server gave rather than at the bottom.
            summary.lastMessage ? 0 : action.now - items.size,
          ),
        });
      }
      return { loaded: true, items };
    }
    case 'opened': {
      const id = action.summary.info.id;
      const previous = state.items.get(id);
      return withItem(state, id, {
        summary: previous ? previous.summary : action.summary,
        outgoing: previous?.outgoing ?? null,
        activityAt: Math.max(previous?.activityAt ?? 0, action.now),
      });
    }
    case 'conversation': {
      if (state.items.has(action.info.id)) return state;
      return withItem(state, action.info.id, {
        summary: emptySummary(action.info),
        outgoing: null,
        activityAt: action.now,
      });
    }
    case 'message': {
      const { message } = action;
      const item = state.items.get(message.conversationId);
      // Unknown conversation: its `conversation` update or the next list load brings it.
      if (!item || message.seq <= item.summary.lastSeq) return state;
      const fromPeer = message.senderId !== action.me;
      const counts = fromPeer && !action.viewing && message.seq > item.summary.readSeq;
      const mine =
        !fromPeer && item.outgoing?.clientMsgId === message.clientMsgId ? null : item.outgoing;
      return withItem(state, message.conversationId, {
        summary: {
          ...item.summary,
          lastSeq: message.seq,
          lastMessage: message,
          unread: item.summary.unread + (counts ? 1 : 0),
        },
        outgoing: mine,
        activityAt: Math.max(item.activityAt, message.ts),
      });
    }
    case 'read': {
      const item = state.items.get(action.conversationId);
      if (!item) return state;
      const { summary } = item;
      if (action.userId !== action.me) {
        if (action.seq <= summary.peerReadSeq) return state;
        return withItem(state, action.conversationId, {
          ...item,
          summary: { ...summary, peerReadSeq: action.seq },
        });
      }
      if (action.seq <= summary.readSeq) return state;
      // At most lastSeq - seq messages remain unread; exact when they all came from the peer.
      const unread = Math.min(summary.unread, Math.max(0, summary.lastSeq - action.seq));
      return withItem(state, action.conversationId, {
        ...item,
        summary: { ...summary, readSeq: action.seq, unread },
      });
    }
    case 'outbox': {
      const { entry } = action;
      const item = state.items.get(entry.conversationId);
      if (!item) return state;
      const current = item.outgoing;
      if (current && current.clientMsgId !== entry.clientMsgId) {
        if (current.createdAt > entry.createdAt) return state;
      }
      if (entry.status === 'sent' && entry.seq <= item.summary.lastSeq) {
        // The message itself already arrived: nothing newer to preview.
        return current?.clientMsgId === entry.clientMsgId
          ? withItem(state, entry.conversationId, { ...item, outgoing: null })
          : state;
      }
      return withItem(state, entry.conversationId, {
        ...item,
        outgoing: entry,
        activityAt: Math.max(item.activityAt, entry.createdAt),
      });
    }
    case 'discarded': {
      for (const [id, item] of state.items) {
        if (item.outgoing?.clientMsgId === action.clientMsgId) {
          return withItem(state, id, { ...item, outgoing: null });
        }
      }
      return state;
    }
    default: {
      const unhandled: never = action;
      return unhandled;
    }
  }
}

function newestOutgoing(outbox: OutboxEntry[], conversationId: number): OutboxEntry | null {
  let newest: OutboxEntry | null = null;
  for (const entry of outbox) {
    if (entry.conversationId !== conversationId || entry.status === 'sent') continue;
    if (!newest || entry.createdAt >= newest.createdAt) newest = entry;
  }
  return newest;
}

/** Newest activity first. */
export function sortedConversations(state: ConversationsState): ConversationItem[] {
  return [...state.items.values()].sort((a, b) => b.activityAt - a.activityAt);
}

export function totalUnread(state: ConversationsState): number {
  let total = 0;
  for (const item of state.items.values()) total += item.summary.unread;
  return total;
}

/** What the list shows as the last line: the newest of the last message and own outgoing. */
export function preview(item: ConversationItem): {
  body: string;
  /** What the message carries: described by the server, or only named by a pending send. */
  attachment: Attachment | SendAttachment | null;
  ts: number;
  mine: boolean;
  status: OutboxEntry['status'] | null;
} | null {
  const { lastMessage } = item.summary;
  const { outgoing } = item;
  if (outgoing && (!lastMessage || outgoing.createdAt >= lastMessage.ts)) {
    return {
      body: outgoing.body,
      attachment: outgoing.attachment ?? null,
      ts: outgoing.createdAt,
      mine: true,
      status: outgoing.status,
    };
  }
  if (!lastMessage) return null;
  return {
    body: lastMessage.body,
    attachment: lastMessage.attachment ?? null,
    ts: lastMessage.ts,
    mine: false,
    status: null,
  };
}
