/**
 * The Store contract on PostgreSQL: a database of its own (parley_test_<random>), dropped after.
 * When PostgreSQL is not reachable the suite is skipped with the reason, unless
 * PARLEY_REQUIRE_SERVICES=1 (CI), where that is a failure.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPostgresStore } from '../src/store/postgres.js';
import { runStoreSuite } from './store-contract.js';
import { testPostgres } from './support/postgres.js';

const { skip, createDatabase } = await testPostgres();
const suiteUrl = skip === undefined ? await createDatabase() : '';
runStoreSuite({
  name: 'PostgreSQL store',
  createStore: () => createPostgresStore({ url: suiteUrl }),
  sharedWriters: true,
  ...(skip === undefined ? {} : { skip }),
});

describe('PostgreSQL store startup', { skip: skip ?? false }, () => {
  it('starts when several nodes open one new database at the same moment', async () => {
    const url = await createDatabase();
    const stores = await Promise.all([1, 2, 3].map(() => createPostgresStore({ url })));
    try {
      // Each node sees the one schema the others migrated.
      const user = await stores[0]?.createUser('first', 'hash', 1);
      assert.deepEqual(await stores[2]?.findUserByUsername('first'), user);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
