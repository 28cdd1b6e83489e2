/**
 * Keeps the state in `window.localStorage`, shared by every tab of the origin. The session and
 * cursor live under `key`; each outbox entry under `key.outbox.<clientMsgId>`, so a tab writing its
 * message never rewrites another tab's. An update is a read-modify-write that writes only the keys
 * it changed, run under a Web Lock (`navigator.locks`) where the browser has one (secure contexts),
 * so tabs take turns; without it the per-entry keys still keep concurrent tabs' messages apart.
 * The `storage` event tells a tab when another one wrote.
 */
import { emptyState, isOutboxEntry, parsePersistedState } from './storage.js';
import type { ClientStorage, OutboxEntry, PersistedState } from './types.js';

/** The parts of the Web Storage and Web Locks APIs used here (the SDK is typed without the DOM). */
interface WebStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}
interface LockManager {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}
interface StorageEventLike {
  key: string | null;
  storageArea: unknown;
}
interface BrowserGlobals {
  localStorage?: WebStorage;
  navigator?: { locks?: LockManager };
  addEventListener?(type: 'storage', listener: (event: StorageEventLike) => void): void;
  removeEventListener?(type: 'storage', listener: (event: StorageEventLike) => void): void;
}

interface Snapshot {
  state: PersistedState;
  /** The stored text of every key read, to write only what changed. */
  texts: Map<string, string>;
}

/**
 * Keeps the state in `window.localStorage` under `key` (one key per server and account slot).
 * Throws when localStorage is not available.
 */
export function localStorageStorage(key: string): ClientStorage {
  const globals = globalThis as BrowserGlobals;
  const storage = globals.localStorage;
  if (!storage) throw new Error('localStorage is not available in this environment');
  const entryPrefix = `${key}.outbox.`;
  const locks = globals.navigator?.locks;
  const exclusive = <T>(task: () => T): Promise<T> =>
    locks ? locks.request(`parley:${key}`, () => Promise.resolve(task())) : run(task);

  const read = (): Snapshot => {
    const texts = new Map<string, string>();
    const meta = parseJson(remember(texts, key, storage.getItem(key)));
    const state = parsePersistedState(meta) ?? emptyState();
    // Entries of an older layout, kept in the session key, are moved to their own keys.
    const entries = new Map(state.outbox.map((e) => [e.clientMsgId, e]));
    for (const name of keysWith(storage, entryPrefix)) {
      const entry = parseJson(remember(texts, name, storage.getItem(name)));
      if (isOutboxEntry(entry) && `${entryPrefix}${entry.clientMsgId}` === name) {
        entries.set(entry.clientMsgId, entry);
      }
    }
    const outbox = [...entries.values()].sort((a, b) => a.createdAt - b.createdAt);
    return { state: { ...state, outbox }, texts };
  };

  const write = (before: Snapshot, next: PersistedState): void => {
    const { token, user, pts } = next;
    const wanted = new Map<string, string>([[key, JSON.stringify({ token, user, pts })]]);
    for (const entry of next.outbox) wanted.set(`${entryPrefix}${entry.clientMsgId}`, text(entry));
    for (const [name, value] of wanted) {
      if (before.texts.get(name) !== value) storage.setItem(name, value);
    }
    for (const name of before.texts.keys()) if (!wanted.has(name)) storage.removeItem(name);
  };

  return {
    load: () => run(() => read().state),
    update: (change) =>
      exclusive(() => {
        const before = read();
        const next = change(before.state);
        write(before, next);
        return next;
      }),
    watch: (onChange) => {
      const listener = (event: StorageEventLike): void => {
        if (event.storageArea !== storage) return;
        // key null: the whole storage was cleared.
        if (event.key === null || event.key === key || event.key.startsWith(entryPrefix)) {
          onChange();
        }
      };
      globals.addEventListener?.('storage', listener);
      return () => globals.removeEventListener?.('storage', listener);
    },
  };
}

/** Runs a synchronous task as a promise; quota errors and the like become rejections. */
function run<T>(task: () => T): Promise<T> {
  try {
    return Promise.resolve(task());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function remember(texts: Map<string, string>, name: string, value: string | null): string | null {
  if (value !== null) texts.set(name, value);
  return value;
}

function keysWith(storage: WebStorage, prefix: string): string[] {
  const names: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const name = storage.key(i);
    if (name?.startsWith(prefix)) names.push(name);
  }
  return names;
}

function parseJson(value: string | null): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
}

function text(entry: OutboxEntry): string {
  return JSON.stringify(entry);
}
