/**
 * Presence: what a user's contacts see of them (online, away, busy, offline with last seen),
 * from the user's choice (stored: online, busy, invisible) and the devices this node holds
 * (connected, and which of them are idle). Changes reach the contacts' live devices and the
 * user's own as `presence_changed`, at most one per user per COALESCE_MS, and a disconnect
 * counts only after OFFLINE_GRACE_MS, so a device that reconnects at once does not flicker.
 *
 * The live part is per node: with several nodes it moves to Redis (the scale-out issue).
 * Contacts are the users one shares a conversation with (friends will join them).
 */
import type { Presence, PresenceChoice, PresenceStatus } from '@parley/protocol';
import type { Store } from '../store/store.js';
import type { DeviceActivity, PresenceDirectory } from './presence-directory.js';
import type { Publisher } from './publisher.js';

/** The protocol version that introduced presence: older devices are not sent it. */
const PRESENCE_SINCE = 3;
const COALESCE_MS = 1000;
const OFFLINE_GRACE_MS = 3000;

interface Tracked {
  activity: DeviceActivity;
  choice: PresenceChoice;
  /** What contacts were last told (offline until the first publish). */
  told: PresenceStatus;
  toldAt: number;
  timer: ReturnType<typeof setTimeout> | null;
  /** The choice changed since the last publish: the user's own devices must hear of it. */
  choiceChanged: boolean;
  /** Loaded from the store when the user's first device arrived. */
  lastSeenAt: number | null;
}

export interface PresenceDeps {
  store: Store;
  publisher: Publisher;
  /** Devices across the nodes (in-process for one node, Redis for several). */
  directory: PresenceDirectory;
  now: () => number;
  /** A store call failed (counted and logged by the caller); presence is best effort. */
  onError: (error: unknown) => void;
}

function statusOf(activity: DeviceActivity, choice: PresenceChoice): PresenceStatus {
  if (activity.connected === 0 || choice === 'invisible') return 'offline';
  if (choice === 'busy') return 'busy';
  return activity.active === 0 ? 'away' : 'online';
}

