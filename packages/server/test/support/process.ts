/** Runs the real server entry point (main.ts) as a child process, as an operator would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const MAIN_SOURCE = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
/** The built entry point that `npm start` runs. */
export const MAIN_BUILT = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface ServerProcess {
  child: ChildProcess;
  wsUrl: string;
  tcpUrl: string;
  httpUrl: string;
  /** The log stream (JSON lines), when spawned with `{ stdout: 'pipe' }`. */
  stdout: Readable | null;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
  /** Resolves once stderr has printed a line matching `pattern` (rejects if stderr ends first). */
  stderrLine: (pattern: RegExp) => Promise<string>;
}

export interface SpawnOptions {
  /** Run dist/main.js (what `npm start` runs) instead of the source through tsx. */
  built?: boolean;
  /** `pipe` hands the log stream to the test; by default it is discarded. */
  stdout?: 'ignore' | 'pipe';
}

/** Spawns the server from source (tsx), or the built one with `{ built: true }`. */
export async function spawnServer(
  env: Record<string, string>,
  args: string[] = [],
  { built = false, stdout = 'ignore' }: SpawnOptions = {},
): Promise<ServerProcess> {
  // Port 0 unless the test chose one: the server binds what is free and says which in its
  // banner. (A port found free here could be taken before the child binds it, by another test's
  // listener or by an outgoing connection's ephemeral port.)
  let port = env.PARLEY_PORT === undefined ? 0 : Number(env.PARLEY_PORT);
  let tcpPort = env.PARLEY_TCP_PORT === undefined ? 0 : Number(env.PARLEY_TCP_PORT);
  const entry = built ? [MAIN_BUILT] : ['--conditions=source', '--import', 'tsx', MAIN_SOURCE];
  const child = spawn(process.execPath, [...entry, ...args], {
    env: {
      ...process.env,
      PARLEY_HOST: '127.0.0.1',
      PARLEY_PORT: String(port),
      PARLEY_TCP_PORT: String(tcpPort),
      PARLEY_METRICS_PORT: '0',
      PARLEY_LOG_LEVEL: 'warn',
      // As in server.ts: the tests written before friends chat between strangers.
      PARLEY_DIRECT_MESSAGES: 'everyone',
      ...env,
    },
    stdio: ['ignore', stdout, 'pipe'],
  });
  let stderr = '';
  const stderrWaiters = new Set<() => void>();
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const check of stderrWaiters) check();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  if (port === 0 || tcpPort === 0) {
    // Until the banner names the ports, or the process ends (a start that fails on purpose).
    const banner = await new Promise<string | null>((resolve) => {
      const check = () => {
        const line = stderr.split('\n').find((l) => l.startsWith('Parley is running:'));
        if (line === undefined) return;
        stderrWaiters.delete(check);
        resolve(line);
      };
      stderrWaiters.add(check);
      void exited.then(() => {
        stderrWaiters.delete(check);
        resolve(null);
      });
    });
    const http = banner === null ? null : /web client \S+:(\d+)/.exec(banner);
    const tcp = banner === null ? null : /TCP \S+:(\d+)/.exec(banner);
    if (http) port = Number(http[1]);
    if (tcp) tcpPort = Number(tcp[1]);
  }
  const result = {
    child,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    tcpUrl: `tcp://127.0.0.1:${tcpPort}`,
    httpUrl: `http://127.0.0.1:${port}`,
    stdout: child.stdout,
    exited,
    stderr: () => stderr,
    stderrLine: (pattern: RegExp) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const line = stderr.split('\n').find((l) => pattern.test(l));
          if (line === undefined) return;
          stderrWaiters.delete(check);
          resolve(line);
        };
        stderrWaiters.add(check);
        check();
        const ended = () => {
          if (!stderrWaiters.delete(check)) return;
          reject(new Error(`the server exited before printing ${pattern}:\n${stderr}`));
        };
        if (child.stderr!.readableEnded) ended();
        else child.stderr!.once('end', ended);
      }),
  };
  return result;
}

/** Waits until /readyz answers 200 or the process exits. */
export async function waitReady(server: ServerProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void server.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      if ((await fetch(`${server.httpUrl}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become ready:\n${server.stderr()}`);
}
