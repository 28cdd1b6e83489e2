/** Contract line 6: a device that stops reading is cut off at its queue bound, then resumes. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  connectDevice,
  connectUser,
  startTestServer,
  syncAll,
  type TestServer,
} from './support/server.js';

describe('slow consumer', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      sendRate: 100_000,
      frameRate: 100_000,
      ipFrameRate: 100_000,
      outboundQueueBytes: 256 * 1024,
    });
  });
  after(() => server.dispose());

  it('closes a device that stops reading instead of queueing without bound, and the device resumes with nothing lost', async () => {
    const alice = await connectUser(server.wsUrl);
    const bob = await connectUser(server.tcpUrl);
    const { pts: cursor } = await syncAll(bob.client, null);
    const conversationId = (
      await alice.client.expect('conversation', { type: 'open_direct', username: bob.username })
    ).conversation.info.id;
    // Bob's device stops reading; the kernel buffers fill, then the server's queue does.
    bob.client.socket.pause();
    const body = 'x'.repeat(3900);
    const total = 3000; // ~12 MB: far more than socket buffers plus the 256 KiB queue bound.
    const acks = [];
    for (let i = 0; i < total; i++) {
      acks.push(
        alice.client.expect('sent', {
          type: 'send',
          conversationId,
          clientMsgId: `s${i}`,
          body: `${i} ${body}`,
        }),
      );
      if (i % 200 === 199) await Promise.all(acks.splice(0));
    }
    await Promise.all(acks);
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    assert.match(metrics, /parley_server_closes_total\{reason="slow_consumer"\} 1/);

    const bobAgain = await connectDevice(server.tcpUrl, bob.token);
    const { updates } = await syncAll(bobAgain, cursor);
    const seqs = updates.flatMap((u) =>
      u.update.kind === 'message' ? [u.update.message.seq] : [],
    );
    assert.deepEqual(
      seqs,
      Array.from({ length: total }, (_, i) => i + 1),
    );
    bob.client.socket.destroy();
    alice.client.close();
    bobAgain.close();
  });
});
