/**
 * The server's log: JSON lines on stdout (pino), with pid, hostname and version on every line.
 *
 * Logging never stops the server. pino's default destination flushes synchronously at exit and
 * retries a write that fails forever, so a stdout pipe that is full, or whose reader has gone,
 * hung SIGTERM. Here lines are written asynchronously (sonic-boom), dropped past a bounded buffer
 * when the reader does not keep up, and all of them dropped once the pipe breaks; exit never
 * waits on stdout for longer than `flush`'s deadline.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';
import sonicBoom from 'sonic-boom';

// A CommonJS module: its named export is a property of the default one.
const { SonicBoom } = sonicBoom;

/** Unwritten log bytes held while stdout is slow; lines past this are dropped. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

const packageJson = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };
export const SERVER_VERSION = packageJson.version;

export interface ServerLog {
  log: Logger;
  /** Waits until what was logged is written, or `timeoutMs` passes, whichever is first. */
  flush(timeoutMs: number): Promise<void>;
}

export function createLogger(level: string): ServerLog {
  const output = new SonicBoom({ fd: 1, sync: false, minLength: 0, maxLength: MAX_BUFFERED_BYTES });
  let broken = false;
  // True when every line handed to sonic-boom has been written (it says 'drain' then).
  let written = true;
  const waiters: Array<() => void> = [];
  const markWritten = () => {
    written = true;
    for (const wake of waiters.splice(0)) wake();
  };
  output.on('drain', markWritten);
  // EPIPE (the reader has gone) or any other write error: stdout is lost for good.
  output.on('error', () => {
    broken = true;
    markWritten();
  });
  const destination = {
    write(line: string): void {
      if (broken) return;
      written = false;
      output.write(line);
    },
  };
  const log = pino(
    {
      level,
      base: { pid: process.pid, hostname: hostname(), service: 'parley', version: SERVER_VERSION },
    },
    destination,
  );
  const flush = (timeoutMs: number) =>
    new Promise<void>((resolve) => {
      if (written) return resolve();
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  return { log, flush };
}
