/**
 * One address cannot hold the server: connections per IP are capped by default, and a connection
 * that never logs in is closed however often it pings.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RawClient } from './support/raw-client.js';
import { connectUser, startTestServer } from './support/server.js';

const DEFAULT_CAP = 100;

describe('connection limits', () => {
  it('refuses connections from one address past the default cap, over WebSocket and TCP, and not another address', async () => {
    const server = await startTestServer(); // the default cap, as an operator gets it
    const open: RawClient[] = [];
    try {
      for (let i = 0; i < DEFAULT_CAP; i++)
        open.push(await (i % 2 ? RawClient.ws(server.wsUrl) : RawClient.tcp(server.tcpUrl)));
      await assert.rejects(RawClient.ws(server.wsUrl), /HTTP 429/);
      const refused = await RawClient.tcp(server.tcpUrl);
      refused.send({ type: 'hello', id: 'h', versions: [1] });
      await refused.whenClosed;
      assert.deepEqual(refused.frames, [], 'a refused TCP connection is closed unanswered');

      const elsewhere = await RawClient.tcp(server.tcpUrl, '127.0.0.2');
      await elsewhere.expect('welcome', { type: 'hello', versions: [1] });
      open.push(elsewhere);

      // A slot freed is a slot for the next connection.
      const leaving = open.shift()!;
      leaving.close();
      await leaving.whenClosed;
      let again: RawClient | null = null;
      while (!again) {
        // The server may see the close a moment after the client does.
        const attempt = await RawClient.tcp(server.tcpUrl);
        const answer = attempt.request({ type: 'hello', versions: [1] }).catch(() => null);
        if ((await Promise.race([answer, attempt.whenClosed])) != null) again = attempt;
      }
      open.push(again);
    } finally {
      for (const c of open) c.close();
      await server.dispose();
    }
  });

  it('closes a connection that does not log in within the deadline, pings or not, with bye auth_timeout', async () => {
    const server = await startTestServer({ authTimeoutMs: 400 });
    try {
      const loggedIn = await connectUser(server.tcpUrl);
      const lurkers = [await RawClient.ws(server.wsUrl), await RawClient.tcp(server.tcpUrl)];
      const silent = await RawClient.tcp(server.tcpUrl);
      for (const lurker of lurkers)
        await lurker.expect('welcome', { type: 'hello', versions: [1] });
      const pinging = setInterval(() => {
        for (const lurker of lurkers) if (!lurker.closed) lurker.send({ type: 'ping' });
      }, 50);
      try {
        for (const client of [...lurkers, silent]) {
          const bye = await client.next((f) => f.type === 'bye');
          assert.deepEqual(bye, { type: 'bye', reason: 'auth_timeout' });
          await client.whenClosed;
        }
      } finally {
        clearInterval(pinging);
      }
      assert.equal(
        (await loggedIn.client.request({ type: 'whoami' })).type,
        'me',
        'a connection that logged in stays',
      );
      loggedIn.client.close();
    } finally {
      await server.dispose();
    }
  });
});
