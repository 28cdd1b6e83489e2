/** Users and their sessions (one per logged-in device). */
import type { NewSession, SessionRecord, UserRecord } from '../store.js';
import type { SessionRow, UserRow } from '../schema.js';
import { inTransaction, type QueryContext } from './context.js';

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}

function toSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    device: row.device,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ackedPts: row.acked_pts,
  };
}

export async function createUser(
  { db }: QueryContext,
  username: string,
  passwordHash: string,
  now: number,
): Promise<UserRecord | null> {
  // ON CONFLICT instead of check-then-insert: two registrations racing for one name cannot both
  // win, and the loser learns it without an exception.
  const row = await db
    .insertInto('users')
    .values({ username, password_hash: passwordHash, created_at: now })
    .onConflict((oc) => oc.column('username').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? null : toUser(row);
}

export async function findUserByUsername(
  { db }: QueryContext,
  username: string,
): Promise<UserRecord | null> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirst();
  return row === undefined ? null : toUser(row);
}

export async function findUserById({ db }: QueryContext, id: number): Promise<UserRecord | null> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : toUser(row);
}

/**
 * Sets the new hash and revokes every other session in one transaction, so a crash between the
 * two never leaves a changed password with the old sessions still live.
 */
export async function changePassword(
  ctx: QueryContext,
  userId: number,
  passwordHash: string,
  keepSessionId: number,
  now: number,
): Promise<number[]> {
  return inTransaction(ctx, async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', userId)
      .execute();
    return revokeUserSessions({ ...ctx, db: trx }, userId, keepSessionId, now);
  });
}

export async function createSession(
  { db }: QueryContext,
  session: NewSession,
  now: number,
): Promise<SessionRecord> {
  const row = await db
    .insertInto('sessions')
    .values({
      user_id: session.userId,
      token_hash: session.tokenHash,
      device: session.device,
      created_at: now,
      expires_at: session.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSession(row);
}

export async function findSession(
  { db }: QueryContext,
  tokenHash: string,
  now: number,
): Promise<SessionRecord | null> {
  const row = await db
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row === undefined ? null : toSession(row);
}

export async function revokeSession(
  { db }: QueryContext,
  sessionId: number,
  now: number,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeUserSessions(
  { db }: QueryContext,
  userId: number,
  exceptSessionId: number | null,
  now: number,
): Promise<number[]> {
  const rows = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .$if(exceptSessionId !== null, (q) => q.where('id', '!=', exceptSessionId ?? 0))
    .returning('id')
    .execute();
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

export async function ackSessions(
  ctx: QueryContext,
  acks: ReadonlyArray<{ sessionId: number; pts: number }>,
): Promise<void> {
  if (acks.length === 0) return;
  await inTransaction(ctx, async (trx) => {
    for (const { sessionId, pts } of acks) {
      // The condition keeps the cursor monotonic even when acks arrive out of order.
      await trx
        .updateTable('sessions')
        .set({ acked_pts: pts })
        .where('id', '=', sessionId)
        .where('acked_pts', '<', pts)
        .execute();
    }
  });
}
