/** Presence as an SDK user sees it: live changes, the user's own choice, and missed ones after a cut. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParleyClient } from '../src/index.js';
import { transportFor } from '../src/node/index.js';
import { faultyNetwork } from './support/fault.js';
import {
  nextEvent,
  reachState,
  registered,
  startTestServer,
  type TestServer,
} from './support/sdk.js';

describe('presence (SDK)', () => {
  let server: TestServer;
  const clients: ParleyClient[] = [];
  const track = (client: ParleyClient) => (clients.push(client), client);
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    for (const client of clients) client.close();
    await server.dispose();
  });

  it('shows a contact busy, away and back live, and the own choice on every device', async () => {
    const alice = track(await registered(server.wsUrl));
    const bob = track(await registered(server.tcpUrl));
    await alice.openDirect(bob.user!.username);
    const aliceId = alice.user!.id;
    const [seen] = await bob.presence([aliceId]);
    assert.equal(seen?.status, 'online');
    assert.equal(bob.knownPresence(aliceId)?.status, 'online');

    let change = nextEvent(bob, 'presence', (p) => p.userId === aliceId && p.status === 'busy');
    const own = nextEvent(alice, 'presence', (p) => p.userId === aliceId && p.choice === 'busy');
    await alice.setPresence('busy');
    await change;
    await own;

    change = nextEvent(bob, 'presence', (p) => p.userId === aliceId && p.status === 'away');
    await alice.setPresence('online');
    await alice.setIdle(true);
    await change;
    change = nextEvent(bob, 'presence', (p) => p.userId === aliceId && p.status === 'online');
    await alice.setIdle(false);
    await change;
  });

  it('catches up on a change it missed while its link was down', async () => {
    const network = faultyNetwork(transportFor(server.wsUrl));
    const bob = track(await registered(server.wsUrl, { transport: network.transport }));
    const alice = track(await registered(server.wsUrl));
    await alice.openDirect(bob.user!.username);
    const aliceId = alice.user!.id;
    await bob.presence([aliceId]);

    network.offline = true;
    network.cut();
    await reachState(bob, 'reconnecting');
    await alice.setPresence('busy');
    const caughtUp = nextEvent(bob, 'presence', (p) => p.userId === aliceId && p.status === 'busy');
    network.offline = false;
    await caughtUp;
    assert.equal(bob.knownPresence(aliceId)?.status, 'busy');
  });
});
