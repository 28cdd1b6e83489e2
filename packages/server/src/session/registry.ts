/**
 * The devices connected to this node, by user. Subscribes this node to a user's bus topic while
 * it holds at least one of the user's devices, routes bus messages to those devices, rate-limits
 * sends per user and frames per IP address, and closes connections that have gone silent.
 */
import type { CloseReason } from '@parley/protocol';
import type { Bus, BusMessage } from '../bus/bus.js';
import {
  createSubscriptions,
  type Subscriptions,
  type SubscriptionOp,
} from '../bus/subscriptions.js';
import { ExpiryWatch } from './expiry-watch.js';
import { IpFrameLimit } from './ip-frame-limit.js';
import type { Session } from './session.js';
import { TokenBucket } from './token-bucket.js';

export interface RegistryOptions {
  bus: Bus;
  now: () => number;
  sendRate: number;
  /** Frames per second from one IP address across its connections (burst: twice this). */
  ipFrameRate: number;
  heartbeatMs: number;
  /** A connection not authenticated within this long is closed (`auth_timeout`). */
  authTimeoutMs: number;
  /** A subscribe or unsubscribe failed (counted and logged by the caller). */
  onBusError: (op: SubscriptionOp, error: unknown) => void;
  /** A user's devices here changed: how many are connected, how many of those are not idle. */
  onDevices: (userId: number, activity: { connected: number; active: number }) => void;
}

export class SessionRegistry {
  private readonly byUser = new Map<number, Set<Session>>();
  private readonly sendBuckets = new Map<number, TokenBucket>();
  /** Every open connection, authenticated or not: the idle sweep covers them all. */
  private readonly all = new Set<Session>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly ipFrames: IpFrameLimit;
  private readonly subscriptions: Subscriptions;
  /** Ends each device's connection when its session expires. */
  private readonly expiries: ExpiryWatch;
  /** Set at shutdown: sessions stop taking frames so pending writes can be flushed and acked. */
  draining = false;
  /** Requests taken and not yet answered: shutdown answers them before it says goodbye. */
  private inFlight = 0;
  private whenSettled: Array<() => void> = [];

  constructor(private readonly options: RegistryOptions) {
    this.ipFrames = new IpFrameLimit(options.ipFrameRate, options.now);
    this.subscriptions = createSubscriptions(options.bus, this.onBusMessage, options.onBusError);
    this.expiries = new ExpiryWatch(options.now, (session) => session.close('session_expired'));
    // One timer for every connection, not one each: cheap at hundreds of thousands of them.
    const every = Math.max(250, Math.min(5000, options.heartbeatMs / 4, options.authTimeoutMs / 4));
    this.sweeper = setInterval(() => this.closeIdle(), every);
    this.sweeper.unref();
  }

  get connectionCount(): number {
    return this.all.size;
  }

  /** Tracks a new connection (before it authenticates). */
  open(session: Session): void {
    this.all.add(session);
    this.ipFrames.open(session.connection.remoteAddress);
  }

  /** Adds an authenticated device to its user's set. */
  add(session: Session): void {
    const user = session.user;
    if (!user) return;
    let sessions = this.byUser.get(user.id);
    if (!sessions) {
      this.byUser.set(user.id, (sessions = new Set()));
      this.subscriptions.want(user.id);
    }
    sessions.add(session);
    if (session.record) this.expiries.watch(session, session.record.expiresAt);
    this.reportDevices(user.id);
  }

  /** A device went idle or came back (`set_presence idle`). */
  activityChanged(session: Session): void {
    if (session.user) this.reportDevices(session.user.id);
  }

  private reportDevices(userId: number): void {
    // At shutdown every device goes at once: that is the node stopping, not the users leaving.
    if (this.draining) return;
    const sessions = this.byUser.get(userId);
    let active = 0;
    for (const session of sessions ?? []) if (!session.idle) active++;
    this.options.onDevices(userId, { connected: sessions?.size ?? 0, active });
  }

  remove(session: Session): void {
    if (this.all.delete(session)) this.ipFrames.close(session.connection.remoteAddress);
    const user = session.user;
    if (!user) return;
    const sessions = this.byUser.get(user.id);
    if (!sessions?.delete(session)) return;
    if (sessions.size > 0) return this.reportDevices(user.id);
    this.byUser.delete(user.id);
    this.reportDevices(user.id);
    this.sendBuckets.delete(user.id);
    this.subscriptions.drop(user.id);
  }

  /**
   * Resolves true once this node receives `userId`'s bus messages, false when the bus refused
   * the subscription. A device goes live only after this: a push published before would be lost.
   */
  subscribed(userId: number): Promise<boolean> {
    return this.subscriptions.ready(userId);
  }

  /** Per-user send rate across all the user's devices on this node; 0 = allowed. */
  takeSendToken(userId: number): number {
    let bucket = this.sendBuckets.get(userId);
    if (!bucket) {
      bucket = new TokenBucket(
        this.options.sendRate,
        this.options.sendRate * 2,
        this.options.now(),
      );
      this.sendBuckets.set(userId, bucket);
    }
    return bucket.take(this.options.now());
  }

  /** Frame rate per IP address across its connections on this node; 0 = allowed. */
  takeFrameToken(ip: string): number {
    return this.ipFrames.take(ip);
  }

  requestStarted(): void {
    this.inFlight++;
  }

  requestFinished(): void {
    if (--this.inFlight > 0) return;
    for (const resolve of this.whenSettled.splice(0)) resolve();
  }

  /** Resolves once every request taken so far has been answered. */
  settled(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.whenSettled.push(resolve));
  }

  /** Says `reason` to every connection and closes it (shutdown). */
  closeAll(reason: CloseReason): void {
    for (const session of [...this.all]) session.close(reason);
  }

  /** The bus may have dropped messages for any user: every live device catches up from the store. */
  catchUpAll(): void {
    for (const sessions of this.byUser.values())
      for (const session of sessions) void session.catchUp();
  }

  stop(): void {
    clearInterval(this.sweeper);
    this.expiries.stop();
  }

  private readonly onBusMessage = (message: BusMessage): void => {
    const sessions = this.byUser.get(message.userId);
    if (!sessions) return;
    switch (message.type) {
      case 'update':
        for (const session of sessions) session.pushUpdate(message.pts, message.kind, message);
        break;
      case 'signal':
        for (const session of sessions) session.pushSignal(message.since, message.frame);
        break;
      case 'sessions_revoked':
        for (const session of [...sessions]) {
          if (
            session.record &&
            message.sessionIds.includes(session.record.id) &&
            !session.loggingOut
          )
            session.close('session_revoked');
        }
        break;
      case 'resync':
        for (const session of sessions) void session.catchUp();
        break;
      default: {
        const unreachable: never = message;
        throw new Error(`unknown bus message ${JSON.stringify(unreachable)}`);
      }
    }
  };

  private closeIdle(): void {
    this.ipFrames.prune();
    const now = this.options.now();
    const deadline = now - 2 * this.options.heartbeatMs;
    // Pings keep a connection from idling out, not from logging in: one that never does would
    // otherwise hold its slot (and the per-IP cap) forever.
    const authDeadline = now - this.options.authTimeoutMs;
    for (const session of this.all) {
      if (session.lastFrameAt < deadline) session.close('idle_timeout');
      else if (session.awaitingLogin && session.openedAt < authDeadline)
        session.close('auth_timeout');
    }
  }
}
