/** Presence that outlives a connection: each user's chosen status and last-seen time. */
import type { PresenceChoice } from '@parley/protocol';
import type { StoredPresence } from '../store.js';
import type { QueryContext } from './context.js';

export async function presenceOf(
  { db }: QueryContext,
  userIds: readonly number[],
): Promise<StoredPresence[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select(['id', 'presence_choice', 'last_seen_at'])
    .where('id', 'in', [...userIds])
    .execute();
  return rows.map((row) => ({
    userId: row.id,
    choice: row.presence_choice,
    lastSeenAt: row.last_seen_at,
  }));
}

export async function setPresenceChoice(
  { db }: QueryContext,
  userId: number,
  choice: PresenceChoice,
): Promise<void> {
  await db.updateTable('users').set({ presence_choice: choice }).where('id', '=', userId).execute();
}

export async function setLastSeen({ db }: QueryContext, userId: number, at: number): Promise<void> {
  await db.updateTable('users').set({ last_seen_at: at }).where('id', '=', userId).execute();
}

/**
 * Who may see `userId`'s presence: friends and the users one shares a conversation with, except
 * anyone either of the two has blocked.
 */
export async function contactsOf({ db }: QueryContext, userId: number): Promise<number[]> {
  const [shared, friends, blocked] = await Promise.all([
    db
      .selectFrom('conversation_members as mine')
      .innerJoin('conversation_members as theirs', 'theirs.conversation_id', 'mine.conversation_id')
      .select('theirs.user_id as id')
      .distinct()
      .where('mine.user_id', '=', userId)
      .where('theirs.user_id', '!=', userId)
      .execute(),
    db.selectFrom('friendships').select('friend_id as id').where('user_id', '=', userId).execute(),
    db
      .selectFrom('blocks')
      .select('blocked_id as id')
      .where('user_id', '=', userId)
      .union(db.selectFrom('blocks').select('user_id as id').where('blocked_id', '=', userId))
      .execute(),
  ]);
  const excluded = new Set(blocked.map((row) => row.id));
  const ids = new Set([...shared, ...friends].map((row) => row.id));
  return [...ids].filter((id) => !excluded.has(id));
}
