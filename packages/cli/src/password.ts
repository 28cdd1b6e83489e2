/**
 * Where passwords come from, in order: stdin (`--password-stdin`, one per line, for scripts), an
 * environment variable (PARLEY_PASSWORD, for scripts and tests), or the terminal with echo off.
 * Never from a command-line argument, where `ps` and shell history would show it.
 */
import { CliError, usageError } from './cli-error.js';

export interface PasswordInput {
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** `--password-stdin` was given. */
  fromStdin: boolean;
}

export class Passwords {
  private lines: string[] | null = null;

  constructor(private readonly input: PasswordInput) {}

  /** True when the password will be typed (so asking twice to confirm makes sense). */
  get interactive(): boolean {
    return !this.input.fromStdin && this.input.stdin.isTTY === true;
  }

  /** The next password: `envName` is the variable consulted when not reading stdin. */
  async next(prompt: string, envName: string): Promise<string> {
    if (this.input.fromStdin) {
      this.lines ??= (await readAll(this.input.stdin)).split(/\r?\n/);
      const line = this.lines.shift();
      if (line === undefined || line === '') throw usageError('expected a password on stdin');
      return line;
    }
    const fromEnv = this.input.env[envName];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    if (this.input.stdin.isTTY) return readHidden(this.input.stdin, this.input.stderr, prompt);
    throw usageError(
      `no password: run in a terminal, pass --password-stdin, or set ${envName} in the environment`,
    );
  }
}

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one line from the terminal without echoing it. */
function readHidden(
  stdin: NodeJS.ReadStream,
  stderr: NodeJS.WriteStream,
  prompt: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    const finish = (error: CliError | null): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(null);
        if (ch === '\u0003') return finish(new CliError('cancelled', 130));
        if (ch === '\u0004') {
          return finish(value === '' ? new CliError('cancelled', 130) : null);
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
