import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParleyError, type OutboxEntry } from '../src/index.js';
import { Outbox } from '../src/outbox.js';

interface Flight {
  entry: OutboxEntry;
  resolve(ack: { seq: number; ts: number }): void;
  reject(error: ParleyError): void;
}

/** An outbox whose sends wait for the test to answer them. */
function harness(online = true) {
  const flights: Flight[] = [];
  const events: OutboxEntry[] = [];
  const persisted = new Map<string, OutboxEntry>();
  let ids = 0;
  let clock = 1_000;
  const state = { online };
  const outbox = new Outbox({
    transmit: (entry) => new Promise((resolve, reject) => flights.push({ entry, resolve, reject })),
    canSend: () => state.online,
    persist: (entry) => persisted.set(entry.clientMsgId, entry),
    forget: (ids) => ids.forEach((id) => persisted.delete(id)),
    emit: (entry) => events.push(entry),
    newId: () => `m${++ids}`,
    now: () => ++clock,
  });
  return { outbox, flights, events, state, persisted: () => [...persisted.values()] };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('outbox', () => {
  it('persists a message before it goes out and marks it sent on the ack', async () => {
    const h = harness(false);
    const entry = h.outbox.add(7, 'hello', null);
    assert.equal(entry.status, 'pending');
    assert.deepEqual(h.persisted(), [entry]);
    assert.equal(h.flights.length, 0, 'nothing goes out while offline');

    h.state.online = true;
    h.outbox.drain();
    h.flights[0]!.resolve({ seq: 3, ts: 99 });
    await tick();
    const sent = h.outbox.list()[0]!;
    assert.equal(sent.status, 'sent');
    assert.equal(sent.status === 'sent' && sent.seq, 3);
    assert.deepEqual(
      h.events.map((e) => e.status),
      ['pending', 'sent'],
    );
  });

  it('sends queued messages in the order they were written', () => {
    const h = harness(false);
    for (const body of ['a', 'b', 'c']) h.outbox.add(1, body, null);
    h.state.online = true;
    h.outbox.drain();
    assert.deepEqual(
      h.flights.map((f) => f.entry.body),
      ['a', 'b', 'c'],
    );
  });

  it('restores stored entries oldest first, after any written before storage loaded', () => {
    const h = harness(false);
    const early = h.outbox.add(1, 'typed at start-up', null);
    const stored: OutboxEntry[] = [
      { status: 'pending', clientMsgId: 'x2', conversationId: 1, body: 'second', createdAt: 20 },
      { status: 'pending', clientMsgId: 'x1', conversationId: 1, body: 'first', createdAt: 10 },
    ];
    // What the persister hands over: the stored entries with this client's own written in.
    h.outbox.merge([...stored, early]);
    assert.deepEqual(
      h.outbox.list().map((e) => e.body),
      ['first', 'second', early.body],
    );
  });

  it('resends what was in flight when the link dropped', async () => {
    const h = harness();
    h.outbox.add(1, 'lost in transit', null);
    h.outbox.linkDown();
    h.flights[0]!.reject(new ParleyError('disconnected', 'gone'));
    await tick();
    assert.equal(h.outbox.list()[0]!.status, 'pending');
    h.outbox.drain();
    assert.equal(h.flights.length, 2, 'sent again on the next link');
    assert.equal(h.flights[1]!.entry.clientMsgId, h.flights[0]!.entry.clientMsgId);
  });

  it('keeps a rate-limited message pending and retries it after the server says', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const h = harness();
    h.outbox.add(1, 'too fast', null);
    h.flights[0]!.reject(new ParleyError('rate_limited', 'slow down', 20));
    await tick();
    assert.equal(h.outbox.list()[0]!.status, 'pending');
    h.outbox.drain();
    assert.equal(h.flights.length, 1, 'paused: not resent at once');
    t.mock.timers.tick(19);
    assert.equal(h.flights.length, 1, 'still paused just before retryAfterMs');
    t.mock.timers.tick(1);
    assert.equal(h.flights.length, 2, 'resent after retryAfterMs');
  });

  it('fails a message the server refuses for good, and retry() queues it again', async () => {
    const h = harness();
    const entry = h.outbox.add(1, 'not allowed', null);
    const waiting = h.outbox.wait(entry.clientMsgId);
    h.flights[0]!.reject(new ParleyError('forbidden', 'not a member'));
    await assert.rejects(waiting, { code: 'forbidden' });
    const failed = h.outbox.list()[0]!;
    assert.equal(failed.status, 'failed');
    assert.equal(failed.status === 'failed' && failed.error.code, 'forbidden');

    h.outbox.retry(entry.clientMsgId);
    assert.equal(h.outbox.list()[0]!.status, 'pending');
    assert.equal(h.flights.length, 2);
  });

  it('fails an empty or oversized message at once', () => {
    const h = harness();
    assert.equal(h.outbox.add(1, '', null).status, 'failed');
    const long = h.outbox.add(1, 'x'.repeat(11), 10);
    assert.equal(long.status === 'failed' && long.error.code, 'too_large');
    assert.equal(h.flights.length, 0);
  });

  it('takes a message seen in the update stream as sent, even without its ack', () => {
    const h = harness();
    const entry = h.outbox.add(1, 'echo', null);
    h.outbox.confirm(entry.clientMsgId, 5, 123);
    const sent = h.outbox.list()[0]!;
    assert.equal(sent.status === 'sent' && sent.seq, 5);
  });

  it('keeps at most a window of sends in flight', () => {
    const h = harness(false);
    for (let i = 0; i < 40; i++) h.outbox.add(1, `m${i}`, null);
    h.state.online = true;
    h.outbox.drain();
    assert.ok(h.flights.length > 0 && h.flights.length < 40);
  });

  it('sends every queued message when the update stream confirms them before their acks', async () => {
    const h = harness(false);
    for (let i = 0; i < 40; i++) h.outbox.add(1, `m${i}`, null);
    h.state.online = true;
    h.outbox.drain();
    // On a live link the updates carrying a window's messages can all arrive before its acks.
    for (let answered = 0; answered < h.flights.length;) {
      const window = h.flights.slice(answered);
      window.forEach((f, i) => h.outbox.confirm(f.entry.clientMsgId, answered + i + 1, 1));
      window.forEach((f, i) => f.resolve({ seq: answered + i + 1, ts: 1 }));
      answered += window.length;
      await tick();
    }
    assert.equal(h.flights.length, 40, 'the window refilled until everything went out');
    assert.ok(h.outbox.list().every((e) => e.status === 'sent'));
  });

  it('forgets a discarded message and tells whoever waited for it', async () => {
    const h = harness(false);
    const entry = h.outbox.add(1, 'never mind', null);
    const waiting = h.outbox.wait(entry.clientMsgId);
    h.outbox.discard(entry.clientMsgId);
    await assert.rejects(waiting, ParleyError);
    assert.deepEqual(h.outbox.list(), []);
    assert.deepEqual(h.persisted(), []);
  });
});
