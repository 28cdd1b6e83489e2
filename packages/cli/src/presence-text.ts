/** Presence in words for the terminal: "online", "busy", "offline, last seen 14:05". */
import type { Presence } from '@parley/client';
import { formatTime } from './format.js';

export function presenceText(presence: Presence): string {
  switch (presence.status) {
    case 'online':
    case 'away':
    case 'busy':
      return presence.status;
    case 'offline':
      return presence.lastSeenAt === null
        ? 'offline'
        : `offline, last seen ${formatTime(presence.lastSeenAt)}`;
    default: {
      const unknown: never = presence.status;
      return unknown;
    }
  }
}
