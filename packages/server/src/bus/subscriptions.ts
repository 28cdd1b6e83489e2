/**
 * This node's subscriptions, one per user topic, kept in step with what the node wants. A
 * networked bus answers subscribe and unsubscribe calls over the network, so a quick
 * disconnect-reconnect could see its subscribe finish before the unsubscribe it followed, leaving
 * a connected device unsubscribed. Here every call for one topic waits for the one before, and
 * each brings the topic to what is wanted *now*, so the last wish always wins. Failures are
 * reported, never thrown at the caller: a failed subscribe is retried by the next `ready()`.
 */
import type { Bus, BusHandler } from './bus.js';

export type SubscriptionOp = 'subscribe' | 'unsubscribe';

interface Topic {
  wanted: boolean;
  /** True once a subscribe succeeded, until an unsubscribe is attempted. */
  active: boolean;
  /** The last queued call; the next waits for it. */
  tail: Promise<void>;
  queued: number;
}

export function createSubscriptions(
  bus: Bus,
  handler: BusHandler,
  onError: (op: SubscriptionOp, error: unknown) => void,
) {
  const topics = new Map<number, Topic>();

  async function reconcile(userId: number, topic: Topic): Promise<void> {
    if (topic.wanted === topic.active) return;
    const op: SubscriptionOp = topic.wanted ? 'subscribe' : 'unsubscribe';
    try {
      if (op === 'subscribe') await bus.subscribe(userId, handler);
      else await bus.unsubscribe(userId, handler);
      topic.active = op === 'subscribe';
    } catch (error) {
      // A failed unsubscribe leaves the state unknown: subscribe again if it is wanted again
      // (subscribing is idempotent); stray messages meanwhile find no device and are dropped.
      if (op === 'unsubscribe') topic.active = false;
      onError(op, error);
    }
  }

  function enqueue(userId: number, wanted: boolean): Promise<void> {
    let topic = topics.get(userId);
    if (!topic) {
      if (!wanted) return Promise.resolve();
      topics.set(userId, (topic = { wanted, active: false, tail: Promise.resolve(), queued: 0 }));
    }
    const current = topic;
    current.wanted = wanted;
    current.queued++;
    current.tail = current.tail.then(async () => {
      await reconcile(userId, current);
      // Forget a topic nobody wants once its last call is done: memory follows devices.
      if (--current.queued === 0 && !current.wanted && !current.active) topics.delete(userId);
    });
    return current.tail;
  }

  return {
    /** This node wants `userId`'s messages (it holds a device of the user). */
    want: (userId: number): void => void enqueue(userId, true),
    /** This node no longer holds a device of `userId`. */
    drop: (userId: number): void => void enqueue(userId, false),
    /**
     * Resolves true once the subscription to `userId`'s topic is in effect (retrying one that
     * failed), false when the bus refused it or the node no longer wants it.
     */
    async ready(userId: number): Promise<boolean> {
      if (!topics.get(userId)?.wanted) return false;
      await enqueue(userId, true);
      return topics.get(userId)?.active ?? false;
    },
  };
}

export type Subscriptions = ReturnType<typeof createSubscriptions>;
