/**
 * Stopping a node: SIGTERM and SIGHUP drain and exit, whatever became of the log's reader, and
 * during the drain the HTTP side stays up to tell load balancers the node is going (/readyz 503).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { spawnServer, waitReady, type ServerProcess } from './support/process.js';
import { tempDir } from './support/server.js';

/** Many connections opened and closed: at debug level each writes two log lines. */
async function churnConnections(server: ServerProcess, count: number): Promise<void> {
  const { port } = new URL(server.tcpUrl);
  for (let done = 0; done < count; done += 20) {
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const socket = connect(Number(port), '127.0.0.1');
        await once(socket, 'connect');
        socket.destroy();
      }),
    );
  }
}

/**
 * A WebSocket upgrade done by hand whose client then never answers: the server's close goes
 * unanswered, so the drain lasts until this socket is destroyed.
 */
async function silentWebSocket(httpUrl: string): Promise<Socket> {
  const { port } = new URL(httpUrl);
  const socket = connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  socket.write(
    'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  const [head] = (await once(socket, 'data')) as [Buffer];
  assert.match(head.toString(), /^HTTP\/1.1 101/);
  return socket;
}

/** The status line a WebSocket upgrade gets now. */
async function upgradeStatus(httpUrl: string): Promise<string> {
  const { port } = new URL(httpUrl);
  const socket = connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  socket.write(
    'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  const [head] = (await once(socket, 'data')) as [Buffer];
  socket.destroy();
  return head.toString().split('\r\n')[0]!;
}

describe('signals', () => {
  const dataDir = tempDir();
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it(
    'exits on SIGTERM when stdout is a full pipe that nobody reads',
    { timeout: 60_000 },
    async (t) => {
      const server = await spawnServer(
        { PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'debug' },
        [],
        { built: true, stdout: 'pipe' },
      );
      t.after(() => server.child.kill('SIGKILL'));
      await waitReady(server);
      // The reader stops reading: the pipe fills with connection logs and stays full.
      server.stdout!.pause();
      await churnConnections(server, 2000);
      server.child.kill('SIGTERM');
      assert.deepEqual(await server.exited, { code: 0, signal: null });
    },
  );

  it('exits on SIGTERM after the reader of stdout has gone', { timeout: 60_000 }, async (t) => {
    const server = await spawnServer({ PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'debug' }, [], {
      built: true,
      stdout: 'pipe',
    });
    t.after(() => server.child.kill('SIGKILL'));
    await waitReady(server);
    server.stdout!.destroy();
    await churnConnections(server, 20);
    server.child.kill('SIGTERM');
    assert.deepEqual(await server.exited, { code: 0, signal: null });
  });

  it('drains on SIGHUP: /readyz answers 503 and new connections are refused until it exits 0', async (t) => {
    const server = await spawnServer(
      { PARLEY_DATA_DIR: dataDir, PARLEY_SHUTDOWN_GRACE_MS: '60000' },
      [],
      { built: true },
    );
    t.after(() => server.child.kill('SIGKILL'));
    await waitReady(server);
    const lingering = await silentWebSocket(server.httpUrl);
    server.child.kill('SIGHUP');
    await server.stderrLine(/^SIGHUP: draining/);

    const ready = await fetch(`${server.httpUrl}/readyz`);
    assert.equal(ready.status, 503, 'the node tells the load balancer it is going');
    assert.equal((await fetch(`${server.httpUrl}/healthz`)).status, 200, 'and is still alive');
    assert.equal(await upgradeStatus(server.httpUrl), 'HTTP/1.1 503 Service Unavailable');
    const { port } = new URL(server.tcpUrl);
    const tcp = connect(Number(port), '127.0.0.1');
    const [error] = (await once(tcp, 'error')) as [NodeJS.ErrnoException];
    assert.equal(error.code, 'ECONNREFUSED', 'the TCP port no longer accepts');

    lingering.destroy();
    assert.deepEqual(await server.exited, { code: 0, signal: null });
  });
});
