/**
 * One load connection: the protocol's frames and codecs straight over `ws` or `node:net`,
 * without the SDK's state machine, outbox and storage, so a worker can hold ten thousand of them.
 * Requests made during setup await their reply by id; everything else (acks of sends, live
 * updates, pongs) goes to `onFrame` for the workload to count.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import WebSocket from 'ws';
import {
  encodeFrame,
  encodeLengthPrefixed,
  LengthPrefixedDecoder,
  PROTOCOL_VERSION,
  type ClientFrame,
  type ErrorCode,
  type Limits,
  type ReplyOf,
  type RequestFrame,
  type ServerFrame,
} from '@parley/protocol';
import type { TransportKind } from './args.js';

/** A request answered with an error frame, or not answered in time. */
export class RequestError extends Error {
  override name = 'RequestError';
  constructor(
    readonly code: ErrorCode | 'timeout' | 'closed',
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  resolve(frame: ServerFrame): void;
  reject(error: RequestError): void;
  timer: NodeJS.Timeout;
}

type Wire = { write(text: string): void; close(): void };

// Distributive, so each request type keeps its own fields when the id is left out.
type WithoutId<F> = F extends unknown ? Omit<F, 'id'> : never;

const REQUEST_TIMEOUT_MS = 30_000;

export class BenchConnection {
  /** Frames that are not the reply to a pending request. */
  onFrame: (frame: ServerFrame) => void = () => {};
  /** Called once when the connection ends, with why. */
  onClose: (reason: string) => void = () => {};
  closed = false;
  limits: Limits | null = null;

  private readonly pending = new Map<string, Pending>();
  private nextId = 0;

  private constructor(private readonly wire: Wire) {}

  /** Connects and says hello; resolves once the server's welcome arrived. */
  static async open(transport: TransportKind, url: string): Promise<BenchConnection> {
    const conn = await new Promise<BenchConnection>((resolve, reject) => {
      let opened: BenchConnection | null = null;
      const onText = (text: string): void => opened?.receive(text);
      const onEnd = (reason: string): void => {
        if (opened) opened.end(reason);
        else reject(new RequestError('closed', `could not connect to ${url}: ${reason}`));
      };
      const onOpen = (wire: Wire): void => {
        opened = new BenchConnection(wire);
        resolve(opened);
      };
      if (transport === 'ws') openWs(url, onOpen, onText, onEnd);
      else openTcp(url, onOpen, onText, onEnd);
    });
    const welcome = await conn.request({
      type: 'hello',
      versions: [PROTOCOL_VERSION],
      client: 'parley-bench',
    });
    conn.limits = welcome.limits;
    return conn;
  }

  send(frame: ClientFrame): void {
    if (!this.closed) this.wire.write(encodeFrame(frame));
  }

  /** Sends a request with a fresh id; resolves with its reply, rejects on an error frame. */
  request<F extends WithoutId<RequestFrame>>(
    frame: F,
    timeoutMs = REQUEST_TIMEOUT_MS,
  ): Promise<ReplyOf[F['type']]> {
    type Reply = ReplyOf[F['type']];
    const id = `r${++this.nextId}`;
    return new Promise<Reply>((resolve, reject) => {
      if (this.closed) {
        reject(new RequestError('closed', `connection closed before ${frame.type}`));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RequestError('timeout', `no reply to ${frame.type} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (reply) => resolve(reply as Reply),
        reject,
        timer,
      });
      this.send({ ...frame, id } as ClientFrame);
    });
  }

  /** Ends the connection from this side; `onClose` is not called for it. */
  close(): void {
    if (this.closed) return;
    this.onClose = () => {};
    this.end('closed by the generator');
    this.wire.close();
  }

  private receive(text: string): void {
    // The hot path skips schema validation on purpose: the protocol's own tests check the
    // server's frames, and zod on every frame would make the generator the bottleneck.
    let frame: ServerFrame;
    try {
      frame = JSON.parse(text) as ServerFrame;
    } catch {
      this.wire.close();
      this.end('the server sent a frame that is not JSON');
      return;
    }
    const id = 'id' in frame ? frame.id : undefined;
    const pending = typeof id === 'string' ? this.pending.get(id) : undefined;
    if (pending && id) {
      this.pending.delete(id);
      clearTimeout(pending.timer);
      if (frame.type === 'error') {
        pending.reject(new RequestError(frame.code, frame.message));
      } else pending.resolve(frame);
      return;
    }
    this.onFrame(frame);
  }

  private end(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new RequestError('closed', `connection closed: ${reason}`));
      this.pending.delete(id);
    }
    this.onClose(reason);
  }
}

function openWs(
  url: string,
  onOpen: (wire: Wire) => void,
  onText: (text: string) => void,
  onEnd: (reason: string) => void,
): void {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on('open', () => onOpen({ write: (text) => ws.send(text), close: () => ws.terminate() }));
  ws.on('message', (data: Buffer) => onText(data.toString('utf8')));
  ws.on('close', (code: number, reason: Buffer) =>
    onEnd(`websocket closed ${code} ${reason.toString('utf8')}`.trim()),
  );
  ws.on('error', (error: Error) => onEnd(error.message));
}

function openTcp(
  url: string,
  onOpen: (wire: Wire) => void,
  onText: (text: string) => void,
  onEnd: (reason: string) => void,
): void {
  const { hostname, port } = new URL(url);
  const socket: Socket = tcpConnect({ host: hostname.replace(/^\[|\]$/g, ''), port: +port });
  const decoder = new LengthPrefixedDecoder();
  socket.setNoDelay(true);
  socket.on('connect', () =>
    onOpen({
      write: (text) => socket.write(encodeLengthPrefixed(text)),
      close: () => socket.destroy(),
    }),
  );
  socket.on('data', (chunk: Buffer) => {
    try {
      for (const text of decoder.push(chunk)) onText(text);
    } catch (error) {
      socket.destroy();
      onEnd(`bad framing from server: ${(error as Error).message}`);
    }
  });
  socket.on('close', () => onEnd('tcp closed'));
  socket.on('error', (error: Error) => onEnd(error.message));
}
