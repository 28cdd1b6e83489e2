/**
 * Loads and follows one conversation's messages: on open, the newest page and as many older ones
 * as it takes to reach the read cursor, so the chat can open at its first unread message however
 * many there are; older pages on demand; live messages and this device's outbox as they change.
 */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { initialTimeline, timelineReducer, type TimelineState } from './timeline.js';
import { DEFAULT_LIMITS } from '@parley/protocol';
import type { ChatClient, HistoryPage, Message } from './sdk.js';

const FIRST_PAGE = 50;
const OLDER_PAGE = 100;

export interface TimelineHandle {
  state: TimelineState;
  loadOlder(): void;
  /** Loads the newest page again after a failure. */
  reload(): void;
  retry(clientMsgId: string): void;
  discard(clientMsgId: string): void;
}

export function useTimeline(
  client: ChatClient,
  conversationId: number,
  me: number,
  /** Where the person's read cursor stood when the chat was opened: the first load covers it. */
  opened: UnreadOnOpen,
): TimelineHandle {
  const [state, dispatch] = useReducer(timelineReducer, null, () =>
    initialTimeline(client.outbox(), conversationId),
  );
  const stateRef = useRef(state);
  stateRef.current = state;
  const pageCap = (client.limits ?? DEFAULT_LIMITS).maxPageSize;

  const mounted = useRef(true);
  const loading = useRef(false);
  const loadLatest = useCallback(() => {
    if (stateRef.current.status === 'ready' || loading.current) return;
    loading.current = true;
    loadUnread(client, conversationId, me, opened, Math.min(FIRST_PAGE, pageCap), pageCap)
      .then(
        (page) => mounted.current && dispatch({ type: 'latest-loaded', page }),
        () => mounted.current && dispatch({ type: 'latest-failed' }),
      )
      .finally(() => {
        loading.current = false;
      });
  }, [client, conversationId, me, opened, pageCap]);

  useEffect(() => {
    mounted.current = true;
    loadLatest();
    // Opened while offline: try again once the client has caught up.
    const off = client.on('synced', loadLatest);
    return () => {
      mounted.current = false;
      off();
    };
  }, [client, loadLatest]);

  useEffect(
    () =>
      client.on('message', ({ message }) => {
        if (message.conversationId === conversationId) dispatch({ type: 'message', message, me });
      }),
    [client, conversationId, me],
  );
  useEffect(
    () =>
      client.on('outbox', ({ entry }) => {
        if (entry.conversationId === conversationId) dispatch({ type: 'outbox', entry, me });
      }),
    [client, conversationId, me],
  );

  const loadOlder = useCallback(() => {
    const now = stateRef.current;
    if (now.status !== 'ready' || !now.hasOlder || now.loadingOlder) return;
    const before = now.messages[0]?.seq;
    if (before === undefined) return;
    dispatch({ type: 'older-started' });
    client.history(conversationId, { before, limit: Math.min(OLDER_PAGE, pageCap) }).then(
      (page) => dispatch({ type: 'older-loaded', page }),
      () => dispatch({ type: 'older-failed' }),
    );
  }, [client, conversationId, pageCap]);

  const retry = useCallback((clientMsgId: string) => client.retry(clientMsgId), [client]);
  const discard = useCallback(
    (clientMsgId: string) => {
      client.discard(clientMsgId);
      dispatch({ type: 'discarded', clientMsgId });
    },
    [client],
  );

  return { state, loadOlder, reload: loadLatest, retry, discard };
}

/** The read cursor and the count of messages from others past it, when the chat was opened. */
export interface UnreadOnOpen {
  readSeq: number;
  unread: number;
}

/**
 * The newest page, then older pages until every unread message from others is loaded (or a read
 * one, or the beginning, is reached), as one page: the unread line and the first unread message
 * are then in it. A chat with 1,000 unread messages takes five pages of 200.
 */
async function loadUnread(
  client: ChatClient,
  conversationId: number,
  me: number,
  opened: UnreadOnOpen,
  firstLimit: number,
  pageLimit: number,
): Promise<HistoryPage> {
  const newest = await client.history(conversationId, { limit: firstLimit });
  let messages = newest.messages;
  let hasMore = newest.hasMore;
  const unreadIn = (list: readonly Message[]) =>
    list.filter((m) => m.seq > opened.readSeq && m.senderId !== me).length;
  let unreadLoaded = unreadIn(messages);
  let oldest = messages[0]?.seq ?? 0;
  while (hasMore && unreadLoaded < opened.unread && oldest > opened.readSeq) {
    const older = await client.history(conversationId, {
      before: oldest,
      limit: pageLimit,
    });
    if (older.messages.length === 0) break;
    unreadLoaded += unreadIn(older.messages);
    messages = older.messages.concat(messages);
    hasMore = older.hasMore;
    oldest = messages[0]!.seq;
  }
  return { messages, hasMore };
}
