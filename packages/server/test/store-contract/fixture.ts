/** Shared helpers of the store contract: the open store, fresh users and conversations. */
import assert from 'node:assert/strict';
import type { Message } from '@parley/protocol';
import type {
  AppendResult,
  NewMessage,
  SessionRecord,
  Store,
  UserRecord,
} from '../../src/store/store.js';

export interface Fixture {
  /** The suite's open store (a test that reopens it replaces it). */
  readonly store: Store;
  readonly sharedWriters: boolean;
  /** Closes the store and opens it again on the same data. */
  reopen(): Promise<void>;
  /** A second store on the same database, as another server node would have; caller closes. */
  openAnother(): Promise<Store>;
  /** A new user with a name no other test uses. */
  user(): Promise<UserRecord>;
  /** A new session of `user` (token hash `<name>-<user id>`), which must be created. */
  session(user: UserRecord, name: string, expiresAt: number, at?: number): Promise<SessionRecord>;
  /** Two new users and their direct conversation. */
  pair(): Promise<{ a: UserRecord; b: UserRecord; conversationId: number }>;
  close(): Promise<void>;
}

export type GetFixture = () => Fixture;

/** Fixed clock values: the store takes `now` from its caller. */
export const T0 = 1_700_000_000_000;

let names = 0;

export async function createFixture(
  open: () => Promise<Store>,
  sharedWriters: boolean,
): Promise<Fixture> {
  let store = await open();
  const fixture: Fixture = {
    get store() {
      return store;
    },
    sharedWriters,
    async reopen() {
      await store.close();
      store = await open();
    },
    openAnother: open,
    async user() {
      const username = `user${++names}_${process.pid}`;
      const user = await store.createUser(username, `hash-of-${username}`, T0);
      assert.ok(user, `could not create ${username}`);
      return user;
    },
    async session(user, name, expiresAt, at = T0) {
      const created = await store.createSession(
        {
          userId: user.id,
          tokenHash: `${name}-${user.id}`,
          device: name,
          expiresAt,
          verifiedPasswordHash: user.passwordHash,
          maxPerUser: 1000,
        },
        at,
      );
      assert.equal(created.kind, 'created');
      return (created as Extract<typeof created, { kind: 'created' }>).session;
    },
    async pair() {
      const a = await fixture.user();
      const b = await fixture.user();
      const { conversation } = await store.openDirect(a.id, b.id, T0);
      return { a, b, conversationId: conversation.id };
    },
    close: () => store.close(),
  };
  return fixture;
}

/** A batch entry with a unique client message id. */
let clientIds = 0;
export function msg(conversationId: number, senderId: number, body: string): NewMessage {
  return { conversationId, senderId, clientMsgId: `c${++clientIds}`, body };
}

/** The message a result stored or found; fails the test when it was refused. */
export function messageOf(result: AppendResult | undefined): Message {
  assert.ok(
    result !== undefined && result.kind !== 'refused',
    `not stored: ${JSON.stringify(result)}`,
  );
  return result.message;
}
