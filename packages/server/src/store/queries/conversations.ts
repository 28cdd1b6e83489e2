/** Conversations: creating direct ones, the per-user summaries, membership. */
import type { ConversationInfo, ConversationSummary } from '@parley/protocol';
import type { ConversationPageQuery, ListedConversation, StoredUpdate } from '../store.js';
import { StoreError } from '../errors.js';
import { inTransaction } from './context.js';
import type { Db, QueryContext } from './context.js';
import { UpdateWriter } from './update-writer.js';

/** One row per pair of users: the unique key makes "open" idempotent even under races. */
export function directKey(a: number, b: number): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

export async function openDirect(
  ctx: QueryContext,
  userId: number,
  peerId: number,
  now: number,
): Promise<{ conversation: ConversationInfo; created: boolean; updates: StoredUpdate[] }> {
  const key = directKey(userId, peerId);
  return inTransaction(ctx, async (trx) => {
    const users = await trx
      .selectFrom('users')
      .select(['id', 'username'])
      .where('id', 'in', [userId, peerId])
      .execute();
    const byId = new Map(users.map((u) => [u.id, { id: u.id, username: u.username }]));
    const me = byId.get(userId);
    const peer = byId.get(peerId);
    if (me === undefined || peer === undefined) {
      throw new StoreError('user_not_found', `no user ${me === undefined ? userId : peerId}`);
    }

    const found = await trx
      .selectFrom('conversations')
      .select('id')
      .where('direct_key', '=', key)
      .executeTakeFirst();
    if (found !== undefined) {
      return { conversation: { kind: 'direct', id: found.id, peer }, created: false, updates: [] };
    }
    // A concurrent opener (another node) may insert the same key between our read and this
    // insert: DO NOTHING waits for it and then yields no row, and we read the winner's row.
    const inserted = await trx
      .insertInto('conversations')
      .values({ kind: 'direct', direct_key: key, created_at: now, last_activity_at: now })
      .onConflict((oc) => oc.column('direct_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted === undefined) {
      const winner = await trx
        .selectFrom('conversations')
        .select('id')
        .where('direct_key', '=', key)
        .executeTakeFirstOrThrow();
      return { conversation: { kind: 'direct', id: winner.id, peer }, created: false, updates: [] };
    }

    const id = inserted.id;
    const memberIds = [userId, peerId].sort((a, b) => a - b);
    const writer = await UpdateWriter.open(ctx, trx, memberIds, now);
    await trx
      .insertInto('conversation_members')
      .values(memberIds.map((m) => ({ conversation_id: id, user_id: m, joined_at: now })))
      .execute();
    const updates = memberIds.map((m) => {
      const other = m === userId ? peer : me;
      return writer.add(
        m,
        { kind: 'conversation', conversationId: id, seq: 0, actorUserId: null },
        { kind: 'conversation', conversation: { kind: 'direct', id, peer: other } },
      );
    });
    await writer.write();
    return { conversation: { kind: 'direct', id, peer }, created: true, updates };
  });
}

/** How each of `conversationIds` looks to `userId` (for direct ones: who the peer is). */
export async function conversationInfos(
  db: Db,
  userId: number,
  conversationIds: readonly number[],
): Promise<Map<number, ConversationInfo>> {
  const infos = new Map<number, ConversationInfo>();
  if (conversationIds.length === 0) return infos;
  const rows = await db
    .selectFrom('conversation_members as pm')
    .innerJoin('users as pu', 'pu.id', 'pm.user_id')
    .select(['pm.conversation_id', 'pu.id', 'pu.username'])
    .where('pm.conversation_id', 'in', conversationIds)
    .where('pm.user_id', '!=', userId)
    .execute();
  for (const row of rows) {
    infos.set(row.conversation_id, {
      kind: 'direct',
      id: row.conversation_id,
      peer: { id: row.id, username: row.username },
    });
  }
  return infos;
}

/**
 * The user's summaries: one row per conversation with the peer, the newest message and the
 * unread count (messages from others past the user's read cursor, counted on the primary key).
 */
function summaries(db: Db, userId: number) {
  return db
    .selectFrom('conversation_members as me')
    .innerJoin('conversations as c', 'c.id', 'me.conversation_id')
    .innerJoin('conversation_members as pm', (join) =>
      join.onRef('pm.conversation_id', '=', 'c.id').onRef('pm.user_id', '!=', 'me.user_id'),
    )
    .innerJoin('users as pu', 'pu.id', 'pm.user_id')
    .leftJoin('messages as lm', (join) =>
      join.onRef('lm.conversation_id', '=', 'c.id').onRef('lm.seq', '=', 'c.last_seq'),
    )
    .where('me.user_id', '=', userId)
    .select((eb) => [
      'c.id',
      'c.last_seq',
      'me.read_seq',
      'pu.id as peer_id',
      'pu.username as peer_username',
      'pm.read_seq as peer_read_seq',
      'lm.sender_id',
      'lm.client_msg_id',
      'lm.body',
      'lm.created_at',
      eb
        .selectFrom('messages as um')
        .select((sub) => sub.fn.countAll<number>().as('n'))
        .whereRef('um.conversation_id', '=', 'c.id')
        .whereRef('um.seq', '>', 'me.read_seq')
        .whereRef('um.sender_id', '!=', 'me.user_id')
        .as('unread'),
    ]);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaries>['executeTakeFirstOrThrow']>>;

function toSummary(row: SummaryRow): ConversationSummary {
  const lastMessage =
    row.sender_id === null ||
    row.client_msg_id === null ||
    row.body === null ||
    row.created_at === null
      ? null
      : {
          conversationId: row.id,
          seq: row.last_seq,
          senderId: row.sender_id,
          clientMsgId: row.client_msg_id,
          body: row.body,
          ts: row.created_at,
        };
  return {
    info: { kind: 'direct', id: row.id, peer: { id: row.peer_id, username: row.peer_username } },
    lastSeq: row.last_seq,
    lastMessage,
    readSeq: row.read_seq,
    peerReadSeq: row.peer_read_seq,
    // count() is int8 in PostgreSQL; the pool parses it, Number() covers a driver that does not.
    unread: Number(row.unread ?? 0),
  };
}

export async function conversationFor(
  { db }: QueryContext,
  userId: number,
  conversationId: number,
): Promise<ConversationSummary | null> {
  const row = await summaries(db, userId).where('c.id', '=', conversationId).executeTakeFirst();
  return row === undefined ? null : toSummary(row);
}

export async function listConversations(
  { db }: QueryContext,
  userId: number,
  { after, limit }: ConversationPageQuery,
): Promise<ListedConversation[]> {
  const rows = await summaries(db, userId)
    .select('c.last_activity_at')
    .$if(after !== null, (q) =>
      q.where((eb) =>
        eb.or([
          eb('c.last_activity_at', '<', after?.activityAt ?? 0),
          eb.and([
            eb('c.last_activity_at', '=', after?.activityAt ?? 0),
            eb('c.id', '<', after?.id ?? 0),
          ]),
        ]),
      ),
    )
    .orderBy('c.last_activity_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    summary: toSummary(row),
    position: { activityAt: Number(row.last_activity_at), id: row.id },
  }));
}

