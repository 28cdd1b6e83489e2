/**
 * One connected device. Owns the connection's lifecycle: greeting -> anonymous -> authenticating
 * -> authenticated -> closed, rate limits and abuse scoring, the bounded outbound queue. Its update
 * stream (replay, then live pushes) is in update-stream.ts; requests are handled in requests.ts.
 */
import {
  decodeClientFrame,
  frameForVersion,
  type ClientFrame,
  type CloseReason,
  type ErrorCode,
  type ServerFrame,
  type UpdateKind,
  type User,
  PROTOCOL_VERSION,
  errorCodeForVersion,
} from '@parley/protocol';
import type { Logger } from 'pino';
import type { Domain } from '../domain/index.js';
import { frameTextForVersion, type UpdateFrames } from '../domain/publisher.js';
import { DomainError } from '../domain/errors.js';
import type { SessionRecord } from '../store/store.js';
import type { Metrics } from '../metrics.js';
import type { Connection, ConnectionHandler } from './connection.js';
import { OutboundQueue } from './outbound-queue.js';
import { handleRequest } from './requests.js';
import type { SessionRegistry } from './registry.js';
import { TokenBucket } from './token-bucket.js';
import { UpdateStream } from './update-stream.js';

export interface SessionLimits {
  frameRate: number;
  outboundQueueBytes: number;
  /** Failed auth/login answers one connection may get before it is closed. */
  authFailures: number;
  heartbeatMs: number;
  maxFrameBytes: number;
  maxMessageChars: number;
  maxPageSize: number;
  maxUploadBytes: number;
}

export interface SessionContext {
  domain: Domain;
  registry: SessionRegistry;
  limits: SessionLimits;
  metrics: Metrics;
  log: Logger;
  now: () => number;
}

export type Phase =
  | { name: 'greeting' }
  | { name: 'anonymous' }
  // A register, login or auth is in flight; a second one must not race it to another user.
  | { name: 'authenticating' }
  | {
      name: 'authenticated';
      user: User;
      record: SessionRecord;
      stream: UpdateStream;
      /** This connection asked to log out: the revocation it announces is not for it to act on. */
      loggingOut: boolean;
    }
  | { name: 'closed' };

/** Errors that count against a connection's abuse score. */
const CLIENT_FAULTS: ReadonlySet<ErrorCode> = new Set([
  'bad_frame',
  'unknown_type',
  'invalid',
  'too_large',
  'out_of_order',
  'unauthenticated',
  'rate_limited',
  'already_authenticated',
]);
const ABUSE_LIMIT = 50;
const ABUSE_WINDOW_MS = 60_000;
/** How long a closing connection waits for its requests in flight before it says goodbye anyway. */
const CLOSE_FLUSH_MS = 5000;

export class Session implements ConnectionHandler {
  phase: Phase = { name: 'greeting' };
  /** The version `hello` negotiated: decides which update kinds this device may be sent. */
  protocolVersion = PROTOCOL_VERSION;
  /** The device said it is idle (`set_presence idle`): its user shows away if all are. */
  idle = false;
  readonly openedAt: number;
  lastFrameAt: number;
  private readonly outbound: OutboundQueue;
  private readonly frames: TokenBucket;
  private faults = 0;
  private faultsWindowEnds: number;
  private authFailures = 0;
  /** This connection's requests taken and not yet answered. */
  private inFlight = 0;
  /** Set by `close` while it waits for `inFlight` to drain; no further frames are taken. */
  private closing: { settled: () => void } | null = null;

  constructor(
    readonly connection: Connection,
    readonly ctx: SessionContext,
  ) {
    const now = ctx.now();
    this.openedAt = now;
    this.lastFrameAt = now;
    this.faultsWindowEnds = now + ABUSE_WINDOW_MS;
    this.frames = new TokenBucket(ctx.limits.frameRate, ctx.limits.frameRate * 2, now);
    // A peer that writes nothing for a heartbeat while over the bound has stopped reading.
    this.outbound = new OutboundQueue(
      connection,
      ctx.limits.outboundQueueBytes,
      ctx.limits.heartbeatMs,
      () => this.cutSlowConsumer(),
    );
    ctx.registry.open(this);
  }

  get user(): User | null {
    return this.phase.name === 'authenticated' ? this.phase.user : null;
  }

  get record(): SessionRecord | null {
    return this.phase.name === 'authenticated' ? this.phase.record : null;
  }

