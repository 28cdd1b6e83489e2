/**
 * Holds the state the SDK persists and writes this instance's changes through the ClientStorage:
 * at once for what must not be lost (session, outbox), debounced for the cursor, which changes
 * with every update. Each write merges the changes into what is stored (see state-changes.ts), so
 * instances sharing one storage never erase each other's entries. Writes never overlap; changes
 * made during a write are written right after it.
 */
import {
  applyChanges,
  concatChanges,
  hasChanges,
  noChanges,
  type Owner,
  type StateChanges,
} from './state-changes.js';
import { emptyState } from './storage.js';
import type { ClientStorage, OutboxEntry, PersistedState, User } from './types.js';

const CURSOR_DEBOUNCE_MS = 500;

export class Persister {
  /** The stored state as last read or written. */
  private stored: PersistedState = emptyState();
  /** Changes made here and not yet written. */
  private changes: StateChanges = noChanges();
  /** `stored` with `changes` applied: what this instance sees. */
  private view: PersistedState = emptyState();
  private account: Owner = null;
  private writing: Promise<void> | null = null;
  /** Counts finished writes, so a read that raced one is known to be stale. */
  private writes = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** `null`: nothing to persist to (no storage given), so no state is ever serialized. */
  constructor(private readonly storage: ClientStorage | null) {}

  /** The stored state with this instance's unwritten changes applied. */
  get state(): Readonly<PersistedState> {
    return this.view;
  }

  /**
   * The account this instance works for (its cursor and outbox changes are that account's). It
   * can differ from `state.user` after another instance logged in or out; see `adopt`.
   */
  get owner(): Owner {
    return this.account;
  }

  /** Reads what is stored and takes its account as this instance's. */
  async load(): Promise<void> {
    await this.refresh();
    this.adopt();
  }

  /**
   * Reads what is stored (others' changes included); a failed read keeps what was known. A read
   * that overlapped a write of ours may predate it, and would make our own entries look removed:
   * it is read again after the write.
   */
  async refresh(): Promise<void> {
    const storage = this.storage;
    if (!storage) return;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.writing) await this.writing.catch(() => undefined);
      const before = this.writes;
      let loaded: PersistedState | null;
      try {
        loaded = await storage.load();
      } catch {
        return;
      }
      if (this.writing || this.writes !== before) continue;
      this.stored = loaded ?? emptyState();
      this.view = applyChanges(this.stored, this.changes);
      return;
    }
  }

  /**
   * Works for the account now stored from here on. Changes made before any account was known
   * (messages queued before storage was read) go to it, as they would have before a login.
   */
  adopt(): void {
    this.setAccount(this.view.user?.id ?? null);
  }

  login(token: string, user: User): void {
    this.changes.sessions.push({ kind: 'login', token, user });
    this.setAccount(user.id);
    this.changed('now');
  }

  /** The session on `token` ended; `forget` (logout) also forgets user, cursor and outbox. */
  endSession(token: string | null, forget: boolean): void {
    this.changes.sessions.push({ kind: 'end', token, forget });
    if (forget) this.account = null;
    this.changed('now');
  }

  saveCursor(pts: number): void {
    this.changes.pts = { value: pts, owner: this.account };
    this.changed('later');
  }

  putEntry(entry: OutboxEntry): void {
    this.changes.outbox.set(entry.clientMsgId, { entry, owner: this.account });
    this.changed('now');
  }

  removeEntries(ids: readonly string[]): void {
    if (ids.length === 0) return;
    for (const id of ids) this.changes.outbox.set(id, { entry: null, owner: this.account });
    this.changed('now');
  }

  /** Writes any pending change now; rejects when the storage fails. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.writing) await this.writing.catch(() => undefined);
    if (hasChanges(this.changes)) await this.write();
  }

  private setAccount(account: Owner): void {
    this.account = account;
    if (account === null) return;
    if (this.changes.pts?.owner === null) this.changes.pts.owner = account;
    for (const change of this.changes.outbox.values()) {
      if (change.owner === null) change.owner = account;
    }
    this.view = applyChanges(this.stored, this.changes);
  }

  private changed(when: 'now' | 'later'): void {
    this.view = applyChanges(this.stored, this.changes);
    if (!this.storage) {
      // Nothing to write to: the view is the whole state.
      this.stored = this.view;
      this.changes = noChanges();
      return;
    }
    if (when === 'later') {
      this.timer ??= setTimeout(() => {
        this.timer = null;
        void this.write().catch(() => undefined);
      }, CURSOR_DEBOUNCE_MS);
    } else {
      void this.write().catch(() => undefined);
    }
  }

  private write(): Promise<void> {
    const storage = this.storage;
    if (!storage) return Promise.resolve();
    this.writing ??= (async () => {
      // Yield first, so even a storage that throws synchronously settles after `writing` is set.
      await Promise.resolve();
      try {
        while (hasChanges(this.changes)) {
          const batch = this.changes;
          this.changes = noChanges();
          try {
            this.stored = await storage.update((stored) => applyChanges(stored, batch));
            this.writes++;
          } catch (error) {
            // Try again with the next change rather than losing this one.
            this.changes = concatChanges(batch, this.changes);
            throw error;
          }
          this.view = applyChanges(this.stored, this.changes);
        }
      } finally {
        this.writing = null;
      }
    })();
    return this.writing;
  }
}
