/**
 * Changing a user's contacts: friend requests and their answers, removing friends, remarks and
 * groupings, blocks, the privacy setting. Each change is one transaction that locks both users'
 * rows first (UpdateWriter.open), then reads the pair's state, so two changes of one pair (a
 * request crossing a block, two accepts) apply one after the other. Refusals are checked before
 * anything is written.
 */
import {
  MAX_BLOCKED,
  MAX_FRIENDS,
  MAX_PENDING_FRIEND_REQUESTS,
  type DirectMessageSetting,
  type FriendRequest,
  type User,
} from '@parley/protocol';
import type { ContactChange, ContactChangeResult, ContactRefusal, StoredUpdate } from '../store.js';
import { sql } from 'kysely';
import { inTransaction, type Db, type QueryContext } from './context.js';
import { areFriends, blockedEither, friendOf, userOf } from './contacts.js';
import { UpdateWriter } from './update-writer.js';

const refused = (reason: ContactRefusal): ContactChangeResult => ({ kind: 'refused', reason });

/** One change in flight: the transaction, both users and where their updates go. */
interface Pair {
  trx: Db;
  me: User;
  peer: User;
  writer: UpdateWriter;
  updates: StoredUpdate[];
  now: number;
}

export async function changeContacts(
  ctx: QueryContext,
  userId: number,
  change: ContactChange,
  now: number,
): Promise<ContactChangeResult> {
  return inTransaction(ctx, async (trx) => {
    if (change.kind === 'privacy') return setPrivacy(ctx, trx, userId, change.directMessages, now);
    if (change.peerId === userId) return refused('not_found');
    const me = await userOf(trx, userId);
    const peer = await userOf(trx, change.peerId);
    if (me === null || peer === null) return refused('not_found');
    const writer = await UpdateWriter.open(ctx, trx, [me.id, peer.id], now);
    const pair: Pair = { trx, me, peer, writer, updates: [], now };
    const refusal = await apply(pair, change);
    if (refusal !== null) return refused(refusal);
    await writer.write();
    return { kind: 'changed', updates: pair.updates };
  });
}

/** Makes the change, or says why not (before writing anything). */
async function apply(
  pair: Pair,
  change: Exclude<ContactChange, { kind: 'privacy' }>,
): Promise<ContactRefusal | null> {
  const { trx, me, peer } = pair;
  switch (change.kind) {
    case 'request': {
      if (await blockedEither(trx, me.id, peer.id)) return 'blocked';
      if (await areFriends(trx, me.id, peer.id)) return 'already_friends';
      // They asked first: asking back is saying yes.
      if (await requestExists(trx, peer.id, me.id)) return befriend(pair);
      if (await requestExists(trx, me.id, peer.id)) return 'already_requested';
      if ((await countRows(trx, 'pending_requests', me.id)) >= MAX_PENDING_FRIEND_REQUESTS)
        return 'limit_reached';
      if ((await countRows(trx, 'friends', me.id)) >= MAX_FRIENDS) return 'limit_reached';
      await trx
        .insertInto('friend_requests')
        .values({
          from_user_id: me.id,
          to_user_id: peer.id,
          note: change.note,
          created_at: pair.now,
        })
        .execute();
      const request: FriendRequest = { from: me, to: peer, note: change.note, ts: pair.now };
      toBoth(pair, () => ({ kind: 'friend_request', request }));
      return null;
    }
    case 'accept':
      if (!(await requestExists(trx, peer.id, me.id))) return 'not_found';
      return befriend(pair);
    case 'decline':
      return (await closeRequest(pair, peer.id, me.id)) ? null : 'not_found';
    case 'cancel':
      return (await closeRequest(pair, me.id, peer.id)) ? null : 'not_found';
    case 'remove':
      return (await endFriendship(pair)) ? null : 'not_found';
    case 'edit': {
      const edited = await trx
        .updateTable('friendships')
        .set({ remark: change.remark, grouping: change.grouping })
        .where('user_id', '=', me.id)
        .where('friend_id', '=', peer.id)
        .returning('user_id')
        .executeTakeFirst();
      if (edited === undefined) return 'not_found';
      const friend = await friendOf(trx, me.id, peer.id);
      if (friend === null) throw new Error(`friendship ${me.id}/${peer.id} vanished while edited`);
      pair.updates.push(
        pair.writer.addStandalone(me.id, peer.id, { kind: 'friend_updated', friend }),
      );
      return null;
    }
    case 'block': {
      const already = await trx
        .selectFrom('blocks')
        .select('user_id')
        .where('user_id', '=', me.id)
        .where('blocked_id', '=', peer.id)
        .executeTakeFirst();
      if (already !== undefined) return null; // blocked already: nothing changes
      if ((await countRows(trx, 'blocks', me.id)) >= MAX_BLOCKED) return 'limit_reached';
      await trx
        .insertInto('blocks')
        .values({ user_id: me.id, blocked_id: peer.id, created_at: pair.now })
        .execute();
      await endFriendship(pair);
      await closeRequest(pair, me.id, peer.id);
      await closeRequest(pair, peer.id, me.id);
      // The blocked user is not told; only the blocker's devices learn of it.
      pair.updates.push(
        pair.writer.addStandalone(me.id, peer.id, { kind: 'blocked', user: peer, ts: pair.now }),
      );
      return null;
    }
    case 'unblock': {
      const removed = await trx
        .deleteFrom('blocks')
        .where('user_id', '=', me.id)
        .where('blocked_id', '=', peer.id)
        .returning('user_id')
        .executeTakeFirst();
      if (removed === undefined) return 'not_found';
      pair.updates.push(
        pair.writer.addStandalone(me.id, peer.id, { kind: 'unblocked', userId: peer.id }),
      );
      return null;
    }
    default: {
      const unknownChange: never = change;
      throw new Error(`unknown contact change ${JSON.stringify(unknownChange)}`);
    }
  }
}