  /** Connected and not logged in, nor trying to (a login in flight is let finish). */
  get awaitingLogin(): boolean {
    return this.phase.name === 'greeting' || this.phase.name === 'anonymous';
  }

  get loggingOut(): boolean {
    return this.phase.name === 'authenticated' && this.phase.loggingOut;
  }

  // -- input -------------------------------------------------------------------------------------

  onFrame(text: string): void {
    // While the node drains for shutdown, unanswered frames are left to the client to resend.
    if (this.phase.name === 'closed' || this.closing || this.ctx.registry.draining) return;
    const now = this.ctx.now();
    this.lastFrameAt = now;
    const decoded = decodeClientFrame(text);
    if (!decoded.ok) {
      this.ctx.metrics.framesIn.labels('invalid').inc();
      this.sendError(decoded.id, decoded.code, decoded.message);
      return;
    }
    const frame = decoded.frame;
    this.ctx.metrics.framesIn.labels(frame.type).inc();
    const connectionWait = this.frames.take(now);
    const wait =
      connectionWait > 0
        ? connectionWait
        : this.ctx.registry.takeFrameToken(this.connection.remoteAddress);
    if (wait > 0) {
      this.sendError(
        'id' in frame ? (frame.id ?? null) : null,
        'rate_limited',
        connectionWait > 0 ? 'too many frames' : 'too many frames from your network address',
        wait,
      );
      return;
    }
    void this.dispatch(frame);
  }

  onFramingError(code: 'too_large' | 'bad_frame', message: string, fatal: boolean): void {
    if (!fatal) return this.sendError(null, code, message);
    // The frames before the bad one are being answered: the error comes after them, with the bye.
    this.ctx.metrics.errors.labels(code).inc();
    this.close(code === 'too_large' ? 'frame_too_large' : 'abuse', {
      type: 'error',
      id: null,
      code,
      message,
    });
  }

  onClose(): void {
    if (this.phase.name === 'closed') return;
    this.finish();
  }

  private async dispatch(frame: ClientFrame): Promise<void> {
    const id = 'id' in frame ? (frame.id ?? null) : null;
    this.ctx.registry.requestStarted();
    this.inFlight++;
    try {
      const reply = await handleRequest(this, frame);
      if (reply) this.send(reply);
    } catch (error) {
      if (error instanceof DomainError) {
        // A refusal with a cause is one the operator should hear of (the store refused data).
        if (error.cause !== undefined)
          this.ctx.log.warn({ err: error.cause, frame: frame.type }, 'request refused');
        this.sendError(id, error.code, error.message, error.retryAfterMs);
        if (error.code === 'invalid_credentials' || error.code === 'invalid_token')
          this.countAuthFailure();
      } else {
        this.ctx.log.error({ err: error, frame: frame.type }, 'request failed');
        this.sendError(id, 'internal', 'internal error');
      }
    } finally {
      this.ctx.registry.requestFinished();
      if (--this.inFlight === 0) this.closing?.settled();
    }
  }

  // -- authentication and the update stream ------------------------------------------------------

  /** Called by requests.ts once register/login/auth succeeded. */
  authenticated(user: User, record: SessionRecord): void {
    if (this.phase.name === 'closed') return;
    this.phase = {
      name: 'authenticated',
      user,
      record,
      stream: new UpdateStream({
        userId: user.id,
        protocolVersion: () => this.protocolVersion,
        sendText: (text) => this.sendText(text),
        page: (fromPts) =>
          this.ctx.domain.sync.page({
            userId: user.id,
            fromPts,
            limit: undefined,
            version: this.protocolVersion,
          }),
        catchUpFailed: (error) =>
          this.ctx.log.warn({ err: error, user: user.id }, 'catch-up after a bus gap failed'),
      }),
      loggingOut: false,
    };
    this.ctx.registry.add(this);
  }

  /** A sync request started: hold live updates until the device is caught up. */
  beginSync(): void {
    if (this.phase.name === 'authenticated') this.phase.stream.beginSync();
  }

  /** The last sync page (cursor `pts`) is being sent: push what was held past it, then go live. */
  goLive(pts: number, lastPage: ServerFrame): void {
    if (this.phase.name !== 'authenticated') return;
    this.send(lastPage);
    this.phase.stream.goLive(pts);
  }

  /** The bus may have dropped pushes: catch this device up from the store (never rejects). */
  async catchUp(): Promise<void> {
    if (this.phase.name === 'authenticated') await this.phase.stream.catchUp();
  }