export async function members({ db }: QueryContext, conversationId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('conversation_members')
    .select('user_id')
    .where('conversation_id', '=', conversationId)
    .orderBy('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

export async function markRead(
  ctx: QueryContext,
  userId: number,
  conversationId: number,
  seq: number,
  now: number,
): Promise<StoredUpdate[]> {
  return inTransaction(ctx, async (trx) => {
    const conversation = await trx
      .selectFrom('conversations')
      .select('last_seq')
      .where('id', '=', conversationId)
      .executeTakeFirst();
    if (conversation === undefined) return [];
    const target = Math.min(seq, conversation.last_seq);
    // The `<` condition makes the move atomic and forward-only: of two devices marking at once,
    // the one with the lower seq changes nothing (PostgreSQL re-checks it on the locked row).
    const moved = await trx
      .updateTable('conversation_members')
      .set({ read_seq: target })
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', userId)
      .where('read_seq', '<', target)
      .returning('read_seq')
      .executeTakeFirst();
    if (moved === undefined) return [];

    const memberIds = await members({ ...ctx, db: trx }, conversationId);
    const writer = await UpdateWriter.open(ctx, trx, memberIds, now);
    const updates = memberIds.map((m) =>
      writer.add(
        m,
        { kind: 'read', conversationId, seq: target, actorUserId: userId },
        { kind: 'read', conversationId, userId, seq: target },
      ),
    );
    await writer.write();
    return updates;
  });
}