/** Makes the two friends, ending the requests between them. */
async function befriend(pair: Pair): Promise<ContactRefusal | null> {
  const { trx, me, peer, now } = pair;
  for (const id of [me.id, peer.id]) {
    if ((await countRows(trx, 'friends', id)) >= MAX_FRIENDS) return 'limit_reached';
  }
  await closeRequest(pair, peer.id, me.id);
  await closeRequest(pair, me.id, peer.id);
  await trx
    .insertInto('friendships')
    .values([
      { user_id: me.id, friend_id: peer.id, remark: null, grouping: null, created_at: now },
      { user_id: peer.id, friend_id: me.id, remark: null, grouping: null, created_at: now },
    ])
    .execute();
  pair.updates.push(
    pair.writer.addStandalone(me.id, peer.id, {
      kind: 'friend_added',
      friend: { user: peer, remark: null, grouping: null, since: now },
    }),
    pair.writer.addStandalone(peer.id, me.id, {
      kind: 'friend_added',
      friend: { user: me, remark: null, grouping: null, since: now },
    }),
  );
  return null;
}

/** Deletes the request from -> to, telling both; false when there was none. */
async function closeRequest(pair: Pair, fromUserId: number, toUserId: number): Promise<boolean> {
  const deleted = await pair.trx
    .deleteFrom('friend_requests')
    .where('from_user_id', '=', fromUserId)
    .where('to_user_id', '=', toUserId)
    .returning('from_user_id')
    .executeTakeFirst();
  if (deleted === undefined) return false;
  toBoth(pair, () => ({ kind: 'friend_request_closed', fromUserId, toUserId }));
  return true;
}

/** Ends the friendship for both sides, telling both; false when they were not friends. */
async function endFriendship(pair: Pair): Promise<boolean> {
  const { trx, me, peer } = pair;
  const deleted = await trx
    .deleteFrom('friendships')
    .where((eb) =>
      eb.or([
        eb.and([eb('user_id', '=', me.id), eb('friend_id', '=', peer.id)]),
        eb.and([eb('user_id', '=', peer.id), eb('friend_id', '=', me.id)]),
      ]),
    )
    .returning('user_id')
    .execute();
  if (deleted.length === 0) return false;
  pair.updates.push(
    pair.writer.addStandalone(me.id, peer.id, { kind: 'friend_removed', userId: peer.id }),
    pair.writer.addStandalone(peer.id, me.id, { kind: 'friend_removed', userId: me.id }),
  );
  return true;
}

/** The same update to both users (it names both, so each side's copy is identical). */
function toBoth(pair: Pair, update: () => Parameters<UpdateWriter['addStandalone']>[2]): void {
  pair.updates.push(
    pair.writer.addStandalone(pair.me.id, pair.peer.id, update()),
    pair.writer.addStandalone(pair.peer.id, pair.me.id, update()),
  );
}

async function requestExists(db: Db, fromUserId: number, toUserId: number): Promise<boolean> {
  const row = await db
    .selectFrom('friend_requests')
    .select('from_user_id')
    .where('from_user_id', '=', fromUserId)
    .where('to_user_id', '=', toUserId)
    .executeTakeFirst();
  return row !== undefined;
}

/** How many of a user's rows a per-user bound counts: pending requests, friends or blocks. */
async function countRows(
  db: Db,
  what: 'pending_requests' | 'friends' | 'blocks',
  userId: number,
): Promise<number> {
  const count = sql<number | string>`count(*)`.as('n');
  let row: { n: number | string } | undefined;
  switch (what) {
    case 'pending_requests':
      row = await db
        .selectFrom('friend_requests')
        .select(count)
        .where('from_user_id', '=', userId)
        .executeTakeFirst();
      break;
    case 'friends':
      row = await db
        .selectFrom('friendships')
        .select(count)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      break;
    case 'blocks':
      row = await db
        .selectFrom('blocks')
        .select(count)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      break;
    default: {
      const unknownCount: never = what;
      throw new Error(`unknown count ${String(unknownCount)}`);
    }
  }
  // PostgreSQL's count is int8, which this pool parses as a number; SQLite's is an integer.
  return Number(row?.n ?? 0);
}

async function setPrivacy(
  ctx: QueryContext,
  trx: Db,
  userId: number,
  directMessages: DirectMessageSetting,
  now: number,
): Promise<ContactChangeResult> {
  if ((await userOf(trx, userId)) === null) return refused('not_found');
  const writer = await UpdateWriter.open(ctx, trx, [userId], now);
  await trx
    .updateTable('users')
    .set({ direct_messages: directMessages })
    .where('id', '=', userId)
    .execute();
  const update = writer.addStandalone(userId, null, { kind: 'privacy', directMessages });
  await writer.write();
  return { kind: 'changed', updates: [update] };
}
