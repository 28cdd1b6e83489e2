/**
 * Keeps the conversation list current: loads it from the server whenever the client has caught
 * up (first connect and every reconnect), then follows the SDK's events, one subscription each.
 */
import { useCallback, useEffect, useReducer, useRef, useState, type Dispatch } from 'react';
import {
  conversationsReducer,
  initialConversations,
  type ConversationsAction,
  type ConversationsState,
} from './conversations.js';
import type { ChatClient } from './sdk.js';

export interface ConversationsHandle {
  state: ConversationsState;
  dispatch: Dispatch<ConversationsAction>;
  /** The last load failed (offline, for example); the next sync retries. */
  loadFailed: boolean;
  reload(): void;
}

export function useConversations(
  client: ChatClient,
  me: number,
  /** The conversation on screen in a visible tab, or null: its messages do not count as unread. */
  viewing: number | null,
): ConversationsHandle {
  const [state, dispatch] = useReducer(conversationsReducer, initialConversations);
  const [loadFailed, setLoadFailed] = useState(false);
  const viewingRef = useRef(viewing);
  useEffect(() => {
    viewingRef.current = viewing;
  }, [viewing]);
  const loads = useRef(0);

  const reload = useCallback(() => {
    // Only the newest answer counts: an older one could carry stale unread counts.
    const ticket = ++loads.current;
    client.conversations().then(
      (summaries) => {
        if (ticket !== loads.current) return;
        dispatch({ type: 'loaded', summaries, outbox: client.outbox(), now: Date.now() });
        setLoadFailed(false);
      },
      () => {
        if (ticket === loads.current) setLoadFailed(true);
      },
    );
  }, [client]);

  useEffect(() => {
    if (client.state.status === 'online') reload();
    return client.on('synced', reload);
  }, [client, reload]);

  useEffect(
    () =>
      client.on('message', ({ message }) =>
        dispatch({
          type: 'message',
          message,
          me,
          viewing: viewingRef.current === message.conversationId,
        }),
      ),
    [client, me],
  );
  useEffect(() => client.on('read', (e) => dispatch({ type: 'read', ...e, me })), [client, me]);
  useEffect(
    () =>
      client.on('conversation', ({ conversation }) =>
        dispatch({ type: 'conversation', info: conversation, now: Date.now() }),
      ),
    [client],
  );
  useEffect(
    () => client.on('outbox', ({ entry }) => dispatch({ type: 'outbox', entry })),
    [client],
  );

  return { state, dispatch, loadFailed, reload };
}
