/**
 * The Bus port: how a node tells the nodes holding a user's devices that something happened to
 * that user. The in-process adapter serves a single node; the Redis adapter (a later issue) serves
 * many. Topics are per user, so a node subscribes only to the users it has devices of.
 *
 * Delivery through the bus is best effort by design: everything published is already durable in
 * the store, and a device that misses a publish notices the pts gap and syncs.
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
    }
  | {
      /** Sessions were revoked (logout everywhere, password change): close their connections. */
      type: 'sessions_revoked';
      userId: number;
      sessionIds: number[];
    };

export type BusHandler = (message: BusMessage) => void;

export interface Bus {
  /** Publishes to everyone subscribed to `userId`'s topic, on every node. */
  publish(message: BusMessage): Promise<void>;
  /** Starts receiving `userId`'s messages; idempotent per handler. */
  subscribe(userId: number, handler: BusHandler): Promise<void>;
  unsubscribe(userId: number, handler: BusHandler): Promise<void>;
  close(): Promise<void>;
}
