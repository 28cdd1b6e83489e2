/**
 * The PresenceDirectory port: how many devices each user has connected, and how many of them
 * are in use, across every node. A node reports its own devices of a user and reads back the
 * total, so a user with a phone on one node and a laptop on another is one presence. The
 * in-process adapter serves a single node; the Redis adapter (presence/redis-directory.ts) serves
 * many, and reports the users of a node that died once its entries expired.
 */

/** A user's devices: connected, and connected and not idle. */
export interface DeviceActivity {
  connected: number;
  active: number;
}

export const NO_DEVICES: DeviceActivity = { connected: 0, active: 0 };

export interface PresenceDirectory {
  /** This node now holds `local` of `userId`'s devices; resolves with the total across nodes. */
  report(userId: number, local: DeviceActivity): Promise<DeviceActivity>;
  /** The totals across nodes for these users (no entry: no device anywhere). */
  totals(userIds: readonly number[]): Promise<Map<number, DeviceActivity>>;
  /**
   * `handler` is called with users whose totals dropped because a node stopped reporting (it
   * died): presence must tell their contacts. The in-process directory never calls it.
   */
  onExpired(handler: (userIds: number[]) => void): void;
  close(): Promise<void>;
}

/** One node: the totals are what it holds. */
export function createMemoryPresenceDirectory(): PresenceDirectory {
  const held = new Map<number, DeviceActivity>();
  return {
    report(userId, local) {
      if (local.connected === 0) held.delete(userId);
      else held.set(userId, local);
      return Promise.resolve(local);
    },
    totals(userIds) {
      const found = new Map<number, DeviceActivity>();
      for (const id of userIds) {
        const activity = held.get(id);
        if (activity) found.set(id, activity);
      }
      return Promise.resolve(found);
    },
    onExpired() {},
    close: () => Promise.resolve(),
  };
}
