/**
 * Presence as React state. Every component asking about a user in the same tick shares one
 * `presence` request (a conversation list of fifty asks once), and then follows the SDK's
 * `presence` events. Also reports this device idle after a while without input, or while hidden.
 */
import { useEffect, useState } from 'react';
import type { Presence, PresenceChoice } from '@parley/client';
import type { ChatClient } from './sdk.js';

const pending = new Map<ChatClient, Set<number>>();

/** Asks for `userId` with whatever else was asked for in this tick. */
function askSoon(client: ChatClient, userId: number): void {
  const waiting = pending.get(client);
  if (waiting) {
    waiting.add(userId);
    return;
  }
  const ids = new Set([userId]);
  pending.set(client, ids);
  queueMicrotask(() => {
    pending.delete(client);
    // Unanswered (offline, an old server): the person shows no status rather than an error.
    client.presence([...ids]).catch(() => undefined);
  });
}

export function usePresence(client: ChatClient, userId: number): Presence | null {
  const [presence, setPresence] = useState<Presence | null>(() => client.knownPresence(userId));
  useEffect(() => {
    setPresence(client.knownPresence(userId));
    if (client.knownPresence(userId) === null) askSoon(client, userId);
    return client.on('presence', (p) => {
      if (p.userId === userId) setPresence(p);
    });
  }, [client, userId]);
  return presence;
}

/** The person's own choice (online, busy, invisible), once known. */
export function useOwnChoice(client: ChatClient, me: number): PresenceChoice | null {
  return usePresence(client, me)?.choice ?? null;
}

/** No input for this long counts as idle (others see "away" once all devices are). */
const IDLE_AFTER_MS = 5 * 60_000;
const INPUT_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export function useIdleReporter(client: ChatClient): void {
  useEffect(() => {
    let idle = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const set = (next: boolean) => {
      if (next === idle) return;
      idle = next;
      client.setIdle(next).catch(() => undefined);
    };
    const active = () => {
      clearTimeout(timer);
      if (document.visibilityState === 'visible') set(false);
      timer = setTimeout(() => set(true), IDLE_AFTER_MS);
    };
    const visibility = () => (document.visibilityState === 'visible' ? active() : set(true));
    for (const name of INPUT_EVENTS) window.addEventListener(name, active, { passive: true });
    document.addEventListener('visibilitychange', visibility);
    visibility();
    return () => {
      clearTimeout(timer);
      for (const name of INPUT_EVENTS) window.removeEventListener(name, active);
      document.removeEventListener('visibilitychange', visibility);
    };
  }, [client]);
}