export function createPresence({ store, publisher, directory, now, onError }: PresenceDeps) {
  const tracked = new Map<number, Tracked | Promise<Tracked>>();
  /** Reports of one user, one after another: totals read out of order would undo a change. */
  const reporting = new Map<number, Promise<void>>();
  let stopped = false;

  directory.onExpired((userIds) => {
    // A node died with these users' devices: they count no more, and their contacts, told they
    // were here by that node, must now hear otherwise from this one.
    for (const userId of userIds) {
      void track(userId).then(async (entry) => {
        const totals = await directory.totals([userId]);
        entry.activity = totals.get(userId) ?? { connected: 0, active: 0 };
        if (entry.told === 'offline') entry.told = 'online';
        changed(userId, entry);
      }, onError);
    }
  });

  async function track(userId: number): Promise<Tracked> {
    const known = tracked.get(userId);
    if (known) return known;
    const loading = store.presenceOf([userId]).then(([stored]) => {
      const entry: Tracked = {
        activity: { connected: 0, active: 0 },
        choice: stored?.choice ?? 'online',
        told: 'offline',
        toldAt: 0,
        timer: null,
        choiceChanged: false,
        lastSeenAt: stored?.lastSeenAt ?? null,
      };
      tracked.set(userId, entry);
      return entry;
    });
    tracked.set(userId, loading);
    loading.catch(() => tracked.delete(userId));
    return loading;
  }

  /** Publishes now, or schedules the publish, for what changed. */
  function changed(userId: number, entry: Tracked): void {
    if (stopped || entry.timer) return;
    const status = statusOf(entry.activity, entry.choice);
    const goingAway =
      status === 'offline' && entry.activity.connected === 0 && entry.told !== 'offline';
    const wait = goingAway ? OFFLINE_GRACE_MS : Math.max(0, entry.toldAt + COALESCE_MS - now());
    if (wait === 0) return void publish(userId, entry);
    entry.timer = setTimeout(() => {
      entry.timer = null;
      void publish(userId, entry);
    }, wait);
    entry.timer.unref();
  }

  async function publish(userId: number, entry: Tracked): Promise<void> {
    const status = statusOf(entry.activity, entry.choice);
    if (status === entry.told && !entry.choiceChanged) return forgetIfGone(userId, entry);
    const wasSeen = entry.told !== 'offline';
    entry.told = status;
    entry.toldAt = now();
    entry.choiceChanged = false;
    try {
      if (status === 'offline' && wasSeen) {
        entry.lastSeenAt = now();
        await store.setLastSeen(userId, entry.lastSeenAt);
      }
      const presence: Presence = { userId, status, lastSeenAt: entry.lastSeenAt };
      const contacts = await store.contactsOf(userId);
      const forContacts = JSON.stringify({ type: 'presence_changed', presence });
      const forSelf = JSON.stringify({
        type: 'presence_changed',
        presence: { ...presence, choice: entry.choice },
      });
      await Promise.all([
        publisher.signal(contacts, PRESENCE_SINCE, forContacts),
        publisher.signal([userId], PRESENCE_SINCE, forSelf),
      ]);
    } catch (error) {
      onError(error);
    }
    forgetIfGone(userId, entry);
  }

  /** A user with no device here and nothing left to tell is not kept in memory. */
  function forgetIfGone(userId: number, entry: Tracked): void {
    if (entry.activity.connected === 0 && entry.told === 'offline' && !entry.timer)
      tracked.delete(userId);
  }

  return {
    /** This node's devices of `userId` changed (one joined, left, went idle or came back). */
    devices(userId: number, local: DeviceActivity): void {
      const previous = reporting.get(userId) ?? Promise.resolve();
      const next = previous.then(async () => {
        const entry = await track(userId);
        entry.activity = await directory.report(userId, local);
        changed(userId, entry);
      });
      const settled = next.catch(onError).finally(() => {
        if (reporting.get(userId) === settled) reporting.delete(userId);
      });
      reporting.set(userId, settled);
    },

    /** The user chose a status for all their devices (stored, so it outlives them). */
    async choose(userId: number, choice: PresenceChoice): Promise<void> {
      await store.setPresenceChoice(userId, choice);
      const entry = await track(userId);
      if (entry.choice === choice) return;
      entry.choice = choice;
      entry.choiceChanged = true;
      changed(userId, entry);
    },

    /**
     * The presence of `userIds` as `callerId` may see it: contacts and the caller only; anyone
     * else shows offline, never seen, so a stranger learns nothing (not even that the id exists).
     */
    async query(callerId: number, userIds: readonly number[]): Promise<Presence[]> {
      const visible = new Set(await store.contactsOf(callerId));
      visible.add(callerId);
      const asked = [...new Set(userIds)].filter((id) => visible.has(id));
      const [storedList, totals] = await Promise.all([
        store.presenceOf(asked),
        directory.totals(asked),
      ]);
      const stored = new Map(storedList.map((p) => [p.userId, p]));
      return userIds.map((userId): Presence => {
        const known = stored.get(userId);
        if (!known) return { userId, status: 'offline', lastSeenAt: null };
        const live = tracked.get(userId);
        const entry = live && !(live instanceof Promise) ? live : null;
        // While a change waits (the grace after a disconnect), contacts still see what they
        // were told: an answer must not run ahead of the pushes.
        const status = entry?.timer
          ? entry.told
          : statusOf(totals.get(userId) ?? { connected: 0, active: 0 }, known.choice);
        const presence: Presence = { userId, status, lastSeenAt: known.lastSeenAt };
        return userId === callerId ? { ...presence, choice: known.choice } : presence;
      });
    },

    /**
     * Shutdown: every user still connected here was seen until now. Stops publishing (the
     * devices are about to reconnect elsewhere or to this node once it is back).
     */
    async stop(): Promise<void> {
      stopped = true;
      const at = now();
      const writes: Promise<void>[] = [];
      for (const [userId, value] of tracked) {
        if (value instanceof Promise) continue;
        if (value.timer) clearTimeout(value.timer);
        if (value.told !== 'offline') writes.push(store.setLastSeen(userId, at));
      }
      await Promise.all(writes).catch(onError);
      await directory.close();
    },
  };
}

export type PresenceService = ReturnType<typeof createPresence>;
