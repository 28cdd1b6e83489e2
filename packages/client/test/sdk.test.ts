/**
 * The SDK against a real server, over WebSocket and over TCP: what a chat user would notice.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PROTOCOL_VERSION } from '@parley/protocol';
import {
  memoryStorage,
  ParleyError,
  type ClientStorage,
  type Message,
  type ParleyClient,
} from '../src/index.js';
import { transportFor } from '../src/node/index.js';
import { faultyNetwork, frameType } from './support/fault.js';
import {
  collect,
  newClient,
  nextEvent,
  PASSWORD,
  reachState,
  registered,
  startTestServer,
  uniqueName,
  type TestServer,
} from './support/sdk.js';

for (const kind of ['ws', 'tcp'] as const) {
  describe(`SDK over ${kind === 'ws' ? 'WebSocket' : 'TCP'}`, () => {
    let server: TestServer;
    let url: string;
    const clients: ParleyClient[] = [];
    /** Tracks a client so it is closed after the tests. */
    const track = (client: ParleyClient): ParleyClient => {
      clients.push(client);
      return client;
    };

    before(async () => {
      server = await startTestServer();
      url = kind === 'ws' ? server.wsUrl : server.tcpUrl;
    });
    after(async () => {
      for (const c of clients) c.close();
      await server.dispose();
    });

    it('tells the app the protocol version and the limits the server chose', async () => {
      const client = track(newClient(url));
      const welcome = nextEvent(client, 'welcome');
      await client.connect();
      const { version, limits } = await welcome;
      assert.equal(version, PROTOCOL_VERSION);
      assert.equal(limits.maxMessageChars, 4000);
      assert.deepEqual(client.limits, limits);
    });

    it('lets two users chat live in a direct conversation', async () => {
      const alice = track(await registered(url));
      const bob = track(await registered(url));
      const chat = await alice.openDirect(bob.user!.username);
      assert.equal(chat.info.peer.username, bob.user!.username);

      const bobGets = nextEvent(bob, 'message', (e) => e.message.body === 'hi bob');
      const sent = await alice.sendAndWait(chat.info.id, 'hi bob');
      assert.equal(sent.status, 'sent');
      const received = await bobGets;
      assert.equal(received.live, true);
      assert.equal(received.message.senderId, alice.user!.id);

      const aliceGets = nextEvent(alice, 'message', (e) => e.message.body === 'hi alice');
      const bobChat = await bob.openDirect(alice.user!.username);
      assert.equal(bobChat.info.id, chat.info.id, 'both sides share one conversation');
      await bob.sendAndWait(bobChat.info.id, 'hi alice');
      assert.equal((await aliceGets).message.senderId, bob.user!.id);

      const page = await alice.history(chat.info.id);
      assert.deepEqual(
        page.messages.map((m) => m.body),
        ['hi bob', 'hi alice'],
      );
    });

    it("shows the sender's own message on the sender's other device", async () => {
      const alice = track(await registered(url));
      const bob = track(await registered(url));
      const laptop = track(newClient(url));
      await laptop.connect();
      await laptop.login(alice.user!.username, PASSWORD);
      await reachState(laptop, 'online');

      const chat = await alice.openDirect(bob.user!.username);
      const onLaptop = nextEvent(laptop, 'message', (e) => e.message.body === 'from my phone');
      const entry = await alice.sendAndWait(chat.info.id, 'from my phone');
      const seen = await onLaptop;
      assert.equal(seen.message.senderId, alice.user!.id);
      assert.equal(seen.message.clientMsgId, entry.clientMsgId);
    });

    it('delivers messages sent while the recipient was offline, in order, on reconnect', async () => {
      const alice = track(await registered(url));
      const storage = memoryStorage();
      const bob = newClient(url, { storage });
      await bob.connect();
      await bob.register(uniqueName(), PASSWORD);
      await reachState(bob, 'online');
      const chat = await alice.openDirect(bob.user!.username);
      const bobGotFirst = nextEvent(bob, 'message', (e) => e.message.body === 'before');
      await alice.sendAndWait(chat.info.id, 'before');
      await bobGotFirst;
      bob.close();

      const bodies = ['one', 'two', 'three', 'four', 'five'];
      for (const body of bodies) await alice.sendAndWait(chat.info.id, body);

      const bobAgain = track(newClient(url, { storage }));
      const messages = collect(bobAgain, 'message');
      await bobAgain.connect();
      assert.equal(bobAgain.state.status, 'online');
      assert.deepEqual(
        messages.map((e) => e.message.body),
        bodies,
        'exactly the missed messages, in order (resumed from the cursor, not from the start)',
      );
      assert.ok(messages.every((e) => !e.live));
    });

    it('sends a message queued while disconnected once the connection is back', async () => {
      const network = faultyNetwork(transportFor(url));
      const alice = track(await registered(url, { transport: network.transport }));
      const bob = track(await registered(url));
      const chat = await alice.openDirect(bob.user!.username);

      network.offline = true;
      network.cut();
      await reachState(alice, 'reconnecting');
      const entry = alice.send(chat.info.id, 'written in a tunnel');
      assert.equal(entry.status, 'pending');
      assert.equal(
        alice.outbox().find((e) => e.clientMsgId === entry.clientMsgId)?.status,
        'pending',
      );

      const bobGets = nextEvent(bob, 'message', (e) => e.message.body === 'written in a tunnel');
      const sent = nextEvent(
        alice,
        'outbox',
        (e) => e.entry.clientMsgId === entry.clientMsgId && e.entry.status === 'sent',
      );
      network.offline = false;
      await sent;
      assert.equal((await bobGets).message.clientMsgId, entry.clientMsgId);
    });

    it('keeps queued messages across a restart of the app and sends them after', async () => {
      const storage = memoryStorage();
      const network = faultyNetwork(transportFor(url));
      const alice = newClient(url, { storage, transport: network.transport });
      await alice.connect();
      await alice.register(uniqueName(), PASSWORD);
      await reachState(alice, 'online');
      const bob = track(await registered(url));
      const chat = await alice.openDirect(bob.user!.username);
      network.offline = true;
      network.cut();
      const entry = alice.send(chat.info.id, 'queued before the restart');
      alice.close();
      await storageHolds(storage, entry.clientMsgId);

      const bobGets = nextEvent(bob, 'message', (e) => e.message.body === entry.body);
      const restarted = track(newClient(url, { storage }));
      assert.equal(restarted.outbox().length, 0, 'nothing before storage is loaded');
      await restarted.connect();
      await bobGets;
      await reachState(restarted, 'online');
    });

    it('stores a message once when its ack is lost and it is sent again', async () => {
      // The ack is swallowed and the link cut, then the app "restarts" having lost its cursor
      // too: the only way it can learn the message's fate is to send it again.
      const storage = memoryStorage();
      const network = faultyNetwork(transportFor(url));
      const alice = newClient(url, { storage, transport: network.transport });
      await alice.connect();
      await alice.register(uniqueName(), PASSWORD);
      await reachState(alice, 'online');
      const bob = track(await registered(url));
      const chat = await alice.openDirect(bob.user!.username);
      const bobGot = nextEvent(bob, 'message', (e) => e.message.body === 'only once');

      network.filter = (text) => {
        const type = frameType(text);
        if (type === 'update') return 'drop';
        if (type === 'sent') {
          network.offline = true;
          return 'cut';
        }
        return 'pass';
      };
      const entry = alice.send(chat.info.id, 'only once');
      const original = (await bobGot).message;
      await reachState(alice, 'reconnecting');
      alice.close();
      assert.equal(alice.outbox()[0]?.status, 'pending', 'no ack came, so it is still pending');
      await storageHolds(storage, entry.clientMsgId);
      await forgetCursor(storage);

      const watched = faultyNetwork(transportFor(url));
      const acks: boolean[] = [];
      watched.filter = (text) => {
        const frame = JSON.parse(text) as { type: string; duplicate?: boolean };
        if (frame.type === 'sent') acks.push(frame.duplicate === true);
        return 'pass';
      };
      const restarted = track(newClient(url, { storage, transport: watched.transport }));
      const sent = nextEvent(restarted, 'outbox', (e) => e.entry.status === 'sent');
      await restarted.connect();
      const confirmed = (await sent).entry;
      assert.equal(confirmed.clientMsgId, entry.clientMsgId);
      assert.equal(confirmed.status === 'sent' && confirmed.seq, original.seq);
      assert.deepEqual(acks, [true], 'sent again, and the server knew it already');

      const page = await bob.history(chat.info.id);
      assert.equal(page.messages.filter((m: Message) => m.body === 'only once').length, 1);
    });

    it('ends the session on every other device when logging out everywhere', async () => {
      const phone = track(await registered(url));
      const laptopStorage = memoryStorage();
      const laptop = track(newClient(url, { storage: laptopStorage }));
      await laptop.connect();
      await laptop.login(phone.user!.username, PASSWORD);
      await reachState(laptop, 'online');

      const ended = nextEvent(laptop, 'sessionEnded');
      await phone.logout({ everywhere: true });
      assert.equal(phone.state.status, 'closed');
      assert.equal(phone.user, null);
      assert.equal((await ended).reason, 'session_revoked');
      assert.equal(laptop.state.status, 'closed');
      assert.equal(laptop.user, null);
      assert.equal((await laptopStorage.load())?.token, null, 'the dead token is forgotten');

      await laptop.connect();
      assert.equal(laptop.state.status, 'unauthenticated', 'reconnecting asks for a login');
    });

    it('tells a script waiting on a message when the session ends before its ack', async () => {
      const phone = track(await registered(url));
      const bob = track(await registered(url));
      const network = faultyNetwork(transportFor(url));
      const laptop = track(newClient(url, { transport: network.transport }));
      await laptop.connect();
      await laptop.login(phone.user!.username, PASSWORD);
      await reachState(laptop, 'online');
      const chat = await laptop.openDirect(bob.user!.username);

      // The ack never reaches the laptop, so its message is still in flight when it is revoked.
      network.filter = (text) => (['sent', 'update'].includes(frameType(text)) ? 'drop' : 'pass');
      const outcome = laptop.sendAndWait(chat.info.id, 'left hanging?').then(
        () => null,
        (error: unknown) => error,
      );
      await nextEvent(bob, 'message', (e) => e.message.body === 'left hanging?');
      await phone.logout({ everywhere: true });
      const error = await settlesWithin(outcome, 10_000);
      assert.ok(error instanceof ParleyError, 'sendAndWait rejected');
      assert.equal(error.code, 'unauthenticated');
      assert.equal(laptop.outbox()[0]?.status, 'pending', 'kept for when the user logs in again');
    });

    it('resumes a stored session without asking for the password again', async () => {
      const storage = memoryStorage();
      const first = newClient(url, { storage });
      await first.connect();
      const user = await first.register(uniqueName(), PASSWORD);
      first.close();

      const again = track(newClient(url, { storage }));
      await again.connect();
      assert.equal(again.state.status, 'online');
      assert.deepEqual(again.user, user);
      assert.deepEqual((await again.whoami()).user, user);
    });

    it('asks for a login again when the stored token is no longer valid', async () => {
      const storage: ClientStorage = memoryStorage({
        token: 'not-a-real-token',
        user: { id: 1, username: 'ghost' },
        pts: 3,
        outbox: [],
      });
      const client = track(newClient(url, { storage }));
      const ended = nextEvent(client, 'sessionEnded');
      await client.connect();
      assert.equal((await ended).reason, 'invalid_token');
      assert.equal(client.state.status, 'unauthenticated');
      assert.equal(client.user, null);
      const user = await client.register(uniqueName(), PASSWORD);
      await reachState(client, 'online');
      assert.deepEqual(client.user, user);
    });

    it('keeps unsent messages after a remote sign-out until told to discard them', async () => {
      const phone = track(await registered(url));
      const name = phone.user!.username;
      const bob = track(await registered(url));
      const chat = await phone.openDirect(bob.user!.username);
      const storage = memoryStorage();
      const network = faultyNetwork(transportFor(url));
      const laptop = track(newClient(url, { storage, transport: network.transport }));
      await laptop.connect();
      await laptop.login(name, PASSWORD);
      await reachState(laptop, 'online');
      network.offline = true;
      laptop.networkLost();
      laptop.send(chat.info.id, 'written before the sign-out');
      assert.equal(laptop.keptUnsent(), null, 'nothing is "kept" while signed in');
      await phone.logout({ everywhere: true });

      // The laptop comes back to a revoked token: the message stays, waiting for its author.
      const ended = nextEvent(laptop, 'sessionEnded');
      network.offline = false;
      await laptop.checkConnection();
      assert.equal((await ended).reason, 'invalid_token');
      const kept = laptop.keptUnsent();
      assert.equal(kept?.user.username, name);
      assert.deepEqual(
        kept?.entries.map((e) => e.body),
        ['written before the sign-out'],
      );

      await laptop.discardKeptUnsent();
      assert.equal(laptop.keptUnsent(), null);
      assert.deepEqual(await storage.load(), { token: null, user: null, pts: null, outbox: [] });
    });

    it('refuses a wrong password and a taken username with their error codes', async () => {
      const alice = track(await registered(url));
      const other = track(newClient(url));
      await other.connect();
      await assert.rejects(other.login(alice.user!.username, 'wrong password!'), (error) => {
        assert.ok(error instanceof ParleyError);
        assert.equal(error.code, 'invalid_credentials');
        return true;
      });
      await assert.rejects(other.register(alice.user!.username, PASSWORD), {
        code: 'username_taken',
      });
      await assert.rejects(other.openDirect('nobody'), { code: 'unauthenticated' });
    });

    it('reports an unknown user and a message refused for good', async () => {
      const alice = track(await registered(url));
      await assert.rejects(alice.openDirect(uniqueName('nobody')), { code: 'not_found' });
      await assert.rejects(alice.sendAndWait(999_999, 'into the void'), (error) => {
        assert.ok(error instanceof ParleyError);
        assert.ok(['forbidden', 'not_found'].includes(error.code), error.code);
        return true;
      });
      const failed = alice.outbox().find((e) => e.body === 'into the void');
      assert.equal(failed?.status, 'failed');
      await assert.rejects(alice.sendAndWait(1, ''), { code: 'invalid' });
    });

    it('waits for the connection to come back before sending a request', async () => {
      const network = faultyNetwork(transportFor(url));
      const alice = track(await registered(url, { transport: network.transport }));
      network.offline = true;
      network.cut();
      await reachState(alice, 'reconnecting');
      const list = alice.conversations();
      network.offline = false;
      assert.deepEqual(await list, []);
    });

    it('says at once that the network is gone, and sends the queue the moment it is back', async () => {
      const network = faultyNetwork(transportFor(url));
      // A backoff so long that only checkConnection() can bring the link back within the test.
      const alice = track(
        await registered(url, {
          transport: network.transport,
          reconnect: { minDelayMs: 600_000, maxDelayMs: 600_000 },
        }),
      );
      const bob = track(await registered(url));
      const chat = await alice.openDirect(bob.user!.username);

      network.offline = true;
      alice.networkLost();
      assert.equal(alice.state.status, 'reconnecting');
      const entry = alice.send(chat.info.id, 'written on a plane');
      assert.equal(entry.status, 'pending');

      const bobGets = nextEvent(bob, 'message', (e) => e.message.body === 'written on a plane');
      network.offline = false;
      assert.equal(await alice.checkConnection(), false);
      assert.equal(alice.state.status, 'connecting');
      await reachState(alice, 'online');
      assert.equal((await bobGets).message.clientMsgId, entry.clientMsgId);
      assert.equal(await alice.checkConnection(), true);
    });

    it('gives up a link that does not answer a ping when asked to check it', async () => {
      const network = faultyNetwork(transportFor(url));
      const alice = track(await registered(url, { transport: network.transport }));
      network.filter = () => 'drop';
      const dropped = nextEvent(alice, 'state', (s) => s.status === 'reconnecting');
      assert.equal(await alice.checkConnection(), false);
      const state = await dropped;
      assert.ok(state.status === 'reconnecting' && /ping/.test(state.lastError));
      network.filter = null;
      await reachState(alice, 'online');
    });

    it('replaces a connection that went silent (half-open) with a new one', async () => {
      const quick = await startTestServer({ heartbeatMs: 200 });
      try {
        const quickUrl = kind === 'ws' ? quick.wsUrl : quick.tcpUrl;
        const network = faultyNetwork(transportFor(quickUrl));
        const alice = track(await registered(quickUrl, { transport: network.transport }));
        const dropped = nextEvent(alice, 'state', (s) => s.status === 'reconnecting');
        network.filter = () => 'drop';
        const state = await dropped;
        assert.ok(state.status === 'reconnecting' && /no data/.test(state.lastError));
        network.filter = null;
        await reachState(alice, 'online');
        alice.close();
      } finally {
        await quick.dispose();
      }
    });
  });
}

/** Makes storage look like a device that never saved its cursor. */
async function forgetCursor(storage: ClientStorage): Promise<void> {
  const state = await storage.load();
  assert.ok(state);
  await storage.update((stored) => ({ ...stored, pts: null }));
}

/** close() writes storage in the background: waits until the stored outbox holds the message. */
async function storageHolds(storage: ClientStorage, clientMsgId: string): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const state = await storage.load();
    if (state?.outbox.some((e) => e.clientMsgId === clientMsgId)) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail(`storage never held ${clientMsgId}`);
}

/** The promise, or a failure naming the wait if it has not settled within `ms`. */
function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}
