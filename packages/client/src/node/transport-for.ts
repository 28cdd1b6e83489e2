/** Picks the transport for a server URL by its scheme. */
import type { SecureContextOptions } from 'node:tls';
import type { TransportFactory } from '../types.js';
import { parseTcpUrl, tcpTransport } from './tcp.js';
import { nodeWebSocketTransport } from './websocket.js';

export interface TransportForOptions {
  /**
   * TLS settings for wss:// and tls:// (a private CA in `ca`, for example). Without them Node's
   * defaults apply, including the NODE_EXTRA_CA_CERTS environment variable.
   */
  tls?: SecureContextOptions & { servername?: string; rejectUnauthorized?: boolean };
}

/**
 * ws:// and wss:// go over WebSocket, tcp:// and tls:// over raw TCP. A URL no connection could
 * ever use (another scheme, no port for TCP) throws here: found at connect time, it would only
 * show as a connection that keeps failing and retrying.
 */
export function transportFor(url: string, options: TransportForOptions = {}): TransportFactory {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'ws':
    case 'wss':
      if (!URL.canParse(url)) throw new Error(`invalid server URL: ${url}`);
      return nodeWebSocketTransport(options.tls ? { ws: options.tls } : {});
    case 'tcp':
    case 'tls':
      parseTcpUrl(url);
      return tcpTransport(options.tls ? { tls: options.tls } : {});
    default:
      throw new Error(`unsupported server URL "${url}": use ws://, wss://, tcp:// or tls://`);
  }
}
