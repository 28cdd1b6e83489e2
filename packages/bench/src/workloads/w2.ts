/**
 * W2 connections: C authenticated idle connections, each pinging once per heartbeat, held for
 * D seconds. Reports the server's RSS per connection ((RSS with C connections - RSS before) / C)
 * and whether every connection stayed up (each must answer a ping at the end).
 *
 * Registering costs an argon2 hash, so only a few accounts are registered and their tokens are
 * shared with `auth` across all connections (an auth costs the server a token lookup). The
 * connections live in worker processes, at most 10,000 each: a process may hold at most 20,000
 * open files here.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TransportKind } from '../args.js';
import { BenchConnection } from '../connection.js';
import type { Meter } from '../meter.js';
import { Histogram, type LatencySummary } from '../stats.js';
import { bump, mapLimit, sleep } from '../util.js';
import type { FromWorker, ToWorker } from './w2-worker.js';

export interface W2Params {
  transport: TransportKind;
  url: string;
  connections: number;
  users: number;
  durationS: number;
  workers: number | null;
  runId: string;
}

export interface W2Results {
  workload: 'w2';
  connections: number;
  users: number;
  workers: number;
  setupSeconds: number;
  /** Seconds to open, authenticate and sync every connection. */
  connectSeconds: number;
  connected: number;
  failedToConnect: number;
  /** Connections that answered a ping after the hold. */
  alive: number;
  /** Connections the server ended during the run, by reason. */
  dropped: Record<string, number>;
  errors: Record<string, number>;
  holdSeconds: number;
  serverRssBeforeKb: number | null;
  serverRssWithConnectionsKb: number | null;
  /** (RSS with the connections - RSS before) / connections held. */
  serverRssPerConnectionKb: number | null;
  pingLatency: LatencySummary;
  /** CPU seconds the worker processes used during the hold (added to the generator's share). */
  workerCpuSeconds: number;
}

const PASSWORD = 'bench-password-1';
const CONNECTIONS_PER_WORKER = 10_000;
const SETTLE_MS = 2000;
const STEP_TIMEOUT_MS = 120_000;

/** The worker's entry next to this file: .ts when running from source, .js when built. */
function workerEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return fileURLToPath(new URL(`./w2-worker${extname(here)}`, import.meta.url));
}

class Worker {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private waiting: { type: FromWorker['type']; resolve(m: FromWorker): void } | null = null;
  private failure: Error | null = null;

  constructor() {
    // Keep the loader flags (tsx when running from source), not the test runner's.
    const execArgv = process.execArgv.filter((arg) => !arg.startsWith('--test'));
    this.child = fork(workerEntry(), [], {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: FromWorker) => {
      if (this.waiting?.type === message.type) this.waiting.resolve(message);
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        this.failure = new Error(`a W2 worker exited with code ${code}`);
        resolve();
      });
    });
  }

  /** Sends a command and waits for the reply of the given type. */
  async ask<T extends FromWorker['type']>(
    command: ToWorker,
    reply: T,
  ): Promise<Extract<FromWorker, { type: T }>> {
    if (this.failure) throw this.failure;
    const answer = new Promise<FromWorker>((resolve) => {
      this.waiting = { type: reply, resolve };
    });
    this.child.send(command);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`W2 worker: no ${reply} in time`)),
        STEP_TIMEOUT_MS,
      );
    });
    const died = this.exited.then(() => Promise.reject(this.failure));
    try {
      return (await Promise.race([answer, timeout, died])) as Extract<FromWorker, { type: T }>;
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    if (this.child.connected) this.child.send({ type: 'stop' } satisfies ToWorker);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export async function runW2(params: W2Params, meter: Meter): Promise<W2Results> {
  const setupStart = performance.now();
  const tokens = await mapLimit(
    Array.from({ length: params.users }, (_, i) => `b${params.runId}c${i}`),
    8,
    async (username) => {
      const conn = await BenchConnection.open(params.transport, params.url);
      const authed = await conn.request({ type: 'register', username, password: PASSWORD });
      conn.close();
      if (!authed.token) throw new Error('register answered without a token');
      return authed.token;
    },
  );
  const setupSeconds = (performance.now() - setupStart) / 1000;
  await sleep(SETTLE_MS);
  const rssBefore = meter.serverRssKb();

  const workerCount =
    params.workers ?? Math.max(1, Math.ceil(params.connections / CONNECTIONS_PER_WORKER));
  const workers = Array.from({ length: workerCount }, () => new Worker());
  try {
    const connectStart = performance.now();
    const base = Math.floor(params.connections / workerCount);
    const connectedReplies = await Promise.all(
      workers.map((worker, i) => {
        const count = base + (i < params.connections % workerCount ? 1 : 0);
        const offset = i * base + Math.min(i, params.connections % workerCount);
        return worker.ask(
          { type: 'start', transport: params.transport, url: params.url, tokens, count, offset },
          'connected',
        );
      }),
    );
    const connectSeconds = (performance.now() - connectStart) / 1000;
    const connected = connectedReplies.reduce((sum, r) => sum + r.connected, 0);
    const failedToConnect = connectedReplies.reduce((sum, r) => sum + r.failed, 0);

    // Hold: the workers ping each connection once per heartbeat; RSS is read at the end.
    await sleep(SETTLE_MS);
    meter.start();
    const holdStart = performance.now();
    await sleep(params.durationS * 1000);
    const rssWith = meter.serverRssKb();
    const checks = await Promise.all(
      workers.map((worker) => worker.ask({ type: 'check' }, 'checked')),
    );
    meter.stop();
    const holdSeconds = (performance.now() - holdStart) / 1000;

    const dropped: Record<string, number> = {};
    const errors: Record<string, number> = {};
    const pings = new Histogram();
    for (const check of checks) {
      for (const [reason, n] of Object.entries(check.dropped)) bump(dropped, reason, n);
      for (const [code, n] of Object.entries(check.errors)) bump(errors, code, n);
      pings.merge(check.pings);
    }
    return {
      workload: 'w2',
      connections: params.connections,
      users: params.users,
      workers: workerCount,
      setupSeconds: round(setupSeconds),
      connectSeconds: round(connectSeconds),
      connected,
      failedToConnect,
      alive: checks.reduce((sum, c) => sum + c.alive, 0),
      dropped,
      errors,
      holdSeconds: round(holdSeconds),
      serverRssBeforeKb: rssBefore,
      serverRssWithConnectionsKb: rssWith,
      serverRssPerConnectionKb:
        rssBefore !== null && rssWith !== null && connected > 0
          ? round((rssWith - rssBefore) / connected)
          : null,
      pingLatency: pings.summary(),
      workerCpuSeconds: round(checks.reduce((sum, c) => sum + c.cpuSeconds, 0)),
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