  /** A live update for this device's user, already serialized (see UpdateStream.push). */
  pushUpdate(pts: number, kind: UpdateKind, frames: UpdateFrames): void {
    if (this.phase.name !== 'authenticated') return;
    this.phase.stream.push(pts, kind, frameTextForVersion(frames, this.protocolVersion));
  }

  /**
   * A live-only push (typing). Sent only once the device is live: one still syncing would show
   * it before the messages that came before it, and a missed one is harmless (it expires).
   */
  pushSignal(since: number, frame: string): void {
    if (this.phase.name !== 'authenticated' || !this.phase.stream.live) return;
    if (this.protocolVersion >= since) this.sendText(frame);
  }

  // -- output ------------------------------------------------------------------------------------

  send(frame: ServerFrame): void {
    this.sendText(JSON.stringify(frameForVersion(frame, this.protocolVersion)));
  }

  sendText(text: string): void {
    if (this.phase.name === 'closed') return;
    this.ctx.metrics.framesOut.inc();
    if (this.outbound.send(text) === 'overflow') this.cutSlowConsumer();
  }

  /** One frame to the connection, unjudged: only for the goodbye. */
  private write(text: string): void {
    this.connection.send(text);
    this.ctx.metrics.framesOut.inc();
  }

  /**
   * The device does not read what it is sent. Closing it bounds server memory; it resumes from
   * its cursor. The `bye` goes after what is queued: a peer that reads again still learns why.
   */
  private cutSlowConsumer(): void {
    if (this.phase.name === 'closed') return;
    this.ctx.log.warn(
      {
        user: this.user?.id ?? null,
        ip: this.connection.remoteAddress,
        queuedBytes: this.outbound.queuedBytes,
      },
      'closing slow consumer',
    );
    // At once, not after the requests in flight: the queue must not grow while they finish.
    this.sayBye('slow_consumer', null);
  }

  sendError(id: string | null, code: ErrorCode, message: string, retryAfterMs?: number): void {
    this.ctx.metrics.errors.labels(code).inc();
    // An older client's decoder knows only its version's codes.
    const sent = errorCodeForVersion(code, this.protocolVersion);
    this.send(
      retryAfterMs === undefined
        ? { type: 'error', id, code: sent, message }
        : { type: 'error', id, code: sent, message, retryAfterMs },
    );
    if (CLIENT_FAULTS.has(code)) this.countFault();
  }

  /**
   * Says goodbye with a reason and closes once the goodbye is written. Requests already taken
   * are answered first: one may have committed (a password change), and its client must learn so.
   */
  close(reason: CloseReason, lastWords: ServerFrame | null = null): void {
    if (this.phase.name === 'closed' || this.closing) return;
    if (this.inFlight === 0) return this.sayBye(reason, lastWords);
    const timer = setTimeout(() => this.sayBye(reason, lastWords), CLOSE_FLUSH_MS);
    timer.unref();
    this.closing = {
      settled: () => {
        clearTimeout(timer);
        this.sayBye(reason, lastWords);
      },
    };
  }

  /** Sends `lastWords` (if any) and the goodbye, and closes. */
  private sayBye(reason: CloseReason, lastWords: ServerFrame | null): void {
    if (this.phase.name === 'closed') return;
    this.outbound.stop();
    // Straight to the connection: the last words are not judged by the queue they close.
    if (lastWords) this.write(JSON.stringify(lastWords));
    this.write(JSON.stringify({ type: 'bye', reason } satisfies ServerFrame));
    this.ctx.metrics.closes.labels(reason).inc();
    this.finish();
    this.connection.end(reason);
  }

  /** Leaves the registry (while the user is still known) and becomes closed. */
  private finish(): void {
    this.outbound.stop();
    if (this.phase.name === 'authenticated') this.phase.stream.close();
    this.ctx.registry.remove(this);
    this.phase = { name: 'closed' };
  }

  // -- abuse -------------------------------------------------------------------------------------

  private countFault(): void {
    const now = this.ctx.now();
    if (now > this.faultsWindowEnds) {
      this.faults = 0;
      this.faultsWindowEnds = now + ABUSE_WINDOW_MS;
    }
    if (++this.faults > ABUSE_LIMIT) this.close('abuse');
  }

  private countAuthFailure(): void {
    if (++this.authFailures >= this.ctx.limits.authFailures) this.close('abuse');
  }
}
