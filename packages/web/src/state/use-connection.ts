/**
 * The connection state as React state, the server's registration mode, a clock for
 * "reconnecting in N s" countdowns, and whether the person can be looking at the page.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { RegistrationMode } from '@parley/client';
import type { ChatClient, ConnectionState } from './sdk.js';

export function useConnectionState(client: ChatClient): ConnectionState {
  const subscribe = useCallback((onChange: () => void) => client.on('state', onChange), [client]);
  return useSyncExternalStore(subscribe, () => client.state);
}

/** Who may register on the server, from its last `welcome` (null before the first). */
export function useRegistrationMode(client: ChatClient): RegistrationMode | null {
  const subscribe = useCallback((onChange: () => void) => client.on('welcome', onChange), [client]);
  return useSyncExternalStore(subscribe, () => client.registration);
}

/** Seconds until `retryAt` (at least 0), ticking once a second while there is a countdown. */
export function useSecondsUntil(retryAt: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (retryAt === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [retryAt]);
  return retryAt === null ? 0 : Math.max(0, Math.ceil((retryAt - now) / 1000));
}

/** True while the tab is visible: messages then count as seen. */
export function useDocumentVisible(): boolean {
  return useSyncExternalStore(subscribeVisibility, () => document.visibilityState === 'visible');
}

function subscribeVisibility(onChange: () => void): () => void {
  document.addEventListener('visibilitychange', onChange);
  return () => document.removeEventListener('visibilitychange', onChange);
}

/**
 * True while the tab is visible and its window has the focus: only then does what is on screen
 * count as read (a visible tab behind another window is not being read).
 */
export function useAttending(): boolean {
  return useSyncExternalStore(
    subscribeAttention,
    () => document.visibilityState === 'visible' && document.hasFocus(),
  );
}

function subscribeAttention(onChange: () => void): () => void {
  document.addEventListener('visibilitychange', onChange);
  window.addEventListener('focus', onChange);
  window.addEventListener('blur', onChange);
  return () => {
    document.removeEventListener('visibilitychange', onChange);
    window.removeEventListener('focus', onChange);
    window.removeEventListener('blur', onChange);
  };
}
