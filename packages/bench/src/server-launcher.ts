/**
 * The server under test: either one the generator starts as a child process (free loopback
 * ports, a throwaway data directory, rate limits lifted so the limiter is not what is measured,
 * pinned to core 0) or one already running at a loopback URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TransportKind } from './args.js';
import { BenchConnection } from './connection.js';
import { canPin } from './util.js';

export interface ServerTarget {
  /** ws://... or tcp://... for the chosen transport. */
  url: string;
  /** Null when attached to a server whose PID was not given: its CPU and RSS go unmeasured. */
  pid: number | null;
  /** http://.../metrics (Prometheus), when known. */
  metricsUrl: string | null;
  launched: boolean;
  /** Why the launched server ended on its own, or null while it runs. */
  exited(): string | null;
  stop(): Promise<void>;
}

export class LaunchError extends Error {
  override name = 'LaunchError';
}

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_TAIL_CHARS = 4000;
// Large enough that no per-connection or per-user limiter throttles the load.
const UNLIMITED_RATE = '1000000';

/** Where a server started with default settings serves /metrics (its own listener, loopback). */
const DEFAULT_METRICS_URL = 'http://127.0.0.1:8082/metrics';

export function attachServer(url: string, pid: number | null): ServerTarget {
  // A server run with another PARLEY_METRICS_PORT goes unmeasured: its figures read as absent.
  const metricsUrl = DEFAULT_METRICS_URL;
  return { url, pid, metricsUrl, launched: false, exited: () => null, stop: async () => {} };
}

/** The server's entry: its built dist/main.js, or its source through tsx when we run as source. */
function serverEntry(): { entry: string; nodeArgs: string[]; cwd: string } {
  const here = fileURLToPath(import.meta.url);
  const cwd = resolve(dirname(here), '../../..');
  if (here.endsWith('.ts')) {
    return {
      entry: join(cwd, 'packages/server/src/main.ts'),
      nodeArgs: ['--conditions=source', '--import', 'tsx'],
      cwd,
    };
  }
  return { entry: join(cwd, 'packages/server/dist/main.js'), nodeArgs: [], cwd };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

export async function launchServer(
  transport: TransportKind,
  options: { pin: boolean },
): Promise<ServerTarget> {
  options = { pin: options.pin && canPin() };
  const { entry, nodeArgs, cwd } = serverEntry();
  if (!existsSync(entry)) {
    throw new LaunchError(`server entry ${entry} not found: run \`npm run build\` first`);
  }
  const [port, tcpPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const env = {
    ...process.env,
    PARLEY_HOST: '127.0.0.1',
    PARLEY_PORT: String(port),
    PARLEY_TCP_PORT: String(tcpPort),
    PARLEY_METRICS_PORT: String(metricsPort),
    PARLEY_DATA_DIR: dataDir,
    PARLEY_LOG_LEVEL: 'warn',
    PARLEY_SEND_RATE: UNLIMITED_RATE,
    PARLEY_FRAME_RATE: UNLIMITED_RATE,
    PARLEY_IP_FRAME_RATE: UNLIMITED_RATE,
    PARLEY_CONNECTIONS_PER_IP: '0',
    PARLEY_REGISTRATIONS_PER_IP: '0',
  };
  const node = [process.execPath, ...nodeArgs, entry];
  // taskset execs node in place, so the child's PID is the server's PID.
  const [command, ...args] = options.pin ? ['taskset', '-c', '0', ...node] : node;
  const child: ChildProcess = spawn(command!, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // Set from the child's events; typed wide so the checks below are not narrowed to null.
  let exitReason = null as string | null;
  let hasExited = false;
  let stopRequested = false;
  const exitedPromise = new Promise<void>((done) => {
    child.once('exit', (code, signal) => {
      hasExited = true;
      if (!stopRequested) exitReason = `server exited (code ${code}, signal ${signal})\n${output}`;
      done();
    });
    // A spawn failure (no taskset, no node) emits only 'error'.
    child.once('error', (error) => {
      hasExited = true;
      exitReason = `could not start the server: ${error.message}`;
      done();
    });
  });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const url = transport === 'ws' ? `ws://127.0.0.1:${port}/ws` : `tcp://127.0.0.1:${tcpPort}`;
  const target: ServerTarget = {
    url,
    pid: child.pid ?? null,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    launched: true,
    exited: () => exitReason,
    stop: async () => {
      process.off('exit', killOnExit);
      stopRequested = true;
      if (!hasExited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exitedPromise;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exitReason !== null) {
      await target.stop();
      throw new LaunchError(exitReason);
    }
    try {
      // Ready means the protocol answers on the port we will load, not merely that it listens.
      const probe = await BenchConnection.open(transport, url);
      probe.close();
      return target;
    } catch (error) {
      if (Date.now() > deadline) {
        await target.stop();
        throw new LaunchError(
          `server not ready after ${READY_TIMEOUT_MS} ms: ${(error as Error).message}\n${output}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
