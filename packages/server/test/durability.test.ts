/** Contract line 1: what was acknowledged survives SIGKILL; SIGTERM drains and exits cleanly. */
import assert from 'node:assert/strict';
import type { Message } from '@parley/protocol';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { connectDevice, connectUser, tempDir } from './support/server.js';
import { spawnServer, waitReady } from './support/process.js';

describe('durability', () => {
  const dataDir = tempDir();
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('loses no acknowledged message when the server is killed with SIGKILL right after the acks', async () => {
    const env = {
      PARLEY_DATA_DIR: dataDir,
      PARLEY_SEND_RATE: '100000',
      PARLEY_FRAME_RATE: '100000',
      PARLEY_IP_FRAME_RATE: '100000',
    };
    const first = await spawnServer(env);
    await waitReady(first);
    const alice = await connectUser(first.tcpUrl);
    const bob = await connectUser(first.wsUrl);
    const conversationId = (
      await alice.client.expect('conversation', { type: 'open_direct', username: bob.username })
    ).conversation.info.id;
    // Pipelined: many sends in flight at once, so group commit batches them.
    const acks = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        alice.client.expect('sent', {
          type: 'send',
          conversationId,
          clientMsgId: `k${i}`,
          body: `durable ${i}`,
        }),
      ),
    );
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await spawnServer(env);
    await waitReady(second);
    const reader = await connectDevice(second.wsUrl, bob.token);
    const seen: Message[] = [];
    let after = 0;
    for (;;) {
      const page = await reader.expect('history', {
        type: 'history',
        conversationId,
        after,
        limit: 200,
      });
      seen.push(...page.messages);
      if (!page.hasMore) break;
      after = page.messages.at(-1)!.seq;
    }
    assert.equal(seen.length, acks.length);
    for (const ack of acks) {
      const stored = seen.find((m) => m.seq === ack.seq);
      assert.equal(stored?.clientMsgId, ack.clientMsgId);
    }
    reader.close();
    second.child.kill('SIGTERM');
    const exit = await second.exited;
    assert.equal(exit.code, 0, 'SIGTERM stops gracefully with exit code 0');
  });

  it('refuses to start with a clear message when the configuration is invalid', async () => {
    const bad = await spawnServer({ PARLEY_DATA_DIR: dataDir, PARLEY_MAX_MESSAGE_CHARS: 'lots' });
    const exit = await bad.exited;
    assert.equal(exit.code, 2);
    assert.match(bad.stderr(), /PARLEY_MAX_MESSAGE_CHARS/);
  });
});
