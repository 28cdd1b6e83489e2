/**
 * One logical connection to the server, carried by as many transports as it takes: opens a
 * transport, says hello, keeps the link alive with heartbeats, and when the link drops opens a
 * new one after a jittered backoff. It knows nothing of sessions: after `welcome` it hands over
 * to its owner (the client), which authenticates and syncs and tells it which state it is in.
 */
import {
  CLOSE_REASONS,
  decodeServerFrame,
  encodeFrame,
  SUPPORTED_PROTOCOL_VERSIONS,
  type ClientFrameOf,
  type CloseReason,
  type Limits,
  type ReplyOf,
  type RequestType,
  type ServerFrameOf,
} from '@parley/protocol';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { ParleyError, toParleyError } from './errors.js';
import { RequestMap } from './requests.js';
import type { ConnectionState, Transport, TransportFactory } from './types.js';

export interface ConnectionHooks {
  /** `hello` was answered. The returned promise failing drops the link (and reconnects). */
  onWelcome(welcome: ServerFrameOf<'welcome'>): Promise<void>;
  /** A live update was pushed. */
  onUpdate(frame: ServerFrameOf<'update'>): void;
  /** Someone in a conversation started or stopped typing (protocol 3). */
  onTyping(frame: ServerFrameOf<'typing'>): void;
  /** A contact's presence, or the user's own, changed (protocol 3). */
  onPresence(frame: ServerFrameOf<'presence_changed'>): void;
  /** The server ended the session itself; the connection is closed right after. */
  onSessionEnd(reason: 'logged_out' | 'session_revoked' | 'session_expired'): void;
  /** The current link is gone: work tied to it (requests in flight, sync) must be reset. */
  onLinkDown(): void;
  onState(state: ConnectionState): void;
}

export interface ConnectionOptions {
  url: string;
  transport: TransportFactory;
  backoff: BackoffOptions;
  requestTimeoutMs: number;
  clientName: string;
}

type Timer = ReturnType<typeof setTimeout>;

interface Link {
  transport: Transport | null;
  welcomed: boolean;
  lastFrameAt: number;
  connectTimer: Timer | null;
  heartbeat: ReturnType<typeof setInterval> | null;
}

type RequestFields<T extends RequestType> = Omit<ClientFrameOf<T>, 'type' | 'id'>;

/** Which reply frame answers each request type; anything else is a protocol error. */
const REPLY_TYPES: { [K in RequestType]: ReplyOf[K]['type'] } = {
  hello: 'welcome',
  register: 'authed',
  login: 'authed',
  auth: 'authed',
  logout: 'ok',
  change_password: 'ok',
  whoami: 'me',
  sessions: 'sessions',
  revoke_session: 'ok',
  open_direct: 'conversation',
  conversations: 'conversations',
  send: 'sent',
  history: 'history',
  sync: 'updates',
  read: 'ok',
  ping: 'pong',
  find_user: 'user',
  contacts: 'contacts',
  friend_request: 'ok',
  friend_accept: 'ok',
  friend_decline: 'ok',
  friend_cancel: 'ok',
  friend_remove: 'ok',
  friend_edit: 'ok',
  block: 'ok',
  unblock: 'ok',
  set_privacy: 'ok',
  set_presence: 'ok',
  presence: 'presence',
  search: 'search_results',
};

const SESSION_END_REASONS: readonly CloseReason[] = [
  'logged_out',
  'session_revoked',
  'session_expired',
];

