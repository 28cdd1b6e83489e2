/**
 * Who may create an account, and how fast: the server's registration mode (open, invite-only,
 * closed) and a limit on new accounts per IP address, counted before the password is hashed so
 * parallel registrations cannot slip past it.
 */
import type { RegistrationMode } from '@parley/protocol';
import { DomainError } from './errors.js';
import { WindowCounter } from './window-counter.js';

export interface RegistrationPolicy {
  mode: RegistrationMode;
  /** Registrations one IP may attempt per `windowMs` (0 = no limit). */
  perIp: number;
  windowMs: number;
}

export function createRegistrationGate(policy: RegistrationPolicy) {
  const attempts = new WindowCounter(policy.windowMs);
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
    take(ip: string, now: number): void {
      if (policy.perIp === 0) return;
      if (attempts.count(ip, now) >= policy.perIp) {
        throw new DomainError(
          'rate_limited',
          'too many new accounts from your network address; try again later',
          attempts.windowLeft(ip, now),
        );
      }
      attempts.add(ip, now);
    },
  };
}

export type RegistrationGate = ReturnType<typeof createRegistrationGate>;
