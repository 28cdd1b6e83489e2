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
  /** Largest file a user may upload, in bytes (version 3; absent from older servers). */
  maxUploadBytes?: number;
}

export const DEFAULT_LIMITS: Required<Limits> = {
  maxFrameBytes: 64 * 1024,
  maxMessageChars: 4000,
  maxPageSize: 200,
  heartbeatMs: 30_000,
  maxUploadBytes: 100 * 1024 * 1024,
};

/** Hard upper bound for any frame, whatever the configuration: a length prefix above it is a lie. */
export const ABSOLUTE_MAX_FRAME_BYTES = 16 * 1024 * 1024;

export const USERNAME_PATTERN = /^[a-z][a-z0-9_.-]{2,31}$/;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;
export const CLIENT_MSG_ID_MAX_LENGTH = 64;
export const DEVICE_NAME_MAX_LENGTH = 64;

/** Longest note on a friend request, in characters. */
export const FRIEND_NOTE_MAX_LENGTH = 200;
/** Longest remark (a private display name for a friend), in characters. */
export const FRIEND_REMARK_MAX_LENGTH = 64;
/** Longest grouping label (a friend's group in one's list), in characters. */
export const FRIEND_GROUPING_MAX_LENGTH = 32;
/** Most friends one user may have. */
export const MAX_FRIENDS = 1000;
/** Most friend requests one user may have waiting for an answer at once. */
export const MAX_PENDING_FRIEND_REQUESTS = 100;
/** Most incoming requests a `contacts` reply lists (the newest). */
export const MAX_LISTED_INCOMING_REQUESTS = 200;
/** Most blocked users one user may keep. */
export const MAX_BLOCKED = 1000;

/** A client sends `typing` (active) at most this often while its user types (version 3). */
export const TYPING_REFRESH_MS = 3000;
/** A typing indicator not refreshed for this long is over (twice the refresh, so one may be lost). */
export const TYPING_EXPIRES_MS = 6000;
/** Most users one `presence` request may ask about (version 3). */
export const PRESENCE_QUERY_MAX = 500;

/** Longest search query, in characters (version 3). */
export const SEARCH_QUERY_MAX_LENGTH = 100;
/** Most results one `search` page holds (version 3); the default is 20. */
export const SEARCH_PAGE_MAX = 50;
