/**
 * Holds the state the SDK persists and writes it through the ClientStorage: at once for what must
 * not be lost (token, outbox), debounced for the cursor, which changes with every update. Writes
 * never overlap; changes made during a write are written right after it.
 */
import { emptyState } from './storage.js';
import type { ClientStorage, PersistedState } from './types.js';

const CURSOR_DEBOUNCE_MS = 500;

export class Persister {
  private current: PersistedState = emptyState();
  private dirty = false;
  private writing: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** `null`: nothing to persist to (no storage given), so no state is ever serialized. */
  constructor(private readonly storage: ClientStorage | null) {}

  get state(): Readonly<PersistedState> {
    return this.current;
  }

  /** Reads what is stored; a failed or empty read starts from nothing. */
  async load(): Promise<void> {
    if (!this.storage) return;
    try {
      this.current = (await this.storage.load()) ?? emptyState();
    } catch {
      this.current = emptyState();
    }
  }

  /** Changes the state; `later` debounces the write (for the cursor). */
  update(patch: Partial<PersistedState>, when: 'now' | 'later' = 'now'): void {
    this.current = { ...this.current, ...patch };
    if (!this.storage) return;
    this.dirty = true;
    if (when === 'later') {
      this.timer ??= setTimeout(() => {
        this.timer = null;
        void this.write().catch(() => undefined);
      }, CURSOR_DEBOUNCE_MS);
    } else {
      void this.write().catch(() => undefined);
    }
  }

  /** Writes any pending change now; rejects when the storage fails. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.writing) await this.writing.catch(() => undefined);
    if (this.dirty) await this.write();
  }

  private write(): Promise<void> {
    const storage = this.storage;
    if (!storage) return Promise.resolve();
    this.writing ??= (async () => {
      // Yield first, so even a storage that throws synchronously settles after `writing` is set.
      await Promise.resolve();
      try {
        while (this.dirty) {
          this.dirty = false;
          await storage.save({ ...this.current, outbox: [...this.current.outbox] });
        }
      } catch (error) {
        // Try again with the next change rather than losing this one.
        this.dirty = true;
        throw error;
      } finally {
        this.writing = null;
      }
    })();
    return this.writing;
  }
}
