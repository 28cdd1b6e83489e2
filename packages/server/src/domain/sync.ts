/**
 * The update stream seen from a device: pages of what it missed since its cursor. A new device
 * (no cursor) learns the current pts and loads conversations and history instead of replaying
 * the user's whole past. A page is bounded in items and in bytes, and leaves out the update kinds
 * the device's protocol version does not know while its cursor still moves past them.
 */
import { updateKindInVersion, type UpdateEnvelope } from '@parley/protocol';
import type { Store } from '../store/store.js';
import type { AckBuffer } from './acks.js';
import { jsonBytes } from './page-budget.js';

export interface SyncPage {
  updates: UpdateEnvelope[];
  pts: number;
  more: boolean;
}

export interface SyncPageRequest {
  userId: number;
  fromPts: number | null;
  limit: number | undefined;
  /** The protocol version the device negotiated. */
  version: number;
}

export function createSync({
  store,
  acks,
  maxPageSize,
  pageBytes,
}: {
  store: Store;
  acks: AckBuffer;
  maxPageSize: number;
  /** Most bytes of updates in one page (at least one update always goes). */
  pageBytes: number;
}) {
  return {
    async page({ userId, fromPts, limit, version }: SyncPageRequest): Promise<SyncPage> {
      if (fromPts === null)
        return { updates: [], pts: await store.currentPts(userId), more: false };
      const size = Math.min(limit ?? maxPageSize, maxPageSize);
      // One extra row tells whether another page follows without a second query.
      const rows = await store.updatesSince(userId, fromPts, size + 1);
      if (rows.length === 0) {
        // Nothing newer. A cursor ahead of the server (data restored from an older backup) is
        // pulled back to the server's pts so the device does not wait forever for numbers it has.
        const current = await store.currentPts(userId);
        return { updates: [], pts: Math.min(fromPts, current), more: false };
      }
      const candidates = rows.slice(0, size);
      const updates: UpdateEnvelope[] = [];
      let pts = fromPts;
      let bytes = 0;
      let consumed = 0;
      for (const row of candidates) {
        if (updateKindInVersion(row.update.kind, version)) {
          const envelope = { pts: row.pts, update: row.update };
          const envelopeBytes = jsonBytes(envelope);
          // At least one update per page, however large, so the cursor always moves.
          if (updates.length > 0 && bytes + envelopeBytes > pageBytes) break;
          bytes += envelopeBytes;
          updates.push(envelope);
        }
        pts = row.pts;
        consumed++;
      }
      return { updates, pts, more: rows.length > size || consumed < candidates.length };
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
