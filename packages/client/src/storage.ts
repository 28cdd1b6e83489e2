/**
 * Browser-safe storages. `memoryStorage` keeps nothing across runs (tests, bots that do not care);
 * `localStorageStorage` (./local-storage.ts) keeps the state in the browser. Node's file storage
 * lives in `./node/`.
 */
import { sendAttachmentSchema } from '@parley/protocol';
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

export function isOutboxEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v['status'] === 'pending' || v['status'] === 'sent' || v['status'] === 'failed') &&
    typeof v['clientMsgId'] === 'string' &&
    typeof v['conversationId'] === 'number' &&
    typeof v['body'] === 'string' &&
    typeof v['createdAt'] === 'number' &&
    (v['attachment'] === undefined || sendAttachmentSchema.safeParse(v['attachment']).success)
  );
}

/** Keeps the state in memory only: nothing survives the process (clients may share one). */
export function memoryStorage(initial: PersistedState | null = null): ClientStorage {
  // JSON round trips keep callers and the SDK from sharing (and mutating) one object.
  let stored: string | null = initial ? JSON.stringify(initial) : null;
  const read = (): PersistedState | null =>
    stored === null ? null : parsePersistedState(JSON.parse(stored));
  return {
    load: () => Promise.resolve(read()),
    // One synchronous step: nothing can run between the read and the write.
    update: (change) => {
      const next = change(read() ?? emptyState());
      stored = JSON.stringify(next);
      return Promise.resolve(read() ?? emptyState());
    },
  };
}
