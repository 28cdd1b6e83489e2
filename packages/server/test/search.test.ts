/**
 * Search end to end over real sockets (WebSocket and TCP): Chinese and English, the results'
 * conversations, paging, and every refusal. Both stores' search itself is in the contract
 * (store-contract/search.ts); this server runs on SQLite.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerFrame, ServerFrameOf } from '@parley/protocol';
import { RawClient } from './support/raw-client.js';
import { connectUser, startTestServer, type TestServer } from './support/server.js';

const V3 = [3];

function codeOf(reply: ServerFrame): string {
  return reply.type === 'error' ? reply.code : `no error: ${reply.type}`;
}

describe('search', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.dispose());

  let sent = 0;
  async function say(client: RawClient, conversationId: number, body: string) {
    await client.expect('sent', { type: 'send', conversationId, clientMsgId: `m${++sent}`, body });
  }

  async function chat() {
    const alice = await connectUser(server.wsUrl, undefined, V3);
    const bob = await connectUser(server.tcpUrl, undefined, V3);
    const opened = await alice.client.expect('conversation', {
      type: 'open_direct',
      username: bob.username,
    });
    return { alice, bob, conversationId: opened.conversation.info.id };
  }

  const search = (client: RawClient, fields: Record<string, unknown>) =>
    client.expect('search_results', { type: 'search', ...fields });
  const bodies = (page: ServerFrameOf<'search_results'>) => page.results.map((r) => r.message.body);

  it('finds Chinese by one and two characters and English words, over WebSocket and TCP', async () => {
    const { alice, bob, conversationId } = await chat();
    await say(alice.client, conversationId, '我们明天去北京吧');
    await say(bob.client, conversationId, 'See you at the station');

    const byTwo = await search(bob.client, { query: '北京' });
    assert.deepEqual(bodies(byTwo), ['我们明天去北京吧']);
    assert.equal(byTwo.more, false);
    assert.equal(byTwo.cursor, undefined);
    const [hit] = byTwo.results;
    assert.equal(hit!.message.conversationId, conversationId);
    assert.equal(hit!.message.senderId, alice.userId);
    assert.deepEqual(hit!.conversation, {
      kind: 'direct',
      id: conversationId,
      peer: { id: alice.userId, username: alice.username },
    });

    assert.deepEqual(bodies(await search(alice.client, { query: '京' })), ['我们明天去北京吧']);
    assert.deepEqual(bodies(await search(alice.client, { query: 'STATION' })), [
      'See you at the station',
    ]);
    assert.deepEqual(bodies(await search(bob.client, { query: 'stat', conversationId })), [
      'See you at the station',
    ]);
    assert.deepEqual(bodies(await search(bob.client, { query: '上海' })), []);
  });

  it('shows nothing from a conversation the user is not in; naming it is forbidden', async () => {
    const { alice, conversationId } = await chat();
    await say(alice.client, conversationId, '秘密 meeting notes');
    const carol = await connectUser(server.wsUrl, undefined, V3);
    assert.deepEqual(bodies(await search(carol.client, { query: '秘密' })), []);
    assert.deepEqual(bodies(await search(carol.client, { query: 'meeting' })), []);
    const named = await carol.client.request({ type: 'search', query: 'meeting', conversationId });
    assert.equal(codeOf(named), 'forbidden');
    const unknown = await carol.client.request({
      type: 'search',
      query: 'meeting',
      conversationId: 999_999,
    });
    assert.equal(codeOf(unknown), 'forbidden', 'unknown and not yours answer alike');
  });

  it('pages newest first with the cursor until there is no more', async () => {
    const { alice, conversationId } = await chat();
    for (let i = 1; i <= 5; i++) await say(alice.client, conversationId, `报告 report ${i}`);
    const seen: string[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = await search(alice.client, { query: '报告', limit: 2, before: cursor });
      seen.push(...bodies(page));
      if (!page.more) break;
      assert.ok(page.cursor !== undefined, 'a page with more has a cursor');
      cursor = page.cursor;
    }
    assert.deepEqual(
      seen,
      [5, 4, 3, 2, 1].map((i) => `报告 report ${i}`),
    );
  });

  it('refuses blank, oversize, punctuation-only and malformed queries, and anonymous ones', async () => {
    const { alice } = await chat();
    const refused = async (fields: Record<string, unknown>) =>
      codeOf(await alice.client.request({ type: 'search', ...fields }));
    assert.equal(await refused({ query: '' }), 'invalid');
    assert.equal(await refused({ query: '   ' }), 'invalid');
    assert.equal(await refused({ query: '？！…' }), 'invalid');
    assert.equal(await refused({ query: '北'.repeat(101) }), 'invalid');
    assert.equal(await refused({ query: 'a\u0000b' }), 'invalid');
    assert.equal(await refused({ query: 'x', limit: 51 }), 'invalid');
    assert.equal(await refused({ query: 'x', before: -1 }), 'invalid');
    assert.equal(await refused({ query: 42 }), 'invalid');
    // 100 characters is allowed.
    assert.deepEqual(bodies(await search(alice.client, { query: '北'.repeat(100) })), []);

    const old = await connectUser(server.wsUrl, undefined, [2]);
    assert.equal(
      codeOf(await old.client.request({ type: 'search', query: 'x' })),
      'unknown_type',
      'a version-2 connection has no search',
    );
    old.client.close();

    const anonymous = await RawClient.tcp(server.tcpUrl);
    await anonymous.expect('welcome', { type: 'hello', versions: V3 });
    assert.equal(
      codeOf(await anonymous.request({ type: 'search', query: 'x' })),
      'unauthenticated',
    );
    anonymous.close();
  });
});
