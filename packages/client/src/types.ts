/**
 * The SDK's public surface: options, states, events and the records it hands out. Everything the
 * terminal and web clients (and bots) see of the SDK is declared here.
 */
import type {
  ConversationInfo,
  ConversationSummary,
  ErrorCode,
  Limits,
  Message,
  SessionInfo,
  User,
} from '@parley/protocol';

export type {
  ConversationInfo,
  ConversationSummary,
  ErrorCode,
  Limits,
  Message,
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
  close(): void;
}

/** Opens a connection to `url`; reports through `handlers`. */
export type TransportFactory = (url: string, handlers: TransportHandlers) => Transport;

// ---------------------------------------------------------------------------------------------
// Persistence (token, cursor and outbox survive a reload or a restart of the program)

/** What the SDK keeps between runs. */
export interface PersistedState {
  token: string | null;
  user: User | null;
  /** The last update pts applied: the one number a reconnect resumes from. */
  pts: number | null;
  outbox: OutboxEntry[];
}

export interface ClientStorage {
  load(): Promise<PersistedState | null>;
  save(state: PersistedState): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Options

export interface ClientOptions {
  /** `ws://host:8080/ws`, `wss://...`, `tcp://host:8081` or `tls://...` (the factory must fit). */
  url: string;
  transport: TransportFactory;
  /** Defaults to memory only. */
  storage?: ClientStorage;
  /** Shown in the user's device list; defaults to "parley-sdk". */
  device?: string;
  /** Client name and version sent in hello, for server logs. */
  clientName?: string;
  /** Reconnect backoff: full jitter between 0 and min(maxDelayMs, minDelayMs * 2^attempt). */
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
  /** How long a request waits for its reply before failing with `timeout`. Default 15 s. */
  requestTimeoutMs?: number;
}

// ---------------------------------------------------------------------------------------------
// Connection state machine

/**
 * - `idle`: not started (before `connect()`).
 * - `connecting`: opening the transport and saying hello.
 * - `unauthenticated`: connected, no session: call `login()` or `register()`.
 * - `syncing`: authenticated, replaying what was missed since the cursor.
 * - `online`: caught up; live updates flow and the outbox drains.
 * - `reconnecting`: the connection dropped; the next attempt is at `retryAt`.
 * - `closed`: `close()` was called or the session ended (logged out, revoked).
 */
export type ConnectionState =
  | { status: 'idle' }
  | { status: 'connecting'; attempt: number }
  | { status: 'unauthenticated' }
  | { status: 'syncing' }
  | { status: 'online' }
  | { status: 'reconnecting'; attempt: number; retryAt: number; lastError: string }
  | { status: 'closed'; reason: string };

export type ConnectionStatus = ConnectionState['status'];

// ---------------------------------------------------------------------------------------------
// Outbox

/**
 * - `pending`: waiting to go out or for its ack (survives reconnects and restarts).
 * - `sent`: acknowledged: durable on the server with `seq`.
 * - `failed`: the server refused it for good (`error` says why); `retry()` re-queues it.
 */
export type OutboxEntry =
  | {
      status: 'pending';
      clientMsgId: string;
      conversationId: number;
      body: string;
      createdAt: number;
    }
  | {
      status: 'sent';
      clientMsgId: string;
      conversationId: number;
      body: string;
      createdAt: number;
      seq: number;
      ts: number;
    }
  | {
      status: 'failed';
      clientMsgId: string;
      conversationId: number;
      body: string;
      createdAt: number;
      error: { code: ErrorCode | 'timeout'; message: string };
    };

// ---------------------------------------------------------------------------------------------
// Events

export interface ClientEvents {
  /** The connection state changed. */
  state: ConnectionState;
  /** Connected and the server's limits are known. */
  welcome: { limits: Limits; serverTime: number };
  /** Logged in, registered or resumed with a stored token. */
  authenticated: { user: User; session: SessionInfo };
  /** The stored session is no longer valid (expired, revoked, logged out elsewhere). */
  sessionEnded: { reason: string };
  /** A message arrived, live or during sync, including the user's own from any device. */
  message: { message: Message; live: boolean };
  /** A member's read cursor moved (the user's own from another device, or a peer's). */
  read: { conversationId: number; userId: number; seq: number };
  /** A conversation the user is in was created (or first seen). */
  conversation: { conversation: ConversationInfo };
  /** An outbox entry was added or changed status. */
  outbox: { entry: OutboxEntry };
  /** Sync finished: the device is caught up to `pts`. */
  synced: { pts: number };
}

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

export interface LogoutOptions {
  /** Also end every other session of this user (every other device is logged out). */
  everywhere?: boolean;
}

/** What `whoami()` answers. */
export interface WhoAmI {
  /** The authenticated user. */
  user: User;
  /** This device's session. */
  session: SessionInfo;
}

// ---------------------------------------------------------------------------------------------
// Errors

/**
 * The `code` of a {@link ParleyError}: a server error code, or one the SDK adds itself:
 * - `timeout`: no reply within `requestTimeoutMs`;
 * - `disconnected`: not connected (and no connection came within `requestTimeoutMs`), the
 *   connection dropped before the reply, or the client was closed.
 */
export type ParleyErrorCode = ErrorCode | 'timeout' | 'disconnected';
