/**
 * Messages: appending batches (the hot path) and reading history.
 *
 * appendMessages does a fixed number of statements per batch, whatever its size: lock the
 * batch's conversations, find earlier copies of its client message ids, read the members, lock
 * their users, then bulk-insert the messages and update rows and bulk-write the counters. Seqs
 * and pts are computed in memory from the locked counters, so no statement runs per message.
 */
import type { Attachment, Message } from '@parley/protocol';
import type { AppendResult, HistoryQuery, NewMessage } from '../store.js';
import type { MessageRow } from '../schema.js';
import { StoreError } from '../errors.js';
import { chunks, distinctSorted, inTransaction, valuesTable } from './context.js';
import type { Db, QueryContext } from './context.js';
import { UpdateWriter } from './update-writer.js';
import { insertSearchRows } from './search-index.js';
import { refusalDetail, refusalReason } from './refusals.js';

/** The message's `attachment` key, present only when it has one (absent, not undefined). */
export function attachmentField(column: string | null): { attachment?: Attachment } {
  // Written by this store from a validated Attachment (appendInOneTransaction).
  return column === null ? {} : { attachment: JSON.parse(column) as Attachment };
}

export function toMessage(row: MessageRow): Message {
  return {
    conversationId: row.conversation_id,
    seq: row.seq,
    senderId: row.sender_id,
    clientMsgId: row.client_msg_id,
    body: row.body,
    ts: row.created_at,
    ...attachmentField(row.attachment),
  };
}

/** senderId first: it is a number, so the separator cannot be confused with the client's id. */
const idempotencyKey = (senderId: number, clientMsgId: string) => `${senderId}:${clientMsgId}`;

/** The conversations' current last_seq, row-locked on PostgreSQL until the transaction ends. */
async function lockConversations(
  ctx: QueryContext,
  trx: Db,
  ids: readonly number[],
): Promise<Map<number, number>> {
  const lastSeq = new Map<number, number>();
  // Ascending id order: two batches sharing conversations lock them in the same order.
  for (const slice of chunks(ids, 1)) {
    const rows = await trx
      .selectFrom('conversations')
      .select(['id', 'last_seq'])
      .where('id', 'in', slice)
      .orderBy('id')
      .$if(ctx.dialect === 'postgres', (q) => q.forNoKeyUpdate())
      .execute();
    for (const row of rows) lastSeq.set(row.id, row.last_seq);
  }
  const missing = ids.find((id) => !lastSeq.has(id));
  if (missing !== undefined) {
    throw new StoreError('conversation_not_found', `no conversation ${missing}`);
  }
  return lastSeq;
}

/** Messages already stored under any of the batch's (sender, client message id) pairs. */
async function findStored(
  ctx: QueryContext,
  trx: Db,
  batch: readonly NewMessage[],
): Promise<Map<string, Message>> {
  const found = new Map<string, Message>();
  const pairs = [...new Map(batch.map((m) => [idempotencyKey(m.senderId, m.clientMsgId), m]))];
  for (const slice of chunks(pairs, 2)) {
    const keys = valuesTable<{ column1: number; column2: string }>(
      ctx,
      slice.map(([, m]) => [m.senderId, m.clientMsgId]),
      ['integer', 'text'],
    );
    // A join on the VALUES list: both dialects probe the unique index once per pair.
    const rows = await trx
      .selectFrom(keys.as('k'))
      .innerJoin('messages as m', (join) =>
        join.onRef('m.sender_id', '=', 'k.column1').onRef('m.client_msg_id', '=', 'k.column2'),
      )
      .selectAll('m')
      .execute();
    for (const row of rows)
      found.set(idempotencyKey(row.sender_id, row.client_msg_id), toMessage(row));
  }
  return found;
}

async function membersOf(
  trx: Db,
  conversationIds: readonly number[],
): Promise<Map<number, number[]>> {
  const members = new Map<number, number[]>();
  for (const slice of chunks(conversationIds, 1)) {
    const rows = await trx
      .selectFrom('conversation_members')
      .select(['conversation_id', 'user_id'])
      .where('conversation_id', 'in', slice)
      .orderBy('conversation_id')
      .orderBy('user_id')
      .execute();
    for (const row of rows) {
      const list = members.get(row.conversation_id);
      if (list === undefined) members.set(row.conversation_id, [row.user_id]);
      else list.push(row.user_id);
    }
  }
  return members;
}

