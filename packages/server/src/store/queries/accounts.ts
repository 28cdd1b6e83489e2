/** Users, their sessions (one per logged-in device) and registration invites. */
import type {
  CreateInvitedUserResult,
  CreateSessionResult,
  NewSession,
  SessionRecord,
  UserRecord,
} from '../store.js';
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
    lastSeenAt: row.last_seen_at ?? row.created_at,
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

/** Thrown inside a transaction to roll it back with an answer. */
class Rollback extends Error {
  constructor(readonly result: CreateInvitedUserResult) {
    super(result.kind);
  }
}

export async function createInvitedUser(
  ctx: QueryContext,
  username: string,
  passwordHash: string,
  inviteCodeHash: string,
  now: number,
): Promise<CreateInvitedUserResult> {
  try {
    return await inTransaction(ctx, async (trx) => {
      // Using the invite first, conditionally: two registrations with one code cannot both win.
      const invite = await trx
        .updateTable('invites')
        .set({ used_at: now })
        .where('code_hash', '=', inviteCodeHash)
        .where('used_at', 'is', null)
        .returning('code_hash')
        .executeTakeFirst();
      if (invite === undefined) return { kind: 'invalid_invite' } as const;
      const user = await createUser({ ...ctx, db: trx }, username, passwordHash, now);
      // A taken name must not use up the invite: undo the whole transaction.
      if (user === null) throw new Rollback({ kind: 'username_taken' });
      await trx
        .updateTable('invites')
        .set({ used_by: user.id })
        .where('code_hash', '=', inviteCodeHash)
        .execute();
      return { kind: 'created', user } as const;
    });
  } catch (error) {
    if (error instanceof Rollback) return error.result;
    throw error;
  }
}

export async function createInvite(
  { db }: QueryContext,
  codeHash: string,
  now: number,
): Promise<void> {
  await db.insertInto('invites').values({ code_hash: codeHash, created_at: now }).execute();
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
  ctx: QueryContext,
  session: NewSession,
  now: number,
): Promise<CreateSessionResult> {
  return inTransaction(ctx, async (trx) => {
    // The user's row is read with a share lock on PostgreSQL: a password change holds it until it
    // commits, so this check waits for it and then sees the new hash; a change that comes after
    // waits for this transaction and then revokes the session created here. SQLite runs one
    // transaction at a time, which gives the same order.
    const current = await trx
      .selectFrom('users')
      .select('id')
      .where('id', '=', session.userId)
      .where('password_hash', '=', session.verifiedPasswordHash)
      .$if(ctx.dialect === 'postgres', (q) => q.forShare())
      .executeTakeFirst();
    if (current === undefined) return { kind: 'stale_password' };
    const row = await trx
      .insertInto('sessions')
      .values({
        user_id: session.userId,
        token_hash: session.tokenHash,
        device: session.device,
        created_at: now,
        expires_at: session.expiresAt,
        last_seen_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const overflow = await trx
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', session.userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('last_seen_at', 'desc')
      .orderBy('id', 'desc')
      .offset(session.maxPerUser)
      .limit(1_000_000)
      .execute();
    const revoked = overflow.map((r) => r.id).sort((a, b) => a - b);
    if (revoked.length > 0) {
      await trx
        .updateTable('sessions')
        .set({ revoked_at: now })
        .where('id', 'in', revoked)
        .execute();
    }
    return { kind: 'created', session: toSession(row), revoked };
  });
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

export async function listSessions(
  { db }: QueryContext,
  userId: number,
  now: number,
): Promise<SessionRecord[]> {
  const rows = await db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toSession);
}

export async function touchSession(
  { db }: QueryContext,
  sessionId: number,
  now: number,
): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
}

export async function revokeUserSession(
  { db }: QueryContext,
  userId: number,
  sessionId: number,
  now: number,
): Promise<boolean> {
  const rows = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('id')
    .execute();
  return rows.length > 0;
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
