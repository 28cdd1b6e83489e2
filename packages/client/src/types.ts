/**
 * The SDK's public surface: options, states, events and the records it hands out. Everything the
 * terminal and web clients (and bots) see of the SDK is declared here.
 */
import type {
  Attachment,
  AttachmentKind,
  CloseReason,
  ConversationInfo,
  ConversationSummary,
  DeviceSession,
  DirectMessageSetting,
  ErrorCode,
  Friend,
  FriendRequest,
  FileDescriptor,
  Limits,
  Message,
  Presence,
  PresenceChoice,
  PresenceStatus,
  RegistrationMode,
  SearchResult,
  SendAttachment,
  SessionInfo,
  Update,
  User,
} from '@parley/protocol';

export type {
  Attachment,
  AttachmentKind,
  FileDescriptor,
  SendAttachment,
  Presence,
  PresenceChoice,
  PresenceStatus,
  CloseReason,
  ConversationInfo,
  ConversationSummary,
  DeviceSession,
  DirectMessageSetting,
  ErrorCode,
  Friend,
  FriendRequest,
  RegistrationMode,
  Limits,
  Message,
  SearchResult,
  SessionInfo,
  User,
};

// ---------------------------------------------------------------------------------------------
// Transport (injected, so one SDK serves the browser, Node over WebSocket and Node over TCP)

export interface TransportHandlers {
  /** The connection is open and frames may be sent. */
  onOpen(): void;
  /** One complete frame's JSON text arrived. */
  onFrame(text: string): void;
  /** The connection ended, for whatever reason; called once. */
  onClose(reason: string): void;
}

export interface Transport {
  /** Sends one frame's JSON text. */
  send(text: string): void;
  /** Closes the connection; `onClose` may still be called (the SDK ignores it then). */
  close(): void;
}

/** Opens a connection to `url`; reports through `handlers`. */
export type TransportFactory = (url: string, handlers: TransportHandlers) => Transport;

// ---------------------------------------------------------------------------------------------
// Persistence (token, cursor and outbox survive a reload or a restart of the program)

/** What the SDK keeps between runs. */
export interface PersistedState {
  /** The session token; null when logged out or the session ended. */
  token: string | null;
  /**
   * The account the cursor and outbox belong to. Kept when a session is revoked, so the same
   * user logging in again keeps them; another user logging in starts from nothing.
   */
  user: User | null;
  /** The last update pts applied: the one number a reconnect resumes from. */
  pts: number | null;
  /** Messages not yet acknowledged (and, briefly, recently sent ones), oldest first. */
  outbox: OutboxEntry[];
}

/**
 * Where PersistedState lives: `memoryStorage()`, `localStorageStorage(key)`, `fileStorage(path)`.
 * Several clients may share one storage (browser tabs, two programs on one config file): each
 * writes only its own changes through `update`, merged into what is stored.
 */
export interface ClientStorage {
  /** The stored state, or null when nothing (usable) is stored. */
  load(): Promise<PersistedState | null>;
  /**
   * Atomic read-modify-write: reads the stored state (empty when none), stores what `change`
   * returns and resolves with it. No other update, of this client or of another sharing the
   * storage, may run between the read and the write (a lock, or a single synchronous step).
   */
  update(change: (stored: PersistedState) => PersistedState): Promise<PersistedState>;
  /**
   * Optional: calls `onChange` when another client changed the stored state (the browser's
   * `storage` event), so queued messages written elsewhere are picked up at once. Without it,
   * a client re-reads the storage when it starts and on every reconnect. Returns the
   * unsubscribe function.
   */
  watch?(onChange: () => void): () => void;
}

// ---------------------------------------------------------------------------------------------
// Options

export interface ClientOptions {
  /** `ws://host:8080/ws`, `wss://...`, `tcp://host:8081` or `tls://...` (the factory must fit). */
  url: string;
  /**
   * Opens connections: `webSocketTransport()` in browsers; in Node, `transportFor(url)` from
   * `@parley/client/node` (WebSocket over `ws`, or raw TCP).
   */
  transport: TransportFactory;
  /** Where the session, cursor and outbox are kept. Default: nowhere (they live in memory). */
  storage?: ClientStorage;
  /** Shown in the user's device list; defaults to "parley-sdk". */
  device?: string;
  /** Client name and version sent in hello, for server logs. */
  clientName?: string;
  /**
   * Reconnect backoff: full jitter between 0 and min(maxDelayMs, minDelayMs * 2^attempt).
   * Defaults: minDelayMs 500, maxDelayMs 30 000.
   */
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
  /**
   * How long a request waits for its reply before failing with `timeout`, and, when it is made
   * while not connected, for the connection before failing with `disconnected`. Default 15 s.
   * Also bounds opening a connection (transport plus hello).
   */
  requestTimeoutMs?: number;
  /**
   * Where the server's HTTP side is (uploads, downloads): `http://host:8080`. Default: taken
   * from a `ws://`/`wss://` url (same host and port); a `tcp://` client must give it to use files.
   */
  httpUrl?: string;
  /**
   * How long an upload waits between its attempts after a broken connection, in ms; the last
   * delay repeats while the client is online. Default: 0, 1 s, 3 s, 5 s, 10 s.
   */
  uploadRetryDelaysMs?: number[];
}

