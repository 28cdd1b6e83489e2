/**
 * What to tell the person when a request fails, from the SDK error's stable code (never from its
 * message text, which is for developers and is not translated).
 */
import { errorCode } from '../state/sdk.js';
import type { Messages } from './en.js';

export function errorText(t: Messages, error: unknown): string {
  switch (errorCode(error)) {
    case 'invalid_credentials':
      return t.errInvalidCredentials;
    case 'username_taken':
      return t.errUsernameTaken;
    case 'invalid_username':
      return t.errInvalidUsername;
    case 'weak_password':
      return t.errWeakPassword;
    case 'common_password':
      return t.errCommonPassword;
    case 'registration_closed':
      return t.errRegistrationClosed;
    case 'invalid_invite':
      return t.errInvalidInvite;
    case 'too_many_attempts': {
      const wait = retryAfterMs(error);
      return wait < 60_000
        ? t.errTooManyAttemptsSeconds(Math.max(1, Math.ceil(wait / 1000)))
        : t.errTooManyAttempts(Math.ceil(wait / 60_000));
    }
    case 'rate_limited':
      return t.errRateLimited;
    case 'disconnected':
    case 'timeout':
    case 'unavailable':
      return t.errOffline;
    case 'not_found':
      return t.errNotFound;
    case 'forbidden':
      return t.errForbidden;
    case 'friends_only':
      return t.errFriendsOnly;
    case 'blocked':
      return t.errBlocked;
    case 'already_friends':
      return t.errAlreadyFriends;
    case 'already_requested':
      return t.errAlreadyRequested;
    case 'limit_reached':
      return t.errLimitReached;
    default:
      return t.errGeneric;
  }
}

function retryAfterMs(error: unknown): number {
  if (error instanceof Error && 'retryAfterMs' in error && typeof error.retryAfterMs === 'number') {
    return error.retryAfterMs;
  }
  return 60_000;
}

/**
 * Why the server refused one of the person's messages, from the code the outbox recorded. The
 * codes a send can fail with are few; anything else reads as a plain refusal.
 */
export function sendFailureText(t: Messages, code: string | null): string {
  switch (code) {
    case 'invalid':
    case 'too_large':
      return t.failInvalid;
    case 'forbidden':
      return t.failForbidden;
    case 'friends_only':
      return t.errFriendsOnly;
    case 'blocked':
      return t.errBlocked;
    case 'not_found':
      return t.failNotFound;
    default:
      return t.failRefused;
  }
}
