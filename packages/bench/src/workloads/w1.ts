/**
 * W1 one-to-one: U users online, each on its own connection, each with a few direct
 * conversations opened beforehand. For D seconds the generator sends R messages a second in
 * total, open loop (it never waits for an ack before the next send), each from a random user to
 * a random one of its peers. Every message is timed twice: send -> `sent` ack (the server acks
 * after commit) and send -> the `update` at the recipient. After the run it waits a drain
 * timeout for stragglers; what never arrived is lost.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ReceivedUpdate, ServerFrame } from '@parley/protocol';
import type { TransportKind } from '../args.js';
import { BenchConnection } from '../connection.js';
import type { Meter } from '../meter.js';
import { Histogram, type LatencySummary } from '../stats.js';
import { bump, mapLimit, sleep } from '../util.js';

export interface W1Params {
  transport: TransportKind;
  url: string;
  users: number;
  rate: number;
  durationS: number;
  drainS: number;
  peers: number;
  ackMs: number;
  /** Makes usernames unique to this run, so a long-running server can be loaded again. */
  runId: string;
}

export interface W1Results {
  workload: 'w1';
  users: number;
  conversations: number;
  setupSeconds: number;
  sent: number;
  acked: number;
  delivered: number;
  /** Sent but not delivered by the end of the drain timeout. */
  lost: number;
  /** Deliveries of a message already delivered (should be 0). */
  duplicates: number;
  /** Error frames by code, plus generator-side failures. */
  errors: Record<string, number>;
  /** Connections the server ended during the run, by reason. */
  disconnects: Record<string, number>;
  /** Times a live update skipped a pts and the recipient synced to fill the gap. */
  resyncs: number;
  sendSeconds: number;
  /** Messages sent per second over the sending phase. */
  achievedRate: number;
  /** Messages delivered per second, from the first send to the last delivery. */
  deliveredRate: number;
  ackLatency: LatencySummary;
  deliveryLatency: LatencySummary;
  /**
   * The generator's own event-loop delay (ms, p99 and max) while sending: a stall here inflates
   * every latency above, so a large value means the figures describe the generator.
   */
  generatorLoopDelay: { p99: number; max: number };
}

interface Peer {
  user: number;
  conversationId: number;
}

interface OnlineUser {
  name: string;
  id: number;
  conn: BenchConnection;
  peers: Peer[];
  /** The last pts applied. */
  cursor: number;
  ackedCursor: number;
  /** Pending ack, as the SDK schedules it: ackMs after the first unacknowledged update. */
  ackTimer: NodeJS.Timeout | null;
  syncing: boolean;
  syncAgain: boolean;
  lastPingAt: number;
}

const PASSWORD = 'bench-password-1';
const SETUP_CONCURRENCY = 8;
const PING_CHECK_MS = 1000;
const BODY_CHARS = 64;
const TICK_MS = 1;
// The delay histogram records whole sampling intervals; the resolution is subtracted back out.
const LOOP_DELAY_RESOLUTION_MS = 5;

/** Unordered pairs {i, i+k mod U} for k = 1..peers/2: each user gets about `peers` peers. */
function peerPairs(users: number, peers: number): Array<[number, number]> {
  const seen = new Set<string>();
  const pairs: Array<[number, number]> = [];
  const reach = Math.max(1, Math.min(Math.ceil(peers / 2), Math.floor(users / 2)));
  for (let k = 1; k <= reach; k++) {
    for (let i = 0; i < users; i++) {
      const j = (i + k) % users;
      const key = i < j ? `${i}:${j}` : `${j}:${i}`;
      if (i === j || seen.has(key)) continue;
      seen.add(key);
      pairs.push([i, j]);
    }
  }
  return pairs;
}

