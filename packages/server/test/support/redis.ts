/**
 * Redis for tests: the shared server (never restarted by a test), each test run under a key and
 * channel prefix of its own so parallel runs never meet; or a private redis-server on an ephemeral
 * port that a test may stop and start again. When Redis is not reachable, `skip` says why, unless
 * PARLEY_REQUIRE_SERVICES=1 (CI), where that is a failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { freePort } from './process.js';

const SHARED_URL = process.env['PARLEY_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const REDIS_SERVER = process.env['PARLEY_TEST_REDIS_SERVER'] ?? '/usr/bin/redis-server';

function unavailable(reason: string): string {
  if (process.env['PARLEY_REQUIRE_SERVICES'] === '1') throw new Error(reason);
  console.log(`# skipping Redis tests: ${reason}`);
  return reason;
}

async function reachable(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export interface TestRedis {
  /** Why Redis tests skip here, or undefined when Redis is there. */
  skip: string | undefined;
  url: string;
  /** A prefix no other test run uses. */
  prefix(): string;
}

export async function testRedis(): Promise<TestRedis> {
  const ok = await reachable(SHARED_URL);
  return {
    skip: ok ? undefined : unavailable(`Redis not reachable at ${SHARED_URL}`),
    url: SHARED_URL,
    prefix: () => `parley-test-${randomBytes(6).toString('hex')}:`,
  };
}

export interface PrivateRedis {
  url: string;
  /** Kills the server (SIGKILL: nothing is flushed, every connection drops). */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Why a private redis-server cannot run here, or undefined. */
export function privateRedisSkip(): string | undefined {
  return existsSync(REDIS_SERVER) ? undefined : unavailable(`${REDIS_SERVER} not found`);
}

/** A redis-server of the test's own on an ephemeral port, keeping nothing on disk. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  async function start(): Promise<void> {
    const started = spawn(
      REDIS_SERVER,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    child = started;
    const deadline = Date.now() + 10_000;
    while (!(await reachable(url))) {
      if (Date.now() > deadline || started.exitCode !== null)
        throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  async function kill(): Promise<void> {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  }
  await start();
  return { url, start, kill, stop: kill };
}