// ---------------------------------------------------------------------------------------------
// Connection state machine

/**
 * - `idle`: not started (before `connect()`).
 * - `connecting`: opening the transport, saying hello and (with a stored token) authenticating;
 *   `attempt` counts the failed attempts before this one (0 on a first or healthy connect).
 * - `unauthenticated`: connected, no session: call `login()` or `register()`. Also where a stored
 *   token the server no longer accepts leads (after a `sessionEnded` event), since the
 *   connection itself is fine.
 * - `syncing`: authenticated, replaying what was missed since the cursor.
 * - `online`: caught up; live updates flow and the outbox drains.
 * - `reconnecting`: the connection dropped; the next attempt is at `retryAt`.
 * - `closed`: `close()` was called or the session ended (logged out, revoked); `connect()`
 *   starts again from here.
 */
export type ConnectionState =
  | { status: 'idle' }
  | {
      status: 'connecting';
      /** Failed attempts before this one (0 on a first connect or after a healthy one). */
      attempt: number;
    }
  | { status: 'unauthenticated' }
  | { status: 'syncing' }
  | { status: 'online' }
  | {
      status: 'reconnecting';
      /** Failed attempts so far, this one included. */
      attempt: number;
      /** When the next attempt starts (ms since the epoch, local clock). */
      retryAt: number;
      /** Why the last connection ended or failed, for people. */
      lastError: string;
      /**
       * The server's reason when it closed the connection itself (`shutdown` while it restarts,
       * `slow_consumer`, `idle_timeout`...); null when the network or a timeout ended it.
       */
      closeReason: CloseReason | null;
    }
  | {
      status: 'closed';
      /** `closed` (by `close()`), `logged_out`, `session_revoked` or `unsupported_version...`. */
      reason: string;
    };

export type ConnectionStatus = ConnectionState['status'];

// ---------------------------------------------------------------------------------------------
// Outbox

/** What every outbox entry has, whatever its status. */
export interface OutboxEntryBase {
  /** The message's id from this client (a UUID): the server dedupes resends by it. */
  clientMsgId: string;
  conversationId: number;
  /** The text as typed (may be empty with an attachment). */
  body: string;
  /** The uploaded file it carries, as given to `send`. */
  attachment?: SendAttachment;
  /** When it was queued (ms since the epoch, local clock). */
  createdAt: number;
}

/**
 * - `pending`: waiting to go out or for its ack (survives reconnects and restarts).
 * - `sent`: acknowledged: durable on the server with `seq`.
 * - `failed`: the server refused it for good (`error` says why); `retry()` re-queues it.
 */
export type OutboxEntry =
  | (OutboxEntryBase & { status: 'pending' })
  | (OutboxEntryBase & {
      status: 'sent';
      /** Its position in the conversation. */
      seq: number;
      /** When the server stored it (server clock). */
      ts: number;
    })
  | (OutboxEntryBase & {
      status: 'failed';
      /** Why the server refused it (`code` is stable, `message` is for people). */
      error: { code: ErrorCode | 'timeout'; message: string };
    });

// ---------------------------------------------------------------------------------------------
// Events