export async function runW1(params: W1Params, meter: Meter): Promise<W1Results> {
  const setupStart = performance.now();
  const errors: Record<string, number> = {};
  const disconnects: Record<string, number> = {};
  let stopping = false;

  // Setup: register U users (one argon2 hash each), open the direct conversations, sync.
  const users: OnlineUser[] = await mapLimit(
    Array.from({ length: params.users }, (_, i) => `b${params.runId}u${i}`),
    SETUP_CONCURRENCY,
    async (name) => {
      const conn = await BenchConnection.open(params.transport, params.url);
      const authed = await conn.request({
        type: 'register',
        username: name,
        password: PASSWORD,
        device: 'bench',
      });
      const user: OnlineUser = {
        name,
        id: authed.user.id,
        conn,
        peers: [],
        cursor: 0,
        ackedCursor: 0,
        ackTimer: null,
        syncing: false,
        syncAgain: false,
        lastPingAt: performance.now(),
      };
      return user;
    },
  );
  const pairs = peerPairs(params.users, params.peers);
  await mapLimit(pairs, 64, async ([a, b]) => {
    const reply = await users[a]!.conn.request({ type: 'open_direct', username: users[b]!.name });
    const conversationId = reply.conversation.info.id;
    users[a]!.peers.push({ user: b, conversationId });
    users[b]!.peers.push({ user: a, conversationId });
  });

  // Per-message state, indexed by the message's number (its clientMsgId is `m<number>`).
  const total = Math.round(params.rate * params.durationS);
  const sentAt = new Float64Array(total);
  const ackedFlags = new Uint8Array(total);
  const deliveredFlags = new Uint8Array(total);
  const ackLatency = new Histogram();
  const deliveryLatency = new Histogram();
  let sent = 0;
  let acked = 0;
  let delivered = 0;
  let duplicates = 0;
  let resyncs = 0;
  let lastDeliveryAt = 0;

  const messageNumber = (clientMsgId: string): number => {
    const n = clientMsgId.startsWith('m') ? Number(clientMsgId.slice(1)) : NaN;
    return Number.isInteger(n) && n >= 0 && n < sent ? n : -1;
  };

  const onDelivered = (clientMsgId: string): void => {
    const n = messageNumber(clientMsgId);
    if (n < 0) return;
    if (deliveredFlags[n]) {
      duplicates++;
      return;
    }
    deliveredFlags[n] = 1;
    delivered++;
    lastDeliveryAt = performance.now();
    deliveryLatency.record(lastDeliveryAt - sentAt[n]!);
  };

  // Acknowledge the cursor the way the SDK does (each ack is a write on the server).
  const ackNow = (user: OnlineUser): void => {
    user.ackTimer = null;
    if (user.cursor > user.ackedCursor) {
      user.ackedCursor = user.cursor;
      user.conn.send({ type: 'ack', pts: user.cursor });
    }
  };

  const apply = (user: OnlineUser, pts: number, update: ReceivedUpdate): void => {
    if (pts <= user.cursor) return;
    if (pts > user.cursor + 1) {
      void resync(user);
      return;
    }
    user.cursor = pts;
    if (params.ackMs > 0 && !stopping)
      user.ackTimer ??= setTimeout(() => ackNow(user), params.ackMs);
    if (update.kind === 'message' && update.message.senderId !== user.id) {
      onDelivered(update.message.clientMsgId);
    }
  };

  // A live update skipped a pts (a rare race the protocol allows): fetch the gap, as a client does.
  const resync = async (user: OnlineUser): Promise<void> => {
    if (user.syncing) {
      user.syncAgain = true;
      return;
    }
    user.syncing = true;
    resyncs++;
    try {
      for (let more = true; more;) {
        const page = await user.conn.request({ type: 'sync', pts: user.cursor, limit: 1000 });
        for (const envelope of page.updates) apply(user, envelope.pts, envelope.update);
        user.cursor = Math.max(user.cursor, page.pts);
        more = page.more || user.syncAgain;
        user.syncAgain = false;
      }
    } catch (error) {
      bump(errors, `resync: ${(error as Error).message}`);
    } finally {
      user.syncing = false;
    }
  };

  const onFrame = (user: OnlineUser, frame: ServerFrame): void => {
    switch (frame.type) {
      case 'sent': {
        const n = messageNumber(frame.clientMsgId);
        if (n >= 0 && !ackedFlags[n]) {
          ackedFlags[n] = 1;
          acked++;
          ackLatency.record(performance.now() - sentAt[n]!);
        }
        break;
      }
      case 'update':
        apply(user, frame.pts, frame.update);
        break;
      case 'error':
        bump(errors, frame.code);
        break;
      case 'bye':
        bump(disconnects, `bye ${frame.reason}`);
        break;
      default:
        break;
    }
  };

  for (const user of users) {
    user.conn.onFrame = (frame) => onFrame(user, frame);
    user.conn.onClose = (reason) => {
      if (!stopping) bump(disconnects, reason);
    };
    // Live pushes start once the connection has synced; pts:null answers the current pts.
    const page = await user.conn.request({ type: 'sync', pts: null });
    user.cursor = page.pts;
    user.ackedCursor = page.pts;
  }
  const setupSeconds = (performance.now() - setupStart) / 1000;

  // Heartbeat, as a client does.
  const heartbeatMs = users[0]?.conn.limits?.heartbeatMs ?? 30_000;
  const heartbeat = setInterval(() => {
    const now = performance.now();
    for (const user of users) {
      if (now - user.lastPingAt >= heartbeatMs) {
        user.lastPingAt = now;
        user.conn.send({ type: 'ping' });
      }
    }
  }, PING_CHECK_MS);

  // Sending: open loop, paced against the clock, bounded by the total count.
  const padding = '.'.repeat(BODY_CHARS);
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  loopDelay.enable();
  meter.start();
  const start = performance.now();
  await new Promise<void>((done) => {
    const tick = setInterval(() => {
      const elapsedS = (performance.now() - start) / 1000;
      const due = Math.min(total, Math.floor(elapsedS * params.rate));
      while (sent < due) {
        const n = sent++;
        const from = users[Math.floor(Math.random() * users.length)]!;
        const to = from.peers[Math.floor(Math.random() * from.peers.length)]!;
        const clientMsgId = `m${n}`;
        sentAt[n] = performance.now();
        if (from.conn.closed) {
          bump(errors, 'sender disconnected');
          continue;
        }
        from.conn.send({
          type: 'send',
          id: clientMsgId,
          conversationId: to.conversationId,
          clientMsgId,
          body: `bench ${clientMsgId} at ${Date.now()} `.padEnd(BODY_CHARS, padding),
        });
      }
      if (sent >= total) {
        clearInterval(tick);
        done();
      }
    }, TICK_MS);
  });
  const sendSeconds = (performance.now() - start) / 1000;

  // Drain: wait for the last acks and deliveries, up to the timeout.
  const drainDeadline = performance.now() + params.drainS * 1000;
  while ((acked < sent || delivered < sent) && performance.now() < drainDeadline) {
    await sleep(20);
  }
  meter.stop();
  loopDelay.disable();
  stopping = true;
  clearInterval(heartbeat);
  for (const user of users) if (user.ackTimer) clearTimeout(user.ackTimer);
  for (const user of users) user.conn.close();

  const deliverySpanS = delivered > 0 ? (lastDeliveryAt - start) / 1000 : 0;
  return {
    workload: 'w1',
    users: users.length,
    conversations: pairs.length,
    setupSeconds: round(setupSeconds),
    sent,
    acked,
    delivered,
    lost: sent - delivered,
    duplicates,
    errors,
    disconnects,
    resyncs,
    sendSeconds: round(sendSeconds),
    achievedRate: round(sent / sendSeconds),
    deliveredRate: deliverySpanS > 0 ? round(delivered / deliverySpanS) : 0,
    ackLatency: ackLatency.summary(),
    deliveryLatency: deliveryLatency.summary(),
    generatorLoopDelay: {
      p99: round(Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_DELAY_RESOLUTION_MS)),
      max: round(Math.max(0, loopDelay.max / 1e6 - LOOP_DELAY_RESOLUTION_MS)),
    },
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
