/**
 * The database as Kysely sees it: one interface per table, column names as in SQL. Counters and
 * timestamps are int8 in PostgreSQL and come back as JS numbers (the pool's type parser converts
 * them; values stay far below 2^53). Timestamps are milliseconds since the Unix epoch.
 */
import type { Generated, Insertable, Selectable } from 'kysely';
import type { UpdateKind } from '@parley/protocol';
import type { PresenceChoice } from '@parley/protocol';

/** The SQL dialects the store runs on; the query layer is shared, a few details differ. */
export type SqlDialect = 'sqlite' | 'postgres';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  created_at: number;
  /** The user's update-stream counter: the pts of their newest update (0 before any). */
  pts: Generated<number>;
  /** Who may message the user (DirectMessageSetting); null: the server's default. */
  direct_messages: string | null;
  /** What the user chose for all their devices (migration 005). */
  presence_choice: Generated<PresenceChoice>;
  /** When the user was last connected and not invisible; null before (migration 005). */
  last_seen_at: number | null;
}

export interface SessionsTable {
  id: Generated<number>;
  user_id: number;
  /** SHA-256 of the session token, hex. */
  token_hash: string;
  device: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  /** Highest pts the device acknowledged. */
  acked_pts: Generated<number>;
  /** When the device last logged in or resumed with its token (null only before migration 002). */
  last_seen_at: number | null;
}

/** Single-use registration codes (invite-only servers). */
export interface InvitesTable {
  /** SHA-256 of the code, hex. */
  code_hash: string;
  created_at: number;
  used_at: number | null;
  used_by: number | null;
}

export type ConversationKind = 'direct';

export interface ConversationsTable {
  id: Generated<number>;
  kind: ConversationKind;
  /** "<smaller user id>:<larger user id>" for direct conversations: at most one per pair. */
  direct_key: string | null;
  /** Seq of the newest message; the next message gets last_seq + 1. */
  last_seq: Generated<number>;
  created_at: number;
  last_activity_at: number;
}

export interface ConversationMembersTable {
  conversation_id: number;
  user_id: number;
  /** Every message up to this seq has been read by this member. */
  read_seq: Generated<number>;
  joined_at: number;
}

export interface MessagesTable {
  conversation_id: number;
  seq: number;
  sender_id: number;
  client_msg_id: string;
  body: string;
  created_at: number;
  /** The attachment as sent, JSON (null: none). Migration 003. */
  attachment: string | null;
  /** The attachment's file id, for download checks (null: none). Migration 003. */
  file_id: string | null;
}

export type FileMedia = 'image' | 'file';

/** One finished upload. Its bytes are the blob `sha256` (and thumbnail `thumb_sha256`). */
export interface FilesTable {
  id: string;
  owner_id: number;
  upload_id: string;
  name: string;
  size: number;
  mime: string;
  media: FileMedia;
  sha256: string;
  width: number | null;
  height: number | null;
  thumb_sha256: string | null;
  thumb_width: number | null;
  thumb_height: number | null;
  created_at: number;
}

/** Update kinds whose row points at a conversation; every other kind carries a `payload`. */
export type ConversationUpdateKind = 'conversation' | 'message' | 'read';
export type UpdateKindColumn = UpdateKind;

/**
 * One entry of a user's update stream. It references what changed instead of copying it: a
 * `message` update points at messages (conversation_id, seq); a `read` update carries the reader
 * (actor_user_id) and the new cursor (seq); a `conversation` update points at the conversation.
 */
export interface UserUpdatesTable {
  user_id: number;
  pts: number;
  kind: UpdateKindColumn;
  conversation_id: number;
  /** The message's seq (message) or the new read cursor (read); 0 for conversation. */
  seq: number;
  /** Whose read cursor moved (read), the other user (friend kinds); null otherwise. */
  actor_user_id: number | null;
  created_at: number;
  /** JSON of the update itself, for kinds that do not point at a conversation (friends). */
  payload: string | null;
}

export interface FriendRequestsTable {
  from_user_id: number;
  to_user_id: number;
  note: string;
  created_at: number;
}

/** One row per side of a friendship: (user, friend) with the user's remark and grouping. */
export interface FriendshipsTable {
  user_id: number;
  friend_id: number;
  remark: string | null;
  grouping: string | null;
  created_at: number;
}

export interface BlocksTable {
  user_id: number;
  blocked_id: number;
  created_at: number;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  invites: InvitesTable;
  conversations: ConversationsTable;
  conversation_members: ConversationMembersTable;
  messages: MessagesTable;
  user_updates: UserUpdatesTable;
  friend_requests: FriendRequestsTable;
  friendships: FriendshipsTable;
  blocks: BlocksTable;
  files: FilesTable;
}

export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type FileRow = Selectable<FilesTable>;
export type NewUserUpdateRow = Insertable<UserUpdatesTable>;
