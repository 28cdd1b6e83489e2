/**
 * Several real nodes on one PostgreSQL and one Redis, as docs/scaling.md deploys them: users on
 * different nodes chat, a node SIGKILLed under traffic loses nothing, a Redis restart under
 * traffic loses nothing, and the login and registration limits hold across the nodes.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ConfigInput } from '../src/index.js';
import { Device, Sender } from './support/device.js';
import { testPostgres } from './support/postgres.js';
import { spawnServer, waitReady } from './support/process.js';
import { RawClient } from './support/raw-client.js';
import { privateRedisSkip, startPrivateRedis, testRedis } from './support/redis.js';
import {
  connectUser,
  PASSWORD,
  startTestServer,
  uniqueName,
  type TestServer,
} from './support/server.js';

const postgres = await testPostgres();
const redis = await testRedis();

/** Sends fast enough that the rate limits are not what a test measures. */
const FAST = { sendRate: 100_000, frameRate: 100_000 } satisfies ConfigInput;

const servers: TestServer[] = [];
after(async () => {
  for (const server of servers) await server.dispose();
});

async function startNodes(count: number, settings: ConfigInput): Promise<TestServer[]> {
  const started = await Promise.all(
    Array.from({ length: count }, () => startTestServer({ ...FAST, ...settings })),
  );
  servers.push(...started);
  return started;
}

/** Registers two users on the given nodes and opens their direct conversation. */
async function chatPair(aliceUrl: string, bobUrl: string) {
  const alice = await connectUser(aliceUrl);
  const bob = await connectUser(bobUrl);
  const opened = await alice.client.expect('conversation', {
    type: 'open_direct',
    username: bob.username,
  });
  alice.client.close();
  bob.client.close();
  return { alice, bob, conversationId: opened.conversation.info.id };
}

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Every device has all `total` messages once, in seq order, and never had to ask for any. */
async function assertAllDelivered(devices: Device[], conversationId: number, total: number) {
  await Promise.all(devices.map((d) => d.until(() => d.seqs(conversationId).length >= total)));
  for (const device of devices) {
    assert.deepEqual(device.seqs(conversationId), oneToN(total));
    assert.equal(device.duplicates, 0, `no update twice: ${device.gapLog.join('; ')}`);
  }
}

async function readyStatus(httpUrl: string): Promise<number> {
  try {
    return (await fetch(`${httpUrl}/readyz`)).status;
  } catch {
    return 0;
  }
}

async function untilReadyIs(httpUrl: string, status: number): Promise<void> {
  while ((await readyStatus(httpUrl)) !== status) await new Promise((r) => setTimeout(r, 25));
}

