/**
 * Two SDK clients of one user on one file storage (two programs on one config file, two tabs on
 * one localStorage): what either queues is sent once, whichever of them is left running, and
 * neither's saves erase the other's messages or move the cursor back.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ParleyClient, PersistedState } from '../src/index.js';
import { fileStorage, transportFor } from '../src/node/index.js';
import { faultyNetwork } from './support/fault.js';
import {
  newClient,
  nextEvent,
  PASSWORD,
  reachState,
  registered,
  startTestServer,
  uniqueName,
  type TestServer,
} from './support/sdk.js';

describe('two clients on one storage', () => {
  let server: TestServer;
  let dir: string;
  const clients: ParleyClient[] = [];
  const track = (c: ParleyClient): ParleyClient => (clients.push(c), c);
  before(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'parley-shared-'));
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends what each queued offline, once, after the one that wrote first has quit', async () => {
    const url = server.wsUrl;
    const path = join(dir, 'config.json');
    const bob = track(await registered(url));
    const netA = faultyNetwork(transportFor(url));
    const a = track(newClient(url, { storage: fileStorage(path, url), transport: netA.transport }));
    await a.connect();
    await a.register(uniqueName('alice'), PASSWORD);
    await reachState(a, 'online');
    const chat = await a.openDirect(bob.user!.username);

    // The second program starts on the same file: it resumes the same session.
    const netB = faultyNetwork(transportFor(url));
    const b = track(newClient(url, { storage: fileStorage(path, url), transport: netB.transport }));
    await b.connect();
    await reachState(b, 'online');
    assert.equal(b.user?.id, a.user?.id);

    const received: string[] = [];
    bob.on('message', ({ message }) => received.push(message.body));
    for (const net of [netA, netB]) {
      net.offline = true;
      net.cut();
    }
    await Promise.all([reachState(a, 'reconnecting'), reachState(b, 'reconnecting')]);
    const first = a.send(chat.info.id, 'A, from the first program');
    // Two programs writing in the same millisecond have no order; this test wants one.
    while (Date.now() <= first.createdAt) await new Promise((resolve) => setImmediate(resolve));
    b.send(chat.info.id, 'B, from the second program');
    a.close();
    // Let the first program's last write land before judging the file.
    await waitForFile(path, url, (s) => s.outbox.length === 2);

    // The second one comes back (and saves its cursor as updates arrive): both go out.
    const both = nextEvent(bob, 'message', () => received.length === 2, 15_000);
    netB.offline = false;
    await both;
    assert.deepEqual(received, ['A, from the first program', 'B, from the second program']);
    const history = await bob.history(chat.info.id);
    assert.deepEqual(
      history.messages.map((m) => m.body),
      ['A, from the first program', 'B, from the second program'],
      'each stored once',
    );
    await waitForFile(path, url, (s) => s.outbox.every((e) => e.status === 'sent'));
  });

  it('never moves the stored cursor back when a client that fell behind saves', async () => {
    const url = server.wsUrl;
    const path = join(dir, 'cursor.json');
    const peer = track(await registered(url));
    const a = track(newClient(url, { storage: fileStorage(path, url) }));
    await a.connect();
    const name = uniqueName('carol');
    await a.register(name, PASSWORD);
    await reachState(a, 'online');
    const chat = await peer.openDirect(name);
    // b starts on the same file, then falls behind: its link is cut while a reads on.
    const netB = faultyNetwork(transportFor(url));
    const b = track(newClient(url, { storage: fileStorage(path, url), transport: netB.transport }));
    await b.connect();
    await reachState(b, 'online');
    netB.offline = true;
    netB.cut();
    for (let i = 1; i <= 3; i++) {
      const got = nextEvent(a, 'message', (e) => e.message.body === `n${i}`);
      await peer.sendAndWait(chat.info.id, `n${i}`);
      await got;
    }
    a.close();
    const ahead = (await waitForFile(path, url, (s) => s.pts === a.pts)).pts!;
    assert.ok(b.pts !== null && b.pts < ahead, 'b is behind');
    // b writes (a queued message) with its older cursor pending.
    b.send(chat.info.id, 'from the one behind');
    const stored = await waitForFile(path, url, (s) => s.outbox.length === 1);
    assert.equal(stored.pts, ahead, 'the cursor stayed where the one ahead left it');
    assert.equal(stored.token !== null, true, 'the session is still stored');
  });
});

/** Polls the file until the state stored under `key` satisfies `check`. */
async function waitForFile(
  path: string,
  key: string,
  check: (state: PersistedState) => boolean,
): Promise<PersistedState> {
  const deadline = Date.now() + 10_000;
  let last: unknown = null;
  for (;;) {
    try {
      last = (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)[key];
      if (last && check(last as PersistedState)) return last as PersistedState;
    } catch {
      // Not written yet.
    }
    if (Date.now() > deadline) {
      throw new Error(`the file never got there; last: ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
