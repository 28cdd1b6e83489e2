/** TLS on both ports when given a certificate, and the heartbeat's idle timeout. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { LengthPrefixedDecoder, type ServerFrame } from '@parley/protocol';
import WebSocket from 'ws';
import { httpGet } from './support/http.js';
import { RawClient } from './support/raw-client.js';
import { startTestServer, tempDir, type TestServer } from './support/server.js';

describe('TLS', () => {
  let server: TestServer;
  const dir = tempDir('parley-tls-');
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  before(async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    server = await startTestServer({ tlsCert: cert, tlsKey: key });
  });
  after(() => server.dispose());

  it('serves wss:// on the HTTP port', async () => {
    assert.match(server.wsUrl, /^wss:/);
    // The certificate names localhost; the server listens on 127.0.0.1.
    const tlsOptions = { ca: readFileSync(cert), servername: 'localhost' };
    const ws = new WebSocket(server.wsUrl, tlsOptions);
    const reply = await new Promise<ServerFrame>((resolve, reject) => {
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', id: 'h', versions: [1] })));
      ws.on('message', (data) => resolve(JSON.parse(data.toString()) as ServerFrame));
      ws.on('error', reject);
    });
    assert.equal(reply.type, 'welcome');
    ws.close();
  });

  it('tells browsers to keep to https (HSTS) on every answer', async () => {
    for (const path of ['/healthz', '/no-such-page']) {
      const res = await httpGet(`${server.httpUrl}${path}`, {
        ca: readFileSync(cert),
        servername: 'localhost',
      });
      assert.equal(res.headers['strict-transport-security'], 'max-age=31536000', path);
    }
  });

  it('speaks TLS on the TCP port', async () => {
    const { hostname, port } = new URL(server.tcpUrl);
    const socket = connect({
      host: hostname,
      port: Number(port),
      ca: readFileSync(cert),
      servername: 'localhost',
    });
    const decoder = new LengthPrefixedDecoder();
    const reply = await new Promise<ServerFrame>((resolve, reject) => {
      socket.on('secureConnect', () => {
        const body = Buffer.from(JSON.stringify({ type: 'hello', id: 'h', versions: [1] }));
        const head = Buffer.alloc(4);
        head.writeUInt32BE(body.length);
        socket.write(Buffer.concat([head, body]));
      });
      socket.on('data', (chunk) => {
        const [first] = decoder.push(chunk);
        if (first) resolve(JSON.parse(first) as ServerFrame);
      });
      socket.on('error', reject);
    });
    assert.equal(reply.type, 'welcome');
    socket.destroy();
  });
});

describe('heartbeat', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ heartbeatMs: 1000 });
  });
  after(() => server.dispose());

  it('closes a connection that goes silent, saying why', async () => {
    const client = await RawClient.tcp(server.tcpUrl);
    await client.expect('welcome', { type: 'hello', versions: [1] });
    assert.deepEqual(await client.next((f) => f.type === 'bye'), {
      type: 'bye',
      reason: 'idle_timeout',
    });
    await client.whenClosed;
  });

  it('keeps a connection that pings', async () => {
    const client = await RawClient.ws(server.wsUrl);
    const welcome = await client.expect('welcome', { type: 'hello', versions: [1] });
    assert.equal(welcome.limits.heartbeatMs, 1000);
    for (let i = 0; i < 15; i++) {
      await new Promise((r) => setTimeout(r, 200));
      assert.equal((await client.request({ type: 'ping' })).type, 'pong');
    }
    assert.equal(client.closed, false);
    client.close();
  });
});
