/**
 * One open conversation's messages as a reducer: pages of history, live messages and this
 * device's outgoing messages merged into one ascending, duplicate-free list. Message objects keep
 * their identity across updates, so rows that did not change do not re-render.
 */
import type { HistoryPage, Message, OutboxEntry } from './sdk.js';

export interface TimelineState {
  status: 'loading' | 'ready' | 'error';
  /** Ascending seq, no duplicates. */
  messages: readonly Message[];
  /** Own messages not in `messages` yet (pending or failed), oldest first. */
  outgoing: readonly OutboxEntry[];
  hasOlder: boolean;
  loadingOlder: boolean;
  /** Bumped each time older messages are put on top, so the list can keep its scroll anchor. */
  prepends: number;
}

export type TimelineAction =
  | { type: 'latest-loaded'; page: HistoryPage }
  | { type: 'latest-failed' }
  | { type: 'older-started' }
  | { type: 'older-loaded'; page: HistoryPage }
  | { type: 'older-failed' }
  | { type: 'message'; message: Message; me: number }
  | { type: 'outbox'; entry: OutboxEntry; me: number }
  | { type: 'discarded'; clientMsgId: string };

export function initialTimeline(outbox: OutboxEntry[], conversationId: number): TimelineState {
  return {
    status: 'loading',
    messages: [],
    outgoing: outbox
      .filter((e) => e.conversationId === conversationId && e.status !== 'sent')
      .sort((a, b) => a.createdAt - b.createdAt),
    hasOlder: false,
    loadingOlder: false,
    prepends: 0,
  };
}

/** Merges `incoming` into the ascending list `existing`, keeping existing objects on duplicates. */
export function mergeMessages(
  existing: readonly Message[],
  incoming: readonly Message[],
): readonly Message[] {
  if (incoming.length === 0) return existing;
  const last = existing[existing.length - 1];
  // The common case, a live message or a page of newer ones: append.
  if (!last || isAscendingAfter(incoming, last.seq)) return existing.concat(incoming);
  const first = existing[0]!;
  if (isAscendingBefore(incoming, first.seq)) return incoming.concat(existing);
  const bySeq = new Map<number, Message>();
  for (const m of incoming) bySeq.set(m.seq, m);
  for (const m of existing) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function isAscendingAfter(list: readonly Message[], after: number): boolean {
  let previous = after;
  for (const m of list) {
    if (m.seq <= previous) return false;
    previous = m.seq;
  }
  return true;
}

function isAscendingBefore(list: readonly Message[], before: number): boolean {
  let previous = -1;
  for (const m of list) {
    if (m.seq <= previous || m.seq >= before) return false;
    previous = m.seq;
  }
  return true;
}

function withoutOutgoing(state: TimelineState, clientMsgId: string): readonly OutboxEntry[] {
  return state.outgoing.some((e) => e.clientMsgId === clientMsgId)
    ? state.outgoing.filter((e) => e.clientMsgId !== clientMsgId)
    : state.outgoing;
}

export function timelineReducer(state: TimelineState, action: TimelineAction): TimelineState {
  switch (action.type) {
    case 'latest-loaded':
      return {
        ...state,
        status: 'ready',
        messages: mergeMessages(state.messages, action.page.messages),
        hasOlder: state.status === 'ready' ? state.hasOlder : action.page.hasMore,
      };
    case 'latest-failed':
      return state.status === 'ready' ? state : { ...state, status: 'error' };
    case 'older-started':
      return { ...state, loadingOlder: true };
    case 'older-loaded': {
      const messages = mergeMessages(state.messages, action.page.messages);
      return {
        ...state,
        messages,
        hasOlder: action.page.hasMore,
        loadingOlder: false,
        prepends: messages.length > state.messages.length ? state.prepends + 1 : state.prepends,
      };
    }
    case 'older-failed':
      return { ...state, loadingOlder: false };
    case 'message': {
      const { message } = action;
      const outgoing =
        message.senderId === action.me
          ? withoutOutgoing(state, message.clientMsgId)
          : state.outgoing;
      const messages = mergeMessages(state.messages, [message]);
      if (messages === state.messages && outgoing === state.outgoing) return state;
      return { ...state, messages, outgoing };
    }
    case 'outbox': {
      const { entry } = action;
      if (entry.status === 'sent') {
        // Acknowledged: it is a message with a seq now, whether or not its update came yet.
        const message: Message = {
          conversationId: entry.conversationId,
          seq: entry.seq,
          senderId: action.me,
          clientMsgId: entry.clientMsgId,
          body: entry.body,
          ts: entry.ts,
        };
        return {
          ...state,
          messages: mergeMessages(state.messages, [message]),
          outgoing: withoutOutgoing(state, entry.clientMsgId),
        };
      }
      const index = state.outgoing.findIndex((e) => e.clientMsgId === entry.clientMsgId);
      if (index === -1) {
        const delivered = state.messages.some(
          (m) => m.senderId === action.me && m.clientMsgId === entry.clientMsgId,
        );
        return delivered ? state : { ...state, outgoing: [...state.outgoing, entry] };
      }
      const outgoing = state.outgoing.slice();
      outgoing[index] = entry;
      return { ...state, outgoing };
    }
    case 'discarded':
      return { ...state, outgoing: withoutOutgoing(state, action.clientMsgId) };
    default: {
      const unhandled: never = action;
      return unhandled;
    }
  }
}