describe('several nodes on PostgreSQL and Redis', { skip: postgres.skip ?? redis.skip }, () => {
  it('lets users on different nodes chat: every device of both gets every message once, in order', async () => {
    const databaseUrl = await postgres.createDatabase();
    const [one, two, three] = await startNodes(3, {
      databaseUrl,
      redisUrl: redis.url,
      redisPrefix: redis.prefix(),
    });
    const { alice, bob, conversationId } = await chatPair(one!.wsUrl, three!.tcpUrl);
    const devices = [
      new Device(alice.token),
      new Device(alice.token),
      new Device(bob.token),
      new Device(bob.token),
    ];
    const urls = [one!.wsUrl, two!.tcpUrl, three!.wsUrl, one!.tcpUrl];
    await Promise.all(devices.map((d, i) => d.connect(urls[i]!)));
    const aliceSends = new Sender('alice', conversationId);
    const bobSends = new Sender('bob', conversationId);
    const running = [aliceSends.run(devices[0]!.client!), bobSends.run(devices[2]!.client!)];
    await Promise.all([aliceSends.untilAcked(40), bobSends.untilAcked(40)]);
    aliceSends.stop();
    bobSends.stop();
    await Promise.all(running);
    const total = aliceSends.acked.length + bobSends.acked.length;
    await assertAllDelivered(devices, conversationId, total);
    for (const device of devices) assert.deepEqual(device.gapLog, [], 'every push arrived live');
    for (const device of devices) device.close();
  });

  it('loses no acknowledged message when a node is SIGKILLed under traffic; its clients resume elsewhere', async () => {
    const databaseUrl = await postgres.createDatabase();
    const redisPrefix = redis.prefix();
    const [one, two] = await startNodes(2, { databaseUrl, redisUrl: redis.url, redisPrefix });
    const doomed = await spawnServer({
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      PARLEY_REDIS_PREFIX: redisPrefix,
      PARLEY_SEND_RATE: String(FAST.sendRate),
      PARLEY_FRAME_RATE: String(FAST.frameRate),
    });
    try {
      await waitReady(doomed);
      const { alice, bob, conversationId } = await chatPair(one!.wsUrl, two!.wsUrl);
      const aliceDevice = new Device(alice.token);
      const bobDevice = new Device(bob.token);
      await aliceDevice.connect(doomed.wsUrl);
      await bobDevice.connect(two!.tcpUrl);
      const aliceSends = new Sender('alice', conversationId);
      const bobSends = new Sender('bob', conversationId);
      const bobRunning = bobSends.run(bobDevice.client!);
      const aliceOnDoomed = aliceSends.run(aliceDevice.client!);
      await aliceSends.untilAcked(25);
      await bobSends.untilAcked(25);
      doomed.child.kill('SIGKILL');
      await doomed.exited;
      await aliceOnDoomed;
      // Bob kept sending meanwhile; alice resumes on a surviving node from her last pts.
      await bobSends.untilAcked(bobSends.acked.length + 10);
      await aliceDevice.connect(one!.tcpUrl);
      const aliceOnOne = aliceSends.run(aliceDevice.client!);
      await aliceSends.untilAcked(aliceSends.acked.length + 25);
      aliceSends.stop();
      bobSends.stop();
      await Promise.all([aliceOnOne, bobRunning]);

      const total = aliceSends.acked.length + bobSends.acked.length;
      await assertAllDelivered([aliceDevice, bobDevice], conversationId, total);
      const bodies = new Set(aliceDevice.messages.map((m) => m.body));
      for (const id of [...aliceSends.acked, ...bobSends.acked])
        assert.ok(bodies.has(id), `acknowledged ${id} is there`);
      aliceDevice.close();
      bobDevice.close();
    } finally {
      doomed.child.kill('SIGKILL');
    }
  });

  it(
    'delivers everything, in order and without the devices asking, across a Redis restart under traffic',
    { skip: privateRedisSkip() },
    async () => {
      const privateRedis = await startPrivateRedis();
      after(() => privateRedis.stop());
      const databaseUrl = await postgres.createDatabase();
      const [one, two] = await startNodes(2, {
        databaseUrl,
        redisUrl: privateRedis.url,
        redisPrefix: redis.prefix(),
      });
      const { alice, bob, conversationId } = await chatPair(one!.wsUrl, two!.wsUrl);
      const devices = [new Device(alice.token), new Device(bob.token)];
      await devices[0]!.connect(one!.wsUrl);
      await devices[1]!.connect(two!.tcpUrl);
      const senders = [new Sender('alice', conversationId), new Sender('bob', conversationId)];
      const running = senders.map((s, i) => s.run(devices[i]!.client!));
      const eachAcked = (more: number) =>
        Promise.all(senders.map((s) => s.untilAcked(s.acked.length + more)));
      await eachAcked(10);

      await privateRedis.kill();
      await untilReadyIs(one!.httpUrl, 503);
      // Sends go on while Redis is away: they are stored and acknowledged, not pushed.
      await eachAcked(10);
      await privateRedis.start();
      await untilReadyIs(one!.httpUrl, 200);
      await untilReadyIs(two!.httpUrl, 200);
      await eachAcked(10);
      for (const sender of senders) sender.stop();
      await Promise.all(running);

      const total = senders[0]!.acked.length + senders[1]!.acked.length;
      await assertAllDelivered(devices, conversationId, total);
      for (const device of devices)
        assert.deepEqual(device.gapLog, [], 'the node caught its devices up by itself');
      for (const device of devices) device.close();
    },
  );

  it('counts failed logins and registrations per IP across the nodes, not per node', async () => {
    const databaseUrl = await postgres.createDatabase();
    const [one, two] = await startNodes(2, {
      databaseUrl,
      redisUrl: redis.url,
      redisPrefix: redis.prefix(),
      loginAttempts: 3,
      loginBackoffMs: 600_000,
      registrationsPerIp: 2,
    });
    const attempt = async (url: string, frame: Record<string, unknown>) => {
      const client = await RawClient.ws(url);
      await client.expect('welcome', { type: 'hello', versions: [1] });
      const reply = await client.request(frame);
      client.close();
      return reply;
    };
    const register = (url: string) =>
      attempt(url, { type: 'register', username: uniqueName(), password: PASSWORD });
    assert.equal((await register(one!.wsUrl)).type, 'authed');
    const second = await register(two!.wsUrl);
    assert.equal(second.type, 'authed');
    const third = await register(one!.wsUrl);
    assert.equal(third.type === 'error' && third.code, 'rate_limited', 'two per IP in all');

    const username = second.type === 'authed' ? second.user.username : '';
    const guess = (url: string) =>
      attempt(url, { type: 'login', username, password: 'wrong guess here' });
    const codes: string[] = [];
    for (const url of [one!.wsUrl, two!.wsUrl, one!.wsUrl, two!.wsUrl]) {
      const reply = await guess(url);
      codes.push(reply.type === 'error' ? reply.code : reply.type);
    }
    // Three guesses in all, over two nodes, start the backoff: the fourth must wait.
    assert.deepEqual(codes, [
      'invalid_credentials',
      'invalid_credentials',
      'invalid_credentials',
      'too_many_attempts',
    ]);
  });
});
