/**
 * Loads and follows one conversation's messages: the newest page on open (enough to show every
 * unread message when there are not too many), older pages on demand, live messages and this
 * device's outbox as they change.
 */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { initialTimeline, timelineReducer, type TimelineState } from './timeline.js';
import { DEFAULT_LIMITS } from '@parley/protocol';
import type { ChatClient } from './sdk.js';

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
  unreadOnOpen: number,
): TimelineHandle {
  const [state, dispatch] = useReducer(timelineReducer, null, () =>
    initialTimeline(client.outbox(), conversationId),
  );
  const stateRef = useRef(state);
  stateRef.current = state;
  const pageCap = (client.limits ?? DEFAULT_LIMITS).maxPageSize;
  const firstPage = useRef(Math.min(pageCap, Math.max(FIRST_PAGE, unreadOnOpen + 10)));

  const mounted = useRef(true);
  const loadLatest = useCallback(() => {
    if (stateRef.current.status === 'ready') return;
    client.history(conversationId, { limit: firstPage.current }).then(
      (page) => mounted.current && dispatch({ type: 'latest-loaded', page }),
      () => mounted.current && dispatch({ type: 'latest-failed' }),
    );
  }, [client, conversationId]);

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
