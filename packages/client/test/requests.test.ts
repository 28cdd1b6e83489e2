import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParleyError } from '../src/index.js';
import { RequestMap } from '../src/requests.js';

describe('request map', () => {
  it('settles each request with the reply that carries its id', async () => {
    const map = new RequestMap(1_000);
    const a = map.open();
    const b = map.open();
    assert.notEqual(a.id, b.id);
    assert.equal(map.settle({ type: 'ok', id: b.id }), true);
    assert.equal(map.settle({ type: 'ok', id: a.id }), true);
    assert.deepEqual(await a.reply, { type: 'ok', id: a.id });
    assert.deepEqual(await b.reply, { type: 'ok', id: b.id });
    assert.equal(map.size, 0);
  });

  it('turns an error frame into a ParleyError with its code and retry hint', async () => {
    const map = new RequestMap(1_000);
    const { id, reply } = map.open();
    map.settle({
      type: 'error',
      id,
      code: 'rate_limited',
      message: 'slow down',
      retryAfterMs: 250,
    });
    await assert.rejects(reply, (error) => {
      assert.ok(error instanceof ParleyError);
      assert.equal(error.code, 'rate_limited');
      assert.equal(error.retryAfterMs, 250);
      return true;
    });
  });

  it('fails a request with timeout when no reply comes, and ignores the late reply', async () => {
    const map = new RequestMap(1_000);
    const { id, reply } = map.open(10);
    await assert.rejects(reply, { code: 'timeout' });
    assert.equal(map.settle({ type: 'ok', id }), false);
  });

  it('fails every request in flight when the connection drops', async () => {
    const map = new RequestMap(1_000);
    const replies = [map.open().reply, map.open().reply];
    map.failAll(new ParleyError('disconnected', 'gone'));
    for (const r of replies) await assert.rejects(r, { code: 'disconnected' });
    assert.equal(map.size, 0);
  });

  it('ignores replies to nobody', () => {
    const map = new RequestMap(1_000);
    assert.equal(map.settle({ type: 'ok', id: 'never-sent' }), false);
    assert.equal(map.settle({ type: 'error', id: null, code: 'bad_frame', message: 'x' }), false);
  });
});
