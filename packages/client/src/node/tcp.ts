/**
 * The raw TCP transport (tcp:// and, with TLS, tls://): each frame is a 4-byte big-endian length
 * followed by that many bytes of UTF-8 JSON.
 */
import net from 'node:net';
import tls from 'node:tls';
import { encodeLengthPrefixed, LengthPrefixedDecoder } from '@parley/protocol';
import type { Transport, TransportFactory } from '../types.js';

export interface TcpTransportOptions {
  /** Extra TLS options for tls:// URLs (a private CA, for example). */
  tls?: tls.ConnectionOptions;
}

/** Parses tcp://host:port or tls://host:port. */
export function parseTcpUrl(url: string): { secure: boolean; host: string; port: number } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`invalid server URL: ${url}`);
  }
  if (parsed.protocol !== 'tcp:' && parsed.protocol !== 'tls:') {
    throw new Error(`not a tcp:// or tls:// URL: ${url}`);
  }
  const port = Number(parsed.port);
  if (!parsed.port || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`the URL needs a port: ${url}`);
  }
  // URL keeps the brackets of an IPv6 literal; sockets want the bare address.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return { secure: parsed.protocol === 'tls:', host, port };
}

export function tcpTransport(options: TcpTransportOptions = {}): TransportFactory {
  return (url, handlers): Transport => {
    const { secure, host, port } = parseTcpUrl(url);
    const socket = secure
      ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ...options.tls })
      : net.connect({ host, port });
    const decoder = new LengthPrefixedDecoder();
    let lastError = '';
    socket.setNoDelay(true);
    socket.once(secure ? 'secureConnect' : 'connect', () => handlers.onOpen());
    socket.on('data', (chunk: Buffer) => {
      let frames: string[];
      try {
        frames = decoder.push(chunk);
      } catch (error) {
        // The byte stream can no longer be trusted: end the connection.
        lastError = error instanceof Error ? error.message : String(error);
        socket.destroy();
        return;
      }
      for (const frame of frames) handlers.onFrame(frame);
    });
    socket.on('error', (error) => {
      lastError = error.message;
    });
    socket.once('close', () => handlers.onClose(lastError || 'connection closed'));
    return {
      send: (text) => {
        socket.write(encodeLengthPrefixed(text));
      },
      close: () => {
        socket.destroy();
      },
    };
  };
}
