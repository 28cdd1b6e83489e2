/** WebSocket in Node 20 (no global WebSocket there): the browser transport on the `ws` package. */
import WebSocket from 'ws';
import { webSocketTransport, type WebSocketConstructor } from '../transports/websocket.js';
import type { TransportFactory } from '../types.js';

export interface NodeWebSocketOptions {
  /** Options for `ws`: for wss://, a private CA (`ca`) or a client certificate, for example. */
  ws?: WebSocket.ClientOptions;
}

export function nodeWebSocketTransport(options: NodeWebSocketOptions = {}): TransportFactory {
  const wsOptions = options.ws;
  const Impl = wsOptions
    ? class extends WebSocket {
        constructor(url: string) {
          super(url, wsOptions);
        }
      }
    : WebSocket;
  // ws's WebSocket implements the browser API the transport uses (onopen, onmessage, ...).
  return webSocketTransport(Impl as unknown as WebSocketConstructor);
}
