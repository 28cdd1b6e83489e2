/**
 * The Store port: everything the domain needs from durable storage, and nothing about SQL. Two
 * adapters implement it (SQLite, PostgreSQL) over one Kysely query layer; one contract suite
 * (test/store-contract.ts) runs against both.
 *
 * Every write method is one transaction: it either happens whole or not at all. Methods that
 * create updates assign each affected user the next `pts` of their update stream inside that
 * same transaction, so the stream is gap-free and ordered per user.
 */
import type {
  Contacts,
  Attachment,
  ConversationInfo,
  ConversationSummary,
  DirectMessageSetting,
  Message,
  PresenceChoice,
  Update,
  User,
} from '@parley/protocol';

export interface UserRecord extends User {
  passwordHash: string;
  createdAt: number;
}

export interface SessionRecord {
  id: number;
  userId: number;
  device: string;
  createdAt: number;
  expiresAt: number;
  /** Highest pts this device has acknowledged (its delivered cursor). */
  ackedPts: number;
  /** When the device last logged in or resumed with its token. */
  lastSeenAt: number;
}

export interface NewSession {
  userId: number;
  /** SHA-256 of the token, hex. The token itself is never stored. */
  tokenHash: string;
  device: string;
  expiresAt: number;
  /**
   * The password hash the login verified. The session is created only while it is still the
   * user's hash, so a login that raced a password change cannot keep a session.
   */
  verifiedPasswordHash: string;
  /** The user keeps at most this many live sessions; the least recently seen are revoked. */
  maxPerUser: number;
}

export type CreateSessionResult =
  | {
      kind: 'created';
      session: SessionRecord;
      /** Sessions revoked to stay within `maxPerUser`, ascending ids. */
      revoked: number[];
    }
  /** The password changed since it was verified: nothing was written. */
  | { kind: 'stale_password' };

export type CreateInvitedUserResult =
  | { kind: 'created'; user: UserRecord }
  | { kind: 'username_taken' }
  /** Unknown or already used: nothing was written. */
  | { kind: 'invalid_invite' };

/** One message to append, already validated and authorized by the domain. */
export interface NewMessage {
  conversationId: number;
  senderId: number;
  clientMsgId: string;
  body: string;
  /** The attachment, resolved by the domain from a file the sender uploaded. */
  attachment?: Attachment;
}

/** A finished upload, as stored. Its bytes are the blob `sha256` in the blob store. */
export interface FileRecord {
  /** Random, unguessable; never the hash. */
  id: string;
  ownerId: number;
  /** The upload it was made from (one file per upload). */
  uploadId: string;
  name: string;
  size: number;
  /** Sniffed from the bytes. */
  mime: string;
  /** `image`: a raster image shown inline; `file`: everything else, always downloaded. */
  media: 'image' | 'file';
  sha256: string;
  width: number | null;
  height: number | null;
  thumbnail: { sha256: string; width: number; height: number } | null;
  createdAt: number;
}

export type NewFile = Omit<FileRecord, 'createdAt'>;

/** What the store keeps of a user's presence; the live part is the node's (domain/presence.ts). */
export interface StoredPresence {
  userId: number;
  choice: PresenceChoice;
  lastSeenAt: number | null;
}

/** An update the store wrote for one user, ready to publish. */
export interface StoredUpdate {
  userId: number;
  pts: number;
  update: Update;
}

export type AppendResult =
  | {
      /** The message was stored now; `updates` were written for every member. */
      kind: 'stored';
      message: Message;
      updates: StoredUpdate[];
    }
  | {
      /** (senderId, clientMsgId) was stored before: the original message, nothing new written. */
      kind: 'duplicate';
      message: Message;
    }
  | {
      /**
       * This message alone could not be stored, and nothing of it was written; the rest of its
       * batch was stored as if it had not been there.
       */
      kind: 'refused';
      reason: RefusalReason;
      /** What the database said, for the operator's log; not for clients. */
      detail: string;
    };

export type RefusalReason =
  /** The message names a conversation that does not exist. */
  | 'conversation_not_found'
  /** The message names a sender, or its conversation a member, that does not exist. */
  | 'user_not_found'
  /** The database refused the message's data (a constraint, a value it cannot hold). */
  | 'rejected';

/** Where a conversation stands in the list order: (activity, id), both descending. */
export interface ConversationPosition {
  activityAt: number;
  id: number;
}

export interface ConversationPageQuery {
  after: ConversationPosition | null;
  limit: number;
}

export interface ListedConversation {
  summary: ConversationSummary;
  position: ConversationPosition;
}

export interface HistoryQuery {
  conversationId: number;
  /** Seq strictly below (newest first) or strictly above (oldest first); neither = newest. */
  before?: number;
  after?: number;
  limit: number;
}

