/**
 * The Store contract on PostgreSQL: a database of its own (parley_test_<random>), dropped after.
 * When PostgreSQL is not reachable the suite is skipped with the reason, unless
 * PARLEY_REQUIRE_SERVICES=1 (CI), where that is a failure.
 */
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { createPostgresStore } from '../src/store/postgres.js';
import { runStoreSuite } from './store-contract.js';

/** Where an administrative connection may be found on a developer machine or in CI. */
const ADMIN_URLS = [
  process.env['PARLEY_TEST_POSTGRES_URL'],
  'postgres://root@127.0.0.1:5432/test',
  'postgres://postgres@127.0.0.1:5432/postgres',
].filter((url): url is string => url !== undefined && url !== '');

async function connectAdmin(): Promise<{ client: pg.Client; url: string } | { reason: string }> {
  const failures: string[] = [];
  for (const url of ADMIN_URLS) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      return { client, url };
    } catch (error) {
      failures.push(`${url}: ${(error as Error).message}`);
      await client.end().catch(() => undefined);
    }
  }
  return { reason: `PostgreSQL not reachable (${failures.join('; ')})` };
}

const admin = await connectAdmin();
let skip: string | undefined;
/** Creates a database dropped when the file's tests end; returns its URL. */
let createDatabase: () => Promise<string> = () => Promise.reject(new Error(skip));
if ('reason' in admin) {
  if (process.env['PARLEY_REQUIRE_SERVICES'] === '1') throw new Error(admin.reason);
  skip = admin.reason;
} else {
  const created: string[] = [];
  createDatabase = async () => {
    const name = `parley_test_${randomBytes(6).toString('hex')}`;
    await admin.client.query(`create database ${name}`);
    created.push(name);
    const url = new URL(admin.url);
    url.pathname = `/${name}`;
    return url.toString();
  };
  after(async () => {
    for (const name of created) {
      await admin.client.query(`drop database if exists ${name} with (force)`);
    }
    await admin.client.end();
  });
}

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
