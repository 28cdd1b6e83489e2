/**
 * The HTTP builder as the parts that register routes on it (uploads, downloads) see it: their
 * routes take any method and a body, keep the server's headers and JSON errors, and the GET/HEAD
 * rule for everything else does not shadow them.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createHttpApp } from '../src/gateway/http.js';
import { httpGet } from './support/http.js';

describe('HTTP route plugins', () => {
  let app: FastifyInstance;
  let origin: string;
  const internalErrors: unknown[] = [];
  before(async () => {
    app = await createHttpApp({
      tls: null,
      webDir: null,
      isReady: async () => true,
      onInternalError: (error) => internalErrors.push(error),
      routes: [
        (scope) => {
          scope.post('/echo', async (request) => ({ got: request.body }));
          scope.get('/broken', async () => {
            throw new Error('a bug');
          });
        },
        async (scope) => {
          scope.put('/items/:id', { bodyLimit: 10 }, async (request) => ({
            id: (request.params as { id: string }).id,
          }));
        },
      ],
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  after(() => app.close());

  it('routes another method with its body to the plugin that registered it', async () => {
    const res = await httpGet(`${origin}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"hello":"world"}',
    });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body.toString()), { got: { hello: 'world' } });
    assert.equal(res.headers['x-content-type-options'], 'nosniff', 'the server headers apply');
  });

  it("answers a plugin's over-limit body with a JSON 413", async () => {
    const res = await httpGet(`${origin}/items/7`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"much":"more than ten bytes"}',
    });
    assert.equal(res.status, 413);
    assert.deepEqual(JSON.parse(res.body.toString()), { error: 'too_large' });
  });

  it("answers a plugin's malformed JSON with a JSON 400", async () => {
    const res = await httpGet(`${origin}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"unclosed',
    });
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.body.toString()), { error: 'bad_request' });
  });

  it('answers a failing handler with a JSON 500 and reports the error', async () => {
    const res = await httpGet(`${origin}/broken`);
    assert.equal(res.status, 500);
    assert.deepEqual(JSON.parse(res.body.toString()), { error: 'internal' });
    assert.equal((internalErrors[0] as Error).message, 'a bug');
  });

  it('still refuses other methods on the paths no plugin took', async () => {
    const res = await httpGet(`${origin}/index.html`, { method: 'DELETE' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, 'GET, HEAD');
  });
});
