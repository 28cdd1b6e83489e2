/**
 * WebSocket gateway at /ws: one JSON text message per frame. Browsers are held to an origin
 * check (the server's own origin plus configured ones); clients that send no Origin (terminal
 * clients, bots) are not browsers and pass.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Connection, ConnectionHandler } from '../session/connection.js';
import type { IpLimit } from './ip-limit.js';
import { requestPath } from './request-path.js';

export interface WebSocketGatewayOptions {
  maxFrameBytes: number;
  allowedOrigins: readonly string[];
  ipLimit: IpLimit;
  /** False while the server starts or drains: upgrades are refused with 503. */
  admits: () => boolean;
  onConnection: (connection: Connection) => ConnectionHandler;
}

/** WebSocket close codes for the server's close reasons (RFC 6455 section 7.4). */
function closeCode(reason: string): number {
  switch (reason) {
    case 'shutdown':
      return 1001;
    case 'abuse':
    case 'session_revoked':
      return 1008;
    case 'frame_too_large':
      return 1009;
    case 'slow_consumer':
      // "Try Again Later": the device resumes from its cursor.
      return 1013;
    default:
      return 1000;
  }
}

function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const host = req.headers.host;
  if (host && (origin === `http://${host}` || origin === `https://${host}`)) return true;
  return allowed.includes(origin);
}

function reject(socket: Duplex, status: number, text: string) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function attachWebSocketGateway(
  server: HttpServer,
  options: WebSocketGatewayOptions,
): WebSocketServer {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxFrameBytes,
    perMessageDeflate: false,
  });

  server.on('upgrade', (req, socket, head) => {
    // Node leaves an upgrading socket without an error listener: a peer that resets while it is
    // refused would otherwise throw an unhandled 'error' and take the server down.
    socket.on('error', () => {});
    const pathname = requestPath(req.url);
    if (pathname === null) return reject(socket, 400, 'Bad Request');
    if (pathname !== '/ws') return reject(socket, 404, 'Not Found');
    if (!options.admits()) return reject(socket, 503, 'Service Unavailable');
    if (!originAllowed(req, options.allowedOrigins)) return reject(socket, 403, 'Forbidden');
    const ip = req.socket.remoteAddress ?? 'unknown';
    if (!options.ipLimit.acquire(ip)) return reject(socket, 429, 'Too Many Requests');
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.once('close', () => options.ipLimit.release(ip));
      accept(ws, ip, options);
    });
  });
  return wss;
}

function accept(ws: WebSocket, ip: string, options: WebSocketGatewayOptions) {
  const connection: Connection = {
    transport: 'ws',
    remoteAddress: ip,
    send: (text) => ws.send(text),
    bufferedBytes: () => ws.bufferedAmount,
    end: (reason) => ws.close(closeCode(reason), reason),
    destroy: () => ws.terminate(),
  };
  const handler = options.onConnection(connection);
  ws.on('message', (data, isBinary) => {
    if (isBinary)
      return handler.onFramingError(
        'bad_frame',
        'frames are JSON text messages, not binary',
        false,
      );
    handler.onFrame(data.toString());
  });
  ws.on('close', () => handler.onClose());
  // Errors (oversize payload, bad UTF-8) are followed by a close, where the session ends.
  ws.on('error', () => {});
}
