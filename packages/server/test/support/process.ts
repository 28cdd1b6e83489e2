/** Runs the real server entry point (main.ts) as a child process, as an operator would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
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
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

/** Spawns the server from source (tsx), or the built one with `{ built: true }`. */
export async function spawnServer(
  env: Record<string, string>,
  args: string[] = [],
  { built = false } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const tcpPort = await freePort();
  const entry = built ? [MAIN_BUILT] : ['--conditions=source', '--import', 'tsx', MAIN_SOURCE];
  const child = spawn(process.execPath, [...entry, ...args], {
    env: {
      ...process.env,
      PARLEY_HOST: '127.0.0.1',
      PARLEY_PORT: String(port),
      PARLEY_TCP_PORT: String(tcpPort),
      PARLEY_METRICS_PORT: '0',
      PARLEY_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const result = {
    child,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    tcpUrl: `tcp://127.0.0.1:${tcpPort}`,
    httpUrl: `http://127.0.0.1:${port}`,
    exited,
    stderr: () => stderr,
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
