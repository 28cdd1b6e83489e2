/**
 * Runs the real `parley` program (TypeScript through tsx, so no build is needed) against a real
 * server, each user with its own temporary config file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '@parley/server';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const MAIN = join(REPO_ROOT, 'packages/cli/src/main.ts');
/** The command line that runs `parley` from source. */
export const PARLEY = [process.execPath, '--conditions=source', '--import', 'tsx', MAIN];
export const PASSWORD = 'correct horse battery';

export interface TestServer extends RunningServer {
  dispose(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-cli-server-'));
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    tcpPort: 0,
    metricsPort: 0,
    dataDir,
    logLevel: 'silent',
    // Tests register many users from 127.0.0.1.
    registrationsPerIp: 0,
  });
  return {
    ...server,
    async dispose() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A server that can be stopped and started again on the same ports and data. */
export interface RestartableServer {
  wsUrl: string;
  tcpUrl: string;
  /** Stops it (gracefully, as SIGTERM would). */
  stop(): Promise<void>;
  /** Starts it again where it was. */
  start(): Promise<void>;
  /** Stops it if running and removes its data. */
  dispose(): Promise<void>;
}

export async function startRestartableServer(): Promise<RestartableServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-cli-restart-'));
  const base = {
    host: '127.0.0.1',
    metricsPort: 0,
    dataDir,
    logLevel: 'silent',
    registrationsPerIp: 0,
  } as const;
  let running: RunningServer | null = await startServer({ ...base, port: 0, tcpPort: 0 });
  const { wsUrl, tcpUrl } = running;
  const ports = { port: Number(new URL(wsUrl).port), tcpPort: Number(new URL(tcpUrl).port) };
  return {
    wsUrl,
    tcpUrl,
    async stop() {
      await running?.stop();
      running = null;
    },
    async start() {
      running ??= await startServer({ ...base, ...ports });
    },
    async dispose() {
      await running?.stop();
      running = null;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'parley-cli-test-'));
}

let counter = 0;
export function uniqueName(prefix = 'u'): string {
  counter += 1;
  return `${prefix}${process.pid}x${counter}`;
}

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  input?: string;
}

/** A user of the CLI: one server URL and one config file. */
export class CliUser {
  constructor(
    readonly server: string,
    readonly config: string,
  ) {}

  args(args: string[]): string[] {
    return [...PARLEY.slice(1), '--server', this.server, '--config', this.config, ...args];
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...process.env, NO_COLOR: '1', PARLEY_PASSWORD: '', ...extra };
  }

  /** Runs one command to completion. */
  run(args: string[], options: RunOptions = {}): Promise<Result> {
    const child = this.spawn(args, options.env);
    child.stdin!.end(options.input ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** Starts a long-running command (listen). */
  spawn(args: string[], env: Record<string, string> = {}): ChildProcess {
    return spawn(PARLEY[0]!, this.args(args), { cwd: REPO_ROOT, env: this.env(env) });
  }
}

/** Resolves once `stream`'s accumulated text matches; rejects after `timeoutMs`. */
export function waitForOutput(
  stream: NodeJS.ReadableStream,
  pattern: RegExp,
  timeoutMs = 15_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      stream.off('data', onData);
      reject(new Error(`output did not match ${pattern} within ${timeoutMs} ms:\n${text}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      if (pattern.test(text)) {
        clearTimeout(timer);
        stream.off('data', onData);
        resolve(text);
      }
    };
    stream.on('data', onData);
  });
}
