/** Presence in words: "online", "busy", "last seen 14:05" (the header and screen readers). */
import type { Presence } from '@parley/client';
import type { Formatters } from '../i18n/format.js';
import type { Messages } from '../i18n/en.js';

export function presenceLabel(
  presence: Presence | null,
  t: Messages,
  fmt: Formatters,
  now: number,
): string | null {
  if (presence === null) return null;
  switch (presence.status) {
    case 'online':
      return t.presenceOnline;
    case 'away':
      return t.presenceAway;
    case 'busy':
      return t.presenceBusy;
    case 'offline':
      return presence.lastSeenAt === null
        ? t.presenceOffline
        : t.lastSeen(fmt.listTime(presence.lastSeenAt, now));
    default: {
      const unknown: never = presence.status;
      return unknown;
    }
  }
}
