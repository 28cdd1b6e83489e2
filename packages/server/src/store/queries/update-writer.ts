/**
 * Appends entries to users' update streams inside a write transaction. It locks the users' rows
 * first (ascending id, so concurrent writers queue instead of deadlocking), hands out each user's
 * next pts in the order updates are added, and writes the new counters and rows in bulk.
 */
import type { Update } from '@parley/protocol';
import type { StoredUpdate } from '../store.js';
import type { ConversationUpdateKind, NewUserUpdateRow } from '../schema.js';
import { StoreError } from '../errors.js';
import { chunks, distinctSorted, valuesTable } from './context.js';
import type { Db, QueryContext } from './context.js';

/** Where an update's row points: the update object itself is rebuilt from these on read. */
export interface UpdateRef {
  kind: ConversationUpdateKind;
  conversationId: number;
  seq: number;
  actorUserId: number | null;
}

export class UpdateWriter {
  readonly #rows: NewUserUpdateRow[] = [];

  private constructor(
    private readonly ctx: QueryContext,
    private readonly trx: Db,
    private readonly pts: Map<number, number>,
    private readonly now: number,
  ) {}

  /** Locks `userIds` for this transaction and reads their current pts. */
  static async open(
    ctx: QueryContext,
    trx: Db,
    userIds: Iterable<number>,
    now: number,
  ): Promise<UpdateWriter> {
    const ids = distinctSorted(userIds);
    const pts = new Map<number, number>();
    for (const slice of chunks(ids, 1)) {
      const rows = await trx
        .selectFrom('users')
        .select(['id', 'pts'])
        .where('id', 'in', slice)
        .orderBy('id')
        .$if(ctx.dialect === 'postgres', (q) => q.forNoKeyUpdate())
        .execute();
      for (const row of rows) pts.set(row.id, row.pts);
    }
    const missing = ids.find((id) => !pts.has(id));
    if (missing !== undefined) throw new StoreError('user_not_found', `no user ${missing}`);
    return new UpdateWriter(ctx, trx, pts, now);
  }

  /** Gives `userId` its next pts for `update`, to be written by `write()`. */
  add(userId: number, ref: UpdateRef, update: Update): StoredUpdate {
    const pts = this.#next(userId);
    this.#rows.push({
      user_id: userId,
      pts,
      kind: ref.kind,
      conversation_id: ref.conversationId,
      seq: ref.seq,
      actor_user_id: ref.actorUserId,
      created_at: this.now,
      payload: null,
    });
    return { userId, pts, update };
  }

  /**
   * Gives `userId` its next pts for an update that carries its own data (the friend kinds): the
   * row keeps the update's JSON, and `peerId` (the other user it concerns) for lookups.
   */
  addStandalone(userId: number, peerId: number | null, update: Update): StoredUpdate {
    const pts = this.#next(userId);
    this.#rows.push({
      user_id: userId,
      pts,
      kind: update.kind,
      conversation_id: 0,
      seq: 0,
      actor_user_id: peerId,
      created_at: this.now,
      payload: JSON.stringify(update),
    });
    return { userId, pts, update };
  }

  #next(userId: number): number {
    const current = this.pts.get(userId);
    if (current === undefined) throw new Error(`user ${userId} was not locked for updates`);
    const pts = current + 1;
    this.pts.set(userId, pts);
    return pts;
  }

  get size(): number {
    return this.#rows.length;
  }

  /** Writes the update rows and the users' new pts counters. */
  async write(): Promise<void> {
    if (this.#rows.length === 0) return;
    for (const slice of chunks(this.#rows, 8)) {
      await this.trx.insertInto('user_updates').values(slice).execute();
    }
    const touched = [...new Set(this.#rows.map((r) => r.user_id))].map((id) => [
      id,
      this.pts.get(id),
    ]);
    for (const slice of chunks(touched, 2)) {
      await this.trx
        .updateTable('users')
        .from(
          valuesTable<{ column1: number; column2: number }>(this.ctx, slice, [
            'integer',
            'bigint',
          ]).as('v'),
        )
        .set((eb) => ({ pts: eb.ref('v.column2') }))
        .whereRef('users.id', '=', 'v.column1')
        .execute();
    }
  }
}
