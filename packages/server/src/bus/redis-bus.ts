/**
 * The Redis Bus: several nodes, one Redis, pub/sub with one channel per user. A node subscribes
 * only to the users it holds devices of, so it receives only what those devices need, and an
 * update's frame string goes into the payload as the publisher built it: it is serialized once,
 * however many nodes forward it.
 *
 * Pub/sub rather than streams: Redis holds nothing durable here. Everything published is already
 * committed in the store, so a message Redis drops (a node was disconnected from it) is recovered
 * from the store, not from Redis:
 *   - When this node's subscriber connection comes back, it subscribes to its channels again and
 *     then reports `onGap`: the session registry makes every live device catch up from the store
 *     from the last pts it was pushed, in order, without reconnecting.
 *   - A publish that fails (this node could not reach Redis) remembers its user; once the
 *     publishing connection is back, a `resync` goes to each such user, and the nodes holding
 *     their devices catch them up the same way.
 * Either way a device gets every update once and in order (a device ignores a pts it was already
 * pushed), and Redis restarts or partitions cost latency, never messages.
 */
import type { UpdateKind } from '@parley/protocol';
import {
  BusClosedError,
  type Bus,
  type BusHandler,
  type BusMessage,
  type BusOptions,
} from './bus.js';
import { openRedis } from './redis-connection.js';

export interface RedisBusOptions {
  /** redis://host:port/db */
  url: string;
  /** Put before every channel name, so several deployments (or test runs) can share a Redis. */
  prefix: string;
}

/** Users whose publishes failed, remembered for a resync; past this many, the oldest are dropped. */
const MAX_MISSED_USERS = 100_000;

/**
 * The payload: a short header, then the frame as built. `u|user|pts|kind|frame` (an update),
 * `v|user|pts|kind|length|frame legacyFrame` (an update with a frame for version-2 devices),
 * `s|user|since|frame` (a live-only signal), `r|user|id,id,...` (sessions revoked), `g|user`
 * (resync: catch up from the store).
 */
