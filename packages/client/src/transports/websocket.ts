/**
 * The WebSocket transport: one frame per text message. Works with the browser's WebSocket and,
 * in Node, with the `ws` package's (see `nodeWebSocketTransport` in `@parley/client/node`).
 */
import type { Transport, TransportFactory } from '../types.js';

/**
 * The part of the WebSocket API used here. Handler parameters are typed `never` so both the DOM's
 * and `ws`'s WebSocket classes fit (their event types differ); the handlers below read what they
 * need defensively.
 */
export interface WebSocketLike {
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

interface MessageEventLike {
  data: unknown;
}
interface CloseEventLike {
  code?: number;
  reason?: string;
}
interface ErrorEventLike {
  message?: string;
  error?: unknown;
}

/** WebSocket close code for a normal closure (RFC 6455). */
const NORMAL_CLOSURE = 1000;

/**
 * A TransportFactory over WebSocket. `WebSocketImpl` defaults to the global WebSocket (browsers,
 * Node 22+); pass `ws`'s class on Node 20.
 *
 * @example
 * const client = new ParleyClient({ url: 'wss://chat.example.org/ws', transport: webSocketTransport() });
 */
export function webSocketTransport(
  WebSocketImpl: WebSocketConstructor | undefined = (
    globalThis as { WebSocket?: WebSocketConstructor }
  ).WebSocket,
): TransportFactory {
  return (url, handlers): Transport => {
    if (!WebSocketImpl) throw new Error('no WebSocket implementation: pass one (e.g. from "ws")');
    const socket = new WebSocketImpl(url);
    let lastError = '';
    let closed = false;
    const finish = (reason: string): void => {
      if (closed) return;
      closed = true;
      handlers.onClose(reason);
    };
    socket.onopen = () => handlers.onOpen();
    socket.onmessage = (event: MessageEventLike) => {
      // Binary frames are not part of the protocol; ignore them.
      if (typeof event.data === 'string') handlers.onFrame(event.data);
    };
    socket.onerror = (event: ErrorEventLike) => {
      // Browsers give no detail; ws gives the underlying error (ECONNREFUSED and the like).
      const detail = event.error instanceof Error ? event.error.message : event.message;
      lastError = detail ?? 'WebSocket error';
    };
    socket.onclose = (event: CloseEventLike) => {
      const reason = event.reason ?? '';
      if (reason) finish(reason);
      else if (lastError) finish(lastError);
      else finish(`WebSocket closed (code ${event.code ?? 'unknown'})`);
    };
    return {
      send: (text) => socket.send(text),
      close: () => {
        try {
          socket.close(NORMAL_CLOSURE);
        } finally {
          finish('closed by the client');
        }
      },
    };
  };
}
