/**
 * Hands stored updates to the bus, each serialized into its `update` frame once, here, so every
 * device of the user receives the same string and no connection serializes it again.
 */
import type { Bus } from '../bus/bus.js';
import type { StoredUpdate } from '../store/store.js';

export function updateFrameText(stored: StoredUpdate): string {
  return `{"type":"update","pts":${stored.pts},"update":${JSON.stringify(stored.update)}}`;
}

export function createPublisher(bus: Bus) {
  return {
    /** Publishes in order; resolves when the bus has taken them all. */
    async publish(updates: readonly StoredUpdate[]): Promise<void> {
      await Promise.all(
        updates.map((u) =>
          bus.publish({
            type: 'update',
            userId: u.userId,
            pts: u.pts,
            kind: u.update.kind,
            frame: updateFrameText(u),
          }),
        ),
      );
    },
  };
}

export type Publisher = ReturnType<typeof createPublisher>;