export interface SearchQuery {
  userId: number;
  /** What the user typed; tokenized by search/tokenize.ts. No terms in it: no hits. */
  text: string;
  /** Only this conversation (still only when the user is in it). */
  conversationId?: number;
  /** Only hits strictly older than this position (the previous page's last). */
  before?: number;
  limit: number;
}

export interface SearchHit {
  message: Message;
  /** Where the hit stands in the index: larger is newer. Pass as `before` for the next page. */
  position: number;
}

export interface SearchPage {
  /** Newest first. */
  hits: SearchHit[];
  /** Older hits exist. */
  more: boolean;
}

/** One change to a user's contacts, made by that user; `peerId` is the other user. */
export type ContactChange =
  | { kind: 'request'; peerId: number; note: string }
  | { kind: 'accept'; peerId: number }
  | { kind: 'decline'; peerId: number }
  | { kind: 'cancel'; peerId: number }
  | { kind: 'remove'; peerId: number }
  | { kind: 'edit'; peerId: number; remark: string | null; grouping: string | null }
  | { kind: 'block'; peerId: number }
  | { kind: 'unblock'; peerId: number }
  | { kind: 'privacy'; directMessages: DirectMessageSetting };

/** Why a contact change was not made; nothing was written. */
export type ContactRefusal =
  /** No such user, request, friend or block (as the change needed). */
  | 'not_found'
  | 'already_friends'
  | 'already_requested'
  /** One of the two blocked the other. */
  | 'blocked'
  /** A per-user bound (limits.ts: friends, pending requests, blocks). */
  | 'limit_reached';

export type ContactChangeResult =
  /** Made; `updates` (possibly none, for a change that was already so) were written. */
  { kind: 'changed'; updates: StoredUpdate[] } | { kind: 'refused'; reason: ContactRefusal };

/** A user's contacts as stored: the privacy setting is null when the user never chose. */
export type StoredContacts = Omit<Contacts, 'directMessages'> & {
  directMessages: DirectMessageSetting | null;
};

/** What decides whether `senderId` may message `peerId` in their direct conversation. */
export interface MessagingState {
  /** Either blocked the other. */
  blocked: boolean;
  friends: boolean;
  /** The peer's privacy setting; null when they never chose (the server's default applies). */
  peerDirectMessages: DirectMessageSetting | null;
  /** The peer has written in their direct conversation: the sender may answer, whatever the setting. */
  peerHasWritten: boolean;
}

export interface Store {
  // Accounts -----------------------------------------------------------------------------------
  /** Returns null when the username is taken. */
  createUser(username: string, passwordHash: string, now: number): Promise<UserRecord | null>;
  /** Creates the user and uses up the invite (SHA-256 of its code) in one transaction. */
  createInvitedUser(
    username: string,
    passwordHash: string,
    inviteCodeHash: string,
    now: number,
  ): Promise<CreateInvitedUserResult>;
  /** Stores a new unused invite (SHA-256 of its code). */
  createInvite(codeHash: string, now: number): Promise<void>;
  findUserByUsername(username: string): Promise<UserRecord | null>;
  findUserById(id: number): Promise<UserRecord | null>;
  /**
   * Sets a new password hash and revokes every live session of the user but `keepSessionId`, in
   * one transaction; returns the revoked ids.
   */
  changePassword(
    userId: number,
    passwordHash: string,
    keepSessionId: number,
    now: number,
  ): Promise<number[]>;

  // Sessions (one per logged-in device) -----------------------------------------------------------
  /**
   * In one transaction: checks that the verified password hash is still the user's, creates the
   * session and revokes the least recently seen ones past `maxPerUser`.
   */
  createSession(session: NewSession, now: number): Promise<CreateSessionResult>;
  /** A live session by token hash: null when unknown, revoked or expired at `now`. */
  findSession(tokenHash: string, now: number): Promise<SessionRecord | null>;
  /** The user's live sessions at `now`, most recently seen first. */
  listSessions(userId: number, now: number): Promise<SessionRecord[]>;
  /** Records that the device resumed its session at `now`. */
  touchSession(sessionId: number, now: number): Promise<void>;
  revokeSession(sessionId: number, now: number): Promise<void>;
  /** Revokes one live session if it is the user's; false when there was none to revoke. */
  revokeUserSession(userId: number, sessionId: number, now: number): Promise<boolean>;
  /** Revokes every live session of the user except `exceptSessionId`; returns the revoked ids. */
  revokeUserSessions(
    userId: number,
    exceptSessionId: number | null,
    now: number,
  ): Promise<number[]>;
  /** Raises each device's delivered cursor (never lowers it), all in one transaction. */
  ackSessions(acks: ReadonlyArray<{ sessionId: number; pts: number }>): Promise<void>;

