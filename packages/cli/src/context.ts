/**
 * What every command gets: the server URL, the config file, the terminal streams, and helpers to
 * open an SDK client on them that fails fast, with a clear message, when the server is not there.
 */
import { hostname } from 'node:os';
import { rootCertificates } from 'node:tls';
import { ParleyClient, type ClientStorage, type User } from '@parley/client';
import { fileStorage, transportFor } from '@parley/client/node';
import { CliError, EXIT, notLoggedIn, sessionGone, toCliError, usageError } from './cli-error.js';
import { colorsWanted, makeStyle, visible, type Style } from './format.js';
import { Passwords } from './password.js';

export interface Io {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

export const CLIENT_NAME = 'parley-cli/0.1.0';
const REQUEST_TIMEOUT_MS = 10_000;

export class Context {
  /** Styles for stdout and for stderr (each colored only if that stream is a terminal). */
  readonly style: Style;
  readonly errStyle: Style;
  private readonly clients: ParleyClient[] = [];

  constructor(
    readonly io: Io,
    readonly server: string,
    readonly configPath: string,
    /** Extra certificates to trust for wss:// and tls:// (--ca); null: the system's only. */
    private readonly ca: Buffer | null = null,
    /** The server's HTTP address for files (--http-url); null: derived from a ws:// url. */
    private readonly httpUrl: string | null = null,
  ) {
    this.style = makeStyle(colorsWanted(io.stdout, io.env));
    this.errStyle = makeStyle(colorsWanted(io.stderr, io.env));
  }

  get stdout(): NodeJS.WriteStream {
    return this.io.stdout;
  }

  /** Writes a note for people to stderr (stdout stays clean for scripts). */
  note(text: string): void {
    // Notes carry network errors and server reasons: shown, never obeyed, by the terminal.
    this.io.stderr.write(`${this.errStyle.dim(visible(text))}\n`);
  }

  passwords(fromStdin: boolean): Passwords {
    return new Passwords({ ...this.io, fromStdin });
  }

  /** A client for the server, on the config file's state for it (not connected yet). */
  async open(): Promise<ParleyClient> {
    let transport;
    try {
      // `ca` replaces Node's trust store: keep the public roots, so --ca only adds.
      const ca = this.ca ? [...rootCertificates, this.ca.toString('utf8')] : null;
      transport = transportFor(this.server, ca ? { tls: { ca } } : {});
    } catch (error) {
      throw usageError(toCliError(error).message);
    }
    const storage = fileStorage(this.configPath, this.server);
    await checkReadable(storage, this.configPath);
    const client = new ParleyClient({
      url: this.server,
      transport,
      storage,
      device: `parley-cli on ${hostname()}`.slice(0, 64),
      clientName: CLIENT_NAME,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      ...(this.httpUrl === null ? {} : { httpUrl: this.httpUrl }),
    });
    this.clients.push(client);
    return client;
  }

  /**
   * Connects; resolves when logged out-but-connected or online. The first failed attempt ends it
   * with an "unreachable" error, unless `patient` (long-running commands keep retrying).
   */
  async connect(client: ParleyClient, patient = false): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const off = client.on('state', (state) => {
        if (state.status === 'reconnecting' && !patient) {
          off();
          reject(
            new CliError(
              `cannot reach the server at ${this.server} (${state.lastError})`,
              EXIT.unreachable,
            ),
          );
        }
      });
      client.connect().then(
        () => {
          off();
          resolve();
        },
        (error: unknown) => {
          off();
          reject(toCliError(error));
        },
      );
    });
  }

  /** Opens, connects and requires a stored login. */
  async session(
    client?: ParleyClient,
    patient = false,
  ): Promise<{ client: ParleyClient; me: User }> {
    const c = client ?? (await this.open());
    let ended = false;
    const off = c.on('sessionEnded', () => (ended = true));
    await this.connect(c, patient).finally(off);
    const me = c.user;
    // A saved session the server refused: "not logged in" alone would puzzle someone who was.
    if (!me && ended) throw sessionGone(this.server);
    if (!me) throw notLoggedIn(this.server);
    return { client: c, me };
  }

  /** Closes every client, so the process can exit once their last writes are done. */
  dispose(): void {
    for (const client of this.clients) client.close();
  }
}

async function checkReadable(storage: ClientStorage, path: string): Promise<void> {
  try {
    await storage.load();
  } catch (error) {
    throw new CliError(`cannot read the config file ${path}: ${toCliError(error).message}`);
  }
}
