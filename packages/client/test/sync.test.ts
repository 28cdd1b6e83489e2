import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerFrameOf, UpdateEnvelope } from '@parley/protocol';
import { SyncEngine } from '../src/sync.js';

function envelope(pts: number): UpdateEnvelope {
  return {
    pts,
    update: {
      kind: 'message',
      message: {
        conversationId: 1,
        seq: pts,
        senderId: 2,
        clientMsgId: `c${pts}`,
        body: `m${pts}`,
        ts: pts,
      },
    },
  };
}

/**
 * A sync engine over an in-memory update stream: `serverPts` is the newest update the "server"
 * has; `pageSize` bounds each page. Fetches can be held to simulate pushes arriving mid-sync.
 */
function harness(cursor: number | null, serverPts: number, pageSize = 3) {
  const applied: { pts: number; live: boolean }[] = [];
  const acks: number[] = [];
  const fetches: (number | null)[] = [];
  const server = { pts: serverPts, hold: null as Promise<void> | null };
  const engine = new SyncEngine(
    {
      fetch: async (from) => {
        fetches.push(from);
        if (server.hold) await server.hold;
        if (from === null) {
          return { type: 'updates', id: 'x', updates: [], pts: server.pts, more: false };
        }
        const to = Math.min(server.pts, from + pageSize);
        const updates = [];
        for (let p = from + 1; p <= to; p++) updates.push(envelope(p));
        const page: ServerFrameOf<'updates'> = {
          type: 'updates',
          id: 'x',
          updates,
          pts: to,
          more: to < server.pts,
        };
        return page;
      },
      apply: (e, live) => applied.push({ pts: e.pts, live }),
      ack: (pts) => acks.push(pts),
      saveCursor: () => undefined,
      onError: (error) => assert.fail(String(error)),
      sleep: () => Promise.resolve(),
    },
    cursor,
  );
  return { engine, applied, acks, fetches, server };
}

describe('sync engine', () => {
  it('replays everything after the cursor, page by page, acking each page', async () => {
    const h = harness(2, 9);
    await h.engine.run();
    assert.deepEqual(
      h.applied.map((a) => a.pts),
      [3, 4, 5, 6, 7, 8, 9],
    );
    assert.ok(h.applied.every((a) => !a.live));
    assert.deepEqual(h.fetches, [2, 5, 8]);
    assert.deepEqual(h.acks, [5, 8, 9]);
    assert.equal(h.engine.pts, 9);
  });

  it('starts a new device at the current pts without replaying history', async () => {
    const h = harness(null, 42);
    await h.engine.run();
    assert.deepEqual(h.applied, []);
    assert.equal(h.engine.pts, 42);
  });

  it('applies the next live update, ignores ones already seen', async () => {
    const h = harness(5, 5);
    await h.engine.run();
    h.engine.onLive(envelope(6));
    h.engine.onLive(envelope(6));
    h.engine.onLive(envelope(4));
    assert.deepEqual(h.applied, [{ pts: 6, live: true }]);
  });

  it('fills a gap in live updates by syncing from the cursor', async () => {
    const h = harness(5, 5);
    await h.engine.run();
    h.server.pts = 8;
    h.engine.onLive(envelope(8));
    await h.engine.run();
    assert.deepEqual(
      h.applied.map((a) => a.pts),
      [6, 7, 8],
    );
    assert.equal(h.engine.pts, 8);
  });

  it('holds live updates that arrive during a sync and applies each exactly once', async () => {
    const h = harness(0, 4);
    let release!: () => void;
    h.server.hold = new Promise((resolve) => (release = resolve));
    const running = h.engine.run();
    // Pushes that overlap the pages being fetched, and ones newer than the sync's answer.
    for (const p of [3, 4, 5, 6]) h.engine.onLive(envelope(p));
    h.server.hold = null;
    release();
    await running;
    assert.deepEqual(h.applied, [
      { pts: 1, live: false },
      { pts: 2, live: false },
      { pts: 3, live: false },
      { pts: 4, live: false },
      { pts: 5, live: true },
      { pts: 6, live: true },
    ]);
  });

  it('stops a sync whose link went down without applying its late pages', async () => {
    const h = harness(0, 3);
    let release!: () => void;
    h.server.hold = new Promise((resolve) => (release = resolve));
    const running = h.engine.run();
    h.engine.linkDown();
    release();
    await running;
    assert.deepEqual(h.applied, []);
    assert.equal(h.engine.pts, 0, 'the cursor stays where it was');
  });
});
