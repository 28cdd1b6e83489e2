/**
 * Browser-safe storages. `memoryStorage` keeps nothing across runs (tests, bots that do not care);
 * `localStorageStorage` keeps the state in the browser. Node's file storage lives in `./node/`.
 */
import type { ClientStorage, OutboxEntry, PersistedState } from './types.js';

export function emptyState(): PersistedState {
  return { token: null, user: null, pts: null, outbox: [] };
}

/** Checks the shape of stored state, so a corrupt or foreign value reads as "nothing stored". */
export function parsePersistedState(value: unknown): PersistedState | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const token = typeof v['token'] === 'string' ? v['token'] : null;
  const user = isUser(v['user']) ? v['user'] : null;
  const pts = typeof v['pts'] === 'number' && Number.isInteger(v['pts']) ? v['pts'] : null;
  const outbox = Array.isArray(v['outbox']) ? v['outbox'].filter(isOutboxEntry) : [];
  return { token, user, pts, outbox };
}

function isUser(value: unknown): value is PersistedState['user'] & object {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['id'] === 'number' && typeof v['username'] === 'string';
}

function isOutboxEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v['status'] === 'pending' || v['status'] === 'sent' || v['status'] === 'failed') &&
    typeof v['clientMsgId'] === 'string' &&
    typeof v['conversationId'] === 'number' &&
    typeof v['body'] === 'string' &&
    typeof v['createdAt'] === 'number'
  );
}

/** Keeps the state in memory only: nothing survives the process. */
export function memoryStorage(initial: PersistedState | null = null): ClientStorage {
  // JSON round trips keep callers and the SDK from sharing (and mutating) one object.
  let stored: string | null = initial ? JSON.stringify(initial) : null;
  return {
    load: () => Promise.resolve(stored === null ? null : parsePersistedState(JSON.parse(stored))),
    save: (state) => {
      stored = JSON.stringify(state);
      return Promise.resolve();
    },
  };
}

/** The part of the Web Storage API used here (the SDK is typed without the DOM library). */
interface WebStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * Keeps the state in `window.localStorage` under `key` (one key per server and account slot).
 * Throws when localStorage is not available.
 */
export function localStorageStorage(key: string): ClientStorage {
  const storage = (globalThis as { localStorage?: WebStorage }).localStorage;
  if (!storage) throw new Error('localStorage is not available in this environment');
  return {
    load: () => {
      const text = storage.getItem(key);
      if (text === null) return Promise.resolve(null);
      try {
        return Promise.resolve(parsePersistedState(JSON.parse(text)));
      } catch {
        return Promise.resolve(null);
      }
    },
    save: (state) => {
      try {
        storage.setItem(key, JSON.stringify(state));
        return Promise.resolve();
      } catch (error) {
        // Quota exceeded or storage disabled (private mode).
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
}
