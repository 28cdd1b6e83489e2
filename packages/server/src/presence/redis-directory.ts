/**
 * The presence directory in Redis: one hash per user, a field per node holding
 * "connected,active,expiresAt". Each node rewrites its fields every REFRESH_MS; a field past its
 * expiry no longer counts, so the devices of a node that died stop counting within TTL_MS. The
 * nodes also keep a heartbeat each in one sorted set; every node looks for heartbeats older than
 * TTL_MS, and the one that removes a dead node's heartbeat (ZREM answers 1 to one node only)
 * clears that node's fields and reports its users, so their contacts learn they went offline.
 *
 * A call that fails (Redis away) resolves with this node's own count: presence is best effort,
 * and the next refresh after Redis returns rewrites everything.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { openRedis } from '../bus/redis-connection.js';
import type { DeviceActivity, PresenceDirectory } from '../domain/presence-directory.js';

const REFRESH_MS = 5000;
const TTL_MS = 3 * REFRESH_MS;

/** KEYS: user hash. ARGV: now. Sums the live fields and removes the expired ones. */
const TOTAL = `
local fields = redis.call('HGETALL', KEYS[1])
local now = tonumber(ARGV[1])
local connected, active = 0, 0
for i = 1, #fields, 2 do
  local c, a, e = string.match(fields[i + 1], '^(%d+),(%d+),(%d+)$')
  if c and tonumber(e) > now then
    connected = connected + tonumber(c)
    active = active + tonumber(a)
  else
    redis.call('HDEL', KEYS[1], fields[i])
  end
end
return {connected, active}
`;

export interface RedisPresenceOptions {
  url: string;
  /** Key prefix, shared by the nodes of one deployment. */
  prefix: string;
  now: () => number;
  onError: (error: unknown) => void;
}

export async function createRedisPresenceDirectory(
  options: RedisPresenceOptions,
): Promise<PresenceDirectory> {
  const { prefix, now, onError } = options;
  const redis: Redis = await openRedis(options.url, 'parley-presence');
  const node = randomUUID();
  const userKey = (userId: number) => `${prefix}presence:${userId}`;
  const nodesKey = `${prefix}presence:nodes`;
  const usersOf = (nodeId: string) => `${prefix}presence:users:${nodeId}`;
  /** What this node holds, rewritten on every refresh. */
  const held = new Map<number, DeviceActivity>();
  let expiredHandler: (userIds: number[]) => void = () => {};

  const entry = (a: DeviceActivity) => `${a.connected},${a.active},${now() + TTL_MS}`;

  async function total(userId: number): Promise<DeviceActivity> {
    const [connected, active] = (await redis.eval(TOTAL, 1, userKey(userId), now())) as [
      number,
      number,
    ];
    return { connected, active };
  }

  async function refresh(): Promise<void> {
    const at = now();
    const batch = redis.multi().zadd(nodesKey, at, node);
    for (const [userId, activity] of held) batch.hset(userKey(userId), node, entry(activity));
    await batch.exec();
    const dead = await redis.zrangebyscore(nodesKey, '-inf', at - TTL_MS);
    for (const other of dead) {
      if (other === node || (await redis.zrem(nodesKey, other)) !== 1) continue;
      const users = (await redis.smembers(usersOf(other))).map(Number);
      const cleanup = redis.multi().del(usersOf(other));
      for (const userId of users) cleanup.hdel(userKey(userId), other);
      await cleanup.exec();
      if (users.length > 0) expiredHandler(users);
    }
  }

  const timer = setInterval(() => refresh().catch(onError), REFRESH_MS);
  timer.unref();
  await refresh();

  return {
    async report(userId, local) {
      if (local.connected === 0) held.delete(userId);
      else held.set(userId, local);
      try {
        const batch = redis.multi();
        if (local.connected === 0) batch.hdel(userKey(userId), node).srem(usersOf(node), userId);
        else batch.hset(userKey(userId), node, entry(local)).sadd(usersOf(node), userId);
        await batch.exec();
        return await total(userId);
      } catch (error) {
        onError(error);
        return local;
      }
    },
    async totals(userIds) {
      const found = new Map<number, DeviceActivity>();
      try {
        const counted = await Promise.all(userIds.map((id) => total(id)));
        userIds.forEach((id, i) => {
          if (counted[i]!.connected > 0) found.set(id, counted[i]!);
        });
      } catch (error) {
        onError(error);
        for (const id of userIds) {
          const mine = held.get(id);
          if (mine) found.set(id, mine);
        }
      }
      return found;
    },
    onExpired(handler) {
      expiredHandler = handler;
    },
    async close() {
      // Nothing removed: the node's fields expire and another node reports its users, once
      // those who reconnected elsewhere are counted there (a restart does not flicker).
      clearInterval(timer);
      redis.disconnect();
      return Promise.resolve();
    },
  };
}
