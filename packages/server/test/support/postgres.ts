/**
 * Test databases on the real PostgreSQL: each one created as parley_test_<random> and dropped
 * when the test file ends. When PostgreSQL is not reachable, `skip` says why, unless
 * PARLEY_REQUIRE_SERVICES=1 (CI), where that is a failure.
 */
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';

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

export interface TestPostgres {
  /** Why PostgreSQL tests skip here, or undefined when it is available. */
  skip: string | undefined;
  /** Creates a fresh database, dropped when the file's tests end; returns its URL. */
  createDatabase(): Promise<string>;
}

export async function testPostgres(): Promise<TestPostgres> {
  const admin = await connectAdmin();
  if ('reason' in admin) {
    if (process.env['PARLEY_REQUIRE_SERVICES'] === '1') throw new Error(admin.reason);
    console.log(`# skipping PostgreSQL tests: ${admin.reason}`);
    return { skip: admin.reason, createDatabase: () => Promise.reject(new Error(admin.reason)) };
  }
  const created: string[] = [];
  after(async () => {
    for (const name of created)
      await admin.client.query(`drop database if exists ${name} with (force)`);
    await admin.client.end();
  });
  return {
    skip: undefined,
    async createDatabase() {
      const name = `parley_test_${randomBytes(6).toString('hex')}`;
      await admin.client.query(`create database ${name}`);
      created.push(name);
      const url = new URL(admin.url);
      url.pathname = `/${name}`;
      return url.toString();
    },
  };
}
