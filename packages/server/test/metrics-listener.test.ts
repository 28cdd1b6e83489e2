/**
 * Prometheus metrics live on their own listener, loopback by default: the public port never
 * shows a node's internals (issue 12 item 11).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../src/index.js';
import { httpGet } from './support/http.js';
import { startTestServer, type TestServer } from './support/server.js';

describe('metrics listener', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.dispose());

  it('answers /metrics on the public port with 404', async () => {
    const res = await httpGet(`${server.httpUrl}/metrics`);
    assert.equal(res.status, 404);
    assert.doesNotMatch(res.body.toString(), /parley_/);
  });

  it('serves Prometheus text on the metrics listener, on loopback', async () => {
    assert.match(server.metricsUrl!, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    assert.notEqual(new URL(server.metricsUrl!).port, new URL(server.httpUrl).port);
    const res = await httpGet(server.metricsUrl!);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type']!, /^text\/plain/);
    assert.match(res.body.toString(), /^# TYPE parley_connections gauge$/m);
  });

  it('serves nothing else there', async () => {
    const origin = new URL(server.metricsUrl!).origin;
    const other = await httpGet(`${origin}/`);
    assert.equal(other.status, 404);
    assert.deepEqual(JSON.parse(other.body.toString()), { error: 'not_found' });
    const post = await httpGet(server.metricsUrl!, { method: 'POST', body: 'x' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
  });

  it('listens on 127.0.0.1:8082 unless told otherwise', () => {
    const defaults = loadConfig({}, {});
    assert.equal(defaults.metricsHost, '127.0.0.1');
    assert.equal(defaults.metricsPort, 8082);
    const set = loadConfig({}, { PARLEY_METRICS_HOST: '0.0.0.0', PARLEY_METRICS_PORT: '9100' });
    assert.equal(set.metricsHost, '0.0.0.0');
    assert.equal(set.metricsPort, 9100);
    assert.throws(() => loadConfig({}, { PARLEY_METRICS_PORT: '70000' }), /PARLEY_METRICS_PORT/);
  });
});

describe('metrics switched off', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ metrics: false });
  });
  after(() => server.dispose());

  it('opens no metrics listener and still answers /metrics on the public port with 404', async () => {
    assert.equal(server.metricsUrl, null);
    assert.equal((await httpGet(`${server.httpUrl}/metrics`)).status, 404);
  });
});
