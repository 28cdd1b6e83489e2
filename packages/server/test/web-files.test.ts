/**
 * The web client's files as a browser and an attacker fetch them over real HTTP: compressed when
 * the browser accepts it, revalidated by ETag, cached by kind, and nothing but the build's own
 * files: no page for unknown paths, no dotfiles, nothing reached through a symlink out of it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { httpGet } from './support/http.js';
import { startTestServer, tempDir, type TestServer } from './support/server.js';

const INDEX = '<!doctype html><title>Parley</title><script src="/assets/app-1a2b.js"></script>';
const SCRIPT = 'console.log("parley");'.repeat(200);
const SECRET = 'the key to the other server';

/** Writes a file and, like the build, its brotli and gzip twins. */
function writeCompressed(path: string, text: string) {
  writeFileSync(path, text);
  writeFileSync(`${path}.br`, brotliCompressSync(text));
  writeFileSync(`${path}.gz`, gzipSync(text));
}

describe('web client files', () => {
  const webDir = tempDir('parley-web-');
  const outside = tempDir('parley-outside-');
  let server: TestServer;
  let url: (path: string) => string;
  before(async () => {
    mkdirSync(join(webDir, 'assets'));
    writeCompressed(join(webDir, 'index.html'), INDEX);
    writeCompressed(join(webDir, 'assets', 'app-1a2b.js'), SCRIPT);
    writeFileSync(join(webDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(webDir, '.env'), 'DATABASE_URL=postgres://secret');
    mkdirSync(join(webDir, '.git'));
    writeFileSync(join(webDir, '.git', 'config'), '[core]');
    writeFileSync(join(webDir, 'assets', '.hidden.js'), 'hidden');
    writeFileSync(join(outside, 'secret.txt'), SECRET);
    mkdirSync(join(outside, 'dir'));
    writeFileSync(join(outside, 'dir', 'secret.txt'), SECRET);
    symlinkSync(join(outside, 'secret.txt'), join(webDir, 'leak.txt'));
    symlinkSync(join(outside, 'dir'), join(webDir, 'assets', 'linked'));
    symlinkSync(join(webDir, 'assets', 'app-1a2b.js'), join(webDir, 'inside.js'));
    // A real file whose brotli twin leads out: the twin is what a browser would get.
    writeFileSync(join(webDir, 'twin.js'), SCRIPT);
    symlinkSync(join(outside, 'secret.txt'), join(webDir, 'twin.js.br'));
    server = await startTestServer({ webDir });
    url = (path) => `${server.httpUrl}${path}`;
  });
  after(async () => {
    await server.dispose();
    rmSync(webDir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('serves index.html at / to be revalidated, brotli compressed when the browser accepts it', async () => {
    const res = await httpGet(url('/'), { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type']!, /^text\/html; charset=utf-8$/i);
    assert.equal(res.headers['content-encoding'], 'br');
    assert.equal(res.headers.vary, 'accept-encoding');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.equal(brotliDecompressSync(res.body).toString(), INDEX);
  });

  it('sends gzip to a browser that accepts only gzip, and the plain file to one that accepts neither', async () => {
    const gzipped = await httpGet(url('/assets/app-1a2b.js'), {
      headers: { 'accept-encoding': 'gzip' },
    });
    assert.equal(gzipped.headers['content-encoding'], 'gzip');
    assert.match(gzipped.headers['content-type']!, /javascript; charset=utf-8$/i);
    assert.equal(gunzipSync(gzipped.body).toString(), SCRIPT);
    const plain = await httpGet(url('/assets/app-1a2b.js'));
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers.vary, 'accept-encoding', 'a cache keeps the variants apart');
    assert.equal(plain.body.toString(), SCRIPT);
  });

  it('caches hashed assets for a year and everything else only with revalidation', async () => {
    const asset = await httpGet(url('/assets/app-1a2b.js'));
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    const icon = await httpGet(url('/favicon.svg'));
    assert.equal(icon.status, 200);
    assert.equal(icon.headers['cache-control'], 'no-cache');
  });

  it('answers 304 without a body when the ETag still matches, and 200 when it does not', async () => {
    const headers = { 'accept-encoding': 'br' };
    const first = await httpGet(url('/'), { headers });
    const etag = first.headers.etag!;
    assert.ok(etag, 'an ETag is sent');
    const again = await httpGet(url('/'), { headers: { ...headers, 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    const stale = await httpGet(url('/'), { headers: { ...headers, 'if-none-match': 'W/"x"' } });
    assert.equal(stale.status, 200);
    assert.equal(brotliDecompressSync(stale.body).toString(), INDEX);
  });

  it('sends the security headers, lets the page connect only to its own origin, and no HSTS without TLS', async () => {
    for (const path of ['/', '/assets/app-1a2b.js', '/missing.js']) {
      const { headers } = await httpGet(url(path));
      assert.equal(headers['x-content-type-options'], 'nosniff', path);
      assert.equal(headers['x-frame-options'], 'DENY', path);
      assert.equal(headers['referrer-policy'], 'no-referrer', path);
      const csp = String(headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/);
      // 'self' covers the same origin's ws: and wss: (CSP level 3); no other server is allowed.
      assert.match(csp, /(^|; )connect-src 'self'(;|$)/, csp);
      assert.equal(headers['strict-transport-security'], undefined, 'plain http sends no HSTS');
    }
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await httpGet(url('/assets/app-1a2b.js'), { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-length'], String(SCRIPT.length));
    assert.equal(res.body.length, 0);
  });

  for (const path of [
    '/health',
    '/ready',
    '/metrics',
    '/chat/42',
    '/missing.js',
    '/assets',
    '/assets/',
  ]) {
    it(`answers ${path} with a JSON 404, not the web page`, async () => {
      const res = await httpGet(url(path));
      assert.equal(res.status, 404);
      assert.match(res.headers['content-type']!, /^application\/json/);
      assert.deepEqual(JSON.parse(res.body.toString()), { error: 'not_found' });
    });
  }

  for (const [method, path] of [
    ['POST', '/'],
    ['PUT', '/assets/app-1a2b.js'],
    ['DELETE', '/healthz'],
    ['PATCH', '/readyz'],
    ['OPTIONS', '/index.html'],
    ['POST', '/no-such-page'],
  ] as const) {
    it(`refuses ${method} ${path} with 405 and Allow: GET, HEAD`, async () => {
      const res = await httpGet(url(path), {
        method,
        headers: { 'content-type': 'application/octet-stream' },
        body: 'x'.repeat(1000),
      });
      assert.equal(res.status, 405);
      assert.equal(res.headers.allow, 'GET, HEAD');
      assert.deepEqual(JSON.parse(res.body.toString()), { error: 'method_not_allowed' });
    });
  }

  for (const path of [
    '/.env',
    '/.git/config',
    '/assets/.hidden.js',
    '/%2eenv',
    '/assets/..%2f.env',
  ]) {
    it(`never serves the dotfile at ${path}`, async () => {
      const res = await httpGet(url(path));
      assert.equal(res.status, 404);
      assert.doesNotMatch(res.body.toString(), /secret|core|hidden/);
    });
  }

  for (const path of ['/leak.txt', '/assets/linked/secret.txt', '/..%2f..%2fetc%2fpasswd']) {
    it(`never follows ${path} out of the web folder`, async () => {
      const res = await httpGet(url(path), { headers: { 'accept-encoding': 'gzip, br' } });
      assert.equal(res.status, 404);
      assert.ok(!res.body.toString().includes(SECRET));
    });
  }

  it('serves nothing for a file whose compressed twin leads out of the folder', async () => {
    const res = await httpGet(url('/twin.js'), { headers: { 'accept-encoding': 'br' } });
    assert.equal(res.status, 404);
    assert.ok(!res.body.toString().includes(SECRET));
  });

  it('follows a symlink that stays inside the folder', async () => {
    const res = await httpGet(url('/inside.js'));
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), SCRIPT);
  });
});
