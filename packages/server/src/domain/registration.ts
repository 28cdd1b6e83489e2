/**
 * Who may create an account, and how fast: the server's registration mode (open, invite-only,
 * closed) and a limit on new accounts per IP address, counted before the password is hashed so
 * parallel registrations cannot slip past it.
 */
import type { RegistrationMode } from '@parley/protocol';
import { DomainError } from './errors.js';
import { memoryWindowLimit, type WindowLimit } from './window-counter.js';

export interface RegistrationPolicy {
  mode: RegistrationMode;
  /** Registrations one IP may attempt per `windowMs` (0 = no limit). */
  perIp: number;
  windowMs: number;
}

/** `attempts`: where registrations are counted (default: this node's memory). */
export function createRegistrationGate(
  policy: RegistrationPolicy,
  attempts: WindowLimit = memoryWindowLimit(policy.windowMs),
) {
  return {
    mode: policy.mode,
    /** Refuses what the mode does not allow; returns whether an invite must be redeemed. */
    checkMode(invite: string | undefined): { needsInvite: boolean } {
      switch (policy.mode) {
        case 'closed':
          throw new DomainError('registration_closed', 'this server does not take new accounts');
        case 'invite':
          if (invite === undefined) {
            throw new DomainError('invalid_invite', 'registration here needs an invite code');
          }
          return { needsInvite: true };
        case 'open':
          return { needsInvite: false };
        default: {
          const unreachable: never = policy.mode;
          throw new Error(`unknown registration mode ${String(unreachable)}`);
        }
      }
    },

    /** Counts a registration against the IP's limit (before its password is hashed). */
    async take(ip: string, now: number): Promise<void> {
      if (policy.perIp === 0) return;
      const taken = await attempts.take(ip, policy.perIp, now);
      if (!taken.ok) {
        throw new DomainError(
          'rate_limited',
          'too many new accounts from your network address; try again later',
          taken.retryAfterMs,
        );
      }
    },
  };
}

export type RegistrationGate = ReturnType<typeof createRegistrationGate>;
