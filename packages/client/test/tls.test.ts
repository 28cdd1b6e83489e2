/** The SDK over wss:// and tls:// against a server with a (self-signed) certificate. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { transportFor } from '../src/node/index.js';
import {
  nextEvent,
  newClient,
  reachState,
  registered,
  startTestServer,
  type TestServer,
} from './support/sdk.js';

describe('SDK over TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-sdk-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  let server: TestServer;
  let ca: Buffer;
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
      ].concat([
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        key,
        '-out',
        cert,
      ]),
      { stdio: 'ignore' },
    );
    ca = readFileSync(cert);
    server = await startTestServer({ tlsCert: cert, tlsKey: key });
  });
  after(async () => {
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('chats over wss:// and tls:// when the certificate is trusted', async () => {
    assert.match(server.wsUrl, /^wss:/);
    assert.match(server.tcpUrl, /^tls:/);
    const web = await registered(server.wsUrl, {
      transport: transportFor(server.wsUrl, { tls: { ca } }),
    });
    const terminal = await registered(server.tcpUrl, {
      transport: transportFor(server.tcpUrl, { tls: { ca } }),
    });
    const chat = await web.openDirect(terminal.user!.username);
    const got = nextEvent(terminal, 'message', (e) => e.message.body === 'encrypted hello');
    await web.sendAndWait(chat.info.id, 'encrypted hello');
    await got;
    web.close();
    terminal.close();
  });

  it('refuses a certificate it cannot verify, and says why', async () => {
    for (const url of [server.wsUrl, server.tcpUrl]) {
      const client = newClient(url);
      const failed = nextEvent(client, 'state', (s) => s.status === 'reconnecting');
      void client.connect().catch(() => undefined);
      const state = await failed;
      assert.ok(state.status === 'reconnecting');
      assert.match(state.lastError, /certificate/i);
      client.close();
      await reachState(client, 'closed');
    }
  });
});