/**
 * Appends the batch in one transaction. When the database refuses the data of some message in
 * it, the transaction rolled back whole; the batch is then split in halves, each appended the
 * same way (its own transaction), until the culprit is alone and answered `refused`. A handful
 * of bad messages thus costs a few extra commits (about two per halving), the fast path none,
 * and no innocent message fails with them. The halves go in order, so seqs follow the batch.
 */
export async function appendMessages(
  ctx: QueryContext,
  batch: readonly NewMessage[],
  now: number,
): Promise<AppendResult[]> {
  if (batch.length === 0) return [];
  try {
    return await appendInOneTransaction(ctx, batch, now);
  } catch (error) {
    const reason = refusalReason(ctx, error);
    if (reason === null) throw error;
    if (batch.length === 1) return [{ kind: 'refused', reason, detail: refusalDetail(error) }];
    const middle = Math.ceil(batch.length / 2);
    const first = await appendMessages(ctx, batch.slice(0, middle), now);
    const rest = await appendMessages(ctx, batch.slice(middle), now);
    return [...first, ...rest];
  }
}

async function appendInOneTransaction(
  ctx: QueryContext,
  batch: readonly NewMessage[],
  now: number,
): Promise<AppendResult[]> {
  return inTransaction(ctx, async (trx) => {
    // Locking before the duplicate check matters on PostgreSQL: a concurrent batch carrying the
    // same client message id for the same conversation commits before we look, so we find it.
    const lastSeq = await lockConversations(
      ctx,
      trx,
      distinctSorted(batch.map((m) => m.conversationId)),
    );
    const known = await findStored(ctx, trx, batch);
    const fresh = batch.filter((m) => !known.has(idempotencyKey(m.senderId, m.clientMsgId)));
    const members = await membersOf(trx, distinctSorted(fresh.map((m) => m.conversationId)));
    const writer = await UpdateWriter.open(ctx, trx, [...members.values()].flat(), now);
    const rows: MessageRow[] = [];
    const results: AppendResult[] = [];
    for (const m of batch) {
      const key = idempotencyKey(m.senderId, m.clientMsgId);
      const original = known.get(key);
      if (original !== undefined) {
        // Stored before, or earlier in this very batch.
        results.push({ kind: 'duplicate', message: original });
        continue;
      }
      const seq = (lastSeq.get(m.conversationId) ?? 0) + 1;
      lastSeq.set(m.conversationId, seq);
      const row: MessageRow = {
        conversation_id: m.conversationId,
        seq,
        sender_id: m.senderId,
        client_msg_id: m.clientMsgId,
        body: m.body,
        created_at: now,
        attachment: m.attachment === undefined ? null : JSON.stringify(m.attachment),
        file_id: m.attachment?.fileId ?? null,
      };
      rows.push(row);
      const message = toMessage(row);
      known.set(key, message);
      const updates = (members.get(m.conversationId) ?? []).map((userId) =>
        writer.add(
          userId,
          { kind: 'message', conversationId: m.conversationId, seq, actorUserId: null },
          { kind: 'message', message },
        ),
      );
      results.push({ kind: 'stored', message, updates });
    }

    for (const slice of chunks(rows, 8)) {
      await trx.insertInto('messages').values(slice).execute();
    }
    // Searchable as soon as it is stored: indexed in the same transaction, one statement a slice.
    await insertSearchRows(trx, ctx.dialect, rows);
    await writer.write();
    const touched = [...new Set(rows.map((r) => r.conversation_id))].map((id) => [
      id,
      lastSeq.get(id),
    ]);
    for (const slice of chunks(touched, 2)) {
      await trx
        .updateTable('conversations')
        .from(
          valuesTable<{ column1: number; column2: number }>(ctx, slice, ['integer', 'bigint']).as(
            'v',
          ),
        )
        .set((eb) => ({ last_seq: eb.ref('v.column2'), last_activity_at: now }))
        .whereRef('conversations.id', '=', 'v.column1')
        .execute();
    }
    return results;
  });
}

export async function history(
  { db }: QueryContext,
  query: HistoryQuery,
): Promise<{ messages: Message[]; hasMore: boolean }> {
  const { conversationId, before, after, limit } = query;
  // Newest first unless paging forward from `after`; one extra row tells whether more exist.
  const descending = after === undefined || before !== undefined;
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .$if(before !== undefined, (q) => q.where('seq', '<', before ?? 0))
    .$if(after !== undefined, (q) => q.where('seq', '>', after ?? 0))
    .orderBy('seq', descending ? 'desc' : 'asc')
    .limit(limit + 1)
    .execute();
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit).map(toMessage);
  if (descending) page.reverse();
  return { messages: page, hasMore };
}
