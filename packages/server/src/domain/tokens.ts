/**
 * Session tokens: 256 random bits from the CSPRNG, handed to the client once and stored only as
 * their SHA-256, so a leaked database holds no usable token and checking one is a hash + lookup.
 */
import { createHash, randomBytes } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A registration invite code: 128 random bits, short enough to paste into a form. */
export function newInviteCode(): string {
  return randomBytes(16).toString('base64url');
}