function encode(message: BusMessage): string {
  switch (message.type) {
    case 'update':
      // With a frame for older versions too: both after the header, the first one's length in it.
      return message.legacyFrame === undefined
        ? `u|${message.userId}|${message.pts}|${message.kind}|${message.frame}`
        : `v|${message.userId}|${message.pts}|${message.kind}|${message.frame.length}|${message.frame}${message.legacyFrame}`;
    case 'signal':
      return `s|${message.userId}|${message.since}|${message.frame}`;
    case 'sessions_revoked':
      return `r|${message.userId}|${message.sessionIds.join(',')}`;
    case 'resync':
      return `g|${message.userId}`;
    default: {
      const unreachable: never = message;
      throw new Error(`unknown bus message ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The fields before the frame, split off without touching the frame itself. */
function fields(payload: string, count: number): { parts: string[]; rest: string } {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = payload.indexOf('|', start);
    if (end === -1) return { parts: [...parts, payload.slice(start)], rest: '' };
    parts.push(payload.slice(start, end));
    start = end + 1;
  }
  return { parts, rest: payload.slice(start) };
}

function decode(payload: string): BusMessage | null {
  switch (payload[0]) {
    case 'u': {
      const { parts, rest } = fields(payload, 4);
      return {
        type: 'update',
        userId: Number(parts[1]),
        pts: Number(parts[2]),
        kind: parts[3] as UpdateKind,
        frame: rest,
      };
    }
    case 'v': {
      const { parts, rest } = fields(payload, 5);
      const length = Number(parts[4]);
      return {
        type: 'update',
        userId: Number(parts[1]),
        pts: Number(parts[2]),
        kind: parts[3] as UpdateKind,
        frame: rest.slice(0, length),
        legacyFrame: rest.slice(length),
      };
    }
    case 's': {
      const { parts, rest } = fields(payload, 3);
      return { type: 'signal', userId: Number(parts[1]), since: Number(parts[2]), frame: rest };
    }
    case 'r': {
      const { parts, rest } = fields(payload, 2);
      return {
        type: 'sessions_revoked',
        userId: Number(parts[1]),
        sessionIds: rest === '' ? [] : rest.split(',').map(Number),
      };
    }
    case 'g':
      return { type: 'resync', userId: Number(fields(payload, 1).rest) };
    default:
      return null;
  }
}

export async function createRedisBus(
  { url, prefix }: RedisBusOptions,
  { onHandlerError, onGap = () => {} }: BusOptions,
): Promise<Bus> {
  const [publisher, subscriber] = await Promise.all([
    openRedis(url, 'parley-publish'),
    openRedis(url, 'parley-subscribe'),
  ]);

  const channelOf = (userId: number) => `${prefix}u:${userId}`;
  const topics = new Map<number, Set<BusHandler>>();
  const missed = new Set<number>();
  let closed = false;

  /**
   * Between a reconnection and its `onGap`, messages wait here: one delivered before the devices
   * start catching up could reach a device ahead of one the outage dropped.
   */
  let resubscribing: Array<[string, string]> | null = null;
  subscriber.on('message', (channel: string, payload: string) => {
    if (resubscribing) resubscribing.push([channel, payload]);
    else deliver(channel, payload);
  });
  function deliver(channel: string, payload: string): void {
    const message = decode(payload);
    if (!message || channel !== channelOf(message.userId)) return;
    const handlers = topics.get(message.userId);
    if (!handlers) return;
    for (const handler of [...handlers]) {
      // A handler unsubscribed by an earlier one in this loop gets nothing.
      if (!handlers.has(handler)) continue;
      try {
        handler(message);
      } catch (error) {
        onHandlerError(error);
      }
    }
  }

  // Each `ready` after the first is a reconnection: whatever was published meanwhile is gone.
  subscriber.on('ready', () => {
    if (closed) return;
    const waiting: Array<[string, string]> = [];
    resubscribing = waiting;
    const channels = [...topics.keys()].map(channelOf);
    const resubscribed = channels.length > 0 ? subscriber.subscribe(...channels) : null;
    Promise.resolve(resubscribed).then(
      () => {
        if (resubscribing !== waiting) return;
        // The devices start catching up (holding live pushes) before any push goes out.
        onGap();
        resubscribing = null;
        for (const [channel, payload] of waiting) deliver(channel, payload);
      },
      // The connection dropped again; its next `ready` retries.
      () => undefined,
    );
  });
  publisher.on('ready', () => {
    if (closed) return;
    const users = [...missed];
    missed.clear();
    for (const userId of users) void publishTo({ type: 'resync', userId });
  });

  async function publishTo(message: BusMessage): Promise<void> {
    try {
      await publisher.publish(channelOf(message.userId), encode(message));
    } catch (error) {
      // A signal is live-only: nothing of it is in the store to catch up on.
      if (message.type === 'signal') throw error;
      if (missed.size >= MAX_MISSED_USERS) {
        const oldest = missed.values().next();
        if (oldest.done !== true) missed.delete(oldest.value);
      }
      missed.add(message.userId);
      throw error;
    }
  }

  return {
    async publish(message) {
      if (closed) throw new BusClosedError();
      await publishTo(message);
    },
    async subscribe(userId, handler) {
      if (closed) throw new BusClosedError();
      let handlers = topics.get(userId);
      if (handlers?.has(handler)) return;
      const first = !handlers;
      if (!handlers) topics.set(userId, (handlers = new Set()));
      handlers.add(handler);
      if (!first) return;
      try {
        await subscriber.subscribe(channelOf(userId));
      } catch (error) {
        // Not subscribed: forget the wish, so the next subscribe asks Redis again.
        if (topics.get(userId) === handlers) topics.delete(userId);
        throw error;
      }
    },
    async unsubscribe(userId, handler) {
      const handlers = topics.get(userId);
      if (!handlers?.delete(handler) || handlers.size > 0) return;
      topics.delete(userId);
      if (closed) return;
      // Local delivery stopped above; Redis stops sending once this is through (or the
      // connection drops, which unsubscribes everything anyway).
      await subscriber.unsubscribe(channelOf(userId)).catch(() => undefined);
    },
    async ping() {
      if (closed) throw new BusClosedError();
      await Promise.all([publisher.ping(), subscriber.ping()]);
    },
    async close() {
      if (closed) return;
      closed = true;
      topics.clear();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
