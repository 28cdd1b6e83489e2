/**
 * The outbound queue judges a connection by whether it drains (foundation issue item 1). How
 * many bytes the kernel takes from a socket cannot be set from a test, so the connection here
 * is a stand-in whose unwritten bytes the test moves by hand; the transports themselves are
 * covered by slow-consumer.test.ts and page-bytes-suite.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Connection } from '../src/session/connection.js';
import { OutboundQueue, type StallTimer } from '../src/session/outbound-queue.js';

function standIn(): Connection & { buffered: number } {
  const connection: Connection & { buffered: number } = {
    transport: 'tcp',
    remoteAddress: '127.0.0.1',
    buffered: 0,
    send(text: string) {
      connection.buffered += text.length;
    },
    bufferedBytes: () => connection.buffered,
    end: () => undefined,
    destroy: () => undefined,
  };
  return connection;
}

const BOUND = 1000;

describe('outbound queue', () => {
  it('accepts one reply far over the bound when the queue was within it', () => {
    const connection = standIn();
    const queue = new OutboundQueue(connection, BOUND, 60_000, () => assert.fail('stalled'));
    assert.equal(queue.send('x'.repeat(50 * BOUND)), 'ok');
    // The peer reads; frames keep coming and the queue stays well below a bound past the reply.
    connection.buffered = 10 * BOUND;
    assert.equal(queue.send('x'.repeat(BOUND / 2)), 'ok');
    queue.stop();
  });

  it('cuts a connection whose queue keeps growing past a whole bound beyond where it went over', () => {
    const connection = standIn();
    const queue = new OutboundQueue(connection, BOUND, 60_000, () => assert.fail('stalled'));
    assert.equal(queue.send('x'.repeat(3 * BOUND)), 'ok');
    assert.equal(queue.send('x'.repeat(BOUND / 2)), 'ok');
    assert.equal(queue.send('x'.repeat(BOUND / 2)), 'ok');
    assert.equal(queue.send('x'), 'overflow');
    queue.stop();
  });

  it('starts over once the queue drained within the bound', () => {
    const connection = standIn();
    const queue = new OutboundQueue(connection, BOUND, 60_000, () => assert.fail('stalled'));
    assert.equal(queue.send('x'.repeat(3 * BOUND)), 'ok');
    connection.buffered = 0;
    assert.equal(queue.send('x'.repeat(5 * BOUND)), 'ok');
    queue.stop();
  });

  it('keeps a connection over the bound while it drains, and cuts it once it stops', () => {
    const connection = standIn();
    let tick: (() => void) | null = null;
    const timer: StallTimer = {
      start(check) {
        tick = check;
        return () => (tick = null);
      },
    };
    let stalled = 0;
    const queue = new OutboundQueue(connection, BOUND, 1000, () => stalled++, timer);
    assert.equal(queue.send('x'.repeat(10 * BOUND)), 'ok');
    const check = () => {
      assert.ok(tick, 'watching');
      tick();
    };
    for (let left = 9; left >= 2; left--) {
      connection.buffered = left * BOUND; // The peer reads a bound's worth between looks...
      assert.equal(queue.send('x'.repeat(BOUND / 10)), 'ok'); // ...while frames keep coming.
      check();
    }
    assert.equal(stalled, 0, 'a draining reader is not cut');
    check(); // Nothing written since the last look.
    assert.equal(stalled, 1);
    assert.equal(tick, null, 'stopped watching once it reported');
  });
});
