/**
 * A server restart, as users live through it: their clients notice, retry on their own, and
 * pick up where they were, with what was typed meanwhile delivered.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startServer, type RunningServer } from '@parley/server';
import { nextEvent, reachState, registered } from './support/sdk.js';

for (const kind of ['ws', 'tcp'] as const) {
  describe(`server restart (${kind})`, () => {
    it('reconnects by itself and delivers what was sent while the server was down', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'parley-restart-'));
      const start = (port = 0, tcpPort = 0): Promise<RunningServer> =>
        startServer({
          host: '127.0.0.1',
          port,
          tcpPort,
          metricsPort: 0,
          dataDir,
          logLevel: 'silent',
        });
      const first = await start();
      let restarted: RunningServer | null = null;
      let firstStopped = false;
      try {
        const url = kind === 'ws' ? first.wsUrl : first.tcpUrl;
        const alice = await registered(url);
        const bob = await registered(url);
        const chat = await alice.openDirect(bob.user!.username);
        await alice.sendAndWait(chat.info.id, 'before the restart');

        const ports = [new URL(first.httpUrl).port, new URL(first.tcpUrl).port].map(Number);
        const bobNoticed = nextEvent(bob, 'state', (s) => s.status === 'reconnecting');
        await first.stop();
        firstStopped = true;
        const noticed = await bobNoticed;
        assert.ok(noticed.status === 'reconnecting');
        assert.equal(noticed.closeReason, 'shutdown', 'the app can say the server is restarting');
        await reachState(alice, 'reconnecting');
        const entry = alice.send(chat.info.id, 'while the server was down');
        assert.equal(entry.status, 'pending');

        const bobGets = nextEvent(bob, 'message', (e) => e.message.body === entry.body, 20_000);
        const aliceSent = nextEvent(
          alice,
          'outbox',
          (e) => e.entry.clientMsgId === entry.clientMsgId && e.entry.status === 'sent',
          20_000,
        );
        restarted = await start(ports[0], ports[1]);
        const received = await bobGets;
        assert.equal(received.message.seq, 2, 'continues the conversation, no gap, no repeat');
        await aliceSent;
        alice.close();
        bob.close();
      } finally {
        if (!firstStopped) await first.stop();
        await restarted?.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
