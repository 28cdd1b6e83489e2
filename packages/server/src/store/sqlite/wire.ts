/**
 * What the server's thread and the SQLite worker thread say to each other: a call of one Store
 * method and its reply, matched by id. Errors cross as data and are rebuilt on the other side as
 * the same classes (StoreError with its code, better-sqlite3's SqliteError with its code):
 * structured cloning alone would turn both into plain Errors and lose the codes the domain and
 * the logs rely on.
 */
import Database from 'better-sqlite3';
import { StoreError, type StoreErrorCode } from '../errors.js';
import type { Store } from '../store.js';

/** Every Store method the worker answers; close is the worker's own lifecycle message. */
export type StoreCall = Exclude<keyof Store, 'close'>;

/**
 * The forwarded methods, as a record so the compiler says when the Store port gains a method
 * that is not forwarded.
 */
export const STORE_CALLS: Readonly<Record<StoreCall, true>> = {
  createUser: true,
  createInvitedUser: true,
  createInvite: true,
  findUserByUsername: true,
  findUserById: true,
  changePassword: true,
  createSession: true,
  findSession: true,
  listSessions: true,
  touchSession: true,
  revokeSession: true,
  revokeUserSession: true,
  revokeUserSessions: true,
  ackSessions: true,
  openDirect: true,
  conversationFor: true,
  listConversations: true,
  members: true,
  appendMessages: true,
  history: true,
  search: true,
  markRead: true,
  changeContacts: true,
  contacts: true,
  messagingState: true,
  createFile: true,
  findFile: true,
  findFileByUpload: true,
  readableFile: true,
  deleteFile: true,
  presenceOf: true,
  setPresenceChoice: true,
  setLastSeen: true,
  contactsOf: true,
  currentPts: true,
  updatesSince: true,
  ping: true,
};

export function isStoreCall(name: unknown): name is StoreCall {
  return typeof name === 'string' && Object.hasOwn(STORE_CALLS, name);
}

/** Server thread -> worker. */
export type ToWorker =
  | { type: 'call'; id: number; method: StoreCall; args: unknown[] }
  /** Finish the calls under way, close the database, end the thread. */
  | { type: 'close' };

/** Worker -> server thread. */
export type FromWorker =
  /** The database is open and migrated: calls may start. */
  | { type: 'ready' }
  /** The database could not be opened; the thread ends. */
  | { type: 'open-failed'; error: WireError }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: WireError };

export type WireError =
  | { kind: 'store'; code: StoreErrorCode; message: string; stack: string; cause: WireError | null }
  | { kind: 'sqlite'; code: string; message: string; stack: string }
  | { kind: 'other'; name: string; message: string; stack: string };

export function errorToWire(error: unknown): WireError {
  if (error instanceof StoreError) {
    return {
      kind: 'store',
      code: error.code,
      message: error.message,
      stack: error.stack ?? '',
      cause: error.cause === undefined ? null : errorToWire(error.cause),
    };
  }
  if (error instanceof Database.SqliteError) {
    return { kind: 'sqlite', code: error.code, message: error.message, stack: error.stack ?? '' };
  }
  if (error instanceof Error) {
    return { kind: 'other', name: error.name, message: error.message, stack: error.stack ?? '' };
  }
  return { kind: 'other', name: 'Error', message: String(error), stack: '' };
}

export function errorFromWire(wire: WireError): Error {
  let error: Error;
  switch (wire.kind) {
    case 'store':
      error = new StoreError(
        wire.code,
        wire.message,
        wire.cause === null ? undefined : { cause: errorFromWire(wire.cause) },
      );
      break;
    case 'sqlite':
      error = new Database.SqliteError(wire.message, wire.code);
      break;
    case 'other':
      error = new Error(wire.message);
      error.name = wire.name;
      break;
    default: {
      const unknownKind: never = wire;
      throw new Error(`unknown error kind ${String(unknownKind)}`);
    }
  }
  // The worker's stack says where it went wrong; this thread's would only show the message port.
  if (wire.stack !== '') error.stack = wire.stack;
  return error;
}
