/** Reading a user's update stream back: rows become protocol Update objects again. */
import { updateSchema, type ConversationInfo, type Update } from '@parley/protocol';
import type { StoredUpdate } from '../store.js';
import { StoreError } from '../errors.js';
import type { QueryContext } from './context.js';
import { conversationInfos } from './conversations.js';

export async function currentPts({ db }: QueryContext, userId: number): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select('pts')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.pts ?? 0;
}

export async function updatesSince(
  { db }: QueryContext,
  userId: number,
  afterPts: number,
  limit: number,
): Promise<StoredUpdate[]> {
  // Message updates point at the message; the join brings its content back.
  const rows = await db
    .selectFrom('user_updates as u')
    .leftJoin('messages as m', (join) =>
      join
        .on('u.kind', '=', 'message')
        .onRef('m.conversation_id', '=', 'u.conversation_id')
        .onRef('m.seq', '=', 'u.seq'),
    )
    .select([
      'u.pts',
      'u.kind',
      'u.conversation_id',
      'u.seq',
      'u.actor_user_id',
      'u.payload',
      'm.sender_id',
      'm.client_msg_id',
      'm.body',
      'm.created_at',
    ])
    .where('u.user_id', '=', userId)
    .where('u.pts', '>', afterPts)
    .orderBy('u.pts')
    .limit(limit)
    .execute();

  const conversationIds = rows
    .filter((r) => r.kind === 'conversation')
    .map((r) => r.conversation_id);
  const infos = await conversationInfos(db, userId, [...new Set(conversationIds)]);

  return rows.map((row): StoredUpdate => {
    const broken = () =>
      new StoreError('inconsistent', `update ${userId}/${row.pts} points at missing ${row.kind}`);
    let update: Update;
    switch (row.kind) {
      case 'message': {
        if (
          row.sender_id === null ||
          row.client_msg_id === null ||
          row.body === null ||
          row.created_at === null
        ) {
          throw broken();
        }
        update = {
          kind: 'message',
          message: {
            conversationId: row.conversation_id,
            seq: row.seq,
            senderId: row.sender_id,
            clientMsgId: row.client_msg_id,
            body: row.body,
            ts: row.created_at,
          },
        };
        break;
      }
      case 'read': {
        if (row.actor_user_id === null) throw broken();
        update = {
          kind: 'read',
          conversationId: row.conversation_id,
          userId: row.actor_user_id,
          seq: row.seq,
        };
        break;
      }
      case 'conversation': {
        const conversation: ConversationInfo | undefined = infos.get(row.conversation_id);
        if (conversation === undefined) throw broken();
        update = { kind: 'conversation', conversation };
        break;
      }
      case 'friend_request':
      case 'friend_request_closed':
      case 'friend_added':
      case 'friend_updated':
      case 'friend_removed':
      case 'blocked':
      case 'unblocked':
      case 'privacy': {
        if (row.payload === null) throw broken();
        // Written by this server from a typed Update; parsed again so a damaged row fails here.
        const parsed = updateSchema.safeParse(JSON.parse(row.payload));
        if (!parsed.success || parsed.data.kind !== row.kind) throw broken();
        update = parsed.data;
        break;
      }
      default: {
        const unknownKind: never = row.kind;
        throw new StoreError('inconsistent', `unknown update kind ${String(unknownKind)}`);
      }
    }
    return { userId, pts: row.pts, update };
  });
}
