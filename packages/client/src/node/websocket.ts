/** WebSocket in Node 20 (no global WebSocket there): the browser transport on the `ws` package. */
import WebSocket from 'ws';
import { webSocketTransport, type WebSocketConstructor } from '../transports/websocket.js';
import type { TransportFactory } from '../types.js';

export function nodeWebSocketTransport(): TransportFactory {
  // ws's WebSocket implements the browser API used by the transport (onopen, onmessage, ...).
  return webSocketTransport(WebSocket as unknown as WebSocketConstructor);
}
