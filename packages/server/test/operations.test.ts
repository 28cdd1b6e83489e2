/** What an operator relies on: probes, metrics, configuration errors, the web client's files. */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig, pageBytesOf } from '../src/index.js';
import { connectUser, startTestServer, tempDir, type TestServer } from './support/server.js';

describe('operations', () => {
  let server: TestServer;
  const webDir = tempDir('parley-web-');
  before(async () => {
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Parley</title>');
    writeFileSync(join(webDir, 'assets', 'app-123.js'), 'console.log(1)');
    server = await startTestServer({ webDir });
  });
  after(() => server.dispose());

  it('answers /healthz and /readyz', async () => {
    assert.equal((await fetch(`${server.httpUrl}/healthz`)).status, 200);
    assert.equal((await fetch(`${server.httpUrl}/readyz`)).status, 200);
  });

  it('exports Prometheus metrics for connections, frames and stored messages', async () => {
    const alice = await connectUser(server.wsUrl);
    const bob = await connectUser(server.tcpUrl);
    const conversationId = (
      await alice.client.expect('conversation', { type: 'open_direct', username: bob.username })
    ).conversation.info.id;
    await alice.client.expect('sent', {
      type: 'send',
      conversationId,
      clientMsgId: 'm',
      body: 'counted',
    });
    const text = await (await fetch(server.metricsUrl!)).text();
    assert.match(text, /parley_connections\{transport="ws"\} [1-9]/);
    assert.match(text, /parley_connections\{transport="tcp"\} [1-9]/);
    assert.match(text, /parley_frames_in_total\{type="send"\} 1/);
    assert.match(text, /parley_messages_stored_total 1/);
    assert.match(text, /parley_commit_seconds_count 1/);
    alice.client.close();
    bob.client.close();
  });

  it('serves the web client with safe headers and never leaves its folder', async () => {
    const index = await fetch(`${server.httpUrl}/`);
    assert.match(index.headers.get('content-type')!, /^text\/html; charset=utf-8$/i);
    assert.match(index.headers.get('content-security-policy')!, /default-src 'self'/);
    assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
    assert.match(await index.text(), /Parley/);
    const asset = await fetch(`${server.httpUrl}/assets/app-123.js`);
    assert.match(asset.headers.get('cache-control')!, /immutable/);
    // The client keeps its state in history.state: no path is a client-side route.
    assert.equal((await fetch(`${server.httpUrl}/chat/42`)).status, 404);
    assert.equal((await fetch(`${server.httpUrl}/missing.js`)).status, 404);
    assert.equal((await fetch(`${server.httpUrl}/..%2f..%2fpackage.json`)).status, 404);
    assert.equal((await fetch(`${server.httpUrl}/`, { method: 'POST', body: 'x' })).status, 405);
  });

  it('validates configuration and names every bad setting', () => {
    assert.throws(
      () =>
        loadConfig(
          {},
          { PARLEY_PORT: 'eighty', PARLEY_MAX_FRAME_BYTES: '-1', DATABASE_URL: 'mysql://x' },
        ),
      (error: unknown) =>
        error instanceof ConfigError &&
        /PARLEY_PORT/.test(error.message) &&
        /PARLEY_MAX_FRAME_BYTES/.test(error.message) &&
        /DATABASE_URL/.test(error.message),
    );
    assert.throws(() => loadConfig({}, { PARLEY_TLS_CERT: 'cert.pem' }), /go together/);
    assert.throws(() => loadConfig({}, {}, ['--no-such-flag', '1']), /unknown flag/);
    const config = loadConfig({}, { PARLEY_PORT: '9000' }, [
      '--tcp-port',
      '9001',
      '--log-level=debug',
    ]);
    assert.equal(config.port, 9000);
    assert.equal(config.tcpPort, 9001);
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.heartbeatMs, 30_000);
  });

  it('bounds pages to a quarter of the outbound queue unless PARLEY_PAGE_BYTES says otherwise', () => {
    assert.equal(pageBytesOf(loadConfig({}, {})), 256 * 1024);
    assert.equal(pageBytesOf(loadConfig({}, { PARLEY_OUTBOUND_QUEUE_BYTES: '400000' })), 100_000);
    assert.equal(pageBytesOf(loadConfig({}, { PARLEY_PAGE_BYTES: '5000' })), 5000);
    assert.throws(
      () => loadConfig({}, { PARLEY_PAGE_BYTES: '2000000' }),
      /PARLEY_PAGE_BYTES must not exceed PARLEY_OUTBOUND_QUEUE_BYTES/,
    );
  });
});
