import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffCap, backoffDelay, DEFAULT_BACKOFF } from '../src/index.js';

describe('reconnect backoff', () => {
  it('doubles the window from 500 ms per attempt up to 30 s by default', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((a) => backoffCap(a)),
      [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000],
    );
    assert.equal(backoffCap(10_000), DEFAULT_BACKOFF.maxDelayMs, 'no overflow on long outages');
  });

  it('spreads delays over the whole window (full jitter)', () => {
    assert.equal(
      backoffDelay(3, DEFAULT_BACKOFF, () => 0),
      0,
    );
    assert.equal(
      backoffDelay(3, DEFAULT_BACKOFF, () => 0.5),
      2000,
    );
    assert.ok(backoffDelay(3, DEFAULT_BACKOFF, () => 0.999999) < 4000);
  });

  it('honours custom bounds', () => {
    const options = { minDelayMs: 20, maxDelayMs: 100 };
    assert.deepEqual(
      [0, 1, 2, 3].map((a) => backoffCap(a, options)),
      [20, 40, 80, 100],
    );
  });
});
