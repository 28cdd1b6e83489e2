/** Picks the transport for a server URL by its scheme. */
import type { SecureContextOptions } from 'node:tls';
import type { TransportFactory } from '../types.js';
import { tcpTransport } from './tcp.js';
import { nodeWebSocketTransport } from './websocket.js';

export interface TransportForOptions {
  /**
   * TLS settings for wss:// and tls:// (a private CA in `ca`, for example). Without them Node's
   * defaults apply, including the NODE_EXTRA_CA_CERTS environment variable.
   */
  tls?: SecureContextOptions & { servername?: string; rejectUnauthorized?: boolean };
}

/** ws:// and wss:// go over WebSocket, tcp:// and tls:// over raw TCP; anything else throws. */
export function transportFor(url: string, options: TransportForOptions = {}): TransportFactory {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'ws':
    case 'wss':
      return nodeWebSocketTransport(options.tls ? { ws: options.tls } : {});
    case 'tcp':
    case 'tls':
      return tcpTransport(options.tls ? { tls: options.tls } : {});
    default:
      throw new Error(`unsupported server URL "${url}": use ws://, wss://, tcp:// or tls://`);
  }
}
