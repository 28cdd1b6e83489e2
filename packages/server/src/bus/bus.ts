/**
 * The Bus port: how a node tells the nodes holding a user's devices that something happened to
 * that user. The in-process adapter serves a single node; the Redis adapter (redis-bus.ts) serves
 * many. Topics are per user, so a node subscribes only to the users it has devices of. Every
 * adapter runs the contract suite in test/bus-contract.ts.
 *
 * Delivery through the bus is best effort by design: everything published is already durable in
 * the store, and a device that misses a publish notices the pts gap and syncs. So callers catch
 * and count a failed publish rather than fail the request that caused it.
 */
import type { UpdateKind } from '@parley/protocol';

export type BusMessage =
  | {
      /** A new update for `userId`; `frame` is the serialized `update` frame, built once. */
      type: 'update';
      userId: number;
      pts: number;
      /** The update's kind: a device on an older protocol version is not sent kinds it lacks. */
      kind: UpdateKind;
      frame: string;
      /**
       * The frame for devices on a protocol version before 3, when it differs (a message with
       * an attachment, shown to them as text); absent: `frame` serves every version.
       */
      legacyFrame?: string;
    }
  | {
      /**
       * A live-only push for `userId`'s devices (typing; later presence): never stored, so a
       * device not live when it passes never sees it. `frame` is serialized once; `since` is the
       * protocol version that introduced it, so older devices are not sent it.
       */
      type: 'signal';
      userId: number;
      since: number;
      frame: string;
    }
  | {
      /** Sessions were revoked (logout everywhere, password change): close their connections. */
      type: 'sessions_revoked';
      userId: number;
      sessionIds: number[];
    }
  | {
      /**
       * `userId`'s updates may have been lost on the way (a publish failed while its node could not
       * reach the bus): the devices catch up from the store.
       */
      type: 'resync';
      userId: number;
    };

export type BusHandler = (message: BusMessage) => void;

/** What every adapter's factory takes. */
export interface BusOptions {
  /**
   * A handler threw. The adapter catches it (other handlers and later messages still run) and
   * reports it here, since nobody awaits a handler.
   */
  onHandlerError: (error: unknown) => void;
  /**
   * This node may have missed messages on every topic (its connection to the bus dropped and is
   * back, subscriptions in effect again): every live device should catch up from the store. The
   * in-process bus never calls it.
   */
  onGap?: () => void;
}

export interface Bus {
  /**
   * Publishes to everyone subscribed to `userId`'s topic, on every node. Messages published to
   * one topic from one node arrive in the order they were published. Rejects when the bus could
   * not take the message.
   */
  publish(message: BusMessage): Promise<void>;
  /**
   * Starts receiving `userId`'s messages; idempotent per handler. Resolves once the subscription
   * is in effect: whatever is published after that reaches `handler`.
   */
  subscribe(userId: number, handler: BusHandler): Promise<void>;
  /** Stops `handler` receiving `userId`'s messages; once it resolves, none reach it. */
  unsubscribe(userId: number, handler: BusHandler): Promise<void>;
  /** Resolves when the bus can carry messages, rejects when it cannot (`/readyz`). */
  ping(): Promise<void>;
  /** Stops delivery; afterwards `ping` and `publish` reject. */
  close(): Promise<void>;
}

/** The bus was used after `close()`. */
export class BusClosedError extends Error {
  override name = 'BusClosedError';
  constructor() {
    super('the bus is closed');
  }
}
