/**
 * What one SDK instance changed in the persisted state, and how those changes are merged into
 * what is stored. Several instances may share one storage (browser tabs on one localStorage, a
 * `parley chat` and a `parley listen` on one config file): each writes only its own changes,
 * merged into the stored state under the storage's lock, never its whole snapshot, so no
 * instance erases what another wrote.
 *
 * The rules, so that no instance's save undoes another's:
 * - an outbox entry is put or removed by id; a `sent` entry is final (a stale `pending` from
 *   another instance never turns it back);
 * - the cursor only moves forward, except when the stored session is reset (logout, or another
 *   account logging in), which clears cursor and outbox together;
 * - the token changes only through a session change of this instance: a login replaces it; the
 *   end of a session clears it only if it is still the token that ended (another instance may
 *   have logged in since);
 * - cursor and outbox changes belong to the account they were made for (`owner`) and are dropped
 *   if the stored state now belongs to another account (or to nobody, after a logout elsewhere).
 */
import type { OutboxEntry, PersistedState, User } from './types.js';

export type SessionChange =
  | { kind: 'login'; token: string; user: User }
  /** `forget`: a logout, which forgets the user, cursor and outbox too. */
  | { kind: 'end'; token: string | null; forget: boolean };

/** Who a change was made for: a user id, or null before any login. */
export type Owner = number | null;

export interface StateChanges {
  /** In the order they happened. */
  sessions: SessionChange[];
  pts: { value: number; owner: Owner } | null;
  /** By clientMsgId; `entry: null` removes it. */
  outbox: Map<string, { entry: OutboxEntry | null; owner: Owner }>;
}

export function noChanges(): StateChanges {
  return { sessions: [], pts: null, outbox: new Map() };
}

export function hasChanges(changes: StateChanges): boolean {
  return changes.sessions.length > 0 || changes.pts !== null || changes.outbox.size > 0;
}

/** `earlier` followed by `later`, as one set of changes (for a write that failed). */
export function concatChanges(earlier: StateChanges, later: StateChanges): StateChanges {
  return {
    sessions: [...earlier.sessions, ...later.sessions],
    pts: later.pts ?? earlier.pts,
    outbox: new Map([...earlier.outbox, ...later.outbox]),
  };
}

/** The stored state with `changes` merged in (neither argument is modified). */
export function applyChanges(stored: PersistedState, changes: StateChanges): PersistedState {
  let { token, user, pts } = stored;
  const outbox = new Map(stored.outbox.map((e) => [e.clientMsgId, e]));
  for (const change of changes.sessions) {
    if (change.kind === 'login') {
      if (user !== null && user.id !== change.user.id) {
        // Another account on this device: the old cursor and queued messages are not its own.
        pts = null;
        outbox.clear();
      }
      token = change.token;
      user = change.user;
    } else if (token === null || token === change.token) {
      token = null;
      if (change.forget) {
        user = null;
        pts = null;
        outbox.clear();
      }
    }
  }
  const owns = (owner: Owner): boolean => owner === (user?.id ?? null);
  if (changes.pts && owns(changes.pts.owner)) {
    pts = Math.max(pts ?? changes.pts.value, changes.pts.value);
  }
  for (const [id, { entry, owner }] of changes.outbox) {
    if (!owns(owner)) continue;
    if (entry === null) outbox.delete(id);
    else if (outbox.get(id)?.status !== 'sent') outbox.set(id, entry);
  }
  return {
    token,
    user,
    pts,
    outbox: [...outbox.values()].sort((a, b) => a.createdAt - b.createdAt),
  };
}
