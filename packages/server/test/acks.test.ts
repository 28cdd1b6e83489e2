/** Devices' delivered cursors (`ack`) are kept per device, written in batches, flushed at stop. */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { hashToken } from '../src/domain/tokens.js';
import { createStore } from '../src/store/index.js';
import { connectUser, startTestServer, syncAll } from './support/server.js';

describe('delivered cursors', () => {
  it("records each device's acknowledged pts, never backwards, and keeps it across a restart", async () => {
    const server = await startTestServer();
    const alice = await connectUser(server.wsUrl);
    const bob = await connectUser(server.tcpUrl);
    const conversationId = (
      await alice.client.expect('conversation', { type: 'open_direct', username: bob.username })
    ).conversation.info.id;
    for (let i = 0; i < 3; i++) {
      await alice.client.expect('sent', {
        type: 'send',
        conversationId,
        clientMsgId: `a${i}`,
        body: `${i}`,
      });
    }
    const { pts } = await syncAll(bob.client, 0);
    bob.client.send({ type: 'ack', pts });
    bob.client.send({ type: 'ack', pts: 1 }); // late and out of order: ignored
    assert.equal((await bob.client.request({ type: 'ping' })).type, 'pong', 'ack needs no reply');
    for (const c of [alice.client, bob.client]) c.close();
    await server.stop();

    const store = await createStore({ dataDir: server.dataDir });
    const session = await store.findSession(hashToken(bob.token), Date.now());
    await store.close();
    rmSync(server.dataDir, { recursive: true, force: true });
    assert.equal(session?.ackedPts, pts);
  });

  it("clamps an ack beyond the user's stream to the stream's end", async () => {
    const server = await startTestServer();
    const alice = await connectUser(server.wsUrl);
    const bob = await connectUser(server.tcpUrl);
    await alice.client.expect('conversation', { type: 'open_direct', username: bob.username });
    const { pts } = await syncAll(bob.client, 0);
    assert.ok(pts > 0);
    bob.client.send({ type: 'ack', pts: pts + 1_000_000 });
    assert.equal((await bob.client.request({ type: 'ping' })).type, 'pong', 'no reply, no error');
    for (const c of [alice.client, bob.client]) c.close();
    await server.stop();

    const store = await createStore({ dataDir: server.dataDir });
    const session = await store.findSession(hashToken(bob.token), Date.now());
    await store.close();
    rmSync(server.dataDir, { recursive: true, force: true });
    assert.equal(session?.ackedPts, pts, 'the delivered cursor never passes what exists');
  });
});
