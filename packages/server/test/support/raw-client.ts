/**
 * A bare protocol client for server tests: sends exactly the bytes a test wants (valid frames,
 * garbage, lying length prefixes) over a real WebSocket or TCP socket, and reads frames back.
 */
import { connect, type Socket } from 'node:net';
import { LengthPrefixedDecoder, type ServerFrame, type ServerFrameOf } from '@parley/protocol';
import WebSocket from 'ws';

type Waiter = {
  match: (f: ServerFrame) => boolean;
  resolve: (f: ServerFrame) => void;
  reject: (e: Error) => void;
};

export class RawClient {
  readonly frames: ServerFrame[] = [];
  private waiters: Waiter[] = [];
  private nextId = 1;
  closed = false;
  readonly whenClosed: Promise<void>;
  private markClosed!: () => void;
  private tcpSocket: Socket | null = null;
  private reading: { pause: () => void; resume: () => void } | null = null;

  private constructor(
    private readonly write: (text: string) => void,
    readonly writeRaw: (bytes: Buffer | string) => void,
    private readonly end: () => void,
  ) {
    this.whenClosed = new Promise((resolve) => (this.markClosed = resolve));
  }

  static async ws(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
    const ws = new WebSocket(url, { headers });
    const client = new RawClient(
      (text) => ws.send(text),
      (bytes) => ws.send(bytes),
      () => ws.close(),
    );
    client.reading = { pause: () => ws.pause(), resume: () => ws.resume() };
    ws.on('message', (data, isBinary) => client.receive(isBinary ? '' : data.toString()));
    ws.on('close', () => client.onClosed());
    ws.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
    return client;
  }

  /** `localAddress` picks the source address (any of 127.0.0.0/8 on Linux) to act as another IP. */
  static async tcp(url: string, localAddress?: string): Promise<RawClient> {
    const { hostname, port } = new URL(url);
    const socket: Socket = connect({ port: Number(port), host: hostname, localAddress });
    const decoder = new LengthPrefixedDecoder();
    const client = new RawClient(
      (text) => {
        const body = Buffer.from(text);
        const head = Buffer.alloc(4);
        head.writeUInt32BE(body.length);
        socket.write(Buffer.concat([head, body]));
      },
      (bytes) => socket.write(bytes),
      () => socket.end(),
    );
    client.tcpSocket = socket;
    client.reading = { pause: () => socket.pause(), resume: () => socket.resume() };
    socket.on('data', (chunk) => {
      for (const text of decoder.push(chunk)) client.receive(text);
    });
    socket.on('close', () => client.onClosed());
    socket.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return client;
  }

  /** The underlying TCP socket (TCP clients only), for tests that stop reading. */
  get socket(): Socket {
    if (!this.tcpSocket) throw new Error('not a TCP client');
    return this.tcpSocket;
  }

  /** Stops reading from the socket (either transport): the kernel buffers fill, then the server's. */
  pauseReading(): void {
    this.reading?.pause();
  }

  resumeReading(): void {
    this.reading?.resume();
  }

  send(frame: Record<string, unknown>): void {
    this.write(JSON.stringify(frame));
  }

  sendText(text: string): void {
    this.write(text);
  }

  /** Sends a request with a fresh id and resolves with the reply (or error) carrying that id. */
  async request(frame: Record<string, unknown>, timeoutMs = 10_000): Promise<ServerFrame> {
    const id = `r${this.nextId++}`;
    const reply = this.next((f) => 'id' in f && f.id === id, timeoutMs);
    this.send({ ...frame, id });
    return reply;
  }

  /** Like request, but fails the test unless the reply has type `type`. */
  async expect<T extends ServerFrame['type']>(
    type: T,
    frame: Record<string, unknown>,
  ): Promise<ServerFrameOf<T>> {
    const reply = await this.request(frame);
    if (reply.type !== type) throw new Error(`expected ${type}, got ${JSON.stringify(reply)}`);
    return reply as ServerFrameOf<T>;
  }

  /** The next frame (already received or future) matching `match`. */
  next(match: (f: ServerFrame) => boolean = () => true, timeoutMs = 10_000): Promise<ServerFrame> {
    const index = this.frames.findIndex(match);
    if (index !== -1) return Promise.resolve(this.frames.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `no matching frame within ${timeoutMs} ms; have ${JSON.stringify(this.frames.slice(-5))}`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.push(waiter);
    });
  }

  close(): void {
    this.end();
  }

  /** When set, every `update` push goes here instead of waiting to be matched. */
  onUpdate: ((frame: ServerFrameOf<'update'>) => void) | null = null;

  private receive(text: string): void {
    const frame = JSON.parse(text) as ServerFrame;
    if (frame.type === 'update' && this.onUpdate) return this.onUpdate(frame);
    const waiter = this.waiters.find((w) => w.match(frame));
    if (waiter) {
      this.waiters = this.waiters.filter((w) => w !== waiter);
      waiter.resolve(frame);
    } else {
      this.frames.push(frame);
    }
  }

  private onClosed(): void {
    this.closed = true;
    // Nothing more can arrive: waiting for it would only end at the timeout.
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('connection closed'));
    this.markClosed();
  }
}
