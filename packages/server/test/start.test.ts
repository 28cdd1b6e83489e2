/** What `npm start` runs: the built server, serving the built web client at /. */
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { MAIN_BUILT, spawnServer, waitReady } from './support/process.js';
import { tempDir } from './support/server.js';

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
    server.child.kill('SIGTERM');
    assert.equal((await server.exited).code, 0);
  });
});
