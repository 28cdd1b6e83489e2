/**
 * What the accounts service reports about logins and registrations, for the composition root to
 * log and count. Usernames and addresses only: never a password, a token or an invite code.
 */
import type { ThrottleScope } from './login-throttle.js';

export type AuthEvent =
  /** An argon2 verification ran (a login, a change of password, or the dummy for a stranger). */
  | { kind: 'password_checked' }
  | { kind: 'login_succeeded'; username: string; ip: string }
  | { kind: 'login_failed'; username: string; ip: string }
  /** An attempt was refused without checking its password. */
  | {
      kind: 'login_refused';
      username: string;
      ip: string;
      scope: ThrottleScope;
      retryAfterMs: number;
    }
  /** An attempt was let through and started a backoff for the next one. */
  | { kind: 'login_throttled'; username: string; ip: string; scope: ThrottleScope; delayMs: number }
  | { kind: 'registered'; username: string; ip: string }
  | { kind: 'registration_refused'; ip: string; reason: RegistrationRefusal };

export type RegistrationRefusal = 'closed' | 'invalid_invite' | 'rate_limited';
