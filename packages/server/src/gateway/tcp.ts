/**
 * Raw TCP gateway: 4-byte big-endian length + UTF-8 JSON per frame, optionally over TLS. A length
 * prefix above the frame limit is answered with `too_large` and the connection is closed before
 * any of the announced body is buffered.
 */
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { FramingError, LengthPrefixedDecoder } from '@parley/protocol';
import type { Connection, ConnectionHandler } from '../session/connection.js';
import type { IpLimit } from './ip-limit.js';

/**
 * After the server ends a connection, how long the peer has to hang up before the socket is
 * destroyed. Long enough for the goodbye to arrive; without it a peer that never closes its side
 * would hold the socket forever, as the session that would time it out is already gone.
 */
const CLOSE_LINGER_MS = 2000;

export interface TcpGatewayOptions {
  maxFrameBytes: number;
  tls: TlsOptions | null;
  ipLimit: IpLimit;
  /** False while the server starts or drains: connections are closed at once. */
  admits: () => boolean;
  onConnection: (connection: Connection) => ConnectionHandler;
}

function lengthPrefixed(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const out = Buffer.allocUnsafe(4 + length);
  out.writeUInt32BE(length, 0);
  out.write(text, 4);
  return out;
}

export function createTcpGateway(options: TcpGatewayOptions): Server {
  const onSocket = (socket: Socket) => accept(socket, options);
  return options.tls ? createTlsServer(options.tls, onSocket) : createNetServer(onSocket);
}

function accept(socket: Socket, options: TcpGatewayOptions) {
  const ip = socket.remoteAddress ?? 'unknown';
  if (!options.admits() || !options.ipLimit.acquire(ip)) {
    socket.destroy();
    return;
  }
  socket.setNoDelay(true);
  const decoder = new LengthPrefixedDecoder(options.maxFrameBytes);
  // Set once the stream cannot be trusted or the server has ended it: further input is dropped.
  let ignoring = false;
  let linger: NodeJS.Timeout | null = null;
  const connection: Connection = {
    transport: 'tcp',
    remoteAddress: ip,
    send: (text) => void socket.write(lengthPrefixed(text)),
    bufferedBytes: () => socket.writableLength,
    end: () => {
      ignoring = true;
      socket.end();
      // Read on (discarding) so the peer's hang-up is seen, and stop waiting for it after a while.
      socket.resume();
      linger ??= setTimeout(() => socket.destroy(), CLOSE_LINGER_MS).unref();
    },
    destroy: () => socket.destroy(),
  };
  const handler = options.onConnection(connection);
  socket.on('data', (chunk: Buffer) => {
    if (ignoring) return;
    let frames: string[];
    try {
      frames = decoder.push(chunk);
    } catch (error) {
      // The stream cannot be re-synchronized after a bad prefix: answer the whole frames read
      // before it, then the bad one, then close.
      ignoring = true;
      const framing = error instanceof FramingError ? error : null;
      for (const frame of framing?.framesBefore ?? []) handler.onFrame(frame);
      handler.onFramingError(framing?.code ?? 'bad_frame', framing?.message ?? 'bad frame', true);
      return;
    }
    for (const frame of frames) handler.onFrame(frame);
  });
  socket.on('close', () => {
    if (linger) clearTimeout(linger);
    options.ipLimit.release(ip);
    handler.onClose();
  });
  socket.on('error', () => {});
}
