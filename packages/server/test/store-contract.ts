/**
 * The Store contract: every adapter runs this same suite (store-sqlite.test.ts,
 * store-postgres.test.ts). Tests share one database per suite and never assume it is empty: each
 * creates its own users and conversations.
 */
import { after, before, describe } from 'node:test';
import type { Store } from '../src/store/store.js';
import { createFixture } from './store-contract/fixture.js';
import type { Fixture } from './store-contract/fixture.js';
import { accountCases } from './store-contract/accounts.js';
import { contactCases } from './store-contract/contacts.js';
import { conversationCases } from './store-contract/conversations.js';
import { fileCases } from './store-contract/files.js';
import { messageCases } from './store-contract/messages.js';
import { presenceCases } from './store-contract/presence.js';
import { searchCases } from './store-contract/search.js';
import { updateStreamCases } from './store-contract/update-stream.js';

export interface StoreSuiteOptions {
  name: string;
  /**
   * Opens a store on the suite's database. Called again to reopen it after a close, and (with
   * `sharedWriters`) to open a second node's store on the same data while the first is open.
   */
  createStore: () => Promise<Store>;
  /** Several stores may write one database at once (PostgreSQL: several server nodes). */
  sharedWriters?: boolean;
  /** Skips the whole suite, saying why (for example: PostgreSQL is not reachable). */
  skip?: string;
}

export function runStoreSuite(options: StoreSuiteOptions): void {
  describe(options.name, { skip: options.skip ?? false }, () => {
    let fixture: Fixture | null = null;
    const get = (): Fixture => {
      if (fixture === null) throw new Error('store suite fixture not ready');
      return fixture;
    };
    before(async () => {
      fixture = await createFixture(options.createStore, options.sharedWriters ?? false);
    });
    after(async () => {
      await fixture?.close();
    });

    describe('accounts and sessions', () => accountCases(get));
    describe('conversations', () => conversationCases(get));
    describe('messages', () => messageCases(get));
    describe('update stream', () => updateStreamCases(get));
    describe('contacts', () => contactCases(get));
    describe('files', () => fileCases(get));
    describe('presence', () => presenceCases(get));
    describe('search', () => searchCases(get));
  });
}
