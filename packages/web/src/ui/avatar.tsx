/**
 * Avatars generated from a username until uploaded avatars exist: the initials on a colour picked
 * from the name, so a person keeps the same colour everywhere. Every colour carries white text at
 * WCAG AA contrast.
 */
import { memo } from 'react';
import type { PresenceStatus } from '@parley/client';

const PALETTE = [
  '#2f6fde',
  '#0f7b6c',
  '#a3488f',
  '#c0392b',
  '#7154d6',
  '#9a5b00',
  '#1f7a3a',
  '#c2185b',
  '#0b6fa4',
  '#5d6b7a',
];

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** "li.wei" -> "LW", "alice" -> "A", "bob_smith" -> "BS". */
export function initials(name: string): string {
  const parts = name.split(/[._\-\s]+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0]!.charAt(0) + parts[1]!.charAt(0) : name.charAt(0);
  return letters.toUpperCase() || '?';
}

export function avatarColor(name: string): string {
  return PALETTE[hash(name) % PALETTE.length]!;
}

export const Avatar = memo(function Avatar({
  name,
  size = 40,
  status = null,
}: {
  name: string;
  size?: number;
  /** A presence dot in the corner (the status is also said in text where the avatar is used). */
  status?: PresenceStatus | null;
}) {
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{
        width: size,
        height: size,
        fontSize: Math.round(size * 0.4),
        background: avatarColor(name),
      }}
    >
      {initials(name)}
      {status !== null && <span className={`presence-dot presence-${status}`} />}
    </span>
  );
});
