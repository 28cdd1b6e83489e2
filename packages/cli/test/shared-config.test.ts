/**
 * Two `parley` programs on one config file: a `chat` that queued a message during an outage and
 * quit, and a `listen` that was running all along and saves its own state as messages arrive.
 * The queued message must be delivered, not erased by the listener's save.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CliUser,
  PASSWORD,
  startRestartableServer,
  tempDir,
  uniqueName,
  waitForOutput,
  type RestartableServer,
} from './support/cli.js';

describe('parley programs sharing one config file', () => {
  let server: RestartableServer;
  let dir: string;
  before(async () => {
    server = await startRestartableServer();
    dir = tempDir();
  });
  after(async () => {
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers what chat queued during an outage though listen on the same config saved since', async () => {
    const [aliceName, bobName] = [uniqueName('a'), uniqueName('b')];
    const alice = new CliUser(server.wsUrl, join(dir, 'alice.json'));
    const bob = new CliUser(server.wsUrl, join(dir, 'bob.json'));
    for (const [user, name] of [
      [alice, aliceName],
      [bob, bobName],
    ] as const) {
      const r = await user.run(['register', name], { env: { PARLEY_PASSWORD: PASSWORD } });
      assert.equal(r.code, 0, r.stderr);
    }
    const hello = await bob.run(['send', aliceName, 'hello alice']);
    assert.equal(hello.code, 0, hello.stderr);

    const listener = alice.spawn(['listen']);
    const chat = alice.spawn(['chat', bobName]);
    try {
      await waitForOutput(listener.stderr!, /Listening as/);
      await waitForOutput(chat.stdout!, /hello alice/);

      const lost = Promise.all([
        waitForOutput(listener.stderr!, /connection lost/),
        waitForOutput(chat.stdout!, /connection lost/),
      ]);
      await server.stop();
      await lost;
      chat.stdin!.write('written during the outage\n/quit\n');
      const notSent = waitForOutput(chat.stderr!, /1 message\(s\) not sent yet/);
      await once(chat, 'close');
      await notSent;

      await server.start();
      // The listener is back and saves its cursor as a message comes in.
      const back = waitForOutput(listener.stderr!, /connected/, 45_000);
      await back;
      const printed = waitForOutput(listener.stdout!, /after the outage/);
      const later = await bob.run(['send', aliceName, 'after the outage']);
      assert.equal(later.code, 0, later.stderr);
      await printed;

      const deadline = Date.now() + 20_000;
      let bodies: string[] = [];
      while (Date.now() < deadline) {
        const page = await bob.run(['history', aliceName]);
        bodies = page.stdout.split('\n').filter((l) => l.includes('written during the outage'));
        if (bodies.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.equal(bodies.length, 1, 'delivered, and once');
    } finally {
      listener.kill('SIGINT');
      chat.kill('SIGINT');
    }
  });
});
