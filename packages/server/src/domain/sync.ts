/**
 * The update stream seen from a device: pages of what it missed since its cursor. A new device
 * (no cursor) learns the current pts and loads conversations and history instead of replaying
 * the user's whole past.
 */
import type { UpdateEnvelope } from '@parley/protocol';
import type { Store } from '../store/store.js';
import type { AckBuffer } from './acks.js';

export interface SyncPage {
  updates: UpdateEnvelope[];
  pts: number;
  more: boolean;
}

export function createSync({
  store,
  acks,
  maxPageSize,
}: {
  store: Store;
  acks: AckBuffer;
  maxPageSize: number;
}) {
  return {
    async page(
      userId: number,
      fromPts: number | null,
      limit: number | undefined,
    ): Promise<SyncPage> {
      if (fromPts === null)
        return { updates: [], pts: await store.currentPts(userId), more: false };
      const size = Math.min(limit ?? maxPageSize, maxPageSize);
      // One extra row tells whether another page follows without a second query.
      const rows = await store.updatesSince(userId, fromPts, size + 1);
      const more = rows.length > size;
      const page = more ? rows.slice(0, size) : rows;
      const last = page.at(-1);
      if (!last) {
        // Nothing newer. A cursor ahead of the server (data restored from an older backup) is
        // pulled back to the server's pts so the device does not wait forever for numbers it has.
        const current = await store.currentPts(userId);
        return { updates: [], pts: Math.min(fromPts, current), more: false };
      }
      return { updates: page.map((u) => ({ pts: u.pts, update: u.update })), pts: last.pts, more };
    },
    /**
     * Records the device's delivered cursor (written in the next batch), clamped to the user's
     * stream: a device cannot have received what does not exist yet, and a cursor past the end
     * would make the record of delivery claim updates nobody was sent.
     */
    async ack(userId: number, sessionId: number, pts: number): Promise<void> {
      acks.record(sessionId, Math.min(pts, await store.currentPts(userId)));
    },
  };
}

export type Sync = ReturnType<typeof createSync>;
