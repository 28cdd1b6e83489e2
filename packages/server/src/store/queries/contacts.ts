/** Reading a user's contacts: friends, pending requests, blocks, privacy, and who may message. */
import type { DirectMessageSetting, Friend, FriendRequest, User } from '@parley/protocol';
import { MAX_LISTED_INCOMING_REQUESTS } from '@parley/protocol';
import type { MessagingState, StoredContacts } from '../store.js';
import type { Db, QueryContext } from './context.js';
import { directKey } from './conversations.js';

/** The stored setting as the protocol names it; anything else (never written) is "not chosen". */
export function directMessagesOf(value: string | null): DirectMessageSetting | null {
  return value === 'friends' || value === 'everyone' ? value : null;
}

export async function userOf(db: Db, id: number): Promise<User | null> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ?? null;
}

/** `userId`'s view of one friend, or null when they are not friends. */
export async function friendOf(db: Db, userId: number, friendId: number): Promise<Friend | null> {
  const row = await db
    .selectFrom('friendships as f')
    .innerJoin('users as u', 'u.id', 'f.friend_id')
    .select(['u.id', 'u.username', 'f.remark', 'f.grouping', 'f.created_at'])
    .where('f.user_id', '=', userId)
    .where('f.friend_id', '=', friendId)
    .executeTakeFirst();
  return row === undefined ? null : toFriend(row);
}

function toFriend(row: {
  id: number;
  username: string;
  remark: string | null;
  grouping: string | null;
  created_at: number;
}): Friend {
  return {
    user: { id: row.id, username: row.username },
    remark: row.remark,
    grouping: row.grouping,
    since: row.created_at,
  };
}

export async function contacts({ db }: QueryContext, userId: number): Promise<StoredContacts> {
  const me = await db
    .selectFrom('users')
    .select(['id', 'username', 'direct_messages'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (me === undefined) {
    return { friends: [], incoming: [], outgoing: [], blocked: [], directMessages: null };
  }
  const self: User = { id: me.id, username: me.username };

  const friends = await db
    .selectFrom('friendships as f')
    .innerJoin('users as u', 'u.id', 'f.friend_id')
    .select(['u.id', 'u.username', 'f.remark', 'f.grouping', 'f.created_at'])
    .where('f.user_id', '=', userId)
    .orderBy('f.created_at')
    .orderBy('f.friend_id')
    .execute();

  const incoming = await db
    .selectFrom('friend_requests as r')
    .innerJoin('users as u', 'u.id', 'r.from_user_id')
    .select(['u.id', 'u.username', 'r.note', 'r.created_at'])
    .where('r.to_user_id', '=', userId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.from_user_id', 'desc')
    .limit(MAX_LISTED_INCOMING_REQUESTS)
    .execute();

  const outgoing = await db
    .selectFrom('friend_requests as r')
    .innerJoin('users as u', 'u.id', 'r.to_user_id')
    .select(['u.id', 'u.username', 'r.note', 'r.created_at'])
    .where('r.from_user_id', '=', userId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.to_user_id', 'desc')
    .execute();

  const blocked = await db
    .selectFrom('blocks as b')
    .innerJoin('users as u', 'u.id', 'b.blocked_id')
    .select(['u.id', 'u.username', 'b.created_at'])
    .where('b.user_id', '=', userId)
    .orderBy('b.created_at')
    .orderBy('b.blocked_id')
    .execute();

  const peer = (row: { id: number; username: string }): User => ({
    id: row.id,
    username: row.username,
  });
  return {
    friends: friends.map(toFriend),
    incoming: incoming.map((row): FriendRequest => ({
      from: peer(row),
      to: self,
      note: row.note,
      ts: row.created_at,
    })),
    outgoing: outgoing.map((row): FriendRequest => ({
      from: self,
      to: peer(row),
      note: row.note,
      ts: row.created_at,
    })),
    blocked: blocked.map((row) => ({ user: peer(row), ts: row.created_at })),
    directMessages: directMessagesOf(me.direct_messages),
  };
}

/** Whether either of the two blocked the other. */
export async function blockedEither(db: Db, a: number, b: number): Promise<boolean> {
  const row = await db
    .selectFrom('blocks')
    .select('user_id')
    .where((eb) =>
      eb.or([
        eb.and([eb('user_id', '=', a), eb('blocked_id', '=', b)]),
        eb.and([eb('user_id', '=', b), eb('blocked_id', '=', a)]),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

export async function areFriends(db: Db, a: number, b: number): Promise<boolean> {
  const row = await db
    .selectFrom('friendships')
    .select('user_id')
    .where('user_id', '=', a)
    .where('friend_id', '=', b)
    .executeTakeFirst();
  return row !== undefined;
}

export async function messagingState(
  { db }: QueryContext,
  senderId: number,
  peerId: number,
): Promise<MessagingState> {
  const peer = await db
    .selectFrom('users')
    .select('direct_messages')
    .where('id', '=', peerId)
    .executeTakeFirst();
  const written = await db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select('m.seq')
    .where('c.direct_key', '=', directKey(senderId, peerId))
    .where('m.sender_id', '=', peerId)
    .limit(1)
    .executeTakeFirst();
  return {
    blocked: await blockedEither(db, senderId, peerId),
    friends: await areFriends(db, senderId, peerId),
    peerDirectMessages: directMessagesOf(peer?.direct_messages ?? null),
    peerHasWritten: written !== undefined,
  };
}
