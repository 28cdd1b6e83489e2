/**
 * Getting the person's attention when they are elsewhere: the unread count in the tab title, and
 * a desktop notification for a new message while the tab is hidden (only once they allowed it).
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { ChatClient } from './sdk.js';

export function useTitleBadge(unread: number, appName: string): void {
  useEffect(() => {
    document.title = unread > 0 ? `(${unread > 99 ? '99+' : unread}) ${appName}` : appName;
  }, [unread, appName]);
  // Signed out: no count of someone else's messages is left in the title.
  useEffect(() => () => void (document.title = appName), [appName]);
}

export type NotificationPermissionState = NotificationPermission | 'unsupported';

const permissionListeners = new Set<() => void>();

export function notificationPermission(): NotificationPermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks the browser (only call this from a click: browsers ignore or punish unprompted asks). */
export async function requestNotificationPermission(): Promise<NotificationPermissionState> {
  if (typeof Notification === 'undefined') return 'unsupported';
  const result = await Notification.requestPermission();
  for (const listener of permissionListeners) listener();
  return result;
}

export function useNotificationPermission(): NotificationPermissionState {
  return useSyncExternalStore((onChange) => {
    permissionListeners.add(onChange);
    return () => permissionListeners.delete(onChange);
  }, notificationPermission);
}

/** Shows a notification for each live message from someone else while the tab is hidden. */
export function useMessageNotifications(
  client: ChatClient,
  me: number,
  titleOf: (conversationId: number) => string | null,
  onOpen: (conversationId: number) => void,
): void {
  const latest = useRef({ titleOf, onOpen });
  useEffect(() => {
    latest.current = { titleOf, onOpen };
  }, [titleOf, onOpen]);

  useEffect(
    () =>
      client.on('message', ({ message, live }) => {
        if (!live || message.senderId === me || document.visibilityState === 'visible') return;
        if (notificationPermission() !== 'granted') return;
        const title = latest.current.titleOf(message.conversationId);
        if (title === null) return;
        const body = message.body.length > 140 ? `${message.body.slice(0, 140)}…` : message.body;
        // One notification per conversation: a newer message replaces the older one.
        const notification = new Notification(title, {
          body,
          tag: `parley-${message.conversationId}`,
        });
        notification.onclick = () => {
          window.focus();
          latest.current.onOpen(message.conversationId);
          notification.close();
        };
      }),
    [client, me],
  );
}