export interface ClientEvents {
  /** The connection state changed. */
  state: ConnectionState;
  /** Connected and the server's limits are known. */
  welcome: {
    /** The protocol version the server chose for this connection, among the SDK's. */
    version: number;
    /** The limits this server enforces (message length, page size, heartbeat). */
    limits: Limits;
    /** The server's clock, ms since the epoch. */
    serverTime: number;
    /** Who may register: `open`, `invite` (register with an invite code) or `closed`. */
    registration: RegistrationMode;
  };
  /** Logged in, registered or resumed with a stored token. */
  authenticated: {
    user: User;
    /** This device's session. */
    session: SessionInfo;
  };
  /**
   * The session is over and its token forgotten: `logged_out` (this device logged out),
   * `session_revoked` (logged out elsewhere, or the password changed) or `invalid_token` (the
   * stored token expired or was revoked while away).
   */
  sessionEnded: { reason: SessionEndReason };
  /** A message arrived, live or during sync, including the user's own from any device. */
  message: {
    message: Message;
    /** False when replayed by a sync (it arrived while this device was away). */
    live: boolean;
  };
  /** A member's read cursor moved (the user's own from another device, or a peer's). */
  read: {
    conversationId: number;
    /** Whose cursor moved. */
    userId: number;
    /** Every message up to this seq has been read by that user. */
    seq: number;
  };
  /** A conversation the user is in was created (or first seen). */
  conversation: { conversation: ConversationInfo };
  /** An outbox entry was added or changed status. */
  outbox: { entry: OutboxEntry };
  /**
   * The user's contacts changed (friends, requests, blocks, privacy), from any device or either
   * side of a friendship, live or during sync; also after the contact list was (re)loaded.
   */
  contacts: {
    /** The contacts now. */
    contacts: ContactsState;
    /** The update that changed them; null when the whole list was loaded from the server. */
    cause: ContactChange | null;
    /** False when replayed by a sync or loaded. */
    live: boolean;
  };
  /** Someone sent the user a friend request (show it: a badge, a line in the chat). */
  friendRequest: {
    request: FriendRequest;
    /** False when replayed by a sync (it arrived while this device was away). */
    live: boolean;
  };
  /**
   * Who is typing in a conversation changed (someone started, stopped, sent, or their indicator
   * expired). Only other users; empty when nobody is. Live only: never replayed by sync.
   */
  typing: {
    conversationId: number;
    /** In the order they started typing. */
    userIds: number[];
  };
  /**
   * A user's presence changed, or became known (a `presence()` answer, a push, the check after
   * a reconnect). The user's own carries `choice`.
   */
  presence: Presence;
  /** Sync finished: the device is caught up to `pts`. */
  synced: {
    /** The cursor now (the last update applied). */
    pts: number;
  };
}

/** Why a session ended: see the `sessionEnded` event. */
export type SessionEndReason =
  'logged_out' | 'session_revoked' | 'session_expired' | 'invalid_token';

export type ClientEventName = keyof ClientEvents;
export type ClientEventHandler<E extends ClientEventName> = (event: ClientEvents[E]) => void;

// ---------------------------------------------------------------------------------------------
// Requests

/** Which page of a conversation's history to load. */
export interface HistoryOptions {
  /** Messages with seq strictly below this (older); default: the newest messages. */
  before?: number;
  /** Messages with seq strictly above this (newer). Not together with `before`. */
  after?: number;
  /** Page size; the server caps it at `limits.maxPageSize`. */
  limit?: number;
}

export interface HistoryPage {
  /** Ascending seq. */
  messages: Message[];
  /** More messages exist in the direction asked for (older for `before`, newer for `after`). */
  hasMore: boolean;
}

export interface SearchOptions {
  /** Only this conversation (one the user is in; another is refused with `forbidden`). */
  conversationId?: number;
  /** The previous page's `cursor`: older results. Default: the newest. */
  cursor?: number;
  /** Page size, at most SEARCH_PAGE_MAX (50); default 20. */
  limit?: number;
}

export interface SearchPage {
  /** Newest first: each message with the conversation it is in. */
  results: SearchResult[];
  /** Older results exist: pass `cursor` for them. */
  more: boolean;
  /** Where this page ends, when `more` is true. */
  cursor?: number;
}

export interface RegisterOptions {
  /** The invite code, for a server whose registration is invite-only. */
  invite?: string;
}

/** One page of the conversation list (`conversationsPage`). */
export interface ConversationsPage {
  /** Newest activity first. */
  conversations: ConversationSummary[];
  /** Pass to `conversationsPage` for the next page; null on the last page. */
  cursor: string | null;
}

export interface LogoutOptions {
  /** Also end every other session of this user (every other device is logged out). */
  everywhere?: boolean;
}

/**
 * What this device still keeps for a user whose session ended without a logout here (logged out
 * everywhere from another device, password changed, token expired): see `keptUnsent()`.
 */
export interface KeptUnsent {
  /** Whose messages these are: they are sent only if this user logs in again. */
  user: User;
  /** The messages not sent yet (pending or failed), oldest first. */
  entries: OutboxEntry[];
}

/** What `whoami()` answers. */
export interface WhoAmI {
  /** The authenticated user. */
  user: User;
  /** This device's session. */
  session: SessionInfo;
}

// ---------------------------------------------------------------------------------------------
// Contacts

/** A blocked user and when they were blocked. */
export interface BlockedUser {
  user: User;
  /** When the block was made (server clock). */
  ts: number;
}

/** A change to the user's contacts, as the update stream carries it. */
export type ContactChange = Extract<
  Update,
  {
    kind:
      | 'friend_request'
      | 'friend_request_closed'
      | 'friend_added'
      | 'friend_updated'
      | 'friend_removed'
      | 'blocked'
      | 'unblocked'
      | 'privacy';
  }
>;

