/**
 * Replies bounded in bytes (foundation issue item 1, security issue item 2): legal but large
 * messages must not make a `sync`, `history` or `conversations` reply so big that the reader's
 * outbound queue cuts it on every try. Run on SQLite and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConversationSummary, ServerFrameOf } from '@parley/protocol';
import type { ConfigInput } from '../src/index.js';
import type { RawClient } from './support/raw-client.js';
import {
  connectDevice,
  connectUser,
  startTestServer,
  syncAll,
  type TestServer,
} from './support/server.js';

/**
 * A legal body of 4,000 characters that is about 12 KB on the wire (3 UTF-8 bytes each). The
 * issue's repro used U+0001 (6 bytes escaped); control characters are refused now, and this is
 * the heaviest body that stays legal.
 */
export const HEAVY_BODY = '界'.repeat(4000);
const QUEUE_BYTES = 256 * 1024;
/** The default page budget, a quarter of the queue bound, plus one message it may pass by. */
const MAX_PAGE_BYTES = QUEUE_BYTES / 4 + 13_000;

function wireBytes(frame: unknown): number {
  return Buffer.byteLength(JSON.stringify(frame));
}

async function sendMany(client: RawClient, conversationId: number, count: number, tag: string) {
  for (let start = 0; start < count; start += 50) {
    const batch = [];
    for (let i = start; i < Math.min(count, start + 50); i++) {
      batch.push(
        client.expect('sent', {
          type: 'send',
          conversationId,
          clientMsgId: `${tag}-${i}`,
          body: HEAVY_BODY,
        }),
      );
    }
    await Promise.all(batch);
  }
}

export function runPageBytesSuite(
  name: string,
  config: () => Promise<ConfigInput>,
  skip?: string,
): void {
  describe(name, { skip: skip ?? false }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({
        sendRate: 100_000,
        frameRate: 100_000,
        ipFrameRate: 100_000,
        // Pages of a quarter of this: 64 KiB, five heavy messages. One unbounded page of the
        // backlog would be ten times the whole queue bound.
        outboundQueueBytes: QUEUE_BYTES,
        ...(await config()),
      });
    });
    after(() => server.dispose());

    it('a reader at full speed syncs and reads the history of 200 large messages without being cut', async () => {
      const alice = await connectUser(server.wsUrl);
      const bob = await connectUser(server.tcpUrl);
      const { pts: cursor } = await syncAll(bob.client, null);
      bob.client.close();
      const conversationId = (
        await alice.client.expect('conversation', { type: 'open_direct', username: bob.username })
      ).conversation.info.id;
      await sendMany(alice.client, conversationId, 200, 'heavy');

      for (const url of [server.tcpUrl, server.wsUrl]) {
        const device = await connectDevice(url, bob.token);
        let pages = 0;
        let updates: ServerFrameOf<'updates'>['updates'] = [];
        let pts = cursor;
        for (let more = true; more; pages++) {
          const page = await device.expect('updates', { type: 'sync', pts });
          assert.ok(wireBytes(page) <= MAX_PAGE_BYTES, `sync page of ${wireBytes(page)} bytes`);
          updates = updates.concat(page.updates);
          pts = page.pts;
          more = page.more;
        }
        const seqs = updates.flatMap((u) =>
          u.update.kind === 'message' ? [u.update.message.seq] : [],
        );
        assert.deepEqual(
          seqs,
          Array.from({ length: 200 }, (_, i) => i + 1),
        );
        assert.ok(pages > 1, 'the 2.4 MB backlog came in several pages');

        // History, newest first, paging back until the start.
        const history: number[] = [];
        let beforeSeq: number | undefined;
        for (;;) {
          const page = await device.expect('history', {
            type: 'history',
            conversationId,
            limit: 200,
            ...(beforeSeq === undefined ? {} : { before: beforeSeq }),
          });
          assert.ok(page.messages.length > 0);
          assert.ok(wireBytes(page) <= MAX_PAGE_BYTES, `history page of ${wireBytes(page)} bytes`);
          history.unshift(...page.messages.map((m) => m.seq));
          if (!page.hasMore) break;
          beforeSeq = page.messages[0]!.seq;
        }
        assert.deepEqual(
          history,
          Array.from({ length: 200 }, (_, i) => i + 1),
        );
        // Paging forward from the start returns the oldest first, also in bounded pages.
        const forward = await device.expect('history', {
          type: 'history',
          conversationId,
          after: 0,
          limit: 200,
        });
        assert.equal(forward.messages[0]?.seq, 1);
        assert.equal(forward.hasMore, true);
        assert.equal(device.closed, false);
        assert.equal(
          device.frames.find((f) => f.type === 'bye'),
          undefined,
        );
        device.close();
      }
      alice.client.close();
    });

    it('pages the conversation list when many strangers wrote large messages, each once', async () => {
      const victim = await connectUser(server.wsUrl);
      const strangers = 30; // 30 x 12 KB: several pages, and more than the queue bound here.
      const expected = new Set<number>();
      for (let i = 0; i < strangers; i++) {
        const stranger = await connectUser(server.tcpUrl);
        const { id } = (
          await stranger.client.expect('conversation', {
            type: 'open_direct',
            username: victim.username,
          })
        ).conversation.info;
        expected.add(id);
        await sendMany(stranger.client, id, 1, `stranger-${i}`);
        stranger.client.close();
      }

      const seen: ConversationSummary[] = [];
      let cursor: string | undefined;
      let pages = 0;
      for (;;) {
        const page = await victim.client.expect('conversations', {
          type: 'conversations',
          ...(cursor === undefined ? {} : { cursor }),
        });
        pages++;
        assert.ok(page.conversations.length > 0);
        assert.ok(wireBytes(page) <= MAX_PAGE_BYTES, `conversations page of ${wireBytes(page)}`);
        seen.push(...page.conversations);
        if (!page.more) break;
        cursor = page.cursor;
      }
      assert.ok(pages > 1, 'the list came in several pages');
      assert.deepEqual(new Set(seen.map((s) => s.info.id)), expected);
      assert.equal(seen.length, strangers, 'no conversation twice');
      const activity = seen.map((s) => s.lastMessage?.ts ?? 0);
      assert.deepEqual(
        activity,
        [...activity].sort((a, b) => b - a),
        'newest activity first',
      );
      assert.equal(victim.client.closed, false);

      const bad = await victim.client.request({ type: 'conversations', cursor: 'not-mine' });
      assert.equal(bad.type === 'error' && bad.code, 'invalid');
      victim.client.close();
    });
  });
}
