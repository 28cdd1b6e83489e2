/**
 * A W2 worker process: opens its share of the idle connections (hello, auth with a shared token,
 * sync), keeps each alive with a ping every heartbeat, and on request checks that every one still
 * answers. Several of these hold the connections because one process may have at most 20,000
 * open files. Driven over the IPC channel by workloads/w2.ts.
 */
import type { TransportKind } from '../args.js';
import { BenchConnection } from '../connection.js';
import { ownCpuSeconds } from '../proc-stats.js';
import { Histogram } from '../stats.js';
import { bump, mapLimit } from '../util.js';

export type ToWorker =
  | {
      type: 'start';
      transport: TransportKind;
      url: string;
      tokens: string[];
      count: number;
      /** Index of this worker's first connection overall, to spread tokens evenly. */
      offset: number;
    }
  | { type: 'check' }
  | { type: 'stop' };

export type FromWorker =
  | {
      type: 'connected';
      connected: number;
      failed: number;
      errors: Record<string, number>;
    }
  | {
      type: 'checked';
      /** Connections that answered the final ping. */
      alive: number;
      /** Connections that ended without the generator closing them, by reason. */
      dropped: Record<string, number>;
      errors: Record<string, number>;
      /** Heartbeat ping round trips (steady state, not the final check's burst). */
      pings: { counts: number[]; maxMs: number };
      /** CPU seconds this worker used since its connections were all open. */
      cpuSeconds: number;
    };

const CONNECT_CONCURRENCY = 100;
const TICK_MS = 100;
const CHECK_TIMEOUT_MS = 10_000;

const conns: BenchConnection[] = [];
const errors: Record<string, number> = {};
const dropped: Record<string, number> = {};
const pings = new Histogram();
let cpuAtConnected = 0;
let heartbeat: NodeJS.Timeout | null = null;
// Pings during the connect storm measure the storm; only the steady state is recorded.
let steady = false;

function post(message: FromWorker): void {
  process.send?.(message);
}

/** Pings one connection; steady-state heartbeat round trips are recorded, bursts are not. */
async function ping(conn: BenchConnection, timeoutMs: number, record: boolean): Promise<boolean> {
  const sentAt = performance.now();
  try {
    await conn.request({ type: 'ping' }, timeoutMs);
    if (record) pings.record(performance.now() - sentAt);
    return true;
  } catch (error) {
    if (!conn.closed) bump(errors, `ping: ${(error as Error).message}`);
    return false;
  }
}

/** Pings the connections round-robin so each is pinged about once per heartbeat interval. */
function startHeartbeat(): void {
  let quota = 0;
  let next = 0;
  heartbeat = setInterval(() => {
    const heartbeatMs = conns[0]?.limits?.heartbeatMs ?? 30_000;
    quota += (conns.length * TICK_MS) / heartbeatMs;
    for (; quota >= 1 && conns.length > 0; quota--) {
      const conn = conns[next++ % conns.length]!;
      if (!conn.closed) void ping(conn, heartbeatMs, steady);
    }
  }, TICK_MS);
}

async function start(message: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  startHeartbeat();
  let failed = 0;
  const indexes = Array.from({ length: message.count }, (_, i) => message.offset + i);
  await mapLimit(indexes, CONNECT_CONCURRENCY, async (index) => {
    let conn: BenchConnection | null = null;
    try {
      conn = await BenchConnection.open(message.transport, message.url);
      conn.onClose = (reason) => bump(dropped, reason);
      conn.onFrame = (frame) => {
        if (frame.type === 'error') bump(errors, frame.code);
        else if (frame.type === 'bye') bump(dropped, `bye ${frame.reason}`);
      };
      await conn.request({
        type: 'auth',
        token: message.tokens[index % message.tokens.length]!,
      });
      await conn.request({ type: 'sync', pts: null });
      conns.push(conn);
    } catch (error) {
      conn?.close();
      failed++;
      bump(errors, `connect: ${(error as Error).message}`);
    }
  });
  cpuAtConnected = ownCpuSeconds();
  steady = true;
  post({ type: 'connected', connected: conns.length, failed, errors: { ...errors } });
}

async function check(): Promise<void> {
  const answers = await Promise.all(
    conns.map((conn) =>
      conn.closed ? Promise.resolve(false) : ping(conn, CHECK_TIMEOUT_MS, false),
    ),
  );
  post({
    type: 'checked',
    alive: answers.filter(Boolean).length,
    dropped,
    errors,
    pings: pings.toJSON(),
    cpuSeconds: ownCpuSeconds() - cpuAtConnected,
  });
}

process.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'start':
      void start(message);
      break;
    case 'check':
      void check();
      break;
    case 'stop':
      if (heartbeat) clearInterval(heartbeat);
      for (const conn of conns) conn.close();
      process.exit(0);
      break;
    default: {
      const unknown: never = message;
      throw new Error(`unknown message ${JSON.stringify(unknown)}`);
    }
  }
});
