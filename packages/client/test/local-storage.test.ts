/**
 * The browser storage, on a stand-in for window.localStorage (the two-tab behaviour itself is
 * tested in real Chromium: packages/web/test/web-tabs.test.ts).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { localStorageStorage, type OutboxEntry, type PersistedState } from '../src/index.js';

class FakeLocalStorage {
  readonly items = new Map<string, string>();
  readonly writes: string[] = [];
  get length(): number {
    return this.items.size;
  }
  key(i: number): string | null {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(k: string): string | null {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.writes.push(k);
    this.items.set(k, v);
  }
  removeItem(k: string): void {
    this.writes.push(`-${k}`);
    this.items.delete(k);
  }
}

const entry = (id: string, createdAt: number): OutboxEntry => ({
  status: 'pending',
  clientMsgId: id,
  conversationId: 1,
  body: id,
  createdAt,
});

describe('localStorage storage', () => {
  let fake: FakeLocalStorage;
  beforeEach(() => {
    fake = new FakeLocalStorage();
    (globalThis as { localStorage?: unknown }).localStorage = fake;
  });
  afterEach(() => delete (globalThis as { localStorage?: unknown }).localStorage);

  it('keeps each outbox entry under its own key and writes only what changed', async () => {
    const storage = localStorageStorage('p');
    await storage.update((s) => ({ ...s, token: 't', pts: 3, outbox: [entry('a', 1)] }));
    assert.deepEqual([...fake.items.keys()].sort(), ['p', 'p.outbox.a']);
    fake.writes.length = 0;
    await storage.update((s) => ({ ...s, outbox: [...s.outbox, entry('b', 2)] }));
    assert.deepEqual(fake.writes, ['p.outbox.b'], 'neither the session nor entry a rewritten');
    fake.writes.length = 0;
    await storage.update((s) => ({ ...s, outbox: s.outbox.filter((e) => e.clientMsgId !== 'a') }));
    assert.deepEqual(fake.writes, ['-p.outbox.a']);
  });

  it('reads the older one-key layout and moves its entries to their own keys', async () => {
    const old: PersistedState = {
      token: 't',
      user: { id: 1, username: 'al' },
      pts: 9,
      outbox: [entry('x', 5)],
    };
    fake.setItem('p', JSON.stringify(old));
    const storage = localStorageStorage('p');
    assert.deepEqual(await storage.load(), old);
    await storage.update((s) => ({ ...s, pts: 10 }));
    assert.deepEqual(JSON.parse(fake.getItem('p')!), { token: 't', user: old.user, pts: 10 });
    assert.deepEqual(JSON.parse(fake.getItem('p.outbox.x')!), old.outbox[0]);
  });
});