export class Connection {
  /** Server limits from the last `welcome`; null before the first. */
  limits: Limits | null = null;
  /** Why the connection stopped for good, when an error stopped it; null otherwise. */
  fatalError: ParleyError | null = null;
  private current: ConnectionState = { status: 'idle' };
  private link: Link | null = null;
  /** Bumped whenever a link is torn down, so late callbacks of an old transport are ignored. */
  private generation = 0;
  /** Consecutive links that did not reach a settled state: drives the backoff. */
  private failures = 0;
  private retryTimer: Timer | null = null;
  private readonly requests: RequestMap;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly hooks: ConnectionHooks,
  ) {
    this.requests = new RequestMap(options.requestTimeoutMs);
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** Identifies the current link: after an `await`, `isCurrent(id)` says it is still the same. */
  get linkId(): number {
    return this.generation;
  }

  isCurrent(linkId: number): boolean {
    return linkId === this.generation && this.link !== null;
  }

  /** Starts connecting, from `idle` or `closed`; does nothing otherwise. */
  start(): void {
    const status = this.current.status;
    if (status !== 'idle' && status !== 'closed') return;
    this.failures = 0;
    this.fatalError = null;
    this.open();
  }

  /** Closes for good (until the next `start()`): no reconnect. */
  stop(reason: string): void {
    if (this.current.status === 'closed') return;
    this.teardown(new ParleyError('disconnected', `connection closed (${reason})`));
    this.setState({ status: 'closed', reason });
  }

  /**
   * The link is unusable: drop it and reconnect after a backoff. Ignored for an old link.
   * `closeReason`: the server's, when it closed the link itself.
   */
  drop(
    reason: string,
    linkId: number = this.generation,
    closeReason: CloseReason | null = null,
  ): void {
    if (!this.isCurrent(linkId)) return;
    this.teardown(new ParleyError('disconnected', `connection lost (${reason})`));
    const delay = backoffDelay(this.failures, this.options.backoff);
    this.failures += 1;
    this.setState({
      status: 'reconnecting',
      attempt: this.failures,
      retryAt: Date.now() + delay,
      lastError: reason,
      closeReason,
    });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  /**
   * Reconnects now instead of when the backoff says, counting the backoff from the start again:
   * the network just came back, so the last failures say nothing about the next attempt. Does
   * nothing unless waiting to reconnect.
   */
  retryNow(): void {
    if (this.current.status !== 'reconnecting' || this.retryTimer === null) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.failures = 0;
    this.open();
  }

  /**
   * Pings the server on the current link and drops the link (reconnecting) when no pong comes
   * within `timeoutMs`. Resolves true when the link answered; false when there is no welcomed
   * link or it did not answer.
   */
  async probe(timeoutMs: number): Promise<boolean> {
    const linkId = this.generation;
    if (!this.isCurrent(linkId) || !this.link?.welcomed) return false;
    try {
      await this.request('ping', {}, timeoutMs);
      return true;
    } catch {
      this.drop(`no answer to a ping within ${timeoutMs} ms`, linkId);
      return false;
    }
  }

  /** The owner reports where the session stands on the current (welcomed) link. */
  settle(status: 'unauthenticated' | 'syncing' | 'online', linkId: number = this.generation): void {
    if (!this.isCurrent(linkId) || !this.link?.welcomed) return;
    // Only a link that got all the way resets the backoff; one that fails during auth or sync
    // keeps backing off, so a server that accepts and then fails is not hammered.
    if (status !== 'syncing') this.failures = 0;
    if (this.current.status !== status) this.setState({ status });
  }

  /** Sends a request on the current link and waits for its reply. */
  async request<T extends RequestType>(
    type: T,
    fields: RequestFields<T>,
    timeoutMs?: number,
  ): Promise<ReplyOf[T]> {
    const link = this.link;
    if (!link?.transport || (!link.welcomed && type !== 'hello')) {
      throw new ParleyError('disconnected', 'not connected');
    }
    const { id, reply } = this.requests.open(timeoutMs);
    // Cast: putting `type` and `id` back onto the other fields of a member of the union rebuilds
    // that member, which TypeScript cannot follow through the generic.
    const frame = { ...fields, type, id } as unknown as ClientFrameOf<T>;
    try {
      link.transport.send(encodeFrame(frame));
    } catch (error) {
      this.requests.fail(id, toParleyError(error, 'disconnected'));
    }
    const answer = await reply;
    if (answer.type !== REPLY_TYPES[type]) {
      throw new ParleyError('internal', `server answered ${type} with ${answer.type}`);
    }
    return answer as ReplyOf[T];
  }

  /**
   * Sends a frame that has no reply (ack, ping, typing); dropped when not connected. Returns
   * whether it was handed to the transport.
   */
  notify(frame: ClientFrameOf<'ack'> | ClientFrameOf<'ping'> | ClientFrameOf<'typing'>): boolean {
    const link = this.link;
    if (!link?.transport || !link.welcomed) return false;
    try {
      link.transport.send(encodeFrame(frame));
      return true;
    } catch {
      // The transport reports the failure through onClose; nothing to do here.
      return false;
    }
  }

  private open(): void {
    const linkId = ++this.generation;
    const link: Link = {
      transport: null,
      welcomed: false,
      lastFrameAt: Date.now(),
      connectTimer: null,
      heartbeat: null,
    };
    this.link = link;
    this.setState({ status: 'connecting', attempt: this.failures });
    link.connectTimer = setTimeout(
      () => this.drop('timed out connecting', linkId),
      this.options.requestTimeoutMs,
    );
    try {
      const transport = this.options.transport(this.options.url, {
        // Deferred, so a transport that opens synchronously still finds itself assigned below.
        onOpen: () =>
          queueMicrotask(() => {
            if (this.isCurrent(linkId)) this.hello(link, linkId);
          }),
        onFrame: (text) => {
          if (this.isCurrent(linkId)) this.receive(link, text, linkId);
        },
        onClose: (reason) => {
          if (this.isCurrent(linkId)) this.closedByPeer(reason, linkId);
        },
      });
      // The factory may have reported a failure synchronously, before returning.
      if (this.isCurrent(linkId)) link.transport = transport;
      else transport.close();
    } catch (error) {
      this.drop(toParleyError(error).message, linkId);
    }
  }

  private hello(link: Link, linkId: number): void {
    this.request('hello', {
      versions: [...SUPPORTED_PROTOCOL_VERSIONS],
      client: this.options.clientName.slice(0, 64),
    })
      .then((welcome) => {
        if (!this.isCurrent(linkId)) return;
        if (link.connectTimer) clearTimeout(link.connectTimer);
        link.connectTimer = null;
        link.welcomed = true;
        this.limits = welcome.limits;
        this.startHeartbeat(link, linkId, welcome.limits.heartbeatMs);
        return this.hooks.onWelcome(welcome);
      })
      .catch((error: unknown) => {
        if (!this.isCurrent(linkId)) return;
        const e = toParleyError(error);
        // Retrying cannot fix a version mismatch: stop rather than loop forever.
        if (e.code === 'unsupported_version') {
          this.fatalError = e;
          this.stop(`unsupported_version: ${e.message}`);
        } else {
          this.drop(e.message, linkId);
        }
      });
  }

  private startHeartbeat(link: Link, linkId: number, heartbeatMs: number): void {
    let ticks = 0;
    link.heartbeat = setInterval(
      () => {
        // Any frame proves the link alive; silence for twice the heartbeat means it is dead,
        // including a half-open TCP connection that would otherwise never report an error.
        if (Date.now() - link.lastFrameAt >= 2 * heartbeatMs) {
          this.drop(`no data from the server for ${2 * heartbeatMs} ms`, linkId);
          return;
        }
        ticks += 1;
        if (ticks % 2 === 0) this.notify({ type: 'ping' });
      },
      Math.max(10, Math.floor(heartbeatMs / 2)),
    );
  }

  private receive(link: Link, text: string, linkId: number): void {
    link.lastFrameAt = Date.now();
    const decoded = decodeServerFrame(text);
    if (!decoded.ok) {
      const error = new ParleyError(
        'internal',
        `invalid frame from the server: ${decoded.message}`,
      );
      if (decoded.id !== null) this.requests.fail(decoded.id, error);
      return;
    }
    const frame = decoded.frame;
    switch (frame.type) {
      case 'update':
        this.hooks.onUpdate(frame);
        return;
      case 'typing':
        this.hooks.onTyping(frame);
        return;
      case 'presence_changed':
        this.hooks.onPresence(frame);
        return;
      case 'bye':
        this.bye(frame.reason, linkId);
        return;
      default:
        // Replies; an unsolicited pong or a late reply settles nothing.
        this.requests.settle(frame);
    }
  }

  private closedByPeer(reason: string, linkId: number): void {
    // Over WebSocket the server's reason travels as the close reason.
    const known = (CLOSE_REASONS as readonly string[]).includes(reason);
    if (known) this.bye(reason as CloseReason, linkId);
    else this.drop(reason || 'connection closed', linkId);
  }

  private bye(reason: CloseReason, linkId: number): void {
    if (SESSION_END_REASONS.includes(reason)) {
      this.hooks.onSessionEnd(reason as 'logged_out' | 'session_revoked' | 'session_expired');
      this.stop(reason);
    } else {
      this.drop(`server closed the connection (${reason})`, linkId, reason);
    }
  }

  /** Forgets the current link and everything tied to it; leaves the state to the caller. */
  private teardown(error: ParleyError): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const link = this.link;
    this.link = null;
    this.generation += 1;
    if (link) {
      if (link.connectTimer) clearTimeout(link.connectTimer);
      if (link.heartbeat) clearInterval(link.heartbeat);
      try {
        link.transport?.close();
      } catch {
        // Already closed.
      }
      this.hooks.onLinkDown();
    }
    this.requests.failAll(error);
  }

  private setState(state: ConnectionState): void {
    this.current = state;
    this.hooks.onState(state);
  }
}
