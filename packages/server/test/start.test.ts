/** What `npm start` runs: the built server, serving the built web client at /. */
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MAIN_BUILT, spawnServer, waitReady } from './support/process.js';
import { testPostgres } from './support/postgres.js';
import { tempDir } from './support/server.js';

const postgres = await testPostgres();

describe('npm start', () => {
  const dataDir = tempDir();
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves the web client, the probes and the WebSocket from the built server', async (t) => {
    assert.ok(existsSync(MAIN_BUILT), 'the server is built (npm test runs npm run build first)');
    const server = await spawnServer({ PARLEY_DATA_DIR: dataDir }, [], { built: true });
    t.after(() => server.child.kill('SIGKILL'));
    await waitReady(server);
    const page = await fetch(`${server.httpUrl}/`);
    assert.equal(page.status, 200, 'the web client is built and served at /');
    assert.match(await page.text(), /<div id="root">/);
    assert.equal((await fetch(`${server.httpUrl}/healthz`)).status, 200);
    assert.ok(existsSync(`${dataDir}/parley.db`), 'the SQLite file is in the data directory');
    assert.ok(
      server.stderr().includes(`Data: SQLite ${join(dataDir, 'parley.db')}\n`),
      `the banner says where the data is:\n${server.stderr()}`,
    );
    server.child.kill('SIGTERM');
    assert.equal((await server.exited).code, 0);
  });

  it(
    'says in the banner which PostgreSQL database holds the data, without the password',
    { skip: postgres.skip },
    async (t) => {
      const url = new URL(await postgres.createDatabase());
      url.password = 'hunter2-secret'; // the test server trusts local connections
      const server = await spawnServer({ DATABASE_URL: url.toString() }, [], { built: true });
      t.after(() => server.child.kill('SIGKILL'));
      await waitReady(server);
      const line = server
        .stderr()
        .split('\n')
        .find((l) => l.startsWith('Data: '));
      url.password = '***';
      assert.equal(line, `Data: PostgreSQL ${url.toString()}`);
      assert.doesNotMatch(server.stderr(), /hunter2-secret/);
      server.child.kill('SIGTERM');
      assert.equal((await server.exited).code, 0);
    },
  );
});
