/** client.search against a real server: results with their conversation, paging, refusals. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ParleyError, type ParleyClient } from '../src/index.js';
import { registered, startTestServer, type TestServer } from './support/sdk.js';

describe('search in the SDK', () => {
  let server: TestServer;
  const clients: ParleyClient[] = [];
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.dispose();
  });

  it('finds messages newest first with their conversation, pages, and refuses with codes', async () => {
    const alice = await registered(server.wsUrl);
    const bob = await registered(server.tcpUrl);
    const carol = await registered(server.wsUrl);
    clients.push(alice, bob, carol);
    const chat = await alice.openDirect(bob.user!.username);
    for (const body of ['北京 first', '去北京 second', '北京 third']) {
      await alice.sendAndWait(chat.info.id, body);
    }

    const first = await bob.search('北京', { limit: 2 });
    assert.deepEqual(
      first.results.map((r) => r.message.body),
      ['北京 third', '去北京 second'],
    );
    assert.equal(first.more, true);
    assert.deepEqual(first.results[0]!.conversation, {
      kind: 'direct',
      id: chat.info.id,
      peer: alice.user!,
    });
    const rest = await bob.search('北京', { limit: 2, cursor: first.cursor! });
    assert.deepEqual(
      rest.results.map((r) => r.message.body),
      ['北京 first'],
    );
    assert.equal(rest.more, false);
    assert.equal(rest.cursor, undefined);

    const one = await bob.search('SECOND', { conversationId: chat.info.id });
    assert.deepEqual(
      one.results.map((r) => r.message.seq),
      [2],
    );

    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: unknown) => (e instanceof ParleyError ? e.code : String(e)),
      );
    assert.equal(await codeOf(bob.search('  ')), 'invalid');
    assert.equal(await codeOf(carol.search('北京', { conversationId: chat.info.id })), 'forbidden');
    assert.deepEqual((await carol.search('北京')).results, []);
  });
});
