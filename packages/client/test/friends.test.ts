/**
 * Friends through the SDK against a real server with the default privacy: the contact list and
 * pending requests kept in client state on every device, the events, and typed refusals.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ParleyError, type ParleyClient } from '../src/index.js';
import {
  newClient,
  nextEvent,
  PASSWORD,
  registered,
  startTestServer,
  type TestServer,
} from './support/sdk.js';

describe('friends in the SDK', () => {
  let server: TestServer;
  const clients: ParleyClient[] = [];
  const track = (client: ParleyClient): ParleyClient => {
    clients.push(client);
    return client;
  };
  before(async () => {
    server = await startTestServer({ directMessages: 'friends' });
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.dispose();
  });

  it('keeps friends and requests in state on every device, and the new friends can chat', async () => {
    const alice = track(await registered(server.wsUrl));
    const bob = track(await registered(server.tcpUrl));
    const bobUser = bob.user!;

    const refused = await alice.openDirect(bobUser.username).catch((e: unknown) => e);
    assert.ok(refused instanceof ParleyError);
    assert.equal(refused.code, 'friends_only');

    const found = await alice.findUser(bobUser.username);
    assert.deepEqual(found, bobUser);
    const arrived = nextEvent(bob, 'friendRequest');
    await alice.sendFriendRequest(found.id, 'hi, it is alice');
    const { request, live } = await arrived;
    assert.equal(live, true);
    assert.equal(request.note, 'hi, it is alice');
    assert.deepEqual(
      bob.contactsState.incoming.map((r) => r.from.id),
      [alice.user!.id],
    );

    // Bob's second device logs in later and finds the request waiting.
    const tablet = track(newClient(server.wsUrl));
    await tablet.connect();
    const loaded = nextEvent(tablet, 'contacts', (e) => e.contacts.loaded);
    await tablet.login(bobUser.username, PASSWORD);
    assert.equal((await loaded).contacts.incoming[0]?.note, 'hi, it is alice');

    const befriended = nextEvent(alice, 'contacts', (e) => e.cause?.kind === 'friend_added');
    const onTablet = nextEvent(tablet, 'contacts', (e) => e.cause?.kind === 'friend_added');
    await bob.acceptFriend(alice.user!.id);
    assert.deepEqual(
      (await befriended).contacts.friends.map((f) => f.user.id),
      [bobUser.id],
    );
    assert.deepEqual((await onTablet).contacts.incoming, []);

    const renamed = nextEvent(tablet, 'contacts', (e) => e.cause?.kind === 'friend_updated');
    await bob.editFriend(alice.user!.id, { remark: 'Ally', grouping: '同学' });
    const friend = (await renamed).contacts.friends[0];
    assert.deepEqual([friend?.remark, friend?.grouping], ['Ally', '同学']);

    const chat = await alice.openDirect(bobUser.username);
    const got = nextEvent(bob, 'message', (e) => e.message.body === 'we are friends');
    await alice.sendAndWait(chat.info.id, 'we are friends');
    await got;
  });

  it('refuses with typed errors: duplicates, answers to nothing, blocked', async () => {
    const carol = track(await registered(server.wsUrl));
    const dave = track(await registered(server.wsUrl));
    const daveId = dave.user!.id;
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: unknown) => (e instanceof ParleyError ? e.code : String(e)),
      );
    assert.equal(await code(carol.findUser('no-such-user')), 'not_found');
    assert.equal(await code(carol.acceptFriend(daveId)), 'not_found');
    await carol.sendFriendRequest(daveId);
    assert.equal(await code(carol.sendFriendRequest(daveId)), 'already_requested');
    const blocked = nextEvent(dave, 'contacts', (e) => e.cause?.kind === 'blocked');
    await dave.block(carol.user!.id);
    const state = (await blocked).contacts;
    assert.deepEqual(
      state.blocked.map((b) => b.user.id),
      [carol.user!.id],
    );
    assert.deepEqual(state.incoming, [], 'the block ended the request');
    assert.equal(await code(carol.sendFriendRequest(daveId)), 'blocked');

    const privacy = nextEvent(dave, 'contacts', (e) => e.cause?.kind === 'privacy');
    await dave.setDirectMessages('everyone');
    assert.equal((await privacy).contacts.directMessages, 'everyone');
  });
});
