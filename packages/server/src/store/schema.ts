/**
 * The database as Kysely sees it: one interface per table, column names as in SQL. Counters and
 * timestamps are int8 in PostgreSQL and come back as JS numbers (the pool's type parser converts
 * them; values stay far below 2^53). Timestamps are milliseconds since the Unix epoch.
 */
import type { Generated, Insertable, Selectable } from 'kysely';
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
}

export type UpdateKindColumn = 'conversation' | 'message' | 'read';

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
  /** Whose read cursor moved (read); null otherwise. */
  actor_user_id: number | null;
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
}

export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type NewUserUpdateRow = Insertable<UserUpdatesTable>;
