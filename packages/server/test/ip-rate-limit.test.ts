/**
 * The frame rate per IP address: many connections from one address share one budget, each
 * staying far under its own per-connection limit, while another address is not affected.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerFrame } from '@parley/protocol';
import { RawClient } from './support/raw-client.js';
import { startTestServer, type TestServer } from './support/server.js';

const PINGS_EACH = 10;

async function greeted(client: RawClient) {
  await client.expect('welcome', { type: 'hello', versions: [1] });
  return client;
}

describe('frame rate per IP address', () => {
  let server: TestServer;
  before(async () => {
    // 5 frames/s (bursts of 10) per address; each connection may send 1000/s on its own.
    server = await startTestServer({ frameRate: 1000, ipFrameRate: 5 });
  });
  after(() => server.dispose());

  it('refuses frames past the address budget across connections and transports, and not those of another address', async () => {
    const sameAddress = [
      await greeted(await RawClient.ws(server.wsUrl)),
      await greeted(await RawClient.ws(server.wsUrl)),
      await greeted(await RawClient.tcp(server.tcpUrl)),
    ];
    const replies: ServerFrame[] = await Promise.all(
      sameAddress.flatMap((client) =>
        Array.from({ length: PINGS_EACH }, () => client.request({ type: 'ping' })),
      ),
    );
    const limited = replies.filter((r) => r.type === 'error' && r.code === 'rate_limited');
    const pongs = replies.filter((r) => r.type === 'pong');
    assert.ok(limited.length > 0, 'some pings past the address budget are refused');
    assert.equal(limited.length + pongs.length, replies.length, 'every ping got one answer');
    const retryAfterMs = Math.max(
      ...limited.map((r) => (r.type === 'error' ? (r.retryAfterMs ?? 0) : 0)),
    );
    assert.ok(retryAfterMs > 0, 'the refusal says when to try again');

    const elsewhere = await greeted(await RawClient.tcp(server.tcpUrl, '127.0.0.2'));
    assert.equal(
      (await elsewhere.request({ type: 'ping' })).type,
      'pong',
      'another address has its own budget',
    );

    await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
    for (const client of sameAddress) {
      assert.equal(client.closed, false, 'a refused connection stays open');
    }
    assert.equal(
      (await sameAddress[0]!.request({ type: 'ping' })).type,
      'pong',
      'after the wait the address may send again',
    );
    for (const client of [...sameAddress, elsewhere]) client.close();
  });

  it('keeps an address refused across a reconnect: a new connection does not buy a fresh budget', async () => {
    // 1 frame/s per address (bursts of 2): the budget takes a second to come back.
    const strict = await startTestServer({ frameRate: 1000, ipFrameRate: 1 });
    try {
      const first = await greeted(await RawClient.tcp(strict.tcpUrl));
      let refused: ServerFrame | null = null;
      while (!refused) {
        const reply = await first.request({ type: 'ping' });
        if (reply.type === 'error') refused = reply;
      }
      assert.equal(refused.type === 'error' && refused.code, 'rate_limited');
      first.close();
      await first.whenClosed;

      const second = await RawClient.ws(strict.wsUrl);
      const hello = await second.request({ type: 'hello', versions: [1] });
      assert.equal(hello.type === 'error' && hello.code, 'rate_limited', 'still over budget');
      second.close();
    } finally {
      await strict.dispose();
    }
  });
});
