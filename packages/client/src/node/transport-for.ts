/** Picks the transport for a server URL by its scheme. */
import type { TransportFactory } from '../types.js';
import { tcpTransport } from './tcp.js';
import { nodeWebSocketTransport } from './websocket.js';

/** ws:// and wss:// go over WebSocket, tcp:// and tls:// over raw TCP; anything else throws. */
export function transportFor(url: string): TransportFactory {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'ws':
    case 'wss':
      return nodeWebSocketTransport();
    case 'tcp':
    case 'tls':
      return tcpTransport();
    default:
      throw new Error(`unsupported server URL "${url}": use ws://, wss://, tcp:// or tls://`);
  }
}
