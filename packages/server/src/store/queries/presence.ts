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

/** The users who share a conversation with `userId`: who may see their presence. */
export async function contactsOf({ db }: QueryContext, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('conversation_members as mine')
    .innerJoin('conversation_members as theirs', 'theirs.conversation_id', 'mine.conversation_id')
    .select('theirs.user_id')
    .distinct()
    .where('mine.user_id', '=', userId)
    .where('theirs.user_id', '!=', userId)
    .execute();
  return rows.map((row) => row.user_id);
}