  // Conversations --------------------------------------------------------------------------------
  /**
   * The direct conversation of two distinct users, created on first use. On creation a
   * `conversation` update is written for both users.
   */
  openDirect(
    userId: number,
    peerId: number,
    now: number,
  ): Promise<{ conversation: ConversationInfo; created: boolean; updates: StoredUpdate[] }>;
  /** The user's view of one conversation, or null when the user is not a member. */
  conversationFor(userId: number, conversationId: number): Promise<ConversationSummary | null>;
  /**
   * A page of the user's conversations, newest activity first: at most `limit`, starting after
   * `after` (the position of the previous page's last one) when given.
   */
  listConversations(userId: number, page: ConversationPageQuery): Promise<ListedConversation[]>;
  /** Ids of the conversation's members; empty when it does not exist. */
  members(conversationId: number): Promise<number[]>;

  // Messages ---------------------------------------------------------------------------------------
  /**
   * Appends a batch of messages in ONE transaction (group commit: one fsync for the batch), in
   * order. Each gets its conversation's next seq; a (senderId, clientMsgId) already stored returns
   * the original instead. Results are in the order of `batch`.
   *
   * Each message succeeds or fails on its own: a message the database refuses comes back
   * `refused`, and every other message of the batch is stored. Only a failure of the database
   * itself (not of one message's data) rejects the whole batch, with nothing written.
   */
  appendMessages(batch: readonly NewMessage[], now: number): Promise<AppendResult[]>;
  /** A page of messages, always returned in ascending seq order. */
  history(query: HistoryQuery): Promise<{ messages: Message[]; hasMore: boolean }>;
  /**
   * Messages matching every term of the query, in conversations the user is a member of,
   * newest first. Chinese and English alike (see search/tokenize.ts).
   */
  search(query: SearchQuery): Promise<SearchPage>;
  /**
   * Moves the user's read cursor forward to `seq` (clamped to the conversation's last seq; never
   * backwards) and writes a `read` update for every member. Returns no updates if it did not move.
   */
  markRead(
    userId: number,
    conversationId: number,
    seq: number,
    now: number,
  ): Promise<StoredUpdate[]>;

  // Contacts (friends, requests, blocks, privacy) ----------------------------------------------------
  /**
   * Makes one change to `userId`'s contacts in one transaction, with the updates it means for
   * both users (both users' rows are locked first, so concurrent changes of a pair queue).
   */
  changeContacts(userId: number, change: ContactChange, now: number): Promise<ContactChangeResult>;
  /** The user's friends, pending requests both ways, blocked users and privacy setting. */
  contacts(userId: number): Promise<StoredContacts>;
  /** What decides whether `senderId` may open a direct chat with `peerId` and write there. */
  messagingState(senderId: number, peerId: number): Promise<MessagingState>;
  // Files ------------------------------------------------------------------------------------------
  /**
   * Records a finished upload. One file per upload: when `uploadId` already has one, that one is
   * returned and nothing is written (two requests finishing the same upload agree).
   */
  createFile(file: NewFile, now: number): Promise<FileRecord>;
  findFile(fileId: string): Promise<FileRecord | null>;
  findFileByUpload(uploadId: string): Promise<FileRecord | null>;
  /**
   * The file, when `userId` may download it: its uploader, or a member of a conversation in
   * which a message carries it. Null otherwise, and for an unknown id (the caller cannot tell).
   */
  readableFile(userId: number, fileId: string): Promise<FileRecord | null>;
  /**
   * Deletes the file's row; returns the blobs (SHA-256) no other file names any more, which the
   * caller may now delete. Messages that carried it keep their attachment, which no longer
   * downloads.
   */
  deleteFile(fileId: string): Promise<string[]>;

  // Update stream ------------------------------------------------------------------------------------
  // Presence -------------------------------------------------------------------------------------

  /** The stored presence of these users (unknown ids are left out). */
  presenceOf(userIds: readonly number[]): Promise<StoredPresence[]>;
  setPresenceChoice(userId: number, choice: PresenceChoice): Promise<void>;
  setLastSeen(userId: number, at: number): Promise<void>;
  /** Who may see `userId`'s presence: friends and conversation peers, minus blocks either way. */
  contactsOf(userId: number): Promise<number[]>;

  /** The user's current pts (0 before any update). */
  currentPts(userId: number): Promise<number>;
  /** Updates with pts > afterPts, ascending, at most `limit`. */
  updatesSince(userId: number, afterPts: number, limit: number): Promise<StoredUpdate[]>;

  // Lifecycle ------------------------------------------------------------------------------------------
  /** Cheap round trip for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
