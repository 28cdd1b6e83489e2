/** `parley --ca FILE` against a server whose certificate only that file vouches for. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, type RunningServer } from '@parley/server';
import { CliUser, PASSWORD, uniqueName } from './support/cli.js';

describe('parley over TLS with a private CA', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cli-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  let server: RunningServer;
  before(async () => {
    // A self-signed certificate: its own CA, trusted by nothing but --ca.
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
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      tcpPort: 0,
      metricsPort: 0,
      dataDir: join(dir, 'data'),
      logLevel: 'silent',
      tlsCert: cert,
      tlsKey: key,
    });
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const kind of ['wss', 'tls'] as const) {
    it(`registers and sends over ${kind}:// when --ca trusts the certificate`, async () => {
      const url = kind === 'wss' ? server.wsUrl : server.tcpUrl;
      assert.match(url, new RegExp(`^${kind}://`));
      const [a, b] = [uniqueName('a'), uniqueName('b')];
      const alice = new CliUser(url, join(dir, `${a}.json`));
      const bob = new CliUser(url, join(dir, `${b}.json`));
      const env = { PARLEY_PASSWORD: PASSWORD };
      assert.equal((await alice.run(['--ca', cert, 'register', a], { env })).code, 0);
      // The environment variable does the same.
      const reg = await bob.run(['register', b], { env: { ...env, PARLEY_CA: cert } });
      assert.equal(reg.code, 0, reg.stderr);
      const sent = await alice.run(['--ca', cert, 'send', b, 'over TLS']);
      assert.equal(sent.code, 0, sent.stderr);
      const history = await bob.run(['--ca', cert, 'history', a]);
      assert.match(history.stdout, /over TLS/);
    });

    it(`refuses the unknown certificate over ${kind}:// without --ca, and says why`, async () => {
      const url = kind === 'wss' ? server.wsUrl : server.tcpUrl;
      const user = new CliUser(url, join(dir, `${uniqueName('c')}.json`));
      const r = await user.run(['whoami']);
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /cannot reach the server.*(certificate|self.signed)/i);
    });
  }

  it('names a --ca file it cannot read', async () => {
    const user = new CliUser(server.wsUrl, join(dir, 'nobody.json'));
    const r = await user.run(['--ca', join(dir, 'missing.pem'), 'whoami']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read the --ca file .*missing\.pem \(ENOENT\)/);
  });
});
