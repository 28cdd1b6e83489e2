/**
 * Limits the server enforces and announces in `welcome`. The numbers here are the defaults; an
 * operator may change each with a `PARLEY_*` setting, and clients read the real values from
 * `welcome` rather than from this file.
 */
export interface Limits {
  /** Largest frame accepted, in bytes of UTF-8 JSON. */
  maxFrameBytes: number;
  /** Longest message body, in characters (UTF-16 code units). */
  maxMessageChars: number;
  /** Most items one `history` or `sync` page returns. */
  maxPageSize: number;
  /** The client should send a `ping` at least this often; the server closes after twice this. */
  heartbeatMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxFrameBytes: 64 * 1024,
  maxMessageChars: 4000,
  maxPageSize: 200,
  heartbeatMs: 30_000,
};

/** Hard upper bound for any frame, whatever the configuration: a length prefix above it is a lie. */
export const ABSOLUTE_MAX_FRAME_BYTES = 16 * 1024 * 1024;

export const USERNAME_PATTERN = /^[a-z][a-z0-9_.-]{2,31}$/;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;
export const CLIENT_MSG_ID_MAX_LENGTH = 64;
export const DEVICE_NAME_MAX_LENGTH = 64;

/** A client sends `typing` (active) at most this often while its user types (version 3). */
export const TYPING_REFRESH_MS = 3000;
/** A typing indicator not refreshed for this long is over (twice the refresh, so one may be lost). */
export const TYPING_EXPIRES_MS = 6000;
/** Most users one `presence` request may ask about (version 3). */
export const PRESENCE_QUERY_MAX = 500;
