/**
 * Hostile HTTP request targets, sent as raw bytes: the server answers them with an error and
 * stays up. The server runs as a child process, so a crash shows as its exit, not the test's.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { spawnServer, waitReady, type ServerProcess } from './support/process.js';
import { tempDir } from './support/server.js';

/** Sends one raw HTTP/1.1 request and resolves with the response's status line. */
function rawRequest(httpUrl: string, head: string): Promise<string> {
  const { hostname, port } = new URL(httpUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(head));
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
    socket.on('close', () => resolve(response.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

describe('bad HTTP input', () => {
  const dataDir = tempDir();
  let server: ServerProcess;
  before(async () => {
    server = await spawnServer({ PARLEY_DATA_DIR: dataDir });
    await waitReady(server);
  });
  after(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stays up when clients reset right after asking to upgrade at a refused path', async () => {
    const { port } = new URL(server.httpUrl);
    const upgrade =
      'GET /nope HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
    for (let i = 0; i < 100; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(upgrade);
          setImmediate(() => socket.resetAndDestroy());
        });
        socket.on('error', () => {});
        socket.on('close', () => resolve());
      });
    }
    assert.equal((await fetch(`${server.httpUrl}/healthz`)).status, 200);
  });

  it('answers a target with bad percent-encoding with a JSON 400 and the security headers', async () => {
    const res = await fetch(`${server.httpUrl}/%zz`);
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: 'bad_request' });
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });

  for (const target of ['//', '//[::1', '//a:99999/ws']) {
    it(`answers a request for "${target}" with 400 and stays up`, async () => {
      const status = await rawRequest(
        server.httpUrl,
        `GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
      );
      assert.match(status, /^HTTP\/1\.1 400 /);
      assert.equal((await fetch(`${server.httpUrl}/healthz`)).status, 200);
    });

    it(`refuses a WebSocket upgrade at "${target}" with 400 and stays up`, async () => {
      const status = await rawRequest(
        server.httpUrl,
        `GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
      assert.match(status, /^HTTP\/1\.1 400 /);
      assert.equal((await fetch(`${server.httpUrl}/healthz`)).status, 200);
    });
  }
});
