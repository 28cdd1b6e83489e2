/**
 * Who is signed in on this page: nobody yet (starting), nobody (show the login screen) or a user
 * (show the chats; also while offline with a stored session, so queued messages can be written).
 */
import { useEffect, useReducer } from 'react';
import { useClientContext } from './client-context.js';
import type { ConnectionState, User } from './sdk.js';

export type Session =
  { phase: 'starting' } | { phase: 'signed-out' } | { phase: 'signed-in'; user: User };

export type SessionAction =
  | { type: 'authenticated'; user: User }
  | { type: 'state'; state: ConnectionState; user: User | null };

export function sessionReducer(session: Session, action: SessionAction): Session {
  switch (action.type) {
    case 'authenticated':
      return { phase: 'signed-in', user: action.user };
    case 'state': {
      const { status } = action.state;
      if (status === 'unauthenticated' || status === 'closed') return { phase: 'signed-out' };
      if (action.user) {
        return session.phase === 'signed-in' && session.user.id === action.user.id
          ? session
          : { phase: 'signed-in', user: action.user };
      }
      // No stored session and the server cannot be reached: the login screen says so.
      if (status === 'reconnecting') return { phase: 'signed-out' };
      return session;
    }
    default: {
      const unhandled: never = action;
      return unhandled;
    }
  }
}

export function useSession(): Session {
  const { client, restart } = useClientContext();
  const [session, dispatch] = useReducer(sessionReducer, client, (c): Session =>
    c.user ? { phase: 'signed-in', user: c.user } : { phase: 'starting' },
  );

  useEffect(
    () => client.on('authenticated', ({ user }) => dispatch({ type: 'authenticated', user })),
    [client],
  );
  useEffect(() => {
    dispatch({ type: 'state', state: client.state, user: client.user });
    return client.on('state', (state) => dispatch({ type: 'state', state, user: client.user }));
  }, [client]);
  useEffect(
    () =>
      client.on('sessionEnded', ({ reason }) =>
        restart(client, reason === 'logged_out' ? null : reason),
      ),
    [client, restart],
  );

  return session;
}