/** The user's contacts as the SDK keeps them (`client.contactsState`, the `contacts` event). */
export interface ContactsState {
  /** False until the list was first loaded from the server after logging in. */
  loaded: boolean;
  /** Friends, in the order they were added. */
  friends: Friend[];
  /** Requests to the user waiting for an answer, newest first. */
  incoming: FriendRequest[];
  /** The user's own requests waiting for an answer, newest first. */
  outgoing: FriendRequest[];
  blocked: BlockedUser[];
  /**
   * Who may start a direct chat with the user and message them: `friends` or `everyone` (the
   * server's default until the user chooses); null before the list was loaded.
   */
  directMessages: DirectMessageSetting | null;
}

/** What `editFriend` sets; null clears the field. */
export interface FriendLabels {
  /** The private display name for this friend. */
  remark: string | null;
  /** The group this friend is listed under. */
  grouping: string | null;
}

// ---------------------------------------------------------------------------------------------
// Errors

/**
 * The `code` of a {@link ParleyError}: a server error code, or one the SDK adds itself:
 * - `timeout`: no reply within `requestTimeoutMs`;
 * - `disconnected`: not connected (and no connection came within `requestTimeoutMs`), the
 *   connection dropped before the reply, or the client was closed.
 */
export type ParleyErrorCode = ErrorCode | 'timeout' | 'disconnected' | 'cancelled';

// ---------------------------------------------------------------------------------------------
// Files: uploads and downloads over HTTP (docs/sdk.md, "Files")

/**
 * Node's `fs.ReadStream` of a file on disk, from `fileSource(path)` in `@parley/client/node`.
 * Typed loosely here so this entry does not import Node's types.
 */
export interface NodeFileSource {
  kind: 'node-file';
  /** An `fs.ReadStream` with its `path`, so an upload can re-read from any offset. */
  stream: unknown;
  /** Bytes in the file. */
  size: number;
  /** The file's name (without directories). */
  name: string;
}

/** What `upload()` takes: a browser `File` or `Blob`, bytes in memory, or a Node file. */
export type UploadSource = Blob | Uint8Array | NodeFileSource;

export interface UploadOptions {
  /** The file name others see; default: the File's or NodeFileSource's name, else "file". */
  name?: string;
  /** Bytes per PATCH request; default: the whole rest of the file in one request. */
  chunkSize?: number;
}

/**
 * - `uploading`: bytes are going out (or the upload is being created).
 * - `waiting`: the connection broke; it continues by itself (after a delay, or once the client
 *   is online again) from what the server has.
 * - `paused`: `pause()` was called; `resume()` continues from what the server has.
 * - `done`: the server has the whole file: `file` describes it.
 * - `failed`: refused for good (`error` says why: `too_large`, `invalid`...).
 * - `cancelled`: `cancel()` was called; the server removed what it had.
 */
export type UploadStatus = 'uploading' | 'waiting' | 'paused' | 'done' | 'failed' | 'cancelled';

export interface UploadEvents {
  /** More bytes reached the server (`sent` of `total`). */
  progress: { sent: number; total: number };
  /** The upload's status changed. */
  status: { status: UploadStatus };
}

/** One upload under way: `client.upload(source)`. */
export interface FileUpload {
  readonly status: UploadStatus;
  /** Bytes the server has confirmed so far. */
  readonly sent: number;
  readonly total: number;
  /** The stored file, once `done`. */
  readonly file: FileDescriptor | null;
  /** Resolves with the stored file; rejects with a ParleyError when it fails or is cancelled. */
  readonly done: Promise<FileDescriptor>;
  on<E extends keyof UploadEvents>(event: E, handler: (event: UploadEvents[E]) => void): () => void;
  /** Stops sending; the server keeps what it has (until the abandon time, a day by default). */
  pause(): void;
  /** Continues a paused (or waiting) upload from what the server has. */
  resume(): void;
  /** Stops and asks the server to delete the partial upload; `done` rejects with `cancelled`. */
  cancel(): Promise<void>;
}

/** Options of `send` and `sendAndWait`. */
export interface SendOptions {
  /** A file this user uploaded (`upload().done` gives its `fileId`); the body may then be empty. */
  attachment?: SendAttachment;
}

/** What `sendFile()` does in one call: upload, then send the message carrying the file. */
export interface SendFileOptions extends UploadOptions {
  /** Text sent with the file (default: none). */
  body?: string;
  /** `voice` for a recording (with `durationMs`); default: `image` for images, else `file`. */
  kind?: AttachmentKind;
  /** Length of a voice recording, ms. */
  durationMs?: number;
}

export interface SentFile {
  /** The upload: progress, pause, resume, cancel. */
  upload: FileUpload;
  /** Resolves with the sent message's outbox entry once the upload is done and it is stored. */
  message: Promise<OutboxEntry>;
}

export interface DownloadOptions {
  /** The image's small WebP preview instead of the file. */
  thumbnail?: boolean;
  /** Extra request headers (`Range`, `If-Range`...). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}
