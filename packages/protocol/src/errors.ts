/**
 * Stable error codes carried by `error` frames. Clients branch on the code, never on the message
 * text, which is for people and may change.
 */
export const ERROR_CODES = [
  /** The frame is not valid JSON or not a JSON object. */
  'bad_frame',
  /** The frame's `type` is not one this protocol version knows. */
  'unknown_type',
  /** The frame is well-formed but a field is missing, of the wrong type or out of range. */
  'invalid',
  /** The frame is larger than the server's frame limit. */
  'too_large',
  /** The client did not send `hello` first, or sent it twice. */
  'out_of_order',
  /** The client asked for protocol versions the server does not speak. */
  'unsupported_version',
  /** The operation needs an authenticated connection. */
  'unauthenticated',
  /** The connection is already authenticated. */
  'already_authenticated',
  /** Username or password is wrong (never says which). */
  'invalid_credentials',
  /** The session token is unknown, expired or revoked. */
  'invalid_token',
  /** The username is taken. */
  'username_taken',
  /** The username does not follow the rules (3-32 of a-z 0-9 _ . -, starting with a letter). */
  'invalid_username',
  /** The password does not meet the policy. */
  'weak_password',
  /** The password is on the list of the most common passwords (NIST 800-63B): choose another. */
  'common_password',
  /** This server does not take new registrations. */
  'registration_closed',
  /** Registration on this server needs an invite code, and this one is unknown or used. */
  'invalid_invite',
  /** The caller may not do this (for example, not a member of the conversation). */
  'forbidden',
  /** The user or conversation does not exist (or is not visible to the caller). */
  'not_found',
  /** Too many requests: slow down and retry after `retryAfterMs`. */
  'rate_limited',
  /** Too many failed logins: wait `retryAfterMs`. */
  'too_many_attempts',
  /** The server is shutting down or overloaded; reconnect elsewhere or later. */
  'unavailable',
  /** A bug on the server: the request may be retried. */
  'internal',
  /** Version 3. The recipient takes direct messages from friends only: send a friend request. */
  'friends_only',
  /** Version 3. One of the two users blocked the other: no messages or friend requests. */
  'blocked',
  /** Version 3. The two users are friends already. */
  'already_friends',
  /** Version 3. A friend request to this user is already waiting for an answer. */
  'already_requested',
  /** Version 3. A per-user limit was reached (friends, pending requests, blocked users). */
  'limit_reached',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes a connection on an older protocol version cannot decode, and what it is told instead. */
const ERROR_CODE_BEFORE_V3: Partial<Record<ErrorCode, ErrorCode>> = {
  friends_only: 'forbidden',
  blocked: 'forbidden',
  already_friends: 'invalid',
  already_requested: 'invalid',
  limit_reached: 'invalid',
};

/**
 * The code to send a connection on protocol `version`: an older client's decoder knows only its
 * version's codes, so a newer refusal reaches it as the older code that means the same to it.
 */
export function errorCodeForVersion(code: ErrorCode, version: number): ErrorCode {
  return version >= 3 ? code : (ERROR_CODE_BEFORE_V3[code] ?? code);
}

/**
 * Close reasons a server gives when it ends a connection itself. Over WebSocket they travel as
 * the close reason; over TCP as a final `bye` frame.
 */
export const CLOSE_REASONS = [
  'idle_timeout',
  'auth_timeout',
  'slow_consumer',
  'abuse',
  'logged_out',
  'session_revoked',
  'shutdown',
  'frame_too_large',
  /** The session reached its `expiresAt`: log in again. */
  'session_expired',
] as const;

export type CloseReason = (typeof CLOSE_REASONS)[number];
