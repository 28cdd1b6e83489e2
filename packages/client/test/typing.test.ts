/** Typing indicators as an SDK user sees them: live, cleared by the message, gone on their own. */
import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import { TYPING_EXPIRES_MS, TYPING_REFRESH_MS } from '@parley/protocol';
import type { ParleyClient } from '../src/index.js';
import { TypingTracker } from '../src/typing.js';
import {
  nextEvent,
  reachState,
  registered,
  startTestServer,
  type TestServer,
} from './support/sdk.js';

describe('typing indicators (SDK)', () => {
  let server: TestServer;
  const clients: ParleyClient[] = [];
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    for (const client of clients) client.close();
    await server.dispose();
  });

  for (const kind of ['ws', 'tcp'] as const) {
    it(`shows who is typing until their message arrives, over ${kind}`, async () => {
      const url = kind === 'ws' ? server.wsUrl : server.tcpUrl;
      const alice = await registered(url);
      const bob = await registered(url);
      clients.push(alice, bob);
      await Promise.all([reachState(alice, 'online'), reachState(bob, 'online')]);
      const chat = await alice.openDirect(bob.user!.username);

      const typing = nextEvent(bob, 'typing');
      alice.typing(chat.info.id);
      assert.deepEqual(await typing, { conversationId: chat.info.id, userIds: [alice.user!.id] });
      assert.deepEqual(bob.typingIn(chat.info.id), [alice.user!.id]);

      const cleared = nextEvent(bob, 'typing');
      const message = nextEvent(bob, 'message');
      alice.send(chat.info.id, 'done typing');
      assert.deepEqual(await cleared, { conversationId: chat.info.id, userIds: [] });
      assert.equal((await message).message.body, 'done typing');
      assert.deepEqual(bob.typingIn(chat.info.id), []);
    });
  }
});

describe('TypingTracker', () => {
  it('announces once per refresh, and ends an indicator nobody refreshed', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    const sent: boolean[] = [];
    const changes: number[][] = [];
    const tracker = new TypingTracker({
      send: (_, active) => (sent.push(active), true),
      changed: (_, userIds) => changes.push(userIds),
      now: () => Date.now(),
    });
    tracker.typed(1);
    tracker.typed(1);
    t.mock.timers.tick(TYPING_REFRESH_MS);
    tracker.typed(1);
    tracker.stopped(1);
    tracker.stopped(1);
    assert.deepEqual(sent, [true, true, false]);

    tracker.received({ type: 'typing', conversationId: 1, userId: 9, active: true });
    t.mock.timers.tick(TYPING_EXPIRES_MS - 1);
    tracker.received({ type: 'typing', conversationId: 1, userId: 9, active: true });
    t.mock.timers.tick(TYPING_EXPIRES_MS - 1);
    assert.deepEqual(changes, [[9]], 'a refresh keeps it');
    t.mock.timers.tick(1);
    assert.deepEqual(changes, [[9], []], 'expired');
    mock.timers.reset();
  });
});
