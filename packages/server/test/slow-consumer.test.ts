/**
 * Contract line 6: a device that stops reading is cut off at its queue bound, told why with
 * `bye slow_consumer` (protocol.md section 12), and resumes with nothing lost. Over both
 * transports, with a reader that really stops reading its socket.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  connectDevice,
  connectUser,
  startTestServer,
  syncAll,
  type TestServer,
} from './support/server.js';

async function slowConsumerCloses(server: TestServer): Promise<number> {
  const metrics = await (await fetch(server.metricsUrl!)).text();
  const match = /parley_server_closes_total\{reason="slow_consumer"\} (\d+)/.exec(metrics);
  return match ? Number(match[1]) : 0;
}

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

  for (const transport of ['tcp', 'ws'] as const) {
    it(`says bye slow_consumer to a ${transport} device that stops reading, which then resumes with nothing lost`, async () => {
      const url = transport === 'tcp' ? server.tcpUrl : server.wsUrl;
      const alice = await connectUser(server.wsUrl);
      const bob = await connectUser(url);
      const { pts: cursor } = await syncAll(bob.client, null);
      const conversationId = (
        await alice.client.expect('conversation', { type: 'open_direct', username: bob.username })
      ).conversation.info.id;
      const cutsBefore = await slowConsumerCloses(server);
      // Bob's device stops reading; the kernel buffers fill, then the server's queue does.
      bob.client.pauseReading();
      const body = 'x'.repeat(3900);
      let sent = 0;
      // Far more than socket buffers plus twice the bound; stops as soon as Bob is cut, so his
      // socket is still lingering for its goodbye when he reads again.
      while ((await slowConsumerCloses(server)) === cutsBefore) {
        assert.ok(sent < 20_000, 'the device that stopped reading was never cut');
        const acks = [];
        for (let i = 0; i < 100; i++, sent++) {
          acks.push(
            alice.client.expect('sent', {
              type: 'send',
              conversationId,
              clientMsgId: `${transport}-${sent}`,
              body: `${sent} ${body}`,
            }),
          );
        }
        await Promise.all(acks);
      }

      bob.client.resumeReading();
      await bob.client.whenClosed;
      const last = bob.client.frames.at(-1);
      assert.deepEqual(last, { type: 'bye', reason: 'slow_consumer' });

      const bobAgain = await connectDevice(url, bob.token);
      const { updates } = await syncAll(bobAgain, cursor);
      const seqs = updates.flatMap((u) =>
        u.update.kind === 'message' ? [u.update.message.seq] : [],
      );
      assert.deepEqual(
        seqs,
        Array.from({ length: sent }, (_, i) => i + 1),
      );
      alice.client.close();
      bobAgain.close();
    });
  }
});
