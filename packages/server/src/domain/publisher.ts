/**
 * Hands what the store committed to the bus: updates, each serialized into its `update` frame
 * once, here, so every device of the user receives the same string and no connection serializes
 * it again; and session revocations, so every node closes the revoked devices.
 *
 * A publish never fails the request that caused it: what it carries is already durable, and a
 * device that misses a push notices the pts gap and syncs. A failure is reported to `onError`
 * (counted and logged), and never left as an unhandled rejection, which would stop the node.
 */
import type { Bus, BusMessage } from '../bus/bus.js';
import type { StoredUpdate } from '../store/store.js';

export function updateFrameText(stored: StoredUpdate): string {
  return `{"type":"update","pts":${stored.pts},"update":${JSON.stringify(stored.update)}}`;
}

export function createPublisher(bus: Bus, onError: (error: unknown) => void) {
  async function publish(message: BusMessage): Promise<void> {
    try {
      await bus.publish(message);
    } catch (error) {
      onError(error);
    }
  }
  return {
    /** Publishes in order; resolves when the bus has taken (or failed) them all. Never rejects. */
    async publish(updates: readonly StoredUpdate[]): Promise<void> {
      await Promise.all(
        updates.map((u) =>
          publish({
            type: 'update',
            userId: u.userId,
            pts: u.pts,
            kind: u.update.kind,
            frame: updateFrameText(u),
          }),
        ),
      );
    },
    /** A live-only push, serialized once, to each of `userIds`' devices. Never rejects. */
    async signal(userIds: readonly number[], since: number, frame: string): Promise<void> {
      await Promise.all(userIds.map((userId) => publish({ type: 'signal', userId, since, frame })));
    },
    /** Tells every node to close the devices of these sessions. Never rejects. */
    async revoked(userId: number, sessionIds: number[]): Promise<void> {
      if (sessionIds.length > 0) await publish({ type: 'sessions_revoked', userId, sessionIds });
    },
  };
}

export type Publisher = ReturnType<typeof createPublisher>;
